#!/usr/bin/env bash
# Wall time of `reetik generate` for a 36 s video beside ffmpeg alone making the same clips: `java -jar` of the
# packaged jar, and bin/reetik (the unpacked application with a class-data-sharing archive).
# Usage: bench/generate-vs-ffmpeg.sh [runs] [duration s (36)]   (after: mvn -B -ntp -DskipTests package)
# Prints figures only; it asserts nothing. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DURATION=${2:-36}
JAR=standalone/target/reetik.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
WORKERS=$(nproc)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; java $(java -version 2>&1 | head -1)"
echo "== ffmpeg alone (same renderer and assembler, no Kafka), $WORKERS clips at once"
java -jar "$JAR" bench-render --duration "$DURATION" --workers "$WORKERS" --runs "$RUNS"

echo "== reetik generate, fresh data directory each run (includes broker format + start)"
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  REETIK_DATA_DIR="$WORK/data-$i" java -jar "$JAR" generate "Les volcans d'Islande" --duration "$DURATION" \
    -o "$WORK/out-$i.mp4" > "$WORK/generate-$i.log" 2>&1
  end=$(date +%s.%N)
  echo "run $i: $(awk "BEGIN{printf \"%.2f\", $end - $start}") s"
done

echo "== bin/reetik generate (the unpacked application and its class-data-sharing archive), fresh data directory"
rm -f standalone/target/reetik/reetik.jsa
start=$(date +%s.%N)
REETIK_DATA_DIR="$WORK/data-cds-0" bin/reetik generate "Les volcans d'Islande" --duration "$DURATION" \
  -o "$WORK/cds-0.mp4" > "$WORK/cds-0.log" 2>&1
end=$(date +%s.%N)
echo "first run, which also writes the archive: $(awk "BEGIN{printf \"%.2f\", $end - $start}") s"
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  REETIK_DATA_DIR="$WORK/data-cds-$i" bin/reetik generate "Les volcans d'Islande" --duration "$DURATION" \
    -o "$WORK/cds-$i.mp4" > "$WORK/cds-$i.log" 2>&1
  end=$(date +%s.%N)
  echo "run $i: $(awk "BEGIN{printf \"%.2f\", $end - $start}") s"
done

echo "== reetik generate, reused data directory (broker already formatted)"
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  REETIK_DATA_DIR="$WORK/data-warm" java -jar "$JAR" generate "Les volcans d'Islande" --duration "$DURATION" \
    -o "$WORK/warm-$i.mp4" > "$WORK/warm-$i.log" 2>&1
  end=$(date +%s.%N)
  echo "run $i: $(awk "BEGIN{printf \"%.2f\", $end - $start}") s"
done
