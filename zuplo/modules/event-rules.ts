import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { CloudEvent, RESERVED_PREFIXES } from "./cloudevents";
import { problem } from "./problem";
import { REGIONS } from "./regions";
import { brokenRule } from "./rules";

/**
 * The rules the schema cannot express, as validate applies them (modules/rules.ts): no internal event types, a known
 * source region, no time more than five minutes ahead. Runs after the `structured` policy, so the body is one event
 * or a batch of them.
 */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const body = await request.clone().json();
  const events: CloudEvent[] = Array.isArray(body) ? body : [body];
  const regions = REGIONS.map((r) => r.name);
  for (let i = 0; i < events.length; i++) {
    const broken = brokenRule(events[i], Date.now(), regions, RESERVED_PREFIXES);
    if (broken) {
      return problem(400, broken.code, broken.title, Array.isArray(body) ? `entry ${i}: ${broken.detail}` : broken.detail);
    }
  }
  return request;
}
