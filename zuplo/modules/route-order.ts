import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { regionOrder } from "./regions";

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
