// Forwarding to a region's broker ingress with failover: regions are tried in order; one that errors (5xx, no
// answer) or times out is marked unhealthy for a short while and the next one is tried. A 4xx is the caller's
// problem, not the region's: it is returned as is. W3C trace context is added when the caller sent none (or none valid).
//
// A request that is not idempotent (an event: each region counts what it stores) fails over only when the region
// cannot have taken it: the connection was never made, or the region answered that it did not take it. After a
// failure that leaves it open (the connection cut once the request was sent, no answer in time, the edge's
// "outcome unknown") the caller gets that answer instead: sending the event to a second region could count it twice.

import { RegionHealth } from "./region-health.ts";
import { newTraceparent, randomHex, validTraceparent, validTracestate } from "./trace-context.ts";

export interface Attempt {
  region: string;
  /** error: the region did not take the request; timeout and unknown: it may have. */
  outcome: "ok" | "error" | "timeout" | "unknown" | "skipped";
  status?: number;
  /** Why an attempt failed without an answer: the error's code or message. */
  reason?: string;
}

/** A failed attempt after which the region may still hold the request. */
export function mayHaveTaken(attempt: Attempt): boolean {
  return attempt.outcome === "timeout" || attempt.outcome === "unknown";
}

/**
 * Errors of a connection that was never made (refused, no route, no such host, connect timeout): the request never
 * left. Node's fetch (undici) names them in `cause.code`. The Workers runtime under `zuplo dev` does not: a refused
 * connection and a cut one both read "Network connection lost.", which counts as unknown (hence the probes).
 */
const NOT_CONNECTED = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR_CONNECT_TIMEOUT/;

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const parts = [error instanceof Error ? error.message : String(error), cause?.code, cause?.message].filter((p) => p);
  return parts.join(": ").substring(0, 200);
}

/** What happened per region, for logs and problems: "us-east error 503, eu-west ok 202". */
export function describe(attempts: Attempt[]): string {
  return attempts.map((a) => `${a.region} ${a.outcome}${a.status ? " " + a.status : ""}${a.reason ? ` (${a.reason})` : ""}`).join(", ");
}

export interface ForwardOptions {
  order: string[];
  backends: Record<string, string>;
  /** Headers for one region only (its edge credential). */
  regionHeaders?: (region: string) => Record<string, string>;
  health: RegionHealth;
  timeoutMs: number;
  /**
   * Whether the next region may be tried after a failure that leaves open whether the region took the request (a
   * timeout, a connection cut after sending, a 504 or the edge's "outcome unknown"). Default true: reads and
   * idempotent calls. False for events (see the top of this file).
   */
  failOverWhenUnsure?: boolean;
  /**
   * Per region, a URL answering GET with 200 while the region is up (its edge's /healthz). Given, a region not
   * confirmed up (RegionHealth) is asked first, so a region that is down is found without sending it the request.
   */
  probes?: Record<string, string>;
  /**
   * The share of new traces that are recorded (0..1, default 1). The gateway starts the trace of every request that
   * comes without one and decides for the whole path: every later hop samples parent-based and keeps this decision.
   */
  sampleRate?: number;
  fetch?: typeof fetch;
}

/**
 * Sends the request (method, headers, body) to the first healthy region that answers; every region is tried at
 * most once. Returns the response and what happened per region; when every region failed, a 503. A region that
 * refuses the gateway's own credential (401) is misconfigured, not the caller's problem: it counts as failed.
 */
