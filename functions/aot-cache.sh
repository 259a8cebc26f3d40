#!/usr/bin/env bash
# The Java 25 AOT cache (JEP 483/514/515) of a function, made when Maven packages it (the exec-maven-plugin execution
# in the root pom): the fat jar extracted to target/app (its classes and libraries as plain jars, which a cache can
# hold; nested jars cannot be), then one training start of the app there up to its context refresh
# (-Dspring.context.exit=onRefresh), with the JVM options it runs with, writing target/app/app.aot. The local stack and
# bench/ run target/app with it. A cache holds only for the same JVM build and class path, as written here: the
# jar's absolute path (a JVM started from another directory with a relative path would not find it); a JVM that
# cannot use it starts without it (-Xlog:aot says why).
# Usage: functions/aot-cache.sh <fat jar> <JVM options...>
set -euo pipefail
jar=$(realpath "$1"); shift
source "$(dirname "$0")/../local/lib.sh" # JAVA_HOME: the Java 25 the stack runs
app="$(dirname "$jar")/app"
log="$(dirname "$jar")/aot-training.log"
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --force --destination "$app" > "$log" 2>&1
rm -f "$app/app.aot"
# nothing is listened on (port 0) or connected to (Redis is connected lazily; port 1 of loopback has no server); the
# edge wants its key and upstreams to start: a random key, used by nothing, and the same unserved port
(cd "$app" && env -u JAVA_TOOL_OPTIONS -u K_SINK PORT=0 REDIS_URL=redis://127.0.0.1:1 EDGE_KEY="$(head -c 30 /dev/urandom | base64)" \
  BROKER_INGRESS=http://127.0.0.1:1/ AGGREGATE_URL=http://127.0.0.1:1/ \
  "$JAVA_HOME/bin/java" "$@" -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar "$app/$(basename "$jar")") >> "$log" 2>&1 \
  || { echo "[aot-cache] training $(basename "$jar") failed: see $log" >&2; tail -20 "$log" >&2; exit 1; }
[ -f "$app/app.aot" ] || { echo "[aot-cache] no $app/app.aot written: see $log" >&2; exit 1; }
echo "[aot-cache] $app/app.aot ($(du -m "$app/app.aot" | cut -f1) MB) for $(basename "$jar")"
