"""feedgen writing whole feeds, head and entries: the oracle the hand-written text is held to.

This is how feeds wrote every feed before :mod:`feeds.output.xmlentry` and
:mod:`feeds.output.xmlhead` took over (a sixth of a cold build's time went to
feedgen's element trees, and its import to every build that wrote a file):
feedgen sets the head and each entry up and lxml serialises the whole document.
The tests compare every feed the production code splices together with the
document written here.  Nothing here comes from the production writers, so a
rule broken there shows as a difference.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feeds import home_page
from feeds.models import FeedInfo, Image
from feeds.output.entry import Entry, newest, terms
from feeds.output.entry import body as _body
from feeds.text import xml_safe

BOTH = "both"
_MEDIA = "http://search.yahoo.com/mrss/"
_DC = "http://purl.org/dc/elements/1.1/"
_MEDIA_CONTENT = f"{{{_MEDIA}}}content"
_MEDIA_THUMBNAIL = f"{{{_MEDIA}}}thumbnail"
_DC_CREATOR = f"{{{_DC}}}creator"


def whole_feed(fmt: str, info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """The bytes of one feed, every entry set up by feedgen in the one document."""
    fg = _feed(info, newest(entries), rss=fmt == "rss")
    for entry in entries:
        _add(fg, entry, BOTH if _body(entry) else fmt)
    return _serialize(fg, fmt)


def _serialize(fg: FeedGenerator, fmt: str) -> bytes:
    if fmt == "rss":
        return bytes(fg.rss_str(pretty=True))
    return bytes(fg.atom_str(pretty=True))


def _feed(info: FeedInfo, updated: datetime, *, rss: bool) -> FeedGenerator:
    """A feed with its head set, as feeds set it up; its extensions let entries be written in either format.

    ``rss`` only decides the type of the self link, which is per file.
    """
    fg = FeedGenerator()
    fg.register_extension("feeds", _FeedExtension, None, atom=True, rss=True)
    fg.register_extension("feeds_rss", _RssExtension, None, atom=False, rss=True)
    fg.id(info.link)
    fg.title(xml_safe(info.title))
    # Self first: feedgen makes the last link RSS's channel <link>, which must be the page, not the feed.
    fg.link(href=info.self_url, rel="self", type="application/rss+xml" if rss else "application/atom+xml")
    fg.link(href=info.link, rel="alternate", type="text/html")
    fg.description(xml_safe(info.description) or xml_safe(info.title))
    fg.language(info.language)
    fg.author({"name": xml_safe(info.author)})
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.generator("feeds", uri=home_page())
    small, large = info.favicon or info.icon, info.icon or info.favicon
    if small:
        fg.icon(small)
    if large:
        fg.logo(large)
        fg.image(url=large, title=xml_safe(info.title), link=info.link)
    fg.feeds.links = _other_links(info)
    fg.feeds.archived = bool(info.archive and info.archive.page)
    return fg


def _other_links(info: FeedInfo) -> list[tuple[str, str]]:
    """Hubs, then (RFC 5005) the subscription document from an archive page, the older and newer pages."""
    links = [("hub", hub) for hub in info.hubs]
    archive = info.archive
    if archive is not None:
        if archive.page:
            links.append(("current", archive.current))
        if archive.prev_archive:
            links.append(("prev-archive", archive.prev_archive))
        if archive.next_archive:
            links.append(("next-archive", archive.next_archive))
    return links


_HISTORY = "http://purl.org/syndication/history/1.0"


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """The media namespace, the WebSub hubs and RFC 5005's archive links: feedgen writes none of them."""

    links: Sequence[tuple[str, str]] = ()  # (rel, href) after the self link
    archived: bool = False  # an archive page: <fh:archive/>

    def extend_ns(self) -> dict[str, str]:
        return {"media": _MEDIA}

    def extend_atom(self, feed: Any) -> Any:
        _head_links(feed, self.links, self.archived)
        return feed

    def extend_rss(self, feed: Any) -> Any:
        _head_links(feed[0], self.links, self.archived)
        return feed


def _head_links(parent: Any, links: Sequence[tuple[str, str]], archived: bool) -> None:
    """Each link right after the self link, and ``fh:archive`` (its namespace declared on it) after them.

    Copying the self link's tag keeps the links unprefixed in Atom and ``atom:`` in RSS.
    """
    at, self_link = next(
        (i, c) for i, c in enumerate(parent) if c.get("rel") == "self" and etree.QName(c).localname == "link"
    )
    for offset, (rel, href) in enumerate(links, 1):
        parent.insert(at + offset, parent.makeelement(self_link.tag, {"href": href, "rel": rel}))
    if archived:
        mark = parent.makeelement(f"{{{_HISTORY}}}archive", nsmap={"fh": _HISTORY})
        parent.insert(at + len(links) + 1, mark)


