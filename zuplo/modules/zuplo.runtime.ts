import { RuntimeExtensions, ZuploContext, ZuploRequest } from "@zuplo/runtime";
import methodNotAllowed from "./method-not-allowed";
import { problem } from "./problem";

/** What Zuplo tells the not-found handler: the routes of the same path, for other methods. */
interface NotFound {
  routesMatchedByPathOnly?: { methods?: string[]; handler?: { module?: { default?: unknown } } }[];
}

/**
 * Zuplo's runtime hooks (Zuplo loads them from this file name). A request no route takes gets its reason as a problem
 * like every other refusal: 405 with `Allow` when the path takes other methods (`POST /v1/global`, `TRACE
 * /v1/events`), else 404 naming the method and the path as the gateway resolved it (`/v1/regions/%2e%2e/windows` is
 * `/v1/windows`). Zuplo's own answers carried only a title, and a 404 where a 405 was due.
 */
export function runtimeInit(runtime: RuntimeExtensions) {
  runtime.notFoundHandler = async (request: ZuploRequest, context: ZuploContext, options: NotFound) => {
    const path = new URL(request.url).pathname;
    const allowed = [...new Set((options?.routesMatchedByPathOnly ?? [])
      .filter((route) => route.handler?.module?.default !== methodNotAllowed) // the 405 routes of the event paths
      .flatMap((route) => route.methods ?? []))].sort();
    if (allowed.length > 0) {
      const response = problem(405, "method-not-allowed", "Method not allowed", `${request.method} ${path}: this path takes ${allowed.join(", ")}`);
      response.headers.set("allow", allowed.join(", "));
      return response;
    }
    return problem(404, "not-found", "No such route", `${request.method} ${path} is no route of this API (see the developer portal)`);
  };
}
