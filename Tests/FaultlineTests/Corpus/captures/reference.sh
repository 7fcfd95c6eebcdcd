#!/bin/sh
# Regenerates tshark-reference.tsv from the captures here with tshark (not needed by the tests,
# which read the committed file). Columns: capture, DNS messages tshark decodes (DNS, mDNS and
# LLMNR, every message of a TCP segment), queries, responses, responses per header RCODE
# (rcode:count,…), responses tshark pairs with a query (dns.response_to).
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
printf 'capture\tmessages\tqueries\tresponses\trcodes\tpaired\n'
for f in [0-9]*; do
  case $f in
    *.xz) xz -dc "$f" > "$tmp" ;; *.zst) zstd -dcq "$f" > "$tmp" ;; *.lz4) lz4 -dcq "$f" > "$tmp" ;; *) cp "$f" "$tmp" ;;
  esac
  tshark -r "$tmp" -Y 'dns or mdns or llmnr' -T fields -E occurrence=a -E separator=';' \
    -e dns.flags.response -e dns.flags.rcode -e dns.response_to 2>/dev/null |
  awk -F';' -v f="$f" '
    { n = split($1, r, ","); split($2, c, ","); m = split($3, p, ",")
      for (i = 1; i <= n; i++) { msgs++; if (r[i] == "1") { resp++; rc[c[i]]++ } else q++ }
      if ($3 != "") paired += m }
    END { s = ""; for (k in rc) s = s (s == "" ? "" : ",") k ":" rc[k]
          printf "%s\t%d\t%d\t%d\t%s\t%d\n", f, msgs, q, resp, (s == "" ? "-" : s), paired }'
done
