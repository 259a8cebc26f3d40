#!/usr/bin/env bash
# The Java 25 AOT cache (JEP 483/514/515) of a function, made when Maven packages it (the exec-maven-plugin execution
# in the root pom): the fat jar extracted to target/app (its classes and libraries as plain jars, which a cache can
# hold; nested jars cannot be), then one training run of the app there with the JVM options it runs with: it starts,
# answers ROUNDS rounds of its requests in functions/aot-training/requests (its input, refusals, probes, metrics),
# and stops; the JVM writes target/app/app.aot as it exits. The cache then holds the classes and method profiles of
# the first requests too, not only of the start. The local stack and bench/ run target/app with it on target/java.
# A cache holds only for the Java runtime it was made with and jars of the same size and time: it is trained on the
# runtime the image carries (functions/java-runtime.sh, linked as target/java), with the jars stamped with the time Jib
# gives every file of an image (1970-01-01T00:00:01Z), so the image's /opt/java and /app are what was trained here (the
# cache finds its jars when the whole app directory moves). A JVM that cannot use it starts without it (-Xlog:aot says
# why; -XX:AOTMode=on makes that an error).
# The training run talks to loopback only: a throwaway redis-server when there is one (else nothing listens at its
# Redis address), nginx answering 202 as the edge's broker when there is one (else an unserved port).
# Usage: functions/aot-cache.sh <fat jar> <JVM options...>      Settings: ROUNDS (40)
set -euo pipefail
jar=$(realpath "$1"); shift
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../local/lib.sh" # JAVA_HOME: the Java 25 the stack runs; free_port, start_redis, start_nginx_202
app="$(dirname "$jar")/app"
log="$(dirname "$jar")/aot-training.log"
function=$(basename "$jar" .jar | sed -E 's/-[0-9]+\..*$//')
rounds=${ROUNDS:-40}
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --force --destination "$app" > "$log" 2>&1
find "$app" -name '*.jar' -exec touch -d @1 {} +
rm -f "$app/app.aot"
runtime=$("$here/java-runtime.sh")
ln -sfn "$runtime" "$(dirname "$jar")/java"
work=$(mktemp -d); trap 'stop_all; rm -rf "$work"' EXIT
redis_url=redis://127.0.0.1:1 broker=http://127.0.0.1:1/
if command -v redis-server > /dev/null; then start_redis "$work"; redis_url=redis://127.0.0.1:$redis_port; fi
if command -v nginx > /dev/null || [ -x /usr/sbin/nginx ]; then start_nginx_202 "$work" 2> /dev/null; broker=http://127.0.0.1:$nginx_port/; fi
port=$(free_port) edge_key=$(head -c 30 /dev/urandom | base64)
fail() { echo "[aot-cache] training $function failed: $1 (see $log)" >&2; tail -20 "$log" >&2; exit 1; }

(cd "$app" && exec env -u JAVA_TOOL_OPTIONS -u K_SINK PORT="$port" REDIS_URL="$redis_url" EDGE_KEY="$edge_key" \
  BROKER_INGRESS="$broker" AGGREGATE_URL=http://127.0.0.1:1/ \
  "$runtime/bin/java" "$@" -XX:AOTCacheOutput=app.aot -jar "$app/$(basename "$jar")") >> "$log" 2>&1 &
pid=$!
ready=
for _ in $(seq 1 1200); do
  kill -0 "$pid" 2> /dev/null || fail "the app exited before it was ready"
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' -H "x-edge-key: $edge_key" \
    "http://127.0.0.1:$port/actuator/health/readiness")" = 200 ] && { ready=1; break; }
  sleep 0.1
done
[ -n "$ready" ] || { kill "$pid"; fail "not ready within 2 min"; }

# the curl arguments of one request of a line of the requests file, fresh ids and times in its body and headers,
# appended to the round's (one curl per round, no other process per request)
export TZ=UTC
declare -A bodies
add_request() { # method path content-type body headers...
  local method=$1 path=$2 type=$3 body=$4 id now header text; shift 4
  read -r id < /proc/sys/kernel/random/uuid
  printf -v now '%(%FT%T)T.%.3sZ' "${EPOCHREALTIME%.*}" "${EPOCHREALTIME#*.}"
  [ ${#round[@]} -gt 0 ] && round+=(--next)
  round+=(-s -o /dev/null -m 10 -w '%{http_code}\n' -X "$method")
  [ "$type" != - ] && round+=(-H "Content-Type: $type")
  if [ "$body" != - ]; then
    [ -n "${bodies[$body]+set}" ] || bodies[$body]=$(< "$here/aot-training/$body")
    text=${bodies[$body]//@ID@/$id}
    round+=(--data-binary "${text//@TIME@/$now}")
  fi
  for header in "$@"; do
    header=${header//@ID@/$id}; header=${header//@TIME@/$now}; header=${header//@EDGE_KEY@/$edge_key}
    round+=(-H "${header%%:*}: ${header#*:}")
  done
  round+=("http://127.0.0.1:$port$path")
}
requests=$(grep -v '^#' "$here/aot-training/requests" | awk -v f="$function" '$1 == "*" || $1 == f')
# every request must be answered (any status: refusals are trained too); no answer means the app or a line is broken
for _ in $(seq 1 "$rounds"); do
  round=()
  while read -r _ line; do
    # shellcheck disable=SC2086 # the fields of the line
    add_request $line
  done <<< "$requests"
  curl "${round[@]}" || true # curl writes 000 for a request nothing answered and goes on with the next
done > "$work/answers"
unanswered=$(grep -c '^000$' "$work/answers" || true)
[ "$unanswered" = 0 ] || { kill "$pid"; fail "$unanswered of $(wc -l < "$work/answers") training requests got no answer"; }
kill -TERM "$pid"
wait "$pid" || true # the JVM writes the cache as it exits (a child JVM assembles it)
[ -f "$app/app.aot" ] || fail "no $app/app.aot written"
echo "[aot-cache] $app/app.aot ($(du -m "$app/app.aot" | cut -f1) MB) for $function, trained on $rounds rounds of $(wc -l <<< "$requests") requests (answers: $(sort "$work/answers" | uniq -c | awk '{s = s (NR > 1 ? ", " : "") $1 " x " $2} END {print s}'))"
