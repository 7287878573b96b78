"""plugins/_processus: work shared with forked processes (used by ecriture,
lecture_parallele and tools/check)."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
import _processus as processus  # noqa: E402

pytestmark = pytest.mark.skipif(not processus.can_fork(), reason="no os.fork here")


def test_map_shares_deals_items_in_turn_and_keeps_share_order():
    parent = os.getpid()
    results = processus.map_shares(lambda share: [(item, os.getpid() != parent) for item in share],
                                   list(range(7)), 3)
    assert [[item for item, _ in share] for share in results] == [[0, 3, 6], [1, 4], [2, 5]]
    assert [forked for _, forked in results[0]] == [False] * 3  # the first share stays here
    assert all(forked for share in results[1:] for _, forked in share)


def test_a_failed_share_is_done_again_in_this_process():
    parent = os.getpid()

    def task(share):
        if os.getpid() != parent and 1 in share:
            raise RuntimeError("panne dans le processus")
        return sum(share)

    assert processus.map_shares(task, [1, 2, 3, 4], 2) == [1 + 3, 2 + 4]


def test_an_error_of_the_task_itself_reaches_the_caller():
    def task(share):
        raise ValueError("règle cassée")

    with pytest.raises(ValueError, match="règle cassée"):
        processus.map_shares(task, [1, 2, 3, 4], 2)


def test_one_process_runs_the_whole_list_here():
    assert processus.map_shares(lambda share: list(share), [1, 2, 3], 1) == [[1, 2, 3]]


def test_workers_are_waited_for_when_this_process_share_fails(monkeypatch):
    def task(share):
        if os.getpid() == parent:
            raise ValueError("règle cassée")
        return share

    parent = os.getpid()
    workers = []
    real_fork = processus.fork
    monkeypatch.setattr(processus, "fork", lambda job: workers.append(real_fork(job)) or workers[-1])
    with pytest.raises(ValueError):
        processus.map_shares(task, [1, 2, 3, 4], 3)
    assert len(workers) == 2
    for worker in workers:
        with pytest.raises(ChildProcessError):
            os.waitpid(worker.pid, os.WNOHANG)  # already collected: no zombie left


def test_a_message_pelican_already_logged_is_not_an_error_when_a_worker_repeats_it():
    """Pelican's loggers refuse a duplicate by raising from their filter: a worker's
    warning that the build (or another worker) already printed must pass quietly."""
    import logging
    import pelican.log  # noqa: F401 - installs Pelican's logger class

    seen = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = seen.append
    logger = logging.getLogger("pelican.contents.repeated")
    logger.addHandler(handler)
    try:
        record = logger.makeRecord(logger.name, logging.WARNING, __file__, 1,
                                   "Unable to find '%s', skipping url replacement.",
                                   ("/inexistant.md",), None)
        processus.log_again([record, record])
        processus.log_again([record])
    finally:
        logger.removeHandler(handler)
    assert len(seen) == 1


MiB = 2**20


def fake_system(tmp_path, cgroup: str, files: dict, available_kib: int | None = 8 * 1024 * 1024):
    """A /proc and a /sys/fs/cgroup of our own: `cgroup` is /proc/self/cgroup, `files`
    maps paths under the cgroup root to their text."""
    proc, root = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text(cgroup)
    if available_kib is not None:
        (proc / "meminfo").write_text(f"MemTotal: 99999999 kB\nMemAvailable: {available_kib} kB\n")
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return str(proc), str(root)


def test_available_memory_is_what_the_tightest_cgroup_leaves(tmp_path):
    # cgroup v2 (a CI job): 1 GiB limit, 600 MiB used of which 100 MiB reclaimable cache.
    proc, root = fake_system(tmp_path / "v2", "0::/ci/job\n", {
        "ci/job/memory.max": str(1024 * MiB), "ci/job/memory.current": str(600 * MiB),
        "ci/job/memory.stat": f"anon 1\ninactive_file {100 * MiB}\n"})
    assert processus.available_memory(proc, root) == 524 * MiB
    # A parent's limit binds too; "max" is no limit.
    proc, root = fake_system(tmp_path / "parent", "0::/ci/job\n", {
        "ci/memory.max": str(700 * MiB), "ci/memory.current": str(650 * MiB),
        "ci/job/memory.max": "max", "ci/job/memory.current": str(640 * MiB)})
    assert processus.available_memory(proc, root) == 50 * MiB
    # cgroup v1's memory controller (a Docker container).
    proc, root = fake_system(tmp_path / "v1", "5:cpu:/\n4:memory:/docker/abc\n0::/\n", {
        "memory/docker/abc/memory.limit_in_bytes": str(512 * MiB),
        "memory/docker/abc/memory.usage_in_bytes": str(100 * MiB),
        "memory/docker/abc/memory.stat": "cache 5\ntotal_inactive_file 0\n"})
    assert processus.available_memory(proc, root) == 412 * MiB


def test_available_memory_without_limits_is_the_kernels_estimate(tmp_path):
    proc, root = fake_system(tmp_path / "free", "4:memory:/\n0::/\n", {
        "memory/memory.limit_in_bytes": "9223372036854771712",  # v1's « unlimited »
        "memory/memory.usage_in_bytes": str(100 * MiB)}, available_kib=2 * 1024 * 1024)
    assert processus.available_memory(proc, root) == 2048 * MiB
    proc, root = fake_system(tmp_path / "none", "pas une ligne de cgroup\n", {}, available_kib=None)
    assert processus.available_memory(proc, root) is None  # nothing known: nothing binds


def test_memory_bound_keeps_the_copies_within_the_headroom():
    assert processus.memory_bound(2, 100 * MiB, 1024 * MiB) == 2
    assert processus.memory_bound(2, 600 * MiB, 500 * MiB) == 1
    assert processus.memory_bound(4, 100 * MiB, 250 * MiB) == 3  # 80 % of 250: two copies
    assert processus.memory_bound(4, None, 10 * MiB) == 4
    assert processus.memory_bound(4, 100 * MiB, None) == 4
