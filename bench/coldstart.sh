#!/usr/bin/env bash
# Cold start and footprint of every function, next to the JVM's own floor measured in the same run.
# - floor: `java -cp . Hello` (prints a line and exits), the median of RUNS starts;
# - per function, RUNS starts each of the packaged jar (`java -jar <fat jar>`) and of what the image and the local
#   stack run (target/app: the extracted jar with the AOT cache its build trained, `-XX:AOTCache=app.aot`), both with
#   FUNCTION_JVM_OPTS (local/lib.sh, the Services' JAVA_TOOL_OPTIONS): cold start = process start -> first answer to
#   a CloudEvent POSTed to / (any HTTP status: the app is up and routing; validate answers 200), its median, the ratio
#   to the floor (target <= 10x); idle RSS (VmRSS 5 s after the first answer; target <= 150 MB) and PSS (the shared
#   cache's pages divided among the processes that map them).
# Settings: RUNS (3), FUNCTIONS (all).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}; FUNCTIONS=${FUNCTIONS:-"validate aggregate generate export-metrics quarantine edge"}
work="$PWD/.local/bench-coldstart"; rm -rf "$work"; mkdir -p "$work"
source local/lib.sh
JAVA="$JAVA_HOME/bin/java"
trap stop_all EXIT INT TERM
log() { echo "[coldstart] $*" >&2; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --logfile "$work/redis.log" &
pids+=($!)

edge_key=$(head -c 30 /dev/urandom | base64)
ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] args) { System.out.println("hello"); } }
JAVA
"$JAVA_HOME/bin/javac" -d "$work" "$work/Hello.java"
floor=$(for _ in $(seq 1 "$RUNS"); do t0=$(ms); "$JAVA" -cp "$work" Hello >/dev/null; echo $(( $(ms) - t0 )); done | median)
log "JVM floor (hello world, median of $RUNS): $floor ms"

post() { # port -> HTTP status of one binary CloudEvent, 000 when nothing answers
  curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$1/" -H 'Ce-Specversion: 1.0' \
    -H "Ce-Id: $(cat /proc/sys/kernel/random/uuid)" -H 'Ce-Source: /regions/us-east/instances/bench-coldstart' \
    -H 'Ce-Type: order.created' -H "Ce-Time: $(date -u +%FT%TZ)" -H 'Content-Type: application/json' \
    -d '{"order_id":"o-1","customer_id":"c-1","amount":1.5,"currency":"EUR","items":1}' 2>/dev/null || true
}

start() { # name dir launch-args... -> "ms status rss_mb pss_mb"
  local name=$1 dir=$2; shift 2
  local port; port=$(free_port)
  local t0; t0=$(ms)
  # what each needs to start; the edge's upstreams are a port nothing listens on (it answers 401 without its key)
  (cd "$dir" && exec env PORT="$port" REDIS_URL="redis://127.0.0.1:$redis_port" REGION=us-east EDGE_KEY="$edge_key" \
    BROKER_INGRESS=http://127.0.0.1:1/ AGGREGATE_URL=http://127.0.0.1:1/ \
    "$JAVA" $FUNCTION_JVM_OPTS "$@" > "$work/$name.log" 2>&1) &
  local pid=$! status=000
  for _ in $(seq 1 1200); do
    status=$(post "$port"); [ "$status" != 000 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.025
  done
  local took=$(( $(ms) - t0 ))
  sleep 5
  local rss pss
  rss=$(awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo -)
  pss=$(awk '/^Pss:/ {printf "%.0f", $2/1024}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo -)
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  echo "$took $status $rss $pss"
}

printf '\n%-15s %-10s %9s %8s %7s %8s %8s\n' function mode median-ms ratio status RSS-MB PSS-MB
for fn in $FUNCTIONS; do
  jar=$(ls functions/"$fn"/target/"$fn"-*.jar | grep -v original | head -1)
  app="functions/$fn/target/app"
  for mode in jar cache; do
    if [ "$mode" = cache ] && [ ! -f "$app/app.aot" ]; then log "$fn: no $app/app.aot (run make build)"; continue; fi
    : > "$work/$fn-$mode.runs"
    for i in $(seq 1 "$RUNS"); do
      if [ "$mode" = jar ]; then start "$fn-$mode-$i" "$PWD" -jar "$jar" >> "$work/$fn-$mode.runs"
      else start "$fn-$mode-$i" "$PWD" -XX:AOTCache="$PWD/$app/app.aot" -jar "$PWD/$app/$(basename "$jar")" >> "$work/$fn-$mode.runs"; fi
    done
    took=$(awk '{print $1}' "$work/$fn-$mode.runs" | median)
    read -r _ status rss pss < <(tail -1 "$work/$fn-$mode.runs")
    printf '%-15s %-10s %9s %7.1fx %7s %8s %8s\n' "$fn" "$mode" "$took" "$(echo "$took / $floor" | bc -l)" "$status" "$rss" "$pss"
  done
done
echo
echo "floor: $floor ms (java -cp . Hello); targets: ratio <= 10x, idle RSS <= 150 MB; JVM options: $FUNCTION_JVM_OPTS"
