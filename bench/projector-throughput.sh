#!/usr/bin/env bash
# Benchmark 2: one status-projector folding a prepared reetik.video-events log from scratch, beside a plain Kafka
# consumer reading the same log in the same run (the anchor). Prints both rates, their ratio, GC and peak RSS.
# Usage: bench/projector-throughput.sh [videos (100000: 1,000,000 events)] [projector heap (512m)]
#        (after: mvn -B -ntp -DskipTests package)
# Prints figures only; it exits 1 only when the projector's views are wrong. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
VIDEOS=${1:-100000}
HEAP=${2:-512m}
[ -f status-projector/target/status-projector.jar ] \
  || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
exec bench/bench-java.sh ProjectorThroughput "$VIDEOS" "$HEAP"
