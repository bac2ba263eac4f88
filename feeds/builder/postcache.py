"""What a build remembers between runs: each post's parsed metadata and its cleaned content.

A post is known by its path under the source; its size and mtime say whether
the file changed, and a hash of its bytes settles it when only the mtime moved
(a checkout, a copy).  Everything starts afresh when the config or the
package version changes, since either can change what a post parses or
cleans to, and a cache that cannot be read is discarded with a warning.

- Post metadata is needed whole (to plan every feed), so it is one pickle,
  read in one go.  A build that changed a few posts appends them to a small
  journal instead of rewriting the whole pickle; the journal is folded back in
  once it grows.
- Cleaned content is needed piecemeal (only for the feeds being rewritten),
  so it lives in SQLite (:mod:`feeds.builder.contentcache`), one row per post that
  shows in some feed: a build reads and writes just the rows it needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..config import Config, FeedsConfig
from ..output import write_atomic_with
from ..remake import values_maker

if TYPE_CHECKING:
    from ..models import Post
    from .contentcache import ContentStore

log = logging.getLogger(__name__)

_MAGIC = "feeds-cache-8"  # 4: Post.protection, Post.abstract; 5: a post pickled as its values; 6: digest;
# 7: posts and records with slots (their fields are in the magic too, see _magic); 8: both made
# again without their __init__ (see feeds.remake)
_PART = 5000  # records per pickle in a cache file
_JOURNAL_SHARE = 10  # fold the journal in when it holds more than 1/10 of the posts (or 500)


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One source file as last parsed: a post, a draft (both None) or the reason it is unusable."""

    size: int
    mtime_ns: int
    digest: bytes
    post: Post | None
    error: str | None = None

    def __reduce__(self) -> tuple[Callable[..., PostRecord], tuple[object, ...]]:
        """Pickled as its values: the state a slotted dataclass pickles by default is set back
        field by field through ``fields()``, 7 µs a record (and see :mod:`feeds.remake`)."""
        return _record, _RECORD_VALUES(self)


RECORD_FIELDS = tuple(f.name for f in fields(PostRecord))
_RECORD_VALUES = attrgetter(*RECORD_FIELDS)
_record = values_maker(PostRecord, RECORD_FIELDS, "_record")


_SHAPERS = (
    "nh3",
    "lxml",
    "markdown_it",
    "mdit_py_plugins",
    "latex2mathml",
    "emoji",
    "liquid",  # python-liquid: a Jekyll post's Liquid
    "cssselect",
    "yaml",
    "yaml_rs",
    "dateutil",
)


# Settings that decide which files exist, never what a post parses or cleans to: kept out of the
# cache key (in the pipeline's plan key instead), so that turning archives on does not clean every
# post of a large site again.
WHICH_FILES = ("archive", "opml", "opml_format", "index", "autodiscovery")
_NEUTRAL: dict[str, Any] = {name: getattr(FeedsConfig(), name) for name in WHICH_FILES}


def fingerprint(config: Config) -> str:
    """Changes whenever anything that shapes a parsed, cleaned or rendered post changes.

    That is the settings that reach a post (not where output or the fetcher
    go, so two configs may share a cache folder), the feeds version, and the
    installed libraries that parse, clean and write: an upgraded sanitiser must
    not leave its predecessor's output cached.  A library is known by its main
    file's size and mtime, which a reinstall changes; that costs a stat, where
    reading package metadata would cost more than a whole idle build.
    """
    shaping = (
        config.site,
        config.source,
        config.permalink,
        config.posts,
        config.categories,
        replace(config.feeds, **_NEUTRAL),
        config.content,
        config.websub,  # the hubs every feed names: a new one must rewrite them, not take the shortcut
        config.jekyll_site,  # a Jekyll site's reading rules: defaults, exclude, authors, site values
    )
    return hashlib.sha256(f"{__version__}\n{shaping!r}\n{_libraries()}".encode()).hexdigest()


def _libraries() -> str:
    stamps = []
    for name in _SHAPERS:
        try:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec else None
            stat = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            stat = None
        stamps.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}" if stat else f"{name}:-")
    return " ".join(stamps)


def digest(data: bytes, rel: str) -> bytes:
    """A post's file: its bytes and its path under the source (which no NUL ends early).

    The path is in it so that the digest alone can stand for a post whose entry
    nothing outside its file shapes (see ``jobs._stamper``): with archives every
    post's stamp is needed, and hashing each digest again with the path took
    0.4 s of a build that added one post to 100,000.
    """
    named = b"%b\0%b" % (rel.encode("utf-8", "surrogateescape"), data)
    return hashlib.blake2b(named, digest_size=16).digest()


