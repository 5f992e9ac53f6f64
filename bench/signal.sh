#!/usr/bin/env bash
# signaling-service relay latency (BENCHMARKS.md): CALLS 1:1 calls with each caller on
# signaling-service-1 and each callee on signaling-service-2 of the running platform; callers send
# signal.ice frames to their callee at RATE frames/s in all; the latency of each from one
# instance's socket to the other's is measured. Run the platform with a cheap password hash first
# (the setup registers two users per call):
#   AUTH_BCRYPT_COST=4 ./platform up
# Options: CALLS=500 SECONDS_PER_RUN=30 RATE=2000
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
AUTH=${AUTH:-http://127.0.0.1:8081}
CHAT=${CHAT:-http://127.0.0.1:8082}
SIG1=${SIG1:-http://127.0.0.1:8083}
SIG2=${SIG2:-http://127.0.0.1:8093}
for url in "$AUTH" "$CHAT" "$SIG1" "$SIG2"; do
  curl -fsS "$url/q/health/ready" >/dev/null || { echo "$url is not ready: AUTH_BCRYPT_COST=4 ./platform up" >&2; exit 1; }
done
# a multi-file source program: it reuses ChatDelivery's registration helpers
"$JDK/bin/java" -Xmx1g bench/SignalRelay.java "$AUTH" "$CHAT" "$SIG1" "$SIG2" "${CALLS:-500}" "${SECONDS_PER_RUN:-30}" \
  "${RATE:-2000}"
