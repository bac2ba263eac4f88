"""JSON Feed 1.1: every field the data supports, none empty, spliced feeds equal whole ones."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from feeds.builder.planning import feed_info, plan_feeds, selected_posts
from feeds.builder.render import clean_posts
from feeds.config import Config, with_overrides
from feeds.models import Content, FeedInfo, Image, Post, Site
from feeds.output import Entry, render_json, render_pieces
from feeds.output.jsonfeed import assemble_json, item
from feeds.source.posts import read_posts

from ..conftest import CORPUS, check_json_feed

WHEN = datetime(2021, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
INFO = FeedInfo(
    "Site · 标签", "https://b.example/", "https://b.example/feed.json", "d", "zh-CN", "Me",
    icon="https://b.example/icon.png", favicon="https://b.example/favicon.ico", hubs=("https://hub.example/",),
)  # fmt: skip


def post(**changes: Any) -> Post:
    values: dict[str, Any] = {
        "root": "", "rel": "a.md", "title": "标题 T", "date": WHEN, "updated": WHEN + timedelta(days=1),
        "permalink": "https://b.example/a/", "id": "urn:uuid:0a0b", "categories": (("Tech", "Py"),),
        "tags": ("Py", "日本"), "author": "Ann", "thumbnail": "https://img.example/a.png",
    }  # fmt: skip
    return Post(**{**values, **changes})


CONTENT = Content("<p>1 &lt; 2 — 你好</p>", "1 < 2 — 你好")


@pytest.mark.parametrize("content", ["full", "summary", "none"])
def test_spliced_feeds_equal_whole_feeds(content: str, json_schema: Any, tmp_path: Path) -> None:
    config = with_overrides(Config(), source=CORPUS)
    config = with_overrides(config, feeds=type(config.feeds)(content=content, formats=("json",)))
    plans = plan_feeds(config, read_posts(config).posts)
    posts = selected_posts(plans)
    cleaned = {rel: c for rel, c, _ in clean_posts(config, posts, Site())}
    entries = {p.rel: Entry(p, cleaned[p.rel], None, content) for p in posts if cleaned[p.rel]}
    pieces = render_pieces(["json"], list(entries.values()), config.site.language)
    assert set(pieces) == {"json"}
    by_rel = dict(zip(entries, pieces["json"], strict=True))
    assert len(plans) > 80
    for plan in plans[:: len(plans) // 10]:  # every tenth: each feed is checked by a reader too
        info = feed_info(config, plan, "json")
        whole = render_json(info, [entries[p.rel] for p in plan.posts])
        assert assemble_json(info, [by_rel[p.rel] for p in plan.posts]) == whole, plan.label
        path = tmp_path / "feed.json"
        path.write_bytes(whole)
        doc = check_json_feed(path, json_schema)
        assert [i["id"] for i in doc["items"]] == [p.id for p in plan.posts]


def test_an_item_carries_every_field_in_the_spec_order() -> None:
    image = Image("https://cdn.example/a.png", "image/png", 1234, 640, 480)
    got = item(Entry(post(language="fr"), CONTENT, image, "full"), "zh-CN")
    assert list(got) == [
        "id", "url", "title", "content_html", "summary", "image", "date_published", "date_modified",
        "authors", "tags", "language", "attachments",
    ]  # fmt: skip
    assert got["id"] == "urn:uuid:0a0b" and got["url"] == "https://b.example/a/"
    assert got["content_html"] == CONTENT.html and got["summary"] == CONTENT.summary
    assert got["image"] == image.url  # the resolved URL, not the front matter's
    assert got["date_published"] == "2021-05-01T09:30:00+08:00"
    assert got["date_modified"] == "2021-05-02T09:30:00+08:00"
    assert got["authors"] == [{"name": "Ann"}]
    assert got["tags"] == ["Tech", "Py", "日本"]  # categories (each level) and tags, once each
    assert got["language"] == "fr"
    assert got["attachments"] == [{"url": image.url, "mime_type": "image/png", "size_in_bytes": 1234}]


def test_no_empty_fields_and_no_repeated_language() -> None:
    bare = post(categories=(), tags=(), author=None, thumbnail=None, language="zh-cn")
    got = item(Entry(bare, Content("", ""), Image("https://cdn.example/x", None, None), "full"), "zh-CN")
    # No body and no summary: the title is the text (an item needs content_html or content_text).
    assert got == {
        "id": bare.id, "url": bare.permalink, "title": bare.title, "content_text": bare.title,
        "image": "https://cdn.example/x", "date_published": WHEN.isoformat(),
        "date_modified": bare.updated.isoformat(),
    }  # fmt: skip
    no_type = item(Entry(bare, CONTENT, Image("https://cdn.example/x", "image/png", None), "full"), "en")
    assert no_type["attachments"] == [{"url": "https://cdn.example/x", "mime_type": "image/png"}]
    assert no_type["language"] == "zh-cn"  # differs from the feed's


@pytest.mark.parametrize(
    ("include", "html", "text", "summary"),
    [
        ("full", CONTENT.html, None, CONTENT.summary),
        ("summary", "<p>1 &lt; 2 — 你好</p>", None, CONTENT.summary),
        ("none", None, CONTENT.summary, None),  # the summary is the text, not repeated
    ],
)
def test_feeds_content_decides_the_body(
    include: str, html: str | None, text: str | None, summary: str | None
) -> None:
    got = item(Entry(post(), CONTENT, None, include), "zh-CN")
    assert (got.get("content_html"), got.get("content_text"), got.get("summary")) == (html, text, summary)
    assert got["image"] == "https://img.example/a.png"  # no resolved image: the thumbnail as given
    assert "attachments" not in got


def test_the_feed_head_and_its_bytes(json_schema: Any, tmp_path: Path) -> None:
    data = render_json(INFO, [Entry(post(), CONTENT, None, "full")])
    text = data.decode("utf-8")
    assert "标签" in text and "你好" in text and "\\u" not in text  # UTF-8, not ASCII-escaped
    doc = json.loads(text)
    assert list(doc) == [
        "version", "title", "home_page_url", "feed_url", "description", "icon", "favicon", "authors",
        "language", "hubs", "items",
    ]  # fmt: skip
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["icon"] == "https://b.example/icon.png" and doc["favicon"] == "https://b.example/favicon.ico"
    assert doc["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]
    assert doc["authors"] == [{"name": "Me"}]
    assert data == render_json(INFO, [Entry(post(), CONTENT, None, "full")])  # stable bytes
    path = tmp_path / "feed.json"
    path.write_bytes(data)
    check_json_feed(path, json_schema)


def test_an_empty_feed_is_valid_and_one_icon_serves_both(json_schema: Any, tmp_path: Path) -> None:
    info = FeedInfo("T", "https://b.example/", "https://b.example/feed.json", "", "en", "", icon=None,
                    favicon="https://b.example/f.ico")  # fmt: skip
    doc = json.loads(render_json(info, []))
    assert doc["items"] == [] and "description" not in doc and "authors" not in doc
    assert doc["icon"] == doc["favicon"] == "https://b.example/f.ico"
    assert not json_schema.is_valid({**doc, "description": ""})  # the schema does refuse empty fields
    path = tmp_path / "feed.json"
    path.write_bytes(render_json(info, [Entry(post(), CONTENT, None, "none")]))
    check_json_feed(path, json_schema)


def test_a_lone_surrogate_cannot_break_the_file() -> None:
    data = render_json(INFO, [Entry(post(title="bad \udcff byte"), CONTENT, None, "full")])
    assert json.loads(data)["items"][0]["title"] == "bad ? byte"


def test_atom_uses_the_favicon_as_icon_and_the_icon_as_logo(atom_schema: Any) -> None:
    from lxml import etree

    from feeds.output import render

    atom = etree.fromstring(render("atom", INFO, []))
    assert atom.findtext("{http://www.w3.org/2005/Atom}icon") == "https://b.example/favicon.ico"
    assert atom.findtext("{http://www.w3.org/2005/Atom}logo") == "https://b.example/icon.png"
    assert atom_schema.validate(atom), atom_schema.error_log
    rss = etree.fromstring(render("rss", INFO, []))
    assert rss.findtext("channel/image/url") == "https://b.example/icon.png"
