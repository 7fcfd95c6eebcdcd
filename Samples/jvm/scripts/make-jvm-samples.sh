#!/usr/bin/env bash
# Regenerate Faultline's real JVM thread-dump samples (Samples/jvm/<case>/).
#
#   sudo Samples/jvm/scripts/make-jvm-samples.sh              # every case
#   sudo Samples/jvm/scripts/make-jvm-samples.sh dns-hang     # some cases
#   Samples/jvm/scripts/make-jvm-samples.sh --list
#
# Each case runs a small Java program (java/*.java, compiled here with javac)
# on the installed OpenJDK 17 (carrier-starvation: JDK 25, for virtual
# threads), takes its dumps with jstack, jcmd or kill -3 at the moment the
# program is in the state the case is about, and writes expected.json from
# what the case was built to show (thread names, lines and lock addresses read
# from the JVM's own output with grep, never from Faultline).
#
# dns-hang and the network-error examples run inside two network namespaces
# created here (fl-jvm-c, fl-jvm-s, joined by one veth pair on 10.97.0.0/24);
# neither has a route to the host or the internet, and tcpdump runs with -n.
# Needs root, python3, tcpdump, iproute2. Scratch state: $FL_SCRATCH
# (default /tmp/fl-jvm-samples); namespaces and processes are torn down on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(dirname "$HERE")
SAMPLES=$(dirname "$OUT")
SCRATCH=${FL_SCRATCH:-/tmp/fl-jvm-samples}
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
PY=$(command -v python3)

CNS=fl-jvm-c             # the service runs here
SNS=fl-jvm-s             # where the resolver "is"
CLIENT_IP=10.97.0.2      # fljvm-c, in fl-jvm-c
SERVER_IP=10.97.0.1      # fljvm-s, in fl-jvm-s
CIF=fljvm-c
SIF=fljvm-s
DEAD_DNS=10.97.0.53      # routed into fl-jvm-s and dropped there: a resolver that never answers
NX_DNS=10.97.0.54        # a responder in fl-jvm-s that answers NXDOMAIN
DEAD_HOST=10.97.0.99     # routed into fl-jvm-s and dropped: SYNs vanish

ALL_CASES=(monitor-deadlock reentrantlock-deadlock contention-sleeping-owner starved-pool dns-hang healthy carrier-starvation net-errors)

WAIT_TENTHS=200          # a JVM may take a while to reach the state a case waits for
# shellcheck source=../../scripts/netns-lib.sh
. "$SAMPLES/scripts/netns-lib.sh"
trap cleanup EXIT

