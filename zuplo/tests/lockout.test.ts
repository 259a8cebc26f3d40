// Failed authentications per address (modules/auth-failures.ts), on the real gateway (`zuplo dev`) with a low limit.
// Under zuplo dev every caller's address is 127.0.0.1 (nothing identifies it; deployed, Zuplo's edge reports the
// connection's), so this file has a gateway of its own: the lockout it causes would refuse every other test's requests.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { fakeEdge, listen, startGateway, type Gateway } from "./harness.ts";

const REGIONS = ["us-east", "eu-west", "ap-south"];
const LIMIT = 5;
/** Test credentials, obviously not real ones (secretlint passes them). */
const EDGE_KEYS = Object.fromEntries(REGIONS.map((r) => [r, `test-edge-credential-${r}`]));
const SYNC_KEYS = Object.fromEntries(REGIONS.map((r) => [r, `test-sync-credential-${r}`]));
/** Every request that reached a region's edge. */
const reached: string[] = [];
const servers: Server[] = [];
let gateway: Gateway | undefined;

before(async () => {
  const edges: Record<string, string> = {};
  for (const region of REGIONS) {
    const server = fakeEdge(region, EDGE_KEYS[region], (request) => reached.push(`${region} ${request.method} ${request.url}`));
    servers.push(server);
    edges[region] = `http://127.0.0.1:${await listen(server)}`;
  }
  gateway = await startGateway({ API_KEYS: { "producer-key": { sub: "acme", role: "producer", regions: [] } }, EDGE_URLS: edges, EDGE_KEYS,
    SYNC_KEYS, AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
});

after(() => {
  gateway?.stop();
  for (const server of servers) server.closeAllConnections?.(), server.close();
});

const event = (key: string) => fetch(`${gateway!.base}/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`,
  "content-type": "application/json", "ce-specversion": "1.0", "ce-id": crypto.randomUUID(), "ce-source": "/regions/us-east/instances/lockout-test",
  "ce-type": "order.created", "ce-time": new Date().toISOString() },
  body: JSON.stringify({ order_id: "o-1", customer_id: "c-1", amount: 12.5, currency: "EUR", items: 1 }) });

test("an address whose authentications keep failing is locked out for the minute: its valid keys too, sync as well; health still answers", async () => {
  const valid = await event("producer-key");
  assert.equal(valid.status, 202, "before: the key works");
  await valid.text();
  const before = reached.length;

  const guesses = await Promise.all(Array.from({ length: LIMIT }, (_, i) => event(`guess-${i}`)));
  assert.deepEqual(guesses.map((g) => g.status), Array(LIMIT).fill(401), "each guess up to the limit is refused as an unknown key");
  await Promise.all(guesses.map((g) => g.text()));

  const summary = JSON.stringify({ specversion: "1.0", id: "s-1", source: "/aggregate/eu-west", type: "dev.globalevents.sync.summary" });
  for (const locked of [await event("guess-next"), await event("producer-key"), await fetch(`${gateway!.base}/v1/regions/us-east/sync`,
    { method: "POST", headers: { authorization: `Bearer ${SYNC_KEYS["eu-west"]}`, "content-type": "application/cloudevents+json" }, body: summary })]) {
    const body = await locked.text();
    assert.equal(locked.status, 429, body);
    assert.match(locked.headers.get("content-type") ?? "", /application\/problem\+json/);
    assert.equal(JSON.parse(body).type, "urn:globalevents:problem:too-many-failed-authentications");
    assert.match(JSON.parse(body).detail, /failed to authenticate within a minute \(at most 5\); try again in \d+ s/);
    const retryAfter = Number(locked.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${locked.headers.get("retry-after")}`);
  }
  assert.deepEqual(reached.slice(before), [], "nothing from the locked-out address reached a region");
  assert.equal((await fetch(`${gateway!.base}/v1/health`)).status, 200, "what needs no credential still answers");
});
