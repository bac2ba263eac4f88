"""URLs a post names outside its body are untrusted: only http(s) reaches a feed."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from feeds.builder import build
from feeds.config import Config, with_overrides
from feeds.source.posts import read_posts
from feeds.urls import UnsafeURL, http_url

from ..conftest import write_post

BASE = "https://b.example/2021/10/11/p/"
FM = "---\ntitle: T\ndate: 2021-10-11 09:00:00\n{extra}---\n<p>body</p>\n"
THUMBNAIL_KEYS = ("thumbnail", "headimg", "cover", "image")
REFUSED = [
    ("javascript:alert(1)", "not an http(s) URL (javascript:)"),
    ("  JaVaScRiPt:alert(1)", "not an http(s) URL (javascript:)"),
    ("java\tscript:alert(1)", "control characters"),
    ("java\nscript:alert(1)", "control characters"),
    ("data:image/svg+xml;base64,PHN2Zz4=", "not an http(s) URL (data:)"),
    ("file:///etc/passwd", "not an http(s) URL (file:)"),
    ("vbscript:msgbox(1)", "not an http(s) URL (vbscript:)"),
    ("https://exa mple.com/a.png", "no valid host"),
    ("https://ex\x00ample.com/a.png", "control characters"),
    ("http://host:port/a.png", "does not parse"),
    ("http:///a.png", "no valid host"),
    ("https://[::1/a.png", "does not parse"),
]
KEPT = [
    ("https://i.example/a.jpg", "https://i.example/a.jpg"),
    ("HTTP://i.example/a.jpg", "http://i.example/a.jpg"),
    ("//cdn.example/a.jpg", "https://cdn.example/a.jpg"),
    ("img/a b.png", "https://b.example/2021/10/11/p/img/a%20b.png"),
    ("/img/a.png", "https://b.example/img/a.png"),
    ("https://例え.jp/画像.png", "https://xn--r8jz45g.jp/%E7%94%BB%E5%83%8F.png"),
    ("http://[2001:db8::1]:8080/a.png", "http://[2001:db8::1]:8080/a.png"),
    ("https://a_b.cdn.example/a.png", "https://a_b.cdn.example/a.png"),
]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return with_overrides(Config(), source=tmp_path / "src", site_url="https://b.example/")


@pytest.mark.parametrize(("value", "reason"), REFUSED)
def test_http_url_refuses(value: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason.replace("(", r"\(").replace(")", r"\)")):
        http_url(value, BASE)


@pytest.mark.parametrize(("value", "expected"), KEPT)
def test_http_url_keeps_and_resolves(value: str, expected: str) -> None:
    assert http_url(value, BASE) == expected


def _yaml(value: str) -> str:
    return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@pytest.mark.parametrize("key", THUMBNAIL_KEYS)
@pytest.mark.parametrize(("value", "reason"), REFUSED)
def test_a_thumbnail_key_with_an_unsafe_url_is_left_out_with_a_warning(
    config: Config, caplog: pytest.LogCaptureFixture, key: str, value: str, reason: str
) -> None:
    write_post(config.source, "x/p.md", FM.format(extra=f"{key}: {_yaml(value)}\n"))
    with caplog.at_level(logging.WARNING, logger="feeds"):
        (post,) = read_posts(config).posts
    assert post.thumbnail is None
    assert f"p.md: {key} " in caplog.text and reason in caplog.text and "left out" in caplog.text


@pytest.mark.parametrize("key", THUMBNAIL_KEYS)
def test_a_thumbnail_given_as_a_mapping_is_checked_too(config: Config, key: str) -> None:
    write_post(config.source, "p.md", FM.format(extra=f"{key}:\n  url: 'javascript:alert(1)'\n"))
    assert read_posts(config).posts[0].thumbnail is None


@pytest.mark.parametrize(("value", "expected"), KEPT)
def test_a_safe_thumbnail_is_kept_absolute(config: Config, value: str, expected: str) -> None:
    write_post(config.source, "p.md", FM.format(extra=f"thumbnail: {_yaml(value)}\n"))
    post = read_posts(config).posts[0]
    assert post.thumbnail == http_url(value, post.permalink)
    assert post.thumbnail.lower().startswith(("http://", "https://"))


@pytest.mark.parametrize("key", ("id", "guid"))
@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///x"]
)
def test_an_id_with_another_scheme_is_a_name_under_the_permalink(
    config: Config, caplog: pytest.LogCaptureFixture, key: str, value: str
) -> None:
    write_post(config.source, "p.md", FM.format(extra=f"{key}: {_yaml(value)}\n"))
    with caplog.at_level(logging.WARNING, logger="feeds"):
        (post,) = read_posts(config).posts
    assert post.id.startswith(post.permalink + "#")
    assert f"p.md: {key} " in caplog.text and "kept as a name" in caplog.text


def test_ids_that_are_addresses(config: Config) -> None:
    write_post(config.source, "a.md", FM.format(extra="id: 'https://other.example/文'\n"))
    write_post(config.source, "b.md", FM.format(extra="guid: 'tag:b.example,2021:post-1'\n"))
    write_post(config.source, "c.md", FM.format(extra="id: 'https://ex%41mple.com/x'\n"))
    write_post(config.source, "e.md", FM.format(extra="id: 'https://exa mple/x'\n"))
    write_post(config.source, "d.md", FM.format(extra="id: 42\n"))
    ids = {p.rel: (p.id, p.permalink) for p in read_posts(config).posts}
    assert ids["a.md"][0] == "https://other.example/%E6%96%87"
    assert ids["b.md"][0] == "tag:b.example,2021:post-1"
    assert ids["c.md"][0] == ids["c.md"][1]  # an unsafe http id falls back to the permalink
    assert ids["d.md"][0] == ids["d.md"][1] + "#42"
    assert ids["e.md"][0] == ids["e.md"][1] + "#https:%2F%2Fexa%20mple%2Fx"  # not one URL: a name


def test_no_unsafe_url_reaches_a_feed(config: Config, tmp_path: Path) -> None:
    """With the fetcher off, a javascript: thumbnail used to become <media:thumbnail url="javascript:…"/>."""
    for i, (value, _) in enumerate(REFUSED):
        extra = f"thumbnail: {_yaml(value)}\nid: {_yaml(value)}\n"
        write_post(config.source, f"p{i}.md", FM.format(extra=extra))
    config = with_overrides(config, output=tmp_path / "out", cache=tmp_path / "cache")
    report = build(config)
    assert report.posts_read == len(REFUSED)
    assert {w.kind for w in report.warnings} == {"url"}
    for path in (tmp_path / "out").rglob("*.xml"):
        text = path.read_text(encoding="utf-8").lower()
        for scheme in ("javascript:", "data:", "vbscript:", "file:"):
            assert f'"{scheme}' not in text and f">{scheme}" not in text, (path, scheme)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("photos:\n  - https://i.example/p1.jpg\n  - https://i.example/p2.jpg\n", "https://i.example/p1.jpg"),
        ("photos: []\nindex_img: /img/fluid.png\n", "https://b.example/img/fluid.png"),
        ("top_img: https://i.example/butterfly.jpg\n", "https://i.example/butterfly.jpg"),
        ("img: https://i.example/matery.jpg\n", "https://i.example/matery.jpg"),
        ("banner: https://i.example/b.jpg\nfeature: https://i.example/f.jpg\n", "https://i.example/b.jpg"),
        ("cover: ''\nthumbnail: ''\nfeature: https://i.example/f.jpg\n", "https://i.example/f.jpg"),
    ],
)
def test_the_thumbnail_keys_of_popular_themes(config: Config, front: str, expected: str) -> None:
    write_post(config.source, "p.md", FM.format(extra=front))
    assert read_posts(config).posts[0].thumbnail == expected


def test_thumbnail_keys_are_configurable_and_name_a_post_asset(config: Config) -> None:
    from feeds.config import ContentConfig, PostsConfig

    config = with_overrides(
        config, content=ContentConfig(thumbnail_keys=("hero",)), posts=PostsConfig(post_asset_folder=True)
    )
    write_post(
        config.source, "p.md", FM.format(extra="thumbnail: https://i.example/t.jpg\nhero: diagram.png\n")
    )
    post = read_posts(config).posts[0]
    assert post.thumbnail == post.permalink + "diagram.png" == "https://b.example/2021/10/11/p/diagram.png"


def test_a_backslash_is_refused_where_browsers_and_python_disagree_on_the_host() -> None:
    with pytest.raises(UnsafeURL, match="backslash"):
        http_url("http://a.example\\@evil.example/x.png", BASE)
