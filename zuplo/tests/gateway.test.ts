// Integration tests against the real Zuplo runtime (`zuplo dev`) with loopback backends standing in for the
// regions' broker ingresses. Outside hosts are unreachable for the gateway process: its HTTP(S) traffic goes to a
// closed loopback proxy port (Zuplo's CLI telemetry fails quietly), loopback is not proxied.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { fakeEdge, listen, startGateway, type Gateway } from "./harness.ts";

const received: Record<string, { headers: Record<string, string>; body: string }[]> = { "us-east": [], "eu-west": [] };
const backends: Record<string, Server> = {};
const aggregateCalls: Record<string, { method: string; url: string; body: string }[]> = { "us-east": [], "eu-west": [] };
let gateway: Gateway | undefined;
let base = "";

/** The edge credential each region expects, as terraform's EDGE_KEYS would hold them. */
const EDGE_KEYS: Record<string, string> = { "us-east": "edge-key-us-east-0123456789abcdef0123", "eu-west": "edge-key-eu-west-0123456789abcdef0123" };
/** The sync credentials (SYNC_KEYS). */
const SYNC_KEYS: Record<string, string> = { "us-east": "sync-key-us-east-0123456789abcdef0123", "eu-west": "sync-key-eu-west-0123456789abcdef0123",
  "ap-south": "sync-key-ap-south-0123456789abcdef012" };
/** Regions whose edge drops every connection (a region that is down). */
const down = new Set<string>();
/** Requests an edge refused for a wrong or missing credential. */
const edgeRefusals: Record<string, number> = { "us-east": 0, "eu-west": 0 };

/**
 * A region's edge (harness.ts): POST /events recorded in `received`, the read and replay API in `aggregateCalls`,
 * requests without the region's credential counted in `edgeRefusals`.
 */
function edge(region: string): Server {
  return fakeEdge(region, EDGE_KEYS[region], (request) => {
    if (!request.authorized) edgeRefusals[region]++;
    else if (request.url === "/events") received[region].push({ headers: request.headers, body: request.body });
    else aggregateCalls[region].push({ method: request.method, url: request.url, body: request.body });
  }, () => down.has(region));
}

before(async () => {
  const edges: Record<string, string> = {};
  for (const region of ["us-east", "eu-west"]) {
    backends[region] = edge(region);
    edges[region] = `http://127.0.0.1:${await listen(backends[region])}`;
  }
  const closed = createServer();
  edges["ap-south"] = `http://127.0.0.1:${await listen(closed)}`;
  await new Promise((resolve) => closed.close(resolve)); // ap-south is down
  const keys = {
    "producer-key": { sub: "acme", role: "producer", regions: [] },
    "viewer-key": { sub: "dashboards", role: "viewer", regions: [] },
    "eu-only-key": { sub: "eu-shop", role: "producer", regions: ["eu-west"] },
    "small-key": { sub: "tiny", role: "producer", regions: [], rateLimitPerMinute: 3 },
    "quota-key": { sub: "frugal", role: "producer", regions: [], requestsPerDay: 2 },
    "admin-key": { sub: "ops", role: "admin", regions: [] },
    "eu-viewer-key": { sub: "eu-dashboards", role: "viewer", regions: ["eu-west"] },
  };
  gateway = await startGateway({ API_KEYS: keys, EDGE_URLS: edges, EDGE_KEYS, SYNC_KEYS });
  base = gateway.base;
});

after(() => {
  gateway?.stop();
  for (const server of Object.values(backends)) server.closeAllConnections?.(), server.close();
});

/** A valid order.created payload (functions/events' order.created.payload.schema.json). */
const ORDER = { order_id: "o-1", customer_id: "c-1", amount: 12.5, currency: "EUR", items: 1 };

