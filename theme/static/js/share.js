/*
 * Partage sans script tiers : amélioration progressive des liens de partage.
 *
 * Sur un article : « Copier le lien » (API Presse-papiers) et « Partager… » (Web Share
 * API, surtout sur téléphone) apparaissent seulement si le navigateur les offre ; ils
 * sont `hidden` dans le HTML. Sur /partager/mastodon/ : le formulaire demande
 * l’instance du lecteur puis ouvre https://<instance>/share avec le texte ; sans
 * JavaScript, un message l’explique. Chargé avec `defer`, sans script en ligne.
 */
(function () {
  "use strict";

  function setupArticle(section) {
    var status = section.querySelector("[data-share-status]");
    var copyItem = section.querySelector("[data-share-copy]");
    var nativeItem = section.querySelector("[data-share-native]");

    if (copyItem && navigator.clipboard && window.isSecureContext) {
      copyItem.hidden = false;
      copyItem.querySelector("button").addEventListener("click", function (event) {
        navigator.clipboard.writeText(event.currentTarget.getAttribute("data-url")).then(
          function () { status.textContent = status.getAttribute("data-copied"); },
          function () { status.textContent = status.getAttribute("data-failed"); });
      });
    }
    if (nativeItem && typeof navigator.share === "function") {
      nativeItem.hidden = false;
      nativeItem.querySelector("button").addEventListener("click", function (event) {
        var button = event.currentTarget;
        navigator.share({ title: button.getAttribute("data-title"), url: button.getAttribute("data-url") })
          .catch(function () { /* the reader closed the share sheet */ });
      });
    }
  }

  /* « mastodon.social », « https://piaille.fr/ », « @moi@framapiaf.org » → host name. */
  function instanceHost(value) {
    var text = String(value || "").trim().toLowerCase();
    var at = text.lastIndexOf("@");
    if (at > 0) text = text.slice(at + 1);
    text = text.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    return /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?$/.test(text) ? text : "";
  }

  function safeUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
    } catch (error) {
      return "";
    }
  }

  function setupMastodon(form) {
    var params = new URLSearchParams(window.location.search);
    var message = [params.get("text") || "", safeUrl(params.get("url"))].join(" ").trim();
    var input = form.querySelector("input[name=instance]");
    var error = form.querySelector("[data-mastodon-error]");
    var nojs = document.querySelector("[data-mastodon-nojs]");
    form.querySelector("[data-mastodon-text]").textContent = message;
    if (nojs) nojs.hidden = true;
    form.hidden = false;
    try { input.value = window.localStorage.getItem("mastodon-instance") || ""; } catch (e) { /* private mode */ }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var host = instanceHost(input.value);
      if (!host) {
        error.textContent = form.getAttribute("data-invalid");
        input.focus();
        return;
      }
      try { window.localStorage.setItem("mastodon-instance", host); } catch (e) { /* private mode */ }
      window.location.assign("https://" + host + "/share?text=" + encodeURIComponent(message));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), setupArticle);
  var mastodon = document.querySelector("[data-share-mastodon]");
  if (mastodon) setupMastodon(mastodon);
})();
