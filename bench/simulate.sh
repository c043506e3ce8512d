#!/usr/bin/env bash
# Benchmarks `clearance simulate` end to end: 200k principals x 1M requests from JSON Lines on disk.
# Generates the data once into ${DATA:-/tmp/clearance-sim} (seeded, synthetic), then times the command
# twice: a plain JVM, and a JVM with an AOT cache (JDK 25, JEP 483/515) trained on a small run, which
# removes most class loading and warm-up. Needs: python3, JDK 25, a built CLI
# (./mvnw -q -B -o -pl clearance-cli -am package -DskipTests). Does not use ../shared.
# Usage: bench/simulate.sh [PRINCIPALS] [REQUESTS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
principals="${1:-200000}"
requests="${2:-1000000}"
data="${DATA:-/tmp/clearance-sim}/${principals}x${requests}"
java="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
cp="$root/clearance-cli/target/clearance-cli.jar:$root/clearance-cli/target/lib/*"
[ -f "$root/clearance-cli/target/clearance-cli.jar" ] || { echo "build the CLI first: ./mvnw -q -B -o -pl clearance-cli -am package -DskipTests" >&2; exit 1; }

if [ ! -s "$data/requests.jsonl" ]; then
  mkdir -p "$data"
  echo "generating $principals principals and $requests requests into $data ..." >&2
  python3 "$root/bench/simulate-data.py" "$data" "$principals" "$requests"
fi
# Baseline: what is in force before the story's directive; draft: every example directive.
args=(simulate
      --baseline "$root/examples/directives/sanctioned-locations.yaml"
      --baseline "$root/examples/directives/offensive-cyber-capability.yaml"
      --baseline "$root/examples/directives/proposed-remote-access-rule.yaml"
      --draft "$root/examples/directives" --at 2026-11-26T12:00:00Z --format json)
# ParallelGC: a batch job wants throughput, not short pauses; THP: traffic hits principals at random,
# so TLB misses matter (the kernel's madvise mode is enough).
flags=(-Xmx2g -XX:+UseParallelGC -XX:+UseTransparentHugePages)

run() {  # run LABEL EXTRA_JVM_FLAGS...
  local label="$1"; shift
  local out="$data/report-$label.json"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U s user CPU, %S s system CPU, %M KB max RSS" -o "$data/time-$label.txt" \
    "$java" "${flags[@]}" "$@" -cp "$cp" dev.clearance.cli.Main "${args[@]}" \
    --principals "$data/principals.jsonl" --requests "$data/requests.jsonl" --out "$out" 2> >(grep -v '^WARNING: ' >&2)
  end=$(date +%s.%N)
  echo "== $label   (load average now: $(cut -d' ' -f1-3 /proc/loadavg); the machine may be shared)"
  cat "$data/time-$label.txt"
  python3 - "$out" "$start" "$end" "$requests" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); start, end, n = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
run = r["run"]; wall = end - start
traffic_decisions = 2 * r["requests"]["total"]
pop_decisions = run["decisions"] - traffic_decisions
print(f"requests        {r['requests']['total']:,}  newly denied {r['requests']['newly_denied']:,}")
print(f"principals      {r['principals']['total']:,}  losing access {r['principals']['losing_access']:,}  models {len(r['models'])}")
print(f"traffic pass    {run['traffic_ms']} ms wall = {r['requests']['total'] / max(run['traffic_ms'], 1) * 1000:,.0f} requests/s"
      f" ({traffic_decisions / max(run['traffic_ms'], 1) * 1000:,.0f} decisions/s, parsing included);"
      f" {run['traffic_cpu_ms']} ms CPU = {r['requests']['total'] / max(run['traffic_cpu_ms'], 1) * 1000:,.0f} requests per CPU-second")
print(f"population pass {run['population_ms']} ms wall = {pop_decisions / max(run['population_ms'], 1) * 1000:,.0f} decisions/s;"
      f" {run['population_cpu_ms']} ms CPU = {pop_decisions / max(run['population_cpu_ms'], 1) * 1000:,.0f} decisions per CPU-second")
print(f"end to end      {wall:.2f} s wall (JVM start, reading principals, both passes, report) = {n / wall:,.0f} requests/s")
PY
}

run plain

aot="$data/simulate.aot"
if [ ! -s "$aot" ]; then
  # Training run on a slice of the data (the same code paths, a tenth of the work).
  head -n 20000 "$data/principals.jsonl" > "$data/train-principals.jsonl"
  head -n 100000 "$data/requests.jsonl" > "$data/train-requests.jsonl"
  "$java" "${flags[@]}" -XX:AOTCacheOutput="$aot" -cp "$cp" dev.clearance.cli.Main "${args[@]}" \
    --principals "$data/train-principals.jsonl" --requests "$data/train-requests.jsonl" --out "$data/train.json" \
    > /dev/null 2>&1
fi
run aot -XX:AOTCache="$aot"
