"""precompression: pelican-precompress's copies, kept by content from one build to the next."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import time
from pathlib import Path

import brotli
import pytest
from conftest import ROOT, build_site
from pelican.plugins import precompress
from precompression import precompression as pc

SETTINGS = {"PRECOMPRESS_GZIP": True, "PRECOMPRESS_BROTLI": True, "PRECOMPRESS_ZOPFLI": False,
            "PRECOMPRESS_ZSTANDARD": False, "PRECOMPRESS_MIN_SIZE": 256}


def page(n: int) -> bytes:
    """A page of its own: shared markup, a body that differs from page to page."""
    words = random.Random(n).choices(["énergie", "réseau", "données", "mobilité", "l’IA"], k=400)
    return (f"<!doctype html><html lang=fr><title>Page {n}</title><main>{' '.join(words)}</main>"
            ).encode()


def make_site(folder: Path, pages: int = 50) -> None:
    for n in range(pages):
        (folder / f"page-{n}").mkdir(parents=True)
        (folder / f"page-{n}" / "index.html").write_bytes(page(n))
    (folder / "feeds").mkdir()
    (folder / "feeds" / "atom.xml").write_bytes(b"<feed>" + b"<entry>texte</entry>" * 200 + b"</feed>")
    (folder / "court.css").write_bytes(b"a{color:red}")  # under PRECOMPRESS_MIN_SIZE
    (folder / "bruit.txt").write_bytes(random.Random(1).randbytes(4000))  # does not compress
    (folder / "image.jpg").write_bytes(b"\xff\xd8" + b"0" * 4000)  # not a text file


def settings(tmp_path: Path, **extra) -> dict:
    return {**SETTINGS, "CACHE_PATH": str(tmp_path / "cache"), **extra}


@pytest.fixture
def counted(monkeypatch):
    """Every call to pelican-precompress's compressors (in this process)."""
    calls = []
    for module, name in ((precompress.brotli, "compress"), (precompress, "compress_with_gzip")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda data, *a, real=real, name=name, **k:
                            calls.append(name) or real(data, *a, **k))
    return calls


def test_copies_are_pelican_precompress_bytes(tmp_path):
    """gzip as pelican-precompress writes it; Brotli at the quality set (10 by default)."""
    site = tmp_path / "site"
    make_site(site)
    counts = pc.compress_folder(settings(tmp_path), site)
    assert counts["compressées"] == 2 * 51 and counts["reprises"] == 0
    for text in [*site.rglob("*.html"), site / "feeds" / "atom.xml"]:
        data = text.read_bytes()
        assert Path(f"{text}.br").read_bytes() == brotli.compress(data, mode=brotli.MODE_TEXT, quality=10)
        assert Path(f"{text}.gz").read_bytes() == precompress.compress_with_gzip(data)
        assert brotli.decompress(Path(f"{text}.br").read_bytes()) == data
        assert gzip.decompress(Path(f"{text}.gz").read_bytes()) == data
    for skipped in ("court.css", "bruit.txt", "image.jpg"):  # too small, larger, not text
        assert not list(site.glob(f"{skipped}.*")), skipped


