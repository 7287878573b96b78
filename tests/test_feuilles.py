"""One stylesheet per page: the theme's files joined, named after their content."""

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from feuilles import feuilles  # noqa: E402


def test_every_page_blocks_on_one_stylesheet_only(site):
    import pelicanconf

    names = pelicanconf.THEME_STYLESHEETS
    bundles = set()
    for path in site.html_pages():
        if "pagefind" in path.parts:
            continue
        tree = site.html("/" + path.relative_to(site.output).as_posix())
        links = tree.css('link[rel="stylesheet"]')
        blocking = [link.attributes["href"] for link in links
                    if link.attributes.get("media") in (None, "all", "screen")
                    and not link.attributes["href"].endswith("/search.css")]
        assert len(blocking) == 1, (path, blocking)
        # The dark palette blocks too, on a dark system only (theme.js switches it): tokens
        # alone, a fraction of the site's sheet.
        dark = [link.attributes["href"] for link in links
                if "prefers-color-scheme: dark" in (link.attributes.get("media") or "")]
        assert len(dark) == 1 and (site.output / dark[0].lstrip("/")).stat().st_size < 2048, (path, dark)
        bundles.add(blocking[0])
    [href] = bundles
    text = (site.output / href.lstrip("/")).read_text(encoding="utf-8")
    css = ROOT / "theme" / "static" / "css"
    assert text == feuilles.bundle_text(str(css), names)
    for name in names:  # every file, in the cascade's order
        assert (css / f"{name}.css").read_text(encoding="utf-8").strip() in text
    positions = [text.index(f"/* {name}.css */") for name in names]
    assert positions == sorted(positions)
    assert href.endswith(f"site.{hashlib.sha256(text.encode()).hexdigest()[:12]}.css")


def test_the_name_changes_with_the_content(tmp_path):
    (tmp_path / "a.css").write_text("a { color: red; }\n", encoding="utf-8")
    (tmp_path / "b.css").write_text("b { color: blue; }\n", encoding="utf-8")
    first = feuilles.bundle_name(feuilles.bundle_text(str(tmp_path), ["a", "b"]))
    assert first == feuilles.bundle_name(feuilles.bundle_text(str(tmp_path), ["a", "b"]))
    assert first != feuilles.bundle_name(feuilles.bundle_text(str(tmp_path), ["b", "a"]))
    (tmp_path / "b.css").write_text("b { color: green; }\n", encoding="utf-8")
    assert first != feuilles.bundle_name(feuilles.bundle_text(str(tmp_path), ["a", "b"]))


def test_an_older_bundle_is_removed_when_the_theme_changes(tmp_path):
    css = tmp_path / "theme" / "static" / "css"
    css.mkdir(parents=True)
    (css / "a.css").write_text("a { color: red; }\n", encoding="utf-8")
    out = tmp_path / "output" / "theme" / "css"
    out.mkdir(parents=True)
    for name in ("site.0123456789ab.css", "site.0123456789ab.css.gz", "print.css"):
        (out / name).write_text("x", encoding="utf-8")
    settings = {"THEME": str(tmp_path / "theme"), "THEME_STYLESHEETS": ["a"],
                "THEME_STATIC_DIR": "theme"}
    feuilles.prepare(type("P", (), {"settings": settings})())
    generator = feuilles.BundleGenerator({}, settings, "", "", str(tmp_path / "output"))
    generator.generate_output(writer=None)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["print.css", settings["STYLESHEET_BUNDLE"].split("/")[-1]])
