/* papershelf default theme: the search page (loaded by search.html as a module). No
 * dependencies, no requests to other hosts. fold.js makes terms as the build does,
 * index.js reads the index, rank.js orders what it finds; this module reads the form and
 * shows the results (DOM only: titles are data, never markup). */

import { RE, fold, isCjk, parseQuery, rawTokens, segments, slugify } from "./fold.js";
import { createIndex } from "./index.js";

const form = document.getElementById("search-form");
const results = document.getElementById("search-results");
const input = document.getElementById("search-input");
const tagSelect = document.getElementById("search-tag");
const authorInput = document.getElementById("search-author");
const fromInput = document.getElementById("search-from");
const toInput = document.getElementById("search-to");
const sortSelect = document.getElementById("search-sort");

// Results shown at first, and added by each "Show more": each result may need a docs file of
// its own (~8 KB at 100,000 papers), so 10 keep a query of six common words under 300 KB.
const PAGE_SIZE = 10;
const SNIPPET_LEAD = 60; // characters kept before the first match when the text is cut
const DEBOUNCE_MS = 120;
const MAX_ECHO = 80; // characters of the query repeated in the status line

let base = (form && form.dataset.base) || "/";
if (base.charAt(base.length - 1) !== "/") {
  base += "/";
}
const index = createIndex(base);
const supported =
  RE !== null &&
  typeof window.fetch === "function" &&
  typeof window.DecompressionStream === "function" &&
  typeof String.prototype.normalize === "function";
let C = null; // the folding contract, once meta.json is loaded

function loadMeta() {
  return index.loadMeta().then((meta) => {
    C = meta.contract;
    return meta;
  });
}

/* ---- the form and the address ---- */

function dateValue(el) {
  const v = el ? String(el.value).trim() : "";
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "";
}

function readForm() {
  return {
    q: String(input.value),
    tag: tagSelect ? String(tagSelect.value) : "",
    author: authorInput ? String(authorInput.value) : "",
    authorSlug: "", // made once the folding contract is loaded (see search)
    // "Ann Lee" in quotes (as an author link of the site writes it): that name whole, nobody
    // else's; unquoted, any author with a part of the name starting so ("lee" finds Lee Chan).
    authorExact: authorInput ? /^\s*".*"\s*$/.test(String(authorInput.value)) : false,
    from: dateValue(fromInput),
    to: dateValue(toInput),
    sort: sortSelect && sortSelect.value === "date" ? "date" : "",
  };
}

// Puts the state in the address bar (empty fields left out) so a search can be shared.
function updateUrl(state) {
  const params = new URLSearchParams();
  const fields = [
    ["q", state.q.trim() !== "" ? state.q : ""],
    ["tag", state.tag],
    ["author", state.author.trim()],
    ["from", state.from],
    ["to", state.to],
    ["sort", state.sort],
  ];
  fields.forEach(([k, v]) => v && params.set(k, v));
  const qs = params.toString();
  const url = location.pathname + (qs ? "?" + qs : "") + location.hash;
  if (url === location.pathname + location.search + location.hash) {
    return;
  }
  try {
    history.replaceState(history.state, "", url);
  } catch (e) {
    // Safari throttles replaceState and file:// may refuse it; the search still works.
  }
}

// Fill the form from the address so shared searches open ready.
function fillFromUrl() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  const tag = params.get("tag") || "";
  if (tagSelect && tag) {
    tagSelect.value = tag;
    if (tagSelect.value !== tag) {
      tagSelect.value = ""; // unknown tag: back to "Any tag"
    }
  }
  if (authorInput) {
    // "by" (the site's links to an author without a page): that whole name, quoted.
    const by = (params.get("by") || "").trim();
    authorInput.value = by ? "\"" + by + "\"" : params.get("author") || "";
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
  const box = document.getElementById("search-options");
  if (!box || !window.matchMedia || !window.matchMedia("(max-width: 40rem)").matches) {
    return;
  }
  const state = readForm();
  if (!state.tag && state.author.trim() === "" && !state.from && !state.to && !state.sort) {
    box.open = false;
  }
}

/* ---- highlighting ---- */

