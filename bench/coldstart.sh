#!/usr/bin/env bash
# Cold start and footprint of every function, next to the JVM's own floor measured in the same run.
# - floor: `java -cp . Hello` (prints a line and exits), the median of RUNS starts;
# - per function, RUNS starts each of the packaged jar (`java -jar <fat jar>`) and of what the image and the local
#   stack run (target/app: the extracted jar with the AOT cache its build trained, `-XX:AOTCache=app.aot`, on the
#   image's Java runtime target/java, functions/java-runtime.sh; the jar on the build's JDK), both with
#   FUNCTION_JVM_OPTS (local/lib.sh, the Services' JAVA_TOOL_OPTIONS): cold start = process start -> first answer to
#   a CloudEvent POSTed to / (any HTTP status: the app is up and routing; validate answers 200), its median, the ratio
#   to the floor (target <= 10x); idle RSS (VmRSS 5 s after the first answer; target <= 150 MB) and PSS (the shared
#   cache's pages divided among the processes that map them); then, for the last start with the cache, RSS under
#   load: wrk posts its usual input for LOAD_SECONDS (validate, quarantine: order.created as ce.lua sends it;
#   aggregate: validated events to /events, validated-batch.lua with BATCH=1; edge: events to /events with its key) and RSS is
#   read as the load ends, with the 2xx share of the answers. generate and export-metrics take no request load here
#   (a tick or the functions' reports drive them): '-'.
# Settings: RUNS (3), FUNCTIONS (all), LOAD_SECONDS (10).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}; LOAD_SECONDS=${LOAD_SECONDS:-10}; FUNCTIONS=${FUNCTIONS:-"validate aggregate generate export-metrics quarantine edge"}
work="$PWD/.local/bench-coldstart"; rm -rf "$work"; mkdir -p "$work"
source local/lib.sh
JAVA="$JAVA_HOME/bin/java"
local/ensure-tools.sh wrk nginx >&2
trap stop_all EXIT INT TERM
log() { echo "[coldstart] $*" >&2; }

start_redis "$work"
start_nginx_202 "$work" # the edge's broker ingress: takes every event (202)

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

load() { # function port -> "rss_mb 2xx%" after LOAD_SECONDS of its input, or "- -"
  local script path=/ extra=()
  case "$1" in
    validate|quarantine) script=bench/ce.lua ;;
    aggregate) script=bench/validated-batch.lua; path=/events ;;
    edge) script=bench/ce.lua; path=/events; extra=(-H "x-edge-key: $edge_key") ;;
    *) echo "- -"; return ;;
  esac
  BATCH=1 wrk -t1 -c8 -d"$LOAD_SECONDS"s "${extra[@]}" -s "$script" "http://127.0.0.1:$2$path" > "$work/$1-load.wrk" 2>&1 || true
  local rss total bad
  rss=$(awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$3/status" 2>/dev/null || echo -)
  total=$(awk '/requests in/ {print $1}' "$work/$1-load.wrk"); bad=$(awk '/Non-2xx/ {print $5}' "$work/$1-load.wrk")
  echo "$rss $(awk -v t="${total:-0}" -v b="${bad:-0}" 'BEGIN {printf "%.0f%%", (t > 0 ? 100 * (t - b) / t : 0)}')"
}

start() { # name dir launch-args... -> "ms status rss_mb pss_mb load_rss_mb load_2xx" (the load only when LOAD is set)
  local name=$1 dir=$2; shift 2
  local port; port=$(free_port)
  local t0; t0=$(ms)
  # what each needs to start; the edge's broker is nginx (202), its aggregate a port nothing listens on
  (cd "$dir" && exec env PORT="$port" REDIS_URL="redis://127.0.0.1:$redis_port" REGION=us-east EDGE_KEY="$edge_key" \
    BROKER_INGRESS="http://127.0.0.1:$nginx_port/" AGGREGATE_URL=http://127.0.0.1:1/ \
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
  local under="- -"
  [ -n "${LOAD:-}" ] && under=$(load "$LOAD" "$port" "$pid")
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  echo "$took $status $rss $pss $under"
}

printf '\n%-15s %-10s %9s %8s %7s %8s %8s %13s %8s\n' function mode median-ms ratio status RSS-MB PSS-MB load-RSS-MB load-2xx
for fn in $FUNCTIONS; do
  jar=$(ls functions/"$fn"/target/"$fn"-*.jar | grep -v original | head -1)
  app="functions/$fn/target/app"
  for mode in jar cache; do
    if [ "$mode" = cache ] && [ ! -f "$app/app.aot" ]; then log "$fn: no $app/app.aot (run make build)"; continue; fi
    : > "$work/$fn-$mode.runs"
    for i in $(seq 1 "$RUNS"); do
      if [ "$mode" = jar ]; then start "$fn-$mode-$i" "$PWD" -jar "$jar" >> "$work/$fn-$mode.runs"
      else function_command "$fn"; JAVA="${function_cmd[0]}" LOAD=$([ "$i" = "$RUNS" ] && echo "$fn" || true) \
        start "$fn-$mode-$i" "$PWD" "${function_cmd[@]:1}" >> "$work/$fn-$mode.runs"; fi
    done
    took=$(awk '{print $1}' "$work/$fn-$mode.runs" | median)
    read -r _ status rss pss load_rss load_ok < <(tail -1 "$work/$fn-$mode.runs")
    printf '%-15s %-10s %9s %7.1fx %7s %8s %8s %13s %8s\n' "$fn" "$mode" "$took" "$(echo "$took / $floor" | bc -l)" "$status" "$rss" "$pss" \
      "$load_rss" "$load_ok"
  done
done
echo
echo "floor: $floor ms (java -cp . Hello); targets: ratio <= 10x, idle RSS <= 150 MB; JVM options: $FUNCTION_JVM_OPTS"
