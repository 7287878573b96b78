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

  /* The index was given « l'électricité » with a straight apostrophe, which Pagefind
     takes for a word boundary (plugins/search): what the reader sees gets it back. */
  function typographic(text) {
    return String(text || "").replace(/([A-Za-z\u00C0-\u024F])'/g, "$1\u2019");
  }

  /* Folded like Pagefind folds them: lower case, no accents; parts split at
     punctuation and at camelCase humps (« SecNumCloud » holds « cloud »); a word found
     in a page also stands whole (« open-source » answers « opensource »). */
  function foldedParts(text, whole) {
    var spaced = String(text).replace(/([a-z\u00DF-\u00FF])([A-Z\u00C0-\u00DE])/g, "$1 $2");
    var folded = spaced.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    var parts = folded.split(/[^a-z0-9\u00DF-\u024F]+/).filter(Boolean);
    if (whole && parts.length > 1) parts.push(parts.join(""));
    return parts;
  }

  /* How much of a query word a found word must share: all of a short word, most of a
     long one (stemming: « électricité » finds « électrique »). */
  function related(queryWord, word) {
    var needed = Math.min(queryWord.length, Math.max(4, Math.ceil(queryWord.length * 0.6)));
    return word.slice(0, needed) === queryWord.slice(0, needed);
  }

  /* Pagefind never answers « nothing » for a word missing from the index: it searches
     shorter and shorter beginnings of it until one matches (« Enedis » finds « en »,
     « ANSSI » finds « ans »). A query word that none of the first results really
     contains is such a word: the query has no result. */
  function missingWord(query, pages) {
    var found = [];
    pages.forEach(function (page) {
      var words = String(page.raw_content || page.content || "").split(/[\r\n\s]+/g);
      (page.locations || []).forEach(function (at) {
        if (words[at]) found = found.concat(foldedParts(words[at], true));
      });
    });
    /* A typed word with inner punctuation (« open-source », « d’IA ») counts as found
       when one of its parts is: Pagefind itself matches such a word by its parts. */
    return query.split(/\s+/).filter(function (typed) {
      var parts = foldedParts(typed, false).filter(function (part) { return part.length > 1; });
      return parts.length && !parts.some(function (part) {
        return found.some(function (other) { return related(part, other); });
      });
    })[0];
  }

  function loadPagefind() {
    if (!pagefindPromise) {
      var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI);
      var options = { baseUrl: root.getAttribute("data-base-url") || "/", excerptLength: 24 };
      var folders = fetch(new URL(PARTS_FILE, bundle).href)  /* fetched beside pagefind.js */
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; });
      pagefindPromise = Promise.all([import(new URL("pagefind.js", bundle).href), folders])
        .then(function (loaded) {
          var index = searchable(loaded[0], Array.isArray(loaded[1]) ? loaded[1] : []);
          return index.open(bundle, options)
            .then(function () { return fillFilters(index); })
            .then(function () { return index; });
        });
      pagefindPromise.catch(function () { pagefindPromise = null; });
    }
    return pagefindPromise;
  }

  /* A large blog has several indexes (plugins/search, SEARCH_PAGES_PER_INDEX): the
     newest articles in pagefind/, older ones in archives that parties.json lists,
     newest first; a missing list means one index. Pagefind merges them (mergeIndex)
     and ranks a query's results by score; but it would interleave a date-sorted list
     (no query) index by index, so that list is asked of each index in turn, each one
     singled out by a filter every page of it carries (mergeFilter). */
  var PARTS_FILE = "parties.json";
  var PART = "partie";

  function searchable(pagefind, archives) {
    function only(part, filters) {  /* `filters`, and the one that keeps index `part` */
      var chosen = Object.assign({}, filters);
      chosen[PART] = String(part);
      return chosen;
    }
    return {
      open: function (bundle, options) {
        var primary = Object.assign({}, options);
        if (archives.length) primary.mergeFilter = only(0, {});
        return pagefind.options(primary).then(function () {
          return Promise.all(archives.map(function (folder, i) {  /* fetched side by side */
            return pagefind.mergeIndex(new URL(folder, bundle).href,
              Object.assign({}, options, { mergeFilter: only(i + 1, {}) }));
          }));
        });
      },
      filters: function () { return pagefind.filters(); },
      search: function (query, options) {
        if (query || !archives.length) return pagefind.search(query, options);
        var parts = [0].concat(archives.map(function (_, i) { return i + 1; }));
        return Promise.all(parts.map(function (part) {
          return pagefind.search(null, Object.assign({}, options, { filters: only(part, options.filters || {}) }));
        })).then(function (answers) {
          var all = [];
          answers.forEach(function (answer) { if (answer) all = all.concat(answer.results); });
          return { results: all };
        });
      }
    };
  }

  function fillFilters(pagefind) {
    return pagefind.filters().then(function (filters) {
      selects.forEach(function (select) {
        var counts = filters[select.getAttribute("data-filter")] || {};
        Object.keys(counts).sort(function (a, b) { return a.localeCompare(b, "fr"); })
          .forEach(function (name) {
            var option = element("option");
            option.value = name;
            option.textContent = typographic(name) + " (" + counts[name] + ")";
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
        /* Pagefind marks a whole « word » between spaces: punctuation around it, and the
           elided « l’ », « d’ », « qu’ » before it, stay out. */
        var parts = /^([«(\[“‘"'\s\u00a0\u202f]*(?:(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)’)?)(.*?)([\s\u00a0\u202f.,;:!?…»)\]”’"']*)$/i.exec(typographic(text));
        var mark = element("mark");
        mark.textContent = parts[2] || parts[0];
        if (parts[2] && parts[1]) nodes.push(document.createTextNode(parts[1]));
        nodes.push(mark);
        if (parts[2] && parts[3]) nodes.push(document.createTextNode(parts[3]));
      } else {
        nodes.push(document.createTextNode(typographic(text)));
      }
    }
    return nodes;
  }

  function renderResult(data) {
    var item = element("li", "search-result");
    var heading = element("h2", "search-result__title");
    var link = element("a");
    var meta = data.meta || {};
    link.href = data.url;
    link.textContent = typographic(meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var category = meta.rubrique;  /* the article's own, not its parent */
    if (meta.date || category) {
      var facts = element("p", "search-result__date");
      facts.textContent = meta.date || "";
      if (meta.date && category) {
        var dot = element("span");
        dot.setAttribute("aria-hidden", "true");
        dot.textContent = " · ";
        facts.appendChild(dot);
      }
      if (category) facts.appendChild(document.createTextNode(typographic(category)));
      item.appendChild(facts);
    }
    var excerpt = element("p", "search-result__excerpt");
    excerptNodes(data.excerpt).forEach(function (node) { excerpt.appendChild(node); });
    /* Pagefind cuts a window of words out of the page: say so where it cut mid-sentence. */
    var text = excerpt.textContent.trim();
    /* A window that starts on the punctuation after a title (« : le pari de… »): cut it. */
    var first = excerpt.firstChild;
    var midSentence = /^[a-zà-ÿœæ]/.test(text);
    if (first && first.nodeType === Node.TEXT_NODE && /^[\s\u00a0\u202f]*[:;,.!?»)]/.test(first.textContent)) {
      first.textContent = first.textContent.replace(/^[\s\u00a0\u202f]*[:;,.!?»)]+[\s\u00a0\u202f]*/, "");
      midSentence = true;
    }
    if (midSentence) excerpt.insertBefore(document.createTextNode("…\u00a0"), excerpt.firstChild);
    if (text && !/[.!?…»"”)]$/.test(text)) {
      var last = excerpt.lastChild;
      if (last && last.nodeType === Node.TEXT_NODE) last.textContent = last.textContent.replace(/\s+$/, "");
      excerpt.appendChild(document.createTextNode("…"));
    }
    item.appendChild(excerpt);
    return item;
  }

  function loadPage(from) {
    return Promise.all(results.slice(from, from + PAGE_SIZE).map(function (result) { return result.data(); }));
  }

  function append(pages) {
    pages.forEach(function (data) { list.appendChild(renderResult(data)); });
    shown += pages.length;
    more.hidden = shown >= results.length;
  }

  function showMore(mine) {
    return loadPage(shown).then(function (pages) {
      if (mine === generation) append(pages);
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
      return loadPage(0).then(function (pages) {
        if (mine !== generation) return;
        if (query && missingWord(query, pages)) {
          results = [];
          pages = [];
        }
        shown = 0;
        list.textContent = "";
        var filtered = !query;
        status.textContent = results.length
          ? (filtered ? plural(ui.filtered, results.length, "") : plural(ui.results, results.length, query))
          : plural(ui.none, 0, query);
        announce(status.textContent, submitted === true);
        hint.hidden = results.length > 0;
        append(pages);
      });
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
  if (input.value) document.documentElement.classList.add("avec-requete");  /* search.css */

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

  /* Back from a result: the list comes back as long as it was (« Plus de résultats »
     pressed twice: 30 results), where the reader left it. The results come after the
     page has loaded, so the browser cannot restore the scroll position by itself. */
  var returning = window.history.state;
  if ("scrollRestoration" in window.history) window.history.scrollRestoration = "manual";
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) {
      window.history.replaceState({ shown: shown, y: window.scrollY }, "", window.location.href);
    }
  });

  function restore() {
    if (!returning || !returning.shown) return;
    var before = shown;
    if (shown < Math.min(returning.shown, results.length)) {
      return showMore(generation).then(function () { if (shown > before) return restore(); });
    }
    window.scrollTo(0, returning.y || 0);
    returning = null;
  }

  /* Arriving from a search form with a query: the field holds it, ready to refine. Not
     on a touch screen, where focus would open the keyboard over the results. */
  if (input.value && !returning && window.matchMedia("(pointer: fine)").matches) input.focus();
  run(true).then(restore);
})();
