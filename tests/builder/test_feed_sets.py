"""Tag and author feeds, JSON Feed beside RSS and Atom, and the filters that keep posts and feeds out."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree

from feeds.builder import build
from feeds.config import load_config
from feeds.source.posts import read_posts

from ..conftest import TAGGED, check_feed, check_json_feed, write_post

ALL = {"formats": ["rss", "atom", "json"], "tags": True, "authors": True}


def ids(path: Path) -> list[str]:
    if path.suffix == ".json":
        return [item["id"] for item in json.loads(path.read_bytes())["items"]]
    return [e.id for e in feedparser.parse(path.read_bytes()).entries]


def folders(out: Path, kind: str) -> set[str]:
    return {p.parent.relative_to(out / kind).as_posix() for p in (out / kind).rglob("feed.json")}


@pytest.fixture
def tagged(make_config: Callable[..., Path]) -> Callable[..., tuple[Path, Any]]:
    """Build the tagged posts with every format, tags and authors on; keyword arguments add config."""

    def run(**extra: Any) -> tuple[Path, Any]:
        feeds = {**ALL, **extra.pop("feeds", {})}
        config = load_config(make_config(source=str(TAGGED), feeds=feeds, **extra))
        return config.output, build(config)

    return run


def test_tag_and_author_feeds_in_every_format(
    tagged: Callable[..., tuple[Path, Any]], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    out, report = tagged(tags={"map": {"編程": "programming"}})
    posts = [p for p in read_posts(load_config(out.parent / "config.yaml")).posts if p.in_feeds]
    tag_names = {t.casefold() for p in posts for t in p.tags}
    assert "python" in tag_names and len(folders(out, "tags")) == len(tag_names)
    assert folders(out, "authors") == {p.author for p in posts}
    assert "programming" in folders(out, "tags") and "編程" not in folders(out, "tags")  # tags.map
    files = sorted(
        p for p in out.rglob("*") if p.suffix in (".xml", ".json") and p.name != ".feeds-manifest.json"
    )
    assert len(files) == report.feeds_written
    for path in files:
        assert path.resolve().is_relative_to(out.resolve())  # '../../etc' and friends stay inside
        if path.suffix == ".json":
            check_json_feed(path, json_schema)
        else:
            check_feed(path, atom_schema)
    for folder in {p.parent for p in files}:  # the same ids in every format, in the same order
        assert ids(folder / "rss.xml") == ids(folder / "atom.xml") == ids(folder / "feed.json"), folder
    python = json.loads((out / "tags/Python/feed.json").read_bytes())
    wanted = [
        p.id
        for p in sorted(posts, key=lambda p: p.date, reverse=True)
        if "python" in {t.casefold() for t in p.tags}
    ]
    assert [i["id"] for i in python["items"]] == wanted and len(wanted) == 2
    assert python["title"].endswith("#Python")
    ann = json.loads((out / "authors/Ann Lee/feed.json").read_bytes())
    assert ann["authors"] == [{"name": "Ann Lee"}]
    assert {a["name"] for i in ann["items"] for a in i["authors"]} == {"Ann Lee"}


def test_tag_spellings_that_share_a_folder_are_reported(
    tagged: Callable[..., tuple[Path, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="feeds"):
        out, _ = tagged()
    assert "tags 'Python', 'python' share the feed folder Python" in caplog.text
    assert {"Python", "_CON", "C#", "C-C++", "etc"} <= folders(out, "tags")  # made safe as categories are


def test_feed_false_keeps_a_post_out_of_every_feed(tagged: Callable[..., tuple[Path, Any]]) -> None:
    out, report = tagged()
    secret = next(p for p in read_posts(load_config(out.parent / "config.yaml")).posts if not p.in_feeds)
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert secret.permalink.encode() not in everything
    assert report.excluded["feed_false"] == 1 and report.posts_read == 6


def test_filters_keep_posts_out_and_are_counted(
    tagged: Callable[..., tuple[Path, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    filters = {
        "exclude_paths": ["private/"],
        "exclude_categories": ["  life "],
        "exclude_tags": ["c#", "Nope"],
    }
    with caplog.at_level(logging.WARNING, logger="feeds"):
        out, report = tagged(filters=filters)
    assert report.excluded == {
        "hidden": 0,
        "protected": 0,
        "feed_false": 1,
        "exclude_paths": 1,
        "exclude_categories": 1,
        "exclude_tags": 1,
    }
    site = ids(out / "feed.json")
    assert len(site) == 6 - 4
    assert not (out / "categories/Life").exists()  # an excluded category has no feed of its own
    assert not (out / "tags/diary").exists() and not (out / "tags/C#").exists()
    warned = [(n.kind, n.path, n.text) for n in report.warnings]
    assert warned == [("filter", "filters.exclude_tags", "'Nope' matches no post; check its spelling")]
    assert "filters.exclude_tags: 'Nope' matches no post" in caplog.text


@pytest.mark.parametrize("depth", [1, 2])
def test_categories_depth(tagged: Callable[..., tuple[Path, Any]], depth: int) -> None:
    out, report = tagged(categories={"depth": depth})
    posts = [p for p in read_posts(load_config(out.parent / "config.yaml")).posts if p.in_feeds]
    nodes = {path[:n] for p in posts for path in p.categories for n in range(1, len(path) + 1)}
    written = {"/".join(n) for n in nodes if len(n) <= depth}
    assert folders(out, "categories") == written
    assert report.not_written["depth"] == 3 * (len(nodes) - len(written)) > 0


def test_min_posts_skips_small_tag_author_and_category_feeds(tagged: Callable[..., tuple[Path, Any]]) -> None:
    out, report = tagged(feeds={"min_posts": 2})
    posts = [p for p in read_posts(load_config(out.parent / "config.yaml")).posts if p.in_feeds]
    count: dict[str, int] = {}
    for p in posts:
        for tag in {t.casefold() for t in p.tags}:
            count[tag] = count.get(tag, 0) + 1
    assert {t.casefold() for t in folders(out, "tags")} == {t for t, n in count.items() if n >= 2}
    authors = {a for a in {p.author for p in posts} if sum(p.author == a for p in posts) >= 2}
    assert folders(out, "authors") == authors
    assert (out / "feed.json").is_file()  # the site feed is never skipped
    assert report.not_written["min_posts"] > 0 and report.not_written["min_posts"] % 3 == 0


def test_limits_that_leave_nothing_out_are_warned_about(tagged: Callable[..., tuple[Path, Any]]) -> None:
    _, report = tagged(categories={"depth": 9}, feeds={"min_posts": 1})
    assert [(n.path, n.kind) for n in report.warnings] == [("categories.depth", "filter")]


def test_json_feeds_are_incremental_and_stale_ones_removed(
    tagged: Callable[..., tuple[Path, Any]], make_config: Callable[..., Path], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    for name in ("a", "b"):
        write_post(
            src,
            f"{name}.md",
            f"---\ntitle: {name}\ndate: 2021-01-0{len(name)}\ntags: [{name}, common]\n---\nx",
        )
    config_path = make_config(source=str(src), feeds=ALL)
    first = build(load_config(config_path))
    out = tmp_path / "public"
    stamp = (out / "tags/a/feed.json").stat().st_mtime_ns
    again = build(load_config(config_path))
    assert again.feeds_written == 0 and again.feeds_unchanged == first.feeds_written
    assert (out / "tags/a/feed.json").stat().st_mtime_ns == stamp
    write_post(src, "b.md", "---\ntitle: b2\ndate: 2021-01-02\ntags: [b, common]\n---\ny")
    edited = build(load_config(config_path))
    assert (out / "tags/a/feed.json").stat().st_mtime_ns == stamp  # a's feeds do not show b
    assert json.loads((out / "tags/b/feed.json").read_bytes())["items"][0]["title"] == "b2"
    assert 0 < edited.feeds_written < first.feeds_written
    write_post(src, "b.md", "---\ntitle: b2\ndate: 2021-01-02\ntags: [common]\n---\ny")
    gone = build(load_config(config_path))
    assert gone.feeds_removed == 3 and not (out / "tags/b").exists()
    no_json = build(load_config(make_config(source=str(src), feeds={**ALL, "formats": ["rss", "atom"]})))
    assert not list(out.rglob("feed.json")) and no_json.feeds_removed > 0
    no_tags = build(load_config(make_config(source=str(src), feeds={"tags": False, "authors": True})))
    assert not (out / "tags").exists() and no_tags.feeds_removed > 0
    manifest = json.loads((out / ".feeds-manifest.json").read_bytes())
    files = (p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    written = {p.relative_to(out).as_posix() for p in files}
    assert set(manifest["files"]["names"]) == written


def test_a_nothing_changed_build_reports_the_same_counts(
    tagged: Callable[..., tuple[Path, Any]], make_config: Callable[..., Path]
) -> None:
    _, first = tagged(filters={"exclude_tags": ["food"]}, categories={"depth": 1})
    config = load_config(make_config(source=str(TAGGED), feeds=ALL, filters={"exclude_tags": ["food"]},
                                     categories={"depth": 1}))  # fmt: skip
    again = build(config)
    assert again.feeds_written == 0 and again.seconds.keys() == {"lock", "scan"}  # the shortcut
    assert again.excluded == first.excluded and again.not_written == first.not_written
    assert again.excluded["exclude_tags"] == 1 and again.not_written["depth"] > 0
    changed = build(load_config(make_config(source=str(TAGGED), feeds=ALL, categories={"depth": 1})))
    assert changed.excluded["exclude_tags"] == 0 and changed.feeds_written > 0  # a filter change is seen
    assert os.path.exists(config.output / "categories/Life/feed.json")