/** A binary-mode event: attributes as ce-* headers, data as the body. */
function event(key: string | null, type = "order.created", extra: Record<string, string> = {}, body = JSON.stringify(ORDER)) {
  const headers: Record<string, string> = { "content-type": "application/json", "ce-specversion": "1.0", "ce-id": crypto.randomUUID(),
    "ce-source": "/regions/us-east/instances/gw-test", "ce-type": type, "ce-time": new Date().toISOString(), ...extra };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`${base}/v1/events`, { method: "POST", headers, body });
}

/** A structured-mode event as an object, for single structured requests and batches. */
function structured(data: Record<string, unknown> = ORDER, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { specversion: "1.0", id: crypto.randomUUID(), source: "/regions/eu-west/instances/gw-test", type: "order.created",
    time: new Date().toISOString(), data, ...extra };
}

function post(path: string, contentType: string, body: unknown, key = "producer-key", extra: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": contentType, ...extra }, body: JSON.stringify(body) });
}

const since = (region: string, count: number) => received[region].slice(count).map((r) => ({ ...r, event: JSON.parse(r.body) }));

test("without a key: 401 problem", async () => {
  const response = await event(null);
  assert.equal(response.status, 401);
  assert.equal((await response.json()).type, "urn:globalevents:problem:unauthenticated");
});

test("a viewer may not send events: 403", async () => {
  assert.equal((await event("viewer-key")).status, 403);
});

