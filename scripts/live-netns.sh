#!/usr/bin/env bash
# A real `go mod download` or `npm install` failing under `faultline run
# --capture`, inside a network namespace whose only resolver is unreachable
# (tests: LiveCaptureTests).
#
#   scripts/live-netns.sh go|npm FAULTLINE REPORT.json [PCAP]
#
# Two namespaces joined by one veth pair and nothing else — no route to the
# host or the internet: the client's resolv.conf names 10.77.1.53, routed to
# the other end, which blackholes it, so every DNS query goes unanswered.
# Needs root, iproute2 and golang-go or npm; everything is removed on exit. Exits
# with faultline's status (the tool's own: 1).
set -euo pipefail
TOOL=$1
FAULTLINE=$2
REPORT=$3
PCAP=${4:-}
id=$$
CNS=fl-live-c-$id
SNS=fl-live-s-$id
CIF=flc$id
SIF=fls$id
W=$(mktemp -d /tmp/fl-live-go.XXXXXX)

cleanup() {
  set +e
  ip netns del "$CNS" 2>/dev/null
  ip netns del "$SNS" 2>/dev/null
  rm -rf "/etc/netns/$CNS" "$W"
  rmdir /etc/netns 2>/dev/null
  true
}
trap cleanup EXIT

ip netns add "$CNS"
ip netns add "$SNS"
ip link add "$CIF" netns "$CNS" type veth peer name "$SIF" netns "$SNS"
c="ip netns exec $CNS"
s="ip netns exec $SNS"
$c ip link set lo up
$c ip addr add 10.77.0.2/24 dev "$CIF"
$c ip link set "$CIF" up
$c sysctl -qw net.ipv6.conf.all.disable_ipv6=1
$c ip route add 10.77.1.0/24 via 10.77.0.1           # and no default route
$s ip link set lo up
$s ip addr add 10.77.0.1/24 dev "$SIF"
$s ip link set "$SIF" up
$s sysctl -qw net.ipv6.conf.all.disable_ipv6=1
$s ip route add blackhole 10.77.1.0/24               # the resolver's queries vanish here
mkdir -p "/etc/netns/$CNS"
printf 'nameserver 10.77.1.53\noptions timeout:1 attempts:1\n' > "/etc/netns/$CNS/resolv.conf"

mkdir -p "$W/mod" "$W/home"
cd "$W/mod"
keep=()
[ -n "$PCAP" ] && keep=(--pcap "$PCAP")
set +e
case "$TOOL" in
go)
  cat > go.mod <<'MOD'
module example.com/live

go 1.19

require example.com/fl/greeting v1.0.0
MOD
  $c env -i PATH="$PATH" HOME="$W/home" GOPATH="$W/gopath" GOCACHE="$W/cache" GOFLAGS=-mod=mod \
    GOPROXY=http://proxy.golang.org:8080 GOSUMDB=off GOTOOLCHAIN=local GO111MODULE=on \
    "$FAULTLINE" run --capture "$CIF" "${keep[@]}" --report "$REPORT" --format json --status lines -- go mod download
  ;;
npm)
  printf '{"name":"live","version":"1.0.0","private":true,"dependencies":{"fl-greeting":"1.0.0"}}\n' > package.json
  $c env -i PATH="$PATH" HOME="$W/home" npm_config_cache="$W/npm-cache" npm_config_update_notifier=false \
    "$FAULTLINE" run --capture "$CIF" "${keep[@]}" --report "$REPORT" --format json --status lines -- \
    npm install --no-audit --no-fund --registry http://registry.npmjs.org:8080/ --fetch-retries=0 --fetch-timeout=4000
  ;;
*) echo "live-netns.sh: go or npm, not $TOOL" >&2; exit 2 ;;
esac
status=$?
set -e
cd /
exit "$status"
