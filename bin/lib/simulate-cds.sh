# Sourced by bin/clearance and bin/simulate-archive: where the CDS archive for `simulate` lives.
# shellcheck shell=bash

# The JVM ignores an archive whose jars have changed: name the archive after the JVM and the jars
# (path, mtime, size), so that a rebuild starts a new one.
simulate_archive() {  # java target-dir -> the archive's path
  local stamp
  stamp="$( (echo "$1"; stat -c '%n %Y %s' "$2/clearance-cli.jar" "$2"/lib/*.jar) 2>/dev/null | cksum | cut -d' ' -f1)"
  echo "$2/simulate-$stamp.jsa"
}