test("a binary event reaches the chosen region's broker as the same event in structured form, with trace context", async () => {
  const count = received["us-east"].length;
  const response = await event("producer-key", "order.created", { "x-region": "us-east", "ce-priority": "7", "ce-tags": "vip,web" });
  assert.equal(response.status, 202);
  assert.equal(response.headers.get("x-region"), "us-east");
  const [last] = since("us-east", count);
  assert.equal(last.headers["content-type"], "application/cloudevents+json");
  assert.match(last.headers["traceparent"], /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  assert.equal(response.headers.get("x-trace-id"), last.headers["traceparent"].split("-")[1], "the caller learns the trace it started");
  assert.equal(last.event.type, "order.created");
  assert.equal(last.event.priority, 7);
  assert.equal(last.event.tags, "vip,web");
  assert.deepEqual(last.event.data, ORDER);
});

test("a structured event is forwarded as sent", async () => {
  const count = received["us-east"].length;
  const sent = structured({ ...ORDER, order_id: "o-2" }, { priority: 2 });
  const response = await post("/v1/events", "application/cloudevents+json", sent, "producer-key", { "x-region": "us-east" });
  assert.equal(response.status, 202);
  assert.deepEqual(since("us-east", count).map((r) => r.event), [sent]);
});

test("an event that breaks the contract in functions/events is refused with the schema's reasons, and not forwarded", async () => {
  const count = received["us-east"].length;
  const response = await event("producer-key", "order.created", { "x-region": "us-east", "ce-id": "not-a-uuid", "ce-priority": "high" });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  const problem = await response.json();
  assert.ok(problem.errors.includes("Property 'id' should match the required pattern"), JSON.stringify(problem));
  assert.ok(problem.errors.includes("Property 'priority' should be of type integer"), JSON.stringify(problem));
  const missing = await post("/v1/events", "application/cloudevents+json", { ...structured(), time: undefined });
  assert.equal(missing.status, 400);
  assert.ok((await missing.json()).errors.includes("Property 'time' is required but missing"));
  assert.equal(received["us-east"].length, count);
});

test("an unregistered type or data that breaks its type's payload schema is refused with the reason, not forwarded", async () => {
  const count = received["us-east"].length;
  const unknown = await event("producer-key", "order.exploded", { "x-region": "us-east" });
  assert.equal(unknown.status, 400);
  assert.ok((await unknown.json()).errors.some((e: string) => e.startsWith("Property 'type' should be one of: order.created")));
  const missing = await event("producer-key", "order.created", { "x-region": "us-east" }, JSON.stringify({ ...ORDER, order_id: undefined }));
  assert.equal(missing.status, 400);
  assert.ok((await missing.json()).errors.includes("Property 'data.order_id' is required but missing"));
  const wrongType = await post("/v1/events", "application/cloudevents+json", structured({ ...ORDER, amount: "cheap" }));
  assert.equal(wrongType.status, 400);
  assert.ok((await wrongType.json()).errors.includes("Property 'data/amount' should be of type number"));
  assert.equal(received["us-east"].length, count);
});

test("malformed JSON and requests that are no CloudEvent get a problem naming why", async () => {
  const broken = await event("producer-key", "order.created", {}, "{broken");
  assert.equal(broken.status, 400);
  assert.equal((await broken.json()).type, "urn:globalevents:problem:malformed-json");
  const plain = await post("/v1/events", "application/json", { order_id: "o-1" });
  assert.equal(plain.status, 400);
  assert.equal((await plain.json()).type, "urn:globalevents:problem:not-a-cloudevent");
  const batchHere = await post("/v1/events", "application/cloudevents-batch+json", [structured()]);
  assert.equal(batchHere.status, 415);
});

test("a batch: every event is forwarded on its own to the region, 202 with each outcome", async () => {
  const count = received["eu-west"].length;
  const events = [structured({ ...ORDER, n: 1 }), structured({ ...ORDER, n: 2 }), structured({ ...ORDER, n: 3 })];
  const response = await post("/v1/events/batch", "application/cloudevents-batch+json", events, "producer-key", { "x-region": "eu-west" });
  assert.equal(response.status, 202);
  const result = await response.json();
  assert.equal(result.accepted, 3);
  assert.deepEqual(result.results.map((r: { id: string; status: number; region: string }) => [r.id, r.status, r.region]),
    events.map((e) => [e.id, 202, "eu-west"]));
  assert.deepEqual(since("eu-west", count).map((r) => r.event).sort((a, b) => a.data.n - b.data.n), events);
});

test("a batch with one event breaking the contract is refused whole, naming the entry; nothing is forwarded", async () => {
  const count = received["eu-west"].length;
  const response = await post("/v1/events/batch", "application/cloudevents-batch+json", [structured(), { ...structured(), source: "nowhere" }],
    "producer-key", { "x-region": "eu-west" });
  assert.equal(response.status, 400);
  assert.ok((await response.json()).errors.includes("Property '1/source' should match the required pattern"));
  const reserved = await post("/v1/events/batch", "application/cloudevents-batch+json", [structured(), structured({}, { type: "dev.globalevents.sync.summary" })]);
  assert.equal(reserved.status, 400);
  assert.match((await reserved.json()).detail, /reserved/);
  assert.equal((await post("/v1/events/batch", "application/cloudevents-batch+json", [])).status, 400);
  assert.equal(received["eu-west"].length, count);
});

test("a batch whose events the broker partly refuses: 207 says which were taken", async () => {
  const events = [structured({ ...ORDER, n: 1 }), structured({ ...ORDER, refuse: true }), structured({ ...ORDER, n: 3 })];
  const response = await post("/v1/events/batch", "application/cloudevents-batch+json", events, "producer-key", { "x-region": "eu-west" });
  assert.equal(response.status, 207);
  const result = await response.json();
  assert.deepEqual([result.accepted, result.refused], [2, 1]);
  assert.deepEqual(result.results.map((r: { status: number }) => r.status), [202, 400, 202]);
  assert.equal(result.results[1].problem.title, "Refused by the broker");
});

test("reserved internal types are refused with the reason", async () => {
  const response = await event("producer-key", "dev.globalevents.event.validated");
  assert.equal(response.status, 400);
  assert.match((await response.json()).detail, /reserved/);
});

test("an oversized request: 413 with the reason, declared or chunked", async () => {
  const response = await event("producer-key", "order.created", {}, JSON.stringify({ blob: "x".repeat(70_000) }));
  assert.equal(response.status, 413);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  assert.match((await response.json()).detail, /at most 65536 are accepted/);
  const chunks = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(JSON.stringify({ blob: "y".repeat(70_000) }))); c.close(); } });
  const chunked = await fetch(`${base}/v1/events`, { method: "POST", body: chunks, duplex: "half",
    headers: { authorization: "Bearer producer-key", "content-type": "application/json", "ce-specversion": "1.0", "ce-type": "order.created" } } as RequestInit);
  assert.equal(chunked.status, 413);
});

