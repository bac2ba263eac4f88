"""Reading posts: every front-matter form in the corpus and every way a file can be unusable."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from feeds.config import Config, with_overrides
from feeds.source.posts import find_posts, read_posts

from ..conftest import write_post

SH = timezone(timedelta(hours=8))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return with_overrides(
        Config(), source=tmp_path / "src", site_url="https://b.example/", site_timezone="Asia/Shanghai"
    )


def one(config: Config, text: str | bytes, name: str = "a/b.md"):
    write_post(config.source, name, text)
    result = read_posts(config)
    assert not result.errors, result.errors
    assert len(result.posts) == 1
    return result.posts[0]


FM = "---\ntitle: T\ndate: 2021-10-11 09:00:00\n{extra}---\n<p>body</p>\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mon, 11 Oct 2021 01:07:41 GMT", datetime(2021, 10, 11, 1, 7, 41, tzinfo=UTC)),
        ("2021-10-11 09:00:00", datetime(2021, 10, 11, 9, 0, tzinfo=SH)),
        ("2021-10-11T09:00:00+02:00", datetime(2021, 10, 11, 7, 0, tzinfo=UTC)),
        ("2021-10-11T09:00:00Z", datetime(2021, 10, 11, 9, 0, tzinfo=UTC)),
        ("'2021-10-11 09:00:00'", datetime(2021, 10, 11, 9, 0, tzinfo=SH)),
        ("2021-10-11", datetime(2021, 10, 11, 0, 0, tzinfo=SH)),
    ],
)
def test_date_forms(config: Config, raw: str, expected: datetime) -> None:
    post = one(config, f"---\ntitle: T\ndate: {raw}\n---\nbody")
    assert post.date == expected
    assert post.updated == post.date


def test_invalid_date_falls_back_to_mtime_with_warning(
    config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_post(config.source, "x.md", "---\ntitle: T\ndate: Invalid Date\n---\nbody")
    import os

    os.utime(path, (1_600_000_000, 1_600_000_000))
    with caplog.at_level(logging.WARNING):
        first = read_posts(config).posts[0]
        second = read_posts(config).posts[0]
    assert first.date == second.date == datetime.fromtimestamp(1_600_000_000, UTC)
    assert str(path) in caplog.text and "Invalid Date" in caplog.text


def test_missing_date_uses_updated(config: Config) -> None:
    post = one(config, "---\ntitle: T\nupdated: 2022-01-02 03:04:05\n---\nbody")
    assert post.date == datetime(2022, 1, 2, 3, 4, 5, tzinfo=SH)


def test_updated(config: Config) -> None:
    post = one(config, FM.format(extra="updated: 2021-12-01 00:00:00\n"))
    assert post.updated == datetime(2021, 12, 1, tzinfo=SH)


def test_bom_crlf_and_blank_lines(config: Config) -> None:
    text = (
        "\ufeff\r\n\r\n---\r\ntitle: 'Hello'\r\ncategories: \r\n - A\r\n - B\r\n"
        "date: 2021-10-11 09:00:00\r\n---\r\n<p>x</p>"
    )
    post = one(config, text)
    assert post.title == "Hello"
    assert post.categories == (("A", "B"),)


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ("Single", (("Single",),)),
        ("[A, B, C]", (("A", "B", "C"),)),
        ("[[A, B], [C, D]]", (("A", "B"), ("C", "D"))),
        ("[[A], [B]]", (("A",), ("B",))),
        ("\n - 新媒体\n - ZAKER\n - — source", (("新媒体", "ZAKER", "source"),)),
        ("\n - 音视频\n - 猫眼电影\n -  - 即将上映", (("音视频", "猫眼电影", "即将上映"),)),
        ("\n - '  spaced  '\n - '| piped'", (("spaced", "piped"),)),
        ("''", ()),
    ],
)
def test_category_forms(config: Config, yaml_value: str, expected: tuple) -> None:
    post = one(config, FM.format(extra=f"categories: {yaml_value}\n"))
    assert post.categories == expected


def test_missing_categories_means_site_feed_only(config: Config) -> None:
    assert one(config, FM.format(extra="")).categories == ()


def test_tags_author_thumbnail(config: Config) -> None:
    extra = (
        "tags: [x, ' y ', x]\nauthor:\n  name: Ann\n  email: ann@example.org\n"
        "headimg: ''\ncover: /img/c.png\n"
    )
    post = one(config, FM.format(extra=extra))
    assert post.tags == ("x", "y")
    assert (post.author, post.author_email) == ("Ann", "ann@example.org")
    assert post.thumbnail == "https://b.example/img/c.png"
    assert one(config, FM.format(extra="tags: solo\nthumbnail: 'https://i.example/a b.jpg'\n")).thumbnail == (
        "https://i.example/a%20b.jpg"
    )


def test_thumbnail_key_order(config: Config) -> None:
    extra = (
        "image: https://i.example/4.jpg\ncover: https://i.example/3.jpg\nheadimg: https://i.example/2.jpg\n"
    )
    assert one(config, FM.format(extra=extra)).thumbnail == "https://i.example/2.jpg"


def test_drafts_are_skipped(config: Config) -> None:
    write_post(config.source, "d.md", FM.format(extra="draft: true\n"))
    write_post(config.source, "p.md", FM.format(extra="published: false\n"))
    write_post(config.source, "y.md", FM.format(extra="draft: yes\n"))  # a word in YAML 1.2, meant as a flag
    write_post(config.source, "n.md", FM.format(extra="published: 'No'\n"))
    write_post(config.source, "kept.md", FM.format(extra="draft: maybe\npublished: yes\n"))
    result = read_posts(config)
    assert [p.rel for p in result.posts] == ["kept.md"] and result.drafts == 4 and not result.errors


def test_blank_title_warns(config: Config, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        post = one(config, "---\ntitle: ' '\ndate: 2021-01-01\n---\n<p>The body text</p>")
    assert post.title == "" and post.title_from_body
    assert "title is blank" in caplog.text


@pytest.mark.parametrize(
    ("extra", "title", "tags"),
    [
        # YAML 1.2, as Hexo's js-yaml reads it: these are words, not booleans or octal numbers.
        ("", "no", ("on", "10")),
        # A scraper's duplicate key: the last one wins, as PyYAML had it, instead of losing the post.
        ("title: again\n", "again", ("on", "10")),
    ],
)
def test_front_matter_is_yaml_1_2(config: Config, extra: str, title: str, tags: tuple[str, ...]) -> None:
    post = one(config, f"---\ntitle: no\ndate: 2021-01-01\ntags: [on, 010]\n{extra}---\nbody")
    assert post.title == title and post.tags == tags


def test_front_matter_with_a_tab_is_still_read(config: Config) -> None:
    assert one(config, "---\ntitle:\tTabbed\ndate: 2021-01-01\n---\nbody").title == "Tabbed"


def test_impossible_date_is_a_warning_not_a_lost_post(
    config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    post = one(config, "---\ntitle: T\ndate: 2021-02-30\nupdated: 2021-03-01\n---\nbody")
    assert post.date == datetime(2021, 3, 1, tzinfo=SH)
    assert "'2021-02-30' is not a date" in caplog.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        (b"---\ntitle: T\nx: {a: 1\n---\nbody", "(line 3, column 4)"),
        (b"---\ntitle: !!bool maybe\n---\nbody", "not valid YAML: Invalid value 'maybe'"),
        (b"---\ntitle: \xff\xfe bad\n---\nbody", "not UTF-8"),
        (b"---\n- a\n- b\n---\nbody", "not a mapping"),
    ],
)
def test_unusable_files_are_reported_and_others_kept(config: Config, data: bytes, reason: str) -> None:
    bad = write_post(config.source, "bad.md", data)
    write_post(config.source, "good.md", FM.format(extra=""))
    result = read_posts(config)
    assert [p.rel for p in result.posts] == ["good.md"]
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith(f"{bad}: ") and reason in str(result.errors[0])


def test_walk_skips_hidden_and_links_out(config: Config, tmp_path: Path) -> None:
    write_post(config.source, "a/ok.md", FM.format(extra=""))
    write_post(config.source, ".hidden/x.md", FM.format(extra=""))
    write_post(config.source, "a/.x.md", FM.format(extra=""))
    write_post(config.source, "a/.md", FM.format(extra=""))  # a post whose title was sanitised away
    write_post(config.source, "a/notes.txt", "x")
    outside = write_post(tmp_path / "elsewhere", "secret.md", FM.format(extra=""))
    (config.source / "a" / "link.md").symlink_to(outside)
    (config.source / "a" / "inside.md").symlink_to(config.source / "a" / "ok.md")
    (config.source / "dirlink").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    names = [p.relative_to(config.source).as_posix() for p in find_posts(config.source)]
    assert names == ["a/.md", "a/inside.md", "a/ok.md"]


def test_permalink_and_ids(config: Config) -> None:
    post = one(config, FM.format(extra=""), name="新媒体/a b.md")
    assert post.permalink == "https://b.example/2021/10/11/%E6%96%B0%E5%AA%92%E4%BD%93/a%20b/"
    assert post.id == post.permalink
    Path(post.path).unlink()
    uuid = one(config, FM.format(extra="uuid: 0F8FAD5B-D9CB-469F-A165-70867728950E\n"), name="u/x.md")
    assert uuid.id == "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"


def test_permalink_pattern(tmp_path: Path) -> None:
    config = with_overrides(Config(), source=tmp_path, permalink="posts/:category/:name.html")
    write_post(tmp_path, "x/Hello.md", FM.format(extra="categories: [A, B]\n"))
    assert read_posts(config).posts[0].permalink == "https://example.com/posts/A/B/Hello.html"


def test_percent_in_file_name_is_not_double_encoded(config: Config) -> None:
    post = one(config, FM.format(extra=""), name="x/%E7%BB%A7 100%.md")
    assert post.permalink == "https://b.example/2021/10/11/x/%E7%BB%A7%20100%25/"


@pytest.mark.parametrize(
    "front",
    [
        "date: 2021-02-30",  # PyYAML raises ValueError building the date
        "date: 0001-01-01 00:00:00+05:00",  # before year 1 in UTC
        "thumbnail: 'http://[x'",  # not a URL
    ],
)
def test_odd_values_never_stop_the_build(config: Config, front: str) -> None:
    write_post(config.source, "odd.md", f"---\ntitle: Odd\n{front}\n---\n<p><img src='http://[x'>text</p>")
    write_post(config.source, "good.md", FM.format(extra=""))
    result = read_posts(config)
    assert "good.md" in [p.rel for p in result.posts]
    assert len(result.posts) + len(result.errors) == 2
