/*
 * Thème clair ou sombre, au choix du lecteur.
 *
 * Sans JavaScript, la page suit le système : la palette sombre (css/dark.css) est liée
 * avec media="screen and (prefers-color-scheme: dark)". Ce script change seulement cet
 * attribut : « screen » pour le thème sombre choisi, « not all » pour le clair. Le choix
 * n’est gardé (localStorage « theme ») que s’il diffère du système : revenir au thème du
 * système, c’est le suivre de nouveau.
 *
 * Le seul script sans defer du thème, et à dessein : lié dans <head> juste après la
 * feuille sombre, il applique le choix avant le premier affichage (deferred, la page
 * s’afficherait un instant dans le thème du système). Le bouton de l’en-tête, caché
 * dans le HTML, n’est montré et branché qu’une fois la page lue.
 *
 * Sur un système clair, la feuille sombre ne bloque pas l’affichage (son media ne
 * correspondait pas quand la page l’a demandée) : si le lecteur a choisi le sombre et
 * qu’elle n’est pas encore là (cache périmé), la page attend qu’elle arrive, comme
 * pour toute feuille de style, plutôt que de s’afficher d’abord en clair.
 */
(function () {
  "use strict";

  var KEY = "theme";
  var sheet = document.querySelector("link[data-theme-dark]");
  if (!sheet || !window.matchMedia) return;
  var followSystem = sheet.media;
  var systemDark = window.matchMedia(followSystem);

  var unstored = null;  // the choice when storage is refused: it holds for this page only

  function chosen() {
    var value = unstored;
    try {
      value = localStorage.getItem(KEY);
    } catch (error) { /* storage refused (private browsing, settings) */ }
    return value === "dark" || value === "light" ? value : null;
  }

  function remember(value) {
    unstored = value;
    try {
      if (value) localStorage.setItem(KEY, value);
      else localStorage.removeItem(KEY);
    } catch (error) { /* kept in unstored */ }
  }

  function isDark() {
    var choice = chosen();
    return choice ? choice === "dark" : systemDark.matches;
  }

  function holdPaintUntilLoaded() {
    var root = document.documentElement;
    function show() { root.style.visibility = ""; }
    root.style.visibility = "hidden";
    sheet.addEventListener("load", show);
    sheet.addEventListener("error", show);
    setTimeout(show, 3000);  // never a blank page for a sheet that does not come
  }

  function apply() {
    var choice = chosen();
    sheet.media = choice === "dark" ? "screen" : choice === "light" ? "not all" : followSystem;
  }

  apply();
  // Dark chosen on a light system: the sheet did not block rendering when it was asked for.
  if (isDark() && !systemDark.matches && !sheet.sheet) holdPaintUntilLoaded();

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    function refresh() {
      apply();
      button.setAttribute("aria-pressed", String(isDark()));
    }
    button.addEventListener("click", function () {
      var dark = !isDark();
      remember(dark === systemDark.matches ? null : dark ? "dark" : "light");
      refresh();
    });
    // The system switching at dusk, or the choice made in another tab.
    systemDark.addEventListener("change", refresh);
    window.addEventListener("storage", function (event) {
      if (event.key === KEY || event.key === null) refresh();
    });
    // Back to a page kept in memory (bfcache) after choosing on another one.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) refresh();
    });
    refresh();
    button.hidden = false;
  });
})();
