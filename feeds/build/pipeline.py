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
import resource
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import PostError
from ..models import FeedJob, Image, Notice, Post, Site
from ..output import (
    BuildLock,
    Manifest,
    Record,
    State,
    all_current,
    clean_temporaries,
    is_current,
    load_manifest,
    remove_stale,
    save_manifest,
)
from ..source import scan_posts, source_path
from .derived import (
    DERIVED,
    PAGES_STATE,
    count_kinds,
    link_site_pages,
    listings,
    render_derived,
    write_derived,
)
from .filters import FEED_RULES, POST_RULES, feeds_not_written, select, unused_limits
from .links import code_files, make_site, ref_stamp
from .notices import log_grouped
from .parallel import collector_paused, run_shared, workers
from .planning import FeedPlan, make_jobs, partition, plan_all, selected_posts
from .postcache import WHICH_FILES, BuildCache
from .progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from .render import Share

log = logging.getLogger(__name__)

PARALLEL_MIN = 300  # below this many items, forking costs more than it saves


@dataclass
class BuildReport:
    posts_read: int = 0
    skipped: int = 0
    drafts: int = 0
    changed: int = 0
    feeds_written: int = 0
    feeds_unchanged: int = 0
    feeds_removed: int = 0
    thumbnails_fetched: int = 0
    thumbnails_cached: int = 0
    thumbnails_failed: int = 0
    excluded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POST_RULES, 0))  # rule -> posts
    not_written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FEED_RULES, 0))  # rule -> files
    files: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> {"written": n, "unchanged": n}
    pages_linked: int = 0  # the site's own pages given autodiscovery links
    pings_sent: int = 0  # WebSub publish requests the hubs took
    pings_failed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[PostError] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)  # about posts still used; logged grouped

    @property
    def total_seconds(self) -> float:
        return round(sum(self.seconds.values()), 4)


def build(
    config: Config, *, offline: bool = False, wait: float = 0.0, progress: Progress = NO_PROGRESS
) -> BuildReport:
    """Write every feed for ``config``; one bad post is reported and skipped, never fatal."""
    report = BuildReport()
    clock = _Clock(report)
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
    config: Config, offline: bool, progress: Progress, report: BuildReport, clock: _Clock
) -> None:
    cache = BuildCache(config)
    root = config.output.resolve()
    with clock("scan"):
        manifest = load_manifest(root)
        # A first build (no record of an earlier one, no post cache) reads every file anyway, and
        # learns their sizes and mtimes from the open files: its walk need not stat them.
        first = not manifest.state.inputs and not cache.posts.exists()
        rules = config.posts
        files = scan_posts(
            config.source, drafts=rules.render_drafts, stat=not first, hexo_hidden=rules.hexo_hidden
        )
        key = plan_key(config, cache.key)
        stats = ((f.rel, f.size, f.mtime_ns) for f in files)
        token = "" if first else inputs_token(key, chain(stats, code_files(config)))
        if not first and _nothing_to_do(config, root, manifest, token):
            _report_unchanged(config, manifest, report)
            return
    # Loaded only now: a build with nothing to do (most cron runs) never needs YAML or workers.
    from .read import read_sources

    with clock("read"):
        records, changed, notices, saving = read_sources(
            config, files, cache, progress, parallel_min=PARALLEL_MIN, meanwhile=_load_writers
        )
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
            error = PostError(record.error, path=source_path(config.source, rel))
            log.error("%s", error)
            report.errors.append(error)
    with clock("plan"):
        posts, due = _published(config, posts)
        plans = _plan(config, posts, report)
        selected = selected_posts(plans)
        site = make_site(config, posts, selected)
        found = listings(config, plans)
        derived = render_derived(config, found)
    with clock("thumbnails"):
        images = _resolve_images(config, selected, offline, progress, report) if config.fetch.enabled else {}
    errors = tuple((str(e.path), e.reason) for e in report.errors)
    counts = (tuple(report.excluded.items()), tuple(report.not_written.items()))
    state = State(token, report.posts_read, report.drafts, errors, due, *counts)
    shown = _Shown(selected, {p.rel: records[p.rel].digest for p in selected}, images, site)
    del records, posts  # from here on only the posts that show matter: let the rest go
    changed_feeds = _write_feeds(config, cache, plans, shown, report, clock, manifest, state, derived)
    if config.feeds.autodiscovery:
        with clock("pages"):
            report.pages_linked = link_site_pages(config, root, found)
    if config.websub.hubs and changed_feeds and not offline:
        with clock("websub"):
            _announce(config, changed_feeds, report)
    report.skipped = len(report.errors)
    if saving is not None and not saving.join():
        log.warning("%s: the post cache was not saved; the next build reads every post again", config.cache)


@dataclass(frozen=True)
class _Shown:
    """The posts that show in some feed, with what besides the config decides their entries."""

    posts: Sequence[Post]
    digests: dict[str, bytes]  # rel -> hash of the file's bytes
    images: dict[str, Image]  # thumbnail URL -> what the fetcher found
    site: Site  # what the bodies' links and tags name outside their posts


def _load_writers() -> None:
    """Many posts to read means feeds to write: load lxml, nh3 and feedgen while workers read."""
    import feeds.build.render  # noqa: F401

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
    report.feeds_unchanged = len(manifest.files) - len(set(DERIVED) & set(manifest.files))
    report.files = count_kinds(config, manifest.files, set())
    for path, reason in state.errors:
        error = PostError(reason, path=Path(path))
        log.error("%s", error)
        report.errors.append(error)
    report.skipped = len(report.errors)


