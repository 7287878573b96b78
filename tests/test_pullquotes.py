"""Citations mises en exergue : du Markdown au HTML exact, une classe par réglage.

Le greffon est importé comme Pelican l’importe (`pullquotes`, depuis
`plugins/`), pour que les tests et le site utilisent le même module.
"""

import logging
import sys
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

from pullquotes import pullquotes as pq  # noqa: E402

NBSP = "\u00a0"


def render(text, **config):
    md = markdown.Markdown(
        extensions=["extra", pq.PullQuoteExtension(**config)], output_format="html5"
    )
    return md.convert(text)


def figure(quote, caption, css="pullquote"):
    return (
        f'<figure class="{css}">\n<blockquote>\n{quote}\n</blockquote>\n'
        f"<figcaption>{caption}</figcaption>\n</figure>"
    )


class TestDefaults:
    """Réglages par défaut : tirets — – --, classe `pullquote`, préfixe « – »."""

    def test_spec_example(self):
        html = render(
            "> Nous sommes très favorables à l’open source, mais je n’ai pas promis"
            " de tout rendre public.\n>\n> – Mark Zuckerberg, lors d’un podcast en 2024\n"
        )
        assert html == figure(
            "<p>Nous sommes très favorables à l’open source, mais je n’ai pas promis"
            " de tout rendre public.</p>",
            f"–{NBSP}<cite>Mark Zuckerberg</cite>, lors d’un podcast en 2024",
        )

    @pytest.mark.parametrize("dash", ["–", "—", "--"])
    def test_each_dash(self, dash):
        assert render(f"> Oui.\n>\n> {dash} Ada\n") == figure(
            "<p>Oui.</p>", f"–{NBSP}<cite>Ada</cite>"
        )

    def test_two_signed_quotes_in_a_row_stay_two(self):
        """Python-Markdown joins quotes separated by a blank line: each keeps its author."""
        html = render("> Un.\n> – Ada\n\n> Deux.\n>\n> – Alan, 1950\n\n> Trois.\n>\n> - a\n")
        assert html == "\n".join([
            figure("<p>Un.</p>", f"–{NBSP}<cite>Ada</cite>"),
            figure("<p>Deux.</p>", f"–{NBSP}<cite>Alan</cite>, 1950"),
            "<blockquote>\n<p>Trois.</p>\n<ul>\n<li>a</li>\n</ul>\n</blockquote>",
        ])

    def test_plain_quotes_in_a_row_stay_one_quote(self):
        assert render("> Un.\n\n> Deux.\n") == (
            "<blockquote>\n<p>Un.</p>\n<p>Deux.</p>\n</blockquote>")

    def test_dash_without_space(self):
        assert render("> Oui.\n>\n> —Ada, 1843\n") == figure(
            "<p>Oui.</p>", f"–{NBSP}<cite>Ada</cite>, 1843"
        )

    def test_context_keeps_every_comma(self):
        assert render("> Oui.\n>\n> – Ada, à Londres, en 1843\n") == figure(
            "<p>Oui.</p>", f"–{NBSP}<cite>Ada</cite>, à Londres, en 1843"
        )

    def test_plain_blockquote_untouched(self):
        assert render("> Une citation sans signature.\n") == (
            "<blockquote>\n<p>Une citation sans signature.</p>\n</blockquote>"
        )

    def test_dash_in_middle_paragraph_is_not_attribution(self):
        html = render("> – Premier.\n>\n> Dernier.\n")
        assert html == "<blockquote>\n<p>– Premier.</p>\n<p>Dernier.</p>\n</blockquote>"

    def test_multi_paragraph(self):
        assert render("> Un.\n>\n> Deux.\n>\n> – Ada\n") == figure(
            "<p>Un.</p>\n<p>Deux.</p>", f"–{NBSP}<cite>Ada</cite>"
        )

    def test_inline_markdown_in_quote_and_attribution(self):
        html = render(
            "> Le *code* est `ouvert`.\n>\n"
            "> – [Ada, comtesse](https://exemple.fr/ada) **Lovelace**, dans ses *Notes*\n"
        )
        assert html == figure(
            "<p>Le <em>code</em> est <code>ouvert</code>.</p>",
            f'–{NBSP}<cite><a href="https://exemple.fr/ada">Ada, comtesse</a>'
            " <strong>Lovelace</strong></cite>, dans ses <em>Notes</em>",
        )

    def test_comma_after_inline_element(self):
        assert render("> Oui.\n>\n> – *Ada*, 1843\n") == figure(
            "<p>Oui.</p>", f"–{NBSP}<cite><em>Ada</em></cite>, 1843"
        )

    def test_nested_list_in_quote(self):
        assert render("> Trois choses :\n>\n> - un\n> - deux\n>\n> — Ada\n") == figure(
            "<p>Trois choses :</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>",
            f"–{NBSP}<cite>Ada</cite>",
        )

    def test_quote_inside_list(self):
        html = render("- Point :\n\n    > Oui.\n    >\n    > -- Ada\n")
        assert html == (
            "<ul>\n<li>\n<p>Point :</p>\n"
            + figure("<p>Oui.</p>", f"–{NBSP}<cite>Ada</cite>")
            + "\n</li>\n</ul>"
        )

    def test_attribution_on_last_line_without_blank_line(self):
        assert render("> Oui.\n> – Ada, 1843\n") == figure(
            "<p>Oui.</p>", f"–{NBSP}<cite>Ada</cite>, 1843"
        )

    def test_attribution_after_hard_line_break(self):
        assert render("> Oui.  \n> – Ada\n") == figure(
            "<p>Oui.</p>", f"–{NBSP}<cite>Ada</cite>"
        )

    def test_dash_line_inside_emphasis_is_not_attribution(self):
        html = render("> *Oui\n> – non*\n")
        assert html == "<blockquote>\n<p><em>Oui\n– non</em></p>\n</blockquote>"

    def test_attribution_alone_left_as_is(self):
        assert render("> – Ada Lovelace\n") == (
            "<blockquote>\n<p>– Ada Lovelace</p>\n</blockquote>"
        )

    def test_dash_without_name_left_as_is(self):
        assert render("> Oui.\n>\n> --\n") == (
            "<blockquote>\n<p>Oui.</p>\n<p>--</p>\n</blockquote>"
        )

    def test_nested_pull_quote(self):
        html = render("> > Dedans.\n> >\n> > – B\n>\n> – A\n")
        inner = figure("<p>Dedans.</p>", f"–{NBSP}<cite>B</cite>")
        assert html == (
            '<figure class="pullquote">\n<blockquote>\n'
            + inner
            + f"\n</blockquote>\n<figcaption>–{NBSP}<cite>A</cite></figcaption>\n</figure>"
        )

    def test_code_is_never_an_attribution(self):
        html = render("> Oui.\n>\n>     -- pas un tiret\n")
        assert "<figure" not in html
        assert "<code>-- pas un tiret\n</code>" in html

    def test_two_quotes_in_a_row(self):
        html = render("> Un.\n>\n> – A\n\nTexte.\n\n> Deux.\n>\n> – B\n")
        assert html.count('<figure class="pullquote">') == 2
        assert "<p>Texte.</p>" in html


