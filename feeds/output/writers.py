"""Serialise feeds with feedgen, working around the traps that make its output wrong or churn.

- entries are appended (``order='append'``), because ``add_entry`` prepends;
- ``updated``/``lastBuildDate`` are the newest entry's time, never "now";
- the generator carries no version, so upgrading feedgen does not rewrite every file;
- Atom entry links lose ``rel``/``type`` in feedgen (upstream issue 135), so the
  enclosure link is written by our own small extension instead;
- media and Dublin Core elements are written by our own entry extension (see
  :class:`_EntryExtension`), never wrapped in ``media:group``;
- every string passes :func:`xml_safe`, since lxml raises on characters XML 1.0 forbids.

An entry is set up once and serialised in both formats from the same feedgen
object: feedgen keeps RSS and Atom values side by side, and setting them up
was a third of an entry's cost.  The one value feedgen cannot keep apart in
that way (an RSS description that differs from the Atom summary, with no
content) makes an entry without a body be set up once per format.
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

from .. import home_page
from ..models import ArchiveLinks, FeedInfo, Image
from ..text import xml_safe
from .entry import EPOCH, Entry, Fragment, newest, terms
from .entry import body as _body

__all__ = ["EPOCH", "Entry", "Fragment", "assemble", "newest", "render", "render_fragments"]


def render(fmt: str, info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """The bytes of one feed; ``fmt`` is 'rss' or 'atom'."""
    fg = _feed(info, newest(entries), rss=fmt == "rss")
    for entry in entries:
        _add(fg, entry, BOTH if _body(entry) else fmt)
    return _serialize(fg, fmt)


# A large build puts one post in several feeds (its category, each ancestor, the
# site feed) and in both formats.  Rather than have feedgen build the same entry
# again for every feed, each entry is serialised once, inside one document that
# holds them all, and cut out of it; a feed is then its own head with those
# pieces spliced in.  Entries hold no raw '<' in text or attributes (lxml escapes
# it), so the tags found below can only be element boundaries, and the pieces
# are byte for byte what feedgen would write in place (a test holds us to that).
_ITEM = {"rss": (b"    <item>\n", b"  </channel>\n"), "atom": (b"  <entry>\n", b"</feed>\n")}
BOTH = "both"
_DUMMY = FeedInfo("x", "https://x.invalid/", "https://x.invalid/feed", "", "en", "x")


def render_fragments(formats: Sequence[str], entries: Sequence[Entry]) -> dict[str, list[Fragment]]:
    """Each entry's serialised element in each format, in order, as it appears inside a feed.

    In documents of a hundred entries: one of a worker's thousands would hold
    all their feedgen objects and element trees at once, tens of megabytes
    the process would have to fault in rather than reuse.
    """
    out: dict[str, list[Fragment]] = {fmt: [] for fmt in formats}
    for start in range(0, len(entries), _BATCH):
        for fmt, pieces in _render_batch(formats, entries[start : start + _BATCH]).items():
            out[fmt].extend(pieces)
    return out


_BATCH = 100  # entries per document


def _render_batch(formats: Sequence[str], entries: Sequence[Entry]) -> dict[str, list[Fragment]]:
    out: dict[str, list[Fragment]] = {fmt: [b""] * len(entries) for fmt in formats}
    with_body: list[int] = []
    without: list[int] = []
    for i, entry in enumerate(entries):
        (with_body if _body(entry) else without).append(i)
    if with_body:
        fg = _feed(_DUMMY, EPOCH, rss=True)
        for i in with_body:
            _add(fg, entries[i], BOTH)
        for fmt in formats:
            _place(out[fmt], with_body, _cut(fmt, _serialize(fg, fmt), len(with_body)))
    for fmt in formats if without else ():
        fg = _feed(_DUMMY, EPOCH, rss=fmt == "rss")
        for i in without:
            _add(fg, entries[i], fmt)
        _place(out[fmt], without, _cut(fmt, _serialize(fg, fmt), len(without)))
    return out


def _cut(fmt: str, data: bytes, count: int) -> list[memoryview]:
    """Views of each entry in ``data``: a share's document runs to megabytes, and copies of its
    pieces were a good part of a worker's memory (and page faults)."""
    start_tag, closing = _ITEM[fmt]
    end = data.rindex(closing)
    starts = []
    at = data.find(start_tag)
    while 0 <= at < end:
        starts.append(at)
        at = data.find(start_tag, at + len(start_tag))
    if len(starts) != count:
        raise AssertionError(f"cut {len(starts)} {fmt} entries out of {count}")
    view = memoryview(data)
    return [view[a:b] for a, b in zip(starts, [*starts[1:], end], strict=True)]


def _place(target: list[Fragment], where: Sequence[int], pieces: Sequence[Fragment]) -> None:
    for i, piece in zip(where, pieces, strict=True):
        target[i] = piece


