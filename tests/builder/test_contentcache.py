"""The content cache under concurrent use: a share reading while another writes loses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from feeds.builder.contentcache import ContentStore
from feeds.models import Content

ROW = Content("<p>x</p>", "x", "x")


def test_a_locked_cache_is_a_miss_and_is_kept(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "content.sqlite", "key")
    assert store.available()
    assert store.put([("a.md", b"digest", ROW)]) is None
    store.close()
    store.timeout = 0.05
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # a worker storing what it cleaned
    try:
        assert store.get({"a.md": b"digest"}) == {}  # cannot open: a miss
        assert store.path.exists()
    finally:
        writer.execute("ROLLBACK")
    assert store.get({"a.md": b"digest"}) == {"a.md": ROW}  # opened now
    writer.execute("BEGIN EXCLUSIVE")
    try:
        assert store.get({"a.md": b"digest"}) == {} and store.held({"a.md": b"digest"}) == set()
        assert store.path.exists()  # not taken for a damaged file
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert store.held({"a.md": b"digest"}) == {"a.md"}
    store.close()


def test_a_damaged_cache_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "content.sqlite"
    path.write_bytes(b"not a database" * 100)
    store = ContentStore(path, "key")
    assert store.get({"a.md": b"d"}) == {} and store.available()
    assert store.put([("a.md", b"d", ROW)]) is None and store.get({"a.md": b"d"}) == {"a.md": ROW}
    store.close()


def test_rows_of_posts_that_no_longer_show_go_once_they_pass_a_tenth(tmp_path: Path) -> None:
    """Until then they stay, unread (a row is read only for a post that shows, by its digest)."""
    store = ContentStore(tmp_path / "content.sqlite", "key")
    shown = {f"p{i}.md" for i in range(30)}
    assert store.available()
    assert store.put([(rel, b"d", ROW) for rel in sorted(shown)]) is None
    store.close()

    def rows() -> set[str]:
        db = sqlite3.connect(store.path)
        try:
            return {rel for (rel,) in db.execute("SELECT rel FROM content")}
        finally:
            db.close()

    store = ContentStore(store.path, "key")
    assert store.available()  # a later build's: the rows it found are not all its own
    assert store.put([(f"gone{i}.md", b"d", ROW) for i in range(3)]) is None
    store.prune(shown)
    assert len(rows()) == 33  # 3 stale rows of 30 that show: kept
    assert store.put([("gone3.md", b"d", ROW)]) is None
    store.prune(shown)
    assert rows() == shown
    store.close()
