import { environment, ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { failed, lockedOut } from "./auth-failures.ts";
import { problem } from "./problem";

/**
 * API-key authentication with consumer metadata. Keys come from the secret environment variable API_KEYS, a JSON
 * object from key to consumer: {"<key>": {"sub": "acme", "role": "producer", "regions": ["eu-west"],
 * "rateLimitPerMinute": 600, "expiresAt": "2027-01-31T00:00:00Z"}}. The same policy and routes run locally
 * (`zuplo dev`, keys from .env) and deployed. Only the object's own entries are keys (`__proto__`, `constructor` and
 * the like are not); a key past its optional `expiresAt` (RFC 3339; one that is not a date counts as expired) is
 * refused, so a rotated-out key can be given an end date instead of being removed at once (docs/security.md). Each
 * refusal counts against the caller's address; over the limit it is locked out for the minute (auth-failures.ts).
 */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const locked = lockedOut(context);
  if (locked) return locked;
  const header = request.headers.get("authorization") ?? "";
  const key = header.startsWith("Bearer ") ? header.substring(7).trim() : "";
  if (!key) {
    return failed(context, problem(401, "unauthenticated", "API key required", "send your key as Authorization: Bearer <key>"));
  }
  const consumers = JSON.parse(environment.API_KEYS ?? "{}");
  const consumer = Object.hasOwn(consumers, key) ? consumers[key] : undefined;
  if (typeof consumer !== "object" || consumer === null) {
    return failed(context, problem(401, "unauthenticated", "Unknown API key", "the key is not known"));
  }
  if (consumer.expiresAt !== undefined) {
    const expires = Date.parse(String(consumer.expiresAt));
    if (Number.isNaN(expires) || expires <= Date.now()) {
      return failed(context, problem(401, "unauthenticated", "API key expired", "the key is no longer valid; use its replacement"));
    }
  }
  request.user = {
    sub: consumer.sub,
    data: { role: consumer.role, regions: consumer.regions ?? [], rateLimitPerMinute: consumer.rateLimitPerMinute, requestsPerDay: consumer.requestsPerDay },
  };
  return request;
}
