import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { reservedType } from "./cloudevents";
import { problem } from "./problem";

/** Refuses internal event types; runs after the `structured` policy, so the body is one event or a batch of them. */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const body = await request.clone().json();
  const type = reservedType(Array.isArray(body) ? body : [body]);
  if (type) {
    return problem(400, "type-reserved", "Reserved event type", `type ${type} is reserved for the pipeline`);
  }
  return request;
}
