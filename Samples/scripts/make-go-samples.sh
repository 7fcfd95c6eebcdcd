#!/usr/bin/env bash
# Regenerate Faultline's real Go build-failure samples (Samples/go/<case>/).
#
#   sudo Samples/scripts/make-go-samples.sh            # every case
#   sudo Samples/scripts/make-go-samples.sh dns-nxdomain proxy-403   # some cases
#   Samples/scripts/make-go-samples.sh --list
#
# Needs root, Go 1.19 (golang-go), python3, tcpdump, iproute2, util-linux
# (unshare, setpriv), git.  Every packet stays inside two network namespaces
# created here (fl-client, fl-server) and joined by one veth pair; neither has
# a route to the host or the internet.  Scratch state lives in
# $FL_SCRATCH (default /tmp/fl-samples); namespaces, servers and captures are
# torn down on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES=$(dirname "$HERE")
OUT=$SAMPLES/go
SCRATCH=${FL_SCRATCH:-/tmp/fl-samples}
PY=$(python3 -c 'import sys; print(sys.executable)')
GOROOT_BIN=$(dirname "$(readlink -f "$(command -v go)")")

CNS=fl-client            # the build runs here
SNS=fl-server            # DNS, module proxy and git server run here
CIF=fl-c                 # veth end in fl-client
SIF=fl-s                 # veth end in fl-server
CLIENT_IP=10.99.0.2      # fl-c, in fl-client
SERVER_IP=10.99.0.1      # fl-s, in fl-server: module proxy :8080, git/vcs :80
DNS_IP=10.99.0.53        # extra address on fl-s: the DNS responder
WRONG_IP=10.99.0.77      # extra address on fl-s with nothing listening (RST)
DEAD_NET=10.99.1.0/24    # routed into fl-server, blackhole route there: silent drop
DEAD_DNS=10.99.1.53      # "unreachable resolver"
DEAD_HOST=10.99.1.80     # "SYNs vanish"
PROHIB_NET=10.99.2.0/24  # routed into fl-server, "prohibit" route there: ICMP admin prohibited
NOROUTE_DNS=10.99.2.53   # resolver behind a router/firewall that rejects with ICMP
PROXY_URL=http://proxy.golang.org:8080

ALL_CASES=(
  healthy healthy-buildkit healthy-noisy-dns
  dns-unreachable dns-noroute dns-nxdomain dns-servfail dns-refused dns-slow dns-search-expansion
  connection-refused connection-timeout tls-untrusted http-proxy-misconfigured
  proxy-401 proxy-403 proxy-500 proxy-502 module-404 module-410
  unknown-revision unknown-revision-direct private-repo-auth
  checksum-mismatch missing-gosum malformed-path gomod-missing gopath-mode
  cache-readonly cache-permission disk-full
  private-repo-auth-podman dns-unreachable-logger
)

# shellcheck source=netns-lib.sh
. "$HERE/netns-lib.sh"

setup_net() {
  netns_pair
  local c="ip netns exec $CNS" s="ip netns exec $SNS"
  $c ip route add "$DEAD_NET" via "$SERVER_IP"          # and no default route
  $c ip route add "$PROHIB_NET" via "$SERVER_IP"
  $c sysctl -qw net.ipv4.tcp_syn_retries=2                # a dropped SYN fails in ~7 s
  $s ip addr add "$DNS_IP/32" dev "$SIF"
  $s ip addr add "$WRONG_IP/32" dev "$SIF"
  # fl-server "routes" for the client but has nowhere to send anything:
  $s ip route add blackhole "$DEAD_NET"                   # silently discarded
  $s ip route add prohibit "$PROHIB_NET"                  # ICMP "admin prohibited" back to the client
  $s sysctl -qw net.ipv4.icmp_ratelimit=0                 # ... for every packet
}

# ---------------------------------------------------------------- helpers
start_proxy() { start_server proxy goproxy.py --modroot "$HERE/modules" "$@"; }  # goproxy.py options...

