import { CustomRateLimitDetails, ZuploContext, ZuploRequest } from "@zuplo/runtime";

/** Rate limits per consumer: the key's own limit (rateLimitPerMinute in API_KEYS), else the policy's default. */
export default function (request: ZuploRequest, context: ZuploContext, policyName: string): CustomRateLimitDetails {
  const perMinute = request.user?.data?.rateLimitPerMinute;
  return {
    key: request.user?.sub ?? "anonymous",
    requestsAllowed: typeof perMinute === "number" ? perMinute : undefined,
    timeWindowMinutes: 1,
  };
}

/**
 * The daily quota per consumer, as a 24-hour rate limit: the key's own allowance (requestsPerDay in API_KEYS), else
 * the policy's. (Zuplo's quota-inbound keeps its counters in Zuplo's hosted service; under `zuplo dev` here it let
 * every request through, so the quota is a second, day-long window of the rate limiter, which runs locally too.)
 */
export function quota(request: ZuploRequest, context: ZuploContext, policyName: string): CustomRateLimitDetails {
  const perDay = request.user?.data?.requestsPerDay;
  return {
    key: `quota:${request.user?.sub ?? "anonymous"}`,
    requestsAllowed: typeof perDay === "number" ? perDay : undefined,
    timeWindowMinutes: 24 * 60,
  };
}
