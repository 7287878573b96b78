"""Table alignment as classes: fed Markdown, compared HTML (and the site's own config)."""

import sys
from pathlib import Path

import markdown

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

from tableaux.tableaux import TableAlignExtension  # noqa: E402

TABLE = "| a | b | c | d |\n| :-- | --: | :-: | --- |\n| 1 | 2 | 3 | 4 |\n"


def render(text):
    return markdown.Markdown(extensions=["extra", TableAlignExtension()],
                             output_format="html5").convert(text)


def test_aligned_columns_get_classes_and_no_style():
    html = render(TABLE)
    assert "style=" not in html
    assert '<th class="align-left">a</th>' in html
    assert '<th class="align-right">b</th>' in html
    assert '<td class="align-center">3</td>' in html
    assert "<td>4</td>" in html  # a column without alignment stays bare


def test_other_styles_are_left_alone():
    html = render('<div markdown="1" style="color: red">x</div>\n\n' + TABLE)
    assert 'style="color: red"' in html


def test_the_built_site_has_no_style_attribute_in_a_table(site):
    """The sample blog's tables go through the same pipeline as any article."""
    for page in site.html_pages():
        text = page.read_text(encoding="utf-8")
        assert 'style="text-align' not in text, page
