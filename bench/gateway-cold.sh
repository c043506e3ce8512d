#!/usr/bin/env bash
# The gateway's first seconds after a start, as shipped: `bin/clearance serve --config` (the launcher's
# own JVM settings) with the four example directives, the example principals, SQLite, every decision
# durable; caller alice on frontier-x, in front of an nginx worker answering a canned chat completion.
# Measures, ROUNDS times, each from a fresh JVM and an empty data directory:
#   - start: seconds from launching the JVM to /health answering (after the node's own warm-up, server.warmup);
#   - wrk -t2 -c32 in one-second windows for WINDOWS seconds right after that (no warm-up by the load tool);
#   - then one more 10 s run (the rate once the JIT has compiled the call's path).
# The mean of the windows is what a 10 s load test started at once would report.
#   bash bench/gateway-cold.sh                        # ROUNDS=3 WINDOWS=10
#   OPTS="-XX:TieredStopAtLevel=1" bash bench/gateway-cold.sh    # extra JVM options (CLEARANCE_JAVA_OPTS)
#   WARMUP=0s bash bench/gateway-cold.sh              # server.warmup (unset: the default; 0s: listen at once)
# Loopback only; everything started here is stopped on exit. Needs wrk, nginx, curl and a JDK >= 21.
# Does not use ../shared.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
WINDOWS="${WINDOWS:-10}"
OPTS="${OPTS:-}"
UP=18191 PROXY=18193 GW=18194 ADMIN=18195

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install wrk nginx curl)" >&2; exit 2; }
done
[ -f "$root/clearance-cli/target/clearance-cli.jar" ] \
  || { echo "build the CLI first: ./mvnw -q -B -pl clearance-cli -am package -DskipTests" >&2; exit 1; }

work="$(mktemp -d /tmp/clearance-cold-XXXXXX)"
gateway=""
cleanup() {
  [ -n "$gateway" ] && kill "$gateway" 2>/dev/null || true
  for f in up px; do [ -f "$work/$f.pid" ] && kill "$(cat "$work/$f.pid")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

source "$root/bench/lib/fixed-nginx.sh"
start_fixed_nginx "$work" "$UP" "$PROXY" # the proxy is not measured here

write_post_lua "$work/post.lua"

rps() { awk '/Requests\/sec/ {printf "%d", $2}'; }
echo "wrk -t2 -c32, $WINDOWS one-second windows from the first answer of /health, then 10 s; $(nproc) CPUs${OPTS:+; CLEARANCE_JAVA_OPTS=$OPTS}"
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$work/data"
  write_gateway_config "$work/clearance.yaml" "$work/data" "$GW" "$ADMIN" "$UP"
  t0=$(date +%s.%N)
  CLEARANCE_NO_BUILD=1 CLEARANCE_JAVA_OPTS="$OPTS" "$root/bin/clearance" serve --config "$work/clearance.yaml" \
    > "$work/gateway.out" 2> "$work/gateway.err" &
  gateway=$!
  for _ in $(seq 1 1800); do
    curl -sf -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$ADMIN/health" >/dev/null 2>&1 && break
    sleep 0.05
  done
  t1=$(date +%s.%N)
  KEY="$(curl -sf -H 'Authorization: Bearer bench-admin-token' -H 'content-type: application/json' \
    -d '{"principal":"alice"}' "http://127.0.0.1:$ADMIN/admin/v1/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')" \
    || { cat "$work/gateway.err" >&2; exit 1; }
  export KEY
  windows=()
  for _ in $(seq 1 "$WINDOWS"); do
    windows+=("$(wrk -t2 -c32 -d1s -s "$work/post.lua" "http://127.0.0.1:$GW/v1/chat/completions" | rps)")
  done
  warm="$(wrk -t2 -c32 -d10s -s "$work/post.lua" "http://127.0.0.1:$GW/v1/chat/completions" | rps)"
  kill "$gateway"; wait "$gateway" 2>/dev/null || true; gateway=""
  grep -h "^warm-up:" "$work/gateway.err" || true
  mean="$(printf '%s\n' "${windows[@]}" | awk '{s += $1} END {printf "%d", s / NR}')"
  printf 'round %d: start %.2f s | windows/s: %s | mean %d/s | the next 10 s %d/s (%.2f of it)\n' \
    "$round" "$(echo "$t1 - $t0" | bc)" "${windows[*]}" "$mean" "$warm" "$(echo "$mean / $warm" | bc -l)"
done
