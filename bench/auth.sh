#!/usr/bin/env bash
# auth-service speed: refresh-token rotations per second and login time against the running
# auth-service (./platform up), then the password check per bcrypt cost (one core).
# Options: CLIENTS=32 SECONDS_PER_RUN=20 AUTH=http://127.0.0.1:8081
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
AUTH=${AUTH:-http://127.0.0.1:8081}
curl -fsS "$AUTH/q/health/ready" >/dev/null || { echo "auth-service is not running at $AUTH: ./platform up" >&2; exit 1; }
echo "== refresh rotation and login against $AUTH"
"$JAVA_HOME/bin/java" bench/AuthRefresh.java "$AUTH" "${CLIENTS:-32}" "${SECONDS_PER_RUN:-20}"
echo "== password check per bcrypt cost (one core)"
mvn -B -q -pl auth-service test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
exec taskset -c 0 "$JAVA_HOME/bin/java" -XX:+UseSerialGC \
  -cp "auth-service/target/classes:auth-service/target/test-classes:$(cat auth-service/target/bench.classpath)" \
  io.talkline.auth.password.PasswordCostBenchmark
