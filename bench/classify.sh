#!/usr/bin/env bash
# Content classifier measurements (clearance-classify), see docs/benchmarks.md "Content classifier".
#
#   bench/classify.sh eval [--heldout FILE] [--taxonomy DIR] [--k 25]
#       held-out recall and false-positive rate of the shipped classifier beside a keyword deny list
#       and nearest neighbour over 25 exemplars, threshold sweep, per kind of prompt
#   bench/classify.sh latency [JMH options, e.g. -p chars=2000 -p threads=1]
#       JMH sample time (p50/p99) of one classification of 200, 2,000 and 20,000 characters
#   bench/classify.sh cost [runs]
#       thread CPU time of one classification (one ONNX Runtime thread), independent of machine load
#   bench/classify.sh operator DIR [runs]
#       time to load an operator capability directory (embed its exemplars, train every head again)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-}"
shift || true
java="${JAVA:-}"
if [ -z "$java" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 "${JAVA_HOME:-}"; do
    if [ -n "$d" ] && [ -x "$d/bin/java" ]; then java="$d/bin/java"; break; fi
  done
fi
java="${java:-java}"

cd "$root"
cp_file="$root/clearance-bench/target/classify.classpath"
# One reactor run, so the sibling modules resolve to their fresh target/ output, not ~/.m2.
./mvnw -q -B -o -pl clearance-bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cp_file" >&2
"$java" -version 2>&1 | head -1
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run=("$java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$root/clearance-bench/target/classes:$(cat "$cp_file")")
case "$what" in
  eval) exec "${run[@]}" dev.clearance.classify.ClassifierEvaluation "$@" ;;
  cost) exec "${run[@]}" dev.clearance.classify.ClassifierCost "$@" ;;
  operator) exec "${run[@]}" dev.clearance.classify.OperatorLoadCost "$@" ;;
  latency)
    [ "$#" -eq 0 ] && set -- -wi 3 -w 5s -i 5 -r 10s
    exec "${run[@]}" org.openjdk.jmh.Main ClassifierBenchmark -f 1 -jvmArgsAppend --enable-native-access=ALL-UNNAMED \
      -rf json -rff "$root/clearance-bench/target/classify-latency.json" "$@" ;;
  *) echo "usage: bench/classify.sh eval|latency|cost|operator [options]" >&2; exit 2 ;;
esac
