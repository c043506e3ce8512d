#!/usr/bin/env bash
# Builds of the gateway side by side, in one run: nginx as a plain reverse proxy and one gateway per
# argument, all in front of the same upstream (an nginx worker answering a canned chat completion),
# measured in turn for ROUNDS rounds (wrk -t2 -c32, DURATION each, after a 10 s warm-up of every
# gateway). Prints, per round, requests/s and each gateway's CPU per request (user + system from
# /proc, which a shared machine disturbs much less than the rate).
#
#   bash bench/gateway-ab.sh /path/to/checkout-a /path/to/checkout-b       # two builds (each built:
#        ./mvnw -q -B -pl clearance-cli -am package -DskipTests in that checkout)
#   bash bench/gateway-ab.sh ".::-Djdk.virtualThreadScheduler.parallelism=1" .   # JVM options per gateway
#   EXTRAS="|log: { group_commit_wait: 3ms }" bash bench/gateway-ab.sh . .      # config lines per gateway
#
# Each gateway: `serve --config` with the four example directives, the example principals, SQLite,
# every decision durable before its answer, caller alice on frontier-x. Loopback only; everything
# started here is stopped on exit. Needs wrk, nginx, curl, a JDK >= 21. Does not use ../shared.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/find-java.sh"
found="$(find_java)" || { echo "gateway-ab: no JDK >= 21" >&2; exit 2; }
java="${found% *}"
for tool in wrk nginx curl; do command -v "$tool" >/dev/null || { echo "gateway-ab: $tool not found" >&2; exit 2; }; done
[ "$#" -ge 1 ] || { echo "usage: bench/gateway-ab.sh CHECKOUT[::JVM options] ..." >&2; exit 2; }
DURATION="${DURATION:-8s}" ROUNDS="${ROUNDS:-3}"
UP=18391 PROXY=18393
work="$(mktemp -d /tmp/gateway-ab-XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in up px; do [ -f "$work/$f.pid" ] && kill "$(cat "$work/$f.pid")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$root/bench/lib/fixed-nginx.sh"
start_fixed_nginx "$work" "$UP" "$PROXY"
IFS="|" read -ra extra <<< "${EXTRAS:-}"
ports=() i=0
for spec in "$@"; do
  dir="${spec%%::*}" opts=""
  [[ "$spec" == *::* ]] && opts="${spec#*::}"
  dir="$(cd "$dir" && pwd)"
  [ -f "$dir/clearance-cli/target/clearance-cli.jar" ] || { echo "gateway-ab: build $dir first" >&2; exit 2; }
  gw=$((18400 + i * 2)) admin=$((18401 + i * 2))
  write_gateway_config "$work/c$i.yaml" "$work/data$i" "$gw" "$admin" "$UP"
  [ -n "${extra[$i]:-}" ] && echo "${extra[$i]}" >> "$work/c$i.yaml"
  # shellcheck disable=SC2086 # opts is a list of JVM options
  "$java" -Xms512m -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED $opts -cp "$dir/clearance-cli/target/clearance-cli.jar:$dir/clearance-cli/target/lib/*" \
    dev.clearance.cli.Main serve --config "$work/c$i.yaml" > "$work/g$i.out" 2> "$work/g$i.err" &
  pids+=($!)
  for _ in $(seq 1 150); do
    curl -sf -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$admin/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  key="$(curl -sf -H 'Authorization: Bearer bench-admin-token' -H 'content-type: application/json' \
    -d '{"principal":"alice"}' "http://127.0.0.1:$admin/admin/v1/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')" \
    || { cat "$work/g$i.err" >&2; exit 1; }
  write_post_lua "$work/post$i.lua" "$key"
  curl -sf -X POST -H "Authorization: Bearer $key" -H 'content-type: application/json' \
    -d '{"model":"frontier-x","messages":[]}' "http://127.0.0.1:$gw/v1/chat/completions" | grep -q chatcmpl-bench
  ports+=("$gw")
  i=$((i + 1))
done
load() { wrk -t2 -c32 -d"$1" -s "$3" "http://127.0.0.1:$2/v1/chat/completions" | awk '/Requests\/sec/ {print $2}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz="$(getconf CLK_TCK)" secs="${DURATION%s}"
for ((j = 0; j < i; j++)); do load 10s "${ports[$j]}" "$work/post$j.lua" >/dev/null; done
echo "wrk -t2 -c32 -d$DURATION; $(nproc) CPUs; $("$java" -version 2>&1 | head -1)"
for r in $(seq 1 "$ROUNDS"); do
  n="$(load "$DURATION" "$PROXY" "$work/post0.lua")"
  line="round $r (load $(cut -d' ' -f1 /proc/loadavg)): nginx $(printf '%.0f' "$n")/s"
  # The gateways take turns going first: measured in a fixed order, the second of two builds of the
  # same code came out ahead in every round (2026-12-07), so a fixed order would favour one build.
  results=()
  for ((k = 0; k < i; k++)); do
    j=$(((k + r - 1) % i))
    t0="$(ticks "${pids[$j]}")"; x="$(load "$DURATION" "${ports[$j]}" "$work/post$j.lua")"; t1="$(ticks "${pids[$j]}")"
    results[$j]="#$((j + 1)) $(printf '%.0f' "$x")/s = $(printf '%.2f' "$(echo "$x / $n" | bc -l)")x, $(printf '%.0f' "$(echo "($t1 - $t0) / $hz * 1000000 / ($x * $secs)" | bc -l)") us CPU/request"
  done
  for ((j = 0; j < i; j++)); do line="$line | ${results[$j]}"; done
  echo "$line (first: #$(((r - 1) % i + 1)))"
done
