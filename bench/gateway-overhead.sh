#!/usr/bin/env bash
# Gateway overhead on loopback, in one run, against the same fixed upstream (nginx answering a small
# canned JSON body, and a canned SSE stream):
#   1. the upstream directly,
#   2. nginx as a plain reverse proxy in front of it,
#   3. the Clearance gateway in front of it (authenticate, resolve principal, decide on the example
#      directives, forward).
# Throughput: wrk with CONNS connections for DURATION. Added latency: wrk with one connection
# (sequential requests), p50 through the proxy minus p50 direct. Time to first event: curl's
# time_starttransfer on a streaming call, median of TTFE_N calls.
# TLS=1 adds a second gateway whose model API serves TLS (server.tls, a P-256 certificate from a CA
# made here with openssl; KEYALG=rsa for RSA 2048) and measures both gateways again with a new
# connection per request ("Connection: close": a full TCP and TLS handshake each time), alternating
# plain and TLS for ROUNDS rounds and reporting the medians.
# Loopback only; every run is bounded; everything started here is stopped on exit.
# Needs: wrk, nginx, curl (Debian: apt-get install wrk nginx curl; openssl for TLS=1) and a JDK >= 21.
# Does not use ../shared.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
CONNS="${CONNS:-32}"
THREADS="${THREADS:-2}"
TTFE_N="${TTFE_N:-200}"
TLS="${TLS:-0}"
KEYALG="${KEYALG:-ec}"
ROUNDS="${ROUNDS:-3}"
GATEWAY_OPTS="${GATEWAY_OPTS:-}"   # extra JVM options for the gateway, e.g. a JFR recording
SERVER_WARMUP="${SERVER_WARMUP:-}" # the gateway's own server.warmup (unset: its default; 0s: none)
UP=18091 UPS=18092 PROXY=18093 GW=18094 ADMIN=18095 GWS=18096 ADMINS=18097

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install wrk nginx curl)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/clearance-bench-XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/upstream.pid" ] && kill "$(cat "$work/upstream.pid")" 2>/dev/null || true
  [ -f "$work/proxy.pid" ] && kill "$(cat "$work/proxy.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

json='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"frontier-x","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'
sse='data: {"choices":[{"index":0,"delta":{"content":"first"}}]}\n\ndata: {"choices":[{"index":0,"delta":{"content":"second"}}]}\n\ndata: [DONE]\n\n'

# The fixed upstream: one nginx worker answering canned bodies, whatever the method.
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
  server {
    listen 127.0.0.1:$UPS;
    keepalive_requests 1000000;
    location / { default_type text/event-stream; return 200 '$sse'; }
  }
}
CONF

# nginx as a plain reverse proxy (keep-alive to the upstream), two workers like the gateway's two cores.
cat > "$work/proxy.conf" <<CONF
worker_processes 2;
pid $work/proxy.pid;
error_log $work/proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream fixed { server 127.0.0.1:$UP; keepalive 64; }
  server {
    listen 127.0.0.1:$PROXY;
    keepalive_requests 1000000;
    location / { proxy_pass http://fixed; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; }
  }
}
CONF

source "$root/bench/lib/fixed-nginx.sh" # for write_post_lua; this script starts its own nginx (with SSE)
nginx -c "$work/upstream.conf" -p "$work" -g 'daemon on;'
nginx -c "$work/proxy.conf" -p "$work" -g 'daemon on;'

cat > "$work/clearance.yaml" <<CONF
data_dir: $work/data
server: { host: 127.0.0.1, port: $GW${SERVER_WARMUP:+, warmup: $SERVER_WARMUP} }
admin: { host: 127.0.0.1, port: $ADMIN, token: bench-admin-token }
directives: $root/examples/directives
principals: $root/examples/principals.jsonl
upstreams:
  - name: fixed-sse
    base_url: http://127.0.0.1:$UPS
    models: ["bench-stream"]
    model_ids: [bench-stream]
    list_models: false      # nginx answers every path with the canned body: it has no model list
  - name: fixed
    base_url: http://127.0.0.1:$UP
    models: ["*"]
    model_ids: [frontier-x]
    list_models: false
