#!/usr/bin/env bash
# Start the peer: one Node process per port (default 47101 47102), all sharing MySQL and Redis.
# Pid files and logs go to .run/. Env: PORTS, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_POOL, REDIS_URL.
set -euo pipefail
cd "$(dirname "$0")"
PORTS=${PORTS:-"47101 47102"}
mkdir -p .run
[ -d node_modules ] || npm install --no-audit --no-fund --no-package-lock
mariadb -h "${DB_HOST:-127.0.0.1}" -P "${DB_PORT:-3306}" -u "${DB_USER:-root}" ${DB_PASSWORD:+-p"$DB_PASSWORD"} < schema.sql
for p in $PORTS; do
  pidf=.run/peer-$p.pid
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then echo "peer :$p already running (pid $(cat "$pidf"))"; continue; fi
  PORT=$p NODE_ENV=production nohup node server.js >".run/peer-$p.log" 2>&1 &
  echo $! >"$pidf"
done
for p in $PORTS; do
  for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 || { echo "peer :$p did not start, see .run/peer-$p.log" >&2; exit 1; }
  echo "peer :$p up (pid $(cat ".run/peer-$p.pid"))"
done
