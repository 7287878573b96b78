"""Work spread over forked processes. Shared by the plugins; not a plugin.

Why ``fork`` and not ``multiprocessing``: a forked process starts with the finished
state of the build (settings, readers, articles, compiled templates) without pickling
any of it; only its result comes back. Used by ``ecriture`` (pages rendered on every
core), ``lecture_parallele`` (sources read on every core), ``tools/check`` (rules run
on every core, through ``map_shares``) and ``tools/run_pelican.py`` (the whole build, so
that its memory is gone before the search index is written and the covers are drawn:
``leave_for_after``).

A worker runs one function, and its return value, what it logged at WARNING or above
and, if it failed, its traceback come back to the build through a temporary file;
``collect`` waits for it. Where ``os.fork`` does not exist (Windows) callers stay
sequential: ``can_fork()`` says so. ``available_memory`` and ``memory_bound`` let a
caller fork no more workers than the machine, or the container's cgroup, can hold.
"""

from __future__ import annotations

import functools
import gc
import importlib
import logging
import os
import pickle
import signal
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable


def can_fork() -> bool:
    return hasattr(os, "fork")


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


#: Share of the memory the system can still give that forked processes may take: the
#: rest is left to the build, which keeps allocating while they run, and to the system.
MEMORY_HEADROOM = 0.8
#: A limit this high is no limit (cgroup v1 writes 2^63 rounded down to a page).
NO_LIMIT = 1 << 60


def _read_int(path: str) -> int | None:
    try:
        with open(path) as handle:
            text = handle.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # "max": no limit


def _named_number(path: str, *names: str) -> int | None:
    """The number after the first line named one of `names` in a « name value » file
    (``/proc/meminfo``: « MemAvailable:   123 kB »; a cgroup's ``memory.stat``)."""
    try:
        with open(path) as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 2 and fields[0].rstrip(":") in names:
                    return int(fields[1])
    except (OSError, ValueError):
        pass
    return None


def _inactive_file(directory: str) -> int:
    """Page cache the kernel reclaims first: counted in a cgroup's usage, yet free to take."""
    return _named_number(os.path.join(directory, "memory.stat"),
                         "inactive_file", "total_inactive_file") or 0


def _cgroup_headrooms(proc: str, cgroup_root: str):
    """Limit minus usage of every memory cgroup above this process that has a limit (the
    smallest one binds): v2 (``0::/path``, ``memory.max``) or v1's memory controller."""
    try:
        with open(os.path.join(proc, "self", "cgroup")) as handle:
            lines = handle.read().splitlines()
    except OSError:
        return
    for line in lines:
        fields = line.split(":", 2)
        if len(fields) != 3:
            continue
        _, controllers, path = fields
        if controllers == "":
            root, limit_file, usage_file = cgroup_root, "memory.max", "memory.current"
        elif "memory" in controllers.split(","):
            root = os.path.join(cgroup_root, "memory")
            limit_file, usage_file = "memory.limit_in_bytes", "memory.usage_in_bytes"
        else:
            continue
        parts = [part for part in path.split("/") if part]
        for depth in range(len(parts), -1, -1):  # this cgroup, then each parent
            directory = os.path.join(root, *parts[:depth])
            limit = _read_int(os.path.join(directory, limit_file))
            usage = _read_int(os.path.join(directory, usage_file))
            if limit is not None and usage is not None and limit < NO_LIMIT:
                yield max(0, limit - max(0, usage - _inactive_file(directory)))


def available_memory(proc: str = "/proc", cgroup_root: str = "/sys/fs/cgroup") -> int | None:
    """Bytes this process's work can still take before the machine or its container runs
    out: the kernel's ``MemAvailable``, or less where a cgroup limit (a container, a CI
    runner, a systemd slice) leaves less. None where neither can be read (not Linux)."""
    found = list(_cgroup_headrooms(proc, cgroup_root))
    kib = _named_number(os.path.join(proc, "meminfo"), "MemAvailable")
    if kib is not None:
        found.append(kib * 1024)
    return min(found) if found else None


