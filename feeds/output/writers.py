"""Serialise feeds: the head with feedgen, each entry as text (:mod:`.xmlentry`), spliced together.

feedgen writes a feed's head once per file, with the traps that make its output
wrong or churn worked around:

- ``updated``/``lastBuildDate`` are the newest entry's time, never "now";
- the generator carries no version, so upgrading feedgen does not rewrite every file;
- the media namespace, WebSub hubs and RFC 5005's archive links are written by
  our own extension (:class:`_FeedExtension`);
- every string passes :func:`xml_safe`, since lxml raises on characters XML 1.0 forbids.

A large build puts one post in several feeds (its category, each ancestor, the
site feed) and in both formats: each entry is written once per format and the
same bytes are spliced into every feed that shows it.  The entries are what
feedgen would write in place, byte for byte (``tests/output/test_writers.py``
holds every feed of the corpus to a whole document feedgen writes).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .. import home_page
from ..models import ArchiveLinks, FeedInfo
from ..text import xml_safe
from .entry import EPOCH, Entry, Fragment, newest
from .xmlentry import atom_entry, rss_item

__all__ = ["EPOCH", "Entry", "Fragment", "assemble", "newest", "render", "render_fragments"]


def render(fmt: str, info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """The bytes of one feed; ``fmt`` is 'rss' or 'atom'."""
    return assemble(fmt, info, newest(entries), render_fragments([fmt], entries)[fmt])


_ITEM = {"rss": (b"    <item>\n", b"  </channel>\n"), "atom": (b"  <entry>\n", b"</feed>\n")}
_WRITERS = {"rss": rss_item, "atom": atom_entry}


def render_fragments(formats: Sequence[str], entries: Sequence[Entry]) -> dict[str, list[Fragment]]:
    """Each entry's serialised element in each format, in order, as it appears inside a feed."""
    out: dict[str, list[Fragment]] = {fmt: [] for fmt in formats}
    for entry in entries:  # both formats of one entry together: they escape the same body
        for fmt in formats:
            out[fmt].append(_WRITERS[fmt](entry).encode())
    return out


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


_MEDIA = "http://search.yahoo.com/mrss/"
_DC = "http://purl.org/dc/elements/1.1/"
_ATOM = "http://www.w3.org/2005/Atom"
_HISTORY = "http://purl.org/syndication/history/1.0"  # RFC 5005


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