CONF

# Build the CLI if needed (bin/clearance does the same), then run the gateway in the background.
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
start_gateway() { # config admin-port log-name: starts it and sets started_key to a key for alice
  # shellcheck disable=SC2086 # GATEWAY_OPTS is a list of JVM options
  "$java" -Xms512m -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED ${GATEWAY_OPTS:-} -cp "$root/clearance-cli/target/clearance-cli.jar:$root/clearance-cli/target/lib/*" \
    dev.clearance.cli.Main serve --config "$1" > "$work/$3.out" 2> "$work/$3.err" &
  pids+=($!)
  for _ in $(seq 1 150); do
    curl -sf -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$2/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -sf -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$2/health" >/dev/null || { cat "$work/$3.err" >&2; exit 1; }
  started_key="$(curl -sf -H 'Authorization: Bearer bench-admin-token' -H 'content-type: application/json' \
    -d '{"principal":"alice"}' "http://127.0.0.1:$2/admin/v1/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')"
}
start_gateway "$work/clearance.yaml" "$ADMIN" gateway
KEY="$started_key"
gateway_pid="${pids[-1]}"
export KEY

if [ "$TLS" = 1 ]; then
  command -v openssl >/dev/null || { echo "bench: openssl not found" >&2; exit 2; }
  # A CA and a server certificate for 127.0.0.1, as cert-manager would issue them.
  if [ "$KEYALG" = rsa ]; then keyopt=(-newkey rsa:2048); else keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
  openssl req -x509 -nodes "${keyopt[@]}" -keyout "$work/ca.key" -out "$work/ca.crt" -days 2 -subj "/CN=bench CA" 2>/dev/null
  openssl req -nodes "${keyopt[@]}" -keyout "$work/tls.key" -out "$work/tls.csr" -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$work/ext.cnf"
  openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
    -extfile "$work/ext.cnf" -out "$work/tls.crt" 2>/dev/null
  sed -e "s#port: $GW }#port: $GWS, tls: { cert: $work/tls.crt, key: $work/tls.key } }#" -e "s#port: $ADMIN,#port: $ADMINS,#" \
    -e "s#data_dir: $work/data#data_dir: $work/data-tls#" "$work/clearance.yaml" > "$work/clearance-tls.yaml"
  start_gateway "$work/clearance-tls.yaml" "$ADMINS" gateway-tls
  KEY_TLS="$started_key"
  curl -sf --cacert "$work/ca.crt" -X POST -H "Authorization: Bearer $KEY_TLS" -H 'content-type: application/json' \
    -d '{"model":"frontier-x","messages":[]}' "https://127.0.0.1:$GWS/v1/chat/completions" | grep -q chatcmpl-bench
fi

write_post_lua "$work/post.lua"

# Sanity: the gateway allows alice on frontier-x and relays the fixed body.
curl -sf -X POST -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \
  -d '{"model":"frontier-x","messages":[]}' "http://127.0.0.1:$GW/v1/chat/completions" | grep -q chatcmpl-bench

rps() { awk '/Requests\/sec/ {print $2}'; }
pct() { # percentile (50%, 99%) -> milliseconds, from wrk --latency
  awk -v q="$1" '$1==q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'
}
p50() { pct 50%; }
p99() { pct 99%; }
# CPU time (user + system, clock ticks) used so far by the processes serving a path: on a shared
# machine the CPU each request costs is steadier than the rate, which depends on the share it gets.
ticks() { # name
  local ps=()
  case "$1" in
    nginx) mapfile -t ps < <(pgrep -P "$(cat "$work/proxy.pid")") ;;
    gateway) ps=("$gateway_pid") ;;
    *) echo 0; return ;;
  esac
  for p in "${ps[@]}"; do awk '{print $14 + $15}' "/proc/$p/stat"; done | awk '{t += $1} END {print t + 0}'
}
run() { # name url connections [script]
  local threads=$(( $3 < THREADS ? $3 : THREADS )) before
  before="$(ticks "$1")"
  wrk -t"$threads" -c"$3" -d"$DURATION" --latency -s "${4:-$work/post.lua}" "$2" > "$work/$1-$3.txt"
  echo "$(( $(ticks "$1") - before ))" > "$work/$1-$3.ticks"
}

