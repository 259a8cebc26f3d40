import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { forward } from "../modules/failover.ts";
import { RegionHealth } from "../modules/region-health.ts";
import { Pins } from "../modules/pins.ts";

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

/** A backend that reads the request whole, then drops the connection without answering: it may have taken it. */
async function cutting(): Promise<{ url: string; server: Server; received: number }> {
  const state = { url: "", server: createServer(), received: 0 };
  state.server.on("request", (req, res) => {
    req.resume();
    req.on("end", () => {
      state.received++;
      res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, "127.0.0.1", resolve));
  const address = state.server.address();
  state.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/ns/events`;
  return state;
}

test("an event is not sent to a second region once the first may have taken it: 502 outcome unknown naming that region", async () => {
  const cut = await cutting();
  const slow = await backend(202, 500);
  const next = await backend(202);
  for (const [first, outcome] of [[cut.url, "unknown"], [slow.url, "timeout"]] as const) {
    const { response, attempts } = await forward("POST", ce(), body, {
      order: ["us-east", "eu-west"], backends: { "us-east": first, "eu-west": next.url }, health: new RegionHealth(5000), timeoutMs: 200,
      failOverWhenUnsure: false,
    });
    assert.equal(response.status, 502);
    const problem = await response.json();
    assert.equal(problem.type, "urn:globalevents:problem:outcome-unknown");
    assert.equal(problem.region, "us-east");
    assert.deepEqual(attempts.map((a) => `${a.region}:${a.outcome}`), [`us-east:${outcome}`]);
  }
  assert.equal(cut.received, 1);
  assert.equal(next.received.length, 0, "never sent to a second region");

  const read = await forward("GET", ce(), null, {
    order: ["us-east", "eu-west"], backends: { "us-east": cut.url, "eu-west": next.url }, health: new RegionHealth(5000), timeoutMs: 200,
  });
  assert.equal(read.response.status, 202, "a read fails over: asking twice changes nothing");
  for (const b of [cut, slow, next]) b.server.close();
});

test("a region answering 504 or the edge's outcome-unknown problem may have taken the event; a refused connection or a 503 has not", async () => {
  const timeout = await backend(504);
  const unknown = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(502, { "content-type": "application/problem+json" })
      .end(JSON.stringify({ type: "urn:globalevents:problem:upstream-outcome-unknown", status: 502 })));
  });
  await new Promise<void>((resolve) => unknown.listen(0, "127.0.0.1", resolve));
  const unknownUrl = `http://127.0.0.1:${(unknown.address() as { port: number }).port}/ns/events`;
  const refusing = await backend(503);
  const next = await backend(202);
  const outcome = async (first: string) => (await forward("POST", ce(), body, {
    order: ["us-east", "eu-west"], backends: { "us-east": first, "eu-west": next.url }, health: new RegionHealth(5000), timeoutMs: 1000,
    failOverWhenUnsure: false,
  })).attempts.map((a) => `${a.region}:${a.outcome}`).join(",");

  assert.equal(await outcome(timeout.url), "us-east:unknown");
  assert.equal(await outcome(unknownUrl), "us-east:unknown");
  assert.equal(await outcome(refusing.url), "us-east:error,eu-west:ok");
  assert.equal(await outcome(await closed()), "us-east:error,eu-west:ok");
  for (const b of [timeout, refusing, next]) b.server.close();
  unknown.close();
});

test("a region not confirmed up is probed before an event goes to it: down, it never gets the event; up, it does", async () => {
  const events = await backend(202);
  const next = await backend(202);
  const probe = await backend(200);
  const health = new RegionHealth(5000);
  const options = (probeUrl: string) => ({ order: ["us-east", "eu-west"], backends: { "us-east": events.url, "eu-west": next.url }, health,
    timeoutMs: 1000, failOverWhenUnsure: false, probes: { "us-east": probeUrl, "eu-west": probe.url } });

  const down = await forward("POST", ce(), body, options(await closed()));
  assert.deepEqual(down.attempts.map((a) => `${a.region}:${a.outcome}`), ["us-east:error", "eu-west:ok"]);
  assert.match(down.attempts[0].reason ?? "", /^probe: /);
  assert.equal(events.received.length, 0);

  health.succeeded("us-east"); // its failure is over (or it answered since)
  const up = await forward("POST", ce(), body, options(await closed()));
  assert.deepEqual(up.attempts.map((a) => `${a.region}:${a.outcome}`), ["us-east:ok"], "confirmed up: not probed again");
  for (const b of [events, next, probe]) b.server.close();
});

test("a pin holds an event (source and id) for its time, then lets it go; beyond its size the oldest pins go first", () => {
  let now = 0;
  const pins = new Pins(1000, 2, () => now);
  const event = (id: string) => ({ source: "/regions/us-east/instances/a", id });
  pins.pin(event("1"), "eu-west");
  assert.deepEqual(pins.get(event("1")), { region: "eu-west", until: 1000 });
  assert.equal(pins.get({ source: "/regions/us-east/instances/b", id: "1" }), undefined, "another source's id 1 is another event");
  now = 1000;
  assert.equal(pins.get(event("1")), undefined, "expired");

  pins.pin(event("2"), "us-east");
  pins.pin(event("3"), "us-east");
  pins.pin(event("4"), "us-east");
  assert.equal(pins.get(event("2")), undefined, "the oldest is forgotten beyond 2");
  assert.equal(pins.get(event("4"))?.region, "us-east");
  pins.release(event("4"));
  assert.equal(pins.get(event("4")), undefined);
});
