import { environment, ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { CloudEvent, STRUCTURED } from "./cloudevents";
import { edgeHeaders, edgeUrls, traceSampleRate } from "./edges";
import { describe, forward } from "./failover";
import { RegionHealth } from "./region-health";
import { failed, lockedOut } from "./auth-failures.ts";
import { ExpiringMap } from "./expiring.ts";
import { problem } from "./problem";
import { REGIONS } from "./regions";

// POST /v1/regions/{region}/sync: a region's closed-window summary for a peer. Sent by the origin region's sync relay
// (functions/edge, role relay) with that region's sync credential; SYNC_KEYS (secret, terraform's output) maps each
// region to its credential. The summary goes to the {region}'s edge only: sync is for that region, and when it is
// down the relay's broker retries, then dead-letters to the origin's quarantine.

export const SYNC_SUMMARY = "dev.globalevents.sync.summary";
const health = new RegionHealth(10_000);
const TIMEOUT_MS = 5000;
/** How far a summary's closed_at may lie ahead of this clock (the regions' clock skew), as validate's event rule. */
const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * How old a summary may be (its closed_at): SYNC_MAX_AGE_MINUTES, default a day. Far beyond the relay's retries
 * (10, exponential from 1 s) and an origin's outbox catching up after an outage, far beyond the global view's hour;
 * an older one is a replay of captured traffic or a mistake, refused (and dead-lettered at the origin's quarantine).
 */
function maxAgeMs(): number {
  const minutes = Number(environment.SYNC_MAX_AGE_MINUTES ?? "1440");
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : 1440) * 60 * 1000;
}

/**
 * Summaries this gateway delivered (origin, target, id) in the last hour, at most 20,000: the same summary again is a
 * replay, refused with 409 and not forwarded. Best effort, per gateway instance: the receiving aggregate's merge
 * (per origin and window the latest closed_at wins) is what makes a repeated summary change nothing anywhere.
 */
const delivered = new ExpiringMap<true>(60 * 60 * 1000, 20_000);

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Compares every region's credential in full (digests, no early exit): timing tells nothing of a guess. */
export async function originOf(presented: string, keys: Record<string, string>): Promise<string | undefined> {
  const given = await sha256(presented);
  let origin: string | undefined;
  for (const [region, key] of Object.entries(keys)) {
    const expected = await sha256(key);
    let difference = 0;
    for (let i = 0; i < expected.length; i++) difference |= expected[i] ^ given[i];
    if (difference === 0) origin = region;
  }
  return origin;
}

/**
 * Policy: the bearer must be a region's sync credential; the request then speaks for that region (its origin). A
 * refusal counts against the caller's address, as a refused API key does (auth-failures.ts).
 */
export async function authenticate(request: ZuploRequest, context: ZuploContext) {
  const locked = lockedOut(context);
  if (locked) return locked;
  const header = request.headers.get("authorization") ?? "";
  const presented = header.startsWith("Bearer ") ? header.substring(7).trim() : "";
  if (!presented) {
    return failed(context, problem(401, "unauthenticated", "Sync credential required", "a region's sync relay sends its sync credential as Authorization: Bearer"));
  }
  const origin = await originOf(presented, JSON.parse(environment.SYNC_KEYS ?? "{}"));
  if (!origin) {
    return failed(context, problem(401, "unauthenticated", "Unknown sync credential", "the credential is no region's sync credential"));
  }
  request.user = { sub: `sync:${origin}`, data: { role: "sync", origin } };
  return request;
}

/**
 * Policy, after `structured`: the event is a window summary, of the authenticated region (the `region` attribute
 * and the summary's own region), for another known region. A region cannot speak for another.
 */
export async function rules(request: ZuploRequest, context: ZuploContext) {
  const origin: string = request.user?.data?.origin;
  const target = request.params.region;
  if (!REGIONS.some((r) => r.name === target) || target === origin) {
    return problem(404, "unknown-peer", "No such peer region", `${target} is not a peer of ${origin}`);
  }
  const event: CloudEvent = await request.clone().json();
  if (event.type !== SYNC_SUMMARY) {
    return problem(400, "not-a-summary", "Not a window summary", `this route takes ${SYNC_SUMMARY} events only, not ${event.type}`);
  }
  const data = (event.data ?? {}) as { region?: unknown; closed_at?: unknown };
  if (event.region !== origin || data.region !== origin) {
    return problem(403, "forged-origin", "Summary of another region",
      `the credential is ${origin}'s; the summary claims ${String(event.region)} (data: ${String(data.region)})`);
  }
  if (data.closed_at !== undefined) { // missing: the envelope's schema names it
    const closedAt = typeof data.closed_at === "string" ? Date.parse(data.closed_at) : NaN;
    const now = Date.now();
    if (Number.isNaN(closedAt)) {
      return problem(400, "not-a-summary", "Not a window summary", "the summary's closed_at is not an RFC 3339 date-time");
    }
    if (closedAt > now + MAX_FUTURE_SKEW_MS) {
      return problem(400, "time-future", "Summary from the future", `closed_at ${data.closed_at} is more than 5 minutes ahead (clock skew limit)`);
    }
    if (closedAt < now - maxAgeMs()) {
      return problem(400, "stale-summary", "Summary too old",
        `closed_at ${data.closed_at} is more than ${maxAgeMs() / 60_000} minutes ago: a replay, not a window closing`);
    }
  }
  return request;
}

/**
 * Handler: the summary to the target region's edge, no failover. A summary this gateway already delivered to that
 * target (the same origin and id, within the hour) is a replay: 409, not forwarded.
 */
export async function sync(request: ZuploRequest, context: ZuploContext) {
  const target = request.params.region;
  const body = await request.text();
  const id = (JSON.parse(body) as CloudEvent).id;
  const key = JSON.stringify([request.user?.data?.origin, target, id]);
  if (delivered.get(key)) {
    return problem(409, "duplicate-summary", "Summary already delivered",
      `summary ${String(id)} of ${request.user?.data?.origin} was delivered to ${target} already; a replay changes nothing`);
  }
  delivered.set(key, true); // taken now, so a concurrent copy is refused too; released if not delivered
  const headers = new Headers({ "content-type": STRUCTURED });
  for (const name of ["traceparent", "tracestate"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const { response, attempts } = await forward("POST", headers, new TextEncoder().encode(body),
    { order: [target], backends: edgeUrls("/events"), regionHeaders: edgeHeaders(), health, timeoutMs: TIMEOUT_MS, sampleRate: traceSampleRate() });
  if (response.status >= 300) delivered.delete(key);
  context.log.info(`sync ${request.user?.data?.origin} → ${target}: ${describe(attempts)}`);
  return new Response(response.body, { status: response.status, headers: response.headers });
}
