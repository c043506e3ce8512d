#!/usr/bin/env bash
# Screening evaluation: recall and false-positive rate per disguise on the real list snapshots,
# latency, throughput and the time to re-screen generated principals.
#
# Uses ../shared/data/screening (next to the repository); skips cleanly when it is absent.
# Usage: bench/screening-eval.sh [--threshold 0.85] [--per-variant 1000] [--threads 2]
#                                [--principals 1000000] [--seed 11] [--misses 5] [--data DIR]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/../shared/data/screening"
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--data" ]; then j=$((i + 1)); data="${!j}"; fi
done
if [ ! -f "$data/sdn.csv" ]; then
  echo "screening-eval: skipped, no list snapshot at $data (it lives in ../shared/data/screening)"
  exit 0
fi

java="${JAVA:-}"
if [ -z "$java" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 "${JAVA_HOME:-}"; do
    if [ -n "$d" ] && [ -x "$d/bin/java" ]; then java="$d/bin/java"; break; fi
  done
fi
java="${java:-java}"

cd "$root"
cp_file="$root/clearance-bench/target/screening-eval.classpath"
# One reactor run, so the sibling modules resolve to their fresh target/ output, not ~/.m2.
./mvnw -q -B -o -pl clearance-bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cp_file" >&2
exec "$java" -Xmx2g -cp "$root/clearance-bench/target/classes:$(cat "$cp_file")" \
  dev.clearance.bench.screening.ScreeningEvaluation --data "$data" "$@"
