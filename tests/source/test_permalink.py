"""Slugs, dates and links as Hexo 8 makes them: one case per rule, each checked against Hexo itself.

The expected values come from running Hexo 8.1.2 (hexo-util 4.0.0) on the same input.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from feeds.config import Config, PostsConfig, with_overrides
from feeds.source.permalink import from_file_name, full_url, post_path, slugize
from feeds.source.posts import read_posts

from ..conftest import write_post

JST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("pattern", "rel", "expected"),
    [
        (":title.md", "sub/deep.md", {"title": "sub/deep"}),
        (":title.md", "Über Straße 中文 Title!.md", {"title": "Über Straße 中文 Title!"}),
        (":year-:month-:day-:title.md", "2019-12-08-note.md",
         {"year": "2019", "month": "12", "day": "08", "title": "note"}),
        (":year-:month-:day-:title.md", "2020-1-5-short.md", {"title": "2020-1-5-short"}),  # not two digits
        (":year-:i_month-:i_day-:title.md", "2020-1-5-short.md",
         {"year": "2020", "i_month": "1", "i_day": "5", "title": "short"}),
        (":year-:month-:day-:title.md", "sub/deep.md", {"title": "sub-deep"}),  # no fit: the path slugized
        (":year-:month-:day-:title.md", "Über Straße 中文 Title!.md", {"title": "Uber-Strase-中文-Title"}),
        (":hash-:title.md", "0123456789ab-hashy.md", {"hash": "0123456789ab", "title": "hashy"}),
        (":lang/:title.md", "en/hello.markdown", {"lang": "en", "title": "hello"}),
    ],
)  # fmt: skip
def test_new_post_name_read_back_from_the_path(pattern: str, rel: str, expected: dict[str, str]) -> None:
    assert from_file_name(pattern, rel) == expected


@pytest.mark.parametrize(
    ("text", "transform", "slug"),
    [
        ("  --Foo__Bar--  ", 0, "Foo-Bar"),
        ("C++ & C#", 0, "C-C"),
        ("it's 100% «good» — yes…", 0, "it-s-100-«good»-—-yes…"),
        ("Café Crème", 0, "Cafe-Creme"),
        ("Straße Æther Øre Łódź", 0, "Strase-AEther-Ore-Lodz"),
        ("旅行", 0, "旅行"),
        ("tab\there", 0, "tabhere"),
        ("Foo Bar", 1, "foo-bar"),
        ("Foo Bar", 2, "FOO-BAR"),
    ],
)
def test_slugize(text: str, transform: int, slug: str) -> None:
    assert slugize(text, transform) == slug


@pytest.mark.parametrize(
    ("path", "options", "url"),
    [
        ("/2018/07/24/hello-world/", {}, "https://example.com/blog/2018/07/24/hello-world/"),
        ("Über Straße 中文 Title!/", {}, "https://example.com/blog/%C3%9Cber%20Stra%C3%9Fe%20%E4%B8%AD%E6%96%87%20Title!/"),
        ("a/%E7%BB%A7/(x)'y'*/", {}, "https://example.com/blog/a/%E7%BB%A7/(x)'y'*/"),  # escapes kept once
        ("a//b/", {}, "https://example.com/blog/a/b/"),
        ("a/b.html", {"trailing_html": False}, "https://example.com/blog/a/b"),
        ("a/index.html", {"trailing_index": False}, "https://example.com/blog/a/"),
        ("a/index.html", {"trailing_html": False}, "https://example.com/blog/a/index.html"),
        ("a/100%/", {}, "https://example.com/blog/a/100%25/"),  # Hexo throws; a stray '%' is text here
    ],
)  # fmt: skip
def test_full_url(path: str, options: dict[str, bool], url: str) -> None:
    assert full_url("https://example.com/blog/", path, **options) == url


def _path(pattern: str, **changes: Any) -> str:
    values: dict[str, Any] = {
        "slug": "hello-world",
        "date": datetime(2018, 7, 24, 23, 31, 6, tzinfo=JST),
        "title": "Hello, World!",
        "category": "Diary/Life-Stuff",
        "meta": {},
        "defaults": {},
    }
    return post_path(pattern, **{**values, **changes})


def test_every_placeholder() -> None:
    pattern = ":year/:month/:day/:i_month/:i_day/:hour/:minute/:second/:timestamp/"
    assert _path(pattern) == "2018/07/24/7/24/23/31/06/1532442666/"
    assert (
        _path(":title/:name/:post_title/:category") == "hello-world/hello-world/hello-world/Diary/Life-Stuff"
    )
    assert _path(":hash") == "f02eed4338c9"  # sha1("hello-world1532442666"), as Hexo computes it


def test_front_matter_keys_and_permalink_defaults() -> None:
    assert _path("posts/:abbrlink/", meta={"abbrlink": 4086}) == "posts/4086/"
    assert _path(":lang/:title/", defaults={"lang": "en"}) == "en/hello-world/"
    assert _path(":lang/:title/", meta={"lang": "zh"}, defaults={"lang": "en"}) == "zh/hello-world/"
    assert _path(":title/", meta={"title": "Other"}) == "hello-world/"  # Hexo's own placeholders win
    assert _path(":nothing/") == "undefined/"  # as Hexo writes it
    assert _path(":id/", meta={"id": 7}) == "7/" and _path(":id/") == "hello-world/"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return with_overrides(
        Config(), source=tmp_path / "src", site_url="https://hexo.io/news/", site_timezone="Asia/Tokyo"
    )


def _posts(config: Config, **posts: Any) -> Config:
    return with_overrides(config, posts=PostsConfig(**posts))


def test_date_and_slug_from_the_file_name(config: Config) -> None:
    """hexo.io's news posts have no date: Hexo takes it, and the slug, from the file name."""
    config = _posts(config, new_post_name=":year-:month-:day-:title.md")
    write_post(
        config.source, "2025-10-26-hexo-8-1-0-released.md", "---\ntitle: Hexo 8.1.0 released\n---\nbody"
    )
    write_post(
        config.source, "2020-07-29-hexo-5-released.md", "---\ntitle: Five\ndate: 2020-07-30 10:00:00\n---\nb"
    )
    posts = {p.rel: p for p in read_posts(config).posts}
    eight = posts["2025-10-26-hexo-8-1-0-released.md"]
    assert eight.permalink == "https://hexo.io/news/2025/10/26/hexo-8-1-0-released/"
    assert eight.date == datetime(2025, 10, 26, tzinfo=JST) and not eight.dated_by_mtime
    five = posts["2020-07-29-hexo-5-released.md"]  # the front matter's date wins
    assert five.permalink == "https://hexo.io/news/2020/07/30/hexo-5-released/"
    assert eight.slug == "hexo-8-1-0-released" and five.slug == "hexo-5-released"  # held: not the file's


