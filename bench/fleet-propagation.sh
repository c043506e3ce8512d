#!/usr/bin/env bash
# Fleet propagation and fail-closed timings, measured on a real fleet: three `clearance serve --config`
# JVMs on one embedded PostgreSQL (io.zonky), driven by FleetNodesTest (clearance-cli). It makes
# CHANGES directive changes, alternating the node that makes them, and reports
#   - activation to application per node, from the nodes' own records (policy_versions.activated_at
#     against fleet_applications.applied_at: the same clock, one machine), p50/p99/max;
#   - PUT answered to enforced on each other node, observed by polling a model call, p50/p99/max;
#   - with the database stopped, how long until each node stops answering 200; restarted, how long
#     until each serves again.
# Usage: bash bench/fleet-propagation.sh          (CHANGES=100; JVM="" runs the nodes with default JIT flags)
set -euo pipefail
cd "$(dirname "$0")/.."
CHANGES="${CHANGES:-100}"
JVM="${JVM:-}"
./mvnw -B -ntp -q -pl clearance-cli -am verify \
    -Dtest=FleetNodesTest -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
    -Dclearance.fleet.changes="$CHANGES" -Dclearance.fleet.jvm="$JVM"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cat clearance-cli/target/fleet-figures.txt
