"""RFC 5005 archived feeds: which older posts each archive page holds, kept stable from build to build.

A feed's subscription document (its ``rss.xml``, ``atom.xml``, ``feed.json``)
keeps the newest ``feeds.limit`` posts; the older ones are in archive pages.
A page is a range of the feed's order (by date, or ``updated``), fixed when
the page is made: it holds the feed's posts from its first post's place up to
the next page's.  The first build cuts the pages every ``feeds.limit`` posts
from the oldest; after that the ranges stay, so

- a post pushed out of the subscription document by a new one joins the newest
  page, and a new page starts (with the next number) when that one is full;
- a deleted, edited or re-dated post changes the page (or two) it is in, and
  a backdated post the page whose range it falls in: never the pages around;
- a page left empty goes, and its neighbours link past it; one grown past
  twice ``feeds.limit`` (posts imported with old dates) is cut, the new parts
  taking new numbers.

A page's number, and so its URL (``archive/<stem>/<n>.<ext>`` beside the feed:
``archive/atom/3.xml`` for ``atom.xml``), never changes, and is not used again
while the feed exists.  The ranges live in the cache folder; without them (a
first build, a cleared cache, a new ``feeds.limit`` or ``feeds.order_by``) the
pages are cut afresh, which rewrites them but never loses a post.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..models import ArchiveLinks, Post, order_key
from ..urls import quote_segment
from .names import ARCHIVE_DIR

log = logging.getLogger(__name__)

_REL = attrgetter("rel")
_VERSION = 1
Key = tuple[float, str]  # a post's place in its feed's order: (timestamp, rel), oldest first


@dataclass(frozen=True)
class Page:
    number: int  # in its URL; numbers are never reused or moved
    posts: tuple[Post, ...]  # newest first, as a feed lists them


@dataclass(frozen=True)
class _Layout:
    starts: tuple[Key, ...]  # each page's first place, ascending; the first page also takes all before
    numbers: tuple[int, ...]
    next_number: int
    # What the feed's files were made from (its header, its posts' stamps): equal next build, its
    # pages are these again and its files as they were (see jobs.make_jobs).  "": not known.
    inputs: str = ""


class Layouts:
    """Every feed's pages: the last build's ranges, read from the cache, applied to this build's posts."""

    def __init__(self, cache: Path, output: Path, limit: int, order_by: str):
        digest = hashlib.blake2b(str(output.resolve()).encode("utf-8", "surrogateescape"), digest_size=6)
        self.path = cache / f"archive-{digest.hexdigest()}.json"  # two outputs may share a cache folder
        self.limit, self.order_by = limit, order_by
        self.old = self._load()
        self.new: dict[str, _Layout] = {}
        self.keys: dict[str, Key] = {}  # each post's place, by its path: a post is in several feeds

    def pages(
        self,
        folder: tuple[str, ...],
        older: Sequence[Post],
        inputs: str = "",
        keys: Sequence[Key] | None = None,
    ) -> list[Page]:
        """The pages of the feed in ``folder`` whose posts past the subscription document are
        ``older``, newest first in ``feeds.order_by``'s order (as the planner lists them), oldest
        page first; ``inputs``: what its files are made from, kept for :meth:`unchanged`;
        ``keys``: those posts' places, when the planner knows them."""
        name = "/".join(folder)
        ordered = older[::-1]  # oldest first: the planner's order, reversed, not sorted again
        layout = self.old.get(name)
        if layout is None or not layout.starts:  # no pages yet: cut them, numbered past any before
            first = layout.next_number if layout is not None else 1
            groups = [ordered[i : i + self.limit] for i in range(0, len(ordered), self.limit)]
            numbers = list(range(first, first + len(groups)))
            pages, new = _settle(groups, numbers, first + len(groups), self._key)
        else:
            places = keys[::-1] if keys is not None else self._keys(ordered)
            pages, new = _update(layout, ordered, places, self.limit, self._key)
        self.new[name] = replace(new, inputs=inputs)
        return pages

    def unchanged(self, folder: tuple[str, ...], inputs: str) -> tuple[int, ...]:
        """The page numbers of a feed made from the same ``inputs`` as last build, whose pages are
        then the same too (cutting the same posts by the same ranges changes nothing); () when its
        inputs differ or it had no pages.  :meth:`keep` them once its files are found as left."""
        layout = self.old.get("/".join(folder))
        if layout is None or not layout.starts or not inputs or layout.inputs != inputs:
            return ()
        return layout.numbers

    def keep(self, folder: tuple[str, ...]) -> None:
        """The feed's pages stay the last build's (see :meth:`unchanged`)."""
        name = "/".join(folder)
        self.new[name] = self.old[name]

    def _keys(self, posts: Sequence[Post]) -> list[Key]:
        """The places of ``posts``, each worked out once per build (the site's feed holds them all)."""
        try:
            return list(map(self.keys.__getitem__, map(_REL, posts)))
        except KeyError:
            return [self._key(post) for post in posts]

    def save(self) -> None:
        """Keep this build's ranges for the next: of every feed planned, even one with no page now (so
        its numbers are not used again); those of feeds gone are dropped."""
        from ..output import write_atomic

        feeds = {
            name: {
                "starts": [list(k) for k in x.starts],
                "numbers": list(x.numbers),
                "next": x.next_number,
                **({"inputs": x.inputs} if x.inputs else {}),
            }
            for name, x in sorted(self.new.items())
        }
        raw = {"version": _VERSION, "limit": self.limit, "order_by": self.order_by, "feeds": feeds}
        try:
            # ASCII: a post's name from a file name that is not UTF-8 holds lone surrogates, which
            # only an escape keeps (and json reads it back as it was).
            write_atomic(self.path, json.dumps(raw, separators=(",", ":")).encode("ascii"))
        except OSError as e:  # the next build cuts the pages afresh: more writes, no post lost
            log.warning("%s: archive pages not remembered (%s)", self.path, e)

    def _key(self, post: Post) -> Key:
        found = self.keys.get(post.rel)
        if found is None:
            found = self.keys[post.rel] = order_key(post, self.order_by)
        return found

    def _load(self) -> dict[str, _Layout]:
        try:
            raw = json.loads(self.path.read_bytes())
            if (raw.get("version"), raw.get("limit"), raw.get("order_by")) != (
                _VERSION,
                self.limit,
                self.order_by,
            ):
                return {}
            return {name: _read(x) for name, x in raw["feeds"].items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as e:
            log.warning("%s: unreadable (%s); archive pages are cut afresh", self.path, e)
            return {}


def _read(raw: Any) -> _Layout:
    starts = tuple((float(t), str(rel)) for t, rel in raw["starts"])
    numbers = tuple(int(n) for n in raw["numbers"])
    if len(starts) != len(numbers) or list(starts) != sorted(starts):
        raise ValueError("pages out of order")
    return _Layout(starts, numbers, int(raw["next"]), str(raw.get("inputs", "")))


def _update(
    layout: _Layout, ordered: Sequence[Post], keys: Sequence[Key], limit: int, key: Callable[[Post], Key]
) -> tuple[list[Page], _Layout]:
    """``ordered`` (oldest first; ``keys`` their places) in the last build's ranges; empty pages go,
    overfull ones are cut.

    A page holds the posts from its start up to the next page's (the first page
    also those before it): the posts being in order, each page is a slice, found
    by a search per page rather than one per post (a third of planning 100,000
    posts' pages).
    """
    ends = [bisect.bisect_left(keys, start) for start in layout.starts[1:]]
    groups = [list(ordered[a:b]) for a, b in zip([0, *ends], [*ends, len(ordered)], strict=True)]
    next_number = layout.next_number
    kept_groups: list[list[Post]] = []
    kept_numbers: list[int] = []
    for i, (group, number) in enumerate(zip(groups, layout.numbers, strict=True)):
        newest = i == len(groups) - 1
        if len(group) <= (limit if newest else 2 * limit):
            kept_groups.append(group)
            kept_numbers.append(number)
            continue
        parts = [group[j : j + limit] for j in range(0, len(group), limit)]
        kept_groups.extend(parts)
        kept_numbers.append(number)
        kept_numbers.extend(range(next_number, next_number + len(parts) - 1))
        next_number += len(parts) - 1
    return _settle(kept_groups, kept_numbers, next_number, key)


def _settle(
    groups: Sequence[Sequence[Post]], numbers: Sequence[int], next_number: int, key: Callable[[Post], Key]
) -> tuple[list[Page], _Layout]:
    """The pages that hold posts, and the ranges they start."""
    kept = [(g, n) for g, n in zip(groups, numbers, strict=True) if g]
    pages = [Page(n, tuple(reversed(g))) for g, n in kept]
    starts = tuple(key(g[0]) for g, _ in kept)
    return pages, _Layout(starts, tuple(n for _, n in kept), next_number)


def page_path(file_name: str, page: int) -> tuple[str, ...]:
    """A page's path under its feed's folder: ``archive/atom/3.xml`` for ``atom.xml``'s page 3.

    A folder per format (two formats' pages cannot share ``archive/3.xml``); a
    file name with folders of its own (``feeds/atom.xml``) keeps them.
    """
    *folders, base = file_name.split("/")
    stem, dot, ext = base.rpartition(".")
    if not stem:
        stem, dot, ext = base, "", ""
    return (ARCHIVE_DIR, *folders, stem, f"{page}{dot}{ext}")


def page_url(feed_folder_url: str, file_name: str, page: int) -> str:
    """The page's URL, given the URL of its feed's folder (ending in ``/``)."""
    return feed_folder_url + "/".join(quote_segment(part) for part in page_path(file_name, page))


def subscription_links(
    feed_folder_url: str, file_name: str, current: str, numbers: Sequence[int]
) -> ArchiveLinks:
    """The subscription document's: the newest page before it."""
    newest = page_url(feed_folder_url, file_name, numbers[-1]) if numbers else ""
    return ArchiveLinks(current, prev_archive=newest)


def page_links(
    feed_folder_url: str, file_name: str, current: str, numbers: Sequence[int], i: int
) -> ArchiveLinks:
    """Page ``numbers[i]``'s: the subscription document, and the pages either side of it."""

    def url(j: int) -> str:
        return page_url(feed_folder_url, file_name, numbers[j]) if 0 <= j < len(numbers) else ""

    return ArchiveLinks(current, prev_archive=url(i - 1), next_archive=url(i + 1), page=numbers[i])
