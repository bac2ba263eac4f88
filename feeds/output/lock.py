"""One build at a time per output folder.

``flock`` is held by the open file, so the kernel drops it the moment the
holder dies however it dies (``kill -9`` included): a dead build's lock is
simply free again, with no stale-pid guessing.  The pid written into the file
only serves the message a waiting build prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from ..errors import LockError

LOCK_NAME = ".feeds.lock"


class BuildLock:
    def __init__(self, output: Path, wait: float = 0.0):
        self.path = output / LOCK_NAME
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise LockError(f"cannot take the build lock: {e.strerror or e}", path=self.path.parent) from e
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    raise LockError(
                        f"another feeds build{holder} is writing here; gave up after {self.wait:g} s "
                        "(use --wait SECONDS to wait longer)",
                        path=self.path.parent,
                    ) from None
                time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the flock
            self.fd = None


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
