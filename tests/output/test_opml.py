"""feeds.opml: valid OPML 2.0 that a real subscription-list parser reads back, every feed in it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import listparser
from lxml import etree

from feeds.builder import build
from feeds.config import load_config
from feeds.output import FeedFile, Listing, render_opml

from ..conftest import DATA

BLOG = DATA / "listing-blog"
HOSTILE = "<img src=x onerror=alert(1)>"  # a category name, as tests/data/listing-blog/hostile.md has it


def build_blog(make_config: Callable[..., Path], **overrides: object) -> Path:
    config = load_config(make_config(source=str(BLOG), **overrides))
    build(config)
    return config.output


def manifest_feeds(out: Path) -> list[str]:
    names = json.loads((out / ".feeds-manifest.json").read_text(encoding="utf-8"))["files"]["names"]
    return sorted(n for n in names if n.endswith(".xml"))


def url_of(name: str) -> str:
    return "https://blog.example.org/" + "/".join(quote(part, safe="") for part in name.split("/"))


def test_every_feed_is_in_the_list_a_parser_reads(make_config: Callable[..., Path]) -> None:
    out = build_blog(make_config)
    parsed = listparser.parse((out / "feeds.opml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "opml2"
    found = {feed.url for feed in parsed.feeds}
    names = manifest_feeds(out)
    atoms = {url_of(n) for n in names if n.endswith("atom.xml")}
    assert found == atoms and len(atoms) == 9  # xmlUrl: the preferred format, atom by default
    doc = etree.fromstring((out / "feeds.opml").read_bytes())
    every = {
        v for o in doc.iter("outline") for k, v in o.attrib.items() if k.endswith("Url") and k != "htmlUrl"
    }
    assert every == {url_of(n) for n in names}  # rssUrl and atomUrl too: one URL per feed file


def test_outlines_follow_the_category_tree(make_config: Callable[..., Path]) -> None:
    out = build_blog(make_config)
    parsed = listparser.parse((out / "feeds.opml").read_bytes())
    by_title = {feed.title: feed for feed in parsed.feeds}
    assert by_title["Python"].categories == [["Categories", "Tech"]]
    assert by_title["Tech"].categories == [["Categories", "Tech"]]  # its own feed first in its folder
    assert by_title["Travel"].categories == [["Categories", "Life"]]
    assert by_title["随笔"].categories == [["Categories", "博客"]]
    assert by_title["Test site"].categories == []  # the site feed at the top
    doc = etree.fromstring((out / "feeds.opml").read_bytes())
    tech = doc.find("body/outline[@text='Categories']/outline[@text='Tech']")
    assert tech is not None and tech.get("xmlUrl") is None  # a folder
    assert [o.get("text") for o in tech] == ["Tech", "Python"]


def test_the_document_is_opml_2(make_config: Callable[..., Path]) -> None:
    out = build_blog(make_config)
    doc = etree.fromstring((out / "feeds.opml").read_bytes())
    assert doc.tag == "opml" and doc.get("version") == "2.0"
    assert [child.tag for child in doc] == ["head", "body"]
    assert doc.findtext("head/title") == "Test site feeds"
    assert doc.findtext("head/dateModified") == "Fri, 01 Mar 2024 04:00:00 GMT"  # the newest post's date
    assert doc.findtext("head/docs") == "http://opml.org/spec2.opml"
    for outline in doc.iter("outline"):
        assert outline.get("text")  # required on every outline
        if outline.get("type") == "rss":
            assert outline.get("xmlUrl", "").startswith("https://")
            assert outline.get("htmlUrl", "").startswith("https://")
            assert len(outline) == 0


def test_untrusted_names_are_attribute_values_only(make_config: Callable[..., Path]) -> None:
    out = build_blog(make_config)
    data = (out / "feeds.opml").read_bytes()
    assert b"<img" not in data and b"a < b" not in data
    doc = etree.fromstring(data)
    texts = {o.get("text") for o in doc.iter("outline")}
    assert HOSTILE in texts and "Q&A \"quoted\" 'single' a < b > c" in texts


def test_the_preferred_format_and_a_single_format(make_config: Callable[..., Path]) -> None:
    out = build_blog(make_config, feeds={"opml_format": "rss"})
    parsed = listparser.parse((out / "feeds.opml").read_bytes())
    assert all(feed.url.endswith("/rss.xml") for feed in parsed.feeds) and len(parsed.feeds) == 9
    out = build_blog(make_config, feeds={"formats": ["rss"], "opml_format": "atom"})
    parsed = listparser.parse((out / "feeds.opml").read_bytes())
    assert all(feed.url.endswith("/rss.xml") for feed in parsed.feeds)  # atom not written: the first that is


def test_same_listings_same_bytes() -> None:
    files = (FeedFile("atom", "atom.xml", "https://x.example/atom.xml"),)
    when = datetime(2024, 1, 1, tzinfo=UTC)
    one = Listing("site", (), (), "X", "https://x.example/", files, 3, when)
    first = render_opml("X", "me", [one], "atom", when)
    assert render_opml("X", "me", [one], "atom", when) == first
    assert b"<ownerName>me</ownerName>" in first
    assert render_opml("X", "me", [one], "atom", None) != first  # no date: no dateModified


def test_tag_and_author_feeds_follow_the_categories(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    source = tmp_path / "posts"
    source.mkdir()
    (source / "a.md").write_text(
        "---\ntitle: A\ndate: 2024-01-01\ncategories: [Tech]\ntags: [py, web]\nauthor: Ann\n---\nx\n",
        encoding="utf-8",
    )
    feeds = {"tags": True, "authors": True, "formats": ["rss", "atom", "json"], "opml_format": "json"}
    out = load_config(make_config(source=str(source), feeds=feeds)).output
    build(load_config(tmp_path / "config.yaml"))
    parsed = listparser.parse((out / "feeds.opml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    by_title = {feed.title: feed for feed in parsed.feeds}
    assert by_title["py"].categories == [["Tags"]] and by_title["Ann"].categories == [["Authors"]]
    assert by_title["py"].url == url_of("tags/py/feed.json")  # xmlUrl in feeds.opml_format
    doc = etree.fromstring((out / "feeds.opml").read_bytes())
    groups = [o.get("text") for o in doc.find("body")]  # type: ignore[union-attr]
    assert groups == ["Test site", "Categories", "Tags", "Authors"]
    names = json.loads((out / ".feeds-manifest.json").read_text(encoding="utf-8"))["files"]["names"]
    every = {
        v for o in doc.iter("outline") for k, v in o.attrib.items() if k.endswith("Url") and k != "htmlUrl"
    }
    assert every == {url_of(n) for n in names if n not in ("feeds.opml", "feeds.html")}
    page = (out / "feeds.html").read_text(encoding="utf-8")
    assert all(
        f'href="{n}"' in page or f'href="./{n}"' in page
        for n in names
        if n.startswith(("rss", "atom", "feed.", "categories", "tags", "authors"))
    )
