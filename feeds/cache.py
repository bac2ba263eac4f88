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
  so it lives in SQLite, one row per post that shows in some feed: a build
  reads and writes just the rows it needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import write_atomic_with
from .config import Config
from .models import Content, Post

log = logging.getLogger(__name__)

_MAGIC = "feeds-cache-2"
_PART = 5000  # records per pickle in a cache file
_JOURNAL_SHARE = 10  # fold the journal in when it holds more than 1/10 of the posts (or 500)


@dataclass(frozen=True)
class PostRecord:
    """One source file as last parsed: a post, a draft (both None) or the reason it is unusable."""

    size: int
    mtime_ns: int
    digest: bytes
    post: Post | None
    error: str | None = None


_SHAPERS = (
    "feedgen",
    "nh3",
    "lxml",
    "markdown_it",
    "cssselect",
    "frontmatter",
    "yaml",
    "yaml_rs",
    "dateutil",
)


def fingerprint(config: Config) -> str:
    """Changes whenever anything that shapes a parsed, cleaned or rendered post changes.

    That is the settings that reach a post (not where output or the fetcher
    go, so two configs may share a cache folder), the feeds version, and the
    installed libraries that parse, clean and write: an upgraded sanitiser must
    not leave its predecessor's output cached.  A library is known by its main
    file's size and mtime, which a reinstall changes; that costs a stat, where
    reading package metadata would cost more than a whole idle build.
    """
    shaping = (config.site, config.source, config.permalink, config.feeds, config.content)
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


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class _Pickle:
    """One pickled mapping tagged with the config fingerprint; unreadable means empty, with a warning."""

    def __init__(self, path: Path, key: str):
        self.path = path
        self.key = key
        self.usable = False  # whether the last load found a file of this version and config

    def load(self) -> dict[str, Any]:
        self.usable = False
        try:
            with self.path.open("rb") as f:
                magic, key, parts = pickle.load(f)
                if magic != _MAGIC or key != self.key:
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
        _remove_temporaries(self.path)
        items = list(data.items())
        parts = [dict(items[i : i + _PART]) for i in range(0, len(items), _PART)]

        def dump(fd: int) -> None:
            with open(fd, "wb", closefd=False, buffering=1 << 20) as f:
                pickle.dump((_MAGIC, self.key, len(parts)), f, protocol=pickle.HIGHEST_PROTOCOL)
                for part in parts:
                    pickle.dump(part, f, protocol=pickle.HIGHEST_PROTOCOL)

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


class ContentStore:
    """Cleaned content by post, in SQLite, so a build touches only the rows it needs."""

    def __init__(self, path: Path, key: str):
        self.path = path
        self.key = key
        self.db: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection | None:
        """The database, made afresh if unreadable; None if even that fails (then nothing is cached)."""
        if self.db is None:
            try:
                self.db = self._connect()
            except sqlite3.Error as e:
                self._discard(e)
                try:
                    self.db = self._connect()
                except (sqlite3.Error, OSError) as again:
                    log.warning("%s: cannot keep a content cache (%s); cleaning every post", self.path, again)
        return self.db

    def _discard(self, error: Exception) -> None:
        log.warning("%s: cache unreadable (%s); starting afresh", self.path, error)
        self.close()
        for leftover in (self.path, Path(f"{self.path}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != self.key:
                db.execute("DROP TABLE IF EXISTS content")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.key,))
            db.execute(
                "CREATE TABLE IF NOT EXISTS content (rel TEXT PRIMARY KEY, digest BLOB, html TEXT,"
                " summary TEXT, first_text TEXT)"
            )
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get(self, wanted: Mapping[str, bytes]) -> dict[str, Content]:
        """Content of the posts in ``wanted`` (rel -> digest of their bytes) whose digest still matches."""
        found: dict[str, Content] = {}
        rels = list(wanted)
        db = self._open()
        if db is None:
            return found
        try:
            for start in range(0, len(rels), 500):
                part = rels[start : start + 500]
                marks = ",".join("?" * len(part))
                query = f"SELECT rel, digest, html, summary, first_text FROM content WHERE rel IN ({marks})"
                for rel, key, html, summary, first_text in db.execute(query, part):
                    if key == wanted[rel]:
                        found[rel] = Content(html, summary, first_text)
        except sqlite3.Error as e:
            self._discard(e)
            return {}
        return found

    def available(self) -> bool:
        """Whether the database could be opened (and so whether workers should write to it)."""
        return self._open() is not None

    def put(self, fresh: Iterable[tuple[str, bytes, Content]]) -> str | None:
        """Store newly cleaned content; None, or why it could not be stored.

        Meant for the worker processes, each of which stores what it cleaned
        while the others still work, on a connection of its own; SQLite makes
        them take turns.
        """
        rows = [(rel, key, c.html, c.summary, c.first_text) for rel, key, c in fresh]
        if not rows:
            return None
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
            try:
                with _transaction(db):
                    db.executemany("INSERT OR REPLACE INTO content VALUES (?, ?, ?, ?, ?)", rows)
            finally:
                db.close()
        except sqlite3.Error as e:  # a cache that cannot be written costs time next build, nothing more
            return f"{self.path}: cleaned content not cached ({e})"
        return None

    def prune(self, keep: set[str]) -> None:
        """Forget posts that no longer show in any feed."""
        db = self._open()
        if db is None:
            return
        try:
            with _transaction(db):
                gone = [(rel,) for (rel,) in db.execute("SELECT rel FROM content") if rel not in keep]
                db.executemany("DELETE FROM content WHERE rel = ?", gone)
        except sqlite3.Error as e:  # a cache that cannot be written costs time next build, nothing more
            self._discard(e)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Any:
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class BuildCache:
    def __init__(self, config: Config):
        self.key = fingerprint(config)
        self.posts = PostStore(config.cache, self.key)
        self.contents = ContentStore(config.cache / "content.sqlite", self.key)


def _remove_temporaries(path: Path) -> None:
    """Temporary copies of ``path`` that a killed build left (``write_atomic`` names them)."""
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            os.unlink(leftover)
