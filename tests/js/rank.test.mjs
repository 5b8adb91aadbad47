import { test } from "node:test";
import assert from "node:assert/strict";
import { theme } from "./load.mjs";

const rank = await theme("rank.js");

test("postings are delta-decoded", () => {
  assert.deepEqual([...rank.decode([3, 8, 7, 1, 1, 2])], [[3, 8], [10, 1], [11, 2]]);
  assert.deepEqual([...rank.decode("x")], []);
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
