// Forwarding to a region's broker ingress with failover: regions are tried in order; one that errors (5xx, no
// answer) or times out is marked unhealthy for a short while and the next one is tried. A 4xx is the caller's
// problem, not the region's: it is returned as is. W3C trace context is added when the caller sent none (or none valid).

export interface Attempt {
  region: string;
  outcome: "ok" | "error" | "timeout" | "skipped";
  status?: number;
}

/** Remembers for `ttlMs` which regions failed, so callers do not wait on a region that is down. */
export class RegionHealth {
  private readonly downUntil = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  healthy(region: string): boolean {
    const until = this.downUntil.get(region);
    return until === undefined || until <= this.now();
  }

  failed(region: string): void {
    this.downUntil.set(region, this.now() + this.ttlMs);
  }

  succeeded(region: string): void {
    this.downUntil.delete(region);
  }
}

/** What happened per region, for logs and problems: "us-east error 503, eu-west ok 202". */
export function describe(attempts: Attempt[]): string {
  return attempts.map((a) => `${a.region} ${a.outcome}${a.status ? " " + a.status : ""}`).join(", ");
}

/** A `traceparent` header value (version 00, random trace and span ids, sampled unless told otherwise). */
export function newTraceparent(random: (bytes: number) => string = randomHex, sampled = true): string {
  return `00-${random(16)}-${random(8)}-${sampled ? "01" : "00"}`;
}

/** A W3C `traceparent` of version 00 with non-zero ids (https://www.w3.org/TR/trace-context/#traceparent-header). */
export function validTraceparent(value: string | null): boolean {
  const match = value === null ? null : /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(value);
  return match !== null && !/^0+$/.test(match[1]) && !/^0+$/.test(match[2]);
}

/** A `tracestate` worth passing on: absent, or at most 512 printable ASCII characters (W3C's limit). */
function validTracestate(value: string | null): boolean {
  return value === null || /^[\x20-\x7e]{0,512}$/.test(value);
}

function randomHex(bytes: number): string {
  const values = new Uint8Array(bytes);
  crypto.getRandomValues(values);
  return Array.from(values, (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface ForwardOptions {
  order: string[];
  backends: Record<string, string>;
  /** Headers for one region only (its edge credential). */
  regionHeaders?: (region: string) => Record<string, string>;
  health: RegionHealth;
  timeoutMs: number;
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
    try {
      const response = await send(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
      if (response.status >= 500 || response.status === 401) {
        options.health.failed(region);
        attempts.push({ region, outcome: "error", status: response.status });
        continue;
      }
      options.health.succeeded(region);
      attempts.push({ region, outcome: "ok", status: response.status });
      return { response, attempts, traceparent };
    } catch (error) {
      options.health.failed(region);
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      attempts.push({ region, outcome: timedOut ? "timeout" : "error" });
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