def test_brotli_quality_11_is_pelican_precompress_itself(tmp_path):
    site = tmp_path / "site"
    make_site(site, pages=2)
    pc.compress_folder(settings(tmp_path, PRECOMPRESSION_BROTLI_QUALITY=11), site)
    for text in site.rglob("*.html"):
        assert Path(f"{text}.br").read_bytes() == precompress.compress_with_brotli(text.read_bytes())
    names = {p.name.split(".", 1)[1] for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert "brotli-11" in names and "brotli-10" not in names  # its own cache entries


def test_a_new_folder_with_the_same_texts_compresses_nothing(tmp_path, counted):
    """A production build wipes its output: the copies come back from the cache, the
    same bytes, and only a changed page is compressed again."""
    first, second = tmp_path / "premier", tmp_path / "second"
    make_site(first)
    pc.compress_folder(settings(tmp_path, PRECOMPRESSION_PROCESSUS=1), first)
    assert len(counted) == 2 * 52  # the incompressible file is tried once per format
    make_site(second)
    (second / "page-7" / "index.html").write_bytes(page(1007))
    counted.clear()
    counts = pc.compress_folder(settings(tmp_path, PRECOMPRESSION_PROCESSUS=1), second)
    assert sorted(counted) == ["compress", "compress_with_gzip"]  # page-7 only
    assert counts["reprises"] == 2 * 50 and counts["compressées"] == 2
    for copy in first.rglob("*.br"):
        twin = second / copy.relative_to(first)
        if "page-7" not in str(copy):
            assert twin.read_bytes() == copy.read_bytes()
    assert brotli.decompress((second / "page-7" / "index.html.br").read_bytes()) == page(1007)
    assert not list(second.glob("bruit.txt.*"))  # « would be larger » is remembered too


def test_every_core_gives_the_same_bytes_as_one(tmp_path):
    one, many = tmp_path / "un", tmp_path / "plusieurs"
    make_site(one)
    make_site(many)
    pc.compress_folder(settings(tmp_path / "a", PRECOMPRESSION_PROCESSUS=1), one)
    counts = pc.compress_folder(settings(tmp_path / "b", PRECOMPRESSION_PROCESSUS=2), many)
    assert counts["compressées"] == 2 * 51
    copies = sorted(p.relative_to(one) for p in one.rglob("*") if p.suffix in (".br", ".gz"))
    assert copies == sorted(p.relative_to(many) for p in many.rglob("*") if p.suffix in (".br", ".gz"))
    assert all((one / c).read_bytes() == (many / c).read_bytes() for c in copies)


def test_a_copy_already_beside_its_file_is_left_unless_overwrite(tmp_path):
    site = tmp_path / "site"
    make_site(site, pages=1)
    stale = site / "page-0" / "index.html.br"
    stale.write_bytes(b"ancienne copie")
    pc.compress_folder(settings(tmp_path), site)
    assert stale.read_bytes() == b"ancienne copie"  # pelican-precompress's rule
    pc.compress_folder(settings(tmp_path, PRECOMPRESS_OVERWRITE=True), site)
    assert brotli.decompress(stale.read_bytes()) == page(0)


def test_a_folder_compressed_again_keeps_its_copies_and_replaces_a_changed_one(tmp_path):
    """Production keeps its folder (PRECOMPRESS_OVERWRITE): a copy that already is the
    cached one is left as it is, yet its date is renewed (the exact output of ecriture
    keeps only what this build wrote or touched); a page whose text changed gets the
    copy of its new text."""
    site = tmp_path / "site"
    make_site(site, pages=3)
    options = settings(tmp_path, PRECOMPRESS_OVERWRITE=True, PRECOMPRESSION_PROCESSUS=1)
    pc.compress_folder(options, site)
    kept, changed = site / "page-0" / "index.html.br", site / "page-1" / "index.html.br"
    inode, changed_inode = kept.stat().st_ino, changed.stat().st_ino
    before = kept.stat().st_ctime_ns
    time.sleep(0.05)  # file dates move by clock ticks of a few milliseconds
    (site / "page-1" / "index.html").write_bytes(page(1001))
    pc.compress_folder(options, site)
    assert kept.stat().st_ino == inode and kept.stat().st_ctime_ns > before
    assert changed.stat().st_ino != changed_inode
    assert brotli.decompress(changed.read_bytes()) == page(1001)


def test_copies_unused_for_the_keep_delay_are_pruned(tmp_path):
    site = tmp_path / "site"
    make_site(site, pages=3)
    pc.compress_folder(settings(tmp_path), site)
    cache = tmp_path / "cache" / "precompression"
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert len(entries) == 2 * 5  # 3 pages and the feed, twice, plus bruit.txt's two marks
    month_ago = time.time() - 31 * 86400
    for entry in entries:
        os.utime(entry, (month_ago, month_ago))
    (site / "page-2" / "index.html").unlink()  # no longer in the site
    for copy in site.rglob("*.br"):
        copy.unlink()
    for copy in site.rglob("*.gz"):
        copy.unlink()
    counts = pc.compress_folder(settings(tmp_path), site)
    assert counts["reprises"] == 2 * 3
    left = {p.name for p in cache.rglob("*") if p.is_file()}
    assert len(left) == 2 * 4  # page-2's copies were old and unused: gone
    assert {p.name for p in entries} - left == {
        f"{pc.hashlib.sha256(page(2)).hexdigest()}.{fmt}" for fmt in ("brotli-10", "gzip")}
    assert pc.prune(cache, None) == 0


def test_another_compressor_version_has_its_own_folder(tmp_path, monkeypatch):
    site = tmp_path / "site"
    make_site(site, pages=2)
    pc.compress_folder(settings(tmp_path), site)
    monkeypatch.setattr(pc, "LIBRARIES", (*pc.LIBRARIES, "pillow"))  # as if brotli changed
    for copy in [*site.rglob("*.br"), *site.rglob("*.gz")]:
        copy.unlink()
    counts = pc.compress_folder(settings(tmp_path), site)
    assert counts["reprises"] == 0 and counts["compressées"] == 2 * 3
    assert len([p for p in (tmp_path / "cache" / "precompression").iterdir()]) == 2


def test_production_build_compresses_only_what_changed(tmp_path):
    """Two production builds of a small blog with one cache: the second compresses no
    page it had compressed, and its copies are the same bytes."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    extra = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "COVERS_ENABLED": "false"}
    first = build_site(content, tmp_path / "un", config=ROOT / "publishconf.py", extra=extra)
    assert first.returncode == 0, first.stdout + first.stderr
    cache = tmp_path / "cache" / "precompression"
    entries = {p.name: p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    assert len(entries) > 40
    second = build_site(content, tmp_path / "deux", config=ROOT / "publishconf.py", extra=extra)
    assert second.returncode == 0, second.stdout + second.stderr
    # Nothing compressed: no entry added, none written again (a new file has a new inode).
    assert {p.name: p.stat().st_ino for p in cache.rglob("*") if p.is_file()} == entries
    copies = sorted(p.relative_to(tmp_path / "un") for p in (tmp_path / "un").rglob("*.br"))
    assert len(copies) > 20
    assert all((tmp_path / "un" / c).read_bytes() == (tmp_path / "deux" / c).read_bytes() for c in copies)
