"""Dates et pluriels français des gabarits (greffon `lecture_fr`)."""

import datetime
import doctest
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

from lecture_fr import lecture_fr  # noqa: E402

PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.mark.parametrize("value, long, medium, short", [
    (datetime.date(2025, 10, 1), "1er octobre 2025", "1er oct. 2025", "01/10/2025"),
    (datetime.datetime(2025, 10, 23, 9, 30, tzinfo=PARIS), "23 octobre 2025",
     "23 oct. 2025", "23/10/2025"),
    (datetime.datetime(2031, 1, 11), "11 janvier 2031", "11 janv. 2031", "11/01/2031"),
])
def test_dates_in_french_whatever_the_type(value, long, medium, short):
    assert lecture_fr.date_fr(value) == long.replace(" ", "\u00a0", 1)
    assert lecture_fr.date_fr(value, "medium") == medium.replace(" ", "\u00a0", 1)
    assert lecture_fr.date_court(value) == short


def test_missing_dates_render_as_nothing():
    assert lecture_fr.date_fr(None) == lecture_fr.date_court(None) == ""


@pytest.mark.parametrize("count, text", [(0, "0 minute"), (1, "1 minute"), (2, "2 minutes")])
def test_french_plural_counts_zero_as_singular(count, text):
    forms = {"one": "{n} minute", "other": "{n} minutes"}
    assert lecture_fr.pluriel(count, forms) == text


def test_doctests_du_module():
    assert doctest.testmod(lecture_fr).failed == 0


def test_shared_text_helpers_keep_no_break_spaces():
    import _texte

    assert doctest.testmod(_texte).failed == 0
    assert lecture_fr.sans_balises("<p>Pourquoi\u202f?</p>\n<p>Parce que</p>") == \
        "Pourquoi\u202f? Parce que"


def test_word_counts_come_from_the_memo_of_the_previous_build(tmp_path, monkeypatch):
    from types import SimpleNamespace

    settings = {"CACHE_PATH": str(tmp_path), "LOAD_CONTENT_CACHE": True,
                "CACHE_CONTENT": True, "READING_SPEED": 2}
    body = "<p>Un deux trois quatre cinq</p>"

    def build():
        lecture_fr.memoire.open_for_build(settings, lecture_fr.MEMO_NAME,
                                          lecture_fr.MEMO_VERSION)
        content = SimpleNamespace(_content=body, settings=settings)
        lecture_fr.count_words(content)
        lecture_fr.save_word_counts(SimpleNamespace(settings=settings))
        return content.word_count, content.reading_time

    assert build() == (5, 3)
    assert (tmp_path / f"{lecture_fr.MEMO_NAME}.pickle").is_file()
    monkeypatch.setattr(lecture_fr, "words_in", lambda html: 1 / 0)  # must not run
    assert build() == (5, 3)
    body = "<p>Un texte modifié</p>"  # another body is counted again
    monkeypatch.undo()
    assert build() == (3, 2)
