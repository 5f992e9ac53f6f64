#!/usr/bin/env bash
# The chat send path against the seed design's own stack, in one sitting (BENCHMARKS.md, "Send path
# against the seed's stack"): the peer (bench/send-path/peer: Express + mysql2 + Socket.IO with the
# Redis adapter, two instances) first, then the platform (two chat instances, as ./platform up runs
# them, straight to them as the peer is reached straight), each with the whole box, the same
# open-loop generator (bench/send-path/fanout.mjs), the same rates, and a table of both at the end.
#
# It stops a running platform first and leaves it stopped (KEEP_UP=1: left running). Options:
#   RATES="300 500 800 1000 1500 2000"  offered messages per second, each run separately
#   REPEAT=1 DURATION=20 WARMUP=5       runs per rate; seconds measured, after seconds not measured
#   CLIENTS=1000 ROOMS=100              sockets, and rooms they are spread over (10 members each)
#   PLATFORM_WARM=120                   seconds of load at 300 msg/s before the platform is measured
#   TARGETS="peer platform"             one of them alone, e.g. to profile the platform
#   PLATFORM_ENV='TALKLINE_JAVA_OPTS="-XX:+UseSerialGC -Xmx384m"'   extra environment for ./platform up
#                                       (shell words: here the JVMs with C2, ADR 0026)
#   PLATFORM_AWAY="audit-service media-service"   processes of the platform (their .run/pids names)
#                                       stopped after the warm-up, before the measured runs: what the
#                                       rest does without their CPU on the box (a diagnosis only)
# Results: bench/send-path/results/<time>/<target>-r<rate>-<n>.json and table.md (OUT=<folder>: there).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=$ROOT/bench/send-path
RATES=${RATES:-"300 500 800 1000 1500 2000"}
REPEAT=${REPEAT:-1}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CLIENTS=${CLIENTS:-1000}
ROOMS=${ROOMS:-100}
PLATFORM_WARM=${PLATFORM_WARM:-120}
TARGETS=${TARGETS:-"peer platform"}
OUT=${OUT:-$B/results/$(date -u +%Y-%m-%dT%H%M)}
mkdir -p "$OUT"

[ -d "$B/node_modules" ] || (cd "$B" && npm install --no-audit --no-fund --no-package-lock)
[ -d "$B/peer/node_modules" ] || (cd "$B/peer" && npm install --no-audit --no-fund --no-package-lock)

run() { # target rate n extra-args...
  local target=$1 rate=$2 n=$3
  shift 3
  node "$B/fanout.mjs" --target "$target" --clients "$CLIENTS" --rooms "$ROOMS" --rate "$rate" \
    --duration "$DURATION" --warmup "$WARMUP" --out "$OUT/$target-r$rate-$n.json" "$@" | tee -a "$OUT/runs.log"
}

for target in $TARGETS; do
  case $target in
    peer)
      ./platform down >/dev/null 2>&1 || true
      "$B/peer/start.sh"
      trap '"$B/peer/stop.sh" || true' EXIT
      for rate in $RATES; do
        for n in $(seq "$REPEAT"); do
          mariadb -h 127.0.0.1 -u root chat_peer -e 'truncate table messages'
          run peer "$rate" "$n"
        done
      done
      "$B/peer/stop.sh"
      trap - EXIT
      ;;
    platform)
      # a cheap password hash: the setup registers and logs in CLIENTS users once
      up() { eval "env AUTH_BCRYPT_COST=4 ${PLATFORM_ENV:-} ./platform up"; }
      up
      [ "${KEEP_UP:-0}" = 1 ] || trap './platform down >/dev/null 2>&1 || true' EXIT
      urls=http://127.0.0.1:8082,http://127.0.0.1:8092
      # as the peer's table before each of its runs: every run writes into an empty messages table
      # (the bench's users and rooms stay), not into one grown by every run before it
      empty() {
        mariadb -h 127.0.0.1 -u root chat -e \
          'set foreign_key_checks = 0; truncate table reactions; truncate table message_reports; truncate table messages'
      }
      warm() {
        empty
        echo "warming the platform for ${PLATFORM_WARM} s at 300 msg/s (not measured)"
        node "$B/fanout.mjs" --target platform --clients "$CLIENTS" --rooms "$ROOMS" --rate 300 \
          --duration "$PLATFORM_WARM" --warmup 0 --drain 2 --urls "$urls" --auth-url http://127.0.0.1:8081 \
          --watch none --out "$OUT/warm-up.json" >/dev/null
      }
      warm
      if [ -n "$(ls .run/aot-recording 2>/dev/null)" ]; then
        # the first start after a build records the AOT cache (ADR 0024), which costs the recording
        # JVM some speed: restarted, the platform runs as operators run it, with the cache
        echo "restarting the platform: its first start after the build recorded the AOT cache"
        ./platform down >/dev/null
        up
        warm
      fi
      for name in ${PLATFORM_AWAY:-}; do
        pid=$(cat ".run/pids/$name.pid" 2>/dev/null) || { echo "PLATFORM_AWAY: no process $name in .run/pids" >&2; exit 2; }
        kill -TERM "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
        echo "stopped $name for the measured runs (PLATFORM_AWAY)"
      done
      for rate in $RATES; do
        for n in $(seq "$REPEAT"); do
          empty
          run platform "$rate" "$n" --urls "$urls" --auth-url http://127.0.0.1:8081
        done
      done
      ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done

node "$B/compare.mjs" "$OUT" | tee "$OUT/table.md"
