"""Run independent pieces of a build on every core: this process and forked children.

Forking (rather than spawning) means a child starts with the parent's memory:
the parsed posts and cleaned bodies are there without being pickled across,
and a task can be any callable, closures included.  Only the results of the
tasks a child takes travel back, pickled through a pipe.  Where fork is not
available, or the machine has one core, tasks simply run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from ..errors import FeedsError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    import multiprocessing  # loaded only by builds that use workers

    return "fork" in multiprocessing.get_all_start_methods()


def run_shared(
    tasks: Sequence[Callable[[], T]], *, parallel: bool = True, meanwhile: Callable[[], object] | None = None
) -> Iterator[T]:
    """Each task's result in task order, as soon as it and those before it are done.

    This process takes tasks beside ``workers() - 1`` children, each process
    the next task as it finishes one, so all end together.  What this process
    does is never pickled, needs no fork and touches no copied page, which
    made a cold 10,000-post build 7% faster than with a child per core and
    this process waiting.  ``meanwhile`` runs here once no task is left to
    take, while the children finish (loading the next stage's libraries); it
    is skipped when the tasks run in this process alone.
    """
    if not parallel or len(tasks) < 2 or workers() < 2 or not can_fork():
        for task in tasks:
            yield task()
        return
    if len(tasks) > MAX_SHARED:
        raise ValueError(f"at most {MAX_SHARED} shared tasks, not {len(tasks)}")
    import ctypes  # noqa: F401  # for _die_with, loaded here once rather than in every child
    import multiprocessing

    context = multiprocessing.get_context("fork")
    # Every index goes into a pipe before any child starts; each process reads 4 bytes to take
    # one (a pipe read of a few bytes is atomic), and an empty read means nothing is left.
    taken, offered = os.pipe()
    running: dict[Connection, Any] = {}
    done: dict[int, Any] = {}
    following = 0
    try:
        indices = b"".join(i.to_bytes(4, "little") for i in range(len(tasks)))
        if os.write(offered, indices) != len(indices):  # atomic up to PIPE_BUF (4 KiB): all or none
            raise OSError("the task pipe took only part of the task list")
        for _ in range(workers() - 1):
            receiver, sender = context.Pipe(duplex=False)
            _widen(sender)
            child = context.Process(target=_taker, args=(tasks, taken, offered, sender, os.getpid()))
            child.daemon = True
            child.start()
            sender.close()
            running[receiver] = child
        os.close(offered)
        offered = -1
        while (index := _take(taken)) is not None:
            done[index] = tasks[index]()
            _collect(running, done, block=False)
            while following in done:
                yield done.pop(following)
                following += 1
        if meanwhile is not None:
            meanwhile()
        while running:
            _collect(running, done, block=True)
            while following in done:
                yield done.pop(following)
                following += 1
        if following != len(tasks):
            raise RuntimeError(f"{len(tasks) - following} tasks came back from no process")
    finally:  # the caller stopped early (an error): no child outlives this
        for end in (taken, offered):
            if end >= 0:
                os.close(end)
        for receiver, child in running.items():
            child.kill()
            child.join()
            receiver.close()


# Task indices that fit in one page, the least a pipe holds on Linux (a user over
# pipe-user-pages-soft gets pipes of one page): all are written before any child reads.
MAX_SHARED = 1024


def _take(taken: int) -> int | None:
    data = os.read(taken, 4)
    return int.from_bytes(data, "little") if len(data) == 4 else None


def _widen(sender: Connection) -> None:
    """A child's results wait in the pipe while this process runs a task of its own; 256 KiB
    (Linux only) holds one of a parse's, so the child seldom blocks, without using up much of
    the pages a user may have in pipes (pipe-user-pages-soft)."""
    import fcntl

    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(sender.fileno(), fcntl.F_SETPIPE_SZ, 1 << 18)


def _taker(
    tasks: Sequence[Callable[[], Any]], taken: int, offered: int, sender: Connection, parent: int
) -> None:
    _die_with(parent)
    # The parent's objects came along with the fork; without this, every garbage
    # collection here would walk (and so copy) all of them.  It took a 100,000-post
    # build's parse from 8 s to 15 s.
    gc.freeze()
    os.close(offered)
    while (index := _take(taken)) is not None:
        outcome = _outcome(tasks[index])
        sender.send((*outcome, index))
        if outcome[0] != "ok":
            break
    sender.send(("done", None, -1))
    sender.close()


def _collect(running: dict[Connection, Any], done: dict[int, Any], *, block: bool) -> None:
    """Every result the children have sent so far (``block``: at least one, or a child's end)."""
    from multiprocessing.connection import Connection, wait

    for ready in wait(list(running), timeout=None if block else 0):
        assert isinstance(ready, Connection)
        while ready.poll():
            try:
                kind, value, index = ready.recv()
            except EOFError:
                kind, value, index = "crash", "the worker process died", -1
            if kind == "ok":
                done[index] = value
                continue
            child = running.pop(ready)
            ready.close()
            child.join()
            if kind == "done":
                break
            _raise(kind, value)


def _outcome(task: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", task())
    except FeedsError as e:  # sent whole (the family pickles), so the CLI sees its kind and exit code
        return ("feeds", e if _picklable(e) else FeedsError(str(e)))
    except KeyboardInterrupt:  # Ctrl-C reached the child first: the parent stops as it would
        return ("interrupt", None)
    except BaseException:  # reported in the parent, which decides
        return ("crash", traceback.format_exc())


def _picklable(error: FeedsError) -> bool:
    import pickle  # a child's results travel through multiprocessing, which loads it: not at start

    try:
        pickle.dumps(error)
    except Exception:
        return False
    return True


def _raise(kind: str, value: Any) -> NoReturn:
    if kind == "feeds":
        raise value
    if kind == "interrupt":
        raise KeyboardInterrupt
    raise RuntimeError(f"a worker process failed:\n{value}")


class Background:
    """A task run in a forked child while this process goes on; :meth:`join` waits for it.

    For work whose result is a file, not a value (saving a large cache while
    feeds are rendered).  Without fork it simply runs at once.
    """

    def __init__(self, task: Callable[[], None]):
        self.child: Any = None
        if not can_fork() or workers() < 2:
            task()
            return
        import ctypes  # noqa: F401  # see run_shared
        import multiprocessing

        self.child = multiprocessing.get_context("fork").Process(
            target=_background, args=(task, os.getpid()), daemon=True
        )
        self.child.start()

    def join(self) -> bool:
        """True when the task finished cleanly."""
        if self.child is None:
            return True
        self.child.join()
        return bool(self.child.exitcode == 0)


def _background(task: Callable[[], None], parent: int) -> None:
    _die_with(parent)
    gc.freeze()
    task()


def _die_with(parent: int) -> None:
    """End this worker when the build that forked it is killed.

    A worker holds the build's lock (inherited with the fork) and writes into
    the output; outliving a ``kill -9``'d build, it would block the next build
    and could rename its stale files over that build's new ones.  Linux only.
    """
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker runs on to the end
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while large acyclic results pile up.

    Unpickling 100,000 posts makes millions of objects; each of the collections
    that would trigger walks all of them again, for nothing (they hold no cycles).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def chunks(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """``items`` in ``parts`` contiguous slices of near-equal size (none empty)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out
