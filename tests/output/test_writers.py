"""Entries are written once, by hand, and spliced into every feed: that must equal feedgen writing each
feed whole, entries and all (the oracle in feedgen_oracle.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.builder.planning import feed_info, plan_feeds, selected_posts
from feeds.builder.render import clean_posts
from feeds.config import Config, with_overrides
from feeds.models import Content, FeedInfo, Image, Post, Site
from feeds.output.writers import Entry, assemble, newest, render, render_fragments
from feeds.source.posts import read_posts
from feeds.text import xml_safe

from ..conftest import CORPUS
from .feedgen_oracle import whole_feed


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("content", ["full", "summary", "none"])
def test_spliced_feeds_equal_whole_feeds(fmt: str, content: str) -> None:
    config = with_overrides(Config(), source=CORPUS)
    config = with_overrides(config, feeds=type(config.feeds)(content=content))
    plans = plan_feeds(config, read_posts(config).posts)
    posts = selected_posts(plans)
    cleaned = {rel: c for rel, c, _ in clean_posts(config, posts, Site())}
    entries = {p.rel: Entry(p, cleaned[p.rel], None, content) for p in posts if cleaned[p.rel]}
    pieces = dict(zip(entries, render_fragments([fmt], list(entries.values()))[fmt], strict=True))
    assert len(plans) > 80
    for plan in plans:
        shown = [entries[p.rel] for p in plan.posts]
        info = feed_info(config, plan, fmt)
        whole = whole_feed(fmt, info, shown)
        spliced = assemble(fmt, info, newest(shown), [pieces[p.rel] for p in plan.posts])
        assert spliced == whole, plan.label
        assert render(fmt, info, shown) == whole


def test_one_entry_setup_serves_both_formats() -> None:
    """Set up once for RSS and Atom: each format still gets exactly its own elements."""
    from datetime import UTC, datetime

    import feedparser

    from feeds.models import Content, FeedInfo, Post

    when = datetime(2021, 5, 1, tzinfo=UTC)
    post = Post("", "a.md", "T", when, when, "https://b.example/a/", "https://b.example/a/",
                author="Ann", author_email="ann@example.org")  # fmt: skip
    info = FeedInfo("Site", "https://b.example/", "https://b.example/feed", "d", "en", "me")
    content = Content("<p>1 &lt; 2 &amp; body</p>", "1 < 2 <b>plain</b>")
    for include in ("full", "none"):  # with a body (one set-up for both) and without (one per format)
        entry = Entry(post, content, None, include)
        pieces = render_fragments(["rss", "atom"], [entry])
        rss, atom = (assemble(fmt, info, when, pieces[fmt]) for fmt in ("rss", "atom"))
        assert rss == whole_feed("rss", info, [entry]) and atom == whole_feed("atom", info, [entry])
        item = feedparser.parse(rss).entries[0]
        assert b"dc:creator>" not in rss and b"<author>ann@example.org (Ann)</author>" in rss  # one of them
        assert b"<description>1 &amp;lt; 2 &amp;lt;b&amp;gt;plain&amp;lt;/b&amp;gt;</description>" in rss
        assert item.summary == "1 &lt; 2 &lt;b&gt;plain&lt;/b&gt;"  # HTML that shows the plain text
        assert b"<summary>1 &lt; 2 &lt;b&gt;plain&lt;/b&gt;</summary>" in atom  # type="text", as is
        assert b"<name>Ann</name>" in atom and b"<email>ann@example.org</email>" in atom
        assert b"dc:creator" not in atom and b"<description>" not in atom
        if include == "full":
            assert b"<content:encoded>&lt;p&gt;1 &amp;lt; 2" in rss and b'<content type="html">' in atom
        else:
            assert b"content:encoded" not in rss and b"<content" not in atom


def test_rss_author_without_an_email_is_dc_creator() -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from feeds.models import Content, FeedInfo, Post

    when = datetime(2021, 5, 1, tzinfo=UTC)
    post = Post("", "a.md", "T", when, when, "https://b.example/a/", "https://b.example/a/", author="Bob")
    info = FeedInfo("Site", "https://b.example/", "https://b.example/feed", "d", "en", "me")
    rss = render("rss", info, [Entry(post, Content("<p>x</p>", "x"), None, "full")])
    assert b"<dc:creator>Bob</dc:creator>" in rss and b"<author>" not in rss.split(b"<item>")[1]
    atom = render("atom", info, [Entry(replace(post), Content("<p>x</p>", "x"), None, "full")])
    assert b"<name>Bob</name>" in atom.split(b"<entry>")[1]


@pytest.mark.parametrize(
    ("home", "uri"), [(None, None), ("https://feeds.example/", "https://feeds.example/")]
)
def test_the_generator_names_a_home_page_only_when_the_project_has_one(
    monkeypatch: pytest.MonkeyPatch, home: str | None, uri: str | None
) -> None:
    from lxml import etree

    import feeds
    from feeds.models import FeedInfo

    monkeypatch.setattr(feeds.output.xmlhead, "home_page", lambda: home)
    info = FeedInfo("T", "https://b.example/", "https://b.example/atom.xml", "", "en", "A")
    atom = etree.fromstring(render("atom", info, [])).find("{http://www.w3.org/2005/Atom}generator")
    assert atom is not None and atom.text == "feeds" and atom.get("uri") == uri
    rss = etree.fromstring(render("rss", info, [])).find("channel/generator")
    assert rss is not None and rss.text == "feeds" and rss.attrib == {}  # RSS's generator is text only


def test_the_shipped_project_names_no_home_page() -> None:
    """pyproject.toml has no project.urls: no address that belongs to nobody goes into feeds."""
    import tomllib
    from pathlib import Path

    from feeds import home_page

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    assert home_page() == (project.get("urls") or {}).get("Homepage")


def test_icon_and_hubs_in_both_formats(atom_schema: object) -> None:
    import feedparser
    from lxml import etree

    from feeds.models import FeedInfo

    info = FeedInfo(
        "T", "https://b.example/", "https://b.example/atom.xml", "", "en", "A",
        icon="https://b.example/icon.png", hubs=("https://hub.example/", "https://hub2.example/"),
    )  # fmt: skip
    atom = etree.fromstring(render("atom", info, []))
    links = [(e.get("rel"), e.get("href")) for e in atom.iterfind("{http://www.w3.org/2005/Atom}link")]
    assert sorted(links) == [
        ("alternate", "https://b.example/"),
        ("hub", "https://hub.example/"),
        ("hub", "https://hub2.example/"),
        ("self", "https://b.example/atom.xml"),
    ]
    assert b"ns0:" not in render("atom", info, [])  # the hub links in Atom's own namespace, unprefixed
    assert atom.findtext("{http://www.w3.org/2005/Atom}icon") == "https://b.example/icon.png"
    assert atom_schema.validate(atom), atom_schema.error_log  # type: ignore[attr-defined]
    rss_bytes = render("rss", info, [])
    rss = etree.fromstring(rss_bytes)
    hubs = rss.findall("channel/{http://www.w3.org/2005/Atom}link[@rel='hub']")
    assert [h.get("href") for h in hubs] == ["https://hub.example/", "https://hub2.example/"]
    assert rss.findtext("channel/image/url") == "https://b.example/icon.png"
    parsed = feedparser.parse(rss_bytes)
    assert not parsed.bozo and parsed.feed.image.href == "https://b.example/icon.png"


def test_the_rss_channel_link_is_the_page_not_the_feed() -> None:
    """RSS 2.0: a channel's <link> is "the URL to the HTML website corresponding to the channel"."""
    from lxml import etree

    from feeds.models import FeedInfo

    info = FeedInfo(
        "T", "https://b.example/categories/x/", "https://b.example/categories/x/rss.xml", "", "en", "A"
    )
    rss = etree.fromstring(render("rss", info, []))
    assert rss.findtext("channel/link") == "https://b.example/categories/x/"


