#!/usr/bin/env bash
# The main job on the bundled samples: builds Faultline, analyses every real
# failing (and healthy) Go build under Samples/go/, and compares each verdict
# with the expected one beside it. Then shows the full report of one case.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product faultline >&2
bin=.build/release/faultline
pass=0; fail=0
printf '%-26s %-15s %-28s %-28s %s\n' case wrapper expected got result
for dir in Samples/go/*/; do
  name=$(basename "$dir")
  read -r expected wrapper < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("log_only_cause") or d["cause"], d["wrapper"])' "$dir/expected.json")
  got=$("$bin" analyze --format json --quiet "$dir/build.log" | python3 -c 'import json,sys; d=json.load(sys.stdin); h=d["hypotheses"]; print(h[0]["cause"] if h else "none")')
  if [ "$got" = "$expected" ]; then result=ok; pass=$((pass+1)); else result=MISMATCH; fail=$((fail+1)); fi
  printf '%-26s %-15s %-28s %-28s %s\n' "$name" "$wrapper" "$expected" "$got" "$result"
done
echo
echo "$pass passed, $fail failed"
echo
echo "=== faultline analyze Samples/go/dns-refused/ (the build log and its capture, one case) ==="
"$bin" analyze Samples/go/dns-refused/
echo
echo "=== faultline calibrate (every Go, npm, JVM and test-runner sample, logs alone and with captures; the real-log corpora) ==="
"$bin" calibrate Samples Tests/FaultlineTests/Corpus
[ "$fail" -eq 0 ]
