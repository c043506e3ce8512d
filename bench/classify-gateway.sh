#!/usr/bin/env bash
# What content classification costs through the gateway, in one run, against a fixed upstream (nginx
# answering a canned chat completion):
#   1. added latency of classification: the same benign prompt of 200, 2,000 and 20,000 characters
#      sent sequentially (wrk, one connection) by chen (a foreign person: a capability directive of the
#      example policy is open for him, so his request is classified) and by alice (a U.S. person at
#      IAL2: nothing is classified); added = chen - alice, at p50 and p99, once with output: off (the
#      request stage alone) and once with the default output: cut (the upstream's short answer is
#      classified too);
#   2. gateway throughput (wrk, CONNS connections) for chen's 2,000-character prompt with
#      classification on (the default: no classification section) and off (classification.enabled:
#      false, a second gateway), and for alice with classification on.
# Loopback only; every run is bounded; everything started here is stopped on exit.
# Needs: wrk, nginx, curl (Debian: apt-get install wrk nginx curl) and a JDK >= 21. Does not use ../shared.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-15s}"
SIZES="${SIZES:-200 2000 20000}"   # prompt lengths measured (the throughput runs use 2,000)
CONNS="${CONNS:-16}"
THREADS="${THREADS:-2}"
UP=18191 GW=18194 ADMIN=18195 GW_OFF=18196 ADMIN_OFF=18197 GW_REQ=18198 ADMIN_REQ=18199

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install wrk nginx curl)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/clearance-bench-XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/upstream.pid" ] && kill "$(cat "$work/upstream.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

json='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"open-small","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'
cat > "$work/upstream.conf" <<CONF
worker_processes 1;
pid $work/upstream.pid;
error_log $work/upstream-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:$UP;
    keepalive_requests 1000000;
    location / { default_type application/json; return 200 '$json'; }
  }
}
CONF
nginx -c "$work/upstream.conf" -p "$work" -g 'daemon on;'

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

start_gateway() { # name port admin-port extra-yaml
  mkdir -p "$work/$1"
  cat > "$work/$1/clearance.yaml" <<CONF
data_dir: $work/$1/data
server: { host: 127.0.0.1, port: $2 }
admin: { host: 127.0.0.1, port: $3, token: bench-admin-token }
directives: $root/examples/directives
principals: $root/examples/principals.jsonl
upstreams:
  - { name: fixed, base_url: "http://127.0.0.1:$UP", models: ["*"], model_ids: [open-small], list_models: false }
$4
CONF
  "$java" -Xms512m -Xmx512m --enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
    -cp "$root/clearance-cli/target/clearance-cli.jar:$root/clearance-cli/target/lib/*" \
    dev.clearance.cli.Main serve --config "$work/$1/clearance.yaml" > "$work/$1/out" 2> "$work/$1/err" &
  pids+=($!)
  eval "PID_$1=$!"
  for _ in $(seq 1 300); do
    curl -sf -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$3/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$work/$1/err" >&2; exit 1
}
key() { # admin-port principal
  curl -sf -H 'Authorization: Bearer bench-admin-token' -H 'content-type: application/json' \
    -d "{\"principal\":\"$2\"}" "http://127.0.0.1:$1/admin/v1/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/'
}

start_gateway on "$GW" "$ADMIN" ""
start_gateway off "$GW_OFF" "$ADMIN_OFF" "classification: { enabled: false }"
start_gateway req "$GW_REQ" "$ADMIN_REQ" "classification: { output: off }"
ALICE="$(key "$ADMIN" alice)"; CHEN="$(key "$ADMIN" chen)"; CHEN_OFF="$(key "$ADMIN_OFF" chen)"
ALICE_REQ="$(key "$ADMIN_REQ" alice)"; CHEN_REQ="$(key "$ADMIN_REQ" chen)"