_ODD = st.text(alphabet=st.sampled_from(list("aé中 &<>\"'\t\n\r]]>\x00\x0b\ufffe😀;#")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    title=_ODD,
    author=st.one_of(st.none(), _ODD.filter(lambda t: xml_safe(t).strip() != "")),
    email=st.one_of(st.none(), _ODD.filter(lambda t: xml_safe(t).strip() != "")),
    html_body=_ODD,
    summary=_ODD,
    names=st.lists(_ODD.filter(lambda t: xml_safe(t).strip() != ""), max_size=3),  # names are never blank
    include=st.sampled_from(["full", "summary", "none"]),
    image=st.one_of(
        st.none(),
        st.builds(
            Image,
            url=_ODD.map(lambda t: "https://i.example/" + t),
            type=st.one_of(st.none(), st.just("image/png"), _ODD),
            length=st.one_of(st.none(), st.integers(0, 10**9)),
            width=st.one_of(st.none(), st.integers(0, 4000)),
            height=st.one_of(st.none(), st.integers(0, 4000)),
        ),
    ),
    thumbnail=st.one_of(st.none(), _ODD.map(lambda t: "https://t.example/" + t)),
    own_id=st.booleans(),
    offset=st.integers(-14 * 60, 14 * 60),
)
def test_hand_written_entries_equal_feedgens(
    title: str,
    author: str | None,
    email: str | None,
    html_body: str,
    summary: str,
    names: list[str],
    include: str,
    image: Image | None,
    thumbnail: str | None,
    own_id: bool,
    offset: int,
) -> None:
    """Odd text everywhere (markup characters, quotes, control characters XML cannot carry, CR, tabs)."""
    from dataclasses import replace

    when = datetime(2021, 5, 1, 12, 30, tzinfo=timezone(timedelta(minutes=offset)))
    link = "https://b.example/a&b/"
    title = xml_safe(title).strip() or "t"  # the feed writers are given titles made safe and non-blank
    safe = {k: xml_safe(v) if v else v for k, v in {"author": author, "email": email}.items()}
    post = Post("", "a.md", title, when, when + timedelta(hours=1), link,
                "urn:x:" + title if own_id else link, categories=(tuple(xml_safe(n) for n in names),),
                tags=("tag&",), author=safe["author"], author_email=safe["email"] if safe["author"] else None,
                thumbnail=xml_safe(thumbnail) if thumbnail else None)  # fmt: skip
    if image is not None:  # URLs and types come made safe (clean_url, the fetcher's headers)
        image = replace(image, url=xml_safe(image.url), type=xml_safe(image.type) if image.type else None)
    entry = Entry(post, Content(xml_safe(html_body), xml_safe(summary)), image, include)
    info = FeedInfo("Site", "https://b.example/", "https://b.example/feed", "d", "en", "me")
    for fmt in ("rss", "atom"):
        assert render(fmt, info, [entry]) == whole_feed(fmt, info, [entry])