echo "warming up the gateway for $WARMUP ..." >&2
wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$work/post.lua" "http://127.0.0.1:$GW/v1/chat/completions" >/dev/null

for target in "direct http://127.0.0.1:$UP/v1/chat/completions" "nginx http://127.0.0.1:$PROXY/v1/chat/completions" \
              "gateway http://127.0.0.1:$GW/v1/chat/completions"; do
  set -- $target
  echo "measuring $1 ..." >&2
  run "$1" "$2" "$CONNS"
  run "$1" "$2" 1
done

if [ "$TLS" = 1 ]; then
  { cat "$work/post.lua"; echo 'wrk.headers["Connection"] = "close"'; } > "$work/post-close.lua"
  echo "warming up the TLS gateway for $WARMUP, and both on new connections for $WARMUP each ..." >&2
  KEY="$KEY_TLS" wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$work/post.lua" "https://127.0.0.1:$GWS/v1/chat/completions" >/dev/null
  # The handshake's key exchange and signature are Java code the JIT must compile first.
  KEY="$KEY_TLS" wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$work/post-close.lua" "https://127.0.0.1:$GWS/v1/chat/completions" >/dev/null
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$work/post-close.lua" "http://127.0.0.1:$GW/v1/chat/completions" >/dev/null
  # Plain and TLS alternate, ROUNDS times each, so a change in the machine's load hits both alike;
  # the table reports the median of the rounds.
  for r in $(seq 1 "$ROUNDS"); do
    echo "measuring plain and TLS, round $r of $ROUNDS ..." >&2
    run "plain-r$r" "http://127.0.0.1:$GW/v1/chat/completions" "$CONNS"
    KEY="$KEY_TLS" run "tls-r$r" "https://127.0.0.1:$GWS/v1/chat/completions" "$CONNS"
    run "plain-r$r" "http://127.0.0.1:$GW/v1/chat/completions" 1
    KEY="$KEY_TLS" run "tls-r$r" "https://127.0.0.1:$GWS/v1/chat/completions" 1
    run "plain-close-r$r" "http://127.0.0.1:$GW/v1/chat/completions" "$CONNS" "$work/post-close.lua"
    KEY="$KEY_TLS" run "tls-close-r$r" "https://127.0.0.1:$GWS/v1/chat/completions" "$CONNS" "$work/post-close.lua"
  done
fi

ttfe() { # url -> median time_starttransfer in ms over TTFE_N sequential calls
  for _ in $(seq 1 "$TTFE_N"); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' -X POST -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \
      -d '{"model":"bench-stream","stream":true,"messages":[]}' "$1"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]*1000}'
}
echo "measuring time to first event ..." >&2
ttfe "http://127.0.0.1:$GW/v1/chat/completions" >/dev/null   # warm the streaming path
ttfe_direct="$(ttfe "http://127.0.0.1:$UPS/v1/chat/completions")"
ttfe_gateway="$(ttfe "http://127.0.0.1:$GW/v1/chat/completions")"