# Benign prompts of exactly N characters (patching and backups; nothing a capability directive restricts).
paragraph="Our operations team looks after about two hundred office laptops and a few file servers. Please summarise good practice for scheduling operating system patches, testing them on a pilot group first, keeping offline backups, and writing a short runbook so that new staff can follow it. "
for n in $SIZES; do
  text="$(python3 -c "import sys; p=sys.argv[1]; n=int(sys.argv[2]); print((p*(n//len(p)+1))[:n])" "$paragraph" "$n")"
  printf '{"model":"open-small","messages":[{"role":"system","content":"You are a helpful IT assistant."},{"role":"user","content":"%s"}]}' "$text" > "$work/body-$n.json"
  for k in "$ALICE" "$CHEN"; do  # sanity: both allowed (the prompt is benign), the upstream's body relayed
    curl -sf -X POST -H "Authorization: Bearer $k" -H 'content-type: application/json' --data-binary @"$work/body-$n.json" \
      "http://127.0.0.1:$GW/v1/chat/completions" | grep -q chatcmpl-bench \
      || { echo "bench: the $n-character prompt was not allowed" >&2; exit 1; }
  done
done

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
LUA
# CPU time (ms) the gateway process has used so far: on a loaded machine a steadier measure of cost than
# wall-clock latency, which also counts the time spent waiting for a core.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
run() { # out-file key body url connections gateway-pid
  local threads=$(( $5 < THREADS ? $5 : THREADS ))
  local before; before="$(cpu_ms "$6")"
  KEY="$2" BODY="$3" wrk -t"$threads" -c"$5" -d"$DURATION" --timeout 60s --latency -s "$work/post.lua" "$4" > "$work/$1.txt"
  local after; after="$(cpu_ms "$6")"
  awk -v b="$before" -v a="$after" '/requests in/ {printf "%.1f", (a - b) / $1}' "$work/$1.txt" > "$work/$1.cpu"
}
ms() { awk -v q="$1" '$1==q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.2f", v}'; }
rps() { awk '/Requests\/sec/ {print $2}'; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

echo "warming up both gateways for $WARMUP ..." >&2
KEY="$CHEN" BODY="$work/body-2000.json" wrk -t2 -c4 -d"$WARMUP" -s "$work/post.lua" "http://127.0.0.1:$GW/v1/chat/completions" >/dev/null
KEY="$CHEN_OFF" BODY="$work/body-2000.json" wrk -t2 -c4 -d"$WARMUP" -s "$work/post.lua" "http://127.0.0.1:$GW_OFF/v1/chat/completions" >/dev/null
KEY="$CHEN_REQ" BODY="$work/body-2000.json" wrk -t2 -c4 -d"$WARMUP" -s "$work/post.lua" "http://127.0.0.1:$GW_REQ/v1/chat/completions" >/dev/null

echo
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; wrk -d$DURATION; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| prompt (characters) | alice p50 / p99 (ms) | chen, request classified (output: off) p50 / p99 | added p50 / p99 | chen, request and answer classified (output: cut) p50 / p99 | added p50 / p99 | gateway CPU per call, alice / chen off / chen cut (ms) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $SIZES; do
  echo "measuring $n characters ..." >&2
  run "alice-$n" "$ALICE" "$work/body-$n.json" "http://127.0.0.1:$GW/v1/chat/completions" 1 "$PID_on"
  run "req-$n" "$CHEN_REQ" "$work/body-$n.json" "http://127.0.0.1:$GW_REQ/v1/chat/completions" 1 "$PID_req"
  run "chen-$n" "$CHEN" "$work/body-$n.json" "http://127.0.0.1:$GW/v1/chat/completions" 1 "$PID_on"
  a50="$(ms 50% < "$work/alice-$n.txt")"; a99="$(ms 99% < "$work/alice-$n.txt")"
  r50="$(ms 50% < "$work/req-$n.txt")"; r99="$(ms 99% < "$work/req-$n.txt")"
  c50="$(ms 50% < "$work/chen-$n.txt")"; c99="$(ms 99% < "$work/chen-$n.txt")"
  printf "| %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s / %s |\n" "$n" "$a50" "$a99" "$r50" "$r99" \
    "$(calc "$r50 - $a50")" "$(calc "$r99 - $a99")" "$c50" "$c99" "$(calc "$c50 - $a50")" "$(calc "$c99 - $a99")" \
    "$(cat "$work/alice-$n.cpu")" "$(cat "$work/req-$n.cpu")" "$(cat "$work/chen-$n.cpu")"
done

echo "measuring throughput ..." >&2
run tp-chen-on "$CHEN" "$work/body-2000.json" "http://127.0.0.1:$GW/v1/chat/completions" "$CONNS" "$PID_on"
run tp-chen-off "$CHEN_OFF" "$work/body-2000.json" "http://127.0.0.1:$GW_OFF/v1/chat/completions" "$CONNS" "$PID_off"
run tp-alice-on "$ALICE" "$work/body-2000.json" "http://127.0.0.1:$GW/v1/chat/completions" "$CONNS" "$PID_on"
echo
echo "| 2,000-character prompt, wrk -c$CONNS | requests/s | p50 (ms) | p99 (ms) | gateway CPU per call (ms) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for r in "chen, classification on:tp-chen-on" "chen, classification off:tp-chen-off" "alice, classification on (not classified):tp-alice-on"; do
  printf "| %s | %s | %s | %s | %s |\n" "${r%%:*}" "$(rps < "$work/${r##*:}.txt")" "$(ms 50% < "$work/${r##*:}.txt")" \
    "$(ms 99% < "$work/${r##*:}.txt")" "$(cat "$work/${r##*:}.cpu")"
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
curl -sf -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$ADMIN/metrics" \
  | grep -E '^clearance_classification_latency_seconds_(count|sum)' || true