class _Clock:
    """Seconds per phase, for the summary and ``--json``."""

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
        self.stop()

    def stop(self) -> None:
        if self.phase:
            seconds = self.report.seconds[self.phase] = round(time.perf_counter() - self.start, 4)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
            log.debug(
                "%s: %.3f s; peak memory %d MB here, %d MB in a worker", self.phase, seconds, peak, workers
            )
            self.phase = ""


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


def _write_feeds(
    config: Config,
    cache: BuildCache,
    plans: Sequence[FeedPlan],
    shown: _Shown,
    report: BuildReport,
    clock: _Clock,
    manifest: Manifest,
    state: State,
    derived: Mapping[str, bytes],
) -> list[str]:
    """Write what changed, remove what is gone; the URLs of the feeds whose bytes changed."""
    root = config.output.resolve()
    old = manifest.files
    with clock("compare"):
        # A build that stopped part way leaves a manifest with no state: tidy every folder it
        # listed; otherwise only the top folder, where the manifest itself is written.
        clean_temporaries(root, set(old) if old and not manifest.state.inputs else set())
        jobs = make_jobs(config, cache.key, plans, shown.digests, shown.images, shown.site)
        todo = [job for job in jobs if not is_current(root, job.name, old.get(job.name), job.fingerprint)]
    report.feeds_unchanged = len(jobs) - len(todo)
    kept = {job.name: old[job.name] for job in jobs if job.name in old}
    written: set[str] = set()
    if todo or not set(derived) <= set(old):
        # Track every planned file before writing any, so a killed build's new files are known.
        pending = {**old, **{name: Record("", 0, 0) for name in (*(j.name for j in todo), *derived)}, **kept}
        save_manifest(root, Manifest(pending, State()))
    if todo:
        with clock("write"):
            shares = _render_and_write(config, cache, root, todo, shown, report)
        for share in shares:
            for name, record, was_written in share.written:
                # A feed written without a post whose body failed is not done: the next build retries.
                kept[name] = Record("", record.size, record.mtime_ns) if name in share.lacking else record
                report.feeds_written += was_written
                report.feeds_unchanged += not was_written
                if was_written:
                    written.add(name)
            if share.lacking:
                state = State()  # and that build must not take the nothing-changed shortcut
    for name, record, was_written in write_derived(root, derived):  # after the feeds they list
        kept[name] = record
        if was_written:
            written.add(name)
    report.feeds_removed = remove_stale(root, old, {job.name for job in jobs} | set(derived))
    report.files = count_kinds(config, kept, written)
    final = Manifest(kept, state)
    if final != manifest:
        save_manifest(root, final)
    return [job.info.self_url for job in jobs if job.name in written and not _archive_page(job)]


def _archive_page(job: FeedJob) -> bool:
    """An RFC 5005 archive page, which nobody subscribes to: no hub hears of it."""
    return job.info.archive is not None and job.info.archive.page > 0


def _announce(config: Config, urls: Sequence[str], report: BuildReport) -> None:
    """WebSub publish notifications for the feeds that changed; a failing hub is only a warning."""
    from ..websub import publish  # requests is loaded only when there is something to announce

    done = publish(config.websub.hubs, urls, config.fetch)
    report.pings_sent, report.pings_failed = done.sent, done.failed


def _render_and_write(
    config: Config,
    cache: BuildCache,
    root: Path,
    todo: Sequence[FeedJob],
    shown: _Shown,
    report: BuildReport,
) -> list[Share]:
    """Write the files in ``todo`` in shares, each rendering the posts its own feeds show.

    This process and one child per other core take shares as they finish
    them; the entries a share renders stay where it runs, for the feeds it
    writes, rather than travelling back here and out again.
    """
    from .render import Cached, write_share  # lxml, nh3 and feedgen load only when something is written

    posts = {p.rel: p for p in shown.posts}
    needed = dict.fromkeys(rel for job in todo for rel in job.posts)
    # Links in a body are made absolute against its permalink, which can move with the file's
    # mtime (an undated post) even when its bytes do not; the posts and files its tags name can
    # change too: all go into the key.
    keys = {
        rel: shown.digests[rel]
        + posts[rel].permalink.encode("utf-8", "surrogateescape")
        + ref_stamp(posts[rel], shown.site)
        for rel in needed
    }
    store = cache.contents
    # Shares read the content they need as they go: with archived feeds that can be every post's.
    cached = Cached(frozenset(store.held(keys)), keys, store if store.available() else None)
    store.close()  # not carried into forked children: each share opens its own connection
    parallel = len(needed) - len(cached.held) + len(todo) >= PARALLEL_MIN  # posts to clean, files
    groups = partition(todo, workers() * 2 if parallel else 1)
    tasks = [
        partial(write_share, config, root, group, posts, cached, shown.images, shown.site) for group in groups
    ]
    shares = list(run_shared(tasks, parallel=parallel))
    reported: set[str] = set()
    for share in shares:
        if share.cache_problem and share.cache_problem not in reported:
            reported.add(share.cache_problem)
            log.warning("%s; they will be cleaned again next build", share.cache_problem)
        for error in share.errors:  # a post in two shares failed in both: say so once
            if str(error) not in reported:
                reported.add(str(error))
                log.error("%s", error)  # changed or vanished since it was read
                report.errors.append(error)
    try:
        store.prune(set(posts))
    finally:
        store.close()
    return shares
