/* papershelf search: ranking and suggestions, pure functions over decoded postings (no DOM,
 * no requests), so that Node runs their unit tests (tests/js/rank.test.mjs). */

// A doc by the author the query's words name comes before docs merely holding the words.
export const PHRASE_BONUS = 1000;

function isId(n) {
  return Number.isSafeInteger(n) && n >= 0;
}

// [d0,w0,d1,w1,…] with delta-encoded ids → Map id → weight; or a term held by many docs,
// {"b": base64 bitmap, "t": [delta-encoded ids], "w": weight} (decodeBitmap).
export function decode(list) {
  const map = new Map();
  if (isBitmap(list)) {
    return decodeBitmap(list, map);
  }
  if (!Array.isArray(list)) {
    return map;
  }
  let id = 0;
  for (let i = 0; i + 1 < list.length; i += 2) {
    const d = list[i];
    const w = list[i + 1];
    if (typeof d !== "number" || typeof w !== "number" || !isFinite(w)) {
      break;
    }
    id += d;
    if (isId(id)) {
      map.set(id, w);
    }
  }
  return map;
}

// Whether postings are a bitmap's {"b": …} (a term held by many docs).
function isBitmap(postings) {
  return postings !== null && typeof postings === "object" && typeof postings.b === "string";
}

// Doc i is in the term when bit i % 8 of byte i / 8 of `b` is set, with weight 1, or `w`
// for the ids `t` lists (those whose title, names or tags hold the term).
function decodeBitmap(value, map) {
  let bytes;
  try {
    bytes = atob(value.b);
  } catch (e) {
    return map; // not base64: no docs
  }
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes.charCodeAt(i);
    for (let bit = 0; byte && bit < 8; bit++) {
      if (byte & (1 << bit)) {
        map.set(i * 8 + bit, 1);
      }
    }
  }
  const weight = typeof value.w === "number" && isFinite(value.w) ? value.w : 1;
  let id = 0;
  for (const d of Array.isArray(value.t) ? value.t : []) {
    if (typeof d !== "number") {
      break;
    }
    id += d;
    if (map.has(id)) {
      map.set(id, weight);
    }
  }
  return map;
}

// Adds `from` to `into`, keeping each doc's best weight.
export function mergeMax(into, from) {
  from.forEach((w, id) => {
    const old = into.get(id);
    if (old === undefined || w > old) {
      into.set(id, w);
    }
  });
}

// All matching docs as [{id, score}], best first, newest first among equals ("date": newest
// first). wordMaps: one Map id → weight per query word, every one required (AND); filters:
// Maps a doc must be in; range: [lo, hi] ids; byAuthor: the docs of the author the words
// name (a bonus). Without words, the filters' docs; without either, the range.
export function combine(wordMaps, filters, range, byAuthor, sort) {
  const out = [];
  const bySize = (a, b) => a.size - b.size;
  const passes = (id) => id >= range[0] && id <= range[1] && filters.every((f) => f.has(id));
  if (wordMaps.length > 0) {
    // Walk the shortest list; every other word must be in the doc too.
    const sorted = wordMaps.slice().sort(bySize);
    sorted[0].forEach((weight, id) => {
      let score = weight;
      for (let i = 1; i < sorted.length; i++) {
        const w = sorted[i].get(id);
        if (w === undefined) {
          return;
        }
        score += w;
      }
      if (passes(id)) {
        out.push({ id: id, score: score + (byAuthor && byAuthor.has(id) ? PHRASE_BONUS : 0) });
      }
    });
  } else if (filters.length > 0) {
    filters
      .slice()
      .sort(bySize)[0]
      .forEach((_, id) => {
        if (passes(id)) {
          out.push({ id: id, score: 0 });
        }
      });
  } else {
    for (let id = Math.max(0, range[0]); id <= range[1]; id++) {
      out.push({ id: id, score: 0 });
    }
  }
  // Ids follow dates: relevance breaks ties by date too.
  out.sort(sort === "date" ? (a, b) => b.id - a.id : (a, b) => b.score - a.score || b.id - a.id);
  return out;
}

// The edit distance of a and b (insertions, deletions, substitutions, swaps of two
// neighbours), or max + 1 once it is over max.
export function distance(a, b, max) {
  a = Array.from(a);
  b = Array.from(b);
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  let prev2 = [];
  let prev = [];
  for (let j = 0; j <= b.length; j++) {
    prev[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
      best = Math.min(best, d);
    }
    if (best > max) {
      return max + 1;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

// The terms of `shards` (objects term → postings) nearest `term`: at most `max` edits away,
// nearest first, then the most used (in the most docs), then in order; at most `count`.
export function nearest(term, shards, max, count) {
  const found = [];
  shards.forEach((terms) => {
    Object.keys(terms).forEach((t) => {
      const postings = terms[t];
      const bitmap = isBitmap(postings);
      if (t === term || t.startsWith("@") || t.startsWith("#") || !(Array.isArray(postings) || bitmap)) {
        return;
      }
      const d = distance(term, t, max);
      if (d <= max) {
        // A bitmap is a term in many docs: counted once it is near enough to matter.
        found.push({ term: t, d: d, n: bitmap ? decode(postings).size : Math.floor(postings.length / 2) });
      }
    });
  });
  found.sort((a, b) => a.d - b.d || b.n - a.n || (a.term < b.term ? -1 : 1));
  return found.slice(0, count).map((f) => f.term);
}
