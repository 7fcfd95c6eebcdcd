# Shared by the sample makers (make-go-samples.sh, make-npm-samples.sh,
# make-dns-samples.sh, jvm/scripts/make-jvm-samples.sh): two network namespaces joined by one veth
# pair and nothing else — no route to the host or the internet — plus the
# servers, captures and waits every case uses. Source it after setting:
#
#   CNS SNS      client and server namespace names
#   CIF SIF      the veth ends inside them
#   CLIENT_IP SERVER_IP   addresses on the /24 the pair shares
#   HERE PY      the scripts' folder and the python3 to run dnsserver.py with
#
# and, per case, W (scratch folder), D (output folder) and CASE.

PIDS=()
TCPDUMP_PID=

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# Stops what runs and removes the namespaces (an EXIT trap).
cleanup() {
  set +e
  [ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.3
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  ip netns del "$CNS" 2>/dev/null
  ip netns del "$SNS" 2>/dev/null
  rm -rf "/etc/netns/$CNS"
  rmdir /etc/netns 2>/dev/null
}

# The two namespaces, the veth pair, the addresses; IPv6 off; the server
# forwards (into the black holes the scripts route to it). Each script adds
# its own routes and extra addresses after this.
netns_pair() {
  ip netns del "$CNS" 2>/dev/null || true
  ip netns del "$SNS" 2>/dev/null || true
  ip netns add "$CNS"
  ip netns add "$SNS"
  ip link add "$CIF" netns "$CNS" type veth peer name "$SIF" netns "$SNS"
  local c="ip netns exec $CNS" s="ip netns exec $SNS"
  $c ip link set lo up
  $c ip addr add "$CLIENT_IP/24" dev "$CIF"
  $c ip link set "$CIF" up
  $c sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  $s ip link set lo up
  $s ip addr add "$SERVER_IP/24" dev "$SIF"
  $s ip link set "$SIF" up
  $s sysctl -qw net.ipv4.ip_forward=1
  $s sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  mkdir -p "/etc/netns/$CNS"
}

# resolv LINE...: the client namespace's /etc/resolv.conf.
resolv() { printf '%s\n' "$@" > "/etc/netns/$CNS/resolv.conf"; }

# wait_for FILE PATTERN: until FILE holds PATTERN (WAIT_TENTHS tenths of a second, default 5 s).
wait_for() {
  for _ in $(seq "${WAIT_TENTHS:-50}"); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2 2>/dev/null; return 1
}

# start_server NAME SCRIPT ARG...: one of our Python servers in the server namespace, logging to
# $W/NAME-server.log; returns once it says it is listening.
start_server() {
  local name=$1 script=$2
  shift 2
  ip netns exec "$SNS" "$PY" "$HERE/$script" --log "$W/$name-server.log" "$@" &
  PIDS+=($!)
  wait_for "$W/$name-server.log" listening
}

# start_dns RULE...: dnsserver.py on $DNS_IP in the server namespace.
start_dns() {
  local args=() r
  for r in "$@"; do args+=(--rule "$r"); done
  start_server dns dnsserver.py --listen "$DNS_IP" "${args[@]}"
}

stop_servers() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
}

# start_capture / stop_capture: tcpdump -n on the client's veth end (DNS and ICMP),
# copied to $D/dns.pcap when it saw anything.
start_capture() {
  ip netns exec "$CNS" tcpdump -n -i "$CIF" --immediate-mode -U -w "$W/dns.pcap" 'udp port 53 or tcp port 53 or icmp' 2>"$W/tcpdump.err" &
  TCPDUMP_PID=$!
  wait_for "$W/tcpdump.err" "listening on"
}

stop_capture() {
  sleep 0.5                          # late answers still belong to the run
  kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" 2>/dev/null || true
  TCPDUMP_PID=
  local n
  n=$(tcpdump -n -r "$W/dns.pcap" 2>/dev/null | wc -l)
  if [ "$n" -gt 0 ]; then cp "$W/dns.pcap" "$D/dns.pcap"; fi
  log "$CASE: $n DNS packets captured"
}

# run_steps WRAPPER FORMAT STEP...: writes $W/run.sh — PRELUDE as root, then `cd $APP` and
# each step under `env -i "${RUN_ENV[@]}"` (as RUNAS, inside NS_PREFIX) — and runs the steps
# in the client namespace through WRAPPER (wrap.py, wrap-npm.py), which writes $D/build.log
# in FORMAT's envelope, while DNS is captured; then stops the servers.
run_steps() {
  local wrapper=$1 fmt=$2; shift 2
  local steps=() s
  for s in "$@"; do steps+=(--step "$s"); done
  {
    echo '#!/bin/sh'
    echo 'set -e'
    printf '%s\n' "$PRELUDE"
    printf 'cd %q\n' "$APP"
    printf 'exec %s env -i' "$RUNAS"
    printf ' %q' "${RUN_ENV[@]}"
    printf ' /bin/sh -c "$1"\n'
  } > "$W/run.sh"
  start_capture
  "$PY" "$HERE/$wrapper" --format "$fmt" --out "$D/build.log" "${steps[@]}" "${WRAP_ENV[@]}" -- \
    ip netns exec "$CNS" "${NS_PREFIX[@]}" /bin/sh "$W/run.sh" >/dev/null || true
  stop_capture
  stop_servers
  WRAP_ENV=()
}
WRAP_ENV=()

# run_cases WHY [CASE...]: the sample makers' command line. `--list` prints ALL_CASES;
# otherwise, as root (WHY says what for), checks every case name, sets the network up
# (the maker's setup_net), runs each case_NAME in order (all of ALL_CASES when none is
# named), and tears everything down on exit.
run_cases() {
  local why=$1; shift
  if [ "${1:-}" = "--list" ]; then printf '%s\n' "${ALL_CASES[@]}"; exit 0; fi
  [ "$(id -u)" = 0 ] || { echo "run as root ($why)" >&2; exit 1; }
  local cases=("$@") c
  [ ${#cases[@]} -gt 0 ] || cases=("${ALL_CASES[@]}")
  for c in "${cases[@]}"; do
    declare -F "case_${c//-/_}" >/dev/null || { echo "unknown case: $c (try --list)" >&2; exit 2; }
  done
  trap cleanup EXIT
  setup_net
  mkdir -p "$OUT" "$SCRATCH"
  for c in "${cases[@]}"; do "case_${c//-/_}"; done
  log "done: ${cases[*]}"
}
