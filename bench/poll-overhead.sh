#!/usr/bin/env bash
# Waiting poll tasks must not hold up other videos' blocks: 1 video, then 10 at once, of 9 blocks each,
# against Cloud Run agent stubs whose clip operations take a fixed latency (5 s), with the default 10 s poll
# interval, on `reetik.jar serve`. Optionally the same against another jar (e.g. an older build) in the same run.
# Usage: bench/poll-overhead.sh [other-reetik.jar]    (after: mvn -B -ntp -DskipTests package)
# Prints figures only; it asserts nothing. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=standalone/target/reetik.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
bench/bench-java.sh PollOverhead --jar "$JAR" --latency-ms 5000 --poll-ms 10000 --counts 1,10
if [ $# -ge 1 ]; then
  bench/bench-java.sh PollOverhead --jar "$1" --latency-ms 5000 --poll-ms 10000 --counts 1,10
fi
