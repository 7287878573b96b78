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
