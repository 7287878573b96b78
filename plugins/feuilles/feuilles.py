"""One stylesheet for readers: ``THEME_STYLESHEETS`` joined into ``css/site.<hash>.css``.

Why: the theme is ten small files (tokens, base, layout, cards, article…), easy to work
on one by one, but ten ``<link rel="stylesheet">`` are ten requests that block the first
paint; a reader audit with Lighthouse (27 November 2026) measured ≈ 250 ms of first
paint lost on a phone, and one joined file gained ≈ 270 ms. The file's name carries a
hash of its content: a host can keep it in cache for good, and a changed theme is a new
address, fetched again.

Why our own: ``pelican-webassets`` brings the webassets pipeline and a Jinja tag that is
evaluated at every page render (two thousand pages at 1000 articles, rendered in
parallel processes); joining ten files in their order needs a dozen lines, run once per
build before any page is rendered.

| hook | job |
| --- | --- |
| ``initialized`` | defaults; reads the files, names the bundle: ``STYLESHEET_BUNDLE`` (path under ``THEME_STATIC_DIR``), read by ``partials/head.html`` |
| ``get_generators`` | ``BundleGenerator`` writes the file in ``generate_output`` (and tells ``ecriture`` it did, so an outdated bundle is deleted) |
"""

from __future__ import annotations

import hashlib
import logging
import os

logger = logging.getLogger(__name__)
LOG = "[feuilles] "
DEFAULTS = {
    "STYLESHEET_BUNDLE_ENABLED": True,  # False: one <link> per file (debugging the theme)
}


def bundle_text(css_folder: str, names) -> str:
    """The files in their order, each under a comment naming it (the cascade is the
    order of THEME_STYLESHEETS, as it was with one <link> each)."""
    parts = []
    for name in names:
        with open(os.path.join(css_folder, f"{name}.css"), encoding="utf-8") as handle:
            parts.append(f"/* {name}.css */\n{handle.read().rstrip()}\n")
    return "\n".join(parts)


def css_folder(settings) -> str:
    return os.path.join(settings["THEME"], "static", "css")


def bundle_name(text: str) -> str:
    return f"css/site.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.css"


def prepare(pelican) -> None:
    """``initialized``: the bundle's text and name, before any template is rendered."""
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings["STYLESHEET_BUNDLE"] = None
    names = settings.get("THEME_STYLESHEETS") or []
    if not settings["STYLESHEET_BUNDLE_ENABLED"] or not names:
        return
    try:
        text = bundle_text(css_folder(settings), names)
    except OSError as error:
        logger.error(LOG + "feuille de style illisible (%s) : chaque fichier de THEME_STYLESHEETS "
                     "doit exister dans %s ; les pages lient les fichiers un par un", error,
                     css_folder(settings))
        return
    settings["STYLESHEET_BUNDLE"] = bundle_name(text)


class BundleGenerator:
    """Pelican generator shape: nothing to read, one file to write."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.settings = settings
        self.output_path = output_path

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        name = self.settings.get("STYLESHEET_BUNDLE")
        if not name:
            return
        target = os.path.join(self.output_path, self.settings["THEME_STATIC_DIR"], name)
        note_produced = getattr(writer, "note_produced", None)  # ecriture: deleted once unused
        if note_produced is not None:
            note_produced(target)
        remove_older_bundles(os.path.dirname(target), os.path.basename(target))
        if os.path.isfile(target):  # the name is the content's hash: already right
            return
        # Read again rather than kept in the settings, which every page's context and
        # every cached article carry.
        text = bundle_text(css_folder(self.settings), self.settings["THEME_STYLESHEETS"])
        if bundle_name(text) != name:
            logger.warning(LOG + "feuille modifiée pendant la construction : relancez-la")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)


def remove_older_bundles(folder: str, current: str) -> None:
    """Bundles of earlier versions of the theme (and their .gz/.br): ours by their name,
    unreferenced once the pages link the new one. The preview, which serves its own
    copy of the site, would otherwise keep one per stylesheet edit."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith("site.") and ".css" in name and not name.startswith(current):
            os.remove(os.path.join(folder, name))


def get_generators(pelican):
    return BundleGenerator


def register() -> None:
    from pelican import signals

    signals.initialized.connect(prepare)
    signals.get_generators.connect(get_generators)
