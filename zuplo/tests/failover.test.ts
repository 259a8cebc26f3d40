import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { forward, RegionHealth } from "../modules/failover.ts";

/** A loopback backend answering with `status` after `delayMs`, recording what it received. */
async function backend(status: number, delayMs = 0): Promise<{ url: string; server: Server; received: Record<string, string>[] }> {
  const received: Record<string, string>[] = [];
  const server = createServer((req, res) => {
    received.push(Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])));
    req.resume();
    setTimeout(() => res.writeHead(status, { "content-type": "text/plain" }).end(`status ${status}`), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/ns/events`, server, received };
}

async function closed(): Promise<string> {
  const b = await backend(200);
  await new Promise((resolve) => b.server.close(resolve));
  return b.url;
}

const ce = () => new Headers({ "ce-id": "1", "ce-type": "order.created", "content-type": "application/json" });
const body = new TextEncoder().encode("{}");

test("a region that is down is skipped: the next one gets the event with trace context", async () => {
  const second = await backend(202);
  const health = new RegionHealth(5000);
  const { response, attempts } = await forward("POST", ce(), body, {
    order: ["us-east", "eu-west"], backends: { "us-east": await closed(), "eu-west": second.url }, health, timeoutMs: 1000,
  });
  assert.equal(response.status, 202);
  assert.deepEqual(attempts.map((a) => `${a.region}:${a.outcome}`), ["us-east:error", "eu-west:ok"]);
  assert.match(second.received[0].traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  assert.equal(health.healthy("us-east"), false);
  second.server.close();
});

test("a 5xx or a timeout fails over; a 4xx is the caller's answer and is not retried elsewhere", async () => {
  const failing = await backend(503);
  const slow = await backend(202, 500);
  const refusing = await backend(400);
  const good = await backend(202);
  const timeout = await forward("POST", ce(), body, {
    order: ["us-east", "eu-west", "ap-south"], backends: { "us-east": failing.url, "eu-west": slow.url, "ap-south": good.url },
    health: new RegionHealth(5000), timeoutMs: 200,
  });
  assert.deepEqual(timeout.attempts.map((a) => `${a.region}:${a.outcome}`), ["us-east:error", "eu-west:timeout", "ap-south:ok"]);

  const refused = await forward("POST", ce(), body, {
    order: ["us-east", "ap-south"], backends: { "us-east": refusing.url, "ap-south": good.url }, health: new RegionHealth(5000), timeoutMs: 1000,
  });
  assert.equal(refused.response.status, 400);
  assert.equal(good.received.length, 1);
  for (const b of [failing, slow, refusing, good]) b.server.close();
});

test("a region marked down is tried last until its health expires", async () => {
  const first = await backend(202);
  const second = await backend(202);
  let now = 1000;
  const health = new RegionHealth(3000, () => now);
  health.failed("us-east");
  const options = { order: ["us-east", "eu-west"], backends: { "us-east": first.url, "eu-west": second.url }, health, timeoutMs: 1000 };

  await forward("POST", ce(), body, options);
  assert.equal(first.received.length, 0);
  now += 3001;
  await forward("POST", ce(), body, options);
  assert.equal(first.received.length, 1);
  first.server.close();
  second.server.close();
});

test("when every region fails the caller gets a 503 problem naming each, and a traceparent it sent is kept", async () => {
  const failing = await backend(502);
  const headers = ce();
  headers.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  const { response, attempts } = await forward("POST", headers, body, {
    order: ["us-east", "eu-west"], backends: { "us-east": failing.url, "eu-west": await closed() }, health: new RegionHealth(5000), timeoutMs: 500,
  });
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  assert.match((await response.json()).detail, /us-east error 502, eu-west error/);
  assert.equal(failing.received[0].traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  assert.equal(attempts.length, 2);
  failing.server.close();
});
