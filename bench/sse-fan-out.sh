#!/usr/bin/env bash
# Benchmark 3: S SSE subscribers (Gatling) on one `reetik.jar serve`, spread over V videos that wait on Cloud Run
# agent stubs and then complete: latency from each event's append to its receipt (p50/p99/max), errors, and heap per
# idle subscriber. Usage: bench/sse-fan-out.sh [videos 1000] [subscribers 10000] [users 50] [ramp s 40] [clip latency s 400]
# (after: mvn -B -ntp -DskipTests package). Prints figures only. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f standalone/target/reetik.jar ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
exec bench/bench-java.sh SseFanOut "$@"
