#!/usr/bin/env bash
# Benchmark 5: V videos waiting on Cloud Run stubs whose clips take 10 minutes: the server's heap after GC, threads,
# stub calls and every consumer group's lag, sampled while they wait.
# Usage: bench/many-in-flight.sh [videos 1000] [minutes 8] [clip latency s 600] [sample s 30]
# (after: mvn -B -ntp -DskipTests package). Prints figures only. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f standalone/target/reetik.jar ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
exec bench/bench-java.sh ManyInFlight "$@"
