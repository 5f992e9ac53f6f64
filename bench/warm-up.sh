#!/usr/bin/env bash
# Warm-up (BENCHMARKS.md, "Warm-up after a start"): how soon after a start the platform carries the
# send-path load at full speed, timed from the moment the processes are started. The send-path
# generator (bench/send-path/fanout.mjs: 1,000 sockets in 100 rooms, REST sends straight to the two
# chat instances) has its users, tokens and rooms from a run just before the start, as clients of a
# platform that restarts do: the moment every instance is ready it opens its sockets and offers RATE
# messages/s for DURATION seconds, and prints accepted/s and delivery latency per window of SERIES
# seconds, each window also timed from the start.
#
# What starts (START="chat platform"):
#   chat      the two chat-service instances, stopped and started again while the rest runs (a deploy)
#   platform  every service: ./platform down, then ./platform up
# With which JVMs (AOT="cache nocache"):
#   cache    the JDK's AOT cache (ADR 0024) recorded by instances that carried this load: when the
#            cache is missing or older than the jar, the script first trains it (the platform up,
#            TRAIN seconds of load at TRAIN_RATE, down: the recorders write the cache as they stop)
#   nocache  TALKLINE_AOT=off: the same JVMs without a cache
# It stops a running platform first and leaves it stopped. Options: RATE=1000 DURATION=60 SERIES=5
# TRAIN=90 TRAIN_RATE=500, PLATFORM_ENV as in bench/send-path.sh (default: the JVMs with C2, as the
# send-path benchmark runs them).
# Results: bench/send-path/results/warm-up-<time>/<mode>-<start>.json, .txt and .log.
set -euo pipefail
cd "$(dirname "$0")/.."
B=$PWD/bench/send-path
RATE=${RATE:-1000}
SECONDS_RUN=${DURATION:-60}
SERIES=${SERIES:-5}
TRAIN=${TRAIN:-90}
TRAIN_RATE=${TRAIN_RATE:-500}
AOT=${AOT:-"cache nocache"}
START=${START:-"chat platform"}
PLATFORM_ENV=${PLATFORM_ENV:-'TALKLINE_JAVA_OPTS="-XX:+UseSerialGC -Xmx384m"'}
OUT=$B/results/warm-up-$(date -u +%Y-%m-%dT%H%M)
URLS=http://127.0.0.1:8082,http://127.0.0.1:8092
CHAT="chat-service-1 chat-service-2"
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
stop_chat() { # SIGTERM to both chat instances (a graceful stop, as a rolling deploy does), then wait
  local pids=() name pid
  for name in $CHAT; do
    pid=$(cat ".run/pids/$name.pid") && kill -TERM "$pid" && pids+=("$pid")
  done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  done
}

./platform down >/dev/null 2>&1 || true
for mode in $AOT; do
  case $mode in
    cache)
      jvm=""
      up
      if [ -n "$(ls .run/aot-recording 2>/dev/null)" ]; then
        echo "training the AOT cache: ${TRAIN} s at ${TRAIN_RATE} msg/s, then down (the recorders write it)"
        load "$TRAIN_RATE" "$TRAIN" "$OUT/training.json" --watch none >/dev/null
        ./platform down >/dev/null
        up # waits for the recorders to finish writing
      fi
      ;;
    nocache) jvm="TALKLINE_AOT=off"; up $jvm ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  for what in $START; do
    up $jvm
    # the generator's users, tokens and rooms, checked and cached now (bench/.run/platform-cache.json);
    # the long drain (ended early once every delivery is in) makes the tokens outlive the measured run
    load 100 2 "$OUT/prepare.json" --watch none --drain $((SECONDS_RUN + 10)) >/dev/null 2>&1
    case $what in
      chat) stop_chat ;;
      platform) ./platform down >/dev/null ;;
      *) echo "unknown start $what" >&2; exit 2 ;;
    esac
    start=$(date +%s.%N)
    up $jvm
    ready=$(date +%s.%N)
    run="$mode-$what"
    echo "== $run: $what started; every instance ready $(awk "BEGIN { printf \"%.1f\", $ready - $start }") s later; ${RATE} msg/s for ${SECONDS_RUN} s"
    FANOUT_TRUST_CACHE=1 load "$RATE" "$SECONDS_RUN" "$OUT/$run.json" --series "$SERIES" --since "$start" \
      2>"$OUT/$run.log" | tee "$OUT/$run.txt"
    # the first window from which every later one carried the whole rate, and kept p99 within 50 ms
    node -e '
      const r = require(process.argv[1]), rate = Number(process.argv[2]), s = r.series, at = (i) => (r.firstSendAfterStartS + s[i].fromS).toFixed(0);
      const from = (ok) => { let i = s.length; while (i > 0 && ok(s[i - 1])) i--; return i < s.length ? `${at(i)} s` : "never"; };
      console.log(`first send ${r.firstSendAfterStartS} s after the start; the whole rate from ${from((w) => w.acceptedPerSec >= rate * 0.99)},`
        + ` p99 <= 50 ms from ${from((w) => w.p99 != null && w.p99 <= 50)} after the start; lost ${r.deliveries.lost}, duplicated ${r.deliveries.duplicates}`);
    ' "$OUT/$run.json" "$RATE" | tee -a "$OUT/$run.txt"
  done
  ./platform down >/dev/null
done
