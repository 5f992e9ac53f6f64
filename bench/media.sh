#!/usr/bin/env bash
# media-service upload speed (BENCHMARKS.md): the same bytes as a direct S3 PUT (presigned) and as
# a streamed upload through the gateway and media-service, for each size; throughput, CPU time
# per MB of the gateway, media-service and the S3 server, media-service's resident memory.
# Run the platform with a file limit above the largest size first:
#   MEDIA_LIMITS_FILE=600M ./platform up
# Options: SIZES_MB=1,50,500 ROUNDS=3 GATEWAY=http://127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
GATEWAY=${GATEWAY:-http://127.0.0.1:8080}
RUN_DIR=${TALKLINE_RUN_DIR:-.run}
curl -fsS "$GATEWAY/q/health/ready" >/dev/null || { echo "$GATEWAY is not ready: MEDIA_LIMITS_FILE=600M ./platform up" >&2; exit 1; }
"$JDK/bin/java" bench/MediaUpload.java "$GATEWAY" "$RUN_DIR" "${SIZES_MB:-1,50,500}" "${ROUNDS:-3}"
