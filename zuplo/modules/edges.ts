import { environment } from "@zuplo/runtime";

// The regions' public entries, as terraform/ outputs them: EDGE_URLS (region → https URL of the region's edge) and
// EDGE_KEYS (secret: region → the credential that edge expects in `x-edge-key`). The gateway is the edges' only
// caller; an edge answers anything without its credential with 401.

export const EDGE_KEY_HEADER = "x-edge-key";

function parsed(name: string): Record<string, string> {
  return JSON.parse(environment[name] ?? "{}");
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
