"""Work shared between this process and forked children: order, failures, no stray children."""

from __future__ import annotations

import multiprocessing
import os
import time
from functools import partial
from pathlib import Path

import pytest

from feeds.builder.parallel import run_shared, workers
from feeds.errors import SourceError

pytestmark = pytest.mark.skipif(workers() < 2, reason="one core: tasks run in this process")


def _task(i: int) -> tuple[int, int]:
    time.sleep(0.002 * (i % 3))  # uneven tasks, so the processes take them in no fixed pattern
    return i, os.getpid()


def test_shared_tasks_run_here_and_in_children_and_come_back_in_order() -> None:
    results = list(run_shared([partial(_task, i) for i in range(60)], parallel=True))
    assert [i for i, _ in results] == list(range(60))
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == workers()
    assert not multiprocessing.active_children()


def test_meanwhile_runs_here_once_no_task_is_left() -> None:
    ran: list[int] = []
    results = run_shared(
        [partial(_task, i) for i in range(10)], parallel=True, meanwhile=lambda: ran.append(1)
    )
    assert [i for i, _ in results] == list(range(10))
    assert ran == [1]


def _fails_in_child(parent: int, i: int) -> int:
    if os.getpid() != parent and i >= 10:
        raise SourceError("unreadable", path=Path("/s"))
    time.sleep(0.001)
    return i


def _dies_in_child(parent: int, i: int) -> int:
    if os.getpid() != parent:
        os._exit(3)
    time.sleep(0.001)
    return i


def test_an_error_in_a_child_reaches_the_caller_with_its_kind() -> None:
    tasks = [partial(_fails_in_child, os.getpid(), i) for i in range(200)]
    with pytest.raises(SourceError, match="/s: unreadable"):
        list(run_shared(tasks, parallel=True))
    assert not multiprocessing.active_children()


def test_a_child_that_dies_stops_the_run() -> None:
    with pytest.raises(RuntimeError, match="the worker process died"):
        list(run_shared([partial(_dies_in_child, os.getpid(), i) for i in range(200)], parallel=True))
    assert not multiprocessing.active_children()


def test_a_caller_that_stops_early_leaves_no_child() -> None:
    results = run_shared([partial(_task, i) for i in range(200)], parallel=True)
    assert next(results)[0] == 0
    results.close()  # the generator's cleanup kills the children still running
    assert not multiprocessing.active_children()


def _interrupted_in_child(parent: int, i: int) -> int:
    if os.getpid() != parent:
        raise KeyboardInterrupt
    time.sleep(0.001)
    return i


def test_ctrl_c_in_a_child_stops_the_caller_as_ctrl_c() -> None:
    """Not as "a worker process failed": the command then says Aborted!, as for this process."""
    with pytest.raises(KeyboardInterrupt):
        list(run_shared([partial(_interrupted_in_child, os.getpid(), i) for i in range(200)], parallel=True))
    assert not multiprocessing.active_children()
