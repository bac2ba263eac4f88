"""What the OPML list, the index page and autodiscovery are made from: one listing per feed.

A listing says which feed it is (the site's, a category's, a tag's or an
author's), where its files are and what they hold, and nothing about how
it was planned: the writers of ``feeds.opml`` and ``feeds.html`` take a list
of them and never look at posts.  Names in a listing come from posts and are
untrusted: every writer escapes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("site", "category", "tag", "author")  # in the order a list shows them
GROUPS = {"category": "Categories", "tag": "Tags", "author": "Authors"}  # the heading of each kind
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@dataclass(frozen=True)
class FeedFile:
    """One file of a feed: its format, its path under the output folder, and its URL."""

    fmt: str  # rss | atom | json
    name: str  # '/'-separated, relative to the output folder
    url: str  # absolute


@dataclass(frozen=True)
class Listing:
    """One feed, in every format it is written in."""

    kind: str  # one of KINDS
    path: tuple[str, ...]  # display names, parent first: a category's, (tag,), (author,); () for the site
    folder: tuple[str, ...]  # where its files are, under the output folder; () for the site
    title: str  # the feed's own title
    page: str  # the HTML page the feed belongs to (OPML's htmlUrl)
    files: tuple[FeedFile, ...]  # in the order of feeds.formats
    posts: int  # how many posts the category (tag, author, site) has, not only those the feed shows
    newest: datetime | None  # the newest post's date; None for a feed with no post

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else self.title


@dataclass(frozen=True)
class Node:
    """A listing in a tree: its children are the listings one level deeper under the same parent."""

    listing: Listing
    children: tuple[Node, ...] = field(default=())


def tree(listings: Sequence[Listing]) -> dict[str, list[Node]]:
    """The listings of each kind as a forest, parents first: a category's node holds its subcategories'.

    A listing whose parent path has no listing of its own (which the planner
    never makes) hangs from the nearest ancestor that has one, else the root.
    """
    forests: dict[str, list[Node]] = {}
    for kind in KINDS:
        mine = sorted((x for x in listings if x.kind == kind), key=_order)
        if mine:
            forests[kind] = _grow(mine)
    return forests


def _order(listing: Listing) -> tuple[list[str], tuple[str, ...]]:
    return [p.casefold() for p in listing.path], listing.path


def _grow(listings: list[Listing]) -> list[Node]:
    by_path = {x.path: x for x in listings}
    children: dict[tuple[str, ...] | None, list[Listing]] = {}
    for x in listings:
        parent = _parent(x.path, by_path)
        children.setdefault(parent, []).append(x)

    def node(x: Listing) -> Node:
        return Node(x, tuple(node(c) for c in children.get(x.path, [])))

    return [node(x) for x in children.get(None, [])]


def _parent(path: tuple[str, ...], known: dict[tuple[str, ...], Listing]) -> tuple[str, ...] | None:
    for depth in range(len(path) - 1, 0, -1):
        if path[:depth] in known:
            return path[:depth]
    return None
