#!/usr/bin/env bash
# Regenerate Faultline's real virtual-thread samples (Samples/jvm/vthread-*/)
# with Temurin 25: the three dump forms of one JVM each —
# `jcmd PID Thread.dump_to_file -format=json`, its text form, and `jstack -l`
# (which shows only mounted virtual threads, under their carriers).
#
#   Samples/jvm/scripts/make-vthread-samples.sh                  # every case
#   Samples/jvm/scripts/make-vthread-samples.sh vthread-pinned   # some cases
#   Samples/jvm/scripts/make-vthread-samples.sh --list
#
# No network and no root: the programs talk to nothing. Needs a JDK 24+
# (JEP 491: synchronized no longer pins, so pinning here comes from a class
# initializer and a JNI frame) and gcc for the one-function JNI library
# (java/native/flnative.c). expected.json is written from what each case was
# built to show, with lines found by grep in the JVM's own output, never by
# Faultline. Scratch state: $FL_SCRATCH (default /tmp/fl-vthread-samples).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(dirname "$HERE")
SCRATCH=${FL_SCRATCH:-/tmp/fl-vthread-samples}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
ALL_CASES=(vthread-pinned vthread-healthy vthread-lock-deadlock)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

compile() {
  mkdir -p "$SCRATCH/classes"
  log "compiling java/*.java and the JNI library"
  "$JDK25/bin/javac" -d "$SCRATCH/classes" "$HERE/java/PinnedCarriers.java" "$HERE/java/VirtualHealthy.java" "$HERE/java/VirtualLockDeadlock.java"
  gcc -shared -fPIC -O2 -I"$JDK25/include" -I"$JDK25/include/linux" -o "$SCRATCH/libflnative.so" "$HERE/java/native/flnative.c"
}

# run_and_dump DIR CLASS READY [JVM options…]: runs CLASS until it prints READY, waits 2 s, takes the three dumps.
run_and_dump() {
  local dir=$1 class=$2 ready=$3
  shift 3
  mkdir -p "$dir"
  "$JDK25/bin/java" --enable-native-access=ALL-UNNAMED -Djava.library.path="$SCRATCH" "$@" -cp "$SCRATCH/classes" "$class" >"$SCRATCH/$class.out" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local tenths=0
  until grep -q -F "$ready" "$SCRATCH/$class.out" 2>/dev/null; do
    sleep 0.1
    tenths=$((tenths + 1))
    [ "$tenths" -lt 200 ] || { echo "$class never printed '$ready'" >&2; cat "$SCRATCH/$class.out" >&2; exit 1; }
  done
  sleep 2
  rm -f "$dir/threads.json" "$dir/threads.txt"
  "$JDK25/bin/jcmd" "$pid" Thread.dump_to_file -format=json "$dir/threads.json" >/dev/null
  "$JDK25/bin/jcmd" "$pid" Thread.dump_to_file -format=text "$dir/threads.txt" >/dev/null
  "$JDK25/bin/jstack" -l "$pid" >"$dir/jstack.txt"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }

case_vthread_pinned() {
  local dir=$OUT/vthread-pinned
  run_and_dump "$dir" PinnedCarriers "10 requests started" \
    -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2
  local json_first text_first
  json_first=$(line_of "$dir/threads.json" '"name": "ForkJoinPool-1-worker-')
  text_first=$(line_of "$dir/threads.txt" '"ForkJoinPool-1-worker-')
  cat >"$dir/expected.json" <<JSON
{
  "verdict": "failure",
  "cause": "jvm_carrier_starvation",
  "inputs": ["threads.json"],
  "subjects": {"pool": "ForkJoinPool-1-worker", "carriers": "2", "waiting_virtual_threads": "10"},
  "evidence": {"input": "threads.json", "line": $json_first, "contains": "ForkJoinPool-1-worker-"},
  "also": {"input": "threads.txt", "line": $text_first, "cause": "jvm_carrier_starvation"},
  "also_jstack": {"input": "jstack.txt", "cause": "jvm_carrier_starvation"},
  "dumps": 1,
  "form": "jcmd PID Thread.dump_to_file -format=json, -format=text and jstack -l PID (Temurin 25.0.3)",
  "how": "Two carriers (parallelism=2, maxPoolSize=2). price-loader blocks on a latch inside PriceTable.<clinit> and legacy-codec blocks on it in a callback under a JNI frame (PinnedCarriers.withNativeFrame): both park on their carriers (VirtualThread.parkOnCarrierThread), and the 10 request virtual threads started after them are runnable with no carrier."
}
JSON
}

case_vthread_healthy() {
  local dir=$OUT/vthread-healthy
  run_and_dump "$dir" VirtualHealthy "healthy virtual-thread service running"
  cat >"$dir/expected.json" <<JSON
{
  "verdict": "success",
  "cause": "none",
  "inputs": ["threads.json"],
  "also_healthy": ["threads.txt", "jstack.txt"],
  "subjects": {},
  "dumps": 1,
  "form": "jcmd PID Thread.dump_to_file -format=json, -format=text and jstack -l PID (Temurin 25.0.3)",
  "how": "200 virtual handler threads take from a LinkedBlockingQueue, 100 virtual pollers sleep, 4 dispatchers put a job every 20 ms; a handler sleeps 5 ms inside synchronized now and then (no pinning on JDK 24+). Carriers are free between jobs."
}
JSON
}

case_vthread_lock_deadlock() {
  local dir=$OUT/vthread-lock-deadlock
  run_and_dump "$dir" VirtualLockDeadlock "transfers started"
  local first json_first text_first
  first=$(grep -o -m1 -E '"transfer-(A-to-B|B-to-A)"' "$dir/threads.json" | tr -d '"')
  json_first=$(line_of "$dir/threads.json" "\"name\": \"$first\"")
  text_first=$(line_of "$dir/threads.txt" "\"$first\" virtual")
  cat >"$dir/expected.json" <<JSON
{
  "verdict": "failure",
  "cause": "jvm_deadlock",
  "inputs": ["threads.json"],
  "subjects": {"threads": "2", "thread": "$first"},
  "evidence": {"input": "threads.json", "line": $json_first, "contains": "$first"},
  "also": {"input": "threads.txt", "line": $text_first, "cause": "jvm_deadlock"},
  "dumps": 1,
  "inferred_owners": true,
  "form": "jcmd PID Thread.dump_to_file -format=json, -format=text and jstack -l PID (Temurin 25.0.3)",
  "how": "transfer-A-to-B holds account A's ReentrantLock and parks on B's; transfer-B-to-A holds B's and parks on A's. JDK 25's Thread.dump_to_file names what a virtual thread parks on but not who owns it, and jstack shows neither (parked virtual threads are unmounted): the owners are inferred."
}
JSON
}

if [ "${1:-}" = "--list" ]; then printf '%s\n' "${ALL_CASES[@]}"; exit 0; fi
mkdir -p "$SCRATCH"
compile
CASES=("$@")
[ ${#CASES[@]} -eq 0 ] && CASES=("${ALL_CASES[@]}")
for c in "${CASES[@]}"; do
  log "$c"
  "case_${c//-/_}"
done
