#!/usr/bin/env bash
# Benchmark 7: time from launch to ready of each service jar (against a running broker) and of `reetik.jar serve`,
# then each jar's size and its largest libraries. Usage: bench/startup-and-size.sh [runs 3]
# (after: mvn -B -ntp -DskipTests package). Prints figures only. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/bench-java.sh StartupAndSize "$@"
