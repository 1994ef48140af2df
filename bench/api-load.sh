#!/usr/bin/env bash
# Benchmark 4: GET /api/videos/{id}, GET /api/videos and POST /api/videos at increasing rates (Gatling, open model)
# against `reetik.jar serve` until the p99 passes 50 ms; the server's JFR recording at that rate is kept.
# Usage: bench/api-load.sh [rates 50,100,200,400,800] [seconds 15] [videos 200]
# (after: mvn -B -ntp -DskipTests package). Prints figures only. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f standalone/target/reetik.jar ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
exec bench/bench-java.sh ApiLoad "$@"
