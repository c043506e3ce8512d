#!/usr/bin/env bash
# Content-classifier evaluation on the held-out labelled set: the shipped classifier at its trained
# thresholds beside a keyword deny list and nearest neighbour over 25 exemplars, a threshold sweep,
# and the share of each kind of prompt detected or flagged.
#
# Usage: bench/classify-eval.sh [--heldout FILE] [--taxonomy DIR] [--k 25]
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
cp_file="$root/clearance-bench/target/classify-eval.classpath"
# One reactor run, so the sibling modules resolve to their fresh target/ output, not ~/.m2.
./mvnw -q -B -o -pl clearance-bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cp_file" >&2
exec "$java" -Xmx2g --enable-native-access=ALL-UNNAMED \
  -cp "$root/clearance-bench/target/classes:$(cat "$cp_file")" \
  dev.clearance.classify.ClassifierEvaluation "$@"
