/* papershelf search: folding text into terms, by the contract of search/meta.json (written
 * by src/render/search.rs). Pure functions of a contract object: no DOM, no requests, so
 * that Node runs its unit tests (tests/js/fold.test.mjs). */

// Unicode property escapes are built at run time so that an old browser gets a message
// instead of a syntax error for the whole page.
export const RE = (() => {
  try {
    return {
      marks: new RegExp("\\p{M}", "gu"),
      separators: new RegExp("[^\\p{L}\\p{N}]+", "u"),
      // A run of word characters in displayed text; marks included so that a decomposed "é"
      // stays inside its word when highlighting.
      run: new RegExp("[\\p{L}\\p{N}\\p{M}]+", "gu"),
    };
  } catch (e) {
    return null;
  }
})();

export const MAX_WORDS = 16; // each word may cost shard fetches; longer queries are cut

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function isId(n) {
  return Number.isSafeInteger(n) && n >= 0;
}

export function strings(list) {
  return Array.isArray(list) ? list.filter((s) => typeof s === "string") : [];
}

function entries(object) {
  return new Map(Object.keys(isObject(object) ? object : {}).map((k) => [k, String(object[k])]));
}

// The contract of meta.json (version 8, `VERSION` in index.js): how text is folded ("fold": normalize, strip_marks,
// compose, lower, map), which runs are CJK ("cjk": ranges, gram 2), the stopwords, the term
// lengths and the letters of author names. Throws when it is missing or unknown: terms made
// otherwise could never match the build's.
export function contract(m) {
  if (!isObject(m) || !isObject(m.fold) || !isObject(m.fold.map) || !Array.isArray(m.stopwords)) {
    throw new Error("unsupported search index");
  }
  if (isObject(m.cjk) && m.cjk.gram !== 2) {
    throw new Error("unsupported search index");
  }
  const form = (v) => (["NFC", "NFD", "NFKC", "NFKD"].includes(v) ? v : "");
  const f = m.fold;
  const ranges = isObject(m.cjk) && Array.isArray(m.cjk.ranges) ? m.cjk.ranges : [];
  return {
    normalize: form(f.normalize),
    stripMarks: f.strip_marks === true,
    compose: form(f.compose),
    lower: f.lower === true,
    map: entries(f.map),
    cjk: ranges.filter((r) => Array.isArray(r) && isId(r[0]) && isId(r[1])),
    stopwords: new Set(strings(m.stopwords)),
    letters: entries(m.author_letters),
    minTerm: isId(m.min_term) && m.min_term > 0 ? m.min_term : 2,
    maxTerm: isId(m.max_term) && m.max_term > 0 ? m.max_term : 30,
  };
}

// By the contract's "fold": NFKD, combining marks removed, NFC (a Hangul syllable stays one
// character), lower-cased, then the map ("ł" → "l", "ß" → "ss").
export function fold(c, text) {
  let out = String(text);
  if (c.normalize) {
    out = out.normalize(c.normalize);
  }
  if (c.stripMarks) {
    out = out.replace(RE.marks, "");
  }
  if (c.compose) {
    out = out.normalize(c.compose);
  }
  if (c.lower) {
    out = out.toLowerCase();
  }
  if (c.map.size === 0) {
    return out;
  }
  let mapped = "";
  for (const ch of out) {
    const m = c.map.get(ch);
    mapped += m === undefined ? ch : m;
  }
  return mapped;
}

export function codePointLength(s) {
  return Array.from(s).length;
}

export function isCjk(c, ch) {
  const cp = ch.codePointAt(0);
  return c.cjk.some((r) => cp >= r[0] && cp <= r[1]);
}

// A run of letters and digits split where it passes between CJK and other characters:
// [{text, cjk}].
export function segments(c, run) {
  const out = [];
  for (const ch of run) {
    const cjk = isCjk(c, ch);
    const last = out[out.length - 1];
    if (last && last.cjk === cjk) {
      last.text += ch;
    } else {
      out.push({ text: ch, cjk: cjk });
    }
  }
  return out;
}

