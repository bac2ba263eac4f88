"""The one-off commands: a single feed from a few files (or standard input), and the listings."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Config
from ..errors import PostError
from ..models import HIDDEN, Category, Post, newest_first
from ..source import find_posts, read_posts
from .filters import Rules, select
from .links import make_site
from .names import feed_name
from .planning import FeedPlan, feed_info, groups, kind_dir, kinds, skip_reason

STDIN = Path("-")
STDIN_NAME = "stdin.md"  # the name a post read from standard input is given: its slug


@dataclass(frozen=True)
class Converted:
    data: bytes | None  # None: the paths held no post to convert
    errors: list[PostError]


def convert(config: Config, paths: Sequence[Path], fmt: str, stdin: bytes | None = None) -> Converted:
    """One feed of the posts in ``paths`` (files, folders, or ``-`` for ``stdin``), newest first, no limit.

    A post from standard input is read as a file named ``stdin.md`` would be
    (its slug, and its date when it has none, come from that file).  No post at
    all gives no feed rather than an empty one dated 1970-01-01.
    """
    with tempfile.TemporaryDirectory(prefix="feeds-stdin-") as scratch:
        if stdin is not None:
            (Path(scratch) / STDIN_NAME).write_bytes(stdin)
        given = [Path(scratch) / STDIN_NAME if p == STDIN else p for p in paths]
        posts, errors = _read(config, given)
        data = _render(config, posts, fmt, errors)
    return Converted(data, [_named(e, scratch) for e in errors])


def _read(config: Config, paths: Sequence[Path]) -> tuple[list[Post], list[PostError]]:
    errors: list[PostError] = []
    posts: list[Post] = []
    for given in paths:
        root = given if given.is_dir() else given.parent
        result = read_posts(config, find_posts(given) if given.is_dir() else [given], source=root)
        posts.extend(select(config, result.posts).posts)  # not `feed: false`, hidden or omitted posts
        errors.extend(result.errors)
    return posts, errors


def _render(config: Config, posts: list[Post], fmt: str, errors: list[PostError]) -> bytes | None:
    from ..output import Entry, render_feed
    from .render import clean_posts

    ordered = newest_first(posts)
    entries = []
    cleaned = clean_posts(config, ordered, make_site(config, ordered, ordered))
    for post, (_, content, error) in zip(ordered, cleaned, strict=True):
        if content is not None:
            entries.append(Entry(post, content, None, config.feeds.content))
        elif error is not None:
            errors.append(error)
    if not entries:
        return None
    plan = FeedPlan((), config.site.title, "", tuple(ordered))
    return render_feed(fmt, feed_info(config, plan, fmt), entries)


def _named(error: PostError, scratch: str) -> PostError:
    """An error about the post read from standard input names it so, not its scratch file."""
    if str(error.path).startswith(scratch):
        return PostError(error.reason, path=Path("<stdin>"))
    return error


@dataclass(frozen=True)
class Categories:
    """``feeds categories``: the rows, the posts that could not be read, and what authors protect."""

    rows: list[CategoryListing]
    errors: tuple[PostError, ...]
    protected: int  # posts locked by a password
    hidden: int  # posts their authors hid: counted here only, in no row


@dataclass(frozen=True)
class CategoryListing:
    label: str
    count: int  # posts its feed holds; for a name a filter excludes, the posts it keeps out
    slug_path: str
    files: tuple[str, ...]  # relative to the output folder; () when no feed is written
    why: str = ""  # why no feed is written (a filter, categories.depth, feeds.min_posts); "" when one is


def list_categories(config: Config, kind: str = "category") -> Categories:
    """Every category node (or tag, or author) with its post count and feed files: ``feeds categories``.

    Rows the build writes no feed for are listed too, with the reason; a
    category that only hidden posts have is not listed at all, as in Hexo.
    """
    result = read_posts(config)
    selection = select(config, result.posts)
    kept = {p.rel for p in selection.posts}
    listed = [p for p in result.posts if p.protection != HIDDEN]
    rules = Rules(config)
    listing = []
    for group in groups(config, kind, newest_first(listed)):
        shown = replace(group, posts=tuple(p for p in group.posts if p.rel in kept))
        count, why = len(shown.posts), _why_not(config, kind, shown)
        if rules.excludes_name(kind, group.label):
            count, why = (
                len(group.posts),
                f"excluded by filters.exclude_{'tags' if kind == 'tag' else 'categories'}",
            )
        folder = (*kind_dir(config, kind), *group.slugs)
        files = () if why else tuple(feed_name(config, folder, f) for f in config.feeds.formats)
        listing.append(CategoryListing(group.label, count, "/".join(group.slugs), files, why))
    hidden = len(result.posts) - len(listed)
    return Categories(listing, result.errors, selection.locked, hidden)


def _why_not(config: Config, kind: str, group: Category) -> str:
    """Why ``group`` (holding the posts the filters keep) gets no feed; "" when it gets one."""
    if kind not in kinds(config):
        return f"feeds.{kind}s is false"
    if not group.posts:
        return "every post is excluded (feed: false or filters)"
    skip = skip_reason(config, kind, group)
    if skip == "depth":
        return f"deeper than categories.depth ({config.categories.depth})"
    if skip == "min_posts":
        return f"fewer posts than feeds.min_posts ({config.feeds.min_posts})"
    return ""
