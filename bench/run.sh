#!/usr/bin/env bash
# Benchmark of validate (Redis de-duplication included) on loopback with wrk, next to two baselines measured in the
# same run with the same wrk settings and body: nginx answering 202 (the HTTP ceiling of this machine) and a bare
# Spring Cloud Function echo (the framework's ceiling). Cold start and idle RSS of every function: coldstart.sh.
# Settings: WARMUP (s, per JVM target), DURATION (s), CONNECTIONS, THREADS, FUNCTION_JVM_OPTS (local/lib.sh),
# VALIDATE_ENV (more environment for validate only, e.g. SPRING_REACTOR_CONTEXTPROPAGATION=auto for an A/B).
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${WARMUP:-30}; DURATION=${DURATION:-15}; CONNECTIONS=${CONNECTIONS:-64}; THREADS=${THREADS:-2}
work="$PWD/.local/bench"; rm -rf "$work"; mkdir -p "$work"
source local/lib.sh
trap stop_all EXIT INT TERM
log() { echo "[bench] $*" >&2; }
local/ensure-tools.sh wrk nginx >&2

post_ce() { # port -> HTTP status of one binary CloudEvent
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/" -H 'Ce-Specversion: 1.0' \
    -H "Ce-Id: $(cat /proc/sys/kernel/random/uuid)" -H 'Ce-Source: /regions/us-east/instances/bench' \
    -H 'Ce-Type: order.created' -H "Ce-Time: $(date -u +%FT%TZ)" -H 'Content-Type: application/json' \
    -d '{"order_id":"o-1","customer_id":"c-1","amount":1.5,"currency":"EUR","items":1}' 2>/dev/null || echo 000
}
wait_ok() { for _ in $(seq 1 600); do [ "$(post_ce "$1")" = "$2" ] && return 0; sleep 0.05; done; log "port $1 never answered $2"; exit 1; }

start_redis "$work"
start_nginx_202 "$work"

start_jvm() { # name port java args... (the JVM options go between them) -> pid; env: the process's environment
  local name=$1 port=$2 java=$3; shift 3
  env PORT="$port" $ENV "$java" $FUNCTION_JVM_OPTS "$@" > "$work/$name.log" 2>&1 &
  echo $!
}
# validate as its image starts it (local/lib.sh function_command); the echo from its jar on the same Java
function_command validate
echo_jar=$(ls bench/echo/target/bench-echo-*.jar | grep -v original | head -1)
validate_port=$(free_port); echo_port=$(free_port)
pids+=("$(ENV="REDIS_URL=redis://127.0.0.1:$redis_port REGION=us-east ${VALIDATE_ENV:-}" start_jvm validate "$validate_port" "${function_cmd[@]}")")
pids+=("$(ENV= start_jvm echo "$echo_port" "${function_cmd[0]}" -jar "$echo_jar")")
log "validate: ${function_cmd[*]}"
wait_ok "$nginx_port" 202; wait_ok "$echo_port" 200; wait_ok "$validate_port" 200
log "nginx :$nginx_port, echo :$echo_port, validate :$validate_port (redis :$redis_port)"

run_wrk() { # name port seconds [delay-ms] -> wrk output in $work/name.wrk
  DELAY_MS="${4:-0}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3"s --latency -s bench/ce.lua "http://127.0.0.1:$2/" > "$work/$1.wrk" 2>&1
}
for target in echo:$echo_port validate:$validate_port; do
  log "warming up ${target%%:*} for ${WARMUP}s (JIT)"; run_wrk "warm-${target%%:*}" "${target##*:}" "$WARMUP"
done
for target in nginx:$nginx_port echo:$echo_port validate:$validate_port; do
  log "measuring ${target%%:*} for ${DURATION}s (-t$THREADS -c$CONNECTIONS)"; run_wrk "${target%%:*}" "${target##*:}" "$DURATION"
done

pct() { awk -v p="$2" '$1==p {print $2}' "$work/$1.wrk"; }
non2xx() { awk '/Non-2xx/ {print $5}' "$work/$1.wrk"; } # "Non-2xx or 3xx responses: N"
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.wrk"; }
half=$(python3 -c "print(float('$(rps validate)') / 2)")
# wrk paces in whole milliseconds: keep each connection's think time at 5 ms and choose the number of connections
# so that connections / (5 ms + about 1 ms of latency) is about half the maximum rate.
delay=5
half_connections=$(python3 -c "print(max(2, round($half * ($delay + 1) / 1000)))")
log "measuring validate at about half its maximum rate (~${half%.*} req/s: $half_connections connections, ${delay} ms think time)"
CONNECTIONS=$half_connections run_wrk validate-half "$validate_port" "$DURATION" "$delay"

echo
printf '%-14s %12s %9s %9s %9s %10s\n' target req/s p50 p90 p99 non-2xx
for t in nginx echo validate validate-half; do
  printf '%-14s %12s %9s %9s %9s %10s\n' "$t" "$(rps $t)" "$(pct $t 50%)" "$(pct $t 90%)" "$(pct $t 99%)" "$(non2xx $t || true)"
done
python3 - "$(rps nginx)" "$(rps echo)" "$(rps validate)" "$(pct validate-half 99%)" "$(rps validate-half)" <<'PY'
import sys
nginx, echo, validate = map(float, sys.argv[1:4])
p99, half_rate = sys.argv[4], float(sys.argv[5])
ms = float(p99[:-2]) if p99.endswith("ms") else float(p99[:-2]) / 1000 if p99.endswith("us") else float(p99[:-1]) * 1000
print(f"\nvalidate p99 at {half_rate:.0f} req/s ({half_rate / validate:.0%} of its maximum) = {ms:.2f} ms   (target <= 5 ms at 50%)")
print(f"\nvalidate / nginx = {validate / nginx:.1%}   (target >= 15%)")
print(f"validate / echo  = {validate / echo:.1%}   (target >= 80%)")
print(f"echo / nginx     = {echo / nginx:.1%}   (framework ceiling)")
PY

dups=$(curl -s "http://127.0.0.1:$validate_port/actuator/prometheus" | awk '/^validate_events_total/ && /outcome="duplicate"/ {print $2}')
accepted=$(curl -s "http://127.0.0.1:$validate_port/actuator/prometheus" | awk '/^validate_events_total/ && /outcome="accepted"/ {print $2}')
echo "validate decided over the whole run: accepted $accepted, duplicate $dups (every request carries a new id)"