def _magic() -> str:
    """The cache's format: a record and its post are pickled as their values, in the order of the
    fields named here, so a cache made with other fields is read afresh, never into the wrong
    ones.  (The post model is loaded only by builds that read records, not by one with nothing
    to do.)"""
    from ..models import POST_FIELDS

    return f"{_MAGIC} {' '.join(RECORD_FIELDS)} {' '.join(POST_FIELDS)}"


class _Pickle:
    """One pickled mapping tagged with the config fingerprint; unreadable means empty, with a warning."""

    def __init__(self, path: Path, key: str):
        self.path = path
        self.key = key
        self.usable = False  # whether the last load found a file of this version and config

    def load(self) -> dict[str, Any]:
        import pickle  # not by a build with nothing to do, which checks the cache exists and stops

        self.usable = False
        try:
            with self.path.open("rb") as f:
                magic, key, parts = pickle.load(f)
                if magic != _magic() or key != self.key:
                    return {}  # another version or config: not an error, just stale
                data: dict[str, Any] = {}
                for _ in range(parts):
                    data.update(pickle.load(f))
                self.usable = True
                return data
        except FileNotFoundError:
            return {}
        except Exception as e:  # a truncated or foreign pickle raises almost anything
            log.warning("%s: cache unreadable (%s: %s); starting afresh", self.path, type(e).__name__, e)
            self.remove()
            return {}

    def save(self, data: Mapping[str, Any]) -> None:
        """Streamed in parts: pickle's memo of a 100,000-post dump alone took 200 MB."""
        import pickle

        _remove_temporaries(self.path)

        def dump(fd: int) -> None:
            # A part at a time, not a list of them all made first: the process that saves while the
            # feeds are written had the highest peak of the build (with the records' smaller
            # layout, saving 100,000 grows it by 18 MB rather than 51).
            items = iter(data.items())
            with open(fd, "wb", closefd=False, buffering=1 << 20) as f:
                parts = -(-len(data) // _PART)
                pickle.dump((_magic(), self.key, parts), f, protocol=pickle.HIGHEST_PROTOCOL)
                for _ in range(parts):
                    pickle.dump(dict(islice(items, _PART)), f, protocol=pickle.HIGHEST_PROTOCOL)

        write_atomic_with(self.path, dump)

    def remove(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


class PostStore:
    """Every post's record: a base pickle plus a journal of the records changed since."""

    def __init__(self, folder: Path, key: str):
        self.base = _Pickle(folder / "posts.pickle", key)
        self.journal = _Pickle(folder / "posts.journal", key)
        self.pending: dict[str, PostRecord | None] = {}

    def exists(self) -> bool:
        """Whether an earlier build left records (usable or not: :meth:`load` says)."""
        return self.base.path.exists()

    def load(self) -> dict[str, PostRecord]:
        records: dict[str, PostRecord] = self.base.load()
        self.pending = self.journal.load() if self.base.usable else {}
        for rel, record in self.pending.items():
            if record is None:
                records.pop(rel, None)
            else:
                records[rel] = record
        return records

    def rewrites(self, records: Mapping[str, PostRecord], changed: Mapping[str, PostRecord | None]) -> bool:
        """Whether :meth:`save` will rewrite the whole base rather than the journal."""
        journal_size = len(self.pending) + len(changed)
        return not self.base.usable or journal_size > max(500, len(records) // _JOURNAL_SHARE)

    def save(self, records: Mapping[str, PostRecord], changed: Mapping[str, PostRecord | None]) -> None:
        """Record ``changed`` (None: deleted); rewrite the base when the journal has grown."""
        journal = {**self.pending, **changed}
        if self.rewrites(records, changed):
            self.base.save(records)
            self.base.usable = True
            self.journal.remove()
            self.pending = {}
        else:
            self.journal.save(journal)
            self.pending = journal


class BuildCache:
    def __init__(self, config: Config):
        self.key = fingerprint(config)
        self.posts = PostStore(config.cache, self.key)
        self.folder = config.cache

    @cached_property
    def contents(self) -> ContentStore:
        """Opened only by builds that write feeds: one with nothing to do never loads sqlite3."""
        from .contentcache import ContentStore

        return ContentStore(self.folder / "content.sqlite", self.key)


def _remove_temporaries(path: Path) -> None:
    """Temporary copies of ``path`` that a killed build left (``write_atomic`` names them)."""
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            os.unlink(leftover)
