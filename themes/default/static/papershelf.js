/* papershelf default theme: small progressive enhancements.
 * No dependencies, no network requests.
 *
 * Copy buttons: <button type="button" class="copy" data-copy="ID"> copies the
 * text of the element with id ID and says "Copied" for two seconds;
 * <button type="button" class="copy" data-copy-url="URL" hidden> (shown here) copies the
 * text of the site's file at URL (a paper's .bib), fetched when it is pressed.
 *
 * Keyboard shortcuts (ignored while typing or with Ctrl/Meta/Alt held):
 *   /        focus the search box
 *   j / k    next / previous paper (teaser lists: move a marker; paper pages: follow
 *            [data-nav="next-paper"] / [data-nav="prev-paper"])
 *   ← / →    previous / next day ([data-nav="prev-day"] / [data-nav="next-day"]); also h / l
 *   ?        show or hide the list of shortcuts
 */
(function () {
  "use strict";

  var COPIED_MS = 2000;

  // Lets the stylesheet show controls that need JavaScript.
  document.documentElement.classList.add("js");

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        if (!copyWithTextarea(text)) {
          throw new Error("copy failed");
        }
      });
    }
    return copyWithTextarea(text) ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function selectContents(el) {
    var selection = window.getSelection();
    if (!selection) {
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(el);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function flash(button, message) {
    if (!button.hasAttribute("data-label")) {
      button.setAttribute("data-label", button.textContent);
      button.setAttribute("aria-live", "polite");
    }
    clearTimeout(button._papershelfTimer);
    button.textContent = message;
    button.classList.add("is-copied");
    button._papershelfTimer = setTimeout(function () {
      button.textContent = button.getAttribute("data-label");
      button.classList.remove("is-copied");
    }, COPIED_MS);
  }

  function fetchText(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": " + response.status);
      }
      return response.text();
    });
  }

  // Copies a file's text. Where the browser takes a pending clipboard item (Safari needs
  // that to keep the click's permission across the fetch), the fetch is handed to it.
  function copyUrl(url) {
    if (navigator.clipboard && navigator.clipboard.write && window.ClipboardItem && window.isSecureContext) {
      var blob = fetchText(url).then(function (text) {
        return new Blob([text], { type: "text/plain" });
      });
      return navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]).catch(function () {
        return fetchText(url).then(copyText);
      });
    }
    return fetchText(url).then(copyText);
  }

  Array.prototype.forEach.call(document.querySelectorAll("button.copy[data-copy-url]"), function (b) {
    b.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var fromUrl = event.target.closest ? event.target.closest("button.copy[data-copy-url]") : null;
    if (fromUrl) {
      copyUrl(fromUrl.getAttribute("data-copy-url")).then(
        function () {
          flash(fromUrl, "Copied");
        },
        function () {
          flash(fromUrl, "Copy failed: download the .bib");
        }
      );
      return;
    }
    var button = event.target.closest ? event.target.closest("button.copy[data-copy]") : null;
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    copyText(source.textContent).then(
      function () {
        flash(button, "Copied");
      },
      function () {
        // Leave the text selected so that Ctrl+C / Cmd+C still works.
        selectContents(source);
        flash(button, "Press Ctrl+C to copy");
      }
    );
  });

  /* ---------------------------------------------------------------- */
  /* Keyboard shortcuts                                                */
  /* ---------------------------------------------------------------- */

  var SHORTCUTS = [
    [["/"], "Search"],
    [["j"], "Next paper"],
    [["k"], "Previous paper"],
    [["\u2190", "h"], "Previous day"],
    [["\u2192", "l"], "Next day"],
    [["?"], "Show or hide these shortcuts"],
    [["Esc"], "Close this dialog"],
  ];

  var dialog = null;
  var focusBeforeDialog = null;

  // Keys typed into a field belong to the field.
  function isEditable(el) {
    if (!el || el.nodeType !== 1) {
      return false;
    }
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function followNav(name) {
    var link = document.querySelector('a[data-nav="' + name + '"][href]');
    if (!link) {
      return false;
    }
    window.location.assign(link.href);
    return true;
  }

  function focusSearch() {
    // The search page has its own box; every other page has the one in the header.
    var box = document.getElementById("search-input") || document.getElementById("site-search-q");
    if (!box) {
      return false;
    }
    box.focus();
    if (typeof box.select === "function") {
      box.select();
    }
    return true;
  }

  // j/k on a list of teasers. Starts from the teaser holding focus, else the marked one,
  // else the first one still on screen, so j after scrolling continues from there.
  function moveInList(step) {
    var teasers = Array.prototype.slice.call(document.querySelectorAll(".teasers article.teaser"));
    if (teasers.length === 0) {
      return false;
    }
    var current = -1;
    var active = document.activeElement;
    teasers.forEach(function (t, i) {
      if (current === -1 && active && t.contains(active)) {
        current = i;
      }
    });
    if (current === -1) {
      teasers.forEach(function (t, i) {
        if (current === -1 && t.classList.contains("is-current")) {
          current = i;
        }
      });
    }
    var next;
    if (current === -1) {
      next = teasers.findIndex(function (t) {
        return t.getBoundingClientRect().bottom > 0;
      });
      if (next === -1) {
        next = teasers.length - 1;
      }
    } else {
      next = Math.min(teasers.length - 1, Math.max(0, current + step));
    }
    var target = teasers[next];
    teasers.forEach(function (t) {
      t.classList.remove("is-current");
    });
    target.classList.add("is-current");
    target.scrollIntoView({ block: "nearest" });
    var link = target.querySelector(".teaser-title a") || target.querySelector("a[href]");
    if (link) {
      // Already scrolled into view; a second scroll from focus() would jump.
      link.focus({ preventScroll: true });
    }
    return true;
  }

  function buildDialog() {
    var d = document.createElement("dialog");
    d.className = "shortcuts";
    d.setAttribute("aria-labelledby", "shortcuts-title");

    var heading = document.createElement("h2");
    heading.id = "shortcuts-title";
    heading.textContent = "Keyboard shortcuts";
    d.appendChild(heading);

    var list = document.createElement("dl");
    SHORTCUTS.forEach(function (row) {
      var dt = document.createElement("dt");
      row[0].forEach(function (key, i) {
        if (i > 0) {
          dt.appendChild(document.createTextNode(" or "));
        }
        var kbd = document.createElement("kbd");
        kbd.textContent = key;
        dt.appendChild(kbd);
      });
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    d.appendChild(list);

    var actions = document.createElement("div");
    actions.className = "shortcuts-actions";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", closeDialog);
    actions.appendChild(close);
    d.appendChild(actions);

    // A click on the backdrop (outside the box) closes it too.
    d.addEventListener("click", function (event) {
      if (event.target !== d) {
        return;
      }
      var r = d.getBoundingClientRect();
      if (event.clientX < r.left || event.clientX > r.right || event.clientY < r.top || event.clientY > r.bottom) {
        closeDialog();
      }
    });
    // Native Escape handling closes a modal dialog without our help; put focus back.
    d.addEventListener("close", restoreFocus);

    document.body.appendChild(d);
    return d;
  }

  function isOpen() {
    return dialog !== null && (dialog.open || dialog.hasAttribute("open"));
  }

  function openDialog() {
    if (!dialog) {
      dialog = buildDialog();
    }
    focusBeforeDialog = document.activeElement;
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", ""); // no <dialog> support: shown in place
    }
    var button = dialog.querySelector("button");
    if (button) {
      button.focus();
    }
  }

  function closeDialog() {
    if (!isOpen()) {
      return;
    }
    if (typeof dialog.close === "function") {
      dialog.close(); // fires "close", which restores focus
    } else {
      dialog.removeAttribute("open");
      restoreFocus();
    }
  }

  function restoreFocus() {
    var el = focusBeforeDialog;
    focusBeforeDialog = null;
    if (el && el !== document.body && typeof el.focus === "function" && document.contains(el)) {
      el.focus({ preventScroll: true });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    if (isEditable(event.target)) {
      return;
    }
    var key = event.key;

    // While the dialog is open, only the keys that close it do anything.
    if (isOpen()) {
      if (key === "?" || key === "Escape") {
        event.preventDefault();
        closeDialog();
      }
      return;
    }

    var handled = false;
    switch (key) {
      case "/":
        handled = focusSearch(); // and the slash is not typed into the box
        break;
      case "?":
        openDialog();
        handled = true;
        break;
      case "j":
      case "k":
        handled = moveInList(key === "j" ? 1 : -1) || (!event.repeat && followNav(key === "j" ? "next-paper" : "prev-paper"));
        break;
      case "ArrowLeft":
      case "ArrowRight":
        // Shift+arrow extends a text selection; leave it alone.
        if (event.shiftKey) {
          break;
        }
      // falls through
      case "h":
      case "l":
        if (!event.repeat) {
          handled = followNav(key === "ArrowLeft" || key === "h" ? "prev-day" : "next-day");
        }
        break;
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();

/* A day's tools: order by upvotes and filter by tag, in place (no reload); the choice is kept
 * in the URL's query (?sort=upvotes, ?tag=NAME) with history.replaceState, so a shared link
 * opens the same view. Works on the rows of the page shown. */
(function () {
  "use strict";
  var tools = document.querySelector(".day-tools");
  var list = document.querySelector(".day .teasers");
  if (!tools || !list) {
    return;
  }
  var items = Array.prototype.slice.call(list.children);
  var article = function (li) {
    return li.querySelector(".teaser");
  };
  var votes = function (li) {
    return parseInt(article(li).getAttribute("data-upvotes") || "0", 10);
  };
  // A paper's tags: the names of the tag pills its row opens to.
  var tagsOf = function (li) {
    return Array.prototype.map.call(article(li).querySelectorAll(".pills .pill"), function (a) {
      return a.textContent;
    });
  };
  var params = new URLSearchParams(location.search);
  var select = document.getElementById("day-sort");
  var group = tools.querySelector(".day-tags");
  var hasVotes = items.some(function (li) {
    return votes(li) > 0;
  });
  var names = [];
  items.forEach(function (li) {
    tagsOf(li).forEach(function (t) {
      if (names.indexOf(t) < 0) {
        names.push(t);
      }
    });
  });
  names.sort();
  if (!hasVotes && !names.length) {
    return;
  }
  tools.hidden = false;

  function keep(key, value) {
    if (value) {
      params.set(key, value);
    } else {
      params.delete(key);
    }
    var q = params.toString();
    history.replaceState(null, "", location.pathname + (q ? "?" + q : "") + location.hash);
  }

  function order(byVotes) {
    var sorted = items.slice();
    if (byVotes) {
      sorted.sort(function (a, b) {
        return votes(b) - votes(a) || items.indexOf(a) - items.indexOf(b);
      });
    }
    sorted.forEach(function (li) {
      list.appendChild(li);
    });
  }

  function filter(tag) {
    items.forEach(function (li) {
      li.hidden = !!tag && tagsOf(li).indexOf(tag) < 0;
    });
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-tag") === tag));
    });
  }

  if (hasVotes) {
    select.parentNode.hidden = false;
    select.value = params.get("sort") === "upvotes" ? "upvotes" : "";
    order(select.value === "upvotes");
    select.addEventListener("change", function () {
      order(select.value === "upvotes");
      keep("sort", select.value);
    });
  }
  if (names.length) {
    group.hidden = false;
    [""].concat(names).forEach(function (name) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "pill";
      b.setAttribute("data-tag", name);
      b.textContent = name || "All";
      b.addEventListener("click", function () {
        filter(name);
        keep("tag", name);
      });
      group.appendChild(b);
    });
    var wanted = params.get("tag") || "";
    filter(names.indexOf(wanted) >= 0 ? wanted : "");
  }
})();