def assemble(fmt: str, info: FeedInfo, updated: datetime, fragments: Sequence[Fragment]) -> bytes:
    """A feed from its head and entries made by :func:`render_fragments`."""
    head = _serialize(_feed(info, updated, rss=fmt == "rss"), fmt)
    closing = _ITEM[fmt][1]
    cut = head.rindex(closing)
    return b"".join([head[:cut], *fragments, head[cut:]])


def _serialize(fg: FeedGenerator, fmt: str) -> bytes:
    if fmt == "rss":
        return bytes(fg.rss_str(pretty=True))
    return bytes(fg.atom_str(pretty=True))


def _feed(info: FeedInfo, updated: datetime, *, rss: bool) -> FeedGenerator:
    """A feed with its head set; its extensions let entries be written in either format.

    ``rss`` only decides the type of the self link, which is per file.
    """
    fg = FeedGenerator()
    # register_extension, not load_extension: that looks for an "<ext>_entry" module that does not
    # exist, and the failed import searched the disk three times per feed.
    fg.register_extension("feeds", _FeedExtension, _EntryExtension, atom=True, rss=True)
    fg.register_extension("feeds_rss", _RssExtension, _NoEntryExtension, atom=False, rss=True)
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
    # Atom's icon is the small one (RFC 4287: square, like a favicon), its logo the larger one.
    small, large = info.favicon or info.icon, info.icon or info.favicon
    if small:
        fg.icon(small)
    if large:
        fg.logo(large)
        fg.image(url=large, title=xml_safe(info.title), link=info.link)
    fg.feeds.links = head_links(info)
    fg.feeds.archived = bool(info.archive and info.archive.page)
    return fg


def _add(fg: FeedGenerator, entry: Entry, fmt: str) -> None:
    """Set up one entry for ``fmt`` ('rss', 'atom', or :data:`BOTH` when it has a body)."""
    post = entry.post
    fe: FeedEntry = fg.add_entry(order="append")
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


_MEDIA = "http://search.yahoo.com/mrss/"
_DC = "http://purl.org/dc/elements/1.1/"
_ATOM = "http://www.w3.org/2005/Atom"
_HISTORY = "http://purl.org/syndication/history/1.0"  # RFC 5005
_MEDIA_CONTENT = f"{{{_MEDIA}}}content"
_MEDIA_THUMBNAIL = f"{{{_MEDIA}}}thumbnail"
_DC_CREATOR = f"{{{_DC}}}creator"


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """The media namespace, the WebSub hubs and RFC 5005's archive links: feedgen writes none of them."""

    links: tuple[tuple[str, str], ...] = ()  # (rel, href) after the self link
    archived: bool = False  # an archive page: <fh:archive/>

    def extend_ns(self) -> dict[str, str]:
        return {"media": _MEDIA}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        _head_links(feed, self.links, self.archived)
        return feed

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        _head_links(feed[0], self.links, self.archived)
        return feed


def head_links(info: FeedInfo) -> tuple[tuple[str, str], ...]:
    """The links besides self and alternate: each hub, then where the document sits among the archives."""
    links = [("hub", hub) for hub in info.hubs]
    archive = info.archive
    if archive is not None:
        if archive.page:
            links.append(("current", archive.current))
        links.extend((rel, href) for rel, href in _archive_rels(archive) if href)
    return tuple(links)


def _archive_rels(archive: ArchiveLinks) -> tuple[tuple[str, str], ...]:
    return (("prev-archive", archive.prev_archive), ("next-archive", archive.next_archive))


def _head_links(parent: etree._Element, links: Sequence[tuple[str, str]], archived: bool) -> None:
    """Each link right after the self link, written as it is, and ``fh:archive`` on an archive page.

    feedgen writes Atom's elements without a namespace of their own (the document
    declares it) and RSS's as ``atom:link``: copying the self link's tag keeps
    either unprefixed in Atom and ``atom:`` in RSS.  The history namespace is
    declared on its one element, so feeds that are not archived do not change.
    """
    selves = [
        (i, c) for i, c in enumerate(parent) if c.get("rel") == "self" and etree.QName(c).localname == "link"
    ]
    if not selves:
        return
    at, self_link = selves[0]
    for offset, (rel, href) in enumerate(links, 1):
        link = parent.makeelement(self_link.tag, {"href": href, "rel": rel})
        link.tail = self_link.tail
        parent.insert(at + offset, link)
    if archived:
        mark = parent.makeelement(f"{{{_HISTORY}}}archive", nsmap={"fh": _HISTORY})
        mark.tail = self_link.tail
        parent.insert(at + len(links) + 1, mark)


class _RssExtension(BaseExtension):  # type: ignore[misc]
    def extend_ns(self) -> dict[str, str]:
        return {"dc": _DC}


class _NoEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    pass


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
