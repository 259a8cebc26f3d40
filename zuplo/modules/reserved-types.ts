import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";

/** Types under these prefixes belong to the pipeline (functions/events CloudEventTypes) and are refused from outside. */
export const RESERVED_PREFIXES = ["dev.globalevents.", "dev.knative."];

/** Refuses internal event types in binary (ce-type header) and structured mode (type member). */
export default async function (request: ZuploRequest, context: ZuploContext) {
  let type = request.headers.get("ce-type");
  if (!type && (request.headers.get("content-type") ?? "").startsWith("application/cloudevents+json")) {
    try {
      type = (await request.clone().json())?.type ?? null;
    } catch {
      return problem(400, "malformed-json", "Malformed JSON", "the structured CloudEvent is not valid JSON");
    }
  }
  if (!type) {
    return problem(400, "not-a-cloudevent", "Not a CloudEvent", "no type: send ce-* headers (binary mode) or application/cloudevents+json");
  }
  if (RESERVED_PREFIXES.some((prefix) => type!.startsWith(prefix))) {
    return problem(400, "type-reserved", "Reserved event type", `type ${type} is reserved for the pipeline`);
  }
  return request;
}
