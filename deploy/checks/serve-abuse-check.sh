#!/bin/bash
# Burst, quota and brute force against a real `serve` (local agents), as a new user would: 30 requests for 180 s
# videos at once, the quota, 12 wrong passwords then the right one. Run from the repository root after
# `mvn -B -ntp -DskipTests package`; prints the answers it got. Figures: docs/reliability.md.
set -u
JAR=${JAR:-standalone/target/reetik.jar}
DATA=$(mktemp -d /tmp/serve-check.XXXX)
PORT=${PORT:-18080}
B=http://127.0.0.1:$PORT
REETIK_DATA_DIR=$DATA SERVER_PORT=$PORT java -Xmx512m -jar $JAR serve > $DATA/serve.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf $B/actuator/health/readiness >/dev/null && break; sleep 1; done
echo "serve ready after ~${i} s"
TOKEN=$(curl -s -X POST $B/api/auth/register -H 'Content-Type: application/json' \
  -d '{"email":"burst@example.com","password":"correct horse battery"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
echo "== 30 requests for 180 s videos at once"
seq 1 30 | xargs -P 30 -I{} curl -s -o /dev/null -D - -X POST $B/api/videos -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"theme":"Rafale {}","target_duration":180}' \
  | grep -E "^HTTP/|^Retry-After" | sort | uniq -c
curl -s -X POST $B/api/videos -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"theme":"Encore une","target_duration":180}'; echo
echo "== quota"; curl -s $B/api/quota -H "Authorization: Bearer $TOKEN"; echo
echo "== 12 wrong passwords, then the right one"
for i in $(seq 1 12); do curl -s -o /dev/null -w "%{http_code} " -X POST $B/api/auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"burst@example.com\",\"password\":\"guess $i\"}"; done; echo
curl -s -D - -o /dev/null -X POST $B/api/auth/login -H 'Content-Type: application/json' \
  -d '{"email":"burst@example.com","password":"correct horse battery"}' | grep -E "^HTTP/|^Retry-After"
kill $PID; wait $PID 2>/dev/null
rm -rf $DATA