test("a key limited to eu-west goes there even when us-east is asked for", async () => {
  const response = await event("eu-only-key", "order.created", { "x-region": "us-east" });
  assert.equal(response.status, 202);
  assert.equal(response.headers.get("x-region"), "eu-west");
});

test("a consumer over its own rate limit gets 429 while others are unaffected", async () => {
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await event("small-key")).status);
  assert.deepEqual(statuses, [202, 202, 202, 429]);
  assert.equal((await event("producer-key")).status, 202);
});

test("when the first region is down (its edge refuses connections), the event fails over to the next", async () => {
  const before = received["eu-west"].length + received["us-east"].length;
  const response = await event("producer-key", "order.created", { "x-region": "ap-south" });
  assert.equal(response.status, 202);
  assert.ok(["us-east", "eu-west"].includes(response.headers.get("x-region") ?? ""));
  assert.equal(received["eu-west"].length + received["us-east"].length, before + 1);
});

test("a consumer over its daily quota gets 429", async () => {
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await event("quota-key")).status);
  assert.deepEqual(statuses, [202, 202, 429]);
});

function get(path: string, key: string, extra: Record<string, string> = {}, method = "GET", body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...extra };
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

test("a viewer reads a region's windows from that region's aggregate, with the query it asked for", async () => {
  const response = await get("/v1/regions/eu-west/windows?last=3&type=order.created", "viewer-key");
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { region: "eu-west", windows: [] });
  assert.equal(aggregateCalls["eu-west"].at(-1)!.url, "/windows?last=3&type=order.created");
});

test("reads are refused to producers, to regions the key may not use, and for bad parameters", async () => {
  assert.equal((await get("/v1/regions/us-east/windows", "producer-key")).status, 403);
  assert.equal((await get("/v1/regions/us-east/windows", "eu-viewer-key")).status, 403);
  assert.equal((await get("/v1/regions/eu-west/windows", "eu-viewer-key")).status, 200);
  const unknown = await get("/v1/regions/mars-north/windows", "viewer-key");
  assert.equal(unknown.status, 400);
  assert.equal((await get("/v1/regions/us-east/windows?last=0", "viewer-key")).status, 400);
});

test("the global view comes from the nearest healthy region and fails over when that region's aggregate is down", async () => {
  const near = await get("/v1/global?last=2", "viewer-key", { "x-region": "eu-west" });
  assert.equal(near.status, 200);
  assert.deepEqual(await near.json(), { served_by: "eu-west" });
  assert.equal(aggregateCalls["eu-west"].at(-1)!.url, "/global?last=2");
  const failedOver = await get("/v1/global", "viewer-key", { "x-region": "ap-south" });
  assert.equal(failedOver.status, 200);
  assert.notEqual(failedOver.headers.get("x-region"), "ap-south");
});

test("replays: admins only; the request is checked; Location leads back through the gateway; watch and cancel", async () => {
  const window = { from: "2026-12-01T12:00:00Z", to: "2026-12-01T13:00:00Z" };
  assert.equal((await get("/v1/regions/us-east/replays", "viewer-key", {}, "POST", window)).status, 403);
  const bad = await get("/v1/regions/us-east/replays", "admin-key", {}, "POST", { from: "yesterday" });
  assert.equal(bad.status, 400);
  assert.ok((await bad.json()).errors.some((e: string) => e.includes("'to' is required")));
  const calls = aggregateCalls["us-east"].length;
  const started = await get("/v1/regions/us-east/replays", "admin-key", {}, "POST", { ...window, type: "order.created" });
  assert.equal(started.status, 202);
  assert.equal(started.headers.get("location"), "/v1/regions/us-east/replays/r-1");
  assert.deepEqual(JSON.parse(aggregateCalls["us-east"][calls].body), { ...window, type: "order.created" });
  const watched = await get(started.headers.get("location")!, "admin-key");
  assert.equal(watched.status, 200);
  assert.equal((await watched.json()).state, "running");
  const cancelled = await get("/v1/regions/us-east/replays/r-1", "admin-key", {}, "DELETE");
  assert.equal(cancelled.status, 202);
  assert.equal((await get("/v1/regions/us-east/replays/nope", "admin-key")).status, 404);
  assert.deepEqual(aggregateCalls["us-east"].slice(calls).map((c) => `${c.method} ${c.url}`),
    ["POST /replays", "GET /replays/r-1", "DELETE /replays/r-1", "GET /replays/nope"]);
});

