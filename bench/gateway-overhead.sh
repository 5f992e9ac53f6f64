#!/usr/bin/env bash
# What the gateway costs: a trivial upstream call and a WebSocket round trip, direct vs through it.
# Needs a running platform (./platform up) and wrk (apt-get install -y wrk). Starts one extra
# gateway on 18180 in front of chat-service-1 alone, with limits raised so that the benchmark
# measures forwarding + the Redis rate-limit check, not refusals. Stops it afterwards.
# GATEWAY_OPTS: extra JVM options for that gateway (e.g. -Dgateway.rate-limit.enabled=false to see
# what the shared limit costs).
# PIN=1: the gateway gets core 1 to itself while wrk and chat-service-1 share core 0, as gateway
# replicas run on their own nodes; otherwise all of them share both cores. ROUNDS (3): measured rounds.
# Beside the gateway runs bench/BareProxy.java on 18181: the floor of what forwarding costs here.
# Each round also prints the CPU time per request of chat-service-1, the bare proxy and the gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
DIRECT=http://127.0.0.1:8082
GW_PORT=18180
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
curl -fsS "$DIRECT/q/health/ready" >/dev/null || { echo "chat-service-1 is not running: ./platform up" >&2; exit 1; }

CHAT_PID=$(ss -ltnp "sport = :8082" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
PIN=${PIN:-0}
ON_GW=(); ON_LOAD=()
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "taskset is missing (util-linux)" >&2; exit 1; }
  ON_GW=(taskset -c 1); ON_LOAD=(taskset -c 0)
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

# CPU time of a process (user + system, in clock ticks of 10 ms): steal and the other tenants'
# load change throughput from minute to minute, CPU time per request much less
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run wrk against $1, print "<req/s> <CPU µs per request of process $2>"
measure() {
  local before after out
  before=$(ticks "$2")
  out=$("${ON_LOAD[@]}" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$1")
  after=$(ticks "$2")
  awk -v t=$((after - before)) '/requests in/ {n = $1} /Requests\/sec/ {r = $2} END {printf "%d %d\n", r, t * 10000 / n}' <<<"$out"
}
# a bare Vert.x proxy beside the gateway: what forwarding alone keeps on these cores
BARE_PORT=18181
"${ON_GW[@]}" "$JAVA" -XX:+UseSerialGC -Xmx384m -cp "$(ls gateway/target/quarkus-app/lib/main/*.jar | tr '\n' :)" \
  bench/BareProxy.java $BARE_PORT 127.0.0.1 8082 > /tmp/talkline-bench-bare.log 2>&1 &
BARE_PID=$!
trap 'kill $GW_PID $BARE_PID 2>/dev/null; wait $GW_PID $BARE_PID 2>/dev/null || true; unpin' EXIT
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$BARE_PORT/api/rooms" && break; sleep 0.5; done
GATEWAY=http://127.0.0.1:$GW_PORT/api/rooms
BARE=http://127.0.0.1:$BARE_PORT/api/rooms
# every JVM must be JIT-warm (C2 on 2 cores takes tens of seconds), or the gateway looks 2-3x slower
WARMUP=${WARMUP:-45s}
echo "== warm-up ($WARMUP each)"
for url in "$DIRECT/api/rooms" "$BARE" "$GATEWAY"; do "${ON_LOAD[@]}" wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null; done
"$JAVA" bench/WsRoundTrip.java "ws://127.0.0.1:$GW_PORT/ws/chat?access_token=$TOKEN" 20000 >/dev/null
# a shared machine drifts (other tenants, steal): rounds alternate the three, each ratio is
# taken within its round, and the median round is the figure
ROUNDS=${ROUNDS:-3}
echo "== HTTP throughput, $ROUNDS rounds of $DURATION each (req/s): direct, bare proxy, gateway"
RATIOS=()
for round in $(seq "$ROUNDS"); do
  read -r d dc < <(measure "$DIRECT/api/rooms" "$CHAT_PID")
  read -r b bc < <(measure "$BARE" "$BARE_PID")
  read -r g gc < <(measure "$GATEWAY" "$GW_PID")
  echo "round $round: direct $d  bare proxy $b ($((100 * b / d)) %)  gateway $g ($((100 * g / d)) %)" \
    " | CPU per request: chat-service $dc µs, bare proxy $bc µs, gateway $gc µs"
  RATIOS+=("$((100 * g / d))")
done
echo "median gateway/direct: $(printf '%s\n' "${RATIOS[@]}" | sort -n | sed -n "$(((ROUNDS + 1) / 2))p") %"
echo "== HTTP latency under load (p50 / p99), 32 connections"
"${ON_LOAD[@]}" wrk -t2 -c"$CONNECTIONS" -d10s --latency "$DIRECT/api/rooms" | grep -E "^ +(50|99)%" | tr -s ' ' | paste -sd' ' | sed 's/^/direct  /'
"${ON_LOAD[@]}" wrk -t2 -c"$CONNECTIONS" -d10s --latency "$GATEWAY" | grep -E "^ +(50|99)%" | tr -s ' ' | paste -sd' ' | sed 's/^/gateway /'
echo "== HTTP single connection (latency added per request)"
"${ON_LOAD[@]}" wrk -t1 -c1 -d10s --latency "$DIRECT/api/rooms" | grep -E "^ +50%" | sed 's/^/direct  /'
"${ON_LOAD[@]}" wrk -t1 -c1 -d10s --latency "$GATEWAY" | grep -E "^ +50%" | sed 's/^/gateway /'
echo "== WebSocket round trip"
"$JAVA" bench/WsRoundTrip.java "ws://127.0.0.1:8082/ws/chat?access_token=$TOKEN" 20000
"$JAVA" bench/WsRoundTrip.java "ws://127.0.0.1:$GW_PORT/ws/chat?access_token=$TOKEN" 20000
