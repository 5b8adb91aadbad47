/* papershelf default theme: search page.
 * No dependencies, no requests to other hosts. Loaded only by search.html.
 *
 * Searches the static index the build writes under BASE + "search/" (src/render/search.rs):
 *   meta.json     {"version":4,"docs":N,"docs_per_shard":K,"groups":[…],
 *                  "fold":{…},"cjk":{"ranges":[[lo,hi],…],"gram":2},"author_letters":{…},
 *                  "stopwords":[…],"min_term":2,"max_term":30}: the layout, and the
 *                 contract for folding text into terms (CJK runs as overlapping bigrams)
 *                 and author names into "@" slugs (see applyContract)
 *   days.json     [["YYYY-MM-DD",firstId,lastId],…]  (doc ids in date order)
 *   idx/….json    {"term":[d0,w0,d1,w1,…],…}  a term shard: doc ids delta-encoded, w an
 *                 integer weight. A term lives in the shard with the longest prefix it
 *                 starts with; file names are the lowercase hex of the prefix's UTF-8.
 *   docs/N.json   [[title, path, date, authors, text, arxiv, pdf, slug],…]  for ids
 *                 N*K … N*K+K-1; text is a short plain text (the teaser) that snippets
 *                 are taken from; arxiv and pdf are URLs or ""
 * Special terms: "#tagslug", and "@authorslug" with "@" + each end of the slug that starts
 * a part ("@yann-lecun", "@lecun"), so the author filter finds any part of a name.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var results = document.getElementById("search-results");
  var input = document.getElementById("search-input");
  if (!form || !results || !input) {
    return;
  }
  var tagSelect = document.getElementById("search-tag");
  var authorInput = document.getElementById("search-author");
  var fromInput = document.getElementById("search-from");
  var toInput = document.getElementById("search-to");
  var sortSelect = document.getElementById("search-sort");

  var PAGE_SIZE = 20; // results shown at first, and added by each "Show more"
  var SNIPPET_LEAD = 60; // characters kept before the first match when the text is cut
  var DEBOUNCE_MS = 120;
  // The folding contract, read from search/meta.json (the build writes it; see loadMeta):
  // the longest term in code points, the stopwords, the letters mapped after lower-casing.
  var MAX_TERM = 30;
  var MIN_TERM = 2;
  var STOPWORDS = new Set();
  var FOLD_MAP = new Map();
  var AUTHOR_LETTERS = new Map();
  var FOLD = { normalize: "NFKD", stripMarks: true, compose: "NFC", lower: true };
  var CJK_RANGES = []; // [[lo, hi], …] code points whose runs are indexed as bigrams
  var MAX_SUGGEST = 3; // terms suggested for a word that finds nothing
  var PHRASE_BONUS = 1000; // a query that is an author's name ranks that author's papers first
  var MAX_WORDS = 16; // each word may cost shard fetches; longer queries are cut
  var MAX_ECHO = 80; // characters of the query repeated in the status line

  var BASE = form.dataset.base || "/";
  if (BASE.charAt(BASE.length - 1) !== "/") {
    BASE += "/";
  }

  // Unicode property escapes are built at run time so that an old browser gets a
  // message instead of a syntax error for the whole file.
  var RE_MARKS, RE_SEPARATORS, RE_RUN;
  try {
    RE_MARKS = new RegExp("\\p{M}", "gu");
    RE_SEPARATORS = new RegExp("[^\\p{L}\\p{N}]+", "u");
    // A run of word characters in displayed text; marks included so that a decomposed
    // "é" stays inside its word when highlighting.
    RE_RUN = new RegExp("[\\p{L}\\p{N}\\p{M}]+", "gu");
  } catch (e) {
    RE_MARKS = null;
  }
  var supported =
    RE_MARKS !== null &&
    typeof window.fetch === "function" &&
    typeof window.TextEncoder === "function" &&
    typeof String.prototype.normalize === "function";

  /* ---------------------------------------------------------------- */
  /* Folding: the build's, by the contract in meta.json                */
  /* ---------------------------------------------------------------- */

  // By meta.json's "fold": NFKD, combining marks removed, NFC (a Hangul syllable stays one
  // character), lower-cased, then FOLD_MAP ("ł" → "l", "ß" → "ss").
  function fold(text) {
    var lower = String(text);
    if (FOLD.normalize) {
      lower = lower.normalize(FOLD.normalize);
    }
    if (FOLD.stripMarks) {
      lower = lower.replace(RE_MARKS, "");
    }
    if (FOLD.compose) {
      lower = lower.normalize(FOLD.compose);
    }
    if (FOLD.lower) {
      lower = lower.toLowerCase();
    }
    if (FOLD_MAP.size === 0) {
      return lower;
    }
    var out = "";
    for (var c of lower) {
      var mapped = FOLD_MAP.get(c);
      out += mapped === undefined ? c : mapped;
    }
    return out;
  }

  function codePointLength(s) {
    return Array.from(s).length;
  }

  function cut(term) {
    var points = Array.from(term);
    return points.length > MAX_TERM ? points.slice(0, MAX_TERM).join("") : term;
  }

  function isCjk(c) {
    var cp = c.codePointAt(0);
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (cp >= CJK_RANGES[i][0] && cp <= CJK_RANGES[i][1]) {
        return true;
      }
    }
    return false;
  }

  // A run of letters and digits split where it passes between CJK and other characters:
  // [{text, cjk}].
  function segments(run) {
    var out = [];
    for (var c of run) {
      var cjk = isCjk(c);
      var last = out[out.length - 1];
      if (last && last.cjk === cjk) {
        last.text += c;
      } else {
        out.push({ text: c, cjk: cjk });
      }
    }
    return out;
  }

  // The overlapping bigrams of a CJK run, or the run itself when it is one character.
  function grams(text) {
    var points = Array.from(text);
    if (points.length < 2) {
      return [text];
    }
    var out = [];
    for (var i = 0; i + 1 < points.length; i++) {
      out.push(points[i] + points[i + 1]);
    }
    return out;
  }

  // Folded tokens, before the length and stopword filters: [{term, cjk}]. Words are cut to
  // MAX_TERM; CJK runs give their bigrams, as the build indexes them.
  function tokens(text) {
    var out = [];
    fold(text)
      .split(RE_SEPARATORS)
      .forEach(function (run) {
        segments(run).forEach(function (seg) {
          if (seg.cjk) {
            grams(seg.text).forEach(function (g) {
              out.push({ term: g, cjk: true });
            });
          } else {
            out.push({ term: cut(seg.text), cjk: false });
          }
        });
      });
    return out;
  }

  function rawTokens(text) {
    return tokens(text).map(function (t) {
      return t.term;
    });
  }

  // What the build does to an author name to make its "@" slug (ASCII letters and digits):
  // composed (NFC), the letters folding would drop ("张", "Д") spelled as the build spells
  // them first, from meta.json's author_letters.
  function slugify(text) {
    var spelled = "";
    for (var c of String(text).normalize("NFC")) {
      var letter = AUTHOR_LETTERS.get(c);
      spelled += letter === undefined ? c : letter;
    }
    return fold(spelled)
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }

  /* ---------------------------------------------------------------- */
  /* Query                                                             */
  /* ---------------------------------------------------------------- */

  // Words of the query: [{term, prefix}]. Every word must match. Words of three or more
  // characters match as prefixes ("compass" finds "CompassJudger-1", indexed as one word),
  // and so does the last one while it is being typed (no trailing space).
  // A CJK bigram must match exactly (every bigram of "扩散模型" is required); a lone CJK
  // character matches the bigrams it starts.
  function parseQuery(q) {
    var list = tokens(q);
    var open = !/\s$/.test(q);
    var words = [];
    var seen = new Set();
    var tooShort = true;
    list.forEach(function (token, i) {
      var term = token.term;
      if (token.cjk) {
        tooShort = false;
        if (!seen.has(term)) {
          seen.add(term);
          words.push({ term: term, prefix: codePointLength(term) === 1, cjk: true });
        }
        return;
      }
      if (codePointLength(term) < MIN_TERM) {
        return;
      }
      tooShort = false;
      var prefix = codePointLength(term) >= 3 || (open && i === list.length - 1);
      // A stopword is dropped like the build drops it, except when it is the only word
      // being typed: "the" is on its way to "theory" and would otherwise show nothing.
      if (STOPWORDS.has(term) && !(prefix && words.length === 0)) {
        return;
      }
      // "deep deep" needs "deep" once; an exact word already implies its prefix form.
      if (seen.has(term)) {
        return;
      }
      seen.add(term);
      words.push({ term: term, prefix: prefix });
    });
    var latin = words.filter(function (w) {
      return !w.cjk;
    });
    // Two or more words may be an author's name: "Yang Liu" → "@yang-liu".
    var phrase = latin.length >= 2 && latin.length === words.length ? slugify(q) : "";
    return { words: words.slice(0, MAX_WORDS), tooShort: tooShort, blank: q.trim() === "", phrase: phrase };
  }

  function dateValue(el) {
    var v = el ? String(el.value).trim() : "";
    return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "";
  }

  function readForm() {
    var author = authorInput ? String(authorInput.value) : "";
    return {
      q: String(input.value),
      tag: tagSelect ? String(tagSelect.value) : "",
      author: author,
      authorSlug: "", // made once the folding contract is loaded (see run)
      from: dateValue(fromInput),
      to: dateValue(toInput),
      sort: sortSelect && sortSelect.value === "date" ? "date" : "",
    };
  }

  // Puts the state in the address bar (empty fields left out) so a search can be shared.
  function updateUrl(state) {
    var params = new URLSearchParams();
    if (state.q.trim() !== "") {
      params.set("q", state.q);
    }
    if (state.tag) {
      params.set("tag", state.tag);
    }
    if (state.author.trim() !== "") {
      params.set("author", state.author.trim());
    }
    if (state.from) {
      params.set("from", state.from);
    }
    if (state.to) {
      params.set("to", state.to);
    }
    if (state.sort) {
      params.set("sort", state.sort);
    }
    var qs = params.toString();
    var url = location.pathname + (qs ? "?" + qs : "") + location.hash;
    if (url === location.pathname + location.search + location.hash) {
      return;
    }
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      // Safari throttles replaceState and file:// may refuse it; the search still works.
    }
  }

  /* ---------------------------------------------------------------- */
  /* Index loading (every file at most once per page)                  */
  /* ---------------------------------------------------------------- */

  var fetches = new Map(); // URL → Promise of parsed JSON

  function fetchJson(url) {
    var promise = fetches.get(url);
    if (!promise) {
      promise = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": HTTP " + response.status);
        }
        return response.json();
      });
      fetches.set(url, promise);
    }
    return promise;
  }

  var encoder = supported ? new TextEncoder() : null;

  function hex(text) {
    var bytes = encoder.encode(text);
    var out = "";
    for (var i = 0; i < bytes.length; i++) {
      out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return out;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isId(n) {
    return Number.isSafeInteger(n) && n >= 0;
  }

  function strings(list) {
    return Array.isArray(list)
      ? list.filter(function (s) {
          return typeof s === "string";
        })
      : [];
  }

  // [["YYYY-MM-DD", firstId, lastId], …] without malformed entries.
  function cleanDays(list) {
    return Array.isArray(list)
      ? list.filter(function (d) {
          return Array.isArray(d) && typeof d[0] === "string" && isId(d[1]) && isId(d[2]);
        })
      : [];
  }

  // A shard file: {prefix, url}.
  function entry(prefix, url) {
    return { prefix: prefix, url: url };
  }

  var metaPromise = null;

  // meta.json (version 4), checked once: {"groups":[…]}: a group is a term's first two
  //  characters; idx/HEX(group).json lists its shard prefixes, each in
  //  idx/HEX(group)/HEX(prefix).json (hex of "" is "_"); the days are in search/days.json,
  //  fetched only for a date filter. "fold", "cjk", "stopwords", "min_term", "max_term" are the
  //  contract for making terms, applied here before any query is read.
  // meta.entries(t) gives every shard that may hold t or terms starting with t;
  // meta.days() the [date, firstId, lastId] list.
  function loadMeta() {
    if (!metaPromise) {
      metaPromise = fetchJson(BASE + "search/meta.json").then(function (m) {
        if (!isObject(m)) {
          throw new Error("unsupported search index");
        }
        var meta = {
          docs: isId(m.docs) ? m.docs : Infinity,
          perShard: isId(m.docs_per_shard) && m.docs_per_shard > 0 ? m.docs_per_shard : 50,
        };
        if (Array.isArray(m.groups) && m.version === 4) {
          applyContract(m);
          var groups = strings(m.groups);
          meta.entries = function (term) {
            // Normally the one group of the term's first two characters.
            var wanted = groups.filter(function (g) {
              return term.startsWith(g) || g.startsWith(term);
            });
            return Promise.all(wanted.map(loadGroup)).then(function (lists) {
              return [].concat.apply([], lists);
            });
          };
          meta.days = function () {
            return fetchJson(BASE + "search/days.json").then(cleanDays);
          };
        } else {
          throw new Error("unsupported search index");
        }
        return meta;
      });
    }
    return metaPromise;
  }

  // The folding contract of meta.json: without it, terms could never match the build's.
  function applyContract(m) {
    if (!isObject(m.fold) || !isObject(m.fold.map) || !Array.isArray(m.stopwords)) {
      throw new Error("unsupported search index");
    }
    FOLD_MAP = new Map(
      Object.keys(m.fold.map).map(function (k) {
        return [k, String(m.fold.map[k])];
      })
    );
    STOPWORDS = new Set(strings(m.stopwords));
    var f = m.fold;
    var form = function (v) {
      return v === "NFC" || v === "NFD" || v === "NFKC" || v === "NFKD" ? v : "";
    };
    FOLD = { normalize: form(f.normalize), stripMarks: f.strip_marks === true, compose: form(f.compose), lower: f.lower === true };
    var cjk = isObject(m.cjk) && Array.isArray(m.cjk.ranges) ? m.cjk.ranges : [];
    if (isObject(m.cjk) && m.cjk.gram !== 2) {
      throw new Error("unsupported search index");
    }
    CJK_RANGES = cjk.filter(function (r) {
      return Array.isArray(r) && isId(r[0]) && isId(r[1]);
    });
    var letters = isObject(m.author_letters) ? m.author_letters : {};
    AUTHOR_LETTERS = new Map(
      Object.keys(letters).map(function (k) {
        return [k, String(letters[k])];
      })
    );
    MIN_TERM = isId(m.min_term) && m.min_term > 0 ? m.min_term : MIN_TERM;
    MAX_TERM = isId(m.max_term) && m.max_term > 0 ? m.max_term : MAX_TERM;
  }

  // The shard files of one group.
  function loadGroup(group) {
    var dir = BASE + "search/idx/" + hex(group);
    return fetchJson(dir + ".json").then(function (prefixes) {
      return strings(prefixes).map(function (p) {
        return entry(p, dir + "/" + (p === "" ? "_" : hex(p)) + ".json");
      });
    });
  }

  function loadShard(shard) {
    return fetchJson(shard.url).then(function (terms) {
      return isObject(terms) ? terms : {};
    });
  }

  // The shard holding `term`: the one with the longest prefix it starts with, or null.
  function shardFor(entries, term) {
    var best = null;
    entries.forEach(function (e) {
      if (term.startsWith(e.prefix) && (best === null || e.prefix.length > best.prefix.length)) {
        best = e;
      }
    });
    return best;
  }

  // Every shard that may hold a term starting with `prefix`: its own shard, and the
  // shards deeper in the trie.
  function shardsForPrefix(entries, prefix) {
    var own = shardFor(entries, prefix);
    var list = own ? [own] : [];
    entries.forEach(function (e) {
      if (e !== own && e.prefix.startsWith(prefix)) {
        list.push(e);
      }
    });
    return list;
  }

  // [d0,w0,d1,w1,…] with delta-encoded ids → Map id → weight.
  function decode(list) {
    var map = new Map();
    if (!Array.isArray(list)) {
      return map;
    }
    var id = 0;
    for (var i = 0; i + 1 < list.length; i += 2) {
      var d = list[i];
      var w = list[i + 1];
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

  function mergeMax(into, from) {
    from.forEach(function (w, id) {
      var old = into.get(id);
      if (old === undefined || w > old) {
        into.set(id, w);
      }
    });
  }

  // Own properties only: a query word like "constructor" must not find Object's.
  function hasTerm(terms, term) {
    return Object.prototype.hasOwnProperty.call(terms, term);
  }

  var postings = new Map(); // "=term" or "*prefix" → Promise of Map id → weight

  function termPostings(meta, term) {
    var key = "=" + term;
    if (!postings.has(key)) {
      postings.set(
        key,
        meta.entries(term).then(function (entries) {
          var shard = shardFor(entries, term);
          if (!shard) {
            return new Map(); // no shard can hold it: not in the index
          }
          return loadShard(shard).then(function (terms) {
            return hasTerm(terms, term) ? decode(terms[term]) : new Map();
          });
        })
      );
    }
    return postings.get(key);
  }

  // Docs of every term starting with `prefix`, each with its best weight among them.
  function prefixPostings(meta, prefix) {
    var key = "*" + prefix;
    if (!postings.has(key)) {
      postings.set(
        key,
        meta
          .entries(prefix)
          .then(function (entries) {
            return Promise.all(shardsForPrefix(entries, prefix).map(loadShard));
          })
          .then(function (shards) {
            var out = new Map();
            shards.forEach(function (terms) {
              Object.keys(terms).forEach(function (term) {
                if (term.startsWith(prefix)) {
                  mergeMax(out, decode(terms[term]));
                }
              });
            });
            return out;
          })
      );
    }
    return postings.get(key);
  }

  // Ids follow dates, so a date range is the id range [lo, hi] of the days in it.
  function idRange(meta, from, to) {
    if (!from && !to) {
      return Promise.resolve([0, Infinity]);
    }
    return meta.days().then(function (days) {
      var lo = Infinity;
      var hi = -Infinity;
      days.forEach(function (d) {
        if ((!from || d[0] >= from) && (!to || d[0] <= to)) {
          lo = Math.min(lo, d[1]);
          hi = Math.max(hi, d[2]);
        }
      });
      return [lo, Math.min(hi, meta.docs - 1)];
    });
  }

  /* ---------------------------------------------------------------- */
  /* Ranking                                                           */
  /* ---------------------------------------------------------------- */

  // All matching docs as [{id, score}], best first, newest first among equals.
  // A doc by the author the words name (query.phrase) comes before docs merely holding them.
  function rank(meta, query, state) {
    var words = query.words;
    var phrase = query.phrase ? termPostings(meta, "@" + query.phrase) : null;
    var lists = Promise.all(
      words.map(function (w) {
        return w.prefix ? prefixPostings(meta, w.term) : termPostings(meta, w.term);
      })
    );
    var tag = state.tag ? termPostings(meta, "#" + state.tag) : null;
    var author = state.authorSlug ? prefixPostings(meta, "@" + state.authorSlug) : null;
    return Promise.all([lists, tag, author, idRange(meta, state.from, state.to), phrase]).then(function (loaded) {
      var wordMaps = loaded[0];
      var byAuthor = loaded[4] || new Map();
      var filters = [loaded[1], loaded[2]].filter(Boolean);
      var range = loaded[3];
      var out = [];
      var bySize = function (a, b) {
        return a.size - b.size;
      };
      var passesFilters = function (id) {
        return (
          id >= range[0] &&
          id <= range[1] &&
          filters.every(function (f) {
            return f.has(id);
          })
        );
      };

      if (wordMaps.length > 0) {
        // Walk the shortest list; every other word must be in the doc too (AND).
        var sorted = wordMaps.slice().sort(bySize);
        sorted[0].forEach(function (weight, id) {
          var score = weight;
          for (var i = 1; i < sorted.length; i++) {
            var w = sorted[i].get(id);
            if (w === undefined) {
              return;
            }
            score += w;
          }
          if (passesFilters(id)) {
            out.push({ id: id, score: score + (byAuthor.has(id) ? PHRASE_BONUS : 0) });
          }
        });
      } else if (filters.length > 0) {
        filters.sort(bySize)[0].forEach(function (_, id) {
          if (passesFilters(id)) {
            out.push({ id: id, score: 0 });
          }
        });
      } else {
        // Only a date range: every doc in it.
        for (var id = Math.max(0, range[0]); id <= range[1]; id++) {
          out.push({ id: id, score: 0 });
        }
      }

      // Ids follow dates: "date" is newest first, relevance breaks ties by date too.
      out.sort(
        state.sort === "date"
          ? function (a, b) {
              return b.id - a.id;
            }
          : function (a, b) {
              return b.score - a.score || b.id - a.id;
            }
      );
      return out;
    });
  }

  function str(value) {
    return typeof value === "string" ? value : value == null ? "" : String(value);
  }

  // The [title, path, date, authors, text] of each ranked doc (null when missing).
  function loadDocs(meta, top) {
    var shardNumbers = Array.from(
      new Set(
        top.map(function (r) {
          return Math.floor(r.id / meta.perShard);
        })
      )
    );
    return Promise.all(
      shardNumbers.map(function (n) {
        return fetchJson(BASE + "search/docs/" + n + ".json");
      })
    ).then(function (shards) {
      var byNumber = new Map();
      shardNumbers.forEach(function (n, i) {
        byNumber.set(n, shards[i]);
      });
      return top.map(function (r) {
        var shard = byNumber.get(Math.floor(r.id / meta.perShard));
        var doc = Array.isArray(shard) ? shard[r.id % meta.perShard] : null;
        if (!Array.isArray(doc)) {
          return null;
        }
        return {
          title: str(doc[0]),
          path: str(doc[1]),
          date: str(doc[2]),
          authors: str(doc[3]),
          text: str(doc[4]),
          arxiv: str(doc[5]),
          pdf: str(doc[6]),
          slug: str(doc[7]),
        };
      });
    });
  }

  /* ---------------------------------------------------------------- */
  /* Rendering (DOM only: titles are data, never markup)               */
  /* ---------------------------------------------------------------- */

  // matches(run) → whether a word of the displayed run matches; marks(run) → for a run
  // holding CJK text, which of its characters to mark (the characters of matching bigrams).
  function makeMatcher(words) {
    var exact = new Set();
    var prefixes = [];
    words.forEach(function (w) {
      if (w.prefix) {
        prefixes.push(w.term);
      } else {
        exact.add(w.term);
      }
    });
    var hit = function (t) {
      return (
        exact.has(t) ||
        prefixes.some(function (p) {
          return t.startsWith(p);
        })
      );
    };
    var matches = function (run) {
      return rawTokens(run).some(hit);
    };
    matches.cjkMarks = function (run) {
      var points = Array.from(run);
      var folded = points.map(function (c) {
        return isCjk(c) ? fold(c) : null;
      });
      var marked = points.map(function () {
        return false;
      });
      for (var i = 0; i < points.length; i++) {
        if (folded[i] === null) {
          continue;
        }
        var next = i + 1 < points.length ? folded[i + 1] : null;
        var alone = next === null && (i === 0 || folded[i - 1] === null);
        if (next !== null && hit(folded[i] + next)) {
          marked[i] = marked[i + 1] = true;
        } else if (alone && hit(folded[i])) {
          marked[i] = true;
        }
      }
      return { points: points, marked: marked };
    };
    return matches;
  }

  // Appends a run holding CJK text: its matching characters marked, its other words marked
  // whole when they match.
  function appendCjkRun(parent, run, matches) {
    var m = matches.cjkMarks(run);
    var plain = "";
    var marked = "";
    var flush = function () {
      segments(plain).forEach(function (seg) {
        if (seg.cjk) {
          parent.appendChild(document.createTextNode(seg.text));
        } else {
          appendHighlighted(parent, seg.text, matches); // holds no CJK: marked whole
        }
      });
      if (marked) {
        var mark = document.createElement("mark");
        mark.textContent = marked;
        parent.appendChild(mark);
      }
      plain = marked = "";
    };
    m.points.forEach(function (c, i) {
      if (m.marked[i]) {
        if (plain) {
          flush();
        }
        marked += c;
      } else {
        if (marked) {
          flush();
        }
        plain += c;
      }
    });
    flush();
  }

  function hasCjk(run) {
    for (var c of run) {
      if (isCjk(c)) {
        return true;
      }
    }
    return false;
  }

  // Appends `text` to `parent` with every matching word wrapped in <mark>.
  function appendHighlighted(parent, text, matches) {
    var last = 0;
    var re = new RegExp(RE_RUN.source, RE_RUN.flags); // own lastIndex
    var m;
    while ((m = re.exec(text)) !== null) {
      var cjk = hasCjk(m[0]);
      if (cjk || matches(m[0])) {
        if (m.index > last) {
          parent.appendChild(document.createTextNode(text.slice(last, m.index)));
        }
        if (cjk) {
          appendCjkRun(parent, m[0], matches);
        } else {
          var mark = document.createElement("mark");
          mark.textContent = m[0];
          parent.appendChild(mark);
        }
        last = m.index + m[0].length;
      }
    }
    if (last < text.length) {
      parent.appendChild(document.createTextNode(text.slice(last)));
    }
  }

  // Authors "A, B, C": a name matching the author filter (by any part) is marked whole, query words
  // inside the others.
  function appendAuthors(parent, authors, matches, authorSlug) {
    if (!authorSlug) {
      appendHighlighted(parent, authors, matches);
      return;
    }
    authors.split(/(,\s*)/).forEach(function (part, i) {
      if (i % 2 === 1) {
        parent.appendChild(document.createTextNode(part)); // the separator
      } else if (("-" + slugify(part)).indexOf("-" + authorSlug) >= 0) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else {
        appendHighlighted(parent, part, matches);
      }
    });
  }

  // The part of `text` to show: all of it, or when the first matching word is far in, from
  // a word start a little before it, with an ellipsis.
  function snippet(text, matches) {
    var re = new RegExp(RE_RUN.source, RE_RUN.flags);
    var m;
    while ((m = re.exec(text)) !== null) {
      if (matches(m[0])) {
        break;
      }
    }
    if (m === null || m.index <= SNIPPET_LEAD * 1.5) {
      return text;
    }
    var from = text.lastIndexOf(" ", m.index - SNIPPET_LEAD);
    return "\u2026" + text.slice(from < 0 ? m.index - SNIPPET_LEAD : from + 1);
  }

  function statusLine(text) {
    var p = document.createElement("p");
    p.className = "search-status";
    p.textContent = text;
    return p;
  }

  function show(nodes) {
    results.textContent = "";
    nodes.forEach(function (node) {
      results.appendChild(node);
    });
  }

  function echo(q) {
    var points = Array.from(q.trim());
    return points.length > MAX_ECHO ? points.slice(0, MAX_ECHO).join("") + "…" : points.join("");
  }

  // One result: its title (a link), date, authors, its arXiv and PDF links and a Save
  // button (as a day's rows have them), and a snippet of its text; words of the query are
  // marked. Built from text nodes only: the data is never markup.
  function resultItem(doc, matches, state) {
    var li = document.createElement("li");
    li.className = "search-result";
    var article = document.createElement("article"); // what saved.js reads the paper from
    li.appendChild(article);

    var heading = document.createElement("h2");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    // BASE is an absolute path, so the href stays on this site whatever `path` holds.
    link.href = BASE + doc.path.replace(/^\/+/, "");
    appendHighlighted(link, doc.title || doc.path, matches);
    heading.appendChild(link);
    article.appendChild(heading);

    var meta = document.createElement("div");
    meta.className = "search-meta teaser-line";
    var byline = document.createElement("span");
    byline.className = "byline";
    var time = document.createElement("time");
    if (/^\d{4}-\d{2}-\d{2}$/.test(doc.date)) {
      time.dateTime = doc.date;
    }
    time.textContent = doc.date;
    byline.appendChild(time);
    if (doc.authors) {
      byline.appendChild(document.createTextNode(" \u00b7 "));
      appendAuthors(byline, doc.authors, matches, state.authorSlug);
    }
    meta.appendChild(byline);
    meta.appendChild(resultLinks(doc));
    article.appendChild(meta);

    if (doc.text) {
      var text = document.createElement("p");
      text.className = "search-snippet";
      appendHighlighted(text, snippet(doc.text, matches), matches);
      article.appendChild(text);
    }
    var save = li.querySelector("button.save");
    if (save) {
      window.papershelfSaved.attach(save); // in its article: saved.js reads the title there
    }
    return li;
  }

  // The arXiv and PDF links (https only) and the Save button of a result.
  function resultLinks(doc) {
    var links = document.createElement("span");
    links.className = "teaser-links";
    [
      ["arXiv", doc.arxiv],
      ["PDF", doc.pdf],
    ].forEach(function (l) {
      if (/^https:\/\//.test(l[1])) {
        var a = document.createElement("a");
        a.className = "teaser-link";
        a.href = l[1];
        a.textContent = l[0];
        links.appendChild(a);
      }
    });
    if (doc.slug && window.papershelfSaved) {
      var save = document.createElement("button");
      save.type = "button";
      save.className = "save";
      save.hidden = true;
      save.setAttribute("aria-pressed", "false");
      save.dataset.key = doc.slug;
      save.textContent = "Save";
      links.appendChild(save);
    }
    return links;
  }

  /* Misspellings: the nearest indexed terms, from the shards a query already loads      */

  // The edit distance of a and b (insertions, deletions, substitutions, swaps of two
  // neighbours), or max + 1 once it is over max.
  function distance(a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) {
      return max + 1;
    }
    var rows = [[], []];
    var prev2 = [];
    for (var j = 0; j <= b.length; j++) {
      rows[0][j] = j;
    }
    for (var i = 1; i <= a.length; i++) {
      var prev = rows[(i - 1) % 2];
      var cur = rows[i % 2];
      cur[0] = i;
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        cur[j] = d;
        best = Math.min(best, d);
      }
      prev2 = prev.slice();
      if (best > max) {
        return max + 1;
      }
    }
    return rows[a.length % 2][b.length];
  }

  // For the query words that find nothing, the indexed terms nearest them (at most two
  // edits), most used first: read from the shards under the word's first three characters,
  // which the query itself has mostly loaded (each file is fetched once per page).
  function suggestions(meta, words) {
    var wanted = words.filter(function (w) {
      return !w.cjk && codePointLength(w.term) >= 4;
    });
    return Promise.all(
      wanted.map(function (w) {
        var head = Array.from(w.term).slice(0, 3).join("");
        return meta
          .entries(head)
          .then(function (entries) {
            return Promise.all(shardsForPrefix(entries, head).map(loadShard));
          })
          .then(function (shards) {
            var found = [];
            shards.forEach(function (terms) {
              Object.keys(terms).forEach(function (t) {
                var d = distance(w.term, t, 2);
                if (d <= 2 && t !== w.term && Array.isArray(terms[t])) {
                  found.push({ term: t, d: d, n: terms[t].length });
                }
              });
            });
            found.sort(function (a, b) {
              return a.d - b.d || b.n - a.n || (a.term < b.term ? -1 : 1);
            });
            return found.slice(0, MAX_SUGGEST).map(function (f) {
              return f.term;
            });
          });
      })
    ).then(function (lists) {
      return [].concat.apply([], lists).slice(0, MAX_SUGGEST);
    });
  }

  // "Did you mean: diffusion, …": each term a button that searches for it instead.
  function suggestionLine(terms) {
    var p = document.createElement("p");
    p.className = "search-suggest";
    p.appendChild(document.createTextNode("Did you mean: "));
    terms.forEach(function (t, i) {
      if (i > 0) {
        p.appendChild(document.createTextNode(", "));
      }
      var b = document.createElement("button");
      b.type = "button";
      b.className = "search-suggestion";
      b.textContent = t;
      b.addEventListener("click", function () {
        input.value = t;
        run();
      });
      p.appendChild(b);
    });
    p.appendChild(document.createTextNode("?"));
    return p;
  }

  // The count, the first page of results, and a "Show more" button that adds the next page
  // (loading its docs) until every match is shown.
  function renderResults(ranked, docs, state, query, mine) {
    var total = ranked.length;
    var forQuery = query.words.length > 0 ? " for \u201c" + echo(state.q) + "\u201d" : "";
    if (total === 0) {
      var none = statusLine("No results" + forQuery);
      show([none]);
      loadMeta()
        .then(function (meta) {
          return suggestions(meta, query.words);
        })
        .then(function (terms) {
          if (mine === generation && terms.length > 0) {
            results.appendChild(suggestionLine(terms));
          }
        })
        .catch(function () {});
      return;
    }
    var status = statusLine("");
    var matches = makeMatcher(query.words);
    var list = document.createElement("ol");
    list.className = "search-results";
    var shown = 0;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    var update = function () {
      var word = total === 1 ? " result" : " results";
      status.textContent =
        total + word + forQuery + (shown < total ? " \u00b7 showing " + shown : "") +
        (state.sort === "date" ? " \u00b7 newest first" : "");
      more.hidden = shown >= total;
      more.textContent = "Show " + Math.min(PAGE_SIZE, total - shown) + " more";
    };
    var append = function (page) {
      page.forEach(function (doc) {
        if (doc) {
          list.appendChild(resultItem(doc, matches, state));
        }
      });
      shown += page.length;
      update();
    };
    more.addEventListener("click", function () {
      more.disabled = true;
      loadMeta()
        .then(function (meta) {
          return loadDocs(meta, ranked.slice(shown, shown + PAGE_SIZE));
        })
        .then(function (page) {
          if (mine === generation) {
            var first = list.children.length;
            append(page);
            // Keyboard users go on from the first new result.
            var next = list.children[first] && list.children[first].querySelector("a");
            if (next) {
              next.focus();
            }
          }
        })
        .catch(function () {
          status.textContent = "More results could not be loaded";
        })
        .then(function () {
          more.disabled = false;
        });
    });
    append(docs);
    show([status, list, more]);
  }

  /* ---------------------------------------------------------------- */
  /* Running                                                           */
  /* ---------------------------------------------------------------- */

  var generation = 0; // only the newest search may render
  var lastKey = null;
  var timer = 0;

  function run() {
    var state;
    try {
      state = readForm();
      var key = [state.q, state.tag, state.author, state.from, state.to, state.sort].join("\u0000");
      if (key === lastKey) {
        return; // "change" after "input", or a submit of what is already shown
      }
      lastKey = key;
      updateUrl(state);
    } catch (e) {
      show([statusLine("No results")]);
      return;
    }
    var mine = ++generation; // any search still loading will not render
    results.removeAttribute("aria-busy");
    if (state.q.trim() === "" && !state.tag && state.author.trim() === "" && !state.from && !state.to) {
      show([]);
      return;
    }
    if (!supported) {
      show([statusLine("Search is not supported by this browser")]);
      return;
    }
    results.setAttribute("aria-busy", "true");
    loadMeta()
      .then(function (meta) {
        return mine === generation ? search(meta, state, mine) : null;
      })
      .catch(function () {
        if (mine === generation) {
          show([statusLine("Search index could not be loaded")]);
        }
      })
      .then(function () {
        if (mine === generation) {
          results.removeAttribute("aria-busy");
        }
      });
  }

  // With the contract loaded: the query's terms, then the ranked results.
  function search(meta, state, mine) {
    state.authorSlug = slugify(state.author);
    var query = parseQuery(state.q);
    var hasFilters = Boolean(state.tag || state.authorSlug || state.from || state.to);
    if (query.words.length === 0 && !hasFilters) {
      show([statusLine(query.tooShort ? "Type at least " + MIN_TERM + " characters" : "No results")]);
      return null;
    }
    return rank(meta, query, state).then(function (ranked) {
      return loadDocs(meta, ranked.slice(0, PAGE_SIZE)).then(function (docs) {
        if (mine === generation) {
          renderResults(ranked, docs, state, query, mine);
        }
      });
    });
  }

  // For tests and the curious: the folding this page applies, once the contract is loaded.
  window.papershelfSearch = {
    fold: function (text) {
      return loadMeta().then(function () {
        return fold(text);
      });
    },
  };

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  // Fill the form from the address so shared searches open ready.
  function fillFromUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var tag = params.get("tag") || "";
    if (tagSelect && tag) {
      tagSelect.value = tag;
      if (tagSelect.value !== tag) {
        tagSelect.value = ""; // unknown tag: back to "Any tag"
      }
    }
    if (authorInput) {
      authorInput.value = params.get("author") || "";
    }
    // Date inputs drop values that are not dates; readForm checks again for old browsers.
    if (fromInput) {
      fromInput.value = params.get("from") || "";
    }
    if (toInput) {
      toInput.value = params.get("to") || "";
    }
    if (sortSelect) {
      sortSelect.value = params.get("sort") === "date" ? "date" : "";
    }
  }

  // On a narrow screen the filters fold behind their summary (so that results start high on
  // the screen), unless the address sets one.
  function foldFilters() {
    var box = document.getElementById("search-options");
    if (!box || !window.matchMedia || !window.matchMedia("(max-width: 40rem)").matches) {
      return;
    }
    var state = readForm();
    if (!state.tag && state.author.trim() === "" && !state.from && !state.to && !state.sort) {
      box.open = false;
    }
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // search in place
    clearTimeout(timer);
    run();
  });
  // Start loading meta.json as soon as the user shows intent.
  input.addEventListener(
    "focus",
    function () {
      if (supported) {
        loadMeta().catch(function () {});
      }
    },
    { once: true }
  );

  try {
    fillFromUrl();
  } catch (e) {
    // A malformed address must not stop the page.
  }
  foldFilters();
  run();
})();
