#!/usr/bin/env bash
# Warm-up (BENCHMARKS.md, "Warm-up after a start"): how soon after `./platform up` the platform
# carries the send-path load at full speed. Each mode starts the platform afresh, and the moment
# every instance is ready the send-path generator (bench/send-path/fanout.mjs: 1,000 sockets in 100
# rooms, REST sends straight to the two chat instances) offers RATE messages/s for SECONDS and
# prints accepted/s and delivery latency per window of SERIES seconds.
#
# Modes (AOT="cache nocache"):
#   cache    the JDK's AOT cache (ADR 0024) recorded by an instance that carried this load: when the
#            cache is missing or older than the jar, the script first trains it (the platform up,
#            TRAIN seconds of load at TRAIN_RATE, down: the recorder writes the cache as it stops)
#   nocache  TALKLINE_AOT=off: the same JVMs without a cache
# It stops a running platform first and leaves it stopped. Options: RATE=1000 DURATION=60 SERIES=5
# TRAIN=90 TRAIN_RATE=500, PLATFORM_ENV as in bench/send-path.sh (default: the JVMs with C2, as the
# send-path benchmark runs them).
# Results: bench/send-path/results/warm-up-<time>/<mode>.json and <mode>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
B=$PWD/bench/send-path
RATE=${RATE:-1000}
SECONDS_RUN=${DURATION:-60}
SERIES=${SERIES:-5}
TRAIN=${TRAIN:-90}
TRAIN_RATE=${TRAIN_RATE:-500}
AOT=${AOT:-"cache nocache"}
PLATFORM_ENV=${PLATFORM_ENV:-'TALKLINE_JAVA_OPTS="-XX:+UseSerialGC -Xmx384m"'}
OUT=$B/results/warm-up-$(date -u +%Y-%m-%dT%H%M)
URLS=http://127.0.0.1:8082,http://127.0.0.1:8092
mkdir -p "$OUT"
[ -d "$B/node_modules" ] || (cd "$B" && npm install --no-audit --no-fund --no-package-lock)
trap './platform down >/dev/null 2>&1 || true' EXIT

up() { eval "env AUTH_BCRYPT_COST=4 ${PLATFORM_ENV} $* ./platform up" >/dev/null; }
load() { # rate seconds out [extra args]
  local rate=$1 seconds=$2 out=$3
  shift 3
  node "$B/fanout.mjs" --target platform --rate "$rate" --duration "$seconds" --warmup 0 --drain 5 \
    --urls "$URLS" --auth-url http://127.0.0.1:8081 --out "$out" "$@"
}

./platform down >/dev/null 2>&1 || true
for mode in $AOT; do
  case $mode in
    cache)
      up
      if [ -n "$(ls .run/aot-recording 2>/dev/null)" ]; then
        echo "training the AOT cache: ${TRAIN} s at ${TRAIN_RATE} msg/s, then down (the recorders write it)"
        load "$TRAIN_RATE" "$TRAIN" "$OUT/training.json" --watch none >/dev/null
        ./platform down >/dev/null
        up # waits for the recorders to finish writing
      fi
      ;;
    nocache) up TALKLINE_AOT=off ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  ready=$(date +%s.%N)
  echo "== $mode: every instance ready; ${RATE} msg/s for ${SECONDS_RUN} s"
  load "$RATE" "$SECONDS_RUN" "$OUT/$mode.json" --series "$SERIES" 2>"$OUT/$mode.log" | tee "$OUT/$mode.txt"
  node -e '
    const r = require(process.argv[1]);
    const first = (Date.parse(r.startedAt) / 1000 - Number(process.argv[2])).toFixed(1);
    console.log(`first send ${first} s after ready (the generator registers its users, creates rooms, opens sockets)`);
  ' "$OUT/$mode.json" "$ready" | tee -a "$OUT/$mode.txt"
  ./platform down >/dev/null
done
