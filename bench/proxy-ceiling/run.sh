#!/usr/bin/env bash
# The ceiling of a Java data plane on this machine, in one run against the same upstream (one nginx
# worker answering a canned chat completion), wrk -t2 -c32 POST, ROUNDS rounds:
#   1. nginx as a plain reverse proxy (keep-alive to the upstream, two workers),
#   2. a bare Helidon 4 proxy (BareHelidonProxy: the gateway's server and upstream client, nothing else),
#   3. a bare Netty proxy (BareNettyProxy: epoll event loops, one upstream connection per client connection),
#   4. Helidon's server with a Netty upstream client (HelidonNettyClientProxy: the gateway's shape in
#      the fourth session; the virtual thread waits while one event loop does the upstream socket work),
#   5. Netty's server and client with each request on a virtual thread scheduled on its connection's
#      event loop (NettyLoomProxy loop: the gateway's shape since the fifth session),
#   6. the same with the virtual threads on the JDK's default scheduler (NettyLoomProxy fj).
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
UP=18191 PROXY=18193 HP=18194 NP=18195 HN=18196 NL=18197 NF=18198
work="$(mktemp -d /tmp/proxy-ceiling-XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in up px; do [ -f "$work/$f.pid" ] && kill "$(cat "$work/$f.pid")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$javac" -d "$work/classes" -cp "$root/clearance-cli/target/lib/*:$here/lib/*" "$here/BareHelidonProxy.java" "$here/BareNettyProxy.java" "$here/HelidonNettyClientProxy.java" "$here/NettyLoomProxy.java"
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"frontier-x","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
LUA
source "$root/bench/lib/fixed-nginx.sh"
start_fixed_nginx "$work" "$UP" "$PROXY"
cp="$work/classes:$root/clearance-cli/target/lib/*:$here/lib/*"
names=("bare Helidon" "bare Netty" "Helidon + Netty client" "Netty, calls on loop-scheduled virtual threads" "Netty, calls on default virtual threads")
ports=("$HP" "$NP" "$HN" "$NL" "$NF")
jopts=(-Xms512m -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED -cp "$cp")
"$java" "${jopts[@]}" BareHelidonProxy "$HP" "http://127.0.0.1:$UP" > "$work/hp.out" 2>&1 & ppids=($!)
"$java" "${jopts[@]}" BareNettyProxy "$NP" "$UP" 2 > "$work/np.out" 2>&1 & ppids+=($!)
"$java" "${jopts[@]}" HelidonNettyClientProxy "$HN" "$UP" 1 > "$work/hn.out" 2>&1 & ppids+=($!)
"$java" "${jopts[@]}" NettyLoomProxy "$NL" "$UP" 2 loop > "$work/nl.out" 2>&1 & ppids+=($!)
"$java" "${jopts[@]}" NettyLoomProxy "$NF" "$UP" 2 fj > "$work/nf.out" 2>&1 & ppids+=($!)
pids+=("${ppids[@]}")
for port in "${ports[@]}"; do  # wait until each proxy listens (a loaded machine starts JVMs slowly)
  for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
done
load() { wrk -t2 -c32 -d"$1" -s "$work/post.lua" "http://127.0.0.1:$2/v1/chat/completions" | awk '/Requests\/sec/ {print $2}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for port in "${ports[@]}"; do load 10s "$port" >/dev/null; done   # JIT warm-up
echo "wrk -t2 -c32 -d$DURATION; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1)"
hz="$(getconf CLK_TCK)"
secs="${DURATION%s}"
for r in $(seq 1 "$ROUNDS"); do
  n="$(load "$DURATION" "$PROXY")"
  line="round $r: nginx $(printf '%.0f' "$n")/s"
  for i in "${!ports[@]}"; do
    t0="$(ticks "${ppids[$i]}")"; x="$(load "$DURATION" "${ports[$i]}")"; t1="$(ticks "${ppids[$i]}")"
    line+="$(printf ' | %s %.0f/s = %.2fx, %.0f us CPU/request' "${names[$i]}" "$x" "$(echo "$x / $n" | bc -l)" "$(echo "($t1 - $t0) / $hz * 1000000 / ($x * $secs)" | bc -l)")"
  done
  echo "$line"
done
