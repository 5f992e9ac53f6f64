#!/usr/bin/env bash
# What the gateway costs: a trivial upstream call and a WebSocket round trip, direct vs through it.
# Needs a running platform (./platform up) and wrk (apt-get install -y wrk). Starts one extra
# gateway on 18180 in front of chat-service-1 alone, with limits raised so that the benchmark
# measures forwarding + the Redis rate-limit check, not refusals. Stops it afterwards.
# GATEWAY_OPTS: extra JVM options for that gateway (e.g. -Dgateway.rate-limit.enabled=false to see
# what the shared limit costs).
# PIN=1: the gateway gets core 1 to itself while wrk and chat-service-1 share core 0, as gateway
# replicas run on their own nodes; otherwise all of them share both cores.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
DIRECT=http://127.0.0.1:8082
GW_PORT=18180
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
curl -fsS "$DIRECT/q/health/ready" >/dev/null || { echo "chat-service-1 is not running: ./platform up" >&2; exit 1; }

PIN=${PIN:-0}
ON_GW=(); ON_LOAD=()
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "taskset is missing (util-linux)" >&2; exit 1; }
  ON_GW=(taskset -c 1); ON_LOAD=(taskset -c 0)
  CHAT_PID=$(ss -ltnp "sport = :8082" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  taskset -a -pc 0 "$CHAT_PID" >/dev/null
  echo "pinned: chat-service-1 (pid $CHAT_PID) and wrk on core 0, the gateway on core 1"
fi
"${ON_GW[@]}" "$JAVA" -XX:+UseSerialGC -Xmx384m -Dquarkus.http.port=$GW_PORT -Dquarkus.http.host=127.0.0.1 \
  -Dgateway.services.chat.instances=$DIRECT \
  -Dgateway.rate-limit.key-prefix="rl-bench-$$" \
  -Dgateway.rate-limit.policies.anonymous.limit=1000000000 \
  -Dgateway.rate-limit.policies.websocket.limit=1000000000 \
  -Dquarkus.log.category.\"io.talkline.commons.requestid\".level=WARN \
  ${GATEWAY_OPTS:-} -jar gateway/target/quarkus-app/quarkus-run.jar > /tmp/talkline-bench-gateway.log 2>&1 &
GW_PID=$!
unpin() { [ "$PIN" = 1 ] && taskset -a -pc 0-1 "$CHAT_PID" >/dev/null || true; }
# wait for it to be gone: the next run needs the port
trap 'kill $GW_PID 2>/dev/null && wait $GW_PID 2>/dev/null || true; unpin' EXIT
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$GW_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

# the sockets need a token: a user of the benchmark's own
AUTH=http://127.0.0.1:8081
NAME=gwbench$RANDOM$RANDOM
BODY="\"username\":\"$NAME\",\"password\":\"benchmark password 1234\""
curl -fsS -H 'Content-Type: application/json' -d "{$BODY,\"email\":\"$NAME@bench.example\"}" "$AUTH/api/auth/register" >/dev/null
TOKEN=$(curl -fsS -H 'Content-Type: application/json' -d "{$BODY}" "$AUTH/api/auth/login" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')

run_wrk() { "${ON_LOAD[@]}" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" | grep -E "Requests/sec|^ +50%|^ +99%"; }
# both JVMs must be JIT-warm (C2 on 2 cores takes tens of seconds), or the gateway looks 2-3x slower
WARMUP=${WARMUP:-45s}
echo "== warm-up ($WARMUP each)"
"${ON_LOAD[@]}" wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$DIRECT/api/rooms" >/dev/null
"${ON_LOAD[@]}" wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$GW_PORT/api/rooms" >/dev/null
"$JAVA" bench/WsRoundTrip.java "ws://127.0.0.1:$GW_PORT/ws/chat?access_token=$TOKEN" 20000 >/dev/null
echo "== HTTP direct      $DIRECT/api/rooms";           run_wrk "$DIRECT/api/rooms"
echo "== HTTP via gateway http://127.0.0.1:$GW_PORT/api/rooms"; run_wrk "http://127.0.0.1:$GW_PORT/api/rooms"
echo "== HTTP single connection (latency added per request)"
"${ON_LOAD[@]}" wrk -t1 -c1 -d10s --latency "$DIRECT/api/rooms" | grep -E "^ +50%" | sed 's/^/direct  /'
"${ON_LOAD[@]}" wrk -t1 -c1 -d10s --latency "http://127.0.0.1:$GW_PORT/api/rooms" | grep -E "^ +50%" | sed 's/^/gateway /'
echo "== WebSocket round trip"
"$JAVA" bench/WsRoundTrip.java "ws://127.0.0.1:8082/ws/chat?access_token=$TOKEN" 20000
"$JAVA" bench/WsRoundTrip.java "ws://127.0.0.1:$GW_PORT/ws/chat?access_token=$TOKEN" 20000
