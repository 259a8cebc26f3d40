import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { edgeHeaders, edgeUrls, traceSampleRate } from "./edges";
import { badRegionHeader, routeOrder } from "./route-order";
import { describe, forward, mayHaveTaken } from "./failover";
import { RegionHealth } from "./region-health";
import { Pins } from "./pins";
import { BATCH, CloudEvent, mediaType, STRUCTURED } from "./cloudevents";
import { inParallel } from "./parallel";
import { problem } from "./problem";

const health = new RegionHealth(10_000);
/**
 * How long a region has to take an event. Past it, the region may still take it (the caller gets 502 outcome-unknown
 * and its resend waits for that region): long enough for a region slowed by load, not for one that is gone.
 */
const TIMEOUT_MS = 5000;
/** Events a region may hold without having answered: resent, they go there only (modules/pins.ts). */
const pins = new Pins(10 * 60_000, 100_000);
/** How many events of a batch are forwarded at once. */
const BATCH_PARALLELISM = 8;

/**
 * Forwards CloudEvents (in structured form, see modules/structured.ts) through the edge of the nearest healthy region
 * the consumer may use (modules/edges.ts) to its broker ingress, failing over to the next one. One event:
 * the broker's answer, with `x-region` naming the region that took it. A batch: each event is forwarded on its own
 * (a Knative broker takes one event per request); 202 when all were taken, else 207 with each event's outcome, so
 * the caller re-sends exactly the ones not taken.
 */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const badRegion = badRegionHeader(request);
  if (badRegion) return badRegion;
  const order = routeOrder(request, context);
  if (order.length === 0) {
    return problem(403, "forbidden", "No region allowed", "this key may not send to any region");
  }
  const backends = edgeUrls("/events");
  const probes = edgeUrls("/healthz");
  const regionHeaders = edgeHeaders();
  const headers = new Headers({ "content-type": STRUCTURED });
  for (const name of ["traceparent", "tracestate"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const send = async (event: CloudEvent, text = JSON.stringify(event)) => {
    const pin = pins.get(event);
    const pinned = pin && order.includes(pin.region) ? pin.region : undefined;
    const result = await forward("POST", headers, new TextEncoder().encode(text),
      { order: pinned ? [pinned] : order, backends, regionHeaders, health, timeoutMs: TIMEOUT_MS,
        sampleRate: traceSampleRate(), failOverWhenUnsure: false, probes });
    const last = result.attempts[result.attempts.length - 1];
    if (result.response.status < 500) {
      if (pin) pins.release(event);
    } else if (last && mayHaveTaken(last)) {
      pins.pin(event, last.region);
    } else if (pinned) {
      result.response = heldBy(pinned, event, pin!.until);
    }
    // one line per request only when something went wrong (a failover, a refusal): at hundreds of events/s a line
    // for each plain success cost the gateway's single thread more than the forwarding itself
    const plain = result.attempts.length === 1 && result.attempts[0].outcome === "ok" && (result.attempts[0].status ?? 0) < 300;
    (plain ? context.log.debug : context.log.info).call(context.log,
      `ingest${pinned ? ` (resent, pinned to ${pinned})` : ""}: ${describe(result.attempts)}`);
    return { ...result, region: result.attempts.find((a) => a.outcome === "ok")?.region };
  };
  const body = await request.text();
  if (mediaType(request.headers.get("content-type")) !== BATCH) {
    const { response, region, traceparent } = await send(JSON.parse(body) as CloudEvent, body); // the text as sent: parsing is only for its id
    const answer = new Response(response.body, { status: response.status, headers: response.headers });
    if (region) answer.headers.set("x-region", region);
    // the trace of this event (Zipkin: /zipkin/traces/<id>), so a caller can follow it through every hop
    answer.headers.set("x-trace-id", traceparent.split("-")[1]);
    return answer;
  }
  const events: CloudEvent[] = JSON.parse(body);
  const results = await inParallel(events, BATCH_PARALLELISM, async (event) => {
    const { response, region, traceparent } = await send(event);
    const taken = response.status < 300;
    const detail = taken ? undefined : await response.json().catch(() => undefined);
    return { id: event.id, status: response.status, trace_id: traceparent.split("-")[1], ...(region ? { region } : {}), ...(detail ? { problem: detail } : {}) };
  });
  const accepted = results.filter((r) => r.status < 300).length;
  return new Response(JSON.stringify({ accepted, refused: results.length - accepted, results }), {
    status: accepted === results.length ? 202 : 207,
    headers: { "content-type": "application/json" },
  });
}

/** A resent event whose region may hold it is unavailable: only that region may take it, later. */
function heldBy(region: string, event: CloudEvent, until: number): Response {
  return problem(503, "held-by-region", "Only its region may take this event",
    `an earlier attempt to send event ${String(event.id)} got no answer from ${region}, which may have taken it; ${region} `
    + `is unavailable now. Send it again later: until ${new Date(until).toISOString()} it goes to ${region} only, so it `
    + `is never counted twice.`, { "retry-after": "5" });
}
