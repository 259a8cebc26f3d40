#!/usr/bin/env bash
# Benchmark of aggregate: validated events/s counted into windows (idempotency, histograms and retention included)
# on loopback, next to `redis-benchmark -t incr -P 1` against the same Redis in the same run (one round trip per
# command: what a naive one-INCR-per-event design would be bound by). Target: ratio >= 1.0.
# Settings: WARMUP, DURATION (s), BATCH (events per request), CONNECTIONS, THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${WARMUP:-20}; DURATION=${DURATION:-15}; BATCH=${BATCH:-100}; CONNECTIONS=${CONNECTIONS:-8}; THREADS=${THREADS:-2}
work="$PWD/.local/bench-aggregate"; rm -rf "$work"; mkdir -p "$work"
source local/lib.sh
trap stop_all EXIT INT TERM
log() { echo "[bench] $*" >&2; }
local/ensure-tools.sh wrk >&2

start_redis "$work"
port=$(free_port)
function_command aggregate # as its image starts it
PORT=$port REDIS_URL="redis://127.0.0.1:$redis_port" REGION=us-east "${function_cmd[0]}" $FUNCTION_JVM_OPTS "${function_cmd[@]:1}" \
  > "$work/aggregate.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port/actuator/health/readiness" || { log "aggregate did not start; see $work/aggregate.log"; exit 1; }
log "aggregate :$port, redis :$redis_port"

log "redis-benchmark -t incr -P 1 (50 clients, 300000 requests)"
incr=$(redis-benchmark -p "$redis_port" -t incr -P 1 -n 300000 -q | tr '\r' '\n' | awk '/requests per second/ {print $2}' | tail -1)

wrk_batch() { # batch seconds -> requests/s
  BATCH=$1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --latency -s bench/validated-batch.lua "http://127.0.0.1:$port/events" > "$work/wrk-$1.txt" 2>&1
  awk '/Requests\/sec/ {print $2}' "$work/wrk-$1.txt"
}
log "warming up for ${WARMUP}s"; wrk_batch "$BATCH" "$WARMUP" >/dev/null
log "measuring batches of $BATCH for ${DURATION}s (-t$THREADS -c$CONNECTIONS)"; batched=$(wrk_batch "$BATCH" "$DURATION")
log "measuring single events for ${DURATION}s"; single=$(wrk_batch 1 "$DURATION")
grep -q "Non-2xx" "$work"/wrk-*.txt && { log "some requests were not answered 2xx:"; grep -H "Non-2xx" "$work"/wrk-*.txt >&2; }

python3 - "$incr" "$batched" "$BATCH" "$single" <<'PY'
import sys
incr, batched, batch, single = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
events = batched * batch
print(f"redis-benchmark INCR -P 1      {incr:12,.0f} ops/s")
print(f"aggregate, batches of {batch:<4}    {events:12,.0f} events/s   ({batched:,.0f} requests/s)")
print(f"aggregate, single events       {single:12,.0f} events/s")
print(f"ratio batched / INCR -P 1      {events / incr:12.2f}   (target >= 1.0)")
PY
curl -s "http://127.0.0.1:$port/actuator/prometheus" | grep -E '^aggregate_events_total' >&2 || true
