import { test } from "node:test";
import assert from "node:assert/strict";
import { ExpiringMap } from "../modules/expiring.ts";

test("an entry holds for its time, or until the time it was given; each key on its own; beyond its size the oldest go first", () => {
  let now = 0;
  const map = new ExpiringMap<number>(1000, 2, () => now);
  map.set("198.51.100.7", 1);
  map.set("198.51.100.8", 1);
  now = 400;
  const first = map.entry("198.51.100.7")!;
  map.set("198.51.100.7", first.value + 1, first.until); // a count in a window that runs from its first entry
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
