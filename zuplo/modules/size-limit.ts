import { environment, ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";

/** How long a request body may take to arrive, from when this policy starts reading it: BODY_TIMEOUT_MS, default 10 s. */
export function bodyTimeoutMs(): number {
  const ms = Number(environment.BODY_TIMEOUT_MS ?? "10000");
  return Number.isFinite(ms) && ms > 0 ? ms : 10_000;
}

/**
 * Refuses bodies over `options.maxSizeInBytes` with 413 and the reason, whether the size is declared
 * (Content-Length) or not (chunked); a body that cannot be read (a broken chunked encoding) gets 400 with the reason,
 * one that does not arrive in full within BODY_TIMEOUT_MS (a slow or stalled sender holding the request open) 408.
 * Zuplo's own size-limit policy answers in text/plain and fails with a 500 on an unreadable body.
 */
export default async function (request: ZuploRequest, context: ZuploContext, options: { maxSizeInBytes: number }) {
  const max = options.maxSizeInBytes;
  const tooLarge = (bytes: number | string) =>
    problem(413, "too-large", "Request too large", `the request body is ${bytes} bytes; at most ${max} are accepted`);
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > max) {
    return tooLarge(declared);
  }
  if (request.body === null) {
    return request;
  }
  const timeoutMs = bodyTimeoutMs();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<"stalled">((resolve) => {
    timer = setTimeout(() => resolve("stalled"), timeoutMs);
  });
  let body: ArrayBuffer | "stalled";
  try {
    body = await Promise.race([request.arrayBuffer(), stalled]);
  } catch (error) {
    return problem(400, "unreadable-body", "Unreadable request body", `the request body could not be read: ${error}`);
  } finally {
    clearTimeout(timer);
  }
  if (body === "stalled") {
    return problem(408, "body-timeout", "Request body too slow", `the request body did not arrive in full within ${timeoutMs} ms; send it at once`);
  }
  if (body.byteLength > max) {
    return tooLarge(body.byteLength);
  }
  return new ZuploRequest(request, { body });
}
