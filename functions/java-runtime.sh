#!/usr/bin/env bash
# The Java runtime the function images carry in /opt/java (the root pom's Jib extraDirectories), made by jlink from
# the Java 25 the build runs on, into target/java-runtime of the repository. The AOT cache of every function is trained
# on it (functions/aot-cache.sh) and the local stack and bench/ run the functions on it: a cache holds only for the
# runtime it was made with, so image, stack and benchmark share one. Made once; made again when the JDK or the module
# list changes (target/java-runtime.made-from says from what). Several builds at once wait for one another (flock).
# Usage: functions/java-runtime.sh        Prints the runtime's directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../local/lib.sh" # JAVA_HOME: the Java 25 of the build
runtime=$here/../target/java-runtime
runtime=$(realpath -m "$runtime")
# what Spring Boot, Netty, Lettuce and OpenTelemetry use (java.se: java.beans in java.desktop, java.sql, JMX, ...),
# the TLS providers and DNS, jcmd/jfr for a look inside a running pod; no compiler, debugger agent or dev tools
modules=java.se,jdk.attach,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jcmd,jdk.jfr,jdk.localedata
modules=$modules,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.security.auth
modules=$modules,jdk.security.jgss,jdk.unsupported,jdk.zipfs
made_from="$(realpath "$JAVA_HOME") $(grep -E '^(IMPLEMENTOR_VERSION|JAVA_RUNTIME_VERSION)=' "$JAVA_HOME/release" | tr '\n' ' ')$modules"

mkdir -p "$(dirname "$runtime")"
exec 9> "$runtime.lock"
flock 9
if [ "$(cat "$runtime.made-from" 2> /dev/null)" != "$made_from" ]; then
  rm -rf "$runtime"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --no-man-pages --no-header-files --output "$runtime" >&2
  echo "$made_from" > "$runtime.made-from"
  echo "[java-runtime] $runtime ($(du -sm "$runtime" | cut -f1) MB) from $JAVA_HOME" >&2
fi
echo "$runtime"
