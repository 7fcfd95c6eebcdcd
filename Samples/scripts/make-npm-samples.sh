#!/usr/bin/env bash
# Regenerate Faultline's real npm failure samples (Samples/npm/<case>/).
#
#   sudo Samples/scripts/make-npm-samples.sh                  # every case
#   sudo Samples/scripts/make-npm-samples.sh dns-nxdomain registry-403   # some cases
#   Samples/scripts/make-npm-samples.sh --list
#
# Needs root, node 20 / npm 10, python3, tcpdump, iproute2, util-linux
# (unshare, setpriv, mount), openssl; the yarn-* cases Debian's yarnpkg (yarn 1,
# run with NODE_PATH=/usr/share/nodejs as Debian's node modules live there).  Every packet stays inside two network
# namespaces created here (fl-npm-c, fl-npm-s, subnet 10.98.0.0/24) joined by one
# veth pair; neither has a route to the host or the internet, and the real npm
# registry is never contacted: registry.npmjs.org resolves, through our own DNS
# responder only, to a small Python registry in fl-npm-s.  Scratch state lives
# in $FL_NPM_SCRATCH (default /tmp/fl-npm-samples); namespaces, servers and
# captures are torn down on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES=$(dirname "$HERE")
OUT=$SAMPLES/npm
SCRATCH=${FL_NPM_SCRATCH:-/tmp/fl-npm-samples}
PY=$(python3 -c 'import sys; print(sys.executable)')
NODE_BIN=$(dirname "$(readlink -f "$(command -v node)")")
NPM_BIN=$(dirname "$(command -v npm)")

CNS=fl-npm-c             # npm runs here
SNS=fl-npm-s             # DNS responder and registry run here
CIF=fl-npm-c0            # veth end in fl-npm-c
SIF=fl-npm-s0            # veth end in fl-npm-s
CLIENT_IP=10.98.0.2
SERVER_IP=10.98.0.1      # the registry: :8080 (HTTP), :8443 (HTTPS)
DNS_IP=10.98.0.53        # extra address on fl-npm-s0: the DNS responder
DEAD_HOST=10.98.0.200    # routed into fl-npm-s, blackholed there: SYNs vanish
REGISTRY=http://registry.npmjs.org:8080/

ALL_CASES=(
  healthy healthy-buildkit
  dns-nxdomain dns-unreachable dns-servfail
  connection-refused connection-timeout connection-reset server-unresponsive
  tls-self-signed tls-unknown-issuer
  registry-403 registry-401 registry-401-realm publish-needauth package-404 registry-500
  integrity-mismatch cache-readonly cache-permission disk-full
  dependency-conflict install-script-failed
  yarn-healthy yarn-dns-nxdomain yarn-dns-unreachable yarn-connection-refused yarn-package-404 yarn-registry-403
  yarn-registry-401 yarn-registry-500 yarn-tarball-404
)

# shellcheck source=netns-lib.sh
. "$HERE/netns-lib.sh"

setup_net() {
  netns_pair
  local c="ip netns exec $CNS" s="ip netns exec $SNS"
  $c ip route add "$DEAD_HOST/32" via "$SERVER_IP"        # and no default route
  $c sysctl -qw net.ipv4.tcp_syn_retries=2                # a dropped SYN fails in ~7 s
  $s ip addr add "$DNS_IP/32" dev "$SIF"
  $s ip route add blackhole "$DEAD_HOST/32"               # "routes" for the client into a black hole
}

# ---------------------------------------------------------------- helpers
start_registry() { start_server registry npmregistry.py --pkgroot "$PKGROOT" "$@"; }  # npmregistry.py options...

