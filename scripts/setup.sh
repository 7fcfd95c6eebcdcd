#!/usr/bin/env bash
# Installs what Faultline needs to build and test on a Debian machine with Swift:
# libpcap-dev (captures), zlib1g-dev (gzip inputs), libarchive-dev (tar, zip and
# compressed archives for `faultline batch`), libsqlite3-dev (its --db, through GRDB), pkg-config; gzip and chromium for the tests;
# as root also golang-go, npm and iproute2 (the live capture tests in a network namespace).
# Runs `apt-get update` first, as a fresh machine needs; does nothing when all is there.
set -euo pipefail
need=()
dpkg -s libpcap-dev >/dev/null 2>&1 || need+=(libpcap-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
dpkg -s libarchive-dev >/dev/null 2>&1 || need+=(libarchive-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v gzip >/dev/null 2>&1 || need+=(gzip)
# As root, what the live capture test needs: a real `go mod download` in a network namespace.
if [ "$(id -u)" -eq 0 ]; then
  command -v go >/dev/null 2>&1 || need+=(golang-go)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  command -v ip >/dev/null 2>&1 || need+=(iproute2)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# Headless Chromium renders the HTML report in HTMLBrowserTests; where Debian's package cannot be
# installed the setup goes on and that test reports itself skipped.
if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing chromium" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  { [ ${#need[@]} -gt 0 ] || $sudo apt-get update -q; } && $sudo apt-get install -y -q --no-install-recommends chromium \
    || echo "setup: chromium could not be installed; HTMLBrowserTests will be skipped" >&2
fi
command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH (Swift 6 toolchain needed)" >&2; exit 1; }
