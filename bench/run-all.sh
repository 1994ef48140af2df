#!/usr/bin/env bash
# Every benchmark of bench/, one after the other, each printing its figures and the ratio to its anchor measured
# in the same run (docs/performance.md holds the results and says which goals hold).
#   bench/run-all.sh           full sizes (about 30 minutes on 2 cores)
#   bench/run-all.sh --smoke   tiny sizes, to check that every benchmark still runs (CI, about 5 minutes)
# After the README's build (mvn -B -ntp verify, or mvn -B -ntp -DskipTests package). Benchmarks, not tests: they
# assert nothing about speed; one fails only when it cannot run or its result is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
SMOKE=false
[ "${1:-}" = "--smoke" ] && SMOKE=true
for f in standalone/target/reetik.jar gateway/target/gateway.jar agent-bridge/target/agent-bridge.jar \
    status-projector/target/status-projector.jar bench/target/classpath.txt; do
  [ -f "$f" ] || { echo "missing $f: build first (mvn -B -ntp -DskipTests package)" >&2; exit 2; }
done
section() { echo; echo "######## $1 ($(date -u +%FT%TZ))"; }
# Each benchmark has a time limit, so that one that hangs fails this script instead of holding CI until its own
# limit: timeout(1) signals the benchmark's whole process group, the JVMs a harness started included.
if $SMOKE; then LIMIT=300; else LIMIT=3600; fi
bounded() {
  local rc=0
  timeout -k 30 "$LIMIT" "$@" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "benchmark did not end within ${LIMIT} s: $*" >&2
  fi
  return "$rc"
}

section "1. overhead over the agents: Cloud Run stubs of fixed latency; serve, then the three services on 3 Kafka nodes"
if $SMOKE; then
  bounded bench/bench-java.sh PollOverhead --jar standalone/target/reetik.jar --latency-ms 500 --poll-ms 1000 --counts 1,2
  bounded bench/bench-java.sh PollOverhead --on cluster --latency-ms 500 --poll-ms 1000 --counts 1
else
  bounded bench/poll-overhead.sh
fi

section "2. projector throughput (prepared log folded from scratch, beside a plain consumer)"
if $SMOKE; then bounded bench/projector-throughput.sh 1000 256m; else bounded bench/projector-throughput.sh 100000 512m; fi

section "3. change to screen: SSE subscribers (Gatling) while their videos progress"
if $SMOKE; then bounded bench/sse-fan-out.sh 10 100 2 5 30; else bounded bench/sse-fan-out.sh 1000 10000 50 40 400; fi

section "4. API under load: increasing rates until the p99 passes 50 ms (Gatling, open model)"
if $SMOKE; then bounded bench/api-load.sh 20 3 10; else bounded bench/api-load.sh 50,100,200,400,800 15 200; fi

section "5. many videos in flight: heap, threads and consumer lag while clips take 10 minutes"
if $SMOKE; then bounded bench/many-in-flight.sh 10 1 60 20; else bounded bench/many-in-flight.sh 1000 8 600 30; fi

section "6. local preview: generate beside the same ffmpeg work alone"
if $SMOKE; then bounded env SERVE_WARM_UPS=1 bench/generate-vs-ffmpeg.sh 1 8; else bounded bench/generate-vs-ffmpeg.sh 3 36; fi

section "7. start-up and size"
if $SMOKE; then bounded bench/startup-and-size.sh 1; else bounded bench/startup-and-size.sh 3; fi
