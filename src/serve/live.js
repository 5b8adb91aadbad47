// papershelf serve: reloads the page when the site is rebuilt, and shows build errors over
// the last good page. Injected by `papershelf serve` only; never part of a build.
(function () {
  "use strict";
  var OVERLAY = "papershelf-error-overlay";
  var lost = false;

  function clear() {
    var el = document.getElementById(OVERLAY);
    if (el) el.remove();
  }

  function show(text) {
    clear();
    var el = document.createElement("div");
    el.id = OVERLAY;
    el.setAttribute("role", "alert");
    el.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#ffe3e3;border-top:4px solid #e5484d;" +
      "font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "papershelf: the last save did not build. Showing the last good page.";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:.5rem 0 0;font:inherit";
    pre.textContent = text;
    el.appendChild(title);
    el.appendChild(pre);
    document.body.appendChild(el);
  }

  // One event stream per open page. A page the browser keeps in its back/forward cache
  // must not hold its stream: browsers allow six connections per host, and a few moves back
  // and forth would leave none for the page being read (its search hung). The stream is
  // closed when the page is hidden and opened again when it is shown.
  var source = null;

  function connect() {
    if (source) return;
    source = new EventSource("/__papershelf/events");
    source.addEventListener("reload", function () {
      location.reload();
    });
    // Pages rewritten after the edit was shown (their related papers): only those reload.
    source.addEventListener("changed", function (e) {
      if (e.data.split(" ").indexOf(location.pathname) >= 0) location.reload();
    });
    source.addEventListener("problem", function (e) {
      show(e.data);
    });
    source.addEventListener("clean", function () {
      clear();
    });
    source.onopen = function () {
      // The server came back (restarted): the site may have changed while it was away.
      if (lost) location.reload();
    };
    source.onerror = function () {
      lost = true;
    };
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  window.addEventListener("pagehide", disconnect);
  // For the browser tests: whether this page holds an open stream.
  window.papershelfLive = {
    connected: function () {
      return source !== null && source.readyState !== 2;
    },
  };
  window.addEventListener("pageshow", function (e) {
    // Back from the cache, the page may be older than the site (it heard no reload while
    // hidden): a preview shows the current build, so it is loaded again.
    if (e.persisted) {
      location.reload();
      return;
    }
    connect();
  });
  connect();
})();
