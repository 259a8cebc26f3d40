import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";
import { regionOrder, REGIONS } from "./regions";

/**
 * The regions to try for this request, best first: the `x-region` override, else nearest to the caller's geo
 * (Zuplo's `context.incomingRequestProperties`), limited to the regions the consumer's key allows (none listed = all).
 */
export function routeOrder(request: ZuploRequest, context: ZuploContext): string[] {
  const allowed: string[] = request.user?.data?.regions ?? [];
  const geo = context.incomingRequestProperties;
  return regionOrder(request.headers.get("x-region"), Number(geo?.latitude), Number(geo?.longitude))
    .filter((region) => allowed.length === 0 || allowed.includes(region));
}

/**
 * A 400 problem when `x-region` is sent but names no region (`../eu-west`, `us-east, eu-west`, a typo): a caller
 * asking for a region gets it or is told why, never a silently different one. Undefined when the header is absent or
 * valid. (A valid region the key may not use is not an error: the key's regions decide, `routeOrder`.)
 */
export function badRegionHeader(request: ZuploRequest): Response | undefined {
  const asked = request.headers.get("x-region");
  if (asked === null || REGIONS.some((r) => r.name === asked)) return undefined;
  const shown = asked.length > 64 ? `${asked.substring(0, 64)}…` : asked;
  return problem(400, "region-unknown", "Unknown region in x-region",
    `x-region ${JSON.stringify(shown)} is no region; send one of ${REGIONS.map((r) => r.name).join(", ")} or leave it out`);
}