class TestCustomConfig:
    """Classe, préfixe et tirets réglés autrement."""

    CONFIG = {"css_class": "exergue", "prefix": "", "dashes": ["~~"]}

    def test_custom_class_and_empty_prefix(self):
        assert render("> Oui.\n>\n> ~~ Ada, 1843\n", **self.CONFIG) == figure(
            "<p>Oui.</p>", "<cite>Ada</cite>, 1843", css="exergue"
        )

    def test_default_dashes_no_longer_count(self):
        html = render("> Oui.\n>\n> – Ada\n", **self.CONFIG)
        assert html == "<blockquote>\n<p>Oui.</p>\n<p>– Ada</p>\n</blockquote>"

    def test_make_extension(self):
        ext = pq.makeExtension(css_class="exergue")
        assert isinstance(ext, pq.PullQuoteExtension)
        assert ext.getConfig("css_class") == "exergue"


class TestExtraction:
    """Lecture du HTML rendu : `content.pullquote` et attributions seules."""

    def test_first_pull_quote_as_plain_text(self):
        html = render(
            "> Le *code*\n> est ouvert &amp; libre.\n>\n> – **Ada** Lovelace, à Londres\n\n"
            "Entre les deux.\n\n> Autre.\n>\n> – B\n"
        )
        assert pq.extraire_citation(html) == {
            "text": "Le code est ouvert & libre.",
            "cite": "Ada Lovelace",
            "context": "à Londres",
        }

    def test_multi_paragraph_text_is_joined(self):
        html = render("> Un.\n>\n> - deux\n>\n> – A\n")
        assert pq.extraire_citation(html)["text"] == "Un. deux"

    def test_no_pull_quote(self):
        assert pq.extraire_citation(render("> Simple.\n")) is None

    def test_orphan_attributions(self):
        html = render("> – Ada\n\nUn.\n\n> Oui.\n>\n> – Bob\n\nDeux.\n\n> — Carl, *1843*\n")
        assert pq.attributions_orphelines(html) == ["– Ada", "— Carl, 1843"]


