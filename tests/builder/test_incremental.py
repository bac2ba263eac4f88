"""Cron-grade builds: incremental work, stale feeds removed, caches that may break, atomic files."""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from lxml import etree

import feeds.builder.postcache
import feeds.builder.read
import feeds.builder.render
import feeds.builder.stages
import feeds.content
import feeds.errors
import feeds.models
from feeds.builder import build
from feeds.config import load_config

from ..conftest import CORPUS, check_feed, write_post

POST = "---\ntitle: {title}\ndate: 2021-01-{day:02d} 10:00:00\ncategories: [{cats}]\n---\n<p>{body}</p>\n"


@pytest.fixture
def site(tmp_path: Path, make_config: Callable[..., Path]) -> tuple[Path, Path]:
    src = tmp_path / "src"
    write_post(src, "a/one.md", POST.format(title="One", day=1, cats="A, B", body="first"))
    write_post(src, "a/two.md", POST.format(title="Two", day=2, cats="A, C", body="second"))
    write_post(src, "d/three.md", POST.format(title="Three", day=3, cats="D", body="third"))
    return src, make_config(source=str(src))


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        self.cleaned: list[str] = []
        parse, render = feeds.builder.read.parse_text_body, feeds.content.Cleaner.render

        def counting_parse(path, text, config, source=None, notes=None, rel=None):  # type: ignore[no-untyped-def]
            self.parsed.append(rel)
            return parse(path, text, config, source, notes, rel)

        def counting_render(cleaner, post, body):  # type: ignore[no-untyped-def]
            self.cleaned.append(post.rel)
            return render(cleaner, post, body)

        monkeypatch.setattr(feeds.builder.read, "parse_text_body", counting_parse)
        monkeypatch.setattr(feeds.content.Cleaner, "render", counting_render)

    def reset(self) -> None:
        self.parsed.clear()
        self.cleaned.clear()


def titles(path: Path) -> list[str]:
    return [e.title for e in feedparser.parse(path.read_bytes()).entries]


