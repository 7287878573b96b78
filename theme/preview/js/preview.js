/* Preview only (SHOW_DRAFTS and PREVIEW_LIVE_RELOAD, set by tools/preview.py; never in
   production).
   Reloads the page after each good rebuild (Server-Sent Events from `invoke livereload`)
   and shows build errors and `invoke check` results in a banner the writer can close.
   Texts come from the theme's i18n file through data- attributes of this script tag. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var root = script.getAttribute("data-root") || "";
  var texts = script.dataset;
  var dismissedKey = "preview-status-dismissed";
  var maxLines = 8;  // the full list is in the terminal (`invoke check`)

  function addStylesheet() {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = script.src.replace(/js\/preview\.js.*$/, "css/preview.css");
    document.head.appendChild(link);
  }

  function section(title, lines, kind) {
    var block = document.createElement("section");
    block.className = "preview-status__section preview-status__section--" + kind;
    var heading = document.createElement("p");
    heading.className = "preview-status__title";
    heading.textContent = title;
    var list = document.createElement("ul");
    var shown = lines.slice(0, maxLines);
    if (lines.length > maxLines) {
      shown.push((texts.more || "+{n}").replace("{n}", String(lines.length - maxLines)));
    }
    shown.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    block.appendChild(heading);
    block.appendChild(list);
    return block;
  }

  function show(status) {
    var old = document.querySelector(".preview-status");
    if (old) { old.remove(); }
    if (!status) { return; }
    var checks = status.checks || {};
    var blocks = [];
    if (status.errors && status.errors.length) {
      blocks.push(section(texts.errorTitle, status.errors, "error"));
    }
    if (checks.errors && checks.errors.length) {
      blocks.push(section(texts.checksTitle, checks.errors, "check"));
    }
    if (!blocks.length) { return; }
    var signature = JSON.stringify([status.errors, checks.errors]);
    try {
      if (sessionStorage.getItem(dismissedKey) === signature) { return; }
    } catch (e) { /* storage refused: always show */ }
    var banner = document.createElement("div");
    banner.className = "preview-status";
    banner.setAttribute("role", "alert");
    blocks.forEach(function (block) { banner.appendChild(block); });
    var close = document.createElement("button");
    close.type = "button";
    close.className = "preview-status__close";
    close.textContent = texts.close;
    close.addEventListener("click", function () {
      try { sessionStorage.setItem(dismissedKey, signature); } catch (e) { /* ignore */ }
      banner.remove();
    });
    banner.appendChild(close);
    document.body.insertBefore(banner, document.body.firstChild);
  }

  function refresh() {
    fetch(root + "/_preview-status.json", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(show)
      .catch(function () { /* plain `invoke serve`: no status file */ });
  }

  addStylesheet();
  refresh();
  if (window.EventSource) {
    var events = new EventSource(root + "/_preview/events");
    events.addEventListener("reload", function () { window.location.reload(); });
    events.addEventListener("status", refresh);
  }
}());