// matches(run) → whether a word of the displayed run matches; matches.cjkMarks(run) → which
// characters of a run holding CJK text to mark (those of matching bigrams).
function makeMatcher(words) {
  const exact = new Set(words.filter((w) => !w.prefix).map((w) => w.term));
  const prefixes = words.filter((w) => w.prefix).map((w) => w.term);
  const hit = (t) => exact.has(t) || prefixes.some((p) => t.startsWith(p));
  const matches = (run) => rawTokens(C, run).some(hit);
  matches.cjkMarks = (run) => {
    const points = Array.from(run);
    const folded = points.map((ch) => (isCjk(C, ch) ? fold(C, ch) : null));
    const marked = points.map(() => false);
    for (let i = 0; i < points.length; i++) {
      if (folded[i] === null) {
        continue;
      }
      const next = i + 1 < points.length ? folded[i + 1] : null;
      const alone = next === null && (i === 0 || folded[i - 1] === null);
      if (next !== null && hit(folded[i] + next)) {
        marked[i] = marked[i + 1] = true;
      } else if (alone && hit(folded[i])) {
        marked[i] = true;
      }
    }
    return { points, marked };
  };
  return matches;
}

function markNode(text) {
  const mark = document.createElement("mark");
  mark.textContent = text;
  return mark;
}

// Appends a run holding CJK text: its matching characters marked, its other words marked
// whole when they match.
function appendCjkRun(parent, run, matches) {
  const m = matches.cjkMarks(run);
  let plain = "";
  let marked = "";
  const flush = () => {
    segments(C, plain).forEach((seg) => {
      if (seg.cjk) {
        parent.appendChild(document.createTextNode(seg.text));
      } else {
        appendHighlighted(parent, seg.text, matches); // holds no CJK: marked whole
      }
    });
    if (marked) {
      parent.appendChild(markNode(marked));
    }
    plain = marked = "";
  };
  m.points.forEach((ch, i) => {
    if (m.marked[i]) {
      if (plain) {
        flush();
      }
      marked += ch;
    } else {
      if (marked) {
        flush();
      }
      plain += ch;
    }
  });
  flush();
}

