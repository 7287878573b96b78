"""Table des matières : du Markdown configuré comme le site aux entrées et à la liste.

Le greffon est importé comme Pelican l’importe (`sommaire`, depuis `plugins/`).
"""

import sys
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pelicanconf  # noqa: E402
from sommaire import sommaire  # noqa: E402

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

parse = LexborHTMLParser
NNBSP = "\u202f"


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the site's MARKDOWN after the plugin configured it."""
    settings = {"MARKDOWN": pelicanconf.MARKDOWN}
    sommaire.configure_markdown(SimpleNamespace(settings=settings))
    config = settings["MARKDOWN"]
    return markdown.Markdown(
        extensions=list(config["extension_configs"]) + config["extensions"],
        extension_configs=config["extension_configs"],
        output_format=config["output_format"])


def entries(text, levels=(2, 3)):
    return sommaire.toc_entries(site_markdown().convert(text), levels)


def test_levels_ids_and_text_without_the_permalink():
    body = ("## L’IA à l’école\n\ntexte\n\n### Les *outils* et `<code>`\n\n"
            "#### Trop profond\n\n## R & D : bilan\n")
    assert entries(body) == [
        (2, "l-ia-a-l-ecole", "L’IA à l’école"),
        (3, "les-outils-et-code", "Les outils et <code>"),
        (2, "r-d-bilan", "R & D : bilan"),
    ]
    assert [level for level, _, _ in entries(body, levels=(2, 3, 4))] == [2, 3, 4, 2]


def test_no_break_spaces_of_french_typography_are_kept():
    html = f'<h2 id="pourquoi">Pourquoi{NNBSP}?\n  vraiment</h2>'
    assert sommaire.toc_entries(html, [2]) == [(2, "pourquoi", f"Pourquoi{NNBSP}? vraiment")]


def test_only_a_real_id_attribute_counts():
    html = ('<h2 data-id="faux">Sans ancre</h2><h2 class="x" id=\'vrai\'>Avec</h2>'
            '<h2 id="">Vide</h2>')
    assert sommaire.toc_entries(html, [2]) == [(2, "vrai", "Avec")]


def test_the_permalink_sits_beside_its_heading_with_a_french_name():
    html = site_markdown().convert("Intro\n\n## L’IA *vraiment* ?\n\nTexte\n")
    assert html.split("\n")[1] == (
        '<div class="titre-ancre titre-ancre--h2"><h2 id="l-ia-vraiment">L’IA <em>vraiment</em> ?'
        '</h2><a aria-label="Lien direct vers la section «\u202fL’IA vraiment ?\u202f»"'
        ' class="headerlink" href="#l-ia-vraiment" title="Lien permanent vers cette section">#</a></div>')


def test_escaped_headings_in_code_are_not_headings():
    body = "```\n<h2 id=\"x\">dans le code</h2>\n```\n\n## Vrai titre\n"
    assert entries(body) == [(2, "vrai-titre", "Vrai titre")]


@pytest.mark.parametrize("levels", [[2, 3], [2, 4], [3, 2, 4]])
def test_toc_html_nests_valid_lists_whatever_the_jumps(levels):
    body = "\n\n".join(f"{'#' * level} Titre {index}" for index, level in
                       enumerate(levels * 2))
    found = entries(body, levels=(2, 3, 4))
    tree = parse(str(sommaire.toc_html(found)))
    links = tree.css("a")
    assert [link.attributes["href"] for link in links] == [f"#{a}" for _, a, _ in found]
    for nested in tree.css("ol ol"):
        assert nested.parent.tag == "li"  # a list inside a list sits in an item


@given(st.lists(st.tuples(st.sampled_from(["##", "###"]),
                          st.text(alphabet="abcé «»’?:&<>*`", min_size=1, max_size=20)),
                min_size=1, max_size=6))
def test_every_heading_markdown_makes_is_found_once(headings):
    """As many entries as headings with an id, in order, and each id is in the body."""
    body = "\n\n".join(f"{marks} {text}" for marks, text in headings)
    html = site_markdown().convert(body)
    found = sommaire.toc_entries(html, [2, 3])
    ids = [node.attributes.get("id") for node in parse(html).css("h2, h3")]
    assert [anchor for _, anchor, _ in found] == [i for i in ids if i]
