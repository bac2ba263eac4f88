"""Cleaned content by post, in SQLite, so a build touches only the rows it needs."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..models import Content

log = logging.getLogger(__name__)
STALE_SHARE = 10  # rows of posts that no longer show are deleted once more than 1/10 of those that do


class ContentStore:
    """Cleaned content by post, in SQLite, so a build touches only the rows it needs."""

    timeout = 60.0  # seconds a read waits for another process's writes

    def __init__(self, path: Path, key: str):
        self.path = path
        self.key = key
        self.db: sqlite3.Connection | None = None
        self.started_empty: bool | None = None  # at its first opening in this build

    def _open(self) -> sqlite3.Connection | None:
        """The database, made afresh if unreadable; None if even that fails (then nothing is cached)."""
        if self.db is None:
            try:
                self.db = self._connect()
            except sqlite3.Error as e:
                if _busy(e):  # another process holds it longer than the timeout: no cache this time
                    log.debug("%s: busy (%s)", self.path, e)
                    return None
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
        # Shares read while others write (each holds the lock for one window's rows): wait for them.
        db = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout)
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
            if self.started_empty is None:
                self.started_empty = not db.execute("SELECT EXISTS (SELECT 1 FROM content)").fetchone()[0]
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get(self, wanted: Mapping[str, bytes]) -> dict[str, Content]:
        """Content of the posts in ``wanted`` (rel -> digest of their bytes) whose digest still matches."""
        return {
            rel: Content(*values) for rel, values in self._matching(wanted, ", html, summary, first_text")
        }

    def held(self, wanted: Mapping[str, bytes]) -> set[str]:
        """Which posts of ``wanted`` have content stored, without reading it: a share reads it later."""
        return {rel for rel, _ in self._matching(wanted, "")}

    def _matching(self, wanted: Mapping[str, bytes], columns: str) -> list[tuple[str, tuple[Any, ...]]]:
        """(rel, the other ``columns``) of each post in ``wanted`` whose stored digest matches."""
        found: list[tuple[str, tuple[Any, ...]]] = []
        by_row = {_row(rel): rel for rel in wanted}
        rows = list(by_row)
        db = self._open()
        if db is None:
            return found
        try:
            for start in range(0, len(rows), 500):
                part = rows[start : start + 500]
                marks = ",".join("?" * len(part))
                query = f"SELECT rel, digest{columns} FROM content WHERE rel IN ({marks})"
                for row, key, *values in db.execute(query, part):
                    rel = by_row[row]
                    if key == wanted[rel]:
                        found.append((rel, tuple(values)))
        except sqlite3.Error as e:
            if _busy(e):  # locked by a worker's writes past the timeout: a miss, the file is fine
                log.debug("%s: not read (%s); cleaning those posts again", self.path, e)
            else:  # a damaged file: start afresh
                self._discard(e)
            return []
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
        rows = [(_row(rel), key, c.html, c.summary, c.first_text) for rel, key, c in fresh]
        if not rows:
            return None
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout)
            try:
                with _transaction(db):
                    db.executemany("INSERT OR REPLACE INTO content VALUES (?, ?, ?, ?, ?)", rows)
            finally:
                db.close()
        except sqlite3.Error as e:  # a cache that cannot be written costs time next build, nothing more
            return f"{self.path}: cleaned content not cached ({e})"
        return None

    def prune(self, keep: set[str]) -> None:
        """Forget posts that no longer show in any feed, once they are more than a tenth of the rows.

        Their rows are never read (a row is read for a post that shows, and only with the
        digest of its bytes as they are now), so they cost disk alone; looking for them read
        every row, 0.4 s of a build after one edit at 100,000 posts with archives.
        """
        db = self._open()
        if db is None or self.started_empty:  # then every row is this build's, of a post that shows
            return
        try:
            (rows,) = db.execute("SELECT count(*) FROM content").fetchone()
            if rows <= len(keep) + len(keep) // STALE_SHARE:
                return
            kept = {_row(rel) for rel in keep}
            with _transaction(db):
                gone = [(row,) for (row,) in db.execute("SELECT rel FROM content") if row not in kept]
                db.executemany("DELETE FROM content WHERE rel = ?", gone)
        except sqlite3.Error as e:  # a cache that cannot be written costs time next build, nothing more
            self._discard(e)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def _busy(error: sqlite3.Error) -> bool:
    """Locked by another connection (shares read while others write), not damaged."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _row(rel: str) -> str:
    """The row key of a post: its path, with the bytes of a non-UTF-8 file name spelled out.

    SQLite text must be UTF-8; such a name holds lone surrogates (Python's
    surrogateescape) that it refuses.  Two names that spell the same key
    would only share a row, whose digest tells them apart.
    """
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Any:
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