// Appends `text` to `parent` with every matching word (or CJK match) wrapped in <mark>.
function appendHighlighted(parent, text, matches) {
  let last = 0;
  const re = new RegExp(RE.run.source, RE.run.flags); // own lastIndex
  let m;
  while ((m = re.exec(text)) !== null) {
    const cjk = Array.from(m[0]).some((ch) => isCjk(C, ch));
    if (cjk || matches(m[0])) {
      if (m.index > last) {
        parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      }
      if (cjk) {
        appendCjkRun(parent, m[0], matches);
      } else {
        parent.appendChild(markNode(m[0]));
      }
      last = m.index + m[0].length;
    }
  }
  if (last < text.length) {
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
}

// A path of the index (a page, a .bib, an author link) as a link on this site: base (an
// absolute path) and the path without the slashes, backslashes and spaces it may start with,
// so that it can never make "//host" (a browser reads "\\" as "/" and drops tabs).
function sitePath(path) {
  return base + String(path).replace(/^[\\/\s]+/, "");
}

// Authors "A, B, C", and "…" when `more` are not named, each a link as the site's bylines
// have it (`links`, the build's, one per name: the author's page, or the search by that
// name). A name matching the author filter (the whole name when `exact`, else by any part)
// is marked whole, query words inside the others.
function appendAuthors(parent, authors, links, more, matches, authorSlug, exact) {
  authors.forEach((part, i) => {
    if (i > 0) {
      parent.appendChild(document.createTextNode(", "));
    }
    const link = document.createElement(links[i] ? "a" : "span");
    if (links[i]) {
      link.href = sitePath(links[i]);
    }
    const slug = authorSlug ? slugify(C, part) : "";
    if (authorSlug && (exact ? slug === authorSlug : ("-" + slug).indexOf("-" + authorSlug) >= 0)) {
      link.appendChild(markNode(part));
    } else {
      appendHighlighted(link, part, matches);
    }
    parent.appendChild(link);
  });
  if (more > 0) {
    parent.appendChild(document.createTextNode(", \u2026"));
  }
}

// The part of `text` to show: all of it, or when the first matching word is far in, from a
// word start a little before it, with an ellipsis.
function snippet(text, matches) {
  const re = new RegExp(RE.run.source, RE.run.flags);
  let m;
  while ((m = re.exec(text)) !== null) {
    if (matches(m[0])) {
      break;
    }
  }
  if (m === null || m.index <= SNIPPET_LEAD * 1.5) {
    return text;
  }
  const from = text.lastIndexOf(" ", m.index - SNIPPET_LEAD);
  return "\u2026" + text.slice(from < 0 ? m.index - SNIPPET_LEAD : from + 1);
}

/* ---- results ---- */

function statusLine(text) {
  const p = document.createElement("p");
  p.className = "search-status";
  p.textContent = text;
  return p;
}

function show(nodes) {
  results.textContent = "";
  nodes.forEach((node) => results.appendChild(node));
}

function echo(q) {
  const points = Array.from(q.trim());
  return points.length > MAX_ECHO ? points.slice(0, MAX_ECHO).join("") + "…" : points.join("");
}

// One result: its title (a link), date, authors, its arXiv and PDF links and a Save button
// (as a day's rows have them), and a snippet of its text; words of the query are marked.
function resultItem(doc, matches, state) {
  const li = document.createElement("li");
  li.className = "search-result";
  const article = document.createElement("article"); // what saved.js reads the paper from
  li.appendChild(article);

  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  const link = document.createElement("a");
  // base is an absolute path, so the href stays on this site whatever `path` holds.
  link.href = sitePath(doc.path);
  appendHighlighted(link, doc.title || doc.path, matches);
  heading.appendChild(link);
  article.appendChild(heading);

  const meta = document.createElement("div");
  meta.className = "search-meta teaser-line";
  const byline = document.createElement("span");
  byline.className = "byline";
  const time = document.createElement("time");
  if (/^\d{4}-\d{2}-\d{2}$/.test(doc.date)) {
    time.dateTime = doc.date;
  }
  time.textContent = doc.date;
  byline.appendChild(time);
  if (doc.authors.length > 0) {
    byline.appendChild(document.createTextNode(" \u00b7 "));
    appendAuthors(byline, doc.authors, doc.links, doc.more, matches, state.authorSlug, state.authorExact);
  }
  meta.appendChild(byline);
  meta.appendChild(resultLinks(doc));
  article.appendChild(meta);

  if (doc.text) {
    const text = document.createElement("p");
    text.className = "search-snippet";
    appendHighlighted(text, snippet(doc.text, matches), matches);
    article.appendChild(text);
  }
  const save = li.querySelector("button.save");
  if (save) {
    window.papershelfSaved.attach(save); // in its article: saved.js reads the title there
  }
  return li;
}

// The arXiv and PDF links (https only) and the Save button of a result.
function resultLinks(doc) {
  const links = document.createElement("span");
  links.className = "teaser-links";
  [
    ["arXiv", doc.arxiv],
    ["PDF", doc.pdf],
  ].forEach(([label, url]) => {
    if (/^https:\/\//.test(url)) {
      const a = document.createElement("a");
      a.href = url;
      a.textContent = label;
      links.appendChild(a);
    }
  });
  if (doc.slug && window.papershelfSaved) {
    const save = document.createElement("button");
    save.type = "button";
    save.className = "save";
    save.hidden = true;
    save.setAttribute("aria-pressed", "false");
    save.dataset.key = doc.slug;
    // The page and its .bib, as the build's buttons carry them (saved.js makes no URL).
    save.dataset.url = sitePath(doc.path);
    if (doc.bib) {
      save.dataset.bib = sitePath(doc.bib);
    }
    save.textContent = "Save";
    links.appendChild(save);
  }
  return links;
}

// "Did you mean: diffusion, …": each term a button that searches for it instead.
function suggestionLine(terms) {
  const p = document.createElement("p");
  p.className = "search-suggest";
  p.appendChild(document.createTextNode("Did you mean: "));
  terms.forEach((t, i) => {
    if (i > 0) {
      p.appendChild(document.createTextNode(", "));
    }
    const b = document.createElement("button");
    b.type = "button";
    b.className = "search-suggestion";
    b.textContent = t;
    b.addEventListener("click", () => {
      input.value = t;
      run();
    });
    p.appendChild(b);
  });
  p.appendChild(document.createTextNode("?"));
  return p;
}

// No results: says so, then suggests the nearest indexed terms.
function renderNone(query, forQuery, mine) {
  show([statusLine("No results" + forQuery)]);
  loadMeta()
    .then((meta) => index.suggestions(meta, query.words))
    .then((terms) => {
      if (mine === generation && terms.length > 0) {
        results.appendChild(suggestionLine(terms));
      }
    })
    .catch(() => {});
}

// The count, the first page of results, and a "Show more" button that adds the next page
// (loading its docs) until every match is shown.
function renderResults(ranked, docs, state, query, mine) {
  const total = ranked.length;
  const forQuery =
    (query.words.length > 0 ? " for \u201c" + echo(state.q) + "\u201d" : "") +
    (state.authorExact && state.authorSlug ? " by " + echo(state.author.trim().slice(1, -1)) : "");
  if (total === 0) {
    renderNone(query, forQuery, mine);
    return;
  }
  const status = statusLine("");
  const matches = makeMatcher(query.words);
  const list = document.createElement("ol");
  list.className = "search-results";
  let shown = 0;
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  const update = () => {
    const word = total === 1 ? " result" : " results";
    status.textContent =
      total + word + forQuery + (shown < total ? " \u00b7 showing " + shown : "") +
      (state.sort === "date" ? " \u00b7 newest first" : "");
    more.hidden = shown >= total;
    more.textContent = "Show " + Math.min(PAGE_SIZE, total - shown) + " more";
  };
  const append = (page) => {
    page.forEach((doc) => doc && list.appendChild(resultItem(doc, matches, state)));
    shown += page.length;
    update();
  };
  more.addEventListener("click", () => {
    more.disabled = true;
    loadMeta()
      .then((meta) => index.loadDocs(meta, ranked.slice(shown, shown + PAGE_SIZE)))
      .then((page) => {
        if (mine === generation) {
          const first = list.children.length;
          append(page);
          // Keyboard users go on from the first new result.
          const next = list.children[first] && list.children[first].querySelector("a");
          if (next) {
            next.focus();
          }
        }
      })
      .catch(() => {
        status.textContent = "More results could not be loaded";
      })
      .then(() => {
        more.disabled = false;
      });
  });
  append(docs);
  show([status, list, more]);
}

/* ---- running ---- */

let generation = 0; // only the newest search may render
let lastKey = null;
let timer = 0;

function run() {
  let state;
  try {
    state = readForm();
    const key = [state.q, state.tag, state.author, state.from, state.to, state.sort].join("\u0000");
    if (key === lastKey) {
      return; // "change" after "input", or a submit of what is already shown
    }
    lastKey = key;
    updateUrl(state);
  } catch (e) {
    show([statusLine("No results")]);
    return;
  }
  const mine = ++generation; // any search still loading will not render
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
    .then((meta) => (mine === generation ? search(meta, state, mine) : null))
    .catch(() => {
      if (mine === generation) {
        show([statusLine("Search index could not be loaded")]);
      }
    })
    .then(() => {
      if (mine === generation) {
        results.removeAttribute("aria-busy");
      }
    });
}

// With the contract loaded: the query's terms, then the ranked results.
function search(meta, state, mine) {
  state.authorSlug = slugify(C, state.author);
  const query = parseQuery(C, state.q);
  const hasFilters = Boolean(state.tag || state.authorSlug || state.from || state.to);
  if (query.words.length === 0 && !hasFilters) {
    show([statusLine(query.tooShort ? "Type at least " + C.minTerm + " characters" : "No results")]);
    return null;
  }
  return index.rank(meta, query, state).then((ranked) =>
    index.loadDocs(meta, ranked.slice(0, PAGE_SIZE)).then((docs) => {
      if (mine === generation) {
        renderResults(ranked, docs, state, query, mine);
      }
    })
  );
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, DEBOUNCE_MS);
}

if (form && results && input) {
  // For tests and the curious: the folding this page applies, once the contract is loaded.
  window.papershelfSearch = { fold: (text) => loadMeta().then(() => fold(C, text)) };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // search in place
    clearTimeout(timer);
    run();
  });
  // Start loading meta.json as soon as the user shows intent.
  input.addEventListener("focus", () => supported && loadMeta().catch(() => {}), { once: true });
  try {
    fillFromUrl();
  } catch (e) {
    // A malformed address must not stop the page.
  }
  foldFilters();
  run();
}