test("the HTTP limits every entry shares: 431 over 16 KiB of headers, 414 over 8 KiB of URL, 405 for other methods", async () => {
  const count = received["us-east"].length;
  const big = await event("producer-key", "order.created", { "x-region": "us-east", "x-padding": "a".repeat(20_000) });
  assert.equal(big.status, 431);
  assert.equal(big.headers.get("content-type"), "application/problem+json");
  assert.match((await big.json()).detail, /at most 16384 are accepted/);
  const long = await fetch(`${base}/v1/events?pad=${"a".repeat(10_000)}`, { method: "POST", headers: { authorization: "Bearer producer-key" } });
  assert.equal(long.status, 414);
  assert.equal((await long.json()).type, "urn:globalevents:problem:uri-too-long");
  const get = await fetch(`${base}/v1/events`, { headers: { authorization: "Bearer producer-key" } });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.equal((await get.json()).type, "urn:globalevents:problem:method-not-allowed");
  assert.equal(received["us-east"].length, count);
});

test("every call to a region's edge carries that region's edge credential, and only that one", async () => {
  const refusals = { ...edgeRefusals };
  for (const wanted of ["us-east", "eu-west"]) {
    const response = await event("producer-key", "order.created", { "x-region": wanted });
    assert.equal(response.status, 202);
    const region = response.headers.get("x-region")!; // us-east may still count as down after the failover test
    assert.equal(received[region].at(-1)!.headers["x-edge-key"], EDGE_KEYS[region]);
  }
  const calls = aggregateCalls["eu-west"].length;
  assert.equal((await fetch(`${base}/v1/regions/eu-west/windows`, { headers: { authorization: "Bearer viewer-key" } })).status, 200);
  assert.equal(aggregateCalls["eu-west"].length, calls + 1);
  assert.deepEqual(edgeRefusals, refusals);
});

/** A region's closed-window summary as aggregate publishes it (structured), claiming `claimed` as its region. */
function summary(claimed: string, type = "dev.globalevents.sync.summary") {
  return JSON.stringify({ specversion: "1.0", id: `summary-${Date.now()}-${crypto.randomUUID()}`, source: `/aggregate/${claimed}`, type, region: claimed,
    time: new Date().toISOString(), datacontenttype: "application/json",
    data: { region: claimed, window: { start: "2026-12-02T12:00:00Z", end: "2026-12-02T12:00:10Z" }, closed_at: new Date().toISOString(), types: {} } });
}

function sync(target: string, authorization: string | null, body: string) {
  const headers: Record<string, string> = { "content-type": "application/cloudevents+json" };
  if (authorization) headers.authorization = authorization;
  return fetch(`${base}/v1/regions/${target}/sync`, { method: "POST", headers, body });
}

test("sync: a region's summary with its sync credential reaches the peer's edge, and only that peer", async () => {
  const counts = { "us-east": received["us-east"].length, "eu-west": received["eu-west"].length };
  const response = await sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east"));
  assert.equal(response.status, 202, await response.clone().text());
  assert.equal(received["eu-west"].length, counts["eu-west"] + 1);
  assert.equal(received["us-east"].length, counts["us-east"]);
  const delivered = JSON.parse(received["eu-west"].at(-1)!.body);
  assert.equal(delivered.type, "dev.globalevents.sync.summary");
  assert.equal(delivered.region, "us-east");
  assert.equal(received["eu-west"].at(-1)!.headers["x-edge-key"], EDGE_KEYS["eu-west"]);
});