// A CJK run of a query longer than this (a pasted sentence) is searched by every other
// bigram.
const LONG_RUN = 8;

// The bigrams of a CJK run, or the run itself when it is one character: overlapping, as the
// build indexes them; when `sparse` (a query's words) and past LONG_RUN characters, every
// other one and the last, which still cover each character and halve the shards the query
// fetches (a 17-character sentence fetched 234 KB at 63,000 papers, a 24-character one
// would pass 300 KB). Text shown (a snippet to mark) keeps every bigram.
export function grams(text, sparse) {
  const points = Array.from(text);
  if (points.length < 2) {
    return [text];
  }
  const step = sparse && points.length > LONG_RUN ? 2 : 1;
  const out = [];
  for (let i = 0; i + 1 < points.length; i += step) {
    out.push(points[i] + points[i + 1]);
  }
  const last = points[points.length - 2] + points[points.length - 1];
  if (out[out.length - 1] !== last) {
    out.push(last);
  }
  return out;
}

// Folded tokens, before the length and stopword filters: [{term, cjk}]. Words are cut to
// maxTerm code points; CJK runs give their bigrams, as the build indexes them (every other
// one of a long run when `sparse`: see grams).
export function tokens(c, text, sparse) {
  const out = [];
  for (const run of fold(c, text).split(RE.separators)) {
    for (const seg of segments(c, run)) {
      if (seg.cjk) {
        grams(seg.text, sparse).forEach((g) => out.push({ term: g, cjk: true }));
      } else if (seg.text !== "") {
        out.push({ term: Array.from(seg.text).slice(0, c.maxTerm).join(""), cjk: false });
      }
    }
  }
  return out;
}

export function rawTokens(c, text) {
  return tokens(c, text).map((t) => t.term);
}

// What the build does to an author name to make its "@" slug (ASCII letters and digits):
// composed (NFC), the letters folding would drop ("张", "Д") spelled as the build spells
// them first.
export function slugify(c, text) {
  let spelled = "";
  for (const ch of String(text).normalize("NFC")) {
    const letter = c.letters.get(ch);
    spelled += letter === undefined ? ch : letter;
  }
  return fold(c, spelled)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

// Words of the query: {words: [{term, prefix, cjk}], tooShort, blank, phrase}. Every word
// must match. Words of three or more characters match as prefixes ("compass" finds
// "CompassJudger-1", indexed as one word), and so does the last one while it is being typed
// (no trailing space). A CJK bigram must match exactly (every bigram of "扩散模型" is
// required); a lone CJK character matches the bigrams it starts. `phrase` is the slug the
// words would be as an author's name ("Yang Liu" → "yang-liu"), or "".
export function parseQuery(c, q) {
  const list = tokens(c, q, true);
  const open = !/\s$/.test(q);
  const words = [];
  const seen = new Set();
  let tooShort = true;
  list.forEach((token, i) => {
    const term = token.term;
    if (token.cjk) {
      tooShort = false;
      if (!seen.has(term)) {
        seen.add(term);
        words.push({ term: term, prefix: codePointLength(term) === 1, cjk: true });
      }
      return;
    }
    if (codePointLength(term) < c.minTerm) {
      return;
    }
    tooShort = false;
    const prefix = codePointLength(term) >= 3 || (open && i === list.length - 1);
    // A stopword is dropped like the build drops it, except when it is the only word being
    // typed: "the" is on its way to "theory" and would otherwise show nothing.
    if (c.stopwords.has(term) && !(prefix && words.length === 0)) {
      return;
    }
    // "deep deep" needs "deep" once; an exact word already implies its prefix form.
    if (seen.has(term)) {
      return;
    }
    seen.add(term);
    words.push({ term: term, prefix: prefix, cjk: false });
  });
  const latin = words.filter((w) => !w.cjk).length;
  const phrase = latin >= 2 && latin === words.length ? slugify(c, q) : "";
  return { words: words.slice(0, MAX_WORDS), tooShort: tooShort, blank: q.trim() === "", phrase: phrase };
}
