#!/usr/bin/env bash
# Settings of the platform taking turns within one sitting. This box's speed drifts by a third within
# half an hour (BENCHMARKS.md), so a setting is only compared with the turns beside it, never with a
# sitting of another hour. Each turn stops the platform and runs ../send-path.sh for the platform
# alone with the turn's environment: a start (the first start of new flags records their AOT cache
# and starts again), PLATFORM_WARM seconds at 300 msg/s, then REPEAT runs at RATE.
#
#   VARIANT_default='TALKLINE_JAVA_OPTS="-XX:+UseSerialGC -Xmx384m"' \
#   VARIANT_young320='TALKLINE_JAVA_OPTS="-XX:+UseSerialGC -Xmx512m -Xmn320m"' \
#   TURNS="young320 default young320 default" bash bench/send-path/alternate.sh
#
# A setting is any environment ./platform up reads (JVM flags, a service's properties as environment
# variables) or send-path.sh reads (PLATFORM_AWAY: processes stopped before the measured runs); a
# build cannot take turns this way. RATE may name several rates. Options: TURNS (required), RATE=600, REPEAT=3,
# PLATFORM_WARM=90, DURATION=20, WARMUP=5. Results: bench/send-path/results/alternate-<time>/<n>-<setting>/,
# each turn's table as it ends, then every setting over all of its turns (compare.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=$PWD/bench/send-path
: "${TURNS:?TURNS names the settings in turn, e.g. TURNS=\"a b a b\" with VARIANT_a=... and VARIANT_b=...}"
ALT=$B/results/alternate-$(date -u +%Y-%m-%dT%H%M)
mkdir -p "$ALT"

n=0
for setting in $TURNS; do
  var=VARIANT_$setting
  [ -n "${!var+x}" ] || { echo "no $var for the setting '$setting' in TURNS" >&2; exit 2; }
  n=$((n + 1))
  echo "=== turn $n: $setting ($(date -u +%T))" | tee -a "$ALT/turns.log"
  ./platform down >/dev/null 2>&1 || true
  # the setting's words are send-path.sh's environment, which its ./platform up inherits (so no PLATFORM_ENV)
  (export OUT="$ALT/$n-$setting" PLATFORM_ENV= TARGETS=platform RATES="${RATE:-600}" REPEAT="${REPEAT:-3}" \
      PLATFORM_WARM="${PLATFORM_WARM:-90}"
    eval "exec env ${!var} bash bench/send-path.sh") >"$ALT/$n-$setting.log" 2>&1
  grep -E '^\| [0-9]|^- platform' "$ALT/$n-$setting/table.md" | tee -a "$ALT/turns.log"
done

echo "=== every setting over its turns" | tee -a "$ALT/turns.log"
node "$B/compare.mjs" "$ALT"/*/ | tee "$ALT/table.md"
