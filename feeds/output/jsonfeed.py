"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) with the standard library's ``json``.

As for RSS and Atom (see :mod:`feeds.output.writers`), each item is serialised
once per build share and the pieces are spliced into every feed that shows it:
an item is one line of compact JSON, a feed is its pretty-printed head with
those lines joined under ``items``.  Keys are written in a fixed order (the
spec's), text as UTF-8 rather than ``\\u`` escapes, and a field with no value
is left out rather than written empty, as the spec asks of optional fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..models import FeedInfo
from .entry import Entry, Fragment, body, terms

VERSION = "https://jsonfeed.org/version/1.1"


def render_json(info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """The bytes of one whole feed (what splicing :func:`render_items` gives, a test holds us to that)."""
    return assemble_json(info, render_items(entries, info.language))


def render_items(entries: Sequence[Entry], language: str) -> list[Fragment]:
    """Each entry as one line of JSON; ``language`` is the feed's, which items do not repeat."""
    return [_dump(item(entry, language)) for entry in entries]


def assemble_json(info: FeedInfo, items: Sequence[Fragment]) -> bytes:
    """A feed from its head and items made by :func:`render_items`."""
    head = json.dumps(_head(info), ensure_ascii=False, indent=2).encode("utf-8", "replace")
    if not items:
        return head[:-2] + b',\n  "items": []\n}\n'
    joined = b",\n    ".join(bytes(piece) for piece in items)
    return b"".join((head[:-2], b',\n  "items": [\n    ', joined, b"\n  ]\n}\n"))


def _dump(value: dict[str, Any]) -> bytes:
    # Lone surrogates (a file decoded with surrogateescape) cannot be UTF-8; '?' stands in.
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "replace")


def _head(info: FeedInfo) -> dict[str, Any]:
    head: dict[str, Any] = {
        "version": VERSION,
        "title": info.title,
        "home_page_url": info.link,
        "feed_url": info.self_url,
        "description": info.description,
        "next_url": _older(info),
        "icon": info.icon or info.favicon,
        "favicon": info.favicon or info.icon,
        "authors": [{"name": info.author}] if info.author else None,
        "language": info.language,
        "hubs": [{"type": "WebSub", "url": hub} for hub in info.hubs],
    }
    return {key: value for key, value in head.items() if value}


def _older(info: FeedInfo) -> str:
    """JSON Feed's pagination: ``next_url`` leads to the next older posts, as RFC 5005's prev-archive does
    (the subscription feed names the newest archive page, each page the one before it)."""
    return info.archive.prev_archive if info.archive is not None else ""


def item(entry: Entry, language: str) -> dict[str, Any]:
    """One entry as a JSON Feed item, its keys in the spec's order, empty values left out.

    The id is the post's id, as in RSS and Atom, so a reader that follows
    more than one format sees one item.  An item must have ``content_html``
    or ``content_text``: with no body to show (``feeds.content: none``, or an
    empty post) the plain-text summary is its text, else its title.
    """
    post, content = entry.post, entry.content
    html = body(entry)
    text = "" if html else (content.summary or entry.title)
    image = entry.image
    attachment: dict[str, Any] | None = None
    if image is not None and image.type:  # the spec requires a MIME type; the size is optional
        attachment = {"url": image.url, "mime_type": image.type, "size_in_bytes": image.length}
    values: dict[str, Any] = {
        "id": post.id,
        "url": post.permalink,
        "title": entry.title,
        "content_html": html,
        "content_text": text,
        "summary": content.summary if content.summary != text else "",
        "image": image.url if image is not None else post.thumbnail,
        "date_published": post.date.isoformat(),
        "date_modified": post.updated.isoformat(),
        "authors": [{"name": post.author}] if post.author else None,
        "tags": terms(post),
        "language": post.language if post.language and post.language.lower() != language.lower() else None,
        "attachments": [{k: v for k, v in attachment.items() if v}] if attachment else None,
    }
    return {key: value for key, value in values.items() if value}
