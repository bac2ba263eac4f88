"""What a build remembers between runs: each post's parsed metadata and its cleaned content.

A post is known by its path under the source; its size and mtime say whether
the file changed, and a hash of its bytes settles it when only the mtime moved
(a checkout, a copy).  Both files start afresh when the config or the package
version changes, since either can change what a post parses or cleans to.

The metadata of every post is one pickle; cleaned content is a second one,
kept only for posts that show in some feed and loaded only when a feed must
be rendered, so a build with nothing to do never reads a body.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import write_atomic_with
from .config import Config
from .models import Content, Post

log = logging.getLogger(__name__)

_MAGIC = "feeds-cache-1"


@dataclass(frozen=True)
class PostRecord:
    """One source file as last parsed: a post, a draft (both None) or the reason it is unusable."""

    size: int
    mtime_ns: int
    digest: bytes
    post: Post | None
    error: str | None = None


def fingerprint(config: Config) -> str:
    """Changes whenever anything that shapes a parsed or cleaned post changes."""
    return hashlib.sha256(f"{__version__}\n{config!r}".encode()).hexdigest()


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Store:
    """Load and save one pickled mapping, tagged with the config fingerprint."""

    def __init__(self, path: Path, key: str):
        self.path = path
        self.key = key

    def load(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as f:
                magic, key, data = pickle.load(f)
        except FileNotFoundError:
            return {}
        except Exception as e:  # a truncated or foreign pickle raises almost anything
            log.warning("%s: cache unreadable (%s: %s); starting afresh", self.path, type(e).__name__, e)
            with contextlib.suppress(OSError):
                self.path.unlink()
            return {}
        if magic != _MAGIC or key != self.key or not isinstance(data, dict):
            return {}  # another version or config: not an error, just stale
        return data

    def save(self, data: dict[str, Any]) -> None:
        _remove_temporaries(self.path)

        def dump(fd: int) -> None:  # streamed: no second copy of a large cache in memory
            with open(fd, "wb", closefd=False, buffering=1 << 20) as f:
                pickle.dump((_MAGIC, self.key, data), f, protocol=pickle.HIGHEST_PROTOCOL)

        write_atomic_with(self.path, dump)


class BuildCache:
    def __init__(self, config: Config):
        key = fingerprint(config)
        self.key = key
        self.posts_store = Store(config.cache / "posts.pickle", key)
        self.content_store = Store(config.cache / "content.pickle", key)

    def load_posts(self) -> dict[str, PostRecord]:
        return self.posts_store.load()

    def load_contents(self) -> dict[str, tuple[bytes, Content]]:
        return self.content_store.load()

    def save(self, posts: dict[str, PostRecord], contents: dict[str, tuple[bytes, Content]] | None) -> None:
        self.posts_store.save(posts)
        if contents is not None:
            self.content_store.save(contents)


def _remove_temporaries(path: Path) -> None:
    """Temporary copies of ``path`` that a killed build left (``write_atomic`` names them)."""
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            leftover.unlink()
