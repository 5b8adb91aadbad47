/* papershelf default theme: small progressive enhancements.
 * No dependencies, no network requests.
 *
 * Copy buttons: <button type="button" class="copy" data-copy="ID"> copies the
 * text of the element with id ID and says "Copied" for two seconds.
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

  document.addEventListener("click", function (event) {
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
})();
