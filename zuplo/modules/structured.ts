import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { BATCH, eventsOf, Refusal, STRUCTURED } from "./cloudevents";
import { problem } from "./problem";

/**
 * Brings the request into structured form: a binary-mode event (ce-* headers, data as the body) becomes one
 * application/cloudevents+json object, so the policies after this one (reserved types, schema validation) and the
 * handler see one shape. With `options.batch` the request must be a batch (application/cloudevents-batch+json).
 */
export default async function (request: ZuploRequest, context: ZuploContext, options: { batch?: boolean }) {
  const batch = options?.batch === true;
  let body: string;
  try {
    body = new TextDecoder("utf-8", { fatal: true }).decode(await request.arrayBuffer());
  } catch (error) {
    if (error instanceof TypeError && /decod|utf/i.test(String(error))) {
      return problem(400, "malformed-json", "Malformed JSON", "the request body is not UTF-8 text");
    }
    // the body broke off or its framing was wrong (e.g. an invalid chunk size): the sender's fault
    return problem(400, "unreadable-body", "Unreadable request body", `the request body could not be read: ${error}`);
  }
  const events = eventsOf(batch, request.headers, body);
  if (events instanceof Refusal) {
    return problem(events.status, events.code, events.title, events.detail);
  }
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (!lower.startsWith("ce-") && lower !== "content-type" && lower !== "content-length") {
      headers.set(lower, value);
    }
  });
  headers.set("content-type", batch ? BATCH : STRUCTURED);
  return new ZuploRequest(request, { headers, body: JSON.stringify(batch ? events : events[0]) });
}
