import { test } from "node:test";
import assert from "node:assert/strict";
import { BATCH, eventsOf, fromBinary, Refusal, reservedType, STRUCTURED } from "../modules/cloudevents.ts";
import { inParallel } from "../modules/parallel.ts";

const binaryHeaders = (extra: Record<string, string> = {}) =>
  new Headers({ "content-type": "application/json", "ce-specversion": "1.0", "ce-id": "5b0d3c5e-8f6e-4a8e-9d7c-2f1f3b9a6c01",
    "ce-source": "/regions/eu-west/instances/shop-1", "ce-type": "order.created", "ce-time": "2026-12-01T12:00:00Z", ...extra });

test("binary mode becomes the structured event: attributes from ce-* headers, data from the body", () => {
  const event = fromBinary(binaryHeaders({ "ce-priority": "7", "ce-tags": "a,b", "ce-subject": "caf%C3%A9" }), '{"order_id":"o-1"}');
  assert.deepEqual(event, {
    specversion: "1.0", id: "5b0d3c5e-8f6e-4a8e-9d7c-2f1f3b9a6c01", source: "/regions/eu-west/instances/shop-1", type: "order.created",
    time: "2026-12-01T12:00:00Z", priority: 7, tags: "a,b", subject: "café", datacontenttype: "application/json", data: { order_id: "o-1" },
  });
});

test("integer attributes of the contract that are not numbers stay strings, for the schema to name them", () => {
  assert.equal((fromBinary(binaryHeaders({ "ce-priority": "high" }), "{}") as Record<string, unknown>).priority, "high");
});

test("binary data that is not JSON: refused when declared JSON, kept as text otherwise", () => {
  const broken = fromBinary(binaryHeaders(), "{not json");
  assert.ok(broken instanceof Refusal);
  assert.equal(broken.code, "malformed-json");
  assert.equal((fromBinary(binaryHeaders({ "content-type": "text/plain" }), "hello") as Record<string, unknown>).data, "hello");
});

test("a structured event and a batch are read as they are", () => {
  const event = { specversion: "1.0", id: "1", type: "order.created" };
  assert.deepEqual(eventsOf(false, new Headers({ "content-type": `${STRUCTURED}; charset=utf-8` }), JSON.stringify(event)), [event]);
  assert.deepEqual(eventsOf(true, new Headers({ "content-type": BATCH }), JSON.stringify([event, event])), [event, event]);
});

for (const [name, batch, headers, body, status, code] of [
  ["no CloudEvent at all", false, { "content-type": "application/json" }, "{}", 400, "not-a-cloudevent"],
  ["structured but not JSON", false, { "content-type": STRUCTURED }, "{", 400, "malformed-json"],
  ["structured but an array", false, { "content-type": STRUCTURED }, "[]", 400, "not-a-cloudevent"],
  ["a batch on the single route", false, { "content-type": BATCH }, "[]", 415, "unsupported-media-type"],
  ["a single event on the batch route", true, { "content-type": STRUCTURED }, "{}", 415, "unsupported-media-type"],
  ["a batch that is an object", true, { "content-type": BATCH }, "{}", 400, "not-a-cloudevent"],
  ["a batch with a non-object entry", true, { "content-type": BATCH }, '[{"id":"1"}, 3]', 400, "not-a-cloudevent"],
] as const) {
  test(`refused with a reason: ${name}`, () => {
    const refusal = eventsOf(batch, new Headers(headers), body);
    assert.ok(refusal instanceof Refusal);
    assert.equal(refusal.status, status);
    assert.equal(refusal.code, code);
    assert.ok(refusal.detail.length > 0);
  });
}

test("reserved types are found anywhere in a batch", () => {
  assert.equal(reservedType([{ type: "order.created" }, { type: "dev.knative.foo" }]), "dev.knative.foo");
  assert.equal(reservedType([{ type: "order.created" }, { type: 3 }]), undefined);
});

test("inParallel keeps order and never runs more than the limit at once", async () => {
  let running = 0;
  let most = 0;
  const results = await inParallel([5, 1, 4, 2, 3, 0, 6, 7, 8, 9], 3, async (n) => {
    running++;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(results, [50, 10, 40, 20, 30, 0, 60, 70, 80, 90]);
  assert.equal(most, 3);
});

test("the gateway's schemas are links to functions/events' files, not copies that could drift", async () => {
  const { lstatSync, readdirSync, realpathSync } = await import("node:fs");
  const events = realpathSync(new URL("../../functions/events/src/main/resources/schemas", import.meta.url));
  const dir = new URL("../schemas/", import.meta.url);
  const files = readdirSync(dir);
  assert.ok(files.includes("cloudevent.schema.json"));
  assert.ok(files.includes("registered-event.schema.json"));
  // every payload schema the registry names is here too (Zuplo resolves the registry's $refs beside it)
  const registry = JSON.parse((await import("node:fs")).readFileSync(new URL("registered-event.schema.json", dir), "utf8"));
  for (const entry of registry.allOf) {
    const ref = entry.then?.properties?.data?.$ref ?? entry.$ref;
    assert.ok(files.includes(ref), `${ref} is linked in zuplo/schemas`);
  }
  for (const file of files) {
    assert.ok(lstatSync(new URL(file, dir)).isSymbolicLink(), `${file} is a link`);
    assert.equal(realpathSync(new URL(file, dir)), `${events}/${file}`);
  }
});

test("rules the schema cannot express, as validate applies them: reserved types, unknown regions, times ahead of the clock", async () => {
  const { brokenRule, canonicalRegion } = await import("../modules/rules.ts");
  const { REGIONS } = await import("../modules/regions.ts");
  const { RESERVED_PREFIXES } = await import("../modules/cloudevents.ts");
  const regions = REGIONS.map((r) => r.name);
  const check = (event: Record<string, unknown>) => brokenRule(event, Date.parse("2026-06-01T00:00:00Z"), regions, RESERVED_PREFIXES);
  const ok = { type: "order.created", source: "/regions/EU_West/instances/shop-1", time: "2026-06-01T00:04:00Z" };
  assert.equal(check(ok), null);
  assert.equal(canonicalRegion("US_East", regions), "us-east");
  assert.equal(canonicalRegion("useast", regions), "us-east");
  assert.equal(check({ ...ok, type: "dev.knative.sources.ping" })?.code, "type-reserved");
  assert.equal(check({ ...ok, source: "/regions/moon/instances/i-1" })?.code, "region-unknown");
  assert.equal(check({ ...ok, time: "2026-06-01T00:06:00Z" })?.code, "time-future");
});
