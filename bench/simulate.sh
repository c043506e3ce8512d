#!/usr/bin/env bash
# Benchmarks `clearance simulate` end to end, as shipped: `bin/clearance simulate` (the launcher's own JVM
# settings, no tuning flags) over 200k principals x 1M requests from JSON Lines on disk, wall clock
# including JVM start. Generates the data once into ${DATA:-/tmp/clearance-sim} (seeded, synthetic).
# Needs: python3, a JDK >= 21 (25 measured), a built CLI (./mvnw -q -B -o -pl clearance-cli -am package -DskipTests).
# Does not use ../shared.
#
#   bench/simulate.sh [PRINCIPALS] [REQUESTS]            # the example directives (baseline: three of them)
#   SHAPES=1 bench/simulate.sh [PRINCIPALS] [REQUESTS]   # six generated directives of other shapes
#                                                        # (simulate-data.py --shapes), one erring for most principals
#   ISO=1 SHAPES=1 bench/simulate.sh                     # the same records written as another generator might
#                                                        # (isoformat times with +00:00, default separators,
#                                                        # shuffled keys: simulate-data.py --iso)
#   RUNS=3 bench/simulate.sh                             # more runs (default 2: the first after a build also
#                                                        # writes the launcher's CDS archive)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
principals="${1:-200000}"
requests="${2:-1000000}"
shapes="${SHAPES:-}"
iso="${ISO:-}"
data="${DATA:-/tmp/clearance-sim}/${principals}x${requests}${shapes:+-shapes}${iso:+-iso}"
[ -f "$root/clearance-cli/target/clearance-cli.jar" ] || { echo "build the CLI first: ./mvnw -q -B -o -pl clearance-cli -am package -DskipTests" >&2; exit 1; }

if [ ! -s "$data/requests.jsonl" ]; then
  mkdir -p "$data"
  echo "generating $principals principals and $requests requests into $data ..." >&2
  python3 "$root/bench/simulate-data.py" ${shapes:+--shapes} ${iso:+--iso} "$data" "$principals" "$requests"
fi
if [ -n "$shapes" ]; then
  policies=(--baseline "$data/baseline" --draft "$data/draft")
else
  # Baseline: what is in force before the story's directive; draft: every example directive.
  policies=(--baseline "$root/examples/directives/sanctioned-locations.yaml"
            --baseline "$root/examples/directives/offensive-cyber-capability.yaml"
            --baseline "$root/examples/directives/proposed-remote-access-rule.yaml"
            --draft "$root/examples/directives")
fi

for run in $(seq 1 "${RUNS:-2}"); do
  out="$data/report-$run.json"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$data/time-$run.txt" \
    "$root/bin/clearance" simulate "${policies[@]}" --at 2026-11-26T12:00:00Z --format json \
    --principals "$data/principals.jsonl" --requests "$data/requests.jsonl" --out "$out"
  end=$(date +%s.%N)
  echo "== run $run   (load average before: $load, after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs)"
  python3 - "$out" "$start" "$end" "$requests" "$data/time-$run.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); start, end, n = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
user, system, rss = open(sys.argv[5]).read().split()
run = r["run"]; wall = end - start
traffic_decisions = 2 * r["requests"]["total"]
pop_decisions = run["decisions"] - traffic_decisions
print(f"requests        {r['requests']['total']:,}  newly denied {r['requests']['newly_denied']:,}")
print(f"principals      {r['principals']['total']:,}  losing access {r['principals']['losing_access']:,}  models {len(r['models'])}")
print(f"traffic pass    {run['traffic_ms']} ms wall = {r['requests']['total'] / max(run['traffic_ms'], 1) * 1000:,.0f} requests/s;"
      f" {run['traffic_cpu_ms']} ms CPU")
print(f"population pass {run['population_ms']} ms wall = {pop_decisions / max(run['population_ms'], 1) * 1000:,.0f} decisions/s;"
      f" {run['population_cpu_ms']} ms CPU")
print(f"end to end      {wall:.2f} s wall = {n / wall:,.0f} requests/s; CPU {float(user) + float(system):.2f} s"
      f" (user {user}, sys {system}); max RSS {int(rss) // 1024} MB")
PY
done
