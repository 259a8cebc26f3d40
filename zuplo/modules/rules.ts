// Rules of the event contract that a JSON Schema cannot express, the same ones the validate function applies
// (functions/validate EventValidator). No imports: the policy (event-rules.ts) passes in the regions and reserved
// prefixes, so Node's test runner can load this file as it is.

/** How far in the future an event's time may be (senders' clock skew): validate's `validate.max-future-skew`. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** The canonical region of a sender's spelling (US_East, us east, useast), as functions/events' Regions does; or null. */
export function canonicalRegion(raw: string, regions: readonly string[]): string | null {
  const folded = raw.trim().toLowerCase().replaceAll("_", "-").replaceAll(" ", "-");
  return regions.find((name) => name === folded || name.replaceAll("-", "") === folded) ?? null;
}

export interface BrokenRule {
  code: string;
  title: string;
  detail: string;
}

/** Why an event breaks a rule: a reserved type, an unknown source region, a time too far ahead; or null. */
export function brokenRule(event: Record<string, unknown>, now: number, regions: readonly string[],
  reservedPrefixes: readonly string[]): BrokenRule | null {
  const type = event.type;
  if (typeof type === "string" && reservedPrefixes.some((p) => type.startsWith(p))) {
    return { code: "type-reserved", title: "Reserved event type", detail: `type ${type} is reserved for the pipeline` };
  }
  const region = typeof event.source === "string" ? /^\/regions\/([^/]+)\/instances\//.exec(event.source)?.[1] : undefined;
  if (region !== undefined && canonicalRegion(region, regions) === null) {
    return { code: "region-unknown", title: "Unknown region", detail: `region ${region} is unknown; known regions: ${regions.join(", ")}` };
  }
  const time = typeof event.time === "string" ? Date.parse(event.time) : NaN;
  if (!Number.isNaN(time) && time > now + MAX_FUTURE_SKEW_MS) {
    return { code: "time-future", title: "Event time in the future", detail: `time ${event.time} is more than 5 minutes in the future (clock skew limit)` };
  }
  return null;
}
