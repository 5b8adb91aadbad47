/* papershelf search: reading the index the build writes under BASE + "search/"
 * (src/render/search.rs), every file at most once per page.
 *   meta.json     {"version":8,"docs":N,"docs_per_shard":K,"groups":[…],"fold":{…},
 *                  "cjk":{…},"author_letters":{…},"stopwords":[…],"min_term":2,
 *                  "max_term":30}: the layout, and the folding contract (fold.js)
 *   days.json     [["YYYY-MM-DD",firstId,lastId],…]  (doc ids in date order)
 *   idx/HEX(group).json.gz  {"shards":[prefix,…],"terms":{…}}: a group (a term's first
 *                 two characters, or its first when that is CJK), with the prefixes of its
 *                 deeper shards and the terms of its root shard
 *   idx/HEX(group)/HEX(prefix).json.gz  {"term":[d0,w0,d1,w1,…],…}  a deeper shard. Doc
 *                 ids are delta-encoded, w an integer weight; a term held by many docs is
 *                 {"b": base64 bitmap, "t": [ids of weight w, delta-encoded], "w": w}. A term
 *                 lives in the shard with the longest prefix it starts with (the group's own,
 *                 or a deeper one).
 *   docs/N.json.gz  [[title, path, date, authors, text, arxiv, pdf, slug, bib, links, more],…]
 *                 for ids N*K … N*K+K-1; authors the first names, links each one's link as
 *                 the site's bylines have it (the author's page, or the search by that name),
 *                 more how many authors are not named; text is the teaser snippets are
 *                 taken from
 * Special terms: "#tagslug"; "@authorslug" with "@" + each end of the slug that starts
 * a part ("@yann-lecun", "@lecun"), so the author filter finds any part of a name; and
 * "=authorslug", the whole name alone, for a quoted author filter (an author link). */

import { contract, codePointLength, isId, isObject, strings } from "./fold.js";
import { combine, decode, mergeMax, nearest } from "./rank.js";

export const VERSION = 8;
const MAX_SUGGEST = 3; // terms suggested for a word that finds nothing

function str(value) {
  return typeof value === "string" ? value : value == null ? "" : String(value);
}

const encoder = new TextEncoder();

function hex(text) {
  let out = "";
  for (const b of encoder.encode(text)) {
    out += (b < 16 ? "0" : "") + b.toString(16);
  }
  return out;
}

// [["YYYY-MM-DD", firstId, lastId], …] without malformed entries.
function cleanDays(list) {
  return Array.isArray(list)
    ? list.filter((d) => Array.isArray(d) && typeof d[0] === "string" && isId(d[1]) && isId(d[2]))
    : [];
}

// The shard holding `term`: the one with the longest prefix it starts with, or null.
function shardFor(entries, term) {
  let best = null;
  entries.forEach((e) => {
    if (term.startsWith(e.prefix) && (best === null || e.prefix.length > best.prefix.length)) {
      best = e;
    }
  });
  return best;
}

// Every shard that may hold a term starting with `prefix`: its own, and those deeper in the trie.
function shardsForPrefix(entries, prefix) {
  const own = shardFor(entries, prefix);
  const list = own ? [own] : [];
  entries.forEach((e) => {
    if (e !== own && e.prefix.startsWith(prefix)) {
      list.push(e);
    }
  });
  return list;
}

// Own properties only: a query word like "constructor" must not find Object's.
function hasTerm(terms, term) {
  return Object.prototype.hasOwnProperty.call(terms, term);
}

