#!/usr/bin/env bash
# Installs faultline under PREFIX (default /usr/local):
#   PREFIX/bin/faultline                                   the release binary, stripped (pipelines built in)
#   PREFIX/share/man/man1/faultline.1                      the man page (swift-argument-parser's generate-manual)
#   PREFIX/share/bash-completion/completions/faultline     bash completion
#   PREFIX/share/zsh/site-functions/_faultline             zsh completion
#   PREFIX/share/fish/vendor_completions.d/faultline.fish  fish completion
#   PREFIX/share/faultline/                                the report contract: report.md and the JSON Schema
#
#   scripts/install.sh [PREFIX]               build in release and install
#   scripts/install.sh --uninstall [PREFIX]   remove what an install put there
#
# FAULTLINE_BINARY=PATH installs that binary instead of building one, and
# FAULTLINE_GENERATE_MANUAL=PATH uses that generate-manual (`none`: no man page).
set -euo pipefail
cd "$(dirname "$0")/.."
uninstall=false
if [ "${1:-}" = "--uninstall" ]; then uninstall=true; shift; fi
prefix="${1:-/usr/local}"
files=(
  "bin/faultline"
  "share/man/man1/faultline.1"
  "share/bash-completion/completions/faultline"
  "share/zsh/site-functions/_faultline"
  "share/fish/vendor_completions.d/faultline.fish"
  "share/faultline/report.md"
  "share/faultline/faultline.report-1.schema.json"
)
if [ "$uninstall" = true ]; then
  for file in "${files[@]}"; do
    if [ -e "$prefix/$file" ]; then rm -f "$prefix/$file" && echo "removed $prefix/$file"; fi
  done
  rmdir "$prefix/share/faultline" 2>/dev/null || true
  exit 0
fi

binary="${FAULTLINE_BINARY:-}"
if [ -z "$binary" ]; then
  echo "install: building faultline in release mode" >&2
  swift build -c release --product faultline
  binary="$(swift build -c release --show-bin-path)/faultline"
fi
[ -x "$binary" ] || { echo "install: no executable at $binary" >&2; exit 1; }

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d" "$prefix/share/faultline"
install -m 0755 "$binary" "$prefix/bin/faultline"
if command -v strip >/dev/null 2>&1; then
  strip "$prefix/bin/faultline"
else
  echo "install: strip not found (binutils); the binary keeps its symbols" >&2
fi
installed="$prefix/bin/faultline"
"$installed" --generate-completion-script bash > "$prefix/share/bash-completion/completions/faultline"
"$installed" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_faultline"
"$installed" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/faultline.fish"
install -m 0644 docs/report.md docs/faultline.report-1.schema.json "$prefix/share/faultline/"

manual="${FAULTLINE_GENERATE_MANUAL:-}"
if [ -z "$manual" ]; then
  echo "install: building swift-argument-parser's generate-manual" >&2
  if swift build -c release --product generate-manual >&2; then
    manual="$(swift build -c release --show-bin-path)/generate-manual"
  else
    manual=none
    echo "install: generate-manual could not be built; no man page" >&2
  fi
fi
if [ "$manual" != none ]; then
  pages="$(mktemp -d)"
  "$manual" "$installed" --output-directory "$pages"
  install -m 0644 "$pages/faultline.1" "$prefix/share/man/man1/faultline.1"
  rm -rf "$pages"
fi
size=$(stat -c %s "$installed")
echo "installed faultline $("$installed" --version | head -1 | cut -d' ' -f2) in $prefix ($((size / 1024 / 1024)) MiB, $size bytes)"