compile() {
  mkdir -p "$SCRATCH/classes17" "$SCRATCH/classes25"
  log "compiling java/*.java"
  "$JDK17/bin/javac" -d "$SCRATCH/classes17" $(ls "$HERE"/java/*.java | grep -v CarrierStarvation)
  "$JDK25/bin/javac" -d "$SCRATCH/classes25" "$HERE/java/CarrierStarvation.java"
}

# start_java OUTFILE JDK CLASSES CLASS [JVM options…]: starts the program, stdout to OUTFILE; sets JPID.
start_java() {
  local out=$1 jdk=$2 classes=$3 class=$4
  shift 4
  "$jdk/bin/java" "$@" -cp "$classes" "$class" >"$out" 2>&1 &
  JPID=$!
  PIDS+=("$JPID")
}

stop_java() {
  kill "$JPID" 2>/dev/null || true
  wait "$JPID" 2>/dev/null || true
}

# line_of FILE TEXT: the number of the first line holding TEXT.
line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }

# first_of FILE NAME…: the header line of whichever named thread comes first in FILE.
first_of() {
  local file=$1 best= name line
  shift
  for name in "$@"; do
    line=$(line_of "$file" "\"$name\" #")
    if [ -n "$line" ] && { [ -z "$best" ] || [ "$line" -lt "${best%%:*}" ]; }; then best="$line:$name"; fi
  done
  echo "$best"
}

setup_net() {
  netns_pair
  local c="ip netns exec $CNS" s="ip netns exec $SNS"
  $c ip route add "$DEAD_DNS/32" via "$SERVER_IP"     # more specific than the on-link /24
  $c ip route add "$DEAD_HOST/32" via "$SERVER_IP"
  $s ip addr add "$NX_DNS/32" dev "$SIF"
  $s ip route add blackhole "$DEAD_DNS/32"
  $s ip route add blackhole "$DEAD_HOST/32"
}

case_monitor_deadlock() {
  local dir=$OUT/monitor-deadlock
  start_java "$SCRATCH/monitor.out" "$JDK17" "$SCRATCH/classes17" MonitorDeadlock
  wait_for "$SCRATCH/monitor.out" "writers started"
  sleep 1.5
  "$JDK17/bin/jstack" "$JPID" >"$dir/jstack.txt"
  stop_java
  local first; first=$(first_of "$dir/jstack.txt" order-writer inventory-writer)
  cat >"$dir/expected.json" <<EOF
{
  "verdict": "failure",
  "cause": "jvm_deadlock",
  "inputs": ["jstack.txt"],
  "subjects": {"threads": "2", "thread": "${first#*:}"},
  "evidence": {"input": "jstack.txt", "line": ${first%%:*}, "contains": "\"${first#*:}\""},
  "dumps": 1,
  "jvm_reports_deadlock": true,
  "form": "jstack PID (JDK 17)",
  "how": "order-writer holds OrderTable and waits for InventoryTable; inventory-writer holds InventoryTable and waits for OrderTable."
}
EOF
}

case_reentrantlock_deadlock() {
  local dir=$OUT/reentrantlock-deadlock
  start_java "$SCRATCH/lock.out" "$JDK17" "$SCRATCH/classes17" LockDeadlock
  wait_for "$SCRATCH/lock.out" "transfers started"
  sleep 1.5
  "$JDK17/bin/jstack" -l "$JPID" >"$dir/jstack.txt"
  stop_java
  local first; first=$(first_of "$dir/jstack.txt" transfer-A-to-B transfer-B-to-A)
  cat >"$dir/expected.json" <<EOF
{
  "verdict": "failure",
  "cause": "jvm_deadlock",
  "inputs": ["jstack.txt"],
  "subjects": {"threads": "2", "thread": "${first#*:}"},
  "evidence": {"input": "jstack.txt", "line": ${first%%:*}, "contains": "\"${first#*:}\""},
  "dumps": 1,
  "jvm_reports_deadlock": true,
  "form": "jstack -l PID (JDK 17): parking on ReentrantLock\$NonfairSync, owners under Locked ownable synchronizers",
  "how": "transfer-A-to-B holds account A's ReentrantLock and parks on B's; transfer-B-to-A holds B's and parks on A's."
}
EOF
}

case_contention_sleeping_owner() {
  local dir=$OUT/contention-sleeping-owner
  start_java "$SCRATCH/cache.out" "$JDK17" "$SCRATCH/classes17" SlowCache
  wait_for "$SCRATCH/cache.out" "requests submitted"
  sleep 1.5
  "$JDK17/bin/jstack" -l "$JPID" >"$dir/jstack.txt"
  stop_java
  # The refreshing thread: the one sleeping inside PriceCache.refresh.
  local owner lock line
  owner=$(grep -B6 'SlowCache$PriceCache.refresh' "$dir/jstack.txt" | grep -o '^"http-nio-8080-exec-[0-9]*"' | tr -d '"' | head -1)
  lock=$(awk -v o="\"$owner\"" 'index($0, o)==1 {f=1} f && /- locked <.*SlowCache\$PriceCache/ {match($0, /<[^>]*>/); print substr($0, RSTART+1, RLENGTH-2); exit}' "$dir/jstack.txt")
  line=$(line_of "$dir/jstack.txt" "\"$owner\" #")
  cat >"$dir/expected.json" <<EOF
{
  "verdict": "failure",
  "cause": "jvm_lock_contention",
  "inputs": ["jstack.txt"],
  "subjects": {"threads": "7", "owner": "$owner", "owner_state": "TIMED_WAITING", "lock": "$lock (SlowCache\$PriceCache)"},
  "evidence": {"input": "jstack.txt", "line": $line, "contains": "\"$owner\""},
  "dumps": 1,
  "form": "jstack -l PID (JDK 17)",
  "how": "$owner sleeps inside PriceCache.refresh(), a synchronized method; the 7 other request threads are BLOCKED entering PriceCache.price()."
}
EOF
}

case_starved_pool() {
  local dir=$OUT/starved-pool
  start_java "$SCRATCH/pool.out" "$JDK17" "$SCRATCH/classes17" StarvedPool
  wait_for "$SCRATCH/pool.out" "4 reports submitted"
  sleep 1.5
  "$JDK17/bin/jcmd" "$JPID" Thread.print -l >"$dir/dumps.txt"
  sleep 5
  "$JDK17/bin/jcmd" "$JPID" Thread.print -l >>"$dir/dumps.txt"
  stop_java
  local first; first=$(first_of "$dir/dumps.txt" report-worker-1 report-worker-2 report-worker-3 report-worker-4)
  cat >"$dir/expected.json" <<EOF
{
  "verdict": "failure",
  "cause": "jvm_pool_starvation",
  "inputs": ["dumps.txt"],
  "subjects": {"threads": "4", "pool": "report-worker"},
  "evidence": {"input": "dumps.txt", "line": ${first%%:*}, "contains": "\"${first#*:}\""},
  "dumps": 2,
  "form": "jcmd PID Thread.print -l, twice, 5 s apart, into one file (JDK 17)",
  "how": "A fixed pool of 4 report-worker threads; each report task submits a part to the same pool and waits on its Future: all 4 workers wait, the 4 parts wait in the queue."
}
EOF
}

case_dns_hang() {
  local dir=$OUT/dns-hang
  setup_net
  printf 'nameserver %s\noptions timeout:5 attempts:2\n' "$DEAD_DNS" >"/etc/netns/$CNS/resolv.conf"
  rm -f "$dir/dns.pcap" "$dir/service.log"
  ip netns exec "$CNS" tcpdump -n -U -i fljvm-c -w "$dir/dns.pcap" udp port 53 2>"$SCRATCH/tcpdump.err" &
  TCPDUMP_PID=$!
  sleep 1
  # The JVM's stdout (its log and the kill -3 dumps) through a container-runtime-style prefixer.
  local pidfile=$SCRATCH/order.pid
  ip netns exec "$CNS" sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$pidfile" \
    "$JDK17/bin/java" -cp "$SCRATCH/classes17" OrderService \
    | "$PY" "$HERE/prefix-lines.py" "$dir/service.log" &
  PIDS+=($!)
  wait_for "$dir/service.log" "order service started"
  JPID=$(cat "$pidfile")
  PIDS+=("$JPID")
  sleep 3
  kill -QUIT "$JPID"; sleep 5
  kill -QUIT "$JPID"; sleep 5
  kill -QUIT "$JPID"; sleep 1.5
  kill "$JPID"
  sleep 0.5
  kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" 2>/dev/null || true
  TCPDUMP_PID=
  local first_failure
  first_failure=$(line_of "$dir/service.log" "Temporary failure in name resolution")
  cat >"$dir/expected.json" <<EOF
{
  "verdict": "failure",
  "cause": "dns_server_unreachable",
  "inputs": ["service.log"],
  "explains": ["jvm_blocked_on_dns"],
  "subjects": {"host": "inventory.fl-jvm.internal"},
  "evidence": {"input": "service.log", "line": $first_failure, "contains": "Temporary failure in name resolution"},
  "dumps": 3,
  "finding": {"cause": "jvm_blocked_on_dns", "threads": "4", "host": "inventory.fl-jvm.internal"},
  "form": "kill -3, three times 5 s apart, in the JVM's stdout with a containerd-style prefix on every line (JDK 17)",
  "how": "resolv.conf in fl-jvm-c names $DEAD_DNS, routed into fl-jvm-s and dropped there: every lookup of inventory.fl-jvm.internal times out after 2 x 5 s (EAI_AGAIN); the JDK serialises lookups of one name, so the 4 order workers queue behind each other in InetAddress; dns.pcap shows the unanswered A queries (IPv6 is off in the namespace)."
}
EOF
}

case_healthy() {
  local dir=$OUT/healthy
  start_java "$SCRATCH/healthy.out" "$JDK17" "$SCRATCH/classes17" HealthyService
  wait_for "$SCRATCH/healthy.out" "healthy service listening"
  sleep 3
  "$JDK17/bin/jstack" -l "$JPID" >"$dir/jstack.txt"
  stop_java
  cat >"$dir/expected.json" <<EOF
{
  "verdict": "success",
  "cause": "none",
  "inputs": ["jstack.txt"],
  "subjects": {},
  "dumps": 1,
  "form": "jstack -l PID (JDK 17)",
  "how": "An HTTP server on loopback with 4 handler threads, a health probe calling it every 200 ms through java.net.http.HttpClient, and two report jobs doing short CPU work between sleeps."
}
EOF
}

case_carrier_starvation() {
  local dir=$OUT/carrier-starvation
  start_java "$SCRATCH/carrier.out" "$JDK25" "$SCRATCH/classes25" CarrierStarvation \
    -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2
  wait_for "$SCRATCH/carrier.out" "12 requests started"
  sleep 2
  "$JDK25/bin/jstack" -l "$JPID" >"$dir/jstack.txt"
  rm -f "$dir/threads.json" "$dir/threads.txt"
  "$JDK25/bin/jcmd" "$JPID" Thread.dump_to_file -format=json "$dir/threads.json" >/dev/null
  "$JDK25/bin/jcmd" "$JPID" Thread.dump_to_file "$dir/threads.txt" >/dev/null
  stop_java
  local first; first=$(grep -n -m1 '"ForkJoinPool-1-worker-' "$dir/jstack.txt" | cut -d: -f1)
  local json_first; json_first=$(grep -n -m1 '"name": "ForkJoinPool-1-worker-' "$dir/threads.json" | cut -d: -f1)
  cat >"$dir/expected.json" <<EOF
{
  "verdict": "failure",
  "cause": "jvm_carrier_starvation",
  "inputs": ["threads.json"],
  "subjects": {"pool": "ForkJoinPool-1-worker", "carriers": "2", "waiting_virtual_threads": "10"},
  "evidence": {"input": "threads.json", "line": $json_first, "contains": "ForkJoinPool-1-worker-"},
  "also": {"input": "jstack.txt", "line": $first, "cause": "jvm_carrier_starvation"},
  "dumps": 1,
  "form": "jcmd PID Thread.dump_to_file -format=json, its text form (threads.txt) and jstack -l PID (JDK 25)",
  "how": "12 virtual threads run a CPU-bound loop on a scheduler limited to 2 carriers: 2 run forever, 10 are runnable and never get a carrier."
}
EOF
}

case_net_errors() {
  # Real exception lines for the rule pack's examples (not a sample of its own).
  setup_net
  printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$NX_DNS" >"/etc/netns/$CNS/resolv.conf"
  ip netns exec "$SNS" "$PY" "$SAMPLES/scripts/dnsserver.py" --listen "$NX_DNS" --rule '*=nxdomain' >"$SCRATCH/dns.out" 2>&1 &
  PIDS+=($!)
  sleep 1
  ip netns exec "$CNS" "$JDK17/bin/java" -cp "$SCRATCH/classes17" NetErrors \
    lookup:nosuch.fl-jvm.internal connect:127.0.0.1:1 "connect:$DEAD_HOST:8080" read | tee "$HERE/net-errors.txt"
}

if [ "${1:-}" = "--list" ]; then printf '%s\n' "${ALL_CASES[@]}"; exit 0; fi
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces)" >&2; exit 1; }
mkdir -p "$SCRATCH"
compile
CASES=("$@")
[ ${#CASES[@]} -eq 0 ] && CASES=("${ALL_CASES[@]}")
for c in "${CASES[@]}"; do
  log "$c"
  [ "$c" = net-errors ] || mkdir -p "$OUT/$c"
  "case_${c//-/_}"
done
