// W3C trace context (https://www.w3.org/TR/trace-context/) for what the gateway forwards.

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
export function validTracestate(value: string | null): boolean {
  return value === null || /^[\x20-\x7e]{0,512}$/.test(value);
}

export function randomHex(bytes: number): string {
  const values = new Uint8Array(bytes);
  crypto.getRandomValues(values);
  return Array.from(values, (b) => b.toString(16).padStart(2, "0")).join("");
}