export async function forward(
  method: string,
  headers: Headers,
  body: Uint8Array | null,
  options: ForwardOptions,
): Promise<{ response: Response; attempts: Attempt[]; traceparent: string }> {
  const send = options.fetch ?? fetch;
  const outgoing = new Headers(headers);
  if (!validTraceparent(outgoing.get("traceparent"))) {
    // none, or not W3C trace context (a caller's garbage is neither passed on nor echoed in x-trace-id): a new trace
    outgoing.delete("tracestate");
    outgoing.set("traceparent", newTraceparent(randomHex, Math.random() < (options.sampleRate ?? 1)));
  } else if (!validTracestate(outgoing.get("tracestate"))) {
    outgoing.delete("tracestate");
  }
  const traceparent = outgoing.get("traceparent")!;
  const attempts: Attempt[] = [];
  const healthyFirst = [...options.order.filter((r) => options.health.healthy(r)), ...options.order.filter((r) => !options.health.healthy(r))];
  for (const region of healthyFirst) {
    const url = options.backends[region];
    if (!url) {
      attempts.push({ region, outcome: "skipped" });
      continue;
    }
    const headers = new Headers(outgoing);
    for (const [name, value] of Object.entries(options.regionHeaders?.(region) ?? {})) headers.set(name, value);
    const probe = options.probes?.[region];
    if (probe && !options.health.confirmedUp(region)) {
      const down = await probeFails(send, probe, options.timeoutMs); // a region slow under load is still up
      if (down) {
        options.health.failed(region);
        attempts.push({ region, outcome: "error", reason: `probe: ${down}` });
        continue;
      }
      options.health.succeeded(region);
    }
    let attempt: Attempt;
    let answer: Response | undefined;
    try {
      const response = await send(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
      if (response.status < 500 && response.status !== 401) {
        options.health.succeeded(region);
        attempts.push({ region, outcome: "ok", status: response.status });
        return { response, attempts, traceparent };
      }
      answer = response;
      attempt = { region, outcome: (await unsureAnswer(response)) ? "unknown" : "error", status: response.status };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      const reason = reasonOf(error);
      attempt = { region, outcome: timedOut ? "timeout" : NOT_CONNECTED.test(reason) ? "error" : "unknown", reason };
    }
    options.health.failed(region);
    attempts.push(attempt);
    if (mayHaveTaken(attempt) && options.failOverWhenUnsure === false) {
      return { response: unsure(attempt, answer), attempts, traceparent };
    }
  }
  const problem = {
    type: "urn:globalevents:problem:no-region",
    title: "No region available",
    status: 503,
    detail: `every region failed: ${describe(attempts)}`,
  };
  return {
    response: new Response(JSON.stringify(problem), { status: 503, headers: { "content-type": "application/problem+json", "retry-after": "1" } }),
    attempts,
    traceparent,
  };
}

/** A 5xx whose region says it may have taken the request: the edge's 504 or its "outcome unknown" problem. */
async function unsureAnswer(response: Response): Promise<boolean> {
  if (response.status === 504) return true;
  const text = await response.clone().text().catch(() => "");
  return /"type"\s*:\s*"urn:globalevents:problem:(upstream-outcome-unknown|upstream-timeout)"/.test(text);
}

/** The caller's answer when a region may have taken the request without saying so: not sent anywhere else. */
function unsure(attempt: Attempt, answer: Response | undefined): Response {
  const problem = {
    type: "urn:globalevents:problem:outcome-unknown",
    title: "Outcome unknown",
    status: 502,
    region: attempt.region,
    detail: `${attempt.region} got the request but did not answer (${attempt.outcome}${attempt.status ? " " + attempt.status : ""}`
      + `${attempt.reason ? ": " + attempt.reason : ""}): it may have taken it, so it was not sent to another region. `
      + `Send it again unchanged (same id).`,
  };
  void answer?.body?.cancel();
  return new Response(JSON.stringify(problem), { status: 502, headers: { "content-type": "application/problem+json", "retry-after": "1" } });
}

/** Why the region's probe failed (no 200 in time), or undefined when it answered. */
async function probeFails(send: typeof fetch, url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await send(url, { method: "GET", signal: AbortSignal.timeout(timeoutMs) });
    void response.body?.cancel();
    return response.status === 200 ? undefined : `status ${response.status}`;
  } catch (error) {
    return reasonOf(error);
  }
}