# new_case NAME: fresh scratch dir $W with the project copied to $APP, and a
# clean output folder $D.  Go's environment starts from GOENV.
new_case() {
  CASE=$1
  W=$SCRATCH/$CASE
  D=$OUT/$CASE
  if [ -d "$W" ]; then chmod -R u+w "$W" 2>/dev/null || true; umount -q "$W/gopath/pkg/mod" 2>/dev/null || true; rm -rf "$W"; fi
  mkdir -p "$W"/{home,gopath,gocache} "$D"
  rm -f "$D"/build.log "$D"/dns.pcap "$D"/expected.json
  APP=$W/src
  cp -r "$HERE/goproject" "$APP"
  GOENV=(HOME="$W/home" GOPATH="$W/gopath" GOMODCACHE="$W/gopath/pkg/mod" GOCACHE="$W/gocache"
         PATH="$GOROOT_BIN:/usr/local/bin:/usr/bin:/bin" TMPDIR=/tmp
         GOPROXY="$PROXY_URL" GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0)
  NS_PREFIX=()      # e.g. (unshare -m) in front of the runner inside fl-client
  PRELUDE=""        # shell run (as root) inside the client namespace before the step
  RUNAS=""          # e.g. "setpriv --reuid=65534 ..."
  resolv "nameserver $DNS_IP" "options timeout:1 attempts:2"
  log "$CASE"
}

# build FORMAT STEP... : run the steps in fl-client through wrap.py, capture DNS.
build() {
  RUN_ENV=("${GOENV[@]}")
  run_steps wrap.py "$@"
}

expect() { "$PY" "$HERE/mkexpected.py" --dir "$D" "$@"; }

# A bare git repo of example.com/fl/<name> (tag v1.0.0) for dumb-HTTP serving.
make_git_repo() {  # NAME
  local name=$1 src=$W/gitsrc/$1
  mkdir -p "$src" "$W/git"
  cp -r "$HERE/modules/example.com/fl/greeting/v1.0.0/." "$src/"
  sed -i "s#example.com/fl/greeting#example.com/fl/$name#" "$src/go.mod"
  (cd "$src" && git init -q -b main && git -c user.name=fl -c user.email=fl@example.com add . \
     && git -c user.name=fl -c user.email=fl@example.com commit -qm "v1.0.0" && git tag v1.0.0)
  git clone -q --bare "$src" "$W/git/$name.git"
  git -C "$W/git/$name.git" update-server-info
}

NS="nameserver=on (\\S+):"   # regex: the resolver as Go prints it, e.g. 10.99.0.53:53

# ---------------------------------------------------------------- cases
case_healthy() {
  new_case healthy
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  build bare "go mod download -x" "go build -o app ." "./app"
  expect --verdict success --cause none --wrapper bare \
    --how "Module proxy and DNS answer correctly; go mod download -x, go build and the binary all succeed."
}

case_healthy_noisy_dns() {
  new_case healthy-noisy-dns
  # A Kubernetes-style resolv.conf: every name is first tried with three search
  # suffixes (NXDOMAIN each, A and AAAA) before the bare name resolves.
  resolv "search default.svc.cluster.local svc.cluster.local cluster.local" "nameserver $DNS_IP" "options ndots:5 timeout:1 attempts:2"
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  build bare "go mod download -x" "go build -o app ." "./app"
  expect --verdict success --cause none --wrapper bare \
    --how "ndots:5 with three search domains: the capture is full of NXDOMAIN for proxy.golang.org.<suffix> before the bare name answers; the build succeeds, so nothing failed."
}

case_healthy_buildkit() {
  new_case healthy-buildkit
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  build buildkit "go mod download" "go build -o app ."
  expect --verdict success --cause none --wrapper buildkit \
    --how "Same healthy proxy; both RUN steps of the sample Dockerfile succeed (BuildKit envelope written by wrap.py)."
}

case_dns_unreachable() {
  new_case dns-unreachable
  resolv "nameserver $DEAD_DNS" "options timeout:1 attempts:2"
  start_proxy --listen $SERVER_IP:8080
  build buildkit "go mod download"
  expect --cause dns_server_unreachable --contains "i/o timeout" --subject host=proxy.golang.org \
    --subject-re "$NS" --wrapper buildkit \
    --how "resolv.conf names $DEAD_DNS, an address routed into fl-server which silently drops it, so every query times out."
}

