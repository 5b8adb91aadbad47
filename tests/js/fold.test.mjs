import { test } from "node:test";
import assert from "node:assert/strict";
import { theme, meta } from "./load.mjs";

const fold = await theme("fold.js");
const c = fold.contract(meta());

test("folds as the build does (search::FOLD_CASES)", () => {
  const cases = JSON.parse(process.env.PAPERSHELF_FOLD_CASES || "[]");
  assert.ok(cases.length > 5);
  for (const [text, folded] of cases) {
    assert.equal(fold.fold(c, text), folded, text);
  }
});

test("CJK runs give overlapping bigrams, a lone character itself", () => {
  assert.deepEqual(fold.rawTokens(c, "基于扩散模型"), ["基于", "于扩", "扩散", "散模", "模型"]);
  assert.deepEqual(fold.rawTokens(c, "扩散 GPT模型"), ["扩散", "gpt", "模型"]);
  assert.deepEqual(fold.rawTokens(c, "の 東京 カメラ"), ["の", "東京", "カメ", "メラ"]);
  assert.deepEqual(fold.rawTokens(c, "한국어"), ["한국", "국어"]);
  // Shown text (a snippet to mark) keeps every bigram of a long run.
  assert.equal(fold.rawTokens(c, "本文针对多模态推理").length, 8);
});

test("a query's long CJK run is searched by every other bigram and the last", () => {
  // Past eight characters (a pasted sentence): each character is still in one, and the
  // query fetches half the shards.
  const words = (q) => fold.parseQuery(c, q).words.map((w) => w.term);
  assert.deepEqual(words("本文针对多模态推理"), ["本文", "针对", "多模", "态推", "推理"]);
  assert.deepEqual(words("本文针对多模态推理训"), ["本文", "针对", "多模", "态推", "理训"]);
  assert.deepEqual(words("扩散模型"), ["扩散", "散模", "模型"]);
});

test("queries: CJK bigrams exact, a lone character a prefix, names a phrase", () => {
  const q = fold.parseQuery(c, "扩散模型");
  assert.deepEqual(
    q.words.map((w) => [w.term, w.prefix]),
    [["扩散", false], ["散模", false], ["模型", false]]
  );
  assert.deepEqual(fold.parseQuery(c, "扩").words.map((w) => [w.term, w.prefix]), [["扩", true]]);
  assert.equal(fold.parseQuery(c, "Yang Liu").phrase, "yang-liu");
  assert.equal(fold.parseQuery(c, "diffusion").phrase, "");
  assert.deepEqual(fold.parseQuery(c, "the").words.map((w) => w.term), ["the"]);
  assert.deepEqual(fold.parseQuery(c, "model of the ").words.map((w) => w.term), ["model"]);
});

test("author slugs follow the build's letters", () => {
  assert.equal(fold.slugify(c, "Łukasz  Kaiser"), "lukasz-kaiser");
  assert.equal(fold.slugify(c, "José Núñez"), "jose-nunez");
});

test("an unknown contract is refused", () => {
  assert.throws(() => fold.contract({ version: 4 }));
  assert.throws(() => fold.contract({ ...meta(), cjk: { ranges: [], gram: 3 } }));
});
