#!/usr/bin/env bash
# chat-service speed (BENCHMARKS.md):
#  1. deliveries per second and send → delivery latency with 1,000 sockets in 100 rooms, half on
#     each chat instance of the running platform;
#  2. heap per idle authenticated socket: IDLE_SOCKETS sockets on an extra chat-service instance
#     with a 1 GB heap, live heap measured by a class histogram (full GC) before and after.
# Run the platform with a cheap password hash first (the setup registers a thousand users), and
# frame budgets above what RATE=0 sends (10 frames/s per socket by default):
#   AUTH_BCRYPT_COST=4 CHAT_SOCKET_BUDGET_SOCKET_RATE=100000 CHAT_SOCKET_BUDGET_USER_RATE=100000 ./platform up
# Options: USERS=1000 ROOM_SIZE=10 SECONDS_PER_RUN=30 SENDERS_PER_ROOM=2 IDLE_SOCKETS=50000
#          RATE=0 (each sender sends again when acknowledged: the most it takes) or messages/s in
#          all (open loop: latency at that load); PART=all|delivery|idle; HISTOGRAM=1 prints the
#          classes that hold the idle sockets' heap; QUERY_TOKEN=true: idle sockets send their token
#          as ?access_token= (as browsers must) instead of the Authorization header;
#          IDLE_JAVA_OPTS: extra JVM options of the idle-socket instance (e.g. -Dquarkus... settings);
#          WARM_SOCKETS=500 sockets opened and closed before the heap is measured first (0: none)
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
AUTH=${AUTH:-http://127.0.0.1:8081}
CHAT1=${CHAT1:-http://127.0.0.1:8082}
CHAT2=${CHAT2:-http://127.0.0.1:8092}
PART=${PART:-all}
for url in "$AUTH" "$CHAT1" "$CHAT2"; do
  curl -fsS "$url/q/health/ready" >/dev/null || { echo "$url is not ready: AUTH_BCRYPT_COST=4 ./platform up (see above)" >&2; exit 1; }
done

if [ "$PART" != idle ]; then
  echo "== delivery: ${USERS:-1000} sockets over $CHAT1 and $CHAT2"
  "$JDK/bin/java" -Xmx2g bench/ChatDelivery.java delivery "$AUTH" "$CHAT1,$CHAT2" "${USERS:-1000}" \
    "${ROOM_SIZE:-10}" "${SECONDS_PER_RUN:-30}" "${SENDERS_PER_ROOM:-2}" "${RATE:-0}"
fi
[ "$PART" = delivery ] && exit 0

SOCKETS=${IDLE_SOCKETS:-50000}
PORT=${IDLE_PORT:-18482}
# the server and the generator each hold one descriptor per socket
if ! ulimit -n $((SOCKETS + 5000)) 2>/dev/null; then
  LIMIT=$(ulimit -Hn)
  echo "the open-file limit stops at $LIMIT here (raise it in limits.conf for more): measuring $((LIMIT - 3000)) sockets"
  SOCKETS=$((LIMIT - 3000))
  ulimit -n "$LIMIT"
fi
echo "== heap per idle socket: $SOCKETS sockets on an extra chat-service (-Xmx1g) on port $PORT"
LOG=$(mktemp -d)
for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" || break; sleep 1; done  # an earlier run's instance
"$JDK/bin/java" -XX:+UseSerialGC -Xmx1g ${IDLE_JAVA_OPTS:-} -Dquarkus.profile=local -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.log.level=WARN -Dplatform.auth.jwks-url="$AUTH/.well-known/jwks.json" \
  -jar chat-service/target/quarkus-app/quarkus-run.jar >"$LOG/chat.log" 2>&1 &
CHAT_PID=$!
cleanup() {
  [ -n "${GEN_PID:-}" ] && kill "$GEN_PID" 2>/dev/null || true
  kill "$CHAT_PID" 2>/dev/null && wait "$CHAT_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
kill -0 "$CHAT_PID" 2>/dev/null || { tail -20 "$LOG/chat.log"; exit 1; }
sleep 5 # its revocation copy loads (until then every upgrade asks Redis)
# live heap: the histogram's total without the fillers a full serial GC leaves in place of dead
# objects it does not compact away (jdk.internal.vm.Filler*: up to 2 KB per socket here otherwise)
live_heap() { "$JDK/bin/jcmd" "$CHAT_PID" GC.class_histogram | awk '/jdk\.internal\.vm\.Filler/ {f += $3} /^Total/ {t = $3} END {print t - f}'; }
# warm: one round of sockets opened and closed, so lazily loaded classes and caches are not counted
# per socket (WARM_SOCKETS=0 skips it: the figures before 2026-12-06's last sitting were taken so)
if [ "${WARM_SOCKETS:-500}" -gt 0 ]; then
  echo | "$JDK/bin/java" -Xmx1g bench/ChatDelivery.java idle "$AUTH" "http://127.0.0.1:$PORT" "${WARM_SOCKETS:-500}" \
    "${WARM_SOCKETS:-500}" 4 >"$LOG/warm.out" 2>&1
  grep IDLE-READY "$LOG/warm.out" | sed 's/^/warm-up round: /'
  sleep 5
fi
BEFORE=$(live_heap)
mkfifo "$LOG/hold"
"$JDK/bin/java" -Xmx4g -Dquery-token="${QUERY_TOKEN:-false}" bench/ChatDelivery.java idle "$AUTH" "http://127.0.0.1:$PORT" "$SOCKETS" \
  "${IDLE_USERS:-1000}" 4 <"$LOG/hold" >"$LOG/idle.out" 2>&1 &
GEN_PID=$!
exec 3>"$LOG/hold"
for _ in $(seq 1 900); do grep -q IDLE-READY "$LOG/idle.out" && break; sleep 1; done
cat "$LOG/idle.out"
grep -q IDLE-READY "$LOG/idle.out" || exit 1
sleep 5
AFTER=$(live_heap)
if [ -n "${HISTOGRAM:-}" ]; then "$JDK/bin/jcmd" "$CHAT_PID" GC.class_histogram | head -40; fi
OPEN=$(curl -fsS "http://127.0.0.1:$PORT/q/metrics" | awk '/^talkline_chat_sockets_open/ {print $2}')
echo "live heap before: $((BEFORE / 1024)) KB, with $OPEN open sockets: $((AFTER / 1024)) KB"
awk -v b="$BEFORE" -v a="$AFTER" -v n="$OPEN" 'BEGIN { printf "heap per idle socket: %.1f KB\n", (a - b) / n / 1024 }'
exec 3>&-
wait "$GEN_PID" || true