case_dns_noroute() {
  new_case dns-noroute
  resolv "nameserver $NOROUTE_DNS" "options timeout:1 attempts:2"
  start_proxy --listen $SERVER_IP:8080
  build docker-legacy "go mod download"
  expect --cause dns_server_unreachable --contains "proxy.golang.org on" --subject host=proxy.golang.org \
    --subject-re "$NS" --wrapper docker-legacy \
    --how "resolv.conf names $NOROUTE_DNS; the router (fl-server) has a prohibit route for it and answers each query with ICMP host unreachable (admin prohibited), like a firewall REJECT."
}

case_dns_nxdomain() {
  new_case dns-nxdomain
  start_dns 'proxy.golang.org=nxdomain'
  start_proxy --listen $SERVER_IP:8080
  build bare "go mod download"
  expect --cause dns_nxdomain --contains "no such host" --subject host=proxy.golang.org \
    --subject-re "$NS" --wrapper bare \
    --how "The DNS responder answers NXDOMAIN for proxy.golang.org (A and AAAA)."
}

case_dns_servfail() {
  new_case dns-servfail
  start_dns 'proxy.golang.org=servfail'
  start_proxy --listen $SERVER_IP:8080
  WRAP_ENV=(--env "GOPROXY=$PROXY_URL" --env "GOFLAGS=-mod=mod")
  build github-actions "go mod download"
  expect --cause dns_servfail --contains "server misbehaving" --subject host=proxy.golang.org \
    --subject-re "$NS" --wrapper github-actions \
    --how "The DNS responder answers SERVFAIL for proxy.golang.org; GitHub Actions timestamps added as lines arrived."
}

case_dns_refused() {
  new_case dns-refused
  start_dns 'proxy.golang.org=refused'
  start_proxy --listen $SERVER_IP:8080
  build bare "go mod download"
  expect --cause dns_refused --log-only-cause dns_servfail --contains "proxy.golang.org on" --subject host=proxy.golang.org \
    --subject-re "$NS" --wrapper bare \
    --how "The DNS responder answers REFUSED for every query; Go words it like SERVFAIL, only the capture shows REFUSED."
}

case_dns_slow() {
  new_case dns-slow
  start_dns "proxy.golang.org=delay:1.4:a:$SERVER_IP"
  start_proxy --listen $SERVER_IP:8080
  build bare "go mod download"
  expect --cause dns_slow --log-only-cause dns_server_unreachable --contains "i/o timeout" --subject host=proxy.golang.org \
    --subject-re "$NS" --wrapper bare \
    --how "The DNS responder answers correctly but 1.4 s late, after the client's 1 s timeout (timeout:1 attempts:2); the capture shows the late answers."
}

case_dns_search_expansion() {
  new_case dns-search-expansion
  resolv "search corp.example svc.corp.example" "nameserver $DNS_IP" "options ndots:5 timeout:1 attempts:2"
  start_dns "*.corp.example=a:$WRONG_IP" "proxy.golang.org=a:$SERVER_IP"
  start_proxy --listen $SERVER_IP:8080
  build bare "go mod download"
  expect --cause dns_search_expansion --log-only-cause connection_refused --contains "connection refused" --subject host=proxy.golang.org --subject-re "url=Get \"([^\"]+)\"" \
    --wrapper bare \
    --how "ndots:5 makes Go try proxy.golang.org.corp.example first; a wildcard *.corp.example answers $WRONG_IP (nothing listens), so the log says connection refused while the cause is DNS (see dns.pcap)."
}

case_connection_refused() {
  new_case connection-refused
  start_dns proxy.golang.org=a:$SERVER_IP
  build buildkit "go mod download"        # no proxy server: port 8080 closed
  expect --cause connection_refused --contains "connection refused" --subject host=proxy.golang.org \
    --subject-re "url=Get \"([^\"]+)\"" --wrapper buildkit \
    --how "proxy.golang.org resolves to $SERVER_IP but nothing listens on port 8080, so the connect gets a RST."
}

case_connection_timeout() {
  new_case connection-timeout
  start_dns proxy.golang.org=a:$DEAD_HOST
  build bare "go mod download"
  expect --cause connection_timeout --contains "dial tcp $DEAD_HOST" --subject host=proxy.golang.org \
    --subject-re "url=Get \"([^\"]+)\"" --wrapper bare \
    --how "proxy.golang.org resolves to $DEAD_HOST, routed into fl-server which drops it; SYNs go unanswered (tcp_syn_retries=2 in the client)."
}

