import { test } from "node:test";
import assert from "node:assert/strict";
import { ExpiringMap } from "../modules/expiring.ts";

test("an entry holds for its time; an update keeps it; each key on its own; beyond its size the oldest go first", () => {
  let now = 0;
  const map = new ExpiringMap<number>(1000, 2, () => now);
  map.set("198.51.100.7", 1);
  map.set("198.51.100.8", 1);
  now = 400;
  assert.equal(map.update("198.51.100.7", count => count + 1), true); // a count in a window that runs from its first entry
  assert.equal(map.update("198.51.100.9", count => count + 1), false, "nothing to update");
  assert.equal(map.get("198.51.100.9"), undefined);
  assert.deepEqual(map.entry("198.51.100.7"), { value: 2, until: 1000 });
  assert.equal(map.get("198.51.100.8"), 1, "another key keeps its own value");
  now = 1000;
  assert.equal(map.get("198.51.100.7"), undefined, "expired");

  map.set("a", 1);
  map.set("b", 2);
  map.set("c", 3);
  assert.equal(map.get("a"), undefined, "the oldest is forgotten beyond 2");
  assert.equal(map.get("c"), 3);
  map.delete("c");
  assert.equal(map.get("c"), undefined);
});

test("an updated entry keeps its place: beyond the size, the entry that expires first goes", () => {
  let now = 0;
  const map = new ExpiringMap<number>(1000, 2, () => now);
  map.set("a", 1); // until 1000
  now = 400;
  map.set("b", 1); // until 1400
  map.update("a", count => count + 1); // still until 1000, still first
  map.set("c", 1);
  assert.equal(map.get("a"), undefined, "a expires first, so it goes");
  assert.equal(map.get("b"), 1);
  assert.equal(map.get("c"), 1);
});
