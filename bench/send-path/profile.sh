#!/usr/bin/env bash
# Where the send path's CPU goes, under the generator's load (BENCHMARKS.md, "Where one message's
# CPU goes"): async-profiler on both chat instances, and perf on MariaDB when perf is installed
# (apt package linux-perf). Needs a running platform, e.g. after
#   KEEP_UP=1 PLATFORM_ENV='TALKLINE_JAVA_OPTS="-XX:+UseSerialGC -Xmx384m"' bash bench/send-path.sh
# Options: RATE=300 DURATION=20 (seconds profiled) CLIENTS=1000 ROOMS=100 AP_VERSION=4.1
# Results: bench/send-path/results/profile-<time>/: chat-1.collapsed, chat-2.collapsed (flame-graph
# input: one stack per line, its thread's name first), mariadb.perf, run.json, and the summary printed.
set -euo pipefail
cd "$(dirname "$0")"
B=$PWD
RATE=${RATE:-300}
DURATION=${DURATION:-20}
CLIENTS=${CLIENTS:-1000}
ROOMS=${ROOMS:-100}
AP_VERSION=${AP_VERSION:-4.1}
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=$B/results/profile-$(date -u +%Y-%m-%dT%H%M)
mkdir -p "$OUT"

# async-profiler is published to Maven Central as a jar holding its native library
jar=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[ -f "$jar" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION"
case $(uname -m) in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) echo "no async-profiler for $(uname -m)" >&2; exit 2 ;; esac
(cd "$OUT" && "$JDK/bin/jar" xf "$jar" "$arch/libasyncProfiler.so")
lib=$OUT/$arch/libasyncProfiler.so

pid_on() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
chat1=$(pid_on 8082) chat2=$(pid_on 8092)
[ -n "$chat1" ] && [ -n "$chat2" ] || { echo "chat-service is not listening on 8082 and 8092: start the platform first" >&2; exit 1; }
# jcmd parses name=value pairs: the agent's options go quoted, as one value
profiler() { "$JDK/bin/jcmd" "$1" JVMTI.agent_load "$lib" "\"$2\"" >/dev/null; }

node "$B/fanout.mjs" --target platform --clients "$CLIENTS" --rooms "$ROOMS" --rate "$RATE" \
  --duration $((DURATION + 10)) --warmup 5 --urls http://127.0.0.1:8082,http://127.0.0.1:8092 \
  --auth-url http://127.0.0.1:8081 --out "$OUT/run.json" > "$OUT/run.log" 2>&1 &
gen=$!
trap 'kill $gen 2>/dev/null || true' EXIT
until grep -q 'connected' "$OUT/run.log"; do
  kill -0 $gen 2>/dev/null || { cat "$OUT/run.log" >&2; exit 1; }
  sleep 1
done
sleep 10 # the generator's warm-up, and a few seconds of the measured load
echo "profiling chat-service (pids $chat1, $chat2) for $DURATION s at $RATE msg/s"
for p in $chat1 $chat2; do profiler "$p" "start,event=cpu,interval=1000000,threads"; done
if command -v perf >/dev/null; then
  perf record -q -F 999 -g -p "$(pgrep -x mariadbd | head -1)" -o "$OUT/mariadb.perf" -- sleep "$DURATION" 2>/dev/null
else
  sleep "$DURATION"
  echo "(perf is not installed: MariaDB is not profiled; apt-get install linux-perf)"
fi
profiler "$chat1" "stop,file=$OUT/chat-1.collapsed,collapsed"
profiler "$chat2" "stop,file=$OUT/chat-2.collapsed,collapsed"
wait $gen
trap - EXIT
tail -1 "$OUT/run.log"

node "$B/profile-summary.mjs" "$OUT/chat-1.collapsed"
node "$B/profile-summary.mjs" "$OUT/chat-2.collapsed"
if [ -f "$OUT/mariadb.perf" ]; then
  echo "MariaDB, by object (its own code, the kernel, libc):"
  perf report -i "$OUT/mariadb.perf" --no-children --sort dso -g none 2>/dev/null | grep '%' | head -5
fi
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const rate = r.messages.acceptedPerSec;
  console.log(`CPU-ms per accepted message, by process (${rate}/s accepted):`);
  for (const [k, v] of Object.entries(r.cpu.procsPctOfOneCore).sort((a, b) => b[1] - a[1]))
    console.log(`  ${(v * 10 / rate).toFixed(3).padStart(6)}  ${k}`);' "$OUT/run.json"
echo "results: $OUT"