def resident_memory(proc: str = "/proc") -> int | None:
    """This process's resident memory in bytes (None where /proc is missing)."""
    try:
        with open(os.path.join(proc, "self", "statm")) as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def memory_bound(processes: int, each: int | None, available: int | None) -> int:
    """At most `processes`, fewer if their copies would not fit: the first share runs in
    this process, each other one takes about `each` bytes more, and together they take
    no more than ``MEMORY_HEADROOM`` of `available`. Unknown sizes bind nothing."""
    if processes <= 1 or not each or available is None:
        return processes
    return max(1, min(processes, 1 + int(available * MEMORY_HEADROOM // each)))


def process_count(wanted: int, items: int, minimum_per_process: int) -> int:
    """Processes for `items` pieces of work: `wanted` (0: one per core), no more than
    leaves each at least `minimum_per_process` items (a fork costs more than a few), 1
    where processes cannot be forked."""
    if not can_fork():
        return 1
    return max(1, min(wanted or available_cores(), items // max(1, minimum_per_process)))


class Collector(logging.Handler):
    """What is logged at WARNING or above, made picklable (message formatted, no
    exception objects)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self.records.append(record)


@dataclass
class Report:
    """What came back from a worker."""

    result: Any = None
    records: list = field(default_factory=list)
    failure: str | None = None  # the worker's traceback, or why it gave no report


@dataclass
class Worker:
    pid: int
    report_file: Any


@dataclass
class AfterBuild:
    """Work a plugin leaves for after Pelican's process has ended (``leave_for_after``)."""

    module: str  # importable without Pelican, from plugins/ or PLUGIN_PATHS
    function: str
    argument: bytes  # pickled where it was left, unpickled where it runs
    label: str  # its stage in ``--timings`` (a key of tools/chrono.py's LABELS)

    def run(self):
        function = getattr(importlib.import_module(self.module), self.function)
        return function(pickle.loads(self.argument))


LEFT_FOR_AFTER: list[AfterBuild] = []


def leave_for_after(function: Callable[[Any], Any], argument: Any, label: str) -> None:
    """Have `function(argument)` run by whoever forked this build, once the build's
    process has ended (``tools/run_pelican.py``; a plugin only does so when a setting
    such as ``SEARCH_DEFERRED`` says it runs the build that way).

    Why: the build holds every article until it ends, and a process's memory goes back
    to the system only when it ends. Work that needs the written site and its own
    memory (Pagefind's index, the covers' drawing processes) then adds to nothing.
    `function` must be importable without Pelican (the runner never imports it) and
    `argument` must be plain data (``plain_data`` makes settings so); the argument is
    pickled here, so that the runner unpickles it only once the plugin folders are on
    its ``sys.path``."""
    LEFT_FOR_AFTER.append(AfterBuild(function.__module__, function.__qualname__,
                                     pickle.dumps(argument, pickle.HIGHEST_PROTOCOL), label))


PLAIN_TYPES = (str, bytes, int, float, bool, type(None))


def plain_data(settings: dict) -> dict:
    """The settings made of plain data only (text, numbers, lists, dicts…): what can
    cross from the build's process to the runner's. Exact types, not subclasses: a
    function or class defined in a settings file could not be unpickled there, and
    Pelican's own (``PAGINATION_PATTERNS`` holds named tuples) would make that process
    import Pelican, 0.3 to 0.7 s added to every build."""
    def plain(value) -> bool:
        if type(value) in PLAIN_TYPES:
            return True
        if type(value) is dict:
            return all(plain(key) and plain(item) for key, item in value.items())
        if type(value) in (list, tuple, set, frozenset):
            return all(plain(item) for item in value)
        return False

    return {key: value for key, value in settings.items() if plain(value)}


def fork(task: Callable[[], Any], keep_logging: bool = False) -> Worker:
    """Run `task()` in a forked process. Its logging goes to a Collector only (the
    records come back with the report), unless `keep_logging`: the handlers it inherited
    then print as they would here (``tools/run_pelican.py``'s build, which must show its
    problems as they come)."""
    report = tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return Worker(pid, report)
    status = 1
    collector = Collector()
    try:
        if not keep_logging:
            logging.getLogger().handlers[:] = [collector]
        result = task()
        payload, status = Report(result, collector.records), 0
    except BaseException:  # noqa: B036 - everything must reach the build
        payload = Report(None, collector.records, traceback.format_exc())
    try:
        pickle.dump(payload, report, pickle.HIGHEST_PROTOCOL)
        report.flush()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)  # no atexit handlers, no second flush of inherited buffers


def how_it_ended(code: int) -> str:
    """A process's exit code (``os.waitstatus_to_exitcode``) in words: a signal by its
    name, since SIGKILL from the system most often means it ran out of memory."""
    if code >= 0:
        return f"statut {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = ", le plus souvent faute de mémoire" if -code == signal.SIGKILL else ""
    return f"tué par {name}{hint}"


def collect(worker: Worker) -> Report:
    """Wait for `worker` and read its report."""
    _, status = os.waitpid(worker.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with worker.report_file as handle:
        handle.seek(0)
        try:
            report = pickle.load(handle)
        except (EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            report = Report(failure=f"processus {worker.pid} arrêté sans rapport "
                                    f"({how_it_ended(code)})")
    if report.failure is None and code != 0:
        report.failure = f"processus {worker.pid} : {how_it_ended(code)}"
    return report


def log_again(records) -> None:
    """Give the build's handlers what a worker logged (``tools/run_pelican.py`` counts
    warnings and errors there). Pelican's loggers drop a message already logged by
    raising ``FilteredMessage`` from their filter, which only their own ``_log`` expects:
    here it means « already said », not a failure. (Imported here, not at the top:
    ``tools/run_pelican.py`` forks its build before Pelican is imported, so that what
    the build imports is not held twice.)"""
    from pelican.log import FilteredMessage

    for record in records:
        try:
            logging.getLogger(record.name).handle(record)
        except FilteredMessage:
            pass


class WorkerFailure(RuntimeError):
    """Workers failed and their shares were not to be done again: their tracebacks."""

    def __init__(self, failures: list[str]):
        super().__init__("\n".join(failures))
        self.failures = failures


def map_shares(task: Callable[[list], Any], items: list, processes: int,
               redo_failed: bool = True) -> list:
    """``task(share)`` for each of ``processes`` shares of ``items`` (every n-th item, so
    long and short ones mix), the first share in this process and the others in forked
    ones, while it runs. Results come back in share order; what workers logged is logged
    again here. A share whose worker failed is done again here (an error then surfaces
    as it would without workers), or, with ``redo_failed=False`` (work that must not run
    twice, like writing files), ``WorkerFailure`` is raised once every worker is done."""
    if processes <= 1 or not can_fork():
        return [task(items)]
    shares = [items[index::processes] for index in range(processes)]
    gc.collect()
    gc.freeze()  # objects the workers only read: their memory pages stay shared
    try:
        workers = [fork(functools.partial(task, share)) for share in shares[1:]]
        try:
            results = [task(shares[0])]
        finally:  # even when this share raised: no worker is left behind unwaited
            reports = [collect(worker) for worker in workers]
    finally:
        gc.unfreeze()
    failures = []
    for report, share in zip(reports, shares[1:]):
        if report.failure is None:
            log_again(report.records)
            results.append(report.result)
        elif redo_failed:
            results.append(task(share))  # logs what it has to say itself
        else:
            log_again(report.records)
            failures.append(report.failure)
    if failures:
        raise WorkerFailure(failures)
    return results
