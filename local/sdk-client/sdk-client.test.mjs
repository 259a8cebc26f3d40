// An outside client in a second language: the official CloudEvents JavaScript SDK (npm `cloudevents`) sends every
// registered event type through the gateway of the running local stack, in binary, structured and batch mode, plus
// duplicates and invalid events, then reconciles with what the pipeline counted. Run by local/stack's SdkClientIT
// against the packaged stack, with GATEWAY_URL, PRODUCER_KEY, ADMIN_KEY, REGION and VALIDATE_URL set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { CloudEvent, CONSTANTS, HTTP } from "cloudevents";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through local/stack's SdkClientIT (make test)`);
  return value;
};
const gateway = env("GATEWAY_URL").replace(/\/$/, "");
const region = env("REGION");
const events = new URL("../../functions/events/src/", import.meta.url);
const registry = JSON.parse(readFileSync(new URL("main/resources/schemas/registered-event.schema.json", events), "utf8"));
const types = registry.properties.type.enum;

/** One valid golden event per registered type (functions/events' shared test events: a golden file with its validated form). */
function goldenByType() {
  const dir = new URL("test/resources/golden/", events);
  const byType = {};
  for (const file of readdirSync(new URL("events/", dir))) {
    if (existsSync(new URL(`validated/${file}`, dir))) {
      const golden = JSON.parse(readFileSync(new URL(`events/${file}`, dir), "utf8"));
      byType[golden.type] ??= golden;
    }
  }
  return byType;
}

/** A new CloudEvent of a golden event's type and data, from this client, now. */
function fresh(golden, overrides = {}) {
  const { specversion, id, source, time, datacontenttype, data, ...rest } = golden;
  return new CloudEvent({ ...rest, id: randomUUID(), source: `/regions/${region}/instances/sdk-js`, time: new Date().toISOString(),
    datacontenttype: "application/json", data, ...overrides });
}

async function send(path, message, key = env("PRODUCER_KEY")) {
  const response = await fetch(`${gateway}${path}`, {
    method: "POST",
    headers: { ...message.headers, authorization: `Bearer ${key}`, "x-region": region },
    body: message.body,
  });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

async function counted() {
  const response = await fetch(`${gateway}/v1/regions/${region}/windows?last=360`, { headers: { authorization: `Bearer ${env("ADMIN_KEY")}` } });
  assert.equal(response.status, 200);
  return (await response.json()).windows.reduce((sum, window) => sum + window.total.count, 0);
}

async function duplicatesAtValidate() {
  const text = await (await fetch(`${env("VALIDATE_URL").replace(/\/$/, "")}/actuator/prometheus`)).text();
  return text.split("\n").filter((line) => line.startsWith('validate_events_total{outcome="duplicate"'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

/** Polls until check() holds or the time is up (the pipeline is asynchronous past the broker's 202). */
async function eventually(check, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("every registered type, in binary, structured and batch mode, with duplicates: each valid event counted once", async () => {
  const golden = goldenByType();
  assert.deepEqual(Object.keys(golden).sort(), [...types].sort(), "a valid golden event per registered type");
  const countedBefore = await counted();
  const duplicatesBefore = await duplicatesAtValidate();

  const binary = types.map((type) => fresh(golden[type]));
  for (const event of binary) {
    const answer = await send("/v1/events", HTTP.binary(event));
    assert.equal(answer.status, 202, `${event.type} binary: ${answer.body}`);
  }
  for (const type of types) {
    const answer = await send("/v1/events", HTTP.structured(fresh(golden[type])));
    assert.equal(answer.status, 202, `${type} structured: ${answer.body}`);
  }
  const batch = types.map((type) => fresh(golden[type]));
  const answer = await send("/v1/events/batch", { headers: { "content-type": CONSTANTS.MIME_CE_BATCH },
    body: JSON.stringify(batch.map((event) => event.toJSON())) });
  assert.equal(answer.status, 202, answer.body);
  assert.equal(JSON.parse(answer.body).accepted, types.length);
  for (const event of binary) { // the same events again: acknowledged, counted once
    assert.equal((await send("/v1/events", HTTP.binary(event))).status, 202);
  }

  await eventually(async () => assert.equal(await counted() - countedBefore, 3 * types.length));
  await eventually(async () => assert.equal(await duplicatesAtValidate() - duplicatesBefore, types.length));
});

test("invalid events are refused at the gateway with a 4xx and the reason, and nothing of them is counted", async () => {
  const golden = goldenByType();
  const order = golden["order.created"];
  const { order_id, ...withoutOrderId } = order.data;
  const invalid = {
    "unregistered type": fresh(order, { type: "order.exploded" }),
    "payload misses a field": fresh(order, { data: withoutOrderId }),
    "payload field of the wrong type": fresh(order, { data: { ...order.data, amount: "cheap" } }),
    "id not a UUID": fresh(order, { id: "not-a-uuid" }),
    "source outside the region paths": fresh(order, { source: "https://example.com/shop" }),
    "reserved type": fresh(order, { type: "dev.globalevents.event.validated" }),
    "priority out of range": fresh(order, { priority: 11 }),
  };
  const countedBefore = await counted();
  for (const [name, event] of Object.entries(invalid)) {
    for (const [mode, message] of [["binary", HTTP.binary(event)], ["structured", HTTP.structured(event)]]) {
      const answer = await send("/v1/events", message);
      assert.ok(answer.status >= 400 && answer.status < 500, `${name} (${mode}): ${answer.status} ${answer.body}`);
      assert.match(answer.type ?? "", /^application\/problem\+json/, `${name} (${mode})`);
      const problem = JSON.parse(answer.body);
      assert.ok(problem.detail && (problem.errors?.length ?? 1) > 0, `${name} (${mode}) names a reason: ${answer.body}`);
    }
  }
  const valid = fresh(order);
  assert.equal((await send("/v1/events", HTTP.binary(valid))).status, 202);
  await eventually(async () => assert.equal(await counted() - countedBefore, 1)); // only the valid one
});
