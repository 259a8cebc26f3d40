import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";

/**
 * Refuses bodies over `options.maxSizeInBytes` with 413 and the reason, whether the size is declared
 * (Content-Length) or not (chunked); a body that cannot be read (a broken chunked encoding) gets 400 with the reason.
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
  let body: ArrayBuffer;
  try {
    body = await request.arrayBuffer();
  } catch (error) {
    return problem(400, "unreadable-body", "Unreadable request body", `the request body could not be read: ${error}`);
  }
  if (body.byteLength > max) {
    return tooLarge(body.byteLength);
  }
  return new ZuploRequest(request, { body });
}
