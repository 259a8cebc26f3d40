#!/usr/bin/env bash
# The local stack: the whole system on one machine, driven by the knative/ manifests (see local/README.md).
# Three regions, each with its redis-server, local broker, five functions and PingSources; ClickHouse for
# TrafficPeak. Ctrl-C stops everything and leaves no process running. Build first: make build.
set -euo pipefail
cd "$(dirname "$0")/.."
source local/lib.sh
command -v kubectl >/dev/null || { echo "[local] kubectl is needed to render knative/ (install kubectl)"; exit 1; }
jar=$(ls local/stack/target/local-stack-*-exec.jar | head -1)
exec "$JAVA_HOME/bin/java" $FUNCTION_JVM_OPTS -jar "$jar" "$PWD" "${REGIONS:-us-east,eu-west,ap-south}"
