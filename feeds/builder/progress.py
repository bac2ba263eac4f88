"""How a build reports progress, without knowing whether anyone watches.

The build calls ``progress.phase(label, total)`` and, inside it, the function
it gets back once per item done; the command line supplies bars on a terminal
and nothing otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

Advance = Callable[[int], None]


class Progress(Protocol):
    def phase(self, label: str, total: int) -> AbstractContextManager[Advance]: ...


class _Silent:
    @contextmanager
    def phase(self, label: str, total: int) -> Iterator[Advance]:
        yield _ignore


def _ignore(done: int) -> None:
    del done


NO_PROGRESS: Progress = _Silent()
