#!/usr/bin/env bash
# Benchmark 1, overhead over the agents: 1 video, then 10 and 100 at once, of 9 blocks each, against Cloud Run agent
# stubs whose clip operations take a fixed latency (5 s), with the default 10 s poll interval; first on
# `reetik.jar serve` (one JVM, embedded broker), then as deployed: gateway, agent-bridge and status-projector, each
# its own JVM, on a 3-node Kafka cluster (deploy/local-cluster/cluster.sh; its first start resolves the Kafka
# classpath with Maven: MVN_ARGS=-o offline). Optionally the serve part again with another jar (e.g. an older build).
# Usage: bench/poll-overhead.sh [other-reetik.jar]    (after: mvn -B -ntp -DskipTests package)
# Prints figures only; it asserts nothing. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=standalone/target/reetik.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
bench/bench-java.sh PollOverhead --jar "$JAR" --latency-ms 5000 --poll-ms 10000 --counts 1,10,100
if [ $# -ge 1 ]; then
  bench/bench-java.sh PollOverhead --jar "$1" --latency-ms 5000 --poll-ms 10000 --counts 1,10,100
fi
# Six JVMs start and compile at once on the cluster: a warm-up batch of 10 videos before the measured ones.
bench/bench-java.sh PollOverhead --on cluster --warm-up 10 --latency-ms 5000 --poll-ms 10000 --counts 1,10,100
