import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { REGIONS, distanceKm, regionOrder } from "../modules/regions.ts";

const eventSchema = JSON.parse(
  readFileSync(new URL("../../functions/events/src/main/resources/schemas/event.schema.json", import.meta.url), "utf8"),
);

test("the gateway's regions are exactly the event schema's regions", () => {
  assert.deepEqual(REGIONS.map((r) => r.name).sort(), [...eventSchema.properties.source.properties.region.enum].sort());
});

test("callers go to their nearest region first", () => {
  assert.deepEqual(regionOrder(null, 48.85, 2.35), ["eu-west", "us-east", "ap-south"]); // Paris
  assert.deepEqual(regionOrder(null, 37.77, -122.42)[0], "us-east"); // San Francisco
  assert.deepEqual(regionOrder(null, 19.08, 72.88)[0], "ap-south"); // Mumbai
});

test("the x-region override wins, an unknown one is ignored, no geo keeps the configured order", () => {
  assert.deepEqual(regionOrder("ap-south", 48.85, 2.35), ["ap-south", "us-east", "eu-west"]);
  assert.deepEqual(regionOrder("mars-north", 48.85, 2.35)[0], "eu-west");
  assert.deepEqual(regionOrder(undefined), ["us-east", "eu-west", "ap-south"]);
});

test("distances are great-circle kilometres", () => {
  assert.ok(Math.abs(distanceKm(51.51, -0.13, 40.71, -74.01) - 5570) < 30); // London - New York
  assert.equal(distanceKm(10, 20, 10, 20), 0);
});

test("every route's {region} parameter allows exactly the event schema's regions", () => {
  const routes = JSON.parse(readFileSync(new URL("../config/routes.oas.json", import.meta.url), "utf8"));
  const regions = [...eventSchema.properties.source.properties.region.enum].sort();
  let checked = 0;
  for (const [path, operations] of Object.entries<Record<string, { parameters?: { name: string; in: string; schema: { enum: string[] } }[] }>>(routes.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === "path" && parameter.name === "region") {
          assert.deepEqual([...parameter.schema.enum].sort(), regions, path);
          checked++;
        }
      }
    }
  }
  assert.ok(checked >= 4, `checked ${checked} operations`);
});
