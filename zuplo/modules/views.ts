import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { edgeHeaders, edgeUrls, traceSampleRate } from "./edges";
import { describe, forward } from "./failover";
import { RegionHealth } from "./region-health";
import { badRegionHeader, routeOrder } from "./route-order";
import { TYPE_PATTERN } from "./cloudevents";
import { problem } from "./problem";

// Reads and replays, served by the regions' aggregate functions through each region's edge (modules/edges.ts).
// A region's own view (windows, replays) goes to that region only; the global view, which every region holds, goes
// to the nearest healthy one the key allows, failing over like ingest.

const health = new RegionHealth(10_000);
const TIMEOUT_MS = 5000;

/** The query parameters the route documents, in a query string ("" when none). */
function query(request: ZuploRequest, names: string[]): string {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = request.query[name];
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function send(request: ZuploRequest, context: ZuploContext, order: string[], path: string, method = "GET", body: Uint8Array | null = null) {
  const backends = edgeUrls(path);
  const headers = new Headers();
  for (const name of ["traceparent", "tracestate", "content-type"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const { response, attempts } = await forward(method, headers, body, { order, backends, regionHeaders: edgeHeaders(), health, timeoutMs: TIMEOUT_MS, sampleRate: traceSampleRate() });
  context.log.info(`${method} ${path}: ${describe(attempts)}`);
  const answer = new Response(response.body, { status: response.status, headers: response.headers });
  const region = attempts.find((a) => a.outcome === "ok")?.region;
  if (region) answer.headers.set("x-region", region);
  return { answer, region };
}

/** The path's region, if the key may use it; else the 403 to answer. */
function ownRegion(request: ZuploRequest): string | Response {
  const region = request.params.region;
  const allowed: string[] = request.user?.data?.regions ?? [];
  if (allowed.length > 0 && !allowed.includes(region)) {
    return problem(403, "forbidden", "Region not allowed", `this key may not use ${region}; it may use ${allowed.join(", ")}`);
  }
  return region;
}

/** GET /v1/regions/{region}/windows: the region's latest windows (aggregate's GET /windows). */
export async function windows(request: ZuploRequest, context: ZuploContext) {
  const region = ownRegion(request);
  if (region instanceof Response) return region;
  const type = request.query.type;
  if (type !== undefined && !TYPE_PATTERN.test(String(type))) {
    return problem(400, "bad-type", "Not an event type", "type is an event type such as order.created (lower case, dot separated)");
  }
  return (await send(request, context, [region], `/windows${query(request, ["last", "type"])}`)).answer;
}

/** GET /v1/global: the view over all regions, from the nearest healthy region's aggregate. */
export async function global(request: ZuploRequest, context: ZuploContext) {
  const badRegion = badRegionHeader(request);
  if (badRegion) return badRegion;
  const order = routeOrder(request, context);
  if (order.length === 0) return problem(403, "forbidden", "No region allowed", "this key may not use any region");
  return (await send(request, context, order, `/global${query(request, ["last"])}`)).answer;
}

/** POST /v1/regions/{region}/replays: starts a replay in that region; Location points back through the gateway. */
export async function startReplay(request: ZuploRequest, context: ZuploContext) {
  const region = ownRegion(request);
  if (region instanceof Response) return region;
  const { answer } = await send(request, context, [region], "/replays", "POST", new Uint8Array(await request.arrayBuffer()));
  const location = answer.headers.get("location");
  if (location) answer.headers.set("location", `/v1/regions/${region}${location}`);
  return answer;
}

/** A replay id as aggregate makes them (a UUID) or any plain token: letters, digits, `-` and `_`, nothing else. */
const REPLAY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * GET and DELETE /v1/regions/{region}/replays/{id}: a replay's progress, or cancelling it. An id that is not a plain
 * token (`..%2F..%2Fwindows`, `%2e%2e`, an encoded slash) is refused here and goes nowhere.
 */
export async function replay(request: ZuploRequest, context: ZuploContext) {
  const region = ownRegion(request);
  if (region instanceof Response) return region;
  if (!REPLAY_ID.test(request.params.id ?? "")) {
    return problem(400, "bad-replay-id", "Not a replay id", "a replay id is the one in the Location of its start: letters, digits, - and _ only");
  }
  return (await send(request, context, [region], `/replays/${encodeURIComponent(request.params.id)}`, request.method)).answer;
}