def test_nothing_changed_parses_and_cleans_nothing(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, config_path = site
    config = load_config(config_path)
    count = Counter(monkeypatch)
    first = build(config)
    assert sorted(count.parsed) == ["a/one.md", "a/two.md", "d/three.md"]
    assert sorted(count.cleaned) == ["a/one.md", "a/two.md", "d/three.md"]
    count.reset()
    second = build(config)
    assert count.parsed == [] and count.cleaned == []
    assert second.feeds_written == 0 and second.feeds_unchanged == first.feeds_written
    assert second.posts_read == 3 and second.changed == 0
    # The first build took sizes and mtimes from the files it read, not from a walk that stat'ed
    # them: the same values, so the second stops after its walk, before reading anything.
    assert "read" in first.seconds and "read" not in second.seconds


def test_a_first_build_that_cannot_open_a_post_still_leaves_the_next_idle(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk of a first build does not stat; a file it cannot open is stat'ed on its own."""
    _, config_path = site
    config = load_config(config_path)
    real = feeds.builder.read.read_file_stat

    def refuse(path: str) -> tuple[bytes, os.stat_result]:
        if path.endswith("one.md"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(feeds.builder.read, "read_file_stat", refuse)
    first = build(config)
    assert first.skipped == 1 and "Permission denied" in first.errors[0].reason
    second = build(config)  # the same inputs: the error is remembered, nothing is read
    assert "read" not in second.seconds and second.skipped == 1


def test_a_short_read_reads_on_to_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read may return less than asked (a network file system): the whole file still comes back."""
    from feeds.source.walk import read_file

    path = tmp_path / "post.md"
    path.write_bytes(b"0123456789" * 100)
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real(fd, min(n, 7)))
    assert read_file(str(path)) == b"0123456789" * 100


def test_touched_file_is_hashed_not_parsed(site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    src, config_path = site
    config = load_config(config_path)
    count = Counter(monkeypatch)
    build(config)
    count.reset()
    os.utime(src / "a/one.md", ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    report = build(config)
    assert count.parsed == [] and count.cleaned == [] and report.feeds_written == 0


def test_records_are_keyed_by_the_strings_their_posts_hold(site: tuple[Path, Path]) -> None:
    """Parsed or loaded from the cache, a record's key is the very string its post holds, so that
    100,000 paths are held once (and pickled once); the walk's list is let go once read."""
    from feeds.builder.postcache import BuildCache
    from feeds.builder.progress import NO_PROGRESS
    from feeds.builder.read import read_sources
    from feeds.source import scan_source

    config = load_config(site[1])
    for _ in ("parsed", "loaded"):
        files = scan_source(config)
        read = read_sources(config, files, BuildCache(config), NO_PROGRESS, parallel_min=1_000_000)
        assert len(read.records) == 3 and files == []
        assert all(r.post is not None and key is r.post.rel for key, r in read.records.items())


def test_one_edit_rereads_that_post_only(site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    src, config_path = site
    config = load_config(config_path)
    count = Counter(monkeypatch)
    build(config)
    out = config.output
    untouched = out / "categories/D/atom.xml"
    before = untouched.stat().st_mtime_ns
    count.reset()
    write_post(src, "a/one.md", POST.format(title="One edited", day=1, cats="A, B", body="first, edited"))
    report = build(config)
    assert count.parsed == ["a/one.md"] and count.cleaned == ["a/one.md"]
    assert report.changed == 1
    assert "One edited" in titles(out / "categories/A/B/rss.xml")
    assert "One edited" in titles(out / "atom.xml")
    assert untouched.stat().st_mtime_ns == before  # a feed the edit does not reach is not touched
    # site, A, A/B in two formats
    assert report.feeds_written == 6


def test_add_delete_and_move(site: tuple[Path, Path], atom_schema: etree.RelaxNG) -> None:
    src, config_path = site
    config = load_config(config_path)
    out = config.output
    build(config)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "categories/A/B/extra.xml").write_text("<x/>", encoding="utf-8")
    write_post(src, "e/four.md", POST.format(title="Four", day=4, cats="E", body="fourth"))
    (src / "a/two.md").unlink()
    write_post(src, "a/one.md", POST.format(title="One", day=1, cats="D, F", body="moved"))  # A/B -> D/F
    report = build(config)
    assert titles(out / "categories/E/rss.xml") == ["Four"]
    assert titles(out / "categories/D/atom.xml") == ["Three", "One"]
    assert titles(out / "categories/D/F/atom.xml") == ["One"]
    assert not (out / "categories/A/C").exists()  # category gone: its feeds and empty folder removed
    assert not (out / "categories/A/rss.xml").exists()
    assert (out / "categories/A/B/extra.xml").exists() and (out / "notes.txt").exists()  # not ours
    assert report.feeds_removed == 6  # A, A/B, A/C in two formats
    assert titles(out / "rss.xml") == ["Four", "Three", "One"]
    for path in out.rglob("*.xml"):
        if path.name != "extra.xml":
            check_feed(path, atom_schema)


def test_only_posts_that_show_are_cleaned(
    tmp_path: Path, make_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(make_config(source=str(CORPUS), feeds={"limit": 1}))
    count = Counter(monkeypatch)
    build(config)
    shown = {
        e.link
        for path in config.output.rglob("atom.xml")
        for e in feedparser.parse(path.read_bytes()).entries
    }
    assert len(count.parsed) == 132
    assert len(count.cleaned) == len(shown) < 60


def test_config_change_starts_afresh(site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _, config_path = site
    build(load_config(config_path))
    text = config_path.read_text(encoding="utf-8").replace("Test site", "Renamed site")
    config_path.write_text(text, encoding="utf-8")
    count = Counter(monkeypatch)
    config = load_config(config_path)
    report = build(config)
    assert len(count.parsed) == 3 and report.feeds_written == 10
    assert feedparser.parse((config.output / "rss.xml").read_bytes()).feed.title == "Renamed site"


class _OldPost:
    """Pickles as format 7 pickled a post: its values as one tuple, to a function now made for many."""

    def __reduce__(self) -> tuple[object, tuple[tuple[object, ...]]]:
        return feeds.models._post, (("root", "rel"),)


def test_a_cache_of_an_older_format_is_read_afresh_quietly(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    src, config_path = site
    config = load_config(config_path)
    build(config)
    base = config.cache / "posts.pickle"
    with base.open("rb") as f:
        magic, key, _ = pickle.load(f)
    with base.open("wb") as f:  # its header first: the posts after it are never unpickled
        pickle.dump((magic.replace(feeds.builder.postcache._MAGIC, "feeds-cache-7"), key, 1), f)
        pickle.dump({"a/one.md": _OldPost()}, f)
    os.utime(src / "a/one.md", ns=(1, 1))  # not the last build's inputs: the cache is read
    count = Counter(monkeypatch)
    with caplog.at_level(logging.WARNING):
        report = build(config)
    assert len(count.parsed) == 3 and report.skipped == 0 and "cache unreadable" not in caplog.text
    assert titles(config.output / "rss.xml") == ["Three", "Two", "One"]


@pytest.mark.parametrize("garbage", [b"", b"\x80\x04not a pickle", b"x" * 100])
def test_corrupt_caches_are_discarded_with_a_warning(
    site: tuple[Path, Path], caplog: pytest.LogCaptureFixture, garbage: bytes, atom_schema: etree.RelaxNG
) -> None:
    src, config_path = site
    config = load_config(config_path)
    build(config)
    caches = [p for p in config.cache.iterdir() if p.is_file()]
    assert caches
    for path in caches:
        path.write_bytes(garbage)
    write_post(src, "a/one.md", POST.format(title="One again", day=1, cats="A, B", body="x"))
    with caplog.at_level(logging.WARNING):
        report = build(config)
    assert report.posts_read == 3 and report.skipped == 0
    assert "One again" in titles(config.output / "rss.xml")
    if garbage:
        assert "cache unreadable" in caplog.text
    check_feed(config.output / "atom.xml", atom_schema)


def test_corrupt_manifest_rewrites_and_removes_nothing(site: tuple[Path, Path]) -> None:
    _, config_path = site
    config = load_config(config_path)
    build(config)
    (config.output / ".feeds-manifest.json").write_text("{not json", encoding="utf-8")
    report = build(config)
    assert report.feeds_removed == 0 and report.feeds_written + report.feeds_unchanged == 10


def test_big_corpus_in_parallel_matches_serial(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    """Enough posts to use the worker processes: output must equal a one-process build's."""
    src = tmp_path / "many"
    for i in range(3):
        shutil.copytree(CORPUS, src / f"copy{i}")
    config = load_config(make_config(source=str(src)))
    report = build(config)
    assert report.posts_read == 3 * 132
    parallel = {p.relative_to(config.output): p.read_bytes() for p in config.output.rglob("*.xml")}
    import feeds.builder.stages

    serial_out = tmp_path / "serial"
    serial_config = load_config(
        make_config(source=str(src), output=str(serial_out), cache=str(tmp_path / "c2"))
    )
    original = feeds.builder.stages.PARALLEL_MIN
    feeds.builder.stages.PARALLEL_MIN = 10**9
    try:
        build(serial_config)
    finally:
        feeds.builder.stages.PARALLEL_MIN = original
    serial = {p.relative_to(serial_out): p.read_bytes() for p in serial_out.rglob("*.xml")}
    assert parallel == serial


def test_small_changes_go_to_the_journal(site: tuple[Path, Path]) -> None:
    src, config_path = site
    config = load_config(config_path)
    build(config)
    base = config.cache / "posts.pickle"
    stamp = base.stat().st_mtime_ns
    write_post(src, "a/one.md", POST.format(title="One v2", day=1, cats="A, B", body="x"))
    (src / "d/three.md").unlink()
    build(config)
    assert base.stat().st_mtime_ns == stamp and (config.cache / "posts.journal").exists()
    os.utime(src / "a/two.md", ns=(1, 1))  # not the last build's inputs: base and journal are read back
    report = build(config)
    assert report.changed == 0 and report.posts_read == 2 and report.feeds_written == 0
    assert titles(config.output / "rss.xml") == ["Two", "One v2"]


def test_errors_survive_the_trip_from_a_worker() -> None:
    import pickle

    from feeds.errors import ConfigError, FetchError, LockError, OutputError, PostError, SourceError

    errors = [
        PostError("bad", path=Path("/a/b.md")),
        ConfigError("x", key="site.url", path=Path("c.yaml")),
        FetchError("404", url="http://x.example/"),
        LockError("held", path=Path("/o")),
        OutputError("no", path=Path("/o/f")),
        SourceError("gone", path=Path("/s")),
    ]
    for error in errors:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)


def test_cache_saved_in_the_background_is_read_back(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, config_path = site
    monkeypatch.setattr(feeds.builder.read, "_BACKGROUND_SAVE", 0)  # as a 20,000-post archive would
    config = load_config(config_path)
    build(config)
    assert (config.cache / "posts.pickle").exists()
    count = Counter(monkeypatch)
    os.utime(src / "a/one.md", ns=(5, 5))
    report = build(config)
    assert count.parsed == [] and report.posts_read == 3


def test_a_body_unreadable_at_write_time_is_retried(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, config_path = site
    config = load_config(config_path)
    real = feeds.builder.render.read_body
    monkeypatch.setattr(feeds.builder.read, "KEEP_BODIES", 0)  # every body read again when written

    def failing(post):  # type: ignore[no-untyped-def]
        if post.rel == "a/one.md":
            raise feeds.errors.PostError("cannot read: Permission denied", path=Path(post.path))
        return real(post)

    monkeypatch.setattr(feeds.builder.render, "read_body", failing)
    report = build(config)
    assert report.skipped == 1 and "One" not in titles(config.output / "rss.xml")
    monkeypatch.setattr(feeds.builder.render, "read_body", real)  # readable again, nothing else changed
    again = build(config)
    assert again.skipped == 0 and "One" in titles(config.output / "rss.xml")


def test_bodies_read_once_are_kept_within_the_budget(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build cleans the bodies it parsed without opening the files again; past the budget,
    or on a site with many posts, it reads them again, with the same feeds."""
    _, config_path = site
    config = load_config(config_path)
    real, reads = feeds.builder.render.read_body, []

    def counting(post):  # type: ignore[no-untyped-def]
        reads.append(post.rel)
        return real(post)

    monkeypatch.setattr(feeds.builder.render, "read_body", counting)
    build(config)
    kept = (config.output / "rss.xml").read_bytes()
    assert reads == []
    shutil.rmtree(config.output)
    shutil.rmtree(config.cache)
    monkeypatch.setattr(feeds.builder.read, "KEEP_BODIES", 14)  # room for the first body (13), not more
    build(config)
    assert sorted(reads) == ["a/two.md", "d/three.md"]
    assert (config.output / "rss.xml").read_bytes() == kept
    shutil.rmtree(config.output)
    shutil.rmtree(config.cache)
    reads.clear()
    monkeypatch.setattr(feeds.builder.read, "KEEP_BELOW", 3)  # a large site: no body kept at all
    build(config)
    assert sorted(reads) == ["a/one.md", "a/two.md", "d/three.md"]
    assert (config.output / "rss.xml").read_bytes() == kept


def test_the_content_cache_holds_only_posts_that_show(site: tuple[Path, Path]) -> None:
    """A cold build stores what it cleaned; a later one forgets a post gone from every feed."""
    src, config_path = site
    config = load_config(config_path)

    def rows() -> set[str]:
        db = sqlite3.connect(config.cache / "content.sqlite")
        try:
            return {rel for (rel,) in db.execute("SELECT rel FROM content")}
        finally:
            db.close()

    build(config)
    assert rows() == {"a/one.md", "a/two.md", "d/three.md"}
    (src / "a" / "two.md").unlink()
    build(config)
    assert rows() == {"a/one.md", "d/three.md"}


def test_a_database_broken_mid_build_is_discarded(
    site: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    src, config_path = site
    config = load_config(config_path)
    build(config)
    db = config.cache / "content.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a header, then garbage
    write_post(src, "a/one.md", POST.format(title="One v3", day=1, cats="A, B", body="x"))
    with caplog.at_level(logging.WARNING):
        report = build(config)
    assert report.skipped == 0 and "One v3" in titles(config.output / "rss.xml")
    assert "cache unreadable" in caplog.text


def test_an_undated_post_moved_by_its_mtime_gets_links_to_match(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    src = tmp_path / "src"
    post = write_post(src, "a.md", "---\ntitle: A\ndate: Invalid Date\n---\n<p><img src='pic.png'>hi</p>")
    os.utime(post, (1_583_280_000, 1_583_280_000))  # 2020-03-04
    config = load_config(make_config(source=str(src)))
    build(config)
    os.utime(post, (1_657_238_400, 1_657_238_400))  # 2022-07-08
    build(config)
    entry = feedparser.parse((config.output / "rss.xml").read_bytes()).entries[0]
    assert "/2022/07/08/a/" in entry.link
    assert "/2022/07/08/a/pic.png" in entry.content[0].value


def test_a_tampered_manifest_cannot_delete_outside_the_output(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    _, config_path = site
    config = load_config(config_path)
    build(config)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    manifest_path = config.output / ".feeds-manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    columns = manifest["files"]
    for name in ("../victim.txt", str(victim)):
        columns["names"].append(name)
        columns["fingerprints"].append("x")
        columns["sizes"].append(7)
        columns["mtimes"].append(0)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    build(config)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_a_config_change_rewrites_the_post_cache_base(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, config_path = site
    build(load_config(config_path))
    config_path.write_text(
        config_path.read_text(encoding="utf-8").replace("Test site", "Other"), encoding="utf-8"
    )
    config = load_config(config_path)
    build(config)  # every post parsed again under the new config, and saved as the new base
    count = Counter(monkeypatch)
    write_post(src, "a/one.md", POST.format(title="One v4", day=1, cats="A, B", body="x"))
    build(config)
    assert count.parsed == ["a/one.md"]


def test_a_batch_renames_only_what_it_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch files appear whole or not at all; a failure names its file and leaves no temporary."""
    from feeds.output.atomic import Batch

    old = tmp_path / "keep" / "old.xml"
    old.parent.mkdir()
    old.write_bytes(b"old")
    with Batch(size=3) as batch:
        for i in range(5):  # one group synced on the way (size 3), the rest on leaving
            batch.write(tmp_path / "new" / f"{i}.xml", b"x" * i)
        batch.commit()
        assert [(tmp_path / "new" / f"{i}.xml").read_bytes() for i in range(5)] == [
            b"x" * i for i in range(5)
        ]
        batch.write(tmp_path / "new" / "5.xml", b"last")
    assert (tmp_path / "new" / "5.xml").read_bytes() == b"last"
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [f"{i}.xml" for i in range(6)]

    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if os.fstat(fd).st_size == len(b"new bytes"):
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    failed = pytest.raises(feeds.errors.OutputError, match=r"old\.xml: cannot write: Input/output error")
    with failed, Batch() as failing:
        failing.write(old, b"new bytes")
        failing.write(tmp_path / "keep" / "other.xml", b"other")
    assert old.read_bytes() == b"old"  # never renamed over: its new bytes were not known to be on disk
    assert (tmp_path / "keep" / "other.xml").read_bytes() == b"other"
    assert sorted(p.name for p in (tmp_path / "keep").iterdir()) == ["old.xml", "other.xml"]

    with pytest.raises(RuntimeError), Batch() as abandoned:  # an error while writing: nothing appears
        abandoned.write(tmp_path / "keep" / "gone.xml", b"data")
        raise RuntimeError("stop")
    assert sorted(p.name for p in (tmp_path / "keep").iterdir()) == ["old.xml", "other.xml"]


def test_content_cleaned_by_workers_is_cached(
    tmp_path: Path, make_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers store what they clean themselves; the next build finds all of it."""
    src = tmp_path / "many"
    for i in range(3):
        shutil.copytree(CORPUS, src / f"copy{i}")
    config = load_config(make_config(source=str(src)))
    build(config)  # enough fresh posts to run in workers
    shutil.rmtree(config.output)  # every feed must be written again, from cached content
    count = Counter(monkeypatch)
    monkeypatch.setattr(
        feeds.builder.stages, "PARALLEL_MIN", 10**9
    )  # in this process, so the counter sees it
    report = build(config)
    assert report.feeds_written > 100 and count.cleaned == []


def test_a_file_name_that_is_not_utf8(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    """Such a name (Latin-1 from an old archive) is a post like any other, cached and written."""
    src = tmp_path / "src"
    src.mkdir()
    name = os.fsdecode(b"caf\xe9.md")
    (src / name).write_text(POST.format(title="Cafe", day=5, cats="Latin", body="au lait"), encoding="utf-8")
    write_post(src, "ok.md", POST.format(title="Ok", day=6, cats="Latin", body="fine"))
    config = load_config(make_config(source=str(src)))
    assert build(config).skipped == 0
    shutil.rmtree(config.output)  # written again, this time from the content cache
    assert build(config).skipped == 0
    assert titles(config.output / "categories" / "Latin" / "atom.xml") == ["Ok", "Cafe"]
    link = feedparser.parse((config.output / "atom.xml").read_bytes()).entries[1].link
    assert link.endswith("/caf%E9/")  # the file's own byte, percent-encoded


def test_a_worker_error_keeps_its_kind() -> None:
    """An OutputError raised in a worker reaches the build as an OutputError (its exit code, its path)."""
    from feeds.builder.parallel import run_shared, workers
    from feeds.errors import OutputError

    if workers() < 2:
        pytest.skip("one core: tasks run in this process")
    parent = os.getpid()

    def fails_in_a_child() -> int:
        if os.getpid() != parent:
            raise OutputError("disk full", path=Path("/o/rss.xml"))
        time.sleep(0.01)  # this process takes its tasks slowly: the child gets some
        return 1

    with pytest.raises(OutputError, match=r"/o/rss\.xml: disk full"):
        list(run_shared([fails_in_a_child] * 20, parallel=True))


def test_an_entry_follows_the_post_and_the_code_file_its_tags_name(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """{% post_link %} and {% include_code %} make an entry depend on another file: when that file
    changes, the entry (and every feed it is in) is rendered again, though its own bytes did not."""
    src = tmp_path / "source" / "_posts"
    code = tmp_path / "source" / "downloads" / "code"
    code.mkdir(parents=True)
    (code / "x.py").write_text("print('old')\n")
    link = "---\ntitle: Linker\ndate: 2021-01-02\ncategories: [L]\n---\nSee {% post_link target %}.\n"
    write_post(src, "linker.md", link)
    write_post(src, "coder.md", "---\ntitle: Coder\ndate: 2021-01-03\n---\n{% include_code x.py %}\n")
    write_post(src, "target.md", "---\ntitle: Old title\ndate: 2021-01-01\ncategories: [T]\n---\nx\n")
    config = load_config(make_config(source=str(src)))

    def entry(title: str) -> str:
        feed = feedparser.parse(str(config.output / "categories" / "L" / "atom.xml"))
        return str(next(e for e in feed.entries if e.title == title).content[0].value)

    build(config)
    assert ">Old title</a>" in entry("Linker")
    write_post(src, "target.md", "---\ntitle: New title\ndate: 2021-01-01\ncategories: [T]\n---\nx\n")
    build(config)
    assert ">New title</a>" in entry("Linker")  # only the target changed, in another category
    site = feedparser.parse(str(config.output / "atom.xml"))
    assert "print('old')" in next(e for e in site.entries if e.title == "Coder").content[0].value
    (code / "x.py").write_text("print('new')\n")
    build(config)
    site = feedparser.parse(str(config.output / "atom.xml"))
    assert "print('new')" in next(e for e in site.entries if e.title == "Coder").content[0].value
