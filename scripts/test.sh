#!/usr/bin/env bash
# The test command: set up what is missing, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
# swift-argument-parser's man page generator, for the install test (scripts/install.sh).
swift build --product generate-manual
swift test --skip-build