case_tls_untrusted() {
  new_case tls-untrusted
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/O=Intercepting Proxy Inc/CN=proxy.golang.org" \
    -addext "subjectAltName=DNS:proxy.golang.org" -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8443 --tls "$W/cert.pem,$W/key.pem"
  GOENV+=(GOPROXY=https://proxy.golang.org:8443)
  build bare "go mod download"
  expect --cause tls_untrusted_certificate --contains "x509:" --subject host=proxy.golang.org \
    --subject-re "url=Get \"([^\"]+)\"" --wrapper bare \
    --how "GOPROXY is https://proxy.golang.org:8443, served with a self-signed certificate (as by a TLS-intercepting proxy) that the system trust store does not contain."
}

case_http_proxy_misconfigured() {
  new_case http-proxy-misconfigured
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  GOENV+=(HTTP_PROXY=http://127.0.0.1:3128 HTTPS_PROXY=http://127.0.0.1:3128)
  build bare "go mod download"
  expect --cause http_proxy_misconfigured --contains "proxyconnect" \
    --subject-re "url=Get \"([^\"]+)\"" --wrapper bare \
    --how "HTTP_PROXY points at 127.0.0.1:3128 where no proxy runs (a host proxy address copied into a container); no DNS query is made."
}

case_proxy_401() {
  new_case proxy-401
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --fail 401 --fail-body "unauthorized: authentication required\n"
  build bare "go mod download"
  expect --cause registry_auth_required --contains "401 Unauthorized" --subject module=example.com/fl/greeting \
    --subject version=v1.0.0 --subject status=401 --subject-re 'url=reading (\S+):' --wrapper bare \
    --how "The module proxy answers 401 to every request (a private proxy that wants credentials)."
}

case_proxy_403() {
  new_case proxy-403
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --fail 403 --fail-suffix .zip --fail-type "application/xml; charset=UTF-8" \
    --fail-body "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Access denied.</Message></Error>"
  build buildkit "go mod download"
  expect --cause proxy_forbidden --contains "403 Forbidden" --subject module=example.com/fl/greeting \
    --subject version=v1.0.0 --subject status=403 --subject-re 'url=reading (\S+):' --wrapper buildkit \
    --how "The proxy serves .info and .mod but answers 403 (an XML storage error body) for the .zip, like an egress policy on the zip bucket."
}

case_proxy_500() {
  new_case proxy-500
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --fail 500 \
    --fail-body "internal error: upstream fetch failed: dial tcp: lookup github.com: i/o timeout\n"
  WRAP_ENV=(--env "GOPROXY=$PROXY_URL")
  build github-actions "go mod download"
  expect --cause proxy_server_error --contains "500 Internal Server Error" --subject module=example.com/fl/greeting \
    --subject version=v1.0.0 --subject status=500 --subject-re 'url=reading (\S+):' --wrapper github-actions \
    --how "The module proxy answers 500 with a text/plain body (an Athens-style upstream failure) to every request."
}

case_proxy_502() {
  new_case proxy-502
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --fail 502 --fail-type "text/html" \
    --fail-body "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
  build gitlab "go mod download"
  expect --cause proxy_server_error --contains "502 Bad Gateway" --subject module=example.com/fl/greeting \
    --subject version=v1.0.0 --subject status=502 --subject-re 'url=reading (\S+):' --wrapper gitlab \
    --how "An nginx-style 502 (text/html body, so Go prints no server response) for every proxy request; GitLab CI envelope."
}

case_module_404() {
  new_case module-404
  sed -i 's#example.com/fl/greeting v1.0.0#example.com/fl/nosuch v1.0.0#' "$APP/go.mod"
  sed -i 's#"example.com/fl/greeting"#greeting "example.com/fl/nosuch"#' "$APP/main.go"
  : > "$APP/go.sum"
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 \
    --missing-body 'not found: {module}@{version}: unrecognized import path "{module}": reading https://{module}?go-get=1: 404 Not Found'
  build bare "go mod download -x"
  expect --cause module_not_found --contains "nosuch@v1.0.0: reading http" --subject module=example.com/fl/nosuch \
    --subject version=v1.0.0 --subject status=404 --subject-re 'url=reading (\S+): 404' --wrapper bare \
    --how "go.mod requires example.com/fl/nosuch, which the proxy does not have (404 with a text/plain reason); run with -x so the '# get' trace lines precede the error."
}

case_module_410() {
  new_case module-410
  sed -i 's#example.com/fl/greeting v1.0.0#example.com/fl/retired v1.2.0#' "$APP/go.mod"
  sed -i 's#"example.com/fl/greeting"#greeting "example.com/fl/retired"#' "$APP/main.go"
  : > "$APP/go.sum"
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --missing-status 410 \
    --missing-body 'not found: module {module}: git ls-remote -q origin in /tmp/gopath/pkg/mod/cache/vcs/3f0c: exit status 128:\n\tremote: Repository not found.\n\tfatal: repository '"'"'https://example.com/fl/retired/'"'"' not found'
  build docker-legacy "go mod download"
  expect --cause module_not_found --contains "410 Gone" --subject module=example.com/fl/retired \
    --subject version=v1.2.0 --subject status=410 --subject-re 'url=reading (\S+):' --wrapper docker-legacy \
    --how "go.mod requires example.com/fl/retired, which the proxy answers 410 Gone (old proxy.golang.org semantics) with a 'repository not found' body."
}

case_unknown_revision() {
  new_case unknown-revision
  sed -i 's#greeting v1.0.0#greeting v1.9.9#' "$APP/go.mod"
  : > "$APP/go.sum"
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --unknown-rev-status 410
  build bare "go mod download"
  expect --cause unknown_revision --contains "unknown revision v1.9.9" --subject module=example.com/fl/greeting \
    --subject version=v1.9.9 --wrapper bare \
    --how "go.mod requires example.com/fl/greeting v1.9.9; the proxy knows the module but not the version and answers 410 'unknown revision v1.9.9'."
}

case_unknown_revision_direct() {
  new_case unknown-revision-direct
  sed -i 's#greeting v1.0.0#greeting v1.9.9#' "$APP/go.mod"
  : > "$APP/go.sum"
  make_git_repo greeting
  start_dns example.com=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:80 --git-root "$W/git"
  GOENV+=(GOPROXY=direct GOINSECURE=example.com)
  build bare "go mod download"
  expect --cause unknown_revision --contains "unknown revision" --subject module=example.com/fl/greeting \
    --subject version=v1.9.9 --wrapper bare \
    --how "GOPROXY=direct: Go fetches the git repo (dumb HTTP, tag v1.0.0 only) and finds no v1.9.9 tag."
}

# The private module example.com/fl/private behind a git server that answers 401;
# GOPRIVATE sends Go to it directly.
private_repo_setup() {
  sed -i 's#example.com/fl/greeting v1.0.0#example.com/fl/private v1.0.0#' "$APP/go.mod"
  sed -i 's#"example.com/fl/greeting"#greeting "example.com/fl/private"#' "$APP/main.go"
  : > "$APP/go.sum"
  make_git_repo private
  start_dns example.com=a:$SERVER_IP proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:80 --git-root "$W/git" --auth-prefix /git/private.git
  GOENV+=(GOPRIVATE=example.com/fl/private GOINSECURE=example.com)
}

case_private_repo_auth() {
  new_case private-repo-auth
  private_repo_setup
  build bare "go mod download"
  expect --cause private_repo_auth --contains "terminal prompts disabled" --subject url=http://example.com --wrapper bare \
    --how "GOPRIVATE sends example.com/fl/private to git directly; the git server answers 401 and git may not prompt (GIT_TERMINAL_PROMPT=0)."
}

case_private_repo_auth_podman() {
  new_case private-repo-auth-podman
  private_repo_setup
  build podman "go mod download"
  expect --cause private_repo_auth --contains "terminal prompts disabled" --subject url=http://example.com \
    --context-subject module=example.com/fl/private --context-subject version=v1.0.0 --wrapper podman \
    --how "As private-repo-auth, inside a podman build envelope: git's message names only the host; the module is on Go's line above it."
}

case_dns_unreachable_logger() {
  new_case dns-unreachable-logger
  resolv "nameserver $DEAD_DNS" "options timeout:1 attempts:2"
  start_proxy --listen $SERVER_IP:8080
  build python-logging "go mod download"
  expect --cause dns_server_unreachable --contains "i/o timeout" --subject host=proxy.golang.org \
    --subject-re "$NS" --wrapper python-logging \
    --how "As dns-unreachable, run by a Python build service that logs every line through the logging module (time - logger - LEVEL - text)."
}

case_checksum_mismatch() {
  new_case checksum-mismatch
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --tamper
  build buildkit "go mod download"
  expect --cause checksum_mismatch --contains "checksum mismatch" --subject module=example.com/fl/greeting \
    --subject version=v1.0.0 --wrapper buildkit \
    --how "go.sum holds the real h1: hash of example.com/fl/greeting v1.0.0; the proxy serves a zip with an extra line in greeting.go."
}

case_missing_gosum() {
  new_case missing-gosum
  rm -f "$APP/go.sum"
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  GOENV+=(GOFLAGS=)
  WRAP_ENV=(--env "GOPROXY=$PROXY_URL")
  build github-actions "go build -o app ."
  expect --cause missing_gosum_entry --contains "missing go.sum entry" --subject module=example.com/fl/greeting --subject-re 'path=^\S+ (\S+?):\d+:\d+: missing' \
    --wrapper github-actions \
    --how "go.mod requires example.com/fl/greeting but go.sum was not committed; go build (default -mod=readonly) refuses."
}

case_malformed_path() {
  new_case malformed-path
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  build bare "go get foo/bar"
  expect --cause malformed_module_path --contains "malformed module path" --subject module=foo/bar --wrapper bare \
    --how "go get foo/bar inside the module: Go first loads the requirements (one .mod request to the proxy, hence the DNS traffic), then rejects foo/bar because its first element has no dot."
}

case_gomod_missing() {
  new_case gomod-missing
  rm -f "$APP/go.mod" "$APP/go.sum"
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  build bare "go build -o app ."
  expect --cause gomod_missing --contains "go.mod file not found" --wrapper bare \
    --how "The source directory has main.go but no go.mod (not copied into the build context); Go 1.19 defaults to module mode."
}

case_gopath_mode() {
  new_case gopath-mode
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  GOENV+=(GO111MODULE=off)
  build bare "go build -o app ."
  expect --cause gopath_mode --contains "cannot find package" --subject-re 'package=cannot find package "([^"]+)"' --wrapper bare \
    --how "GO111MODULE=off: go.mod is ignored and the import is looked up in GOROOT and GOPATH, where it is not."
}

case_cache_readonly() {
  new_case cache-readonly
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  mkdir -p "$W/gopath/pkg/mod"
  NS_PREFIX=(unshare -m --propagation private)
  PRELUDE="mount --bind '$W/gopath/pkg/mod' '$W/gopath/pkg/mod' && mount -o remount,bind,ro '$W/gopath/pkg/mod'"
  build bare "go mod download"
  expect --cause cache_readonly --contains "read-only file system" --subject-re 'path=(/\S+): read-only' --wrapper bare \
    --how "GOMODCACHE is a read-only bind mount (private mount namespace for the build only)."
}

case_cache_permission() {
  new_case cache-permission
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080
  mkdir -p "$W/gopath/pkg/mod"                         # root-owned, 0755
  chown -R 65534:65534 "$W/home" "$W/gocache" "$APP"
  chmod 755 "$W"
  RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
  build bare "go mod download"
  expect --cause cache_permission_denied --contains "permission denied" --subject-re 'path=(/\S+): permission denied' --wrapper bare \
    --how "GOPATH/GOMODCACHE were created by root (0755); the build runs as uid 65534 (nobody) and cannot write the module cache."
}

case_disk_full() {
  new_case disk-full
  start_dns proxy.golang.org=a:$SERVER_IP
  start_proxy --listen $SERVER_IP:8080 --pad-bytes 2000000
  : > "$APP/go.sum"
  mkdir -p "$W/gopath/pkg/mod"
  NS_PREFIX=(unshare -m --propagation private)
  PRELUDE="mount -t tmpfs -o size=512k fl-tiny '$W/gopath/pkg/mod'"
  build bare "go mod download"
  expect --cause disk_full --contains "no space left on device" --subject-re 'path=write (/\S+): no space' --wrapper bare \
    --how "GOMODCACHE is a 512 KiB tmpfs; the module zip (2 MB of incompressible test data) does not fit."
}

# ---------------------------------------------------------------- main
run_cases "network namespaces, mounts" "$@"
