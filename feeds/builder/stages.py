"""The stages of a build with something to do: read the posts that changed → plan every feed →
render what the changed feeds show → write what changed.

:mod:`.pipeline` runs them once its check finds the inputs changed; each stage is
a plain function of the :class:`Config` and the previous stage's output, and
skips what the last run did: unchanged files are not parsed (the post cache),
feeds whose inputs did not change are not rendered (the manifest's fingerprints),
and files whose bytes would not change are not touched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import partial
from itertools import chain

from ..config import Config
from ..content import make_cleaner
from ..errors import PostError
from ..models import Image, Notice, Post, Site
from ..output import Manifest, State
from ..source import SourceFile, source_file
from .derived import derived_files, link_site_pages, listings
from .filters import feeds_not_written, select, unused_limits
from .inputs import code_files, inputs_token
from .links import make_site
from .notices import log_grouped
from .planning import Planned, plan_all, selected_posts
from .postcache import BuildCache, PostRecord
from .progress import Progress
from .read import read_sources
from .report import BuildReport, Clock
from .writing import Shown, announce, write_feeds

log = logging.getLogger("feeds.builder.pipeline")  # the logger a build's messages were always logged on

PARALLEL_MIN = 300  # below this many items, forking costs more than it saves


def run_stages(
    config: Config,
    cache: BuildCache,
    manifest: Manifest,
    files: list[SourceFile],
    token: str,
    key: str,
    *,
    offline: bool,
    progress: Progress,
    report: BuildReport,
    clock: Clock,
) -> None:
    """Everything after the check: ``token`` is the inputs' ("" for a first build, whose walk did
    not stat: it is made from the records of the files read); ``key`` what it is made from."""
    root = config.output.resolve()
    first = not token
    with clock("read"):
        read = read_sources(
            config,
            files,
            cache,
            progress,
            parallel_min=PARALLEL_MIN,
            meanwhile=partial(_load_writers, config),
        )
        records, changed, notices, saving = read.records, read.changed, read.notices, read.saving
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
        planned = _plan(config, posts, report)
        plans = planned.plans
        selected = selected_posts(plans, len(posts))
        site = make_site(config, posts, selected)
        found = listings(config, plans) if config.feeds.autodiscovery else []
        derived = derived_files(config, cache.key, plans)
    with clock("thumbnails"):
        images = _resolve_images(config, selected, offline, progress, report) if config.fetch.enabled else {}
    errors = tuple((str(e.path), e.reason) for e in report.errors)
    counts = (tuple(report.excluded.items()), tuple(report.not_written.items()))
    state = State(token, report.posts_read, report.drafts, errors, due, *counts, report.protected)
    kept = read.bodies
    bodies = {p.rel: kept[p.rel] for p in selected if p.rel in kept} if kept else {}
    shown = Shown(selected, _digests(config, records, selected), images, site, bodies, planned.keys)
    del records, posts, read, kept  # from here on only the posts that show matter: let the rest go
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


def _digests(config: Config, records: dict[str, PostRecord], selected: Sequence[Post]) -> dict[str, bytes]:
    """The digests of the posts that show.  With archives that is every post, whose records are
    then read in the order they were loaded (the selection's date order reached them at random:
    0.3 s for 100,000 posts against 0.05 s); a digest too many is never looked up."""
    if config.feeds.archive:
        return {rel: r.digest for rel, r in records.items() if r.post is not None}
    return {p.rel: records[p.rel].digest for p in selected}


def _load_writers(config: Config) -> None:
    """Many posts to read means feeds to write: load lxml, nh3 and the writers while workers read,
    and the Markdown renderer when bodies are Markdown (a Jekyll site's kramdown and Liquid), once
    here rather than in each worker after the fork (python-liquid and markdown-it, loaded by both
    processes, were 9% of a cold 10,000-post Jekyll build)."""
    import feeds.builder.render  # noqa: F401  # for the side effect: its libraries loaded

    from ..output import render_fragments  # noqa: F401

    if config.posts.dialect == "jekyll" or not config.posts.sniff_html:  # every .md body is Markdown
        make_cleaner(config, Site()).warm()


def _plan(config: Config, posts: list[Post], report: BuildReport) -> Planned:
    """The feeds to write from the posts the filters keep; what each filter left out, in ``report``."""
    selection = select(config, posts)
    planned = plan_all(config, selection.posts)
    report.excluded = selection.excluded
    report.protected = selection.locked
    report.not_written = feeds_not_written(planned.skipped, config.feeds.formats)
    notices = [*selection.notices, *unused_limits(config, planned.skipped)]
    report.warnings.extend(notices)
    log_grouped(notices, log)
    return planned


def _published(config: Config, posts: list[Post]) -> tuple[list[Post], float]:
    """With ``posts.future: false``, the posts dated up to now, and when the next one comes due (0: none)."""
    if config.posts.future:
        return posts, 0.0
    now = time.time()
    due = [p.date.timestamp() for p in posts if p.date.timestamp() > now]
    return [p for p in posts if p.date.timestamp() <= now], min(due, default=0.0)


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
