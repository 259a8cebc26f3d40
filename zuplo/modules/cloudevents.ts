// CloudEvents as the gateway sees them. Every request is brought into structured form (a JSON object per event)
// before the reserved-type check, the schema validation and the forwarding, so those work on one shape. Attribute
// types come from functions/events' wire contract (schemas/cloudevent.schema.json is a link to that file).
import contract from "../schemas/cloudevent.schema.json" with { type: "json" };

export const STRUCTURED = "application/cloudevents+json";
export const BATCH = "application/cloudevents-batch+json";

export type CloudEvent = Record<string, unknown>;

/** What an event type looks like (the contract's `type` pattern): `order.created`, never a path or a query. */
export const TYPE_PATTERN = new RegExp((contract.properties as Record<string, { pattern?: string }>).type.pattern!);

/** Types under these prefixes belong to the pipeline (functions/events CloudEventTypes) and are refused from outside. */
export const RESERVED_PREFIXES = ["dev.globalevents.", "dev.knative."];

/** The first reserved type among the events, if any. */
export function reservedType(events: CloudEvent[]): string | undefined {
  return events.map((e) => e.type).find((t): t is string => typeof t === "string" && RESERVED_PREFIXES.some((p) => t.startsWith(p)));
}

/**
 * The deepest nesting of objects and arrays accepted in an event (functions/events Json.MAX_NESTING_DEPTH, the
 * functions' parser limit; the event object itself is level 1). Deeper is refused before anything walks it
 * recursively: a body of 60 KiB can nest 30,000 levels, which overflowed the stack (500) further on.
 */
export const MAX_NESTING_DEPTH = 32;

/** How deeply a parsed JSON value nests ({} and [] count 1, a scalar 0), without recursion; stops past `limit`. */
export function nestingDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Why a request is not a usable CloudEvent; answered as a problem (modules/problem.ts). */
export class Refusal {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;

  constructor(status: number, code: string, title: string, detail: string) {
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
  }
}

/** The attributes the contract declares as integers: binary mode carries them as header strings. */
const INTEGER_ATTRIBUTES = new Set(
  Object.entries(contract.properties as Record<string, { type?: string }>)
    .filter(([, schema]) => schema.type === "integer")
    .map(([name]) => name),
);

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

function isJson(contentType: string | null): boolean {
  return /^application\/([a-z0-9.+-]*\+)?json$/.test(mediaType(contentType));
}

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Binary mode: the ce-* headers are the attributes, Content-Type is datacontenttype, the body is the data. */
export function fromBinary(headers: Headers, body: string): CloudEvent | Refusal {
  const event: CloudEvent = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (!lower.startsWith("ce-")) return;
    const attribute = lower.substring(3);
    const decoded = percentDecoded(value);
    event[attribute] = INTEGER_ATTRIBUTES.has(attribute) && /^-?\d+$/.test(decoded) ? Number(decoded) : decoded;
  });
  const contentType = headers.get("content-type");
  if (contentType) event.datacontenttype = contentType;
  if (body.length > 0) {
    if (!isJson(contentType)) {
      event.data = body;
    } else {
      try {
        event.data = JSON.parse(body);
      } catch {
        return new Refusal(400, "malformed-json", "Malformed JSON", "the event's data (the body) is not valid JSON");
      }
    }
  }
  return event;
}

/**
 * The events of a request: one (binary or structured mode) when `batch` is false, else the array of a batched
 * request. Anything else is refused with the reason.
 */
export function eventsOf(batch: boolean, headers: Headers, body: string): CloudEvent[] | Refusal {
  const events = parsedEvents(batch, headers, body);
  if (events instanceof Refusal) return events;
  const deep = events.findIndex((e) => nestingDepth(e, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH);
  if (deep >= 0) {
    return new Refusal(400, "too-deep", "Nested too deeply",
      `${batch ? `entry ${deep}: ` : ""}the event nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep`);
  }
  return events;
}

function parsedEvents(batch: boolean, headers: Headers, body: string): CloudEvent[] | Refusal {
  const media = mediaType(headers.get("content-type"));
  if (batch !== (media === BATCH)) {
    return batch
      ? new Refusal(415, "unsupported-media-type", "Not a batch", `send a JSON array of CloudEvents as ${BATCH}`)
      : new Refusal(415, "unsupported-media-type", "Batch on the single-event route", "send batches to POST /v1/events/batch");
  }
  if (media !== STRUCTURED && media !== BATCH) {
    if (!headers.has("ce-specversion") && !headers.has("ce-type")) {
      return new Refusal(400, "not-a-cloudevent", "Not a CloudEvent", `send ce-* headers (binary mode) or ${STRUCTURED}`);
    }
    const event = fromBinary(headers, body);
    return event instanceof Refusal ? event : [event];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return new Refusal(400, "malformed-json", "Malformed JSON", `the ${batch ? "batch" : "structured CloudEvent"} is not valid JSON`);
  }
  const events = batch ? parsed : [parsed];
  if (!Array.isArray(events) || events.some((e) => typeof e !== "object" || e === null || Array.isArray(e))) {
    return new Refusal(400, "not-a-cloudevent", "Not a CloudEvent", batch ? "a batch is a JSON array of CloudEvent objects" : "a structured CloudEvent is a JSON object");
  }
  return events as CloudEvent[];
}
