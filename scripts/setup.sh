#!/usr/bin/env bash
# Installs what Faultline needs to build and test on a Debian machine with Swift:
# libpcap-dev (captures), zlib1g-dev (gzip inputs), libarchive-dev (tar, zip and
# compressed archives for `faultline batch`; .xz, .zst, .lz4 and .bz2 inputs), libsqlite3-dev (its --db, through GRDB), pkg-config; gzip and chromium for the tests;
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
# strip, for scripts/install.sh (InstallScriptTests installs into a temporary prefix).
command -v strip >/dev/null 2>&1 || need+=(binutils)
# As root, what the live capture test needs: a real `go mod download` in a network namespace.
if [ "$(id -u)" -eq 0 ]; then
  command -v go >/dev/null 2>&1 || need+=(golang-go)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  command -v ip >/dev/null 2>&1 || need+=(iproute2)
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
updated=false
# apt_install PACKAGE…: `apt-get update` once (a fresh machine needs it), then install.
apt_install() {
  if [ "$updated" = false ]; then $sudo apt-get update -q && updated=true; fi
  $sudo apt-get install -y -q --no-install-recommends "$@"
}
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  apt_install "${need[@]}"
fi
# Headless Chromium renders the HTML report in HTMLBrowserTests; where Debian's package cannot be
# installed the setup goes on and that test reports itself skipped.
if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing chromium" >&2
  apt_install chromium || echo "setup: chromium could not be installed; HTMLBrowserTests will be skipped" >&2
fi
# The Spark example (scripts/spark-batch.py, SparkPipeTests): PySpark from PyPI and a Java 17 runtime.
if ! command -v java >/dev/null 2>&1; then
  echo "setup: installing a Java runtime" >&2
  apt_install default-jre-headless || echo "setup: no Java runtime; SparkPipeTests will be skipped" >&2
fi
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import pyspark" >/dev/null 2>&1; then
  echo "setup: installing pyspark" >&2
  python3 -m pip install -q pyspark || echo "setup: pyspark could not be installed; SparkPipeTests will be skipped" >&2
fi
command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH (Swift 6 toolchain needed)" >&2; exit 1; }
