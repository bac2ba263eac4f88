"""The pipeline: read posts → plan feeds → render the entries that show → write what changed.

Each stage is a plain function of the :class:`Config` and the previous stage's
output.  What makes it cheap to run from cron is that each stage skips what
the last run already did: unchanged files are not parsed (the post cache),
feeds whose inputs did not change are not rendered (the manifest's
fingerprints), and files whose bytes would not change are not touched.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from itertools import chain
from pathlib import Path

from ..config import Config
from ..errors import PostError
from ..models import Image, Notice, Post
from ..output import BuildLock, Manifest, State, all_current, load_manifest
from ..source import scan_source, source_file
from .derived import DERIVED, PAGES_STATE, count_kinds, derived_files, link_site_pages, listings
from .filters import feeds_not_written, select, unused_limits
from .links import code_files, make_site
from .notices import log_grouped
from .parallel import collector_paused
from .planning import FeedPlan, plan_all, selected_posts
from .postcache import WHICH_FILES, BuildCache
from .progress import NO_PROGRESS, Progress
from .report import BuildReport, Clock
from .writing import Shown, announce, write_feeds

log = logging.getLogger(__name__)

PARALLEL_MIN = 300  # below this many items, forking costs more than it saves


def build(
    config: Config, *, offline: bool = False, wait: float = 0.0, progress: Progress = NO_PROGRESS
) -> BuildReport:
    """Write every feed for ``config``; one bad post is reported and skipped, never fatal."""
    report = BuildReport()
    clock = Clock(report)
    with clock("lock"), BuildLock(config.output, wait), _cache_lock(config, wait):
        clock.stop()
        with collector_paused():  # a build makes millions of objects and next to no cycles
            _build_locked(config, offline, progress, report, clock)
    return report


def _cache_lock(config: Config, wait: float) -> AbstractContextManager[object]:
    """Builds with different outputs may share a cache folder: it is locked too."""
    if config.cache.resolve() == config.output.resolve():
        return nullcontext()
    return BuildLock(config.cache, wait)


def _build_locked(
    config: Config, offline: bool, progress: Progress, report: BuildReport, clock: Clock
) -> None:
    cache = BuildCache(config)
    root = config.output.resolve()
    with clock("scan"):
        manifest = load_manifest(root)
        # A first build (no record of an earlier one, no post cache) reads every file anyway, and
        # learns their sizes and mtimes from the open files: its walk need not stat them.
        first = not manifest.state.inputs and not cache.posts.exists()
        files = scan_source(config, stat=not first)
        key = plan_key(config, cache.key)
        stats = ((f.rel, f.size, f.mtime_ns) for f in files)
        token = "" if first else inputs_token(key, chain(stats, code_files(config)))
        if not first and _nothing_to_do(config, root, manifest, token):
            _report_unchanged(config, manifest, report)
            return
    # Loaded only now: a build with nothing to do (most cron runs) never needs YAML or workers.
    from .read import read_sources

    with clock("read"):
        read = read_sources(
            config, files, cache, progress, parallel_min=PARALLEL_MIN, meanwhile=_load_writers
        )
        records, changed, notices, saving = read.records, read.changed, read.notices, read.saving
        del files  # a large archive's listing is not needed again
    if first:
        stats = ((rel, r.size, r.mtime_ns) for rel, r in records.items())
        token = inputs_token(key, chain(stats, code_files(config)))
    posts = [r.post for r in records.values() if r.post is not None]
    report.posts_read, report.changed = len(posts), changed
    report.drafts = sum(1 for r in records.values() if r.post is None and r.error is None)
    report.warnings.extend(notices)
    log_grouped(notices, log)
    for rel, record in records.items():
        if record.error is not None:
            error = PostError(record.error, path=source_file(config, rel))
            log.error("%s", error)
            report.errors.append(error)
    with clock("plan"):
        posts, due = _published(config, posts)
        plans = _plan(config, posts, report)
        selected = selected_posts(plans)
        site = make_site(config, posts, selected)
        found = listings(config, plans) if config.feeds.autodiscovery else []
        derived = derived_files(config, cache.key, plans)
    with clock("thumbnails"):
        images = _resolve_images(config, selected, offline, progress, report) if config.fetch.enabled else {}
    errors = tuple((str(e.path), e.reason) for e in report.errors)
    counts = (tuple(report.excluded.items()), tuple(report.not_written.items()))
    state = State(token, report.posts_read, report.drafts, errors, due, *counts, report.protected)
    bodies = {p.rel: read.bodies[p.rel] for p in selected if p.rel in read.bodies}
    shown = Shown(selected, {p.rel: records[p.rel].digest for p in selected}, images, site, bodies)
    del records, posts, read  # from here on only the posts that show matter: let the rest go
    changed_feeds = write_feeds(
        config, cache, plans, shown, report, clock, manifest, state, derived, PARALLEL_MIN
    )
    if config.feeds.autodiscovery:
        with clock("pages"):
            report.pages_linked = link_site_pages(config, root, found)
    if config.websub.hubs and changed_feeds and not offline:
        with clock("websub"):
            announce(config, changed_feeds, report)
    report.skipped = len(report.errors)
    if saving is not None and not saving.join():
        log.warning("%s: the post cache was not saved; the next build reads every post again", config.cache)


def _load_writers() -> None:
    """Many posts to read means feeds to write: load lxml, nh3 and feedgen while workers read."""
    import feeds.builder.render  # noqa: F401

    from ..output import render_fragments  # noqa: F401  # feedgen, which the line above no longer loads


def plan_key(config: Config, cache_key: str) -> str:
    """The cache key, and the settings that change which feeds exist but not what a post parses to
    (kept out of the cache key, so that changing a filter does not read every post again)."""
    switches = tuple(getattr(config.feeds, name) for name in WHICH_FILES)
    return f"{cache_key}\n{(config.tags, config.authors, config.filters, switches)!r}"


def _plan(config: Config, posts: list[Post], report: BuildReport) -> list[FeedPlan]:
    """The feeds to write from the posts the filters keep; what each filter left out, in ``report``."""
    selection = select(config, posts)
    planned = plan_all(config, selection.posts)
    report.excluded = selection.excluded
    report.protected = selection.locked
    report.not_written = feeds_not_written(planned.skipped, config.feeds.formats)
    notices = [*selection.notices, *unused_limits(config, planned.skipped)]
    report.warnings.extend(notices)
    log_grouped(notices, log)
    return planned.plans


def inputs_token(key: str, files: Iterable[tuple[str, int, int]]) -> str:
    """Changes when the config, the package, or any source file's path, size or mtime does.

    ``files``: (rel, size, mtime_ns) in path order, from the walk or, after a first build
    whose walk did not stat, from the records of the files it read.
    """
    token = hashlib.sha256(key.encode())
    for rel, size, mtime_ns in files:
        token.update(f"\n{rel}\t{size}\t{mtime_ns}".encode("utf-8", "surrogateescape"))
    return token.hexdigest()


def _nothing_to_do(config: Config, root: Path, manifest: Manifest, token: str) -> bool:
    """Same inputs as the last complete build and its files untouched: no post needs even a look.

    Not with the fetcher on, whose cached answers age and are worth a look each run.
    """
    if config.fetch.enabled or not manifest.files or manifest.state.inputs != token:
        return False
    if manifest.state.due and time.time() >= manifest.state.due:
        return False  # a post left out for its future date is due now
    if not all_current(root, manifest.files):
        return False
    if not config.feeds.autodiscovery:
        return True
    from ..output import pages_current  # pages that hexo generate wrote anew need their links again

    return pages_current(root, config.cache / PAGES_STATE)


def _published(config: Config, posts: list[Post]) -> tuple[list[Post], float]:
    """With ``posts.future: false``, the posts dated up to now, and when the next one comes due (0: none)."""
    if config.posts.future:
        return posts, 0.0
    now = time.time()
    due = [p.date.timestamp() for p in posts if p.date.timestamp() > now]
    return [p for p in posts if p.date.timestamp() <= now], min(due, default=0.0)


def _report_unchanged(config: Config, manifest: Manifest, report: BuildReport) -> None:
    state = manifest.state
    report.posts_read, report.drafts = state.posts, state.drafts
    report.excluded.update(state.excluded)
    report.not_written.update(state.not_written)
    report.protected = state.protected
    report.feeds_unchanged = len(manifest.files) - len(set(DERIVED) & set(manifest.files))
    report.files = count_kinds(config, manifest.files, set())
    for path, reason in state.errors:
        error = PostError(reason, path=Path(path))
        log.error("%s", error)
        report.errors.append(error)
    report.skipped = len(report.errors)


def _resolve_images(
    config: Config, posts: Sequence[Post], offline: bool, progress: Progress, report: BuildReport
) -> dict[str, Image]:
    """Resolve the thumbnails of the posts that show; a failure is a warning naming post and URL."""
    from ..thumbnails import resolve_thumbnails  # requests is imported only when fetching is on

    by_url: dict[str, list[Post]] = {}
    for post in posts:
        if post.thumbnail:
            by_url.setdefault(post.thumbnail, []).append(post)
    with progress.phase("thumbnails", len(by_url)) as advance:
        fetched = resolve_thumbnails(
            by_url, config.fetch, config.cache / "thumbnails.json", offline=offline, progress=advance
        )
    report.thumbnails_fetched = fetched.fetched
    report.thumbnails_cached = fetched.cached
    report.thumbnails_failed = fetched.failed
    failures = [
        Notice("thumbnail", post.path, f"thumbnail {url}: {reason}")
        for url, reason in sorted(fetched.failures.items())
        for post in by_url.get(url, [])
    ]
    report.warnings.extend(failures)
    log_grouped(failures, log)
    return dict(fetched.images)