for (const [name, authorization, status] of [
  ["no credential", null, 401],
  ["a forged credential", "Bearer sync-key-us-east-0123456789abcdef0124", 401],
  ["a producer's API key", "Bearer producer-key", 401],
  ["an admin's API key", "Bearer admin-key", 401],
] as const) {
  test(`sync with ${name}: ${status} problem and nothing reaches a region`, async () => {
    const count = received["eu-west"].length + received["us-east"].length;
    const response = await sync("eu-west", authorization, summary("us-east"));
    assert.equal(response.status, status);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    assert.equal(received["eu-west"].length + received["us-east"].length, count);
  });
}

test("sync: a region cannot speak for another (403), nor sync to itself or to an unknown region (404), nor send other events (400)", async () => {
  const count = received["eu-west"].length + received["us-east"].length;
  const forged = await sync("eu-west", `Bearer ${SYNC_KEYS["ap-south"]}`, summary("us-east"));
  assert.equal(forged.status, 403);
  assert.equal((await forged.json()).type, "urn:globalevents:problem:forged-origin");
  assert.equal((await sync("us-east", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east"))).status, 404);
  assert.equal((await sync("mars-north", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east"))).status, 404);
  assert.equal((await sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, summary("us-east", "order.created"))).status, 400);
  const malformed = JSON.parse(summary("us-east"));
  delete malformed.data.closed_at;
  assert.equal((await sync("eu-west", `Bearer ${SYNC_KEYS["us-east"]}`, JSON.stringify(malformed))).status, 400);
  assert.equal(received["eu-west"].length + received["us-east"].length, count);
});

test("sync summaries cannot enter through the events route", async () => {
  const count = received["eu-west"].length + received["us-east"].length;
  const response = await fetch(`${base}/v1/events`, { method: "POST", body: summary("us-east"),
    headers: { "content-type": "application/cloudevents+json", authorization: "Bearer producer-key" } });
  assert.equal(response.status, 400);
  assert.equal(received["eu-west"].length + received["us-east"].length, count);
});

/** Stops a region's edge from listening (connections refused, as when it is down); the returned function restarts it on its port. */
async function stopListening(region: string): Promise<() => Promise<void>> {
  const server = backends[region];
  const port = (server.address() as { port: number }).port;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
}

// last: it leaves us-east marked unhealthy for the gateway's 10 s
test("an edge that cuts the connection after getting the event: 502 outcome unknown, not sent elsewhere; resent, it goes to that region only", async () => {
  const headers = { "x-region": "us-east", "ce-id": crypto.randomUUID() };
  const elsewhere = received["eu-west"].length;
  down.add("us-east"); // takes the request, then drops the connection without an answer
  let restart: (() => Promise<void>) | undefined;
  try {
    const cut = await event("producer-key", "order.created", headers);
    const problem = await cut.json().catch(() => ({}));
    assert.equal(cut.status, 502, JSON.stringify(problem));
    assert.equal(problem.type, "urn:globalevents:problem:outcome-unknown");
    assert.equal(problem.region, "us-east");

    restart = await stopListening("us-east");
    const held = await event("producer-key", "order.created", headers);
    const heldProblem = await held.json();
    assert.equal(held.status, 503, JSON.stringify(heldProblem));
    assert.equal(heldProblem.type, "urn:globalevents:problem:held-by-region");
    assert.equal(held.headers.get("retry-after"), "5");

    await restart();
    restart = undefined;
    down.delete("us-east");
    const taken = await event("producer-key", "order.created", headers);
    assert.equal(taken.status, 202);
    assert.equal(taken.headers.get("x-region"), "us-east");
    assert.equal(received["us-east"].filter((r) => r.body.includes(headers["ce-id"])).length, 1);
    assert.equal(received["eu-west"].length, elsewhere, "never sent to a second region");
  } finally {
    down.delete("us-east");
    await restart?.();
  }
});
