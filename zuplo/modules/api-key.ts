import { environment, ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";

/**
 * API-key authentication with consumer metadata. Keys come from the secret environment variable API_KEYS, a JSON
 * object from key to consumer: {"<key>": {"sub": "acme", "role": "producer", "regions": ["eu-west"],
 * "rateLimitPerMinute": 600}}. The same policy and routes run locally (`zuplo dev`, keys from .env) and deployed.
 */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const header = request.headers.get("authorization") ?? "";
  const key = header.startsWith("Bearer ") ? header.substring(7).trim() : "";
  if (!key) {
    return problem(401, "unauthenticated", "API key required", "send your key as Authorization: Bearer <key>");
  }
  const consumers = JSON.parse(environment.API_KEYS ?? "{}");
  const consumer = consumers[key];
  if (!consumer) {
    return problem(401, "unauthenticated", "Unknown API key", "the key is not known");
  }
  request.user = {
    sub: consumer.sub,
    data: { role: consumer.role, regions: consumer.regions ?? [], rateLimitPerMinute: consumer.rateLimitPerMinute, requestsPerDay: consumer.requestsPerDay },
  };
  return request;
}
