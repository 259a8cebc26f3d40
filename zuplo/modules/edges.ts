import { environment } from "@zuplo/runtime";

// The regions' public entries, as terraform/ outputs them: EDGE_URLS (region → https URL of the region's edge) and
// EDGE_KEYS (secret: region → the credential that edge expects in `x-edge-key`). The gateway is the edges' only
// caller; an edge answers anything without its credential with 401.

export const EDGE_KEY_HEADER = "x-edge-key";

const parsedByText = new Map<string, Record<string, string>>();

/** The JSON object of an environment variable, parsed once per value (it is read on every request). */
function parsed(name: string): Record<string, string> {
  const text = environment[name] ?? "{}";
  let value = parsedByText.get(text);
  if (!value) {
    value = JSON.parse(text) as Record<string, string>;
    parsedByText.set(text, value);
  }
  return value;
}

/** Each region's edge URL for `path` (e.g. "/events", "/windows?last=3"). */
export function edgeUrls(path: string): Record<string, string> {
  return Object.fromEntries(Object.entries(parsed("EDGE_URLS")).map(([region, url]) => [region, `${url.replace(/\/$/, "")}${path}`]));
}

/** The headers a region's edge needs: its credential. */
export function edgeHeaders(): (region: string) => Record<string, string> {
  const keys = parsed("EDGE_KEYS");
  return (region) => (keys[region] ? { [EDGE_KEY_HEADER]: keys[region] } : {});
}

/** TRACE_SAMPLE_RATE: the share of new traces the gateway records (0..1; unset: all of them). */
export function traceSampleRate(): number {
  const rate = Number(environment.TRACE_SAMPLE_RATE ?? "1");
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 1;
}
