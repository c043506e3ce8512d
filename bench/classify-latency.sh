#!/usr/bin/env bash
# Content-classifier latency: JMH sample time (p50/p99) of one classification of a 200-, 2,000- and
# 20,000-character prompt with the shipped classifier. Prints the JDK and the load average first.
#
# Usage: bench/classify-latency.sh [JMH options, e.g. -p chars=2000 -p threads=1]
#        bench/classify-latency.sh --cost [runs]   (thread CPU time per classification, 1 thread)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA:-}"
if [ -z "$java" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 "${JAVA_HOME:-}"; do
    if [ -n "$d" ] && [ -x "$d/bin/java" ]; then java="$d/bin/java"; break; fi
  done
fi
java="${java:-java}"

cd "$root"
cp_file="$root/clearance-bench/target/classify-latency.classpath"
./mvnw -q -B -o -pl clearance-bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cp_file" >&2
"$java" -version 2>&1 | head -1
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${1:-}" = "--cost" ]; then
  shift
  exec "$java" --enable-native-access=ALL-UNNAMED -cp "$root/clearance-bench/target/classes:$(cat "$cp_file")" \
    dev.clearance.classify.ClassifierCost "$@"
fi
[ "$#" -eq 0 ] && set -- -wi 3 -w 5s -i 5 -r 10s
exec "$java" --enable-native-access=ALL-UNNAMED -cp "$root/clearance-bench/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main ClassifierBenchmark -f 1 \
  -jvmArgsAppend --enable-native-access=ALL-UNNAMED \
  -rf json -rff "$root/clearance-bench/target/classify-latency.json" "$@"