def _content(html, source_path="content/essai.md"):
    return SimpleNamespace(
        _content=html, settings=dict(pq.DEFAULTS), source_path=source_path
    )


class TestPelicanReceivers:
    """Récepteurs : réglages, extension dans MARKDOWN, `content.pullquote`."""

    def test_initialized_adds_extension_once_without_mutating_shared_dict(self):
        shared = {"extensions": ["extra"], "output_format": "html5"}
        pelican = SimpleNamespace(settings={"MARKDOWN": shared})
        pq.ajouter_extension(pelican)
        pq.ajouter_extension(pelican)
        extensions = pelican.settings["MARKDOWN"]["extensions"]
        assert shared == {"extensions": ["extra"], "output_format": "html5"}
        assert [type(e).__name__ for e in extensions] == ["str", "PullQuoteExtension"]
        assert pelican.settings["PULLQUOTE_CSS_CLASS"] == "pullquote"

    def test_initialized_respects_user_settings(self):
        pelican = SimpleNamespace(
            settings={"MARKDOWN": {}, "PULLQUOTE_CSS_CLASS": "exergue"}
        )
        pq.ajouter_extension(pelican)
        ext = pelican.settings["MARKDOWN"]["extensions"][0]
        assert ext.getConfig("css_class") == "exergue"

    def test_content_gets_pullquote(self):
        content = _content(render("> Oui.\n>\n> – Ada, 1843\n"))
        pq.exposer_citation(content)
        assert content.pullquote == {"text": "Oui.", "cite": "Ada", "context": "1843"}

    def test_content_without_quote_gets_none(self):
        content = _content("<p>Rien.</p>")
        pq.exposer_citation(content)
        assert content.pullquote is None

    def test_static_content_is_skipped(self):
        content = _content(None)
        pq.exposer_citation(content)
        assert not hasattr(content, "pullquote")

    def test_orphan_attribution_warns_with_file(self, caplog):
        content = _content(render("> – Ada Lovelace\n"), "content/ada.md")
        with caplog.at_level(logging.WARNING):
            pq.exposer_citation(content)
        assert content.pullquote is None
        [record] = caplog.records
        assert record.levelno == logging.WARNING
        assert "content/ada.md" in record.getMessage()
        assert "– Ada Lovelace" in record.getMessage()


def test_doctests_du_module():
    import doctest

    assert doctest.testmod(pq).failed == 0
