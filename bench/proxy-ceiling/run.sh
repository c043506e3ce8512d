#!/usr/bin/env bash
# The ceiling of a Java data plane on this machine, in one run against the same upstream (one nginx
# worker answering a canned chat completion), wrk -t2 -c32 POST, ROUNDS rounds:
#   1. nginx as a plain reverse proxy (keep-alive to the upstream, two workers),
#   2. a bare Helidon 4 proxy (BareHelidonProxy: the gateway's server and upstream client, nothing else),
#   3. a bare Netty proxy (BareNettyProxy: epoll event loops, one upstream connection per client connection),
#   4. Helidon's server with a Netty upstream client (HelidonNettyClientProxy: the gateway's shape since
#      the fourth session; the virtual thread waits while one event loop does the upstream socket work).
# Neither bare proxy decides or records anything: they bound what a gateway built on each can reach.
# Prints requests/s, the ratio to nginx and each proxy's CPU per request (from /proc).
# Needs: wrk, nginx, a JDK >= 21, the CLI built (its target/lib holds Helidon), and Maven Central for
# Netty (fetched once into bench/proxy-ceiling/lib by ./mvnw). Does not use ../shared. Loopback only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/bin/lib/find-java.sh"
found="$(find_java)" || { echo "proxy-ceiling: no JDK >= 21" >&2; exit 2; }
java="${found% *}"; javac="$(dirname "$java")/javac"
for tool in wrk nginx; do command -v "$tool" >/dev/null || { echo "proxy-ceiling: $tool not found" >&2; exit 2; }; done
[ -d "$root/clearance-cli/target/lib" ] || { echo "build the CLI first: ./mvnw -q -B -pl clearance-cli -am package -DskipTests" >&2; exit 2; }
[ -d "$here/lib" ] || "$root/mvnw" -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$here/lib"

DURATION="${DURATION:-10s}" ROUNDS="${ROUNDS:-2}"
UP=18191 PROXY=18193 HP=18194 NP=18195 HN=18196
work="$(mktemp -d /tmp/proxy-ceiling-XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in up px; do [ -f "$work/$f.pid" ] && kill "$(cat "$work/$f.pid")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$javac" -d "$work/classes" -cp "$root/clearance-cli/target/lib/*:$here/lib/*" "$here/BareHelidonProxy.java" "$here/BareNettyProxy.java" "$here/HelidonNettyClientProxy.java"
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"frontier-x","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
LUA
source "$root/bench/lib/fixed-nginx.sh"
start_fixed_nginx "$work" "$UP" "$PROXY"
cp="$work/classes:$root/clearance-cli/target/lib/*:$here/lib/*"
"$java" -Xms512m -Xmx512m -cp "$cp" BareHelidonProxy "$HP" "http://127.0.0.1:$UP" > "$work/hp.out" 2>&1 & hp=$!; pids+=("$hp")
"$java" -Xms512m -Xmx512m -cp "$cp" BareNettyProxy "$NP" "$UP" 2 > "$work/np.out" 2>&1 & np=$!; pids+=("$np")
"$java" -Xms512m -Xmx512m -cp "$cp" HelidonNettyClientProxy "$HN" "$UP" 1 > "$work/hn.out" 2>&1 & hn=$!; pids+=("$hn")
for port in "$HP" "$NP" "$HN"; do  # wait until each proxy listens (a loaded machine starts JVMs slowly)
  for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
done
load() { wrk -t2 -c32 -d"$1" -s "$work/post.lua" "http://127.0.0.1:$2/v1/chat/completions" | awk '/Requests\/sec/ {print $2}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load 10s "$HP" >/dev/null; load 10s "$NP" >/dev/null; load 10s "$HN" >/dev/null   # JIT warm-up
echo "wrk -t2 -c32 -d$DURATION; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1)"
hz="$(getconf CLK_TCK)"
for r in $(seq 1 "$ROUNDS"); do
  n="$(load "$DURATION" "$PROXY")"
  t0="$(ticks "$hp")"; h="$(load "$DURATION" "$HP")"; t1="$(ticks "$hp")"
  t2="$(ticks "$np")"; j="$(load "$DURATION" "$NP")"; t3="$(ticks "$np")"
  t4="$(ticks "$hn")"; k="$(load "$DURATION" "$HN")"; t5="$(ticks "$hn")"
  secs="${DURATION%s}"
  printf 'round %d: nginx %.0f/s | bare Helidon %.0f/s = %.2fx, %.0f us CPU/request | bare Netty %.0f/s = %.2fx, %.0f us CPU/request | Helidon + Netty client %.0f/s = %.2fx, %.0f us CPU/request\n' \
    "$r" "$n" "$h" "$(echo "$h / $n" | bc -l)" "$(echo "($t1 - $t0) / $hz * 1000000 / ($h * $secs)" | bc -l)" \
    "$j" "$(echo "$j / $n" | bc -l)" "$(echo "($t3 - $t2) / $hz * 1000000 / ($j * $secs)" | bc -l)" \
    "$k" "$(echo "$k / $n" | bc -l)" "$(echo "($t5 - $t4) / $hz * 1000000 / ($k * $secs)" | bc -l)"
done
