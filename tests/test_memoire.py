"""plugins/_memoire: what a warm build may reuse, and when the file is (not) rewritten."""

from __future__ import annotations

import os
import pickle
import sys

from tests.conftest import ROOT

if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from _memoire import Memo, file_version  # noqa: E402


def compute_once(calls):
    def compute(text):
        calls.append(text)
        return text.upper()
    return compute


def test_a_result_is_computed_once_then_remembered_by_the_next_build(tmp_path):
    path, calls = tmp_path / "memo.pickle", []
    first = Memo(path, b"v1")
    assert first.get("k", compute_once(calls), "calcul") == "CALCUL"
    assert first.get("k", compute_once(calls), "calcul") == "CALCUL"
    first.save()
    second = Memo(path, b"v1")
    assert second.get("k", compute_once(calls), "calcul") == "CALCUL"
    assert calls == ["calcul"]


def test_another_version_or_an_unreadable_file_is_an_empty_memo(tmp_path):
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps((b"v1", {"k": "ANCIEN"})))
    assert Memo(path, b"v2").old == {}
    path.write_bytes(b"pas un pickle")
    assert Memo(path, b"v1").old == {}
    path.write_bytes(pickle.dumps(["autre", "forme", "inattendue"]))
    assert Memo(path, b"v1").old == {}


def test_only_the_entries_of_this_build_are_written_back(tmp_path):
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps((b"v", {"gardé": 1, "oublié": 2})))
    memo = Memo(path, b"v")
    memo.get("gardé", lambda: 0)
    memo.save()
    assert pickle.loads(path.read_bytes()) == (b"v", {"gardé": 1})


def test_nothing_is_written_when_the_build_changed_nothing(tmp_path):
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps((b"v", {"k": 1})))
    os.utime(path, ns=(10**18, 10**18))
    memo = Memo(path, b"v")
    memo.get("k", lambda: 0)
    memo.save()
    assert path.stat().st_mtime_ns == 10**18
    memo.get("nouveau", lambda: 2)
    memo.save()
    assert pickle.loads(path.read_bytes()) == (b"v", {"k": 1, "nouveau": 2})


def test_a_result_put_is_written_only_when_it_is_new(tmp_path):
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps((b"v", {"même": 1, "changé": 2, "oublié": 3})))
    os.utime(path, ns=(10**18, 10**18))
    memo = Memo(path, b"v")
    assert memo.remembered("même") == 1 and memo.remembered("absent", "défaut") == "défaut"
    memo.put("même", 1)
    memo.put("même", 1)
    memo.get("changé", lambda: 0)
    memo.save()
    assert path.stat().st_mtime_ns != 10**18  # « oublié » is dropped
    os.utime(path, ns=(10**18, 10**18))
    memo = Memo(path, b"v")
    memo.put("même", 1)
    memo.put("changé", 2)
    memo.save()
    assert path.stat().st_mtime_ns == 10**18
    memo = Memo(path, b"v")
    memo.put("même", 1)
    memo.put("changé", 20)
    memo.save()
    assert pickle.loads(path.read_bytes()) == (b"v", {"même": 1, "changé": 20})


def test_load_and_save_follow_the_two_switches(tmp_path):
    path = tmp_path / "memo.pickle"
    path.write_bytes(pickle.dumps((b"v", {"k": "ANCIEN"})))
    assert Memo(path, b"v", load=False).get("k", lambda: "NEUF") == "NEUF"
    memo = Memo(path, b"v", save=False)
    memo.get("autre", lambda: 1)
    memo.save()
    assert pickle.loads(path.read_bytes()) == (b"v", {"k": "ANCIEN"})


def test_a_memo_that_cannot_be_written_only_warns(tmp_path, caplog):
    blocked = tmp_path / "fichier"
    blocked.write_text("x")
    memo = Memo(blocked / "memo.pickle", b"v")  # a folder that is a file
    memo.get("k", lambda: 1)
    memo.save()
    assert "cache non écrit" in caplog.text


def test_file_version_follows_the_bytes_of_the_file(tmp_path):
    path = tmp_path / "code.py"
    path.write_text("a = 1\n")
    first = file_version(path)
    path.write_text("a = 2\n")
    assert file_version(path) != first


def test_text_key_tells_texts_apart_and_stays_the_same():
    from _memoire import text_key

    assert text_key("l’école", "b") == text_key("l’école", "b")
    assert text_key("ab", "c") != text_key("a", "bc")
    assert text_key("\udcff") != text_key("")  # lone surrogates from a reader are kept
    assert len(text_key("x" * 100_000)) == 16
