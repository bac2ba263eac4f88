"""The one-off commands: a single feed from a few files, and the category listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import PostError
from ..models import Post, newest_first
from ..source import build_tree, find_posts, read_posts, slugger
from .links import make_site
from .planning import FeedPlan, category_dir, feed_info, feed_name


def convert(config: Config, paths: Sequence[Path], fmt: str) -> tuple[bytes, list[PostError]]:
    """One feed of the posts in ``paths`` (files or folders), newest first, no limit: ``feeds convert``."""
    from ..output import Entry, render
    from .render import clean_posts

    errors: list[PostError] = []
    posts: list[Post] = []
    for given in paths:
        root = given if given.is_dir() else given.parent
        result = read_posts(config, find_posts(given) if given.is_dir() else [given], source=root)
        posts.extend(result.posts)
        errors.extend(result.errors)
    ordered = newest_first(posts)
    cleaned = clean_posts(config, ordered, make_site(config, ordered, ordered))
    entries = []
    for post, (_, content, error) in zip(ordered, cleaned, strict=True):
        if content is not None:
            entries.append(Entry(post, content, None, config.feeds.content))
        elif error is not None:
            errors.append(error)
    plan = FeedPlan((), config.site.title, "", tuple(ordered))
    return render(fmt, feed_info(config, plan, fmt), entries), errors


@dataclass(frozen=True)
class CategoryListing:
    label: str
    count: int
    slug_path: str
    files: tuple[str, ...]  # relative to the output folder


def list_categories(config: Config) -> tuple[list[CategoryListing], tuple[PostError, ...]]:
    """Every category node with its post count and feed files: ``feeds categories``."""
    result = read_posts(config)
    listing = []
    for category in build_tree(result.posts, config.categories.map, slug=slugger(config)):
        folder = (*category_dir(config), *category.slugs)
        files = tuple(feed_name(config, folder, f) for f in config.feeds.formats)
        listing.append(CategoryListing(category.label, len(category.posts), "/".join(category.slugs), files))
    return listing, result.errors
