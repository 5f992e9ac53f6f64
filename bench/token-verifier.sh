#!/usr/bin/env bash
# Token verifications per second of the platform's TokenVerifier (signature, claims, revocation
# check against the real Redis), pinned to one core. Needs Redis on 127.0.0.1:6379 (./platform up,
# or any redis-server). Options: SECONDS_PER_RUN=20 USERS=1000 IN_FLIGHT=64 CORE=0.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -B -q install -pl platform-commons -am -DskipTests
mvn -B -q -pl platform-commons dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
cp="platform-commons/target/classes:platform-commons/target/test-classes:$(cat platform-commons/target/bench.classpath)"
exec taskset -c "${CORE:-0}" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m -XX:ActiveProcessorCount=1 \
  --sun-misc-unsafe-memory-access=allow \
  -Dseconds="${SECONDS_PER_RUN:-20}" -Dusers="${USERS:-1000}" -DinFlight="${IN_FLIGHT:-64}" \
  -cp "$cp" io.talkline.commons.bench.VerifierBenchmark
