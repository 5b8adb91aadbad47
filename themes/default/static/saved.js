/* papershelf default theme: papers saved in this browser. No account, no server, no
 * dependencies: the list is kept in localStorage, under a key named after the site's base
 * path (sites sharing an origin keep separate lists).
 *
 * Save buttons: <button class="save" hidden data-key=SLUG data-url=PAGE data-bib=FILE> inside
 * the paper's <article> (in teaser.html and paper.html) are shown, named after the paper's
 * title, and toggle the paper; aria-pressed says whether it is saved. The page URL and the
 * .bib file come from the build: this script makes no URL and no BibTeX of its own.
 *
 * The /saved/ page (#saved, data-paper-url: the build's paper URL with {slug}) lists the saved
 * papers with a remove button each, downloads them as one .bib (each paper's own .bib file,
 * fetched from the site, keys made unique with a, b, …; a paper whose file cannot be fetched
 * is named in the status line), and copies a link (/saved/#ids=slug,slug) that shows the same
 * papers on another device, read from their pages, with a button to save them there.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = (script && script.getAttribute("data-base")) || "/";
  var STORE = "papershelf:saved:" + base;
  var SLUG = /^[a-z0-9_-][a-z0-9._-]{0,199}$/;

  function valid(item) {
    return item && typeof item.key === "string" && SLUG.test(item.key) && typeof item.url === "string";
  }

  function load() {
    try {
      var list = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(list) ? list.filter(valid) : [];
    } catch (e) {
      return [];
    }
  }

  function store(list) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(list));
      return true;
    } catch (e) {
      return false;
    }
  }

  function find(list, key) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].key === key) {
        return i;
      }
    }
    return -1;
  }

  // A site-relative path, or nothing: what the page data may link to. Tabs and line breaks
  // go first (a browser drops them), then "//host" and "/\\host" (read as "//host") are not
  // paths of this site.
  function localUrl(url) {
    if (typeof url !== "string") {
      return "";
    }
    var path = url.replace(/[\t\n\r]/g, "");
    return path.charAt(0) === "/" && path.charAt(1) !== "/" && path.charAt(1) !== "\\" ? path : "";
  }

  // A save button carries the paper's slug, page and .bib file as the build wrote them; the
  // rest is read from the paper's article (its heading; the date and arXiv link of its header
  // or list line, not of its text: the latest date it is listed on, as lists show it).
  function fromData(el) {
    var key = el.dataset.key;
    var article = el.closest("article") || el.ownerDocument;
    var heading = article.querySelector("h1, h2");
    var times = article.querySelectorAll(".page-header time[datetime], .teaser-line time[datetime]");
    var time = times.length ? times[times.length - 1] : null;
    var abs = article.querySelector(
      '.page-header a[href^="https://arxiv.org/abs/"], .teaser-links a[href^="https://arxiv.org/abs/"]'
    );
    var pdf = article.querySelector(
      '.page-header a[href^="https://arxiv.org/pdf/"], .teaser-links a[href^="https://arxiv.org/pdf/"]'
    );
    // The byline's first names (a list row's, or a paper page's), and how many more.
    var byline = article.querySelector(".teaser-line .byline, .page-header .byline");
    var names = byline ? Array.prototype.map.call(byline.querySelectorAll("a"), function (a) {
      return a.textContent.trim();
    }) : [];
    var more = byline ? byline.querySelector(".more-authors") : null;
    return {
      authors: names.slice(0, 3).join(", ") +
        (names.length > 3 ? " +" + (names.length - 3) : more ? " +" + parseInt(more.textContent.slice(1), 10) : ""),
      key: key,
      title: heading ? heading.textContent.trim() : key,
      url: localUrl(el.dataset.url),
      date: time ? time.getAttribute("datetime") : "",
      bib: localUrl(el.dataset.bib),
      arxiv: abs ? abs.getAttribute("href").slice("https://arxiv.org/abs/".length) : "",
      // The links as the build wrote them: saved.js makes no URL of its own.
      abs: abs ? abs.getAttribute("href") : "",
      pdf: pdf ? pdf.getAttribute("href") : ""
    };
  }

  /* ---- save buttons ---- */

  // The attached buttons, in order, and as a set (attaching one twice would toggle it twice).
  var buttons = [];
  var attached = typeof WeakSet === "function" ? new WeakSet() : null;

  function syncButton(b, list) {
    var saved = find(list, b.dataset.key) >= 0;
    b.setAttribute("aria-pressed", saved ? "true" : "false");
    b.textContent = saved ? "Saved" : "Save";
    // The accessible name starts with the visible word (WCAG 2.5.3, label in name).
    b.setAttribute("aria-label", b.textContent + ": " + fromData(b).title);
  }

  function syncButtons() {
    var list = load();
    // Search results are replaced as the query changes: forget the buttons they took away.
    buttons = buttons.filter(function (b) {
      return b.isConnected;
    });
    buttons.forEach(function (b) {
      syncButton(b, list);
    });
  }

  function toggle(button) {
    var list = load();
    var at = find(list, button.dataset.key);
    if (at >= 0) {
      list.splice(at, 1);
    } else {
      list.push(fromData(button));
    }
    store(list);
    refresh();
  }

  // Shows button `b` and makes it toggle its paper; `list` is the saved list when the caller
  // has read it (a page's buttons share one read).
  function attach(b, list) {
    if (!SLUG.test(b.dataset.key || "") || (attached ? attached.has(b) : buttons.indexOf(b) >= 0)) {
      return;
    }
    buttons.push(b);
    if (attached) {
      attached.add(b);
    }
    b.hidden = false;
    b.addEventListener("click", function () {
      toggle(b);
    });
    // This button only: syncing every button per attach made a page of N papers cost N².
    syncButton(b, list || load());
  }

  var initial = load();
  Array.prototype.forEach.call(document.querySelectorAll("button.save[data-key]"), function (b) {
    attach(b, initial);
  });
  // Buttons made later (search results) are attached by their script.
  window.papershelfSaved = { attach: attach };

  /* ---- the saved page ---- */

  var root = document.getElementById("saved");
  var status = document.getElementById("saved-status");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function itemElement(item, withRemove) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = item.url || "#";
    link.textContent = item.title;
    li.appendChild(link);
    if (item.date) {
      var time = document.createElement("time");
      time.dateTime = item.date;
      time.textContent = " " + item.date;
      li.appendChild(time);
    }
    if (item.authors) {
      var by = document.createElement("span");
      by.className = "saved-authors";
      by.textContent = item.authors;
      li.appendChild(by);
    }
    var links = document.createElement("span");
    links.className = "saved-links";
    [
      ["arXiv", item.abs],
      ["PDF", item.pdf],
      ["BibTeX", item.bib]
    ].forEach(function (l) {
      if (typeof l[1] === "string" && /^(https:\/\/|\/)/.test(l[1])) {
        var a = document.createElement("a");
        a.href = l[1];
        a.textContent = l[0];
        a.setAttribute("aria-label", l[0] + ": " + item.title);
        links.appendChild(a);
      }
    });
    if (links.childNodes.length) {
      li.appendChild(links);
    }
    if (withRemove) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "saved-remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove: " + item.title);
      remove.addEventListener("click", function () {
        removeSaved(item.key);
      });
      li.appendChild(remove);
    }
    return li;
  }

  function removeSaved(key) {
    var list = load();
    var at = find(list, key);
    if (at < 0) {
      return;
    }
    list.splice(at, 1);
    store(list);
    refresh();
    var removes = root.querySelectorAll("#saved-list .saved-remove");
    var next = removes[Math.min(at, removes.length - 1)];
    (next || document.getElementById("saved-export")).focus();
    say("Removed.");
  }

  function renderSaved() {
    var list = load();
    var ol = document.getElementById("saved-list");
    ol.textContent = "";
    list.forEach(function (item) {
      ol.appendChild(itemElement(item, true));
    });
    document.getElementById("saved-empty").hidden = list.length > 0;
    document.getElementById("saved-export").disabled = list.length === 0;
    document.getElementById("saved-share").disabled = list.length === 0;
  }

  function refresh() {
    syncButtons();
    if (root) {
      renderSaved();
    }
  }

  /* BibTeX export: each paper's own file, keys unique within the download. */

  // The files' entries with keys unique within the download, as cite.rs's `unique_keys`
  // does for a day's file.
  function uniqueKeys(entries) {
    var counts = {};
    var keyOf = function (e) {
      var m = /^@\w+\{([^,\s]*),/.exec(e);
      return m ? m[1] : "";
    };
    entries.forEach(function (e) {
      counts[keyOf(e)] = (counts[keyOf(e)] || 0) + 1;
    });
    var taken = {};
    Object.keys(counts).forEach(function (k) {
      if (counts[k] === 1) {
        taken[k] = true;
      }
    });
    var next = {};
    return entries.map(function (e) {
      var key = keyOf(e);
      if (counts[key] === 1) {
        return e;
      }
      var candidate;
      do {
        var n = next[key] || 0;
        next[key] = n + 1;
        candidate = key + letters(n);
      } while (taken[candidate]);
      taken[candidate] = true;
      return e.replace(/^(@\w+\{)[^,\s]*,/, "$1" + candidate + ",");
    });
  }

  function letters(n) {
    var s = "";
    for (;;) {
      s = String.fromCharCode(97 + (n % 26)) + s;
      if (n < 26) {
        return s;
      }
      n = Math.floor(n / 26) - 1;
    }
  }

  function fetchText(url) {
    return window.fetch(url).then(function (r) {
      if (!r.ok) {
        throw new Error(r.status);
      }
      return r.text();
    });
  }

  function exportBib() {
    var list = load();
    say("Collecting " + list.length + " entries…");
    Promise.all(
      list.map(function (item) {
        var bib = item.bib ? fetchText(item.bib) : Promise.reject(new Error("no file"));
        return bib.then(
          function (text) {
            return text.trim();
          },
          function () {
            return null;
          }
        );
      })
    ).then(function (fetched) {
      var entries = fetched.filter(function (e) {
        return e;
      });
      var missing = list.filter(function (item, i) {
        return !fetched[i];
      });
      var note = missing.length
        ? " Not found on the site (left out): " +
          missing
            .map(function (item) {
              return item.title;
            })
            .join("; ") +
          "."
        : "";
      if (!entries.length) {
        say("No BibTeX file could be read." + note);
        return;
      }
      var text = uniqueKeys(entries).join("\n\n") + "\n";
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "application/x-bibtex" }));
      link.download = "saved-papers.bib";
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      say("Downloaded " + entries.length + " entr" + (entries.length === 1 ? "y" : "ies") + " as saved-papers.bib." + note);
    });
  }

  function share() {
    var keys = load().map(function (item) {
      return item.key;
    });
    var url = window.location.origin + window.location.pathname + "#ids=" + keys.join(",");
    var input = document.getElementById("saved-share-url");
    input.value = url;
    input.hidden = false;
    input.select();
    var done = function () {
      say("Link copied: open it on another device to see these papers.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () {
        say("Copy the link above.");
      });
    } else {
      say("Copy the link above.");
    }
  }

  /* A shared link: #ids=slug,slug — each paper read from its own page's save button. */

  function sharedKeys() {
    var m = /(?:^#|&)ids=([^&]*)/.exec(window.location.hash);
    if (!m) {
      return [];
    }
    var list;
    try {
      list = decodeURIComponent(m[1]);
    } catch (e) {
      // A link cut or mangled on its way ("%E0%A4%A"): read nothing from it.
      return [];
    }
    return list
      .split(",")
      .filter(function (k, i, all) {
        return SLUG.test(k) && all.indexOf(k) === i;
      })
      .slice(0, 500);
  }

  function readPaper(key) {
    var url = root.getAttribute("data-paper-url").replace("{slug}", key);
    var fallback = { key: key, title: key, url: url, date: "", bib: "", arxiv: "" };
    return fetchText(url).then(
      function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var buttons = doc.querySelectorAll("button.save[data-key]");
        for (var i = 0; i < buttons.length; i++) {
          if (buttons[i].dataset.key === key) {
            return fromData(buttons[i]);
          }
        }
        return fallback;
      },
      function () {
        return fallback;
      }
    );
  }

  function showShared() {
    var keys = sharedKeys();
    if (!keys.length) {
      return;
    }
    var section = document.getElementById("saved-shared");
    var ol = document.getElementById("saved-shared-list");
    section.hidden = false;
    say("Reading " + keys.length + " shared paper" + (keys.length === 1 ? "" : "s") + "…");
    Promise.all(keys.map(readPaper)).then(function (items) {
      ol.textContent = "";
      items.forEach(function (item) {
        ol.appendChild(itemElement(item, false));
      });
      say("");
      document.getElementById("saved-shared-add").onclick = function () {
        var list = load();
        items.forEach(function (item) {
          if (find(list, item.key) < 0) {
            list.push(item);
          }
        });
        store(list);
        refresh();
        say("Saved " + items.length + " shared paper" + (items.length === 1 ? "" : "s") + ".");
      };
    });
  }

  if (root) {
    root.hidden = false;
    document.getElementById("saved-export").addEventListener("click", exportBib);
    document.getElementById("saved-share").addEventListener("click", share);
    showShared();
    window.addEventListener("hashchange", showShared);
  }
  // Another tab saved or removed a paper.
  window.addEventListener("storage", function (e) {
    if (e.key === STORE) {
      refresh();
    }
  });
  refresh();
})();
