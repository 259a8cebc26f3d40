#!/usr/bin/env bash
# The local stack (grows with each function): a private redis-server, validate, aggregate and generate (which
# sends to validate), on free loopback ports. Prints the URLs and a command to send an event; Ctrl-C stops
# everything and leaves no process running.
# Not yet wired by a broker (that is the local-broker issue): post validate's reply to aggregate yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
state="$PWD/.local/run"
rm -rf "$state" && mkdir -p "$state"
source local/lib.sh

cleanup() {
  echo; echo "[local] stopping ${#pids[@]} process(es)"
  stop_all
  rm -rf "$state/redis"
  echo "[local] stopped (logs kept in $state)"
}
trap cleanup EXIT INT TERM


redis_port=$(free_port)
mkdir -p "$state/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$state/redis" \
  --logfile "$state/redis.log" &
pids+=($!)
echo "[local] redis-server on 127.0.0.1:$redis_port (data in $state)"

start_function() { # name port env... : starts functions/<name> with the given environment
  local name=$1 port=$2; shift 2
  env PORT="$port" REGION=us-east REDIS_URL="redis://127.0.0.1:$redis_port" "$@" \
    "$JAVA_HOME/bin/java" $FUNCTION_JVM_OPTS -jar "$(ls functions/$name/target/$name-*.jar | grep -v original | head -1)" \
    > "$state/$name.log" 2>&1 &
  pids+=($!)
  echo "[local] $name starting on 127.0.0.1:$port (log: $state/$name.log)"
}
wait_ready() { # name port
  wait_http "http://127.0.0.1:$2/actuator/health/readiness" || { echo "[local] $1 did not become ready; see $state/$1.log"; exit 1; }
}

validate_port=$(free_port); aggregate_port=$(free_port); generate_port=$(free_port)
start_function validate "$validate_port"
start_function aggregate "$aggregate_port"
wait_ready validate "$validate_port"
start_function generate "$generate_port" K_SINK="http://127.0.0.1:$validate_port/" REPORTING_SINK=  # samples need export-metrics
wait_ready aggregate "$aggregate_port"
wait_ready generate "$generate_port"

cat <<MSG
[local] ready
  validate   http://127.0.0.1:$validate_port/   (health: /actuator/health, metrics: /actuator/prometheus)
  aggregate  http://127.0.0.1:$aggregate_port/   (windows: /windows, global view: /global, replays: /replays)
  generate   http://127.0.0.1:$generate_port/   (sends ~24 events/s to validate; chaos: /chaos, what it sent: /stats)
  redis      redis://127.0.0.1:$redis_port

Send an event:
  curl -i http://127.0.0.1:$validate_port/ -H "Ce-Specversion: 1.0" -H "Ce-Id: \$(cat /proc/sys/kernel/random/uuid)" \\
    -H "Ce-Source: /regions/us-east/instances/cli" -H "Ce-Type: order.created" -H "Ce-Time: \$(date -u +%FT%TZ)" \\
    -H "Content-Type: application/json" \\
    -d '{"order_id":"o-1","customer_id":"c-1","amount":12.5,"currency":"EUR","items":1}'

Hand validate's answer to aggregate, as a broker will:  local/forward.sh http://127.0.0.1:$aggregate_port/ < answer
  (where answer is the output of the curl -i above)

Turn on chaos (10% duplicates, 5% malformed) and see validate reject and de-duplicate:
  curl -X PUT http://127.0.0.1:$generate_port/chaos -H 'Content-Type: application/json' -d '{"duplicate_share":0.1,"malformed_share":0.05}'
  curl -s http://127.0.0.1:$generate_port/stats; curl -s http://127.0.0.1:$validate_port/actuator/prometheus | grep ^validate_events

Ctrl-C stops everything.
MSG
wait -n "${pids[@]}"
echo "[local] a process exited; see $state/*.log"
