#!/usr/bin/env bash
# The GitHub Action's step (action.yml): find or make a faultline binary, analyse the paths with
# `--format github` (annotations on standard output, the Markdown report appended to
# $GITHUB_STEP_SUMMARY), write the JSON report and set the outputs verdict, cause and report.
#
# Reads FAULTLINE_PATHS (required), FAULTLINE_FAIL_ON (failure|warning|empty),
# FAULTLINE_PIPELINE, FAULTLINE_PIPELINES_DIR, FAULTLINE_BINARY, FAULTLINE_BINARY_URL, and
# GitHub's GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP.
# Exit status: faultline analyze's (1 when --fail-on's threshold is reached, 3 an unreadable input).
set -euo pipefail
action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

binary="${FAULTLINE_BINARY:-}"
if [ -z "$binary" ] && [ -n "${FAULTLINE_BINARY_URL:-}" ]; then
  binary="$temp/faultline"
  echo "faultline: downloading ${FAULTLINE_BINARY_URL}" >&2
  curl -fsSL --retry 3 -o "$binary" "$FAULTLINE_BINARY_URL"
  chmod +x "$binary"
fi
if [ -z "$binary" ] && command -v faultline >/dev/null 2>&1; then binary="$(command -v faultline)"; fi
if [ -z "$binary" ]; then
  command -v swift >/dev/null 2>&1 || {
    echo "::error title=faultline::no faultline binary: set 'binary' or 'binary-url', or install Swift 6 to build it" >&2
    exit 2
  }
  echo "faultline: building from $action_path" >&2
  swift build -c release --product faultline --package-path "$action_path" >&2
  binary="$(swift build -c release --show-bin-path --package-path "$action_path")/faultline"
fi

read -r -a paths <<< "$(printf '%s' "${FAULTLINE_PATHS:-}" | tr '\n' ' ')"
if [ ${#paths[@]} -eq 0 ]; then
  echo "::error title=faultline::the 'paths' input names nothing to analyse" >&2
  exit 2
fi
options=(--pipeline "${FAULTLINE_PIPELINE:-default}" --quiet)
if [ -n "${FAULTLINE_PIPELINES_DIR:-}" ]; then options+=(--pipelines "$FAULTLINE_PIPELINES_DIR"); fi

report="$temp/faultline-report.json"
# The JSON report first (its exit status is the analysis's), then the annotations and summary.
set +e
"$binary" analyze --format json "${options[@]}" "${paths[@]}" > "$report"
json_status=$?
gate=()
if [ -n "${FAULTLINE_FAIL_ON:-}" ]; then gate=(--fail-on "$FAULTLINE_FAIL_ON"); fi
"$binary" analyze --format github "${options[@]}" "${gate[@]}" "${paths[@]}"
status=$?
set -e
if [ "$json_status" -eq 2 ] || [ "$json_status" -eq 4 ]; then exit "$json_status"; fi

# The first "cause" of the report is the top hypothesis's (there is no timeline in it).
verdict=$(grep -o '"verdict": *"[a-z]*"' "$report" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/' || true)
cause=$(grep -o '"cause": *"[a-z_]*"' "$report" | head -1 | sed 's/.*"\([a-z_]*\)"$/\1/' || true)
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "verdict=${verdict:-unknown}"
    echo "cause=${cause:-none}"
    echo "report=$report"
  } >> "$GITHUB_OUTPUT"
fi
echo "faultline: verdict ${verdict:-unknown}, top cause ${cause:-none} (report: $report)" >&2
exit "$status"
