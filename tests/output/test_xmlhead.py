"""Feed heads are written as text: each must be the head feedgen and lxml write (the oracle in
feedgen_oracle.py), for every kind of feed the build makes and for odd generated values."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.builder import archive
from feeds.builder.planning import feed_info, plan_feeds, selected_posts
from feeds.builder.render import clean_posts
from feeds.config import Config, with_overrides
from feeds.models import ArchiveLinks, Content, FeedInfo, Post, Site
from feeds.output import xmlhead
from feeds.output.writers import Entry, render
from feeds.output.xmlentry import rfc2822
from feeds.source.posts import read_posts
from feeds.text import xml_safe

from ..conftest import CORPUS
from . import feedgen_oracle
from .feedgen_oracle import whole_feed

WHEN = datetime(2021, 5, 1, 12, 30, tzinfo=UTC)
BASE = FeedInfo("Site", "https://b.example/", "https://b.example/atom.xml", "About", "en", "Ann")


def _same(fmt: str, info: FeedInfo, entries: list[Entry]) -> None:
    """Both write the same bytes, or both refuse with the same message."""
    try:
        expected = whole_feed(fmt, info, entries)
    except ValueError as e:
        with pytest.raises(ValueError) as got:
            render(fmt, info, entries)
        assert str(got.value) == str(e)
        return
    assert render(fmt, info, entries) == expected


def test_corpus_feeds_with_every_head_element_equal_feedgens(atom_schema: object) -> None:
    """Every corpus feed with icons, hubs, an escaped title and no description, and its archive pages."""
    from lxml import etree

    config = with_overrides(Config(), source=CORPUS)
    config = with_overrides(
        config,
        site=replace(config.site, title='A & <B> "C"', description="", icon="/i.png", favicon="/f.ico"),
        websub=replace(config.websub, hubs=("https://hub.example/?a=1&b=2", "https://hub2.example/")),
        feeds=replace(config.feeds, tags=True, authors=True, limit=3),
    )
    plans = plan_feeds(config, read_posts(config).posts)
    posts = selected_posts(plans)
    cleaned = {rel: c for rel, c, _ in clean_posts(config, posts, Site())}
    assert len(plans) > 100
    for plan in plans:
        shown = [Entry(p, c, None, "summary") for p in plan.posts if (c := cleaned[p.rel]) is not None]
        for fmt in ("rss", "atom"):
            info = feed_info(config, plan, fmt)
            folder = info.self_url.rpartition("/")[0] + "/"
            name, numbers = f"{fmt}.xml", [1, 2, 3]
            pages = [
                archive.subscription_links(folder, name, info.self_url, numbers),
                *(archive.page_links(folder, name, info.self_url, numbers, i) for i in range(len(numbers))),
            ]
            for links in (None, *pages):
                one = replace(info, archive=links)
                _same(fmt, one, shown)
                if fmt == "atom" and links is not None and links.page == 2:
                    doc = etree.fromstring(render(fmt, one, shown))
                    assert atom_schema.validate(doc), atom_schema.error_log  # type: ignore[attr-defined]


def test_an_archive_page_is_marked_and_linked() -> None:
    """RFC 5005: ``fh:archive`` with its namespace, ``current`` and both neighbours after the self link."""
    import feedparser  # type: ignore[import-untyped]

    links = ArchiveLinks(
        "https://b.example/atom.xml", "https://b.example/archive/1.xml", "https://b.example/3", 2
    )
    for fmt, tag in (("rss", "    <atom:link"), ("atom", "  <link")):
        doc = render(fmt, replace(BASE, archive=links), []).decode()
        self_at = doc.index(f'{tag} href="https://b.example/atom.xml" rel="self"')
        order = [
            doc.index(s) for s in ('rel="current"', 'rel="prev-archive"', 'rel="next-archive"', "<fh:archive")
        ]
        assert self_at < order[0] < order[1] < order[2] < order[3]
        assert '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/>' in doc
        assert not feedparser.parse(doc.encode()).bozo
        plain = render(fmt, replace(BASE, archive=replace(links, page=0, next_archive="")), []).decode()
        assert "fh:" not in plain and 'rel="current"' not in plain and 'rel="prev-archive"' in plain


@pytest.mark.parametrize("home", [None, "https://feeds.example/?a&b"])
def test_the_generator_uri_is_the_home_page(monkeypatch: pytest.MonkeyPatch, home: str | None) -> None:
    monkeypatch.setattr(xmlhead, "home_page", lambda: home)
    monkeypatch.setattr(feedgen_oracle, "home_page", lambda: home)
    for fmt in ("rss", "atom"):
        _same(fmt, BASE, [])
    uri = ' uri="https://feeds.example/?a&amp;b"' if home else ""
    assert f"  <generator{uri}>feeds</generator>\n".encode() in render("atom", BASE, [])


def test_a_title_empty_once_made_safe_is_refused_as_feedgen_refused_it() -> None:
    """site.title must not be blank (the config's validation); one of control characters only gets here."""
    for fmt, message in (("rss", "title, description"), ("atom", "title")):
        with pytest.raises(ValueError, match=rf"^Required fields not set \({message}\)$"):
            render(fmt, replace(BASE, title="\x00\x0b", description=""), [])
        _same(fmt, replace(BASE, title="\x01", description=""), [])
        _same(fmt, replace(BASE, link=""), [])


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        xmlhead.head("atom", BASE, WHEN.replace(tzinfo=None))


def test_control_characters_in_urls_are_dropped_where_lxml_refused_them() -> None:
    """The one deliberate difference: lxml raised on a URL or language carrying a control character."""
    info = replace(BASE, link="https://b.example/\x00x", language="e\x1bn", hubs=("https://h\x07.example/",))
    with pytest.raises(ValueError, match="XML compatible"):
        whole_feed("atom", info, [])
    atom = render("atom", info, [])
    assert b'xml:lang="en"' in atom and b"<id>https://b.example/x</id>" in atom
    assert b'href="https://h.example/" rel="hub"' in atom
    safe = replace(info, link=xml_safe(info.link), language="en", hubs=("https://h.example/",))
    assert atom == whole_feed("atom", safe, []) and render("rss", info, []) == whole_feed("rss", safe, [])


_ODD = st.text(alphabet=st.sampled_from(list("aé中 &<>\"'\t\n\r]]>\x00\x0b\ufffe😀;#")), max_size=10)
_SAFE = _ODD.map(xml_safe)  # URLs and the language come from the config, where lxml refused the unsafe
_URL = _SAFE.map(lambda t: "https://b.example/" + t)
_MAYBE_URL = st.one_of(st.none(), _URL)


@settings(max_examples=200, deadline=None)
@given(
    title=st.one_of(_ODD, st.just("")),
    link=st.one_of(_URL, st.just("")),
    self_url=_URL,
    description=st.one_of(_ODD, st.just("")),
    language=st.one_of(st.just("en"), st.just(""), _SAFE),
    author=st.one_of(_ODD, st.just("")),
    icon=_MAYBE_URL,
    favicon=_MAYBE_URL,
    hubs=st.lists(_URL, max_size=2).map(tuple),
    archive=st.one_of(
        st.none(),
        st.builds(
            ArchiveLinks, _URL, st.one_of(st.just(""), _URL), st.one_of(st.just(""), _URL), st.integers(0, 3)
        ),
    ),
    offset=st.integers(-14 * 60, 14 * 60),
    with_entry=st.booleans(),
)
def test_generated_heads_equal_feedgens(
    title: str,
    link: str,
    self_url: str,
    description: str,
    language: str,
    author: str,
    icon: str | None,
    favicon: str | None,
    hubs: tuple[str, ...],
    archive: ArchiveLinks | None,
    offset: int,
    with_entry: bool,
) -> None:
    """Markup characters, quotes, control characters, CR and tabs everywhere; each optional part on or off."""
    info = FeedInfo(title, link, self_url, description, language, author, icon, favicon, hubs, archive)
    when = datetime(2020, 2, 29, 23, 59, 58, tzinfo=timezone(timedelta(minutes=offset)))
    post = Post("", "a.md", "T", when, when, "https://b.example/a/", "https://b.example/a/")
    entries = [Entry(post, Content("<p>x</p>", "x"), None, "full")] if with_entry else []
    for fmt in ("rss", "atom"):
        _same(fmt, info, entries)


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30)),
    offset=st.one_of(
        st.none(),
        st.integers(-23 * 60, 23 * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(-86399, 86399).map(lambda s: timedelta(seconds=s)),
    ),
)
def test_rss_dates_are_strftimes_in_the_c_locale(moment: datetime, offset: timedelta | None) -> None:
    """``lastBuildDate`` and ``pubDate``: what feedgen's ``formatRFC2822`` writes, for any date and zone."""
    if offset is not None:
        moment = moment.replace(tzinfo=timezone(offset))
    assert rfc2822(moment) == moment.strftime("%a, %d %b %Y %H:%M:%S %z")
