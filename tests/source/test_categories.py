"""Slugs safe on every file system, the tree, collisions, and no way out of the output folder."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.builder import build
from feeds.config import load_config
from feeds.models import Post
from feeds.source.categories import build_tree, slugify

from ..conftest import write_post


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("新媒体", "新媒体"),
        ("a/b", "a-b"),
        ("..", "_"),
        ("../../etc", "etc"),
        (".hidden", "hidden"),
        ("CON", "_CON"),
        ("a\x00b\x1fc", "a-b-c"),
        ('what?<>:"|*', "what"),
        ("a..b", "a..b"),
        ("trailing. ", "trailing"),
        ("", "_"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_slug_map_and_length() -> None:
    assert slugify("新媒体", {"新媒体": "media"}) == "media"
    assert slugify("x", {"x": "../up"}) == "up"
    long = slugify("字" * 200)
    assert len(long.encode()) <= 100 and long == "字" * 33


@given(st.text(max_size=300))
def test_any_name_gives_a_safe_folder_name(name: str) -> None:
    slug = slugify(name)
    assert slug and len(slug.encode("utf-8")) <= 100
    assert "/" not in slug and "\\" not in slug and "\x00" not in slug
    assert not slug.startswith(".") and slug not in (".", "..")
    assert all(ord(c) >= 32 for c in slug)


def post(rel: str, *paths: tuple[str, ...], day: int = 1) -> Post:
    date = datetime(2021, 1, day, tzinfo=UTC)
    return Post("", rel, rel, date, date, f"https://x/{rel}", f"https://x/{rel}", categories=paths)


def test_tree_parent_holds_descendants() -> None:
    posts = [post("a", ("A", "B"), day=1), post("b", ("A", "C"), day=2), post("c", ("A",), ("D",), day=3)]
    tree = {c.path: [p.rel for p in c.posts] for c in build_tree(posts, {})}
    assert tree == {("A",): ["c", "b", "a"], ("A", "B"): ["a"], ("A", "C"): ["b"], ("D",): ["c"]}


def test_a_post_is_in_a_node_once_however_many_of_its_paths_lead_there() -> None:
    posts = [post("a", ("A", "B"), ("A", "C"), ("A", "B"), day=2), post("b", ("a",), ("A",), day=1)]
    tree = {c.path: [p.rel for p in c.posts] for c in build_tree(posts, {})}
    assert tree == {("A",): ["a", "b"], ("A", "B"): ["a"], ("A", "C"): ["a"]}


def test_names_sharing_a_slug_share_a_feed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        posts = [
            post("a", ("Photos",)),
            post("b", ("photos",), day=2),
            post("c", ("a/b",)),
            post("d", ("a-b",)),
        ]
        tree = build_tree(posts, {})
    by_slug = {c.slugs: len(c.posts) for c in tree}
    assert by_slug == {("Photos",): 2, ("a-b",): 2}
    assert "share the feed folder" in caplog.text


def test_hostile_category_names_stay_inside_output(make_config: Callable[..., Path], tmp_path: Path) -> None:
    src = tmp_path / "src"
    hostile = ["..", "../../escape", "/etc/passwd", "C:\\\\Windows", "\\u0000nul", ".git", "CON", "~"]
    for i, name in enumerate(hostile):
        cats = '["' + name + '", "../x"]'
        write_post(src, f"p{i}.md", f"---\ntitle: t{i}\ndate: 2021-01-0{i + 1}\ncategories: {cats}\n---\nx")
    config = load_config(make_config(source=str(src)))
    build(config)
    out = config.output.resolve()
    written = [p.resolve() for p in tmp_path.rglob("*.xml")]
    assert written and all(p.is_relative_to(out) for p in written)
    assert not (tmp_path / "escape").exists()


def test_feed_folder_does_not_move_with_the_newest_spelling(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write_post(src, "a.md", "---\ntitle: a\ndate: 2021-01-01\ncategories: [Python]\n---\nx")
    write_post(src, "b.md", "---\ntitle: b\ndate: 2021-02-01\ncategories: [python]\n---\nx")
    config = load_config(make_config(source=str(src)))
    build(config)
    folders = [p.parent.name for p in (config.output / "categories").rglob("rss.xml")]
    write_post(src, "c.md", "---\ntitle: c\ndate: 2021-03-01\ncategories: [python]\n---\nx")
    report = build(config)
    assert folders == ["Python"]  # the smallest spelling, whatever the newest post says
    assert [p.parent.name for p in (config.output / "categories").rglob("rss.xml")] == folders
    assert report.feeds_removed == 0


def test_posts_with_the_same_categories_and_author_share_them() -> None:
    """An archive's posts hold their categories and author once between them, not a copy each;
    equal values, however they were written, stay equal."""
    from feeds.source.fields import author_of, categories_of

    first = categories_of(["新媒体", "金色财经 0", "快讯"])
    again = categories_of(["新媒体", " 金色财经 0 ", "快讯"])
    assert first == again == (("新媒体", "金色财经 0", "快讯"),)
    assert first is again
    assert categories_of([["A", "B"], ["C"]]) is categories_of([["A", "B"], ["C"]])
    assert categories_of("A") != categories_of("B")
    name, _ = author_of("Ada Lovelace")
    assert name == "Ada Lovelace" and name is author_of("Ada " + "Lovelace")[0]
    assert author_of({"name": "Ada", "email": "a@b.example"}) == ("Ada", "a@b.example")
