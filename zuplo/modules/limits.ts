import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";

/** The HTTP limits of every entry, the same as the functions' (functions/events function-defaults.properties). */
export const HEADER_LIMIT_BYTES = 16 * 1024;
export const URL_LIMIT_BYTES = 8 * 1024;

/** The bytes a request's header section takes on the wire ("name: value" and CRLF per header). */
export function headerBytes(headers: Headers): number {
  let bytes = 0;
  headers.forEach((value, name) => {
    bytes += new TextEncoder().encode(name).length + new TextEncoder().encode(value).length + 4;
  });
  return bytes;
}

/**
 * Refuses requests over the limits every entry shares, before any other work: headers over 16 KiB (431) and a URL
 * over 8 KiB (414), each as a problem with the reason. Heads beyond what Zuplo's runtime itself reads never reach
 * this policy (it answers them itself).
 */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const url = new TextEncoder().encode(new URL(request.url).pathname + new URL(request.url).search).length;
  if (url > URL_LIMIT_BYTES) {
    return problem(414, "uri-too-long", "URI too long", `the request's URL is ${url} bytes; at most ${URL_LIMIT_BYTES} are accepted`);
  }
  const bytes = headerBytes(request.headers);
  if (bytes > HEADER_LIMIT_BYTES) {
    return problem(431, "headers-too-large", "Request header fields too large",
      `the request's headers take ${bytes} bytes; at most ${HEADER_LIMIT_BYTES} are accepted`);
  }
  return request;
}
