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
