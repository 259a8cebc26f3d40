import { environment, ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { regionOrder } from "./regions";
import { forward, RegionHealth } from "./failover";
import { problem } from "./problem";

const health = new RegionHealth(10_000);

/**
 * Forwards a CloudEvent to the broker ingress of the nearest healthy region the consumer may use (BROKER_URLS: a
 * JSON object region → URL), failing over to the next one; the answer tells which region took it (x-region).
 */
export default async function (request: ZuploRequest, context: ZuploContext) {
  const backends: Record<string, string> = JSON.parse(environment.BROKER_URLS ?? "{}");
  const allowed: string[] = request.user?.data?.regions ?? [];
  const geo = context.incomingRequestProperties;
  const order = regionOrder(request.headers.get("x-region"), Number(geo?.latitude), Number(geo?.longitude))
    .filter((region) => allowed.length === 0 || allowed.includes(region));
  if (order.length === 0) {
    return problem(403, "forbidden", "No region allowed", "this key may not send to any region");
  }
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("ce-") || lower === "content-type" || lower === "traceparent" || lower === "tracestate") {
      headers.set(lower, value);
    }
  });
  const body = new Uint8Array(await request.arrayBuffer());
  const { response, attempts } = await forward("POST", headers, body, { order, backends, health, timeoutMs: 3000 });
  context.log.info(`ingest: ${attempts.map((a) => `${a.region} ${a.outcome}${a.status ? " " + a.status : ""}`).join(", ")}`);
  const region = attempts.find((a) => a.outcome === "ok")?.region;
  const answer = new Response(response.body, { status: response.status, headers: response.headers });
  if (region) {
    answer.headers.set("x-region", region);
  }
  return answer;
}
