#!/usr/bin/env bash
# Regenerate the samples where a DNS capture and a log must be read together
# (Samples/dns/<case>/): a capture busy with someone else's DNS beside a log's own
# failure, a resolver whose port is closed, a lookup timed out by the dialer,
# several names failing at one resolver, passing tests that print real lookup
# time-outs while their DNS is captured.
#
#   sudo Samples/scripts/make-dns-samples.sh            # every case
#   sudo Samples/scripts/make-dns-samples.sh go-lookup-timeout
#   Samples/scripts/make-dns-samples.sh --list
#
# Needs root, Go 1.19 (golang-go), npm, python3, tcpdump, iproute2, glibc's getent.
# Every packet stays inside two network namespaces created here (fl-dns-c,
# fl-dns-s) joined by one veth pair; neither has a route to the host or the
# internet. Scratch state lives in $FL_DNS_SCRATCH (default /tmp/fl-dns-samples).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES=$(dirname "$HERE")
OUT=$SAMPLES/dns
SCRATCH=${FL_DNS_SCRATCH:-/tmp/fl-dns-samples}
PY=$(python3 -c 'import sys; print(sys.executable)')
GOROOT_BIN=$(dirname "$(readlink -f "$(command -v go)")")
NODE_BIN=$(dirname "$(readlink -f "$(command -v node)")")
NPM_BIN=$(dirname "$(command -v npm)")

CNS=fl-dns-c             # the clients run here
SNS=fl-dns-s             # DNS, module proxy and registry run here
CIF=fl-dns-c0
SIF=fl-dns-s0
CLIENT_IP=10.95.0.2
SERVER_IP=10.95.0.1      # module proxy :8080 (go), registry :8081 (npm)
DNS_IP=10.95.0.53        # dnsserver.py
CLOSED_DNS=10.95.0.54    # an address of fl-dns-s where nothing listens on 53: ICMP port unreachable
DEAD_NET=10.95.1.0/24    # routed into fl-dns-s, blackhole there: silent drop
DEAD_DNS=10.95.1.53      # a resolver that never answers

ALL_CASES=(
  proxy-403-search-noise go-lookup-timeout npm-resolver-port-closed go-servfail-several-hosts
  go-test-passed-lookup-timeout go-test-passed-quiet
)

# shellcheck source=netns-lib.sh
. "$HERE/netns-lib.sh"

setup_net() {
  netns_pair
  local c="ip netns exec $CNS" s="ip netns exec $SNS"
  $c ip route add "$DEAD_NET" via "$SERVER_IP"          # and no default route
  $s ip addr add "$DNS_IP/32" dev "$SIF"
  $s ip addr add "$CLOSED_DNS/32" dev "$SIF"
  $s ip route add blackhole "$DEAD_NET"
  $s sysctl -qw net.ipv4.icmp_ratelimit=0
}

# new_case NAME: fresh scratch $W, output $D, Go's and npm's environments.
new_case() {
  CASE=$1
  W=$SCRATCH/$CASE
  D=$OUT/$CASE
  rm -rf "$W"
  mkdir -p "$W"/{home,gopath,gocache,npmcache} "$D"
  rm -f "$D"/build.log "$D"/dns.pcap "$D"/expected.json
  GOENV=(HOME="$W/home" GOPATH="$W/gopath" GOMODCACHE="$W/gopath/pkg/mod" GOCACHE="$W/gocache"
         PATH="$GOROOT_BIN:/usr/local/bin:/usr/bin:/bin" TMPDIR=/tmp
         GOPROXY=http://proxy.golang.org:8080 GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0)
  NPMENV=(HOME="$W/home" PATH="$NODE_BIN:$NPM_BIN:/usr/local/bin:/usr/bin:/bin"
          npm_config_registry=http://registry.npmjs.org:8081/ npm_config_cache="$W/npmcache"
          npm_config_fetch_retries=0 npm_config_fetch_timeout=3000 npm_config_update_notifier=false)
  NS_PREFIX=()
  PRELUDE=""
  RUNAS=""
  resolv "nameserver $DNS_IP" "options timeout:1 attempts:2"
  log "$CASE"
}

build() { run_steps wrap.py "$@"; }
expect() { "$PY" "$HERE/mkexpected.py" --dir "$D" "$@"; }

# The fetch tool (dnsprojects/fetch), built outside the namespaces.
fetch_tool() {
  [ -x "$SCRATCH/bin/fetch" ] && return
  mkdir -p "$SCRATCH/bin"
  (cd "$HERE/dnsprojects/fetch" && env HOME="$SCRATCH" GOCACHE="$SCRATCH/gocache" GOPATH="$SCRATCH/gopath" \
     GOPROXY=off CGO_ENABLED=0 go build -o "$SCRATCH/bin/fetch" .)
}

# ---------------------------------------------------------------- cases
case_proxy_403_search_noise() {
  new_case proxy-403-search-noise
  APP=$W/src
  cp -r "$HERE/goproject" "$APP"
  # A monitoring agent on the same host resolves its short service names through
  # its own search list (glibc's LOCALDOMAIN and RES_OPTIONS, as a pod's resolv.conf
  # would give it): NXDOMAIN for each suffixed try until one answers (vault: the bare name).
  start_dns proxy.golang.org=a:$SERVER_IP metrics-agent.corp.example=a:$SERVER_IP \
    otel-collector.corp.example=a:$SERVER_IP vault=a:$SERVER_IP
  start_server proxy goproxy.py --modroot "$HERE/modules" --listen $SERVER_IP:8080 --fail 403 --fail-suffix .zip \
    --fail-type "application/xml; charset=UTF-8" \
    --fail-body "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Access denied.</Message></Error>"
  PRELUDE="( for round in 1 2; do for n in metrics-agent otel-collector vault; do
      LOCALDOMAIN='monitoring.prod.corp.example prod.corp.example corp.example' RES_OPTIONS='ndots:5' getent ahosts \$n; sleep 0.2;
    done; done ) >/dev/null 2>&1 &
    sleep 0.5"
  RUN_ENV=("${GOENV[@]}")
  build bare "go mod download"
  expect --cause proxy_forbidden --contains "403 Forbidden" --subject module=example.com/fl/greeting \
    --subject version=v1.0.0 --subject status=403 --wrapper bare \
    --how "The proxy answers 403 for the module zip while another process on the host (getent with its own search list, ndots:5) walks its search list for three names the log never mentions: NXDOMAIN for each suffixed try, then an answer. The capture's NXDOMAINs are not the failure."
}

