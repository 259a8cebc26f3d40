# Helpers shared by the local stack and the benchmarks (sourced, not run).
# shellcheck shell=bash

# Java 25, found as the Makefile finds it: JAVA25_HOME, else Temurin 25 under /usr/lib/jvm, else JAVA_HOME as set.
# Scripts run directly (bench/run.sh, local/run.sh) then work without make.
if [ -n "${JAVA25_HOME:-}" ]; then
  JAVA_HOME=$JAVA25_HOME
elif compgen -G "/usr/lib/jvm/temurin-25-jdk*" >/dev/null; then
  JAVA_HOME=$(compgen -G "/usr/lib/jvm/temurin-25-jdk*" | head -1)
fi
export JAVA_HOME=${JAVA_HOME:-}
if [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "[local] no Java 25: install Temurin 25 under /usr/lib/jvm or set JAVA25_HOME" >&2
  exit 1
fi

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Background processes to stop on exit: add with `pids+=($!)`; `trap stop_all EXIT INT TERM`.
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# A throwaway redis-server (no persistence) on a free loopback port, files in dir: sets redis_port. Usage: start_redis dir
start_redis() {
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$1" --logfile "$1/redis.log" &
  pids+=($!)
}

# nginx answering 202 to every request on a free loopback port, files in dir/nginx: sets nginx_port (the benchmarks'
# HTTP ceiling, and a broker ingress that takes everything). Usage: start_nginx_202 dir
start_nginx_202() {
  nginx_port=$(free_port)
  mkdir -p "$1/nginx"
  cat > "$1/nginx/nginx.conf" <<CONF
worker_processes auto; daemon off; pid $1/nginx/nginx.pid; error_log $1/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off; client_body_temp_path $1/nginx; proxy_temp_path $1/nginx; fastcgi_temp_path $1/nginx;
  uwsgi_temp_path $1/nginx; scgi_temp_path $1/nginx;
  server { listen 127.0.0.1:$nginx_port; location / { return 202; } }
}
CONF
  "$(command -v nginx || echo /usr/sbin/nginx)" -c "$1/nginx/nginx.conf" &
  pids+=($!)
}

# Waits until GET url answers 2xx, up to about 60 s.
wait_http() {
  for _ in $(seq 1 600); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

# JVM options of every function process, here, in the images (Jib) and in the Knative Services (JAVA_TOOL_OPTIONS):
# the parallel collector (G1's more frequent young pauses cost validate's p99), a heap that starts at 16 MB and gives
# back what it does not use, and glibc's free memory trimmed every 2 s: idle RSS 170 MB instead of 287 MB, at 7% less
# throughput (bench/README.md). Override with FUNCTION_JVM_OPTS.
FUNCTION_JVM_OPTS=${FUNCTION_JVM_OPTS:-"-XX:+UseParallelGC -Xms16m -Xmx512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true"}

# How a function starts when its image starts it (the local stack's FunctionProcess.launch does the same): on the Java
# runtime the image carries (functions/<f>/target/java), the app its build extracted with the AOT cache trained there;
# the fat jar on this JDK when the build made neither, or they are older than the jar. Sets function_cmd (the Java
# executable, then its arguments after the JVM options). Usage: function_command <function>
function_command() {
  local target jar app
  target="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/functions/$1/target"
  jar=$(ls "$target/$1"-*.jar | grep -v original | head -1)
  app="$target/app/$(basename "$jar")"
  if [ -f "$target/app/app.aot" ] && [ -f "$app" ] && [ -x "$target/java/bin/java" ] && [ ! "$jar" -nt "$target/app/app.aot" ]; then
    function_cmd=("$target/java/bin/java" -XX:AOTCache="$target/app/app.aot" -jar "$app")
  else
    function_cmd=("$JAVA_HOME/bin/java" -jar "$jar")
  fi
}
