#!/usr/bin/env bash
# npm's dependency audit of the npm projects (make test): `npm audit --omit=dev --audit-level=high` in each directory
# given (relative to the repo root; default: zuplo, local/sdk-client, terraform). A high or critical advisory fails;
# a registry that does not answer the audit (offline, a mirror without the advisory endpoint, a timeout) is a skip
# with a notice, never a failure. docs/security.md.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ $# -gt 0 ] || set -- zuplo local/sdk-client terraform
status=0
for dir in "$@"; do
  out="$(cd "$root/$dir" && timeout 120 npm audit --omit=dev --audit-level=high --json 2>/dev/null)"
  verdict="$(printf '%s' "$out" | node -e '
    let text = "";
    process.stdin.on("data", (c) => (text += c)).on("end", () => {
      let report;
      try { report = JSON.parse(text); } catch { report = undefined; }
      if (!report || report.auditReportVersion === undefined || !report.metadata) {
        const why = report && (report.message || (report.error && (report.error.summary || report.error.code))) || "no report";
        console.log(`skip ${String(why).split("\n")[0]}`);
        return;
      }
      const counts = report.metadata.vulnerabilities || {};
      const serious = Object.values(report.vulnerabilities || {}).filter((v) => v.severity === "high" || v.severity === "critical");
      if (serious.length === 0) {
        const prod = Math.max(0, (report.metadata.dependencies?.prod ?? 1) - 1); // npm counts the project itself
        console.log(`ok ${counts.total || 0} advisories, none high or critical (${prod} production dependencies; dev tooling is not audited)`);
        return;
      }
      console.log(`fail ${serious.length} package(s) with high or critical advisories:`);
      for (const v of serious) {
        const via = (v.via || []).map((x) => (typeof x === "string" ? x : `${x.title} ${x.url || ""}`)).join("; ");
        console.log(`  ${v.name} (${v.severity}, ${v.range}): ${via}${v.fixAvailable ? " — fix available" : ""}`);
      }
    });')"
  case "$verdict" in
    ok*) echo "npm audit $dir: ${verdict#ok }" ;;
    skip*) echo "npm audit $dir: SKIPPED, the registry did not answer the audit (${verdict#skip })" ;;
    *) echo "npm audit $dir: ${verdict#fail }"; status=1 ;;
  esac
done
exit $status
