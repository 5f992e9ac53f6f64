#!/usr/bin/env bash
# audit-service ingestion speed (BENCHMARKS.md): a burst of audit events, then a steady rate, put
# on audit.events.v1; how fast audit-service stores them, how long until its lag is zero again.
# Run the platform first (./platform up). Options: BURST=50000 RATE=5000 SECONDS_PER_RUN=10
# The local Mongo wire server keeps everything in memory (about 4 KB an event; 2 GB heap): a run
# adds ~100,000 events, so after a few runs restart it (./platform down && ./platform up).
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUN_DIR=${TALKLINE_RUN_DIR:-.run}
AUDIT=${AUDIT:-http://127.0.0.1:8085}
curl -fsS "$AUDIT/q/health/ready" >/dev/null || { echo "$AUDIT is not ready: ./platform up" >&2; exit 1; }
"$JDK/bin/java" -cp 'devstack/target/server-lib/*' bench/AuditIngest.java "${KAFKA:-127.0.0.1:9092}" "$AUDIT" \
  "$RUN_DIR/pids/audit-service.pid" "${BURST:-50000}" "${RATE:-5000}" "${SECONDS_PER_RUN:-10}"