d_rps="$(rps < "$work/direct-$CONNS.txt")"; n_rps="$(rps < "$work/nginx-$CONNS.txt")"; g_rps="$(rps < "$work/gateway-$CONNS.txt")"
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
row() { # name file-prefix: p50 and p99 at c=1 and c=CONNS, each also as added over direct
  local a b c d
  a="$(p50 < "$work/$2-1.txt")"; b="$(p99 < "$work/$2-1.txt")"
  c="$(p50 < "$work/$2-$CONNS.txt")"; d="$(p99 < "$work/$2-$CONNS.txt")"
  if [ "$2" = direct ]; then
    printf "| %s | %s | %s / %s | - | %s / %s | - |\n" "$1" "$(rps < "$work/$2-$CONNS.txt")" "$a" "$b" "$c" "$d"
  else
    printf "| %s | %s | %s / %s | +%s / +%s | %s / %s | +%s / +%s |\n" "$1" "$(rps < "$work/$2-$CONNS.txt")" "$a" "$b" \
      "$(calc "$a - $(p50 < "$work/direct-1.txt")")" "$(calc "$b - $(p99 < "$work/direct-1.txt")")" "$c" "$d" \
      "$(calc "$c - $(p50 < "$work/direct-$CONNS.txt")")" "$(calc "$d - $(p99 < "$work/direct-$CONNS.txt")")"
  fi
}

echo
echo "wrk -t$THREADS -c$CONNS -d$DURATION (throughput) and -c1 (latency); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| path | requests/s (c=$CONNS) | p50 / p99, c=1 (ms) | added vs direct, c=1 | p50 / p99, c=$CONNS (ms) | added vs direct, c=$CONNS |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
row "upstream direct" direct
row "nginx reverse proxy" nginx
row "Clearance gateway" gateway
echo
printf "gateway throughput = %s%% of nginx's\n" "$(calc "100 * $g_rps / $n_rps")"
cpu_us() { # name -> CPU microseconds per request at c=CONNS
  awk -v t="$(cat "$work/$1-$CONNS.ticks")" -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f", t * 1e6 / hz / $1}' "$work/$1-$CONNS.txt"
}
printf "CPU per request at c=%s (user + system): nginx %s us, gateway %s us\n" "$CONNS" "$(cpu_us nginx)" "$(cpu_us gateway)"
for f in "$work"/gateway-*.txt "$work"/nginx-*.txt; do # a failed answer counts as a request in wrk's rate
  grep -E 'Non-2xx|Socket errors' "$f" | sed "s#^#$(basename "$f" .txt): #" || true
done
printf "time to first event (median of %s, curl time_starttransfer): direct %s ms, gateway %s ms, difference %s ms\n" \
  "$TTFE_N" "$ttfe_direct" "$ttfe_gateway" "$(calc "$ttfe_gateway - $ttfe_direct")"
if [ "$TLS" = 1 ]; then
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  med() { # name connections metric -> median over the rounds
    for r in $(seq 1 "$ROUNDS"); do "$3" < "$work/$1-r$r-$2.txt"; done | median
  }
  pk="$(med plain "$CONNS" rps)"; tk="$(med tls "$CONNS" rps)"
  p1="$(med plain 1 p50)"; t1="$(med tls 1 p50)"
  pc="$(med plain-close "$CONNS" rps)"; tc="$(med tls-close "$CONNS" rps)"
  echo
  echo "TLS on the model API: median of $ROUNDS alternating rounds ($KEYALG key; load $(cut -d' ' -f1-3 /proc/loadavg)):"
  echo
  echo "| gateway listener | requests/s, kept-alive (c=$CONNS) | p50 latency, c=1 (ms) | requests/s, new connection each (c=$CONNS) |"
  echo "| --- | ---: | ---: | ---: |"
  printf "| plain HTTP | %s | %s | %s |\n" "$pk" "$p1" "$pc"
  printf "| TLS | %s | %s | %s |\n" "$tk" "$t1" "$tc"
  echo
  printf "TLS throughput = %s%% of plain kept-alive, %s%% with a new connection per request; added p50 %s ms\n" \
    "$(calc "100 * $tk / $pk")" "$(calc "100 * $tc / $pc")" "$(calc "$t1 - $p1")"
  for f in "$work"/*-r*-*.txt; do
    grep -E 'Non-2xx|Socket errors' "$f" | sed "s#^#$(basename "$f" .txt): #" || true
  done
fi
