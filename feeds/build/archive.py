"""RFC 5005 archived feeds: where each feed's older posts go, in pages that stay put.

A feed's subscription document (its ``rss.xml``, ``atom.xml``, ``feed.json``)
keeps the newest ``feeds.limit`` posts; the older ones fill archive pages of
``feeds.limit`` posts counted from the oldest, so page 1 holds the feed's first
posts and only the newest page is ever partly filled.  A new post pushes one
post out of the subscription document into the newest page (or starts a new
one), and no full page changes: its posts stay its posts, and its URL,
``archive/<format>/<n>.<ext>`` beside the feed, stays its URL.  When a new page
starts, the page before it gains its ``next-archive`` link, once.  Only a post
inserted among older ones (a backdated post, a deleted one, a date changed)
shifts the pages from its place onward, as it must for every post to be
found exactly once.

Each page is a job like any feed file, with a fingerprint of its posts and its
links, so a build rewrites only the pages whose posts or neighbours changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import ArchiveLinks, Post
from ..urls import quote_segment

ARCHIVE_DIR = "archive"


def pages(older: Sequence[Post], limit: int) -> list[tuple[Post, ...]]:
    """The archive pages of a feed whose posts past the subscription document are ``older``
    (newest first): page 1 first, each page's posts newest first, as a feed lists them."""
    oldest_first = older[::-1]
    return [tuple(oldest_first[i : i + limit][::-1]) for i in range(0, len(oldest_first), limit)]


def page_path(file_name: str, page: int) -> tuple[str, ...]:
    """A page's path under its feed's folder: ``archive/atom/3.xml`` for ``atom.xml``'s third page.

    A folder per format: two formats' pages cannot share ``archive/3.xml``.
    """
    stem, dot, ext = file_name.rpartition(".")
    if not stem:
        stem, dot, ext = file_name, "", ""
    return (ARCHIVE_DIR, stem, f"{page}{dot}{ext}")


def page_url(feed_folder_url: str, file_name: str, page: int) -> str:
    """The page's URL, given the URL of its feed's folder (ending in ``/``)."""
    return feed_folder_url + "/".join(quote_segment(part) for part in page_path(file_name, page))


def links(feed_folder_url: str, file_name: str, current: str, count: int) -> list[ArchiveLinks]:
    """The subscription document's links, then each of ``count`` pages', page 1 first."""
    url = [""] + [page_url(feed_folder_url, file_name, n) for n in range(1, count + 1)] + [""]
    subscription = ArchiveLinks(current, prev_archive=url[count])
    return [subscription] + [
        ArchiveLinks(current, prev_archive=url[n - 1], next_archive=url[n + 1], page=n)
        for n in range(1, count + 1)
    ]
