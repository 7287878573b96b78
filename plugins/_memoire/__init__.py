"""A memo kept from one build to the next in ``CACHE_PATH``. Shared by the plugins;
not a plugin.

Why: with Pelican's content cache, a warm build re-creates every article from its
cached HTML and runs every ``content_object_init`` receiver again, so any work a plugin
does per article costs as much warm as cold unless its result is remembered. Several
plugins need the same thing (typographie: the typeset HTML; lecture_fr: word counts;
ecriture: the names each template reads; covers: French dates; search: page hashes),
hence one class:

- entries are found by a key the caller derives from *all* the inputs (usually a hash
  of the text), so a stale entry can never be served;
- the file also carries a ``version`` (typically a hash of the plugin's code): another
  version means an empty memo;
- only the entries used during the build are written back, so the file does not grow
  with deleted articles; and nothing is written when nothing changed (most warm builds);
- an unreadable file is an empty memo; a file that cannot be written costs the next
  build some time, never the build itself (one line at WARNING).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)


def text_key(*texts: str) -> bytes:
    """A memo key for texts (an article's HTML, a template's source): their hash, so
    keys stay small however long the texts are."""
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.digest()


def file_version(path: str | os.PathLike) -> bytes:
    """A version that changes whenever the file at `path` (a plugin's code) changes."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).digest()


def publish(cache_path: str, out_path: str, link: bool = True) -> bool:
    """Put one cached file at ``out_path`` unless it is already there; True when
    something was written. Used for covers (``covers``) and compressed copies
    (``precompression``), both kept in the cache by their content.

    A hard link costs one system call where a copy moves the bytes, and a file that is
    already the cached one (same inode) is left as it is. Falls back to a copy (keeping
    the modification time, so the next build recognises it) where links are impossible,
    e.g. across file systems. Nothing edits these files in place after us; if a tool
    did, it would edit the cache too, hence the plugins' switches (``COVERS_HARDLINKS``).
    """
    if link:
        try:
            os.link(cache_path, out_path)  # the common case: nothing there yet
            return True
        except FileNotFoundError:
            if not os.path.exists(cache_path):
                raise
            os.makedirs(os.path.dirname(out_path), exist_ok=True)
            return publish(cache_path, out_path, link)
        except FileExistsError:
            pass
        except OSError:  # no hard links here (other file system, FAT…)
            link = False
    src = os.stat(cache_path)
    try:
        dst = os.stat(out_path)
        if (src.st_ino, src.st_dev) == (dst.st_ino, dst.st_dev) or \
                (src.st_size, src.st_mtime_ns) == (dst.st_size, dst.st_mtime_ns):
            return False
    except FileNotFoundError:
        os.makedirs(os.path.dirname(out_path), exist_ok=True)
    tmp = os.path.join(os.path.dirname(out_path),
                       f".tmp-{os.getpid()}-{os.path.basename(out_path)}")
    try:
        try:
            if not link:
                raise OSError("copie")
            os.link(cache_path, tmp)
        except OSError:
            shutil.copyfile(cache_path, tmp)
            os.utime(tmp, ns=(src.st_atime_ns, src.st_mtime_ns))
        os.replace(tmp, out_path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    return True


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it and a rename: a build
    killed mid-write never leaves half a file that a later build would trust, and two
    processes writing the same entry each rename a whole one. Folders are created."""
    directory = os.path.dirname(os.fspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; output files may be links to it
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class Memo:
    """Results by key, loaded from `path` if `load`, written back by ``save`` if `save`."""

    def __init__(self, path: str | os.PathLike, version: bytes, load: bool = True,
                 save: bool = True):
        self.path, self.version, self.save_wanted = Path(path), version, save
        self.old: dict = {}  # read from the file, not used yet in this build
        self.new: dict = {}  # used (read or computed) in this build
        self.computed = False
        if load:
            try:
                with open(self.path, "rb") as handle:
                    version_read, entries = pickle.load(handle)
                if version_read == version and isinstance(entries, dict):
                    self.old = entries
            except (OSError, pickle.PickleError, EOFError, ValueError, TypeError,
                    AttributeError, ImportError):
                pass  # no memo yet, or unreadable: everything is computed again

    def get(self, key, compute, *args, **kwargs):
        """The result for `key`: remembered, or ``compute(*args, **kwargs)``."""
        if key in self.new:
            return self.new[key]
        if key in self.old:
            result = self.old.pop(key)
        else:
            result = compute(*args, **kwargs)
            self.computed = True
        self.new[key] = result
        return result

    def remembered(self, key, default=None):
        """The result kept for `key`, if any, without counting it as used: for a caller
        that must check it against the world before trusting it (``ecriture``: is the
        file still the one written?), then records what it found with ``put``."""
        return self.new.get(key, self.old.get(key, default))

    def put(self, key, result) -> None:
        """Record `result` for `key` in this build (replacing what was remembered)."""
        missing = object()
        if self.new.get(key, self.old.pop(key, missing)) != result:
            self.computed = True  # so that ``save`` writes it
        self.new[key] = result

    def save(self) -> None:
        """Write the entries of this build, unless they are exactly what the file holds."""
        if not self.save_wanted or (not self.computed and not self.old
                                    and self.path.is_file()):
            return
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                pickle.dump((self.version, self.new), handle, pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError as error:
            logger.warning("cache non écrit (%s) : %s", self.path, error)
            try:
                temporary.unlink()
            except OSError:
                pass


# --- One memo per plugin and build -------------------------------------------------------
# Content receivers only get the content, whose settings lead back to the build's memo
# through CACHE_PATH; the memo is closed (saved and forgotten) at the end of the build, so
# nothing survives from one build to the next in a long-lived process (the preview).
_OPEN: dict[tuple[str, str], Memo] = {}


def memo_in_cache(settings, name: str, version: bytes) -> Memo | None:
    """The memo ``CACHE_PATH/<name>.pickle``, following Pelican's switches (loaded if
    ``LOAD_CONTENT_CACHE``, written if ``CACHE_CONTENT``); None when both are off."""
    load, save = bool(settings.get("LOAD_CONTENT_CACHE")), bool(settings.get("CACHE_CONTENT"))
    folder = settings.get("CACHE_PATH")
    if not folder or not (load or save):
        return None
    return Memo(Path(folder) / f"{name}.pickle", version, load, save)


def open_for_build(settings, name: str, version: bytes) -> Memo | None:
    """At ``initialized``: ``memo_in_cache`` kept for this build, where content receivers
    find it with ``for_build``."""
    memo = memo_in_cache(settings, name, version)
    key = (str(settings.get("CACHE_PATH")), name)
    if memo is None:
        _OPEN.pop(key, None)
    else:
        _OPEN[key] = memo
    return memo


def for_build(settings, name: str) -> Memo | None:
    """The memo `name` opened for the build these settings belong to, if any."""
    return _OPEN.get((str(settings.get("CACHE_PATH")), name))


def close_for_build(settings, name: str) -> None:
    """At the end of the build: write the memo `name` (if wanted) and forget it."""
    memo = _OPEN.pop((str(settings.get("CACHE_PATH")), name), None)
    if memo is not None:
        memo.save()