# new_case NAME: fresh scratch dir $W with the project copied to $APP, an empty
# npm cache, and a clean output folder $D.  npm's environment starts from NPMENV.
new_case() {
  CASE=$1
  W=$SCRATCH/$CASE
  D=$OUT/$CASE
  if [ -d "$W" ]; then umount -q "$W/cache" 2>/dev/null || true; chmod -R u+w "$W" 2>/dev/null || true; rm -rf "$W"; fi
  mkdir -p "$W"/{home,cache} "$D"
  rm -f "$D"/build.log "$D"/dns.pcap "$D"/expected.json "$D"/expected-debug.json "$D"/*-debug-*.log
  APP=$W/app
  cp -r "$HERE/npmproject" "$APP"
  PKGROOT=$HERE/npmpackages
  LOGS=$W/cache/_logs                 # where npm writes its debug log
  # The brief's flags (--registry, --cache, --fetch-retries=0, --fetch-timeout=3000),
  # given the way npm itself reads them: as npm_config_* variables.
  NPMENV=(HOME="$W/home" PATH="$NODE_BIN:$NPM_BIN:/usr/local/bin:/usr/bin:/bin"
          npm_config_registry="$REGISTRY" npm_config_cache="$W/cache"
          npm_config_fetch_retries=0 npm_config_fetch_timeout=3000
          npm_config_update_notifier=false)
  NS_PREFIX=()      # e.g. (unshare -m) in front of the runner inside fl-npm-c
  PRELUDE=""        # shell run (as root) inside the client namespace before the step
  RUNAS=""          # e.g. "setpriv --reuid=65534 ..."
  YARN=0            # 1: the steps run yarn 1, which writes yarn-error.log, not an npm debug log
  resolv "nameserver $DNS_IP" "options timeout:1 attempts:2"
  log "$CASE"
}

# logs_elsewhere: npm cannot write its cache, so its debug log goes to $W/logs.
logs_elsewhere() {
  LOGS=$W/logs
  mkdir -p "$LOGS"
  NPMENV+=(npm_config_logs_dir="$LOGS")
}

# build FORMAT STEP... : run the steps in fl-npm-c through wrap-npm.py, capture DNS,
# and copy the debug log of the failing run (or of the first run) beside build.log.
build() {
  RUN_ENV=("${NPMENV[@]}")
  run_steps wrap-npm.py "$@"
  if [ "$YARN" = 1 ]; then
    if [ -f "$APP/yarn-error.log" ]; then cp "$APP/yarn-error.log" "$D/"; fi
    return 0
  fi
  local named first
  named=$(grep -o 'A complete log of this run can be found in:.*' "$D/build.log" | grep -o '[^ ]*-debug-[0-9]*\.log' | head -1 || true)
  first=$(ls "$LOGS"/*-debug-*.log 2>/dev/null | head -1 || true)
  DEBUG_LOG=${named:-$first}
  if [ -z "$DEBUG_LOG" ] || [ ! -f "$DEBUG_LOG" ]; then echo "$CASE: no debug log written" >&2; exit 1; fi
  cp "$DEBUG_LOG" "$D/"
  DEBUG_NAME=$(basename "$DEBUG_LOG")
}

# expect ARGS...: expected.json for build.log (mkexpected.py as for Go).
expect() { "$PY" "$HERE/mkexpected.py" --dir "$D" "$@"; }

# expect_debug ARGS...: expected-debug.json, the same shape for the debug log:
# mkexpected.py run on a copy named build.log, then pointed at the real name.
expect_debug() {
  local t=$W/expect-debug
  rm -rf "$t"; mkdir -p "$t"
  cp "$D/$DEBUG_NAME" "$t/build.log"
  "$PY" "$HERE/mkexpected.py" --dir "$t" "$@"
  "$PY" - "$t/expected.json" "$D/expected-debug.json" "$DEBUG_NAME" <<'EOF'
import json, sys
src, dst, name = sys.argv[1:]
e = json.load(open(src))
if e.get("evidence"):
    e["evidence"]["input"] = name
e["wrapper"] = "npm-debug-log"
with open(dst, "w") as f:
    json.dump(e, f, indent=2)
    f.write("\n")
EOF
}

# TLS material: a root CA, an intermediate CA and registry.npmjs.org's certificate.
make_certs() {
  local t=$W/tls
  mkdir -p "$t"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/O=Intercepting Proxy Inc/CN=Intercepting Proxy Root CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$t/root.key" -out "$t/root.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=Intercepting Proxy Inc/CN=Intercepting Proxy Issuing CA" \
    -keyout "$t/inter.key" -out "$t/inter.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > "$t/inter.ext"
  openssl x509 -req -in "$t/inter.csr" -CA "$t/root.pem" -CAkey "$t/root.key" -CAcreateserial -days 30 \
    -extfile "$t/inter.ext" -out "$t/inter.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=Intercepting Proxy Inc/CN=registry.npmjs.org" \
    -keyout "$t/leaf.key" -out "$t/leaf.csr" 2>/dev/null
  printf 'subjectAltName=DNS:registry.npmjs.org\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$t/leaf.ext"
  openssl x509 -req -in "$t/leaf.csr" -CA "$t/inter.pem" -CAkey "$t/inter.key" -CAcreateserial -days 30 \
    -extfile "$t/leaf.ext" -out "$t/leaf.pem" 2>/dev/null
  cat "$t/leaf.pem" "$t/inter.pem" "$t/root.pem" > "$t/chain-with-root.pem"   # root sent too
  cat "$t/leaf.pem" "$t/inter.pem" > "$t/chain.pem"                           # root not sent
}

URL_RE="url=(https?://[^ ]+?)(?: |$)"     # mkexpected regex: the first URL on the line

# ---------------------------------------------------------------- cases
case_healthy() {
  new_case healthy
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build bare "npm install" "npm start"
  expect --verdict success --cause none --wrapper bare \
    --how "DNS and the registry answer correctly; npm install (packument, tarball, audit) and npm start succeed."
  expect_debug --verdict success --cause none --wrapper npm-debug-log --how "The debug log of that npm install."
}

case_healthy_buildkit() {
  new_case healthy-buildkit
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build buildkit "npm install" "npm run build"
  expect --verdict success --cause none --wrapper buildkit \
    --how "Same healthy registry; both RUN steps of the sample npm Dockerfile succeed (BuildKit envelope written by wrap-npm.py)."
  expect_debug --verdict success --cause none --wrapper npm-debug-log --how "The debug log of that npm install."
}

case_dns_nxdomain() {
  new_case dns-nxdomain
  start_dns 'registry.npmjs.org=nxdomain'
  start_registry --listen $SERVER_IP:8080
  build bare "npm install"
  expect --cause dns_nxdomain --contains "getaddrinfo ENOTFOUND" --subject host=registry.npmjs.org \
    --subject-re "$URL_RE" --wrapper bare \
    --how "The DNS responder answers NXDOMAIN for registry.npmjs.org."
  expect_debug --cause dns_nxdomain --contains "getaddrinfo ENOTFOUND" --subject host=registry.npmjs.org \
    --subject-re "$URL_RE" --wrapper npm-debug-log --how "The debug log: the verbose stack line comes first."
}

case_dns_unreachable() {
  new_case dns-unreachable
  start_dns 'registry.npmjs.org=drop'
  start_registry --listen $SERVER_IP:8080
  build buildkit "npm install"
  expect --cause dns_server_unreachable --contains "getaddrinfo EAI_AGAIN" --subject host=registry.npmjs.org \
    --subject-re "$URL_RE" --wrapper buildkit \
    --how "The resolver named in resolv.conf receives every query and never answers (timeout:1 attempts:2); glibc gives up with EAI_AGAIN."
  expect_debug --cause dns_server_unreachable --contains "getaddrinfo EAI_AGAIN" --subject host=registry.npmjs.org \
    --subject-re "$URL_RE" --wrapper npm-debug-log --how "The debug log of that run."
}

case_dns_servfail() {
  new_case dns-servfail
  start_dns 'registry.npmjs.org=servfail'
  start_registry --listen $SERVER_IP:8080
  WRAP_ENV=(--env "npm_config_registry=$REGISTRY")
  build github-actions "npm install"
  expect --cause dns_servfail --log-only-cause dns_server_unreachable --contains "getaddrinfo EAI_AGAIN" \
    --subject host=registry.npmjs.org --subject-re "$URL_RE" --wrapper github-actions \
    --how "The DNS responder answers SERVFAIL; npm says EAI_AGAIN exactly as for a silent resolver, only the capture shows SERVFAIL. GitHub Actions timestamps added as lines arrived."
  expect_debug --cause dns_servfail --log-only-cause dns_server_unreachable --contains "getaddrinfo EAI_AGAIN" \
    --subject host=registry.npmjs.org --subject-re "$URL_RE" --wrapper npm-debug-log --how "The debug log of that run."
}

case_connection_refused() {
  new_case connection-refused
  start_dns registry.npmjs.org=a:$SERVER_IP
  build bare "npm install"                          # no registry: port 8080 closed
  expect --cause connection_refused --contains "connect ECONNREFUSED" --subject host=registry.npmjs.org \
    --subject address=$SERVER_IP:8080 --subject-re "$URL_RE" --wrapper bare \
    --how "registry.npmjs.org resolves to $SERVER_IP but nothing listens on port 8080, so the connect gets a RST (npm 10 prints the whole FetchError object)."
  expect_debug --cause connection_refused --contains "connect ECONNREFUSED" --subject host=registry.npmjs.org \
    --subject address=$SERVER_IP:8080 --subject-re "$URL_RE" --wrapper npm-debug-log --how "The debug log of that run."
}

case_connection_timeout() {
  new_case connection-timeout
  start_dns registry.npmjs.org=a:$DEAD_HOST
  build docker-legacy "npm install"
  expect --cause connection_timeout --contains "connect ETIMEDOUT" --subject host=registry.npmjs.org \
    --subject address=$DEAD_HOST:8080 --subject-re "$URL_RE" --wrapper docker-legacy \
    --how "registry.npmjs.org resolves to $DEAD_HOST, routed into fl-npm-s which drops it; SYNs go unanswered (tcp_syn_retries=2 in the client)."
  expect_debug --cause connection_timeout --contains "connect ETIMEDOUT" --subject host=registry.npmjs.org \
    --subject address=$DEAD_HOST:8080 --subject-re "$URL_RE" --wrapper npm-debug-log --how "The debug log of that run."
}

case_connection_reset() {
  new_case connection-reset
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --reset
  build bare "npm install"
  expect --cause connection_reset --contains "Invalid response body" --subject-re "url=fetch (\\S+?): " --wrapper bare \
    --how "The registry sends the response headers and a few bytes, then resets the connection (SO_LINGER 0): npm's ECONNRESET (\"aborted\" or \"read ECONNRESET\", as the timing falls)."
  expect_debug --cause connection_reset --contains "Invalid response body" --subject-re "url=fetch (\\S+?): " \
    --wrapper npm-debug-log --how "The debug log of that run."
}

case_server_unresponsive() {
  new_case server-unresponsive
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --stall
  WRAP_ENV=(--env "npm_config_registry=$REGISTRY" --env "npm_config_fetch_timeout=3000")
  build github-actions "npm install"
  expect --cause server_unresponsive --contains "network timeout at" --subject-re "$URL_RE" --wrapper github-actions \
    --how "The registry accepts the connection and reads the request but never answers; npm gives up after fetch-timeout (3 s)."
  expect_debug --cause server_unresponsive --contains "network timeout at" --subject-re "$URL_RE" \
    --wrapper npm-debug-log --how "The debug log of that run."
}

case_tls_self_signed() {
  new_case tls-self-signed
  make_certs
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8443 --tls "$W/tls/chain-with-root.pem,$W/tls/leaf.key"
  NPMENV+=(npm_config_registry=https://registry.npmjs.org:8443/)
  build bare "npm install"
  expect --cause tls_untrusted_certificate --contains "certificate in certificate chain" --subject-re "$URL_RE" \
    --wrapper bare \
    --how "The registry (https://registry.npmjs.org:8443/) presents a chain ending in a self-signed root that the system trust store does not hold, as a TLS-intercepting proxy does: SELF_SIGNED_CERT_IN_CHAIN."
  expect_debug --cause tls_untrusted_certificate --contains "certificate in certificate chain" --subject-re "$URL_RE" \
    --wrapper npm-debug-log --how "The debug log of that run."
}

case_tls_unknown_issuer() {
  new_case tls-unknown-issuer
  make_certs
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8443 --tls "$W/tls/chain.pem,$W/tls/leaf.key"
  NPMENV+=(npm_config_registry=https://registry.npmjs.org:8443/)
  build gitlab "npm install"
  expect --cause tls_untrusted_certificate --contains "unable to get local issuer certificate" --subject-re "$URL_RE" \
    --wrapper gitlab \
    --how "The registry presents its certificate and an intermediate CA whose root is unknown to the client: UNABLE_TO_GET_ISSUER_CERT_LOCALLY. GitLab CI envelope."
  expect_debug --cause tls_untrusted_certificate --contains "unable to get local issuer certificate" --subject-re "$URL_RE" \
    --wrapper npm-debug-log --how "The debug log of that run."
}

case_registry_403() {
  new_case registry-403
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --fail 403 --fail-suffix .tgz --fail-body "Forbidden"
  build buildkit "npm install"
  expect --cause proxy_forbidden --contains "403 Forbidden - GET" --subject host=registry.npmjs.org \
    --subject package=fl-greeting --subject version=1.0.0 --subject status=403 --subject-re "url=GET (\\S+)" \
    --wrapper buildkit \
    --how "The registry serves the packument but answers 403 for the tarball, as a security policy or an egress filter on tarballs does."
  expect_debug --cause proxy_forbidden --contains "403 Forbidden - GET" --subject host=registry.npmjs.org \
    --subject package=fl-greeting --subject version=1.0.0 --subject status=403 --subject-re "url=GET (\\S+)" \
    --wrapper npm-debug-log --how "The debug log of that run."
}

case_registry_401() {
  new_case registry-401
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --fail 401 --fail-body "Unauthorized"
  build bare "npm install"
  expect --cause registry_auth_required --contains "401 Unauthorized" --subject host=registry.npmjs.org \
    --subject status=401 --subject-re "url=GET (\\S+)" --wrapper bare \
    --how "The registry answers 401 to every request, without a WWW-Authenticate header (a private registry that wants a token)."
  expect_debug --cause registry_auth_required --contains "401 Unauthorized" --subject host=registry.npmjs.org \
    --subject status=401 --subject-re "url=GET (\\S+)" --wrapper npm-debug-log --how "The debug log of that run."
}

case_registry_401_realm() {
  new_case registry-401-realm
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --fail 401 --www-authenticate 'Basic realm="Artifactory Realm"'
  WRAP_ENV=(--env "npm_config_registry=$REGISTRY")
  build github-actions "npm install"
  expect --cause registry_auth_required --contains "Incorrect or missing password" --wrapper github-actions \
    --how "The registry answers 401 with 'WWW-Authenticate: Basic realm=\"Artifactory Realm\"'; npm 10 then prints only its password advice (the realm is in the debug log)."
  expect_debug --cause registry_auth_required --contains "Unable to authenticate, need:" \
    --subject "realm=Artifactory Realm" --wrapper npm-debug-log \
    --how "The debug log's verbose stack line names the realm the registry asked for."
}

case_publish_needauth() {
  new_case publish-needauth
  sed -i '/"private": true,/d' "$APP/package.json"
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build bare "npm publish"
  expect --cause registry_auth_required --contains "requires you to be logged in" --subject host=registry.npmjs.org \
    --subject-re "$URL_RE" --wrapper bare \
    --how "npm publish with no token for the registry in any .npmrc: ENEEDAUTH, before any request is made."
  expect_debug --cause registry_auth_required --contains "requires you to be logged in" --subject host=registry.npmjs.org \
    --subject-re "$URL_RE" --wrapper npm-debug-log --how "The debug log of that run."
}

case_package_404() {
  new_case package-404
  sed -i 's#"fl-greeting": "^1.0.0"#"fl-greeting": "^1.0.0",\n    "@fl/private-utils": "^1.2.0"#' "$APP/package.json"
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build bare "npm install"
  expect --cause module_not_found --contains "404 Not Found - GET" --subject host=registry.npmjs.org \
    --subject package=@fl/private-utils --subject-re "url=GET (\\S+)" --wrapper bare \
    --how "package.json needs @fl/private-utils, a scoped (private) package the registry does not have: the scope is not mapped to its own registry in .npmrc."
  expect_debug --cause module_not_found --contains "404 Not Found - GET" --subject host=registry.npmjs.org \
    --subject package=@fl/private-utils --subject-re "url=GET (\\S+)" --wrapper npm-debug-log --how "The debug log of that run."
}

case_registry_500() {
  new_case registry-500
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --fail 500 \
    --fail-body "upstream fetch failed: getaddrinfo EAI_AGAIN registry.npmjs.org"
  build gitlab "npm install"
  expect --cause proxy_server_error --contains "500 Internal Server Error" --subject host=registry.npmjs.org \
    --subject status=500 --subject-re "url=GET (\\S+)" --wrapper gitlab \
    --how "The registry (a caching proxy whose own upstream lookup fails) answers 500 with an error body that names a DNS error of its own; the client's DNS is fine."
  expect_debug --cause proxy_server_error --contains "500 Internal Server Error" --subject host=registry.npmjs.org \
    --subject status=500 --subject-re "url=GET (\\S+)" --wrapper npm-debug-log --how "The debug log of that run."
}

case_integrity_mismatch() {
  new_case integrity-mismatch
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --tamper
  build bare "npm install"
  expect --cause npm_integrity_mismatch --contains "integrity checksum failed" --subject-re "integrity=wanted (\\S+)" \
    --wrapper bare \
    --how "The packument's dist.integrity is the real tarball's sha512; the registry serves a tarball with a line added to index.js, twice (npm retries a corrupted tarball once)."
  expect_debug --cause npm_integrity_mismatch --contains "integrity checksum failed" --subject-re "integrity=wanted (\\S+)" \
    --wrapper npm-debug-log --how "The debug log of that run."
}

case_cache_readonly() {
  new_case cache-readonly
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  # Fill the cache with a first, healthy install (not recorded), then mount it read-only.
  ip netns exec "$CNS" sh -c "cd '$APP' && env -i $(printf '%q ' "${NPMENV[@]}") npm install >/dev/null 2>&1"
  rm -rf "$APP/node_modules" "$APP/package-lock.json" "$W/cache/_logs"
  logs_elsewhere
  NS_PREFIX=(unshare -m --propagation private)
  PRELUDE="mount --bind '$W/cache' '$W/cache' && mount -o remount,bind,ro '$W/cache'"
  build bare "npm install"
  expect --cause cache_readonly --contains "EROFS: read-only file system" --subject-re "path='(/[^']+)'" \
    --subject host=registry.npmjs.org --wrapper bare \
    --how "The npm cache (filled by an earlier install) is a read-only bind mount in a private mount namespace; npm must write a new index entry. The debug log goes to logs-dir."
  expect_debug --cause cache_readonly --contains "EROFS: read-only file system" --subject-re "path='(/[^']+)'" \
    --subject host=registry.npmjs.org --wrapper npm-debug-log --how "The debug log of that run."
}

case_cache_permission() {
  new_case cache-permission
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  chmod 755 "$W" "$W/cache"                              # cache: root-owned, 0755
  logs_elsewhere
  chown -R 65534:65534 "$W/home" "$APP" "$LOGS"
  RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
  build bare "npm install"
  expect --cause cache_permission_denied --contains "sudo chown -R" --subject-re 'path="(/[^"]+)"' --wrapper bare \
    --how "The npm cache was created by root (0755); npm runs as uid 65534 and cannot create _cacache in it: npm's 'root-owned files' block. The debug log goes to logs-dir."
  expect_debug --cause cache_permission_denied --contains "sudo chown -R" --subject-re 'path="(/[^"]+)"' \
    --wrapper npm-debug-log --how "The debug log of that run."
}

case_disk_full() {
  new_case disk-full
  PKGROOT=$W/packages
  cp -r "$HERE/npmpackages" "$PKGROOT"
  mkdir -p "$PKGROOT/fl-greeting/1.0.0/assets"
  head -c 1500000 /dev/urandom > "$PKGROOT/fl-greeting/1.0.0/assets/blob.bin"   # incompressible
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  logs_elsewhere
  NS_PREFIX=(unshare -m --propagation private)
  PRELUDE="mount -t tmpfs -o size=512k fl-npm-tiny '$W/cache'"
  build bare "npm install"
  expect --cause disk_full --contains "nospc ENOSPC" --wrapper bare \
    --how "The npm cache is a 512 KiB tmpfs; fl-greeting's tarball (1.5 MB of incompressible data) does not fit. The debug log goes to logs-dir."
  expect_debug --cause disk_full --contains "ENOSPC: no space left on device" --wrapper npm-debug-log \
    --how "The debug log of that run: the verbose stack line comes first."
}

case_dependency_conflict() {
  new_case dependency-conflict
  sed -i 's#"fl-greeting": "^1.0.0"#"fl-greeting": "^1.0.0",\n    "fl-plugin": "1.0.0"#' "$APP/package.json"
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build bare "npm install"
  expect --cause dependency_conflict --contains "ERESOLVE unable to resolve" --wrapper bare \
    --how "package.json needs fl-greeting ^1.0.0 and fl-plugin 1.0.0, whose peer dependency is fl-greeting ^2.0.0."
  expect_debug --cause dependency_conflict --contains "ERESOLVE unable to resolve" --wrapper npm-debug-log \
    --how "The debug log of that run."
}

case_install_script_failed() {
  new_case install-script-failed
  sed -i 's#"fl-greeting": "^1.0.0"#"fl-greeting": "^1.0.0",\n    "fl-native": "^1.0.0"#' "$APP/package.json"
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build buildkit "npm install"
  expect --cause npm_script_failed --contains "command failed" --wrapper buildkit \
    --how "fl-native's install script finds no prebuilt binary for this platform and exits 1; npm reports the failed lifecycle script."
  expect_debug --cause npm_script_failed --contains "error command failed" --wrapper npm-debug-log \
    --how "The debug log of that run (its verbose stack line says only 'Error: command failed' and matches nothing)."
}

# ---------------------------------------------------------------- yarn 1
# The same registry, resolver and network, with Debian's yarnpkg in place of npm:
# yarn prints the Node errors npm prints under its own prefix (`error An
# unexpected error occurred: "…: getaddrinfo ENOTFOUND …"`, `info If you think
# this is a bug…`), and writes yarn-error.log beside package.json on failure.
use_yarn() {
  YARN=1
  NPMENV=(HOME="$W/home" PATH="$NODE_BIN:/usr/local/bin:/usr/bin:/bin" NODE_PATH=/usr/share/nodejs:/usr/lib/nodejs
          YARN_CACHE_FOLDER="$W/cache" YARN_ENABLE_TELEMETRY=0)
}
YARN_INSTALL="yarnpkg install --non-interactive --no-progress --registry $REGISTRY --network-timeout 3000"

case_yarn_healthy() {
  new_case yarn-healthy
  use_yarn
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build bare "$YARN_INSTALL" "yarnpkg run --non-interactive start"
  expect --verdict success --cause none --wrapper bare \
    --how "yarn 1 (Debian's yarnpkg) installs from the healthy registry and runs the start script."
}

case_yarn_dns_nxdomain() {
  new_case yarn-dns-nxdomain
  use_yarn
  start_dns 'registry.npmjs.org=nxdomain'
  start_registry --listen $SERVER_IP:8080
  build bare "$YARN_INSTALL"
  expect --cause dns_nxdomain --contains "getaddrinfo ENOTFOUND" --subject host=registry.npmjs.org --wrapper bare \
    --how "yarn 1; the DNS responder answers NXDOMAIN for registry.npmjs.org."
}

case_yarn_dns_unreachable() {
  new_case yarn-dns-unreachable
  use_yarn
  start_dns 'registry.npmjs.org=drop'
  start_registry --listen $SERVER_IP:8080
  build github-actions "$YARN_INSTALL"
  expect --cause dns_server_unreachable --contains "EAI_AGAIN" --subject host=registry.npmjs.org --wrapper github-actions \
    --how "yarn 1; the resolver receives every query and never answers (timeout:1 attempts:2): EAI_AGAIN. GitHub Actions timestamps added as lines arrived."
}

case_yarn_connection_refused() {
  new_case yarn-connection-refused
  use_yarn
  start_dns registry.npmjs.org=a:$SERVER_IP
  build bare "$YARN_INSTALL"                         # no registry: port 8080 closed
  expect --cause connection_refused --contains "ECONNREFUSED" --subject host=registry.npmjs.org --wrapper bare \
    --how "yarn 1; registry.npmjs.org resolves to $SERVER_IP but nothing listens on port 8080."
}

case_yarn_package_404() {
  new_case yarn-package-404
  use_yarn
  sed -i 's#"fl-greeting": "^1.0.0"#"fl-greeting": "^1.0.0",\n    "fl-missing": "^1.0.0"#' "$APP/package.json"
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080
  build bare "$YARN_INSTALL"
  expect --cause module_not_found --contains ": Not found" --subject package=fl-missing --wrapper bare \
    --how "yarn 1; package.json names fl-missing, which the registry does not have (404 for its packument)."
}





# yarn_tarball_status CASE STATUS CAUSE WRAPPER BODY HOW: the packument is served, its tarball answers STATUS.
yarn_tarball_status() {
  new_case "$1"
  use_yarn
  start_dns registry.npmjs.org=a:$SERVER_IP
  start_registry --listen $SERVER_IP:8080 --fail "$2" --fail-suffix .tgz --fail-body "$5"
  build "$4" "$YARN_INSTALL"
  expect --cause "$3" --contains "Request failed \\\"$2" --subject package=fl-greeting --subject status="$2" --wrapper "$4" --how "$6"
}
case_yarn_registry_403() { yarn_tarball_status yarn-registry-403 403 proxy_forbidden bare Forbidden \
  "yarn 1; the registry serves the packument but answers 403 for the tarball."; }
case_yarn_registry_401() { yarn_tarball_status yarn-registry-401 401 registry_auth_required bare Unauthorized \
  "yarn 1; the registry serves the packument but answers 401 for the tarball (a registry that wants a token)."; }
case_yarn_registry_500() { yarn_tarball_status yarn-registry-500 500 proxy_server_error gitlab "upstream failed" \
  "yarn 1 in a GitLab CI job log; the registry answers 500 Internal Server Error for the tarball."; }
case_yarn_tarball_404() { yarn_tarball_status yarn-tarball-404 404 module_not_found bare "Not Found" \
  "yarn 1; the registry lists fl-greeting 1.0.0 but its tarball is gone (404), as after an unpublish or on a mirror that lags."; }

# ---------------------------------------------------------------- main
run_cases "network namespaces, mounts" "$@"
