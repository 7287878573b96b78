/*
 * Page /recherche/ : recherche instantanée avec l’index Pagefind du site.
 *
 * Chargé avec `defer`, sans script en ligne ni eval : l’index se charge par import()
 * depuis /pagefind/ (même origine) ; Pagefind compile son WebAssembly, d’où
 * « script-src 'self' 'wasm-unsafe-eval' » dans la CSP. Les textes viennent de
 * theme/i18n/fr.yaml par l’attribut data-ui. Les titres et extraits sont insérés comme
 * texte (textContent) : seules les balises <mark> des extraits sont recréées.
 * Sans JavaScript, le formulaire reste caché et un lien vers les étiquettes et
 * rubriques s’affiche à la place.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-search]");
  if (!root || !("fetch" in window)) return;

  var ui = JSON.parse(root.getAttribute("data-ui") || "{}");
  var form = root.querySelector("[data-search-form]");
  var input = form.querySelector("input[name=q]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = root.querySelector("[data-search-status]");
  var live = root.querySelector("[data-search-live]");
  var hint = root.querySelector("[data-search-hint]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var params = new URLSearchParams(window.location.search);
  var PAGE_SIZE = 10;
  var pagefindPromise = null;
  var results = [];
  var shown = 0;
  var generation = 0;
  var timer = null;
  var announceTimer = null;
  /* Screen readers hear the count once the reader pauses, not at every letter. */
  var ANNOUNCE_DELAY = 1000;

  function plural(forms, count, query) {
    var form = typeof forms === "string" ? forms : forms[count <= 1 ? "one" : "other"];
    return String(form || "").replace("{n}", count.toLocaleString("fr-FR")).replace("{q}", query);
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function loadPagefind() {
    if (!pagefindPromise) {
      var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI);
      pagefindPromise = import(new URL("pagefind.js", bundle).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.getAttribute("data-base-url") || "/", excerptLength: 24 })
          .then(function () { return fillFilters(pagefind); })
          .then(function () { return pagefind; });
      });
      pagefindPromise.catch(function () { pagefindPromise = null; });
    }
    return pagefindPromise;
  }

  function fillFilters(pagefind) {
    return pagefind.filters().then(function (filters) {
      selects.forEach(function (select) {
        var counts = filters[select.getAttribute("data-filter")] || {};
        Object.keys(counts).sort(function (a, b) { return a.localeCompare(b, "fr"); })
          .forEach(function (name) {
            var option = element("option");
            option.value = name;
            option.textContent = name + " (" + counts[name] + ")";
            select.appendChild(option);
          });
        var wanted = params.get(select.name);
        if (wanted) select.value = wanted;
      });
    });
  }

  function activeFilters() {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) filters[select.getAttribute("data-filter")] = select.value;
    });
    return filters;
  }

  function updateAddress(query, filters) {
    var next = new URLSearchParams();
    if (query) next.set("q", query);
    selects.forEach(function (select) {
      if (filters[select.getAttribute("data-filter")]) next.set(select.name, select.value);
    });
    var search = next.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  /* Pagefind's excerpt is text with <mark> around the hits: rebuild exactly that. */
  function excerptNodes(excerpt) {
    var doc = new DOMParser().parseFromString("<body>" + (excerpt || ""), "text/html");
    var walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      var text = walker.currentNode.textContent;
      if (walker.currentNode.parentNode.nodeName === "MARK") {
        var mark = element("mark");
        mark.textContent = text;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(text));
      }
    }
    return nodes;
  }

  function renderResult(data) {
    var item = element("li", "search-result");
    var heading = element("h2", "search-result__title");
    var link = element("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (data.meta && data.meta.date) {
      var date = element("p", "search-result__date");
      date.textContent = data.meta.date;
      item.appendChild(date);
    }
    var excerpt = element("p", "search-result__excerpt");
    excerptNodes(data.excerpt).forEach(function (node) { excerpt.appendChild(node); });
    /* Pagefind cuts a window of words out of the page: say so where it cut mid-sentence. */
    var text = excerpt.textContent.trim();
    if (/^[a-zà-ÿœæ]/.test(text)) excerpt.insertBefore(document.createTextNode("…\u00a0"), excerpt.firstChild);
    if (text && !/[.!?…»"”)]$/.test(text)) {
      var last = excerpt.lastChild;
      if (last && last.nodeType === Node.TEXT_NODE) last.textContent = last.textContent.replace(/\s+$/, "");
      excerpt.appendChild(document.createTextNode("…"));
    }
    item.appendChild(excerpt);
    return item;
  }

  function showMore(mine) {
    var slice = results.slice(shown, shown + PAGE_SIZE);
    return Promise.all(slice.map(function (result) { return result.data(); })).then(function (pages) {
      if (mine !== generation) return;
      pages.forEach(function (data) { list.appendChild(renderResult(data)); });
      shown += slice.length;
      more.hidden = shown >= results.length;
    });
  }

  function announce(text, now) {
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { live.textContent = text; }, now ? 0 : ANNOUNCE_DELAY);
  }

  function clear() {
    results = [];
    shown = 0;
    list.textContent = "";
    status.textContent = "";
    announce("", true);
    hint.hidden = true;
    more.hidden = true;
  }

  function run(submitted) {
    var mine = ++generation;
    var query = input.value.trim();
    var hasFilter = selects.some(function (select) { return select.value; }) ||
      selects.some(function (select) { return params.get(select.name); });
    if (!query && !hasFilter) {
      updateAddress("", {});
      clear();
      return Promise.resolve();
    }
    status.textContent = ui.loading || "";
    return loadPagefind().then(function (pagefind) {
      var filters = activeFilters();
      params = new URLSearchParams();
      updateAddress(query, filters);
      var options = { filters: filters };
      if (!query) options.sort = { date: "desc" };
      return pagefind.search(query || null, options);
    }).then(function (search) {
      if (mine !== generation || !search) return;
      results = search.results;
      shown = 0;
      list.textContent = "";
      var filtered = !query;
      status.textContent = results.length
        ? (filtered ? plural(ui.filtered, results.length, "") : plural(ui.results, results.length, query))
        : plural(ui.none, 0, query);
      announce(status.textContent, submitted === true);
      hint.hidden = results.length > 0;
      return showMore(mine);
    }).catch(function () {
      if (mine === generation) {
        status.textContent = ui.error || "";
        announce(status.textContent, true);
      }
    });
  }

  root.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;
  input.value = params.get("q") || "";

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run(true);
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 180);
  });
  input.addEventListener("focus", function () { loadPagefind().catch(function () {}); }, { once: true });
  selects.forEach(function (select) { select.addEventListener("change", run); });
  /* The button hides itself once everything is shown: focus goes to the first new
     result, not to the page's start. */
  more.addEventListener("click", function () {
    var first = shown;
    showMore(generation).then(function () {
      var item = list.children[first];
      var link = item && item.querySelector("a");
      if (link) link.focus();
    });
  });

  /* Arriving from a search form with a query: the field holds it, ready to refine. Not
     on a touch screen, where focus would open the keyboard over the results. */
  if (input.value && window.matchMedia("(pointer: fine)").matches) input.focus();
  run(true);
})();
