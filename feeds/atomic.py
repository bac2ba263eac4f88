"""Write files so that a reader, or a build killed at any instant, sees old or new bytes, never half.

The temporary file lives in the target's own folder so that the final
``os.replace`` is a rename within one file system, which POSIX makes atomic.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: flushed and fsynced before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write: {e.strerror or e}", path=path) from e


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so mtime (and HTTP caching) stays; True if written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True
