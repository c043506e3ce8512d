# Sourced by bin/clearance and bin/java21: java_major and find_java (the newest JDK >= $min).
# shellcheck shell=bash
min=21

java_major() {  # prints the major version of the java binary $1, or nothing
  # The JDK's release file names its version: reading it costs no JVM start (each costs ~50 ms, and
  # there are several candidates). Without one, ask the JVM.
  local release v
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -r "$release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1)"
    if [ -n "$v" ]; then echo "$v"; return; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

find_java() {
  local best="" best_v=0 cand v
  local candidates=()
  [ -n "${CLEARANCE_JAVA_HOME:-}" ] && candidates+=("$CLEARANCE_JAVA_HOME/bin/java")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$d/bin/java" ] && candidates+=("$d/bin/java")
  done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for cand in "${candidates[@]}"; do
    v="$(java_major "$cand" || true)"
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    # CEL evaluation is several times faster on JDK >= 23: prefer the newest JDK found.
    if [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best="$cand"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best $best_v"
}

