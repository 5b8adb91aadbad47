import { test } from "node:test";
import assert from "node:assert/strict";
import { theme } from "./load.mjs";

const rank = await theme("rank.js");

test("postings are delta-decoded", () => {
  assert.deepEqual([...rank.decode([3, 8, 7, 1, 1, 2])], [[3, 8], [10, 1], [11, 2]]);
  assert.deepEqual([...rank.decode("x")], []);
});

test("a term held by many docs is a bitmap, with the ids of its title weight", () => {
  // Docs 0, 2 and 9 (bytes 0b101, 0b10: "BQI="), 2 of weight 8: as search.rs encodes them.
  const map = rank.decode({ b: "BQI=", t: [2], w: 8 });
  assert.deepEqual([...map].sort((a, b) => a[0] - b[0]), [[0, 1], [2, 8], [9, 1]]);
  assert.deepEqual([...rank.decode({ b: "not base64!", t: [], w: 8 })], []);
  // An id of `t` the bitmap lacks adds nothing.
  assert.deepEqual([...rank.decode({ b: "AQ==", t: [5], w: 8 })], [[0, 1]]);
  // A bitmap term is suggested like any other, ranked by its docs: "model" (3 docs) before
  // "modal" (1) for "modle".
  const shard = { model: { b: "BQI=", t: [], w: 8 }, modal: [4, 1] };
  assert.deepEqual(rank.nearest("modle", [shard], 2, 3), ["model", "modal"]);
});

test("every word is required; scores add; newest first among equals", () => {
  const a = new Map([[1, 2], [2, 2], [3, 5]]);
  const b = new Map([[2, 1], [3, 1], [4, 9]]);
  const out = rank.combine([a, b], [], [0, Infinity], null, "");
  assert.deepEqual(out, [{ id: 3, score: 6 }, { id: 2, score: 3 }]);
  assert.deepEqual(rank.combine([a, b], [], [0, Infinity], null, "date").map((r) => r.id), [3, 2]);
  assert.deepEqual(rank.combine([a], [new Map([[1, 1]])], [0, Infinity], null, "").map((r) => r.id), [1]);
  assert.deepEqual(rank.combine([a], [], [2, 2], null, "").map((r) => r.id), [2]);
});

test("the author the words name ranks first", () => {
  const yang = new Map([[1, 8], [2, 4]]);
  const liu = new Map([[1, 8], [2, 4]]);
  const out = rank.combine([yang, liu], [], [0, Infinity], new Map([[2, 1]]), "");
  assert.equal(out[0].id, 2);
});

test("filters alone, and a date range alone", () => {
  assert.deepEqual(rank.combine([], [new Map([[5, 1], [7, 1]])], [0, 6], null, "").map((r) => r.id), [5]);
  assert.deepEqual(rank.combine([], [], [2, 4], null, "").map((r) => r.id), [4, 3, 2]);
});

test("edit distance, with swaps, cut off past the maximum", () => {
  assert.equal(rank.distance("difussion", "diffusion", 2), 2);
  assert.equal(rank.distance("difusion", "diffusion", 2), 1);
  assert.equal(rank.distance("teh", "the", 2), 1);
  assert.equal(rank.distance("kitten", "sitting", 3), 3);
  assert.equal(rank.distance("a", "abcdef", 2), 3);
});

test("suggestions: nearest first, then the most used", () => {
  const shards = [{ diffusion: [1, 1, 2, 1, 3, 1], diffusive: [1, 1], difference: [1, 1], "@difus": [1, 1] }];
  assert.deepEqual(rank.nearest("difussion", shards, 2, 3), ["diffusion"]);
  assert.deepEqual(rank.nearest("diffusian", shards, 2, 3), ["diffusion", "diffusive"]);
});