def test_a_posts_path_and_default_slug_are_made_from_its_rel(config: Config) -> None:
    """A post holds its folder (one string for all) and its rel, and makes its path and Hexo's
    default slug from them when asked, rather than holding them too (the memory of 100,000 posts)."""
    for rel in ("a/b c.md", "a/.md", "x.y.markdown", "新/标题.html"):
        write_post(config.source, rel, "---\ntitle: T\ndate: 2021-01-01 00:00:00\n---\nb")
    posts = {p.rel: p for p in read_posts(config).posts}
    assert {rel: p.path for rel, p in posts.items()} == {rel: str(config.source / rel) for rel in posts}
    assert {rel: p.slug for rel, p in posts.items()} == {
        "a/b c.md": "a/b c",
        "a/.md": "a/_",
        "x.y.markdown": "x.y",
        "新/标题.html": "新/标题",
    }
    assert all(p.own_slug is None for p in posts.values())
    assert len({id(p.root) for p in posts.values()}) == 1


def test_front_matter_permalink_overrides_the_pattern(config: Config) -> None:
    write_post(config.source, "a.md", "---\ntitle: A\ndate: 2021-01-01\npermalink: custom/path/\n---\nb")
    write_post(config.source, "b.md", "---\ntitle: B\ndate: 2021-01-01\npermalink: //evil.example/x\n---\nb")
    links = {p.rel: p.permalink for p in read_posts(config).posts}
    assert links["a.md"] == "https://hexo.io/news/custom/path/"
    assert links["b.md"] == "https://hexo.io/news/evil.example/x"  # always a path on this site


def test_category_placeholder_is_the_last_categorys_slug_path(config: Config) -> None:
    config = with_overrides(config, permalink=":category/:title/")
    write_post(
        config.source, "a.md", "---\ntitle: A\ndate: 2021-01-01\ncategories: [Diary, Life Stuff]\n---\nb"
    )
    write_post(config.source, "b.md", "---\ntitle: B\ndate: 2021-01-01\ncategories: [[A B, C.D], E]\n---\nb")
    write_post(config.source, "c.md", "---\ntitle: C\ndate: 2021-01-01\n---\nb")
    links = {p.rel: p.permalink for p in read_posts(config).posts}
    assert links["a.md"] == "https://hexo.io/news/Diary/Life-Stuff/a/"
    assert links["b.md"] == "https://hexo.io/news/E/b/"
    assert links["c.md"] == "https://hexo.io/news/uncategorized/c/"


def test_titles_from_the_slug_and_in_title_case(config: Config) -> None:
    write_post(config.source, "draft one.md", "---\ndate: 2021-01-01\n---\nb")
    write_post(config.source, "two.md", "---\ntitle: hello-world is a test\ndate: 2021-01-01\n---\nb")
    titled = _posts(config, use_slug_as_post_title=True, titlecase=True)
    assert {p.rel: p.title for p in read_posts(titled).posts} == {
        "draft one.md": "Draft One",
        "two.md": "Hello-World Is a Test",
    }


def test_asset_folder_posts_end_in_a_slash(config: Config) -> None:
    config = with_overrides(_posts(config, post_asset_folder=True), permalink=":year/:title")
    write_post(config.source, "a.md", "---\ntitle: A\ndate: 2021-01-01\n---\nb")
    assert read_posts(config).posts[0].permalink == "https://hexo.io/news/2021/a/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2018-7-24 23:31:06", datetime(2018, 7, 24, 14, 31, 6, tzinfo=UTC)),  # moment's reading
        ("2019-12-08 0:00:00 +900", datetime(2019, 12, 7, 15, 0, tzinfo=UTC)),  # +900 is +09:00
    ],
)
def test_dates_hexo_reads(config: Config, raw: str, expected: datetime) -> None:
    write_post(config.source, "a.md", f"---\ntitle: A\ndate: {raw}\n---\nb")
    assert read_posts(config).posts[0].date == expected


def test_a_path_is_escaped_as_urllib_quote_escapes_it() -> None:
    """Escapes are made by runs, not byte by byte: the same as ``quote`` with encodeURI's safe
    characters, for every character a post's name may hold (lone surrogates from a file name
    that is not UTF-8 included)."""
    import random
    from urllib.parse import quote

    from feeds.source.permalink import encode_path

    rng = random.Random(5005)
    alphabet = [chr(c) for c in range(0x20, 0x250)] + list("中文标题　【】！，。#?%\t\n\udcff\udc80é😀")
    for _ in range(3000):
        segment = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))).replace("%", "")
        expected = quote(segment, safe=";,/:@&=+$!*'()%", errors="surrogateescape")
        assert encode_path(segment) == expected, segment