case_go_lookup_timeout() {
  new_case go-lookup-timeout
  fetch_tool
  APP=$W
  # The resolver never answers and resolv.conf lets each try wait 5 s; the dialer gives
  # up after 2 s, lookup included: Go says `lookup HOST: i/o timeout`, naming no resolver.
  resolv "nameserver $DEAD_DNS" "options timeout:5 attempts:2"
  RUN_ENV=(HOME="$W/home" PATH=/usr/bin:/bin)
  build bare "$SCRATCH/bin/fetch -dial-timeout 2s http://proxy.golang.org:8080/example.com/fl/greeting/@v/list"
  expect --cause dns_server_unreachable --contains "lookup proxy.golang.org: i/o timeout" --subject host=proxy.golang.org \
    --wrapper bare \
    --how "resolv.conf names $DEAD_DNS (black-holed) with timeout:5; the client's dialer gives up after 2 s while the lookup still waits, so Go prints 'dial tcp: lookup proxy.golang.org: i/o timeout' without the resolver; the capture shows which resolver never answered."
}

case_npm_resolver_port_closed() {
  new_case npm-resolver-port-closed
  APP=$W/app
  cp -r "$HERE/npmproject" "$APP"
  # The resolver's address answers, but nothing listens on port 53: every query comes
  # back as ICMP port unreachable and glibc gives up with EAI_AGAIN.
  resolv "nameserver $CLOSED_DNS" "options timeout:1 attempts:2"
  RUN_ENV=("${NPMENV[@]}")
  build bare "npm install"
  expect --cause dns_server_unreachable --contains "getaddrinfo EAI_AGAIN" --subject host=registry.npmjs.org --wrapper bare \
    --how "resolv.conf names $CLOSED_DNS, an address of the server namespace where nothing listens on port 53: each query gets ICMP port unreachable, npm says EAI_AGAIN and names no resolver; the capture names it."
}

case_go_servfail_several_hosts() {
  new_case go-servfail-several-hosts
  fetch_tool
  APP=$W
  start_dns '*.corp.example=servfail'
  RUN_ENV=(HOME="$W/home" PATH=/usr/bin:/bin)
  build bare "$SCRATCH/bin/fetch http://git.corp.example/health http://artifacts.corp.example/health http://proxy.corp.example:3128/health"
  expect --cause dns_servfail --contains "server misbehaving" --subject host=git.corp.example --subject-re "nameserver=on (\\S+):" \
    --wrapper bare \
    --how "The resolver answers SERVFAIL for every name under corp.example (its forwarder for the internal zone is gone); three hosts fail the same way at the same resolver: one incident."
}

# go test in dnsprojects/gotest: a test that resolves through the system resolver
# (black-holed), prints the time-out with fmt and passes.
go_test_case() {  # NAME, go test arguments...
  new_case "$1"
  shift
  APP=$W/src
  cp -r "$HERE/dnsprojects/gotest" "$APP"
  resolv "nameserver $DEAD_DNS" "options timeout:1 attempts:2"
  RUN_ENV=("${GOENV[@]}" GOPROXY=off)
  build bare "go test -count=1 $*"
}

case_go_test_passed_lookup_timeout() {
  go_test_case go-test-passed-lookup-timeout -v ./...
  expect --verdict success --cause none --wrapper bare \
    --how "go test -v: the test resolves proxy.golang.org through a resolver that never answers, prints the real 'lookup … i/o timeout' between === RUN and --- PASS, and passes; the capture shows the unanswered queries. Nothing failed."
}

case_go_test_passed_quiet() {
  go_test_case go-test-passed-quiet   # local directory mode: the test binary's output is shown
  expect --verdict success --cause none --wrapper bare \
    --how "go test without -v in the package's folder: the passing test's printed 'lookup … i/o timeout' is followed by 'ok'; the capture shows the unanswered queries. Nothing failed."
}

# ---------------------------------------------------------------- main
run_cases "network namespaces" "$@"
