"""The site URL as Hexo writes every link and id with it (feeds/urls.py: canonical_site_url).

ORACLE is what node 20 printed for each ``url`` with hexo-util 4.0.0 (Hexo 8.1.2's):
``tools/yaml_oracle/url_oracle.js`` run by hand.  "valid" is Hexo's validate_config (a WHATWG URL
with an http(s) scheme); "root" is hexo-generator-feed's site ``<link>``/``<id>`` (encodeURL of the
url, trailing slashes stripped, plus '/'); "post" is a post's permalink through full_url_for and the
feed template's uriencode, for the path ``2024/01/02/héllo wörld/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from feeds.cli import main
from feeds.config import Config, load_config, with_overrides
from feeds.errors import ConfigError
from feeds.source.permalink import full_url
from feeds.urls import canonical_site_url

POST_PATH = "2024/01/02/héllo wörld/"
ORACLE: list[dict[str, Any]] = [
    {
        "url": "https://Kinsiy.github.io",
        "valid": True,
        "root": "https://kinsiy.github.io/",
        "post": "https://kinsiy.github.io/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://Kinsiy.github.io/",
        "valid": True,
        "root": "https://kinsiy.github.io/",
        "post": "https://kinsiy.github.io/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "HTTPS://EXAMPLE.COM/Blog/",
        "valid": True,
        "root": "https://example.com/Blog/",
        "post": "https://example.com/Blog/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com:443",
        "valid": True,
        "root": "https://example.com/",
        "post": "https://example.com/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "http://example.com:80/blog",
        "valid": True,
        "root": "http://example.com/blog/",
        "post": "http://example.com/blog/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com:80",
        "valid": True,
        "root": "https://example.com:80/",
        "post": "https://example.com:80/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "http://example.com:8080/",
        "valid": True,
        "root": "http://example.com:8080/",
        "post": "http://example.com:8080/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com:",
        "valid": True,
        "root": "https://example.com/",
        "post": "https://example.com/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "http://example.com:0080",
        "valid": True,
        "root": "http://example.com/",
        "post": "http://example.com/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://bücher.example",
        "valid": True,
        "root": "https://bücher.example/",
        "post": "https://bücher.example/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://BÜCHER.example/",
        "valid": True,
        "root": "https://bücher.example/",
        "post": "https://bücher.example/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://xn--bcher-kva.example",
        "valid": True,
        "root": "https://bücher.example/",
        "post": "https://bücher.example/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://例子.测试/博客",
        "valid": True,
        "root": "https://例子.测试/%E5%8D%9A%E5%AE%A2/",
        "post": "https://例子.测试/%E5%8D%9A%E5%AE%A2/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com.",
        "valid": True,
        "root": "https://example.com./",
        "post": "https://example.com./2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://Example.COM./",
        "valid": True,
        "root": "https://example.com./",
        "post": "https://example.com./2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://user:pass@Example.com",
        "valid": True,
        "root": "https://user:pass@example.com/",
        "post": "https://user:pass@example.com/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://user@example.com/",
        "valid": True,
        "root": "https://user@example.com/",
        "post": "https://user@example.com/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {"url": "http://[::1]:8080", "valid": True, "root": "http://[::1]:8080/", "error": "Invalid URL"},
    {
        "url": "http://[2001:DB8:0:0:0:0:0:1]/",
        "valid": True,
        "root": "http://[2001:db8::1]/",
        "error": "Invalid URL",
    },
    {
        "url": "http://127.1",
        "valid": True,
        "root": "http://127.0.0.1/",
        "post": "2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "http://0x7f.0.0.1:80/",
        "valid": True,
        "root": "http://127.0.0.1/",
        "post": "2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "http://ex%41mple.com",
        "valid": True,
        "root": "http://example.com/",
        "post": "http://example.com/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com/a b/",
        "valid": True,
        "root": "https://example.com/a%20b/",
        "post": "https://example.com/a%20b/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com/%E5%8D%9A%E5%AE%A2/",
        "valid": True,
        "root": "https://example.com/%E5%8D%9A%E5%AE%A2/",
        "post": "https://example.com/%E5%8D%9A%E5%AE%A2/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com/博客",
        "valid": True,
        "root": "https://example.com/%E5%8D%9A%E5%AE%A2/",
        "post": "https://example.com/%E5%8D%9A%E5%AE%A2/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {"url": "https://exa mple.com", "valid": False},
    {"url": "example.com", "valid": False},
    {"url": "ftp://example.com", "valid": False},
    {
        "url": "https://example.com/?q=1",
        "valid": True,
        "root": "https://example.com/?q=1%2F",
        "post": "https://example.com/?q=1%2F2024%2F01%2F02%2Fh%C3%A9llo+w%C3%B6rld%2F",
    },
    {
        "url": "https://example.com/#top",
        "valid": True,
        "root": "https://example.com/#top/",
        "post": "https://example.com/#top/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
    {
        "url": "https://example.com///",
        "valid": True,
        "root": "https://example.com/",
        "post": "https://example.com/2024/01/02/h%C3%A9llo%20w%C3%B6rld/",
    },
]
# Where Hexo writes something no reader can use, feeds writes the site's own address instead:
# a query or fragment in `url` (Hexo glues every path after it), an IP host full_url_for cannot
# parse or compare (Hexo then writes a relative path, or stops).
HEXO_BROKEN = {"https://example.com/?q=1", "https://example.com/#top", "http://[::1]:8080",
               "http://[2001:DB8:0:0:0:0:0:1]/", "http://127.1", "http://0x7f.0.0.1:80/"}  # fmt: skip


@pytest.mark.parametrize("row", ORACLE, ids=[row["url"] for row in ORACLE])
def test_the_site_url_is_what_hexo_writes(row: dict[str, Any]) -> None:
    if not row["valid"]:
        with pytest.raises(ValueError):
            canonical_site_url(row["url"])
        return
    root = canonical_site_url(row["url"])
    if row["url"] in HEXO_BROKEN:
        assert "?" not in root and "#" not in root and root.endswith("/")
        return
    assert root == row["root"]
    assert full_url(root, POST_PATH) == row["post"]


def test_the_canonical_url_is_stable() -> None:
    for row in ORACLE:
        if row["valid"]:
            once = canonical_site_url(row["url"])
            assert canonical_site_url(once) == once


def test_config_and_command_line_urls_are_made_canonical_once(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("site:\n  url: HTTPS://Example.COM:443/Blog\n", encoding="utf-8")
    assert load_config(path).site.url == "https://example.com/Blog/"
    assert with_overrides(Config(), site_url="http://Bücher.example:80").site.url == "http://bücher.example/"


@pytest.mark.parametrize(
    "url", ["example.com", "ftp://example.com/", "https://exa mple.com/", "https://a.example:99999/"]
)
def test_a_url_that_is_no_http_url_is_refused_naming_the_key(url: str) -> None:
    with pytest.raises(ConfigError) as raised:
        with_overrides(Config(), site_url=url)
    assert raised.value.key == "site.url" and url in str(raised.value)


def test_every_writer_uses_the_same_canonical_host(tmp_path: Path) -> None:
    """Feeds, OPML, the index, autodiscovery and JSON Feed all start from the one site URL."""
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "one.md").write_text(
        "---\ntitle: One\ndate: 2024-01-02 03:04:05\ncategories: [Notes]\n---\nHi.\n"
    )
    (tmp_path / "config.yaml").write_text(
        "source: posts\noutput: out\nsite:\n  title: T\n  url: https://Notes.EXAMPLE.org:443/Blog\n"
        "feeds:\n  formats: [rss, atom, json]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["build", "--config", str(tmp_path / "config.yaml"), "--quiet"])
    assert result.exit_code == 0, result.output
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert {p.suffix for p in written} >= {".xml", ".json", ".opml", ".html"}, written
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "Notes.EXAMPLE" not in text and ":443" not in text, path
    assert "https://notes.example.org/Blog/2024/01/02/one/" in (tmp_path / "out" / "feed.json").read_text()
