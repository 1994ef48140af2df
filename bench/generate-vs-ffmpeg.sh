#!/usr/bin/env bash
# Wall time of a 36 s local-preview video beside ffmpeg alone making the same clips: through a running `reetik serve`
# (POST /api/videos until the status view says completed), and `reetik generate` with `java -jar` of the packaged
# jar and with bin/reetik (the unpacked application with a class-data-sharing archive).
# Usage: bench/generate-vs-ffmpeg.sh [runs] [duration s (36)] [all|serve|generate]   (after: mvn -B -ntp -DskipTests package)
# Prints figures only; it asserts nothing. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DURATION=${2:-36}
PARTS=${3:-all}
case "$PARTS" in all|serve|generate) ;; *) echo "third argument: all, serve or generate, not $PARTS" >&2; exit 2;; esac
JAR=standalone/target/reetik.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
WORKERS=$(nproc)
# 36 s videos through serve before the measured ones (SERVE_WARM_UPS=0: the first videos after its start)
SERVE_WARM_UPS=${SERVE_WARM_UPS:-4}
# SERVE_JAVA_OPTS: JVM options of the server (to try one: a flag, a JFR recording)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; java $(java -version 2>&1 | head -1)"
if [ "$PARTS" != serve ]; then
  echo "== ffmpeg alone (same renderer and assembler, no Kafka), $WORKERS clips at once: the anchor of generate"
  java -jar "$JAR" bench-render --duration "$DURATION" --workers "$WORKERS" --runs "$RUNS"
fi

if [ "$PARTS" != generate ]; then
echo "== reetik serve (started once, warmed by an 8 s and $SERVE_WARM_UPS ${DURATION} s videos), interleaved with ffmpeg alone"
echo "   (the server stopped with SIGSTOP meanwhile: the machine's speed drifts by 20 % within minutes, so each serve"
echo "   video is compared with an ffmpeg-alone run made just before it)"
PORT=$(( 20000 + RANDOM % 20000 ))
REETIK_DATA_DIR="$WORK/serve" SERVER_PORT=$PORT REETIK_BLOCK_WORKERS=$WORKERS REETIK_CREATES_PER_MINUTE=1000 \
  REETIK_DAILY_SECONDS=100000 java ${SERVE_JAVA_OPTS:-} -jar "$JAR" serve > "$WORK/serve.log" 2>&1 &
SERVE=$!
trap 'kill -CONT $SERVE 2>/dev/null; kill $SERVE 2>/dev/null; wait $SERVE 2>/dev/null; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 240); do
  curl -sf "$BASE/actuator/health/readiness" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "$BASE/actuator/health/readiness" > /dev/null || { echo "serve not ready; its log:" >&2; tail -20 "$WORK/serve.log" >&2; exit 1; }
TOKEN=$(curl -sf "$BASE/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\": \"bench-$PORT@example.com\", \"password\": \"a long bench password\"}" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
# Prints the seconds from the POST to the "completed" status on the video's event stream (SSE, as the web app
# follows it: no polling, which would compete with ffmpeg for the two cores).
serve_video() {
  local start end id
  start=$(date +%s.%N)
  id=$(curl -sf "$BASE/api/videos" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"theme\": \"Les volcans d'Islande\", \"target_duration\": $1}" | sed -E 's/.*"video_id":"([^"]+)".*/\1/')
  curl -sN "$BASE/api/videos/$id/events" -H "Authorization: Bearer $TOKEN" | grep -q -m1 '"status":"completed"' || true
  end=$(date +%s.%N)
  curl -sf "$BASE/api/videos/$id" -H "Authorization: Bearer $TOKEN" | grep -o '"status":"[a-z_]*"' | head -1 \
    | grep -q completed || { echo "video $id did not complete" >&2; return 1; }
  awk "BEGIN{printf \"%.2f\", $end - $start}"
}
# A running server is warm. Its first videos are slower: C2 compiles the paths they take, on the cores that
# render (seen: 7.1 s of the server's CPU for the first 36 s video after start, 3–4 s from the fifth on).
t=$(serve_video 8); echo "warm-up, 8 s video: $t s"
for i in $(seq 1 "$SERVE_WARM_UPS"); do
  t=$(serve_video "$DURATION"); echo "warm-up $i: $t s"
done
for i in $(seq 1 "$RUNS"); do
  kill -STOP $SERVE
  alone=$(java -jar "$JAR" bench-render --duration "$DURATION" --workers "$WORKERS" --runs 1 --warm-ups 0 \
    | sed -nE 's/^median total: ([0-9.]+) s/\1/p')
  kill -CONT $SERVE
  sleep 2 # the server's clients notice the pause (a fetch, a heartbeat) before the video starts
  t=$(serve_video "$DURATION")
  echo "run $i: ffmpeg alone $alone s, through serve $t s: $(awk "BEGIN{printf \"%.2f\", $t / $alone}") x"
  awk "BEGIN{print $t / $alone}" >> "$WORK/ratios.txt"
done
RATIO=$(sort -n "$WORK/ratios.txt" | awk '{a[NR]=$1} END{printf "%.2f", a[int((NR+1)/2)]}')
echo "median ratio: $RATIO x ffmpeg alone (goal <= 1.15 x)"
kill $SERVE; wait $SERVE 2>/dev/null || true
trap 'rm -rf "$WORK"' EXIT
fi
[ "$PARTS" != serve ] || exit 0

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
