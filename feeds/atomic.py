"""Write files so that a reader, or a build killed at any instant, sees old or new bytes, never half.

The temporary file lives in the target's own folder so that the final
``os.replace`` is a rename within one file system, which POSIX makes atomic;
it is fsynced first, so after a crash the new name never points at data the
disk does not have.  Temporary names are ``.<name>.<pid>-<n>.tmp``, which
:mod:`feeds.output` knows how to find and remove after a killed build.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

_counter = itertools.count()


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: flushed and fsynced before the rename."""

    def write(fd: int) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    write_atomic_with(path, write)


def write_atomic_with(path: Path, write: Callable[[int], None]) -> None:
    """Like :func:`write_atomic`, with ``write(fd)`` producing the bytes (a large pickle, streamed)."""
    tmp = f"{path.parent}/.{path.name[:40]}.{os.getpid()}-{next(_counter)}.tmp"
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            write(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write: {e.strerror or e}", path=path) from e


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so mtime (and HTTP caching) stays; True if written."""
    try:
        if os.stat(path).st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True
