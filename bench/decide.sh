#!/usr/bin/env bash
# Builds and runs the decision benchmark (clearance-bench, DecideBenchmark): the core's decide() over
# 200 generated directives and 1,000,000 generated principals, side by side with cedar-java and jCasbin
# on the same directives and requests. Needs no files outside the repository.
#
#   bench/decide.sh                      # the settings docs/benchmarks.md reports (-f 1 -wi 3 -i 5)
#   bench/decide.sh 'decisionPoint$'     # one benchmark (a JMH regexp), same settings
#   bench/decide.sh DecideBenchmark -prof gc -p principals=10000   # any JMH options after the regexp
#
# DECIDE_JAVA_OPTS goes to the JMH launcher JVM (e.g. -Djmh.ignoreLock=true when another JMH run holds
# /tmp/jmh.lock on a shared machine). Results are also written as JSON to clearance-bench/target/decide.json. About 15 minutes on 2 cores;
# the forks use a 6 GB heap (the million principals and each engine's view of them live in memory).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
# CEL runs several times faster on JDK >= 23: take the newest JDK >= 21 found.
java="" best=0
for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java $(command -v java || true); do
  [ -x "$cand" ] || continue
  v="$(java_major "$cand" || true)"
  [[ "$v" =~ ^[0-9]+$ ]] || continue
  if [ "$v" -ge 21 ] && [ "$v" -gt "$best" ]; then java="$cand"; best="$v"; fi
done
if [ -z "$java" ]; then
  echo "decide.sh: no JDK >= 21 found; set JAVA_HOME to one." >&2
  exit 3
fi
export JAVA_HOME="$(dirname "$(dirname "$java")")"

./mvnw -q -B -pl clearance-core,clearance-bench -am -Pbenchmarks package -DskipTests

pattern="${1:-DecideBenchmark}"
[ $# -gt 0 ] && shift
# The reported settings, unless the caller gives the same option (JMH rejects an option given twice).
settings=()
for opt in "-f 1" "-wi 3" "-i 5"; do
  case " $* " in *" ${opt% *} "*) ;; *) settings+=(${opt}) ;; esac
done
echo "decide.sh: $("$java" -version 2>&1 | head -1), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# shellcheck disable=SC2086
exec "$java" ${DECIDE_JAVA_OPTS:-} -jar clearance-bench/target/benchmarks.jar "$pattern" "${settings[@]}" \
  -rf json -rff clearance-bench/target/decide.json "$@"
