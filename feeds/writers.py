"""Serialise feeds with feedgen, working around the traps that make its output wrong or churn.

- entries are appended (``order='append'``), because ``add_entry`` prepends;
- ``updated``/``lastBuildDate`` are the newest entry's time, never "now";
- the generator carries no version, so upgrading feedgen does not rewrite every file;
- Atom entry links lose ``rel``/``type`` in feedgen (upstream issue 135), so the
  enclosure link is written by our own small extension instead;
- media elements are written with ``group=None`` so they are not wrapped in ``media:group``;
- every string passes :func:`xml_safe`, since lxml raises on characters XML 1.0 forbids.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from . import PROJECT_URL
from .models import Content, FeedInfo, Image, Post
from .text import summary_html, xml_safe

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    post: Post
    content: Content
    image: Image | None = None  # resolved by the fetcher; None: original thumbnail URL only
    include: str = "full"  # full | summary | none: what goes into content

    @property
    def title(self) -> str:
        return self.post.title or self.content.first_text or self.post.rel


def render(fmt: str, info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """The bytes of one feed; ``fmt`` is 'rss' or 'atom'."""
    fg = _feed(info, newest(entries), rss=fmt == "rss")
    for entry in entries:
        _add(fg, entry, rss=fmt == "rss")
    return _serialize(fg, fmt)


def newest(entries: Sequence[Entry]) -> datetime:
    return max((e.post.updated for e in entries), default=EPOCH)


# A large build puts one post in several feeds (its category, each ancestor, the
# site feed) and in both formats.  Rather than have feedgen build the same entry
# again for every feed, each entry is serialised once, inside one document that
# holds them all, and cut out of it; a feed is then its own head with those
# pieces spliced in.  Entries hold no raw '<' in text or attributes (lxml escapes
# it), so the tags found below can only be element boundaries, and the pieces
# are byte for byte what feedgen would write in place (a test holds us to that).
_ITEM = {"rss": (b"    <item>\n", b"  </channel>\n"), "atom": (b"  <entry>\n", b"</feed>\n")}


def render_fragments(fmt: str, entries: Sequence[Entry]) -> list[bytes]:
    """Each entry's serialised element, in order, as it appears inside a feed of this format."""
    if not entries:
        return []
    info = FeedInfo("x", "https://x.invalid/", "https://x.invalid/feed", "", "en", "x")
    fg = _feed(info, EPOCH, rss=fmt == "rss")
    for entry in entries:
        _add(fg, entry, rss=fmt == "rss")
    data = _serialize(fg, fmt)
    start_tag, closing = _ITEM[fmt]
    body = data[data.index(start_tag) : data.rindex(closing)]
    pieces = [start_tag + piece for piece in body.split(start_tag)[1:]]
    if len(pieces) != len(entries):
        raise AssertionError(f"cut {len(pieces)} {fmt} entries out of {len(entries)}")
    return pieces


def assemble(fmt: str, info: FeedInfo, updated: datetime, fragments: Sequence[bytes]) -> bytes:
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
    fg = FeedGenerator()
    fg.load_extension("media", atom=True, rss=True)
    if rss:
        fg.load_extension("dc", atom=False, rss=True)
    else:
        fg.register_extension("feeds", _FeedExtension, _EntryExtension, atom=True, rss=False)
    fg.id(info.link)
    fg.title(xml_safe(info.title))
    fg.link(href=info.link, rel="alternate", type="text/html")
    fg.link(href=info.self_url, rel="self", type="application/rss+xml" if rss else "application/atom+xml")
    fg.description(xml_safe(info.description) or xml_safe(info.title))
    fg.language(info.language)
    fg.author({"name": xml_safe(info.author)})
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.generator("feeds", uri=PROJECT_URL)
    return fg


def _add(fg: FeedGenerator, entry: Entry, *, rss: bool) -> None:
    post, content = entry.post, entry.content
    fe: FeedEntry = fg.add_entry(order="append")
    fe.id(post.id)
    fe.guid(post.id, permalink=post.id == post.permalink)
    fe.title(entry.title)
    fe.link(href=post.permalink, rel="alternate", type="text/html")
    fe.published(post.date)
    fe.updated(post.updated)
    if post.author:
        if rss:
            fe.dc.dc_creator(post.author)
        else:
            fe.author({"name": post.author, **({"email": post.author_email} if post.author_email else {})})
    terms = list(dict.fromkeys([name for path in post.categories for name in path] + list(post.tags)))
    if terms:
        fe.category([{"term": t, "label": t} for t in terms])
    if content.summary and rss:  # an RSS description is HTML: escape the plain text
        fe.description(html.escape(content.summary, quote=False), isSummary=True)
    elif content.summary:
        fe.summary(content.summary)
    body = _body(entry)
    if body:
        fe.content(body, type="html")
    _add_image(fe, entry, rss=rss)


def _body(entry: Entry) -> str:
    if entry.include == "full":
        return entry.content.html
    if entry.include == "summary":
        return summary_html(entry.content.summary)
    return ""


def _add_image(fe: FeedEntry, entry: Entry, *, rss: bool) -> None:
    image, original = entry.image, entry.post.thumbnail
    if image is None:
        if original:
            fe.media.thumbnail({"url": original}, group=None)
        return
    size = {k: str(v) for k, v in (("width", image.width), ("height", image.height)) if v}
    media: dict[str, str] = {"url": image.url, "medium": "image", **size}
    if image.type:
        media["type"] = image.type
    if image.length:
        media["fileSize"] = str(image.length)
    fe.media.content(media, group=None)
    fe.media.thumbnail({"url": image.url, **size}, group=None)
    if image.type and image.length:
        if rss:
            fe.enclosure(image.url, str(image.length), image.type)
        else:
            fe.feeds.enclosure = image


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    def extend_ns(self) -> dict[str, str]:
        return {}


class _EntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Writes the Atom ``<link rel="enclosure">`` that feedgen would emit without ``rel``."""

    def __init__(self) -> None:
        self.enclosure: Image | None = None

    def extend_atom(self, entry: Any) -> Any:
        image = self.enclosure
        if image is not None and image.type and image.length:
            etree.SubElement(
                entry, "link", rel="enclosure", href=image.url, type=image.type, length=str(image.length)
            )
        return entry
