#!/usr/bin/env bash
# Runs a harness of the bench module: bench/bench-java.sh <class simple name> [args…] [JVM options in BENCH_JAVA_OPTS]
# (after: mvn -B -ntp -DskipTests package, which writes bench/target/classpath.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
CP=bench/target/classpath.txt
[ -f "$CP" ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
CLASS=$1; shift
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx1g} \
  -cp "bench/target/classes:$(cat "$CP")" "com.reetik.bench.$CLASS" "$@"
