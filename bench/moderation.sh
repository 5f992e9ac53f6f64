#!/usr/bin/env bash
# Moderation rule checking (BENCHMARKS.md): bursts of message.created events on chat.messages.v1
# with 1,000 blocked words (and patterns, links, flood and repeat rules) in force; how fast the two
# chat-service instances check them and how soon their lag is zero again after a burst.
# Run the platform first, with an admin: PLATFORM_BOOTSTRAP_ADMIN_USERNAME=admin
# PLATFORM_BOOTSTRAP_ADMIN_EMAIL=admin@example.org PLATFORM_BOOTSTRAP_ADMIN_PASSWORD='…' ./platform up
# then ADMIN=admin ADMIN_PASSWORD='…' bench/moderation.sh   Options: BURST=20000 RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUN_DIR=${TALKLINE_RUN_DIR:-.run}
GATEWAY=${GATEWAY:-http://127.0.0.1:8080}
curl -fsS "$GATEWAY/q/health/ready" >/dev/null || { echo "$GATEWAY is not ready: ./platform up" >&2; exit 1; }
: "${ADMIN:?the admin's username (PLATFORM_BOOTSTRAP_ADMIN_USERNAME of ./platform up)}"
: "${ADMIN_PASSWORD:?the admin's password}"
"$JDK/bin/java" -cp 'devstack/target/server-lib/*' bench/ModerationCheck.java "${KAFKA:-127.0.0.1:9092}" "$GATEWAY" \
  "$ADMIN" "$ADMIN_PASSWORD" "${BURST:-20000}" "${RUNS:-3}" \
  "http://127.0.0.1:8082=$RUN_DIR/pids/chat-service-1.pid" "http://127.0.0.1:8092=$RUN_DIR/pids/chat-service-2.pid"
