#!/usr/bin/env bash
# The local stack (grows with each function): a private redis-server and the validate function, on free loopback
# ports. Prints the URLs and a command to send an event; Ctrl-C stops everything and leaves no process running.
set -euo pipefail
cd "$(dirname "$0")/.."
state="$PWD/.local/run"
rm -rf "$state" && mkdir -p "$state"
pids=()

cleanup() {
  echo; echo "[local] stopping ${#pids[@]} process(es)"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$state/redis"
  echo "[local] stopped (logs kept in $state)"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

redis_port=$(free_port)
mkdir -p "$state/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$state/redis" \
  --logfile "$state/redis.log" &
pids+=($!)
echo "[local] redis-server on 127.0.0.1:$redis_port (data in $state)"

validate_port=$(free_port)
PORT=$validate_port REGION=us-east REDIS_URL=redis://127.0.0.1:$redis_port \
  "$JAVA_HOME/bin/java" -Xmx256m -jar functions/validate/target/validate-*.jar > "$state/validate.log" 2>&1 &
pids+=($!)
echo "[local] validate starting on 127.0.0.1:$validate_port (log: $state/validate.log)"
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$validate_port/actuator/health/readiness" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fs "http://127.0.0.1:$validate_port/actuator/health/readiness" >/dev/null || { echo "[local] validate did not become ready; see $state/validate.log"; exit 1; }

cat <<MSG
[local] ready
  validate   http://127.0.0.1:$validate_port/   (health: /actuator/health, metrics: /actuator/prometheus)
  redis      redis://127.0.0.1:$redis_port

Send an event:
  curl -i http://127.0.0.1:$validate_port/ -H "Ce-Specversion: 1.0" -H "Ce-Id: \$(cat /proc/sys/kernel/random/uuid)" \\
    -H "Ce-Source: /regions/us-east/instances/cli" -H "Ce-Type: order.created" -H "Ce-Time: \$(date -u +%FT%TZ)" \\
    -H "Content-Type: application/json" \\
    -d '{"order_id":"o-1","customer_id":"c-1","amount":12.5,"currency":"EUR","items":1}'

Ctrl-C stops everything.
MSG
wait -n "${pids[@]}"
echo "[local] a process exited; see $state/*.log"