class _RssExtension(BaseExtension):  # type: ignore[misc]
    def extend_ns(self) -> dict[str, str]:
        return {"dc": _DC}


def _add(fg: FeedGenerator, entry: Entry, fmt: str) -> None:
    """Set up one entry for ``fmt`` ('rss', 'atom', or :data:`BOTH` when it has a body)."""
    post = entry.post
    fe: FeedEntry = fg.add_entry(order="append")
    fe.register_extension("feeds", _EntryExtension, atom=True, rss=True)
    fe.id(post.id)
    fe.guid(post.id, permalink=post.id == post.permalink)
    fe.title(entry.title)
    fe.link(href=post.permalink, rel="alternate", type="text/html")
    fe.published(post.date)
    fe.updated(post.updated)
    if post.author:
        # Atom's author; RSS gets <author>email (name)</author> from it when there is an email (RSS
        # requires one), else dc:creator (the dc extension is not written into Atom).  Never both:
        # the W3C validator warns about an item with two authors (DuplicateItemSemantics).
        fe.author({"name": post.author, **({"email": post.author_email} if post.author_email else {})})
        if not post.author_email:
            fe.feeds.creator = post.author
    names = terms(post)
    if names:
        fe.category([{"term": t, "label": t} for t in names])
    _add_text(fe, entry, fmt)
    _add_image(fe, entry)


def _add_text(fe: FeedEntry, entry: Entry, fmt: str) -> None:
    """Summary, description and content.

    An RSS description is HTML, so the plain-text summary goes into it escaped,
    while Atom's summary is type="text".  feedgen keeps the two apart only in
    this order: the summary, the description (which feedgen also puts into
    Atom's content), then the real content over it.
    """
    summary, body = entry.content.summary, _body(entry)
    if fmt == BOTH:
        if summary:
            fe.summary(summary)
            fe.description(html.escape(summary, quote=False))
        fe.content(body, type="html")
        return
    if summary and fmt == "rss":
        fe.description(html.escape(summary, quote=False), isSummary=True)
    elif summary:
        fe.summary(summary)
    if body:
        fe.content(body, type="html")


def _add_image(fe: FeedEntry, entry: Entry) -> None:
    fe.feeds.image = entry.image
    fe.feeds.thumbnail = entry.post.thumbnail


class _EntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """The thumbnail (Media RSS), the author without an email (RSS's ``dc:creator``) and the enclosure.

    It writes what feedgen's media and dc extensions would, in their order, for
    a fraction of their cost: those check every value against long lists of
    allowed keys and walk all fifteen Dublin Core fields of every entry, which
    was a sixth of an entry's time.  The enclosure is Atom's
    ``<link rel="enclosure">``, which feedgen would write without ``rel``
    (upstream issue 135), and RSS's ``<enclosure>``, which feedgen would also
    add to Atom.
    """

    def __init__(self) -> None:
        self.image: Image | None = None  # resolved by the fetcher
        self.thumbnail: str | None = None  # the front matter's URL, written when none was resolved
        self.creator: str | None = None

    def extend_atom(self, entry: Any) -> Any:
        self._media(entry)
        image = self.image
        if image is not None and image.type and image.length:
            etree.SubElement(
                entry, "link", rel="enclosure", href=image.url, type=image.type, length=str(image.length)
            )
        return entry

    def extend_rss(self, item: Any) -> Any:
        self._media(item)
        if self.creator:
            etree.SubElement(item, _DC_CREATOR).text = self.creator
        image = self.image
        if image is not None and image.type and image.length:
            etree.SubElement(item, "enclosure", url=image.url, length=str(image.length), type=image.type)
        return item

    def _media(self, parent: Any) -> None:
        image = self.image
        if image is None:
            if self.thumbnail:
                etree.SubElement(parent, _MEDIA_THUMBNAIL, url=self.thumbnail)
            return
        size = [(k, str(v)) for k, v in (("height", image.height), ("width", image.width)) if v]
        content = etree.SubElement(parent, _MEDIA_CONTENT, url=image.url)
        if image.length:
            content.set("fileSize", str(image.length))
        if image.type:
            content.set("type", image.type)
        content.set("medium", "image")
        for key, value in size:
            content.set(key, value)
        thumbnail = etree.SubElement(parent, _MEDIA_THUMBNAIL, url=image.url)
        for key, value in size:
            thumbnail.set(key, value)
