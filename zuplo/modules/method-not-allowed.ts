import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";

/** Other methods on the event routes: 405 with the reason and `Allow: POST`. */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const response = problem(405, "method-not-allowed", "Method not allowed",
    `${request.method} ${new URL(request.url).pathname}: CloudEvents are sent with POST`);
  response.headers.set("allow", "POST");
  return response;
}