// The index of the site at `base` (ending in "/").
export function createIndex(base) {
  const fetches = new Map(); // URL → Promise of parsed JSON
  const postings = new Map(); // "=term" or "*prefix" → Promise of Map id → weight
  let metaPromise = null;

  // JSON, or gzipped JSON (".gz", inflated here; a server that already inflated it, sending
  // it with Content-Encoding, gives plain JSON, read as it is).
  function fetchJson(url) {
    let promise = fetches.get(url);
    if (!promise) {
      promise = fetch(url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) {
            throw new Error(url + ": HTTP " + response.status);
          }
          return response.arrayBuffer();
        })
        .then((buffer) => {
          const bytes = new Uint8Array(buffer);
          if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
            return JSON.parse(new TextDecoder().decode(bytes));
          }
          const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
          return new Response(stream).json();
        });
      fetches.set(url, promise);
    }
    return promise;
  }

  // meta.json, checked once: {docs, perShard, contract, entries(t), days()}. entries(t)
  // gives every shard that may hold t or terms starting with t.
  function loadMeta() {
    if (!metaPromise) {
      metaPromise = fetchJson(base + "search/meta.json").then((m) => {
        if (!isObject(m) || !Array.isArray(m.groups) || m.version !== VERSION) {
          throw new Error("unsupported search index");
        }
        const groups = strings(m.groups);
        return {
          docs: isId(m.docs) ? m.docs : Infinity,
          perShard: isId(m.docs_per_shard) && m.docs_per_shard > 0 ? m.docs_per_shard : 50,
          contract: contract(m),
          // Normally the one group of the term's first characters.
          entries: (term) => {
            const wanted = groups.filter((g) => term.startsWith(g) || g.startsWith(term));
            return Promise.all(wanted.map(loadGroup)).then((lists) => [].concat(...lists));
          },
          days: () => fetchJson(base + "search/days.json").then(cleanDays),
        };
      });
    }
    return metaPromise;
  }

  // The shards of one group: its own (terms already loaded) and the deeper ones.
  function loadGroup(group) {
    const dir = base + "search/idx/" + hex(group);
    return fetchJson(dir + ".json.gz").then((g) => {
      const own = { prefix: group, terms: isObject(g) && isObject(g.terms) ? g.terms : {} };
      const deeper = strings(isObject(g) ? g.shards : []).map((p) => ({
        prefix: p,
        url: dir + "/" + hex(p) + ".json.gz",
      }));
      return [own].concat(deeper);
    });
  }

  function loadShard(shard) {
    if (shard.terms) {
      return Promise.resolve(shard.terms);
    }
    return fetchJson(shard.url).then((terms) => (isObject(terms) ? terms : {}));
  }

  function termPostings(meta, term) {
    const key = "=" + term;
    if (!postings.has(key)) {
      const found = meta.entries(term).then((entries) => {
        const shard = shardFor(entries, term);
        if (!shard) {
          return new Map(); // no shard can hold it: not in the index
        }
        return loadShard(shard).then((terms) => (hasTerm(terms, term) ? decode(terms[term]) : new Map()));
      });
      postings.set(key, found);
    }
    return postings.get(key);
  }

  // Docs of every term starting with `prefix`, each with its best weight among them.
  function prefixPostings(meta, prefix) {
    const key = "*" + prefix;
    if (!postings.has(key)) {
      const found = meta
        .entries(prefix)
        .then((entries) => Promise.all(shardsForPrefix(entries, prefix).map(loadShard)))
        .then((shards) => {
          const out = new Map();
          shards.forEach((terms) => {
            Object.keys(terms).forEach((term) => {
              if (term.startsWith(prefix)) {
                mergeMax(out, decode(terms[term]));
              }
            });
          });
          return out;
        });
      postings.set(key, found);
    }
    return postings.get(key);
  }

  // Ids follow dates, so a date range is the id range [lo, hi] of the days in it.
  function idRange(meta, from, to) {
    if (!from && !to) {
      return Promise.resolve([0, Infinity]);
    }
    return meta.days().then((days) => {
      let lo = Infinity;
      let hi = -Infinity;
      days.forEach((d) => {
        if ((!from || d[0] >= from) && (!to || d[0] <= to)) {
          lo = Math.min(lo, d[1]);
          hi = Math.max(hi, d[2]);
        }
      });
      return [lo, Math.min(hi, meta.docs - 1)];
    });
  }

  // All matching docs as [{id, score}], best first (rank.js's combine).
  function rank(meta, query, state) {
    const lists = Promise.all(
      query.words.map((w) => (w.prefix ? prefixPostings(meta, w.term) : termPostings(meta, w.term)))
    );
    const tag = state.tag ? termPostings(meta, "#" + state.tag) : null;
    const slug = state.authorSlug;
    const author = !slug ? null : state.authorExact ? termPostings(meta, "=" + slug) : prefixPostings(meta, "@" + slug);
    const phrase = query.phrase ? termPostings(meta, "@" + query.phrase) : null;
    return Promise.all([lists, tag, author, idRange(meta, state.from, state.to), phrase]).then((l) =>
      combine(l[0], [l[1], l[2]].filter(Boolean), l[3], l[4], state.sort)
    );
  }

  // The title, path, date, authors, text, arxiv, pdf, slug, bib, author links and number of
  // authors not named of each ranked doc (null when missing).
  function loadDocs(meta, top) {
    const numbers = Array.from(new Set(top.map((r) => Math.floor(r.id / meta.perShard))));
    return Promise.all(numbers.map((n) => fetchJson(base + "search/docs/" + n + ".json.gz"))).then((shards) => {
      const byNumber = new Map(numbers.map((n, i) => [n, shards[i]]));
      return top.map((r) => {
        const shard = byNumber.get(Math.floor(r.id / meta.perShard));
        const doc = Array.isArray(shard) ? shard[r.id % meta.perShard] : null;
        if (!Array.isArray(doc)) {
          return null;
        }
        const [title, path, date, , text, arxiv, pdf, slug, bib] = doc.slice(0, 9).map(str);
        const authors = Array.isArray(doc[3]) ? doc[3].map(str) : [];
        const links = Array.isArray(doc[9]) ? doc[9].map(str) : [];
        const more = Number.isSafeInteger(doc[10]) && doc[10] > 0 ? doc[10] : 0;
        return { title, path, date, authors, text, arxiv, pdf, slug, bib, links, more };
      });
    });
  }

  // For the query words that find nothing, the indexed terms nearest them (at most two
  // edits): read from the shards under the word's first three characters, which the query
  // itself has mostly loaded (each file is fetched once per page, never per keystroke).
  function suggestions(meta, words) {
    const wanted = words.filter((w) => !w.cjk && codePointLength(w.term) >= 4);
    return Promise.all(
      wanted.map((w) => {
        const head = Array.from(w.term).slice(0, 3).join("");
        return meta
          .entries(head)
          .then((entries) => Promise.all(shardsForPrefix(entries, head).map(loadShard)))
          .then((shards) => nearest(w.term, shards, 2, MAX_SUGGEST));
      })
    ).then((lists) => [].concat(...lists).slice(0, MAX_SUGGEST));
  }

  return { loadMeta, rank, loadDocs, suggestions };
}
