#!/usr/bin/env bash
# What TLS on the model API costs, on loopback: the same gateway in front of the same fixed upstream
# (nginx answering a small canned JSON body), once with a plain listener and once with
# server.tls (a P-256 certificate from a CA made here with openssl; KEYALG=rsa for RSA 2048).
# For each: throughput with CONNS kept-alive connections (TLS records only), p50 latency with one
# connection, and throughput with a new connection per request ("Connection: close": a full TCP and
# TLS handshake each time, the worst case for TLS).
# Loopback only; every run is bounded; everything started here is stopped on exit.
# Needs: wrk, nginx, curl, openssl (Debian: apt-get install wrk nginx curl openssl) and a JDK >= 21.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
CONNS="${CONNS:-32}"
THREADS="${THREADS:-2}"
KEYALG="${KEYALG:-ec}"
UP=18191 GW=18194 ADMIN=18195

for tool in wrk nginx curl openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install wrk nginx curl openssl)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/clearance-bench-tls-XXXXXX)"
gw_pid=""
cleanup() {
  [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null || true
  [ -f "$work/upstream.pid" ] && kill "$(cat "$work/upstream.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

json='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"frontier-x","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'
cat > "$work/upstream.conf" <<CONF
worker_processes 1;
pid $work/upstream.pid;
error_log $work/upstream-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$UP;
    keepalive_requests 1000000;
    location / { default_type application/json; return 200 '$json'; }
  }
}
CONF
nginx -c "$work/upstream.conf" -p "$work" -g 'daemon on;'

# A CA and a server certificate for 127.0.0.1, as cert-manager would issue them.
if [ "$KEYALG" = rsa ]; then keyopt=(-newkey rsa:2048); else keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
openssl req -x509 -nodes "${keyopt[@]}" -keyout "$work/ca.key" -out "$work/ca.crt" -days 2 -subj "/CN=bench CA" 2>/dev/null
openssl req -nodes "${keyopt[@]}" -keyout "$work/tls.key" -out "$work/tls.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$work/ext.cnf"
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
  -extfile "$work/ext.cnf" -out "$work/tls.crt" 2>/dev/null

java="${JAVA:-}"
if [ -z "$java" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 "${JAVA_HOME:-}"; do
    [ -n "$d" ] && [ -x "$d/bin/java" ] && java="$d/bin/java" && break
  done
fi
[ -n "$java" ] || { echo "bench: no JDK found; set JAVA=/path/to/java" >&2; exit 2; }
if [ ! -f "$root/clearance-cli/target/clearance-cli.jar" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests package -pl clearance-cli -am)
fi

rps() { awk '/Requests\/sec/ {print $2}'; }
p50() { awk '$1=="50%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
errors() { awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' '; }

measure() { # mode (plain|tls)
  local mode="$1" scheme=http tls=""
  if [ "$mode" = tls ]; then scheme=https; tls=", tls: { cert: $work/tls.crt, key: $work/tls.key }"; fi
  cat > "$work/$mode.yaml" <<CONF
data_dir: $work/data-$mode
server: { host: 127.0.0.1, port: $GW$tls }
admin: { host: 127.0.0.1, port: $ADMIN, token: bench-admin-token }
directives: $root/examples/directives
principals: $root/examples/principals.jsonl
upstreams:
  - { name: fixed, base_url: "http://127.0.0.1:$UP", models: ["*"] }
CONF
  "$java" -Xms512m -Xmx512m -cp "$root/clearance-cli/target/clearance-cli.jar:$root/clearance-cli/target/lib/*" \
    dev.clearance.cli.Main serve --config "$work/$mode.yaml" > "$work/gateway-$mode.out" 2> "$work/gateway-$mode.err" &
  gw_pid=$!
  for _ in $(seq 1 150); do
    curl -sf -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$ADMIN/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  KEY="$(curl -sf -H 'Authorization: Bearer bench-admin-token' -H 'content-type: application/json' \
    -d '{"principal":"alice"}' "http://127.0.0.1:$ADMIN/admin/v1/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')"
  export KEY
  local url="$scheme://127.0.0.1:$GW/v1/chat/completions"
  # Sanity: the call is allowed and relayed; with TLS the certificate verifies against the CA.
  curl -sf --cacert "$work/ca.crt" -X POST -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \
    -d '{"model":"frontier-x","messages":[]}' "$url" | grep -q chatcmpl-bench
  for close in keep close; do
    cat > "$work/post-$close.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"frontier-x","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
$( [ "$close" = close ] && echo 'wrk.headers["Connection"] = "close"' )
LUA
  done
  echo "warming up the $mode gateway for $WARMUP ..." >&2
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$work/post-keep.lua" "$url" >/dev/null
  echo "measuring $mode ..." >&2
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$work/post-keep.lua" "$url" > "$work/$mode-keep.txt"
  wrk -t1 -c1 -d"$DURATION" --latency -s "$work/post-keep.lua" "$url" > "$work/$mode-one.txt"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$work/post-close.lua" "$url" > "$work/$mode-close.txt"
  kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=""
}

measure plain
measure tls

calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }
echo
echo "wrk -t$THREADS -c$CONNS -d$DURATION (throughput), -t1 -c1 (latency); key $KEYALG; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| model API listener | requests/s, kept-alive (c=$CONNS) | p50 latency, c=1 (ms) | requests/s, new connection each (c=$CONNS) |"
echo "| --- | ---: | ---: | ---: |"
for mode in plain tls; do
  printf "| %s | %s | %s | %s |\n" "$mode" "$(rps < "$work/$mode-keep.txt")" "$(p50 < "$work/$mode-one.txt")" "$(rps < "$work/$mode-close.txt")"
done
echo
printf "TLS throughput = %s%% of plain (kept-alive), %s%% of plain (new connection each)\n" \
  "$(calc "100 * $(rps < "$work/tls-keep.txt") / $(rps < "$work/plain-keep.txt")")" \
  "$(calc "100 * $(rps < "$work/tls-close.txt") / $(rps < "$work/plain-close.txt")")"
for f in plain-keep plain-close tls-keep tls-close; do
  e="$(errors < "$work/$f.txt")"; [ -n "$e" ] && echo "$f: $e"
done
exit 0
