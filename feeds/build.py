"""The pipeline: read posts → group into categories → render the entries that show → write feeds.

Each stage is a plain function of the :class:`Config` and the previous
stage's output; :func:`build` strings them together and reports what happened.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_if_changed
from .categories import build_tree
from .config import Config
from .content import Cleaner
from .errors import OutputError, PostError
from .models import Category, Content, Image, Post
from .posts import find_posts, read_body, read_posts
from .urls import quote_segment, site_root
from .writers import Entry, FeedInfo, render

log = logging.getLogger(__name__)

FILE_NAMES = {"rss": "rss.xml", "atom": "atom.xml"}


@dataclass(frozen=True)
class FeedPlan:
    """One feed to write: where, what it says about itself, and which posts, newest first."""

    folder: tuple[str, ...]  # slugs under the output root; () for the site feed
    info_title: str
    label: str
    posts: tuple[Post, ...]


@dataclass
class BuildReport:
    posts_read: int = 0
    skipped: int = 0
    drafts: int = 0
    feeds_written: int = 0
    feeds_unchanged: int = 0
    feeds_removed: int = 0
    thumbnails_fetched: int = 0
    thumbnails_cached: int = 0
    thumbnails_failed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[PostError] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def build(config: Config, *, offline: bool = False) -> BuildReport:
    """Write every feed for ``config``; one bad post is reported and skipped, never fatal."""
    report = BuildReport()
    clock = _Clock(report)
    with clock("read"):
        result = read_posts(config)
    report.posts_read, report.drafts = len(result.posts), result.drafts
    report.errors.extend(result.errors)
    for error in result.errors:
        log.error("%s", error)
    with clock("plan"):
        plans = plan_feeds(config, result.posts)
    selected = _selected(plans)
    with clock("content"):
        contents = render_contents(config, selected, report)
    with clock("thumbnails"):
        images = _resolve_images(config, selected, offline, report) if config.fetch.enabled else {}
    with clock("write"):
        _write_all(config, plans, contents, images, report)
    report.skipped = len(report.errors)
    return report


class _Clock:
    def __init__(self, report: BuildReport):
        self.report = report
        self.phase = ""
        self.start = 0.0

    def __call__(self, phase: str) -> _Clock:
        self.phase = phase
        return self

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.seconds[self.phase] = round(time.perf_counter() - self.start, 4)


def plan_feeds(config: Config, posts: Sequence[Post]) -> list[FeedPlan]:
    """The site feed and one per category node, each with its newest ``feeds.limit`` posts."""
    limit = config.feeds.limit
    newest = sorted(posts, key=lambda p: (p.date, p.rel), reverse=True)
    plans = [FeedPlan((), config.site.title, "", tuple(newest[:limit]))]
    for category in build_tree(posts, config.categories.map):
        plans.append(_category_plan(config, category, limit))
    return plans


def _category_plan(config: Config, category: Category, limit: int) -> FeedPlan:
    return FeedPlan(
        folder=("categories", *category.slugs),
        info_title=f"{config.site.title} · {category.label}",
        label=category.label,
        posts=category.posts[:limit],
    )


def _selected(plans: Iterable[FeedPlan]) -> list[Post]:
    seen: dict[Path, Post] = {}
    for plan in plans:
        for post in plan.posts:
            seen.setdefault(post.path, post)
    return list(seen.values())


def render_contents(config: Config, posts: Iterable[Post], report: BuildReport) -> dict[Path, Content]:
    """Clean the bodies of the posts that show in some feed, each once."""
    cleaner = Cleaner(config.content, config.feeds)
    contents: dict[Path, Content] = {}
    for post in posts:
        try:
            body = read_body(post)
        except PostError as e:  # changed or vanished since it was read
            log.error("%s", e)
            report.errors.append(e)
            continue
        contents[post.path] = cleaner.render(post, body)
    return contents


def _resolve_images(
    config: Config, posts: Sequence[Post], offline: bool, report: BuildReport
) -> dict[str, Image]:
    """Resolve the thumbnails of the posts that show; a failure is a warning naming post and URL."""
    from .thumbnails import resolve_thumbnails  # requests is imported only when fetching is on

    by_url: dict[str, list[Post]] = {}
    for post in posts:
        if post.thumbnail:
            by_url.setdefault(post.thumbnail, []).append(post)
    fetched = resolve_thumbnails(by_url, config.fetch, config.cache / "thumbnails.json", offline=offline)
    report.thumbnails_fetched = fetched.fetched
    report.thumbnails_cached = fetched.cached
    report.thumbnails_failed = fetched.failed
    for url, reason in sorted(fetched.failures.items()):
        for post in by_url.get(url, []):
            log.warning("%s: thumbnail %s: %s", post.path, url, reason)
    return dict(fetched.images)


def feed_url(config: Config, folder: tuple[str, ...], name: str) -> str:
    return site_root(config.site.url) + "".join(quote_segment(s) + "/" for s in folder) + name


def page_url(config: Config, folder: tuple[str, ...]) -> str:
    return site_root(config.site.url) + "".join(quote_segment(s) + "/" for s in folder)


def feed_path(config: Config, folder: tuple[str, ...], fmt: str) -> Path:
    """Where a feed goes; refuses any path that would leave the output folder."""
    root = config.output.resolve()
    path = root.joinpath(*folder, FILE_NAMES[fmt])
    if not path.resolve().is_relative_to(root) or any(s in ("", ".", "..") for s in folder):
        raise OutputError(f"refusing to write outside the output folder ({'/'.join(folder)})", path=root)
    return path


def feed_info(config: Config, plan: FeedPlan, fmt: str) -> FeedInfo:
    site = config.site
    if plan.label:
        description = f"{plan.label} — {site.description or site.title}"
    else:
        description = site.description or site.title
    return FeedInfo(
        title=plan.info_title,
        link=page_url(config, plan.folder),
        self_url=feed_url(config, plan.folder, FILE_NAMES[fmt]),
        description=description,
        language=site.language,
        author=site.author or site.title,
    )


def _write_all(
    config: Config,
    plans: Sequence[FeedPlan],
    contents: dict[Path, Content],
    images: dict[str, Image],
    report: BuildReport,
) -> None:
    include = config.feeds.content
    for plan in plans:
        entries = [
            Entry(post, contents[post.path], images.get(post.thumbnail or ""), include)
            for post in plan.posts
            if post.path in contents
        ]
        for fmt in config.feeds.formats:
            data = render(fmt, feed_info(config, plan, fmt), entries)
            if write_if_changed(feed_path(config, plan.folder, fmt), data):
                report.feeds_written += 1
            else:
                report.feeds_unchanged += 1


def convert(config: Config, paths: Sequence[Path], fmt: str) -> tuple[bytes, list[PostError]]:
    """One feed of the posts in ``paths`` (files or folders), newest first, no limit: ``feeds convert``."""
    errors: list[PostError] = []
    posts: list[Post] = []
    for given in paths:
        root = given if given.is_dir() else given.parent
        result = read_posts(config, list(find_posts(given)) if given.is_dir() else [given], source=root)
        posts.extend(result.posts)
        errors.extend(result.errors)
    report = BuildReport()
    ordered = sorted(posts, key=lambda p: (p.date, p.rel), reverse=True)
    contents = render_contents(config, ordered, report)
    errors.extend(report.errors)
    plan = FeedPlan((), config.site.title, "", tuple(ordered))
    entries = [Entry(p, contents[p.path], None, config.feeds.content) for p in ordered if p.path in contents]
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
    root = config.output.resolve()
    for category in build_tree(result.posts, config.categories.map):
        folder = ("categories", *category.slugs)
        files = tuple(feed_path(config, folder, f).relative_to(root).as_posix() for f in config.feeds.formats)
        listing.append(CategoryListing(category.label, len(category.posts), "/".join(category.slugs), files))
    return listing, result.errors
