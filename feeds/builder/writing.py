"""The last stage of a build: write the files whose inputs changed, remove those that are gone.

Given the plans and the posts that show, it works out each file's
fingerprint, renders and writes (in shares, on every core) only the files
whose fingerprint moved, writes the OPML list and the index page after the
feeds they list, keeps the manifest, and tells WebSub hubs what changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..models import FeedJob, Image, Post, Site
from ..output import Manifest, Record, State, clean_temporaries, is_current, remove_stale, save_manifest
from .archive import Layouts
from .derived import Derived, write_derived
from .jobs import make_jobs
from .links import ref_stamp
from .names import count_kinds
from .parallel import run_shared, workers
from .planning import FeedPlan, partition, partition_by_date
from .postcache import BuildCache
from .report import BuildReport, Clock

if TYPE_CHECKING:
    from .render import Share

log = logging.getLogger("feeds.builder.pipeline")  # where these messages were always logged


@dataclass(frozen=True)
class Shown:
    """The posts that show in some feed, with what besides the config decides their entries."""

    posts: Sequence[Post]
    digests: dict[str, bytes]  # rel -> hash of the file's bytes
    images: dict[str, Image]  # thumbnail URL -> what the fetcher found
    site: Site  # what the bodies' links and tags name outside their posts
    bodies: Mapping[str, str] = field(default_factory=dict)  # rel -> body kept since it was parsed
    keys: Sequence[tuple[float, str]] = ()  # with archives: planning's (see Planned.keys)


def write_feeds(
    config: Config,
    cache: BuildCache,
    plans: Sequence[FeedPlan],
    shown: Shown,
    report: BuildReport,
    clock: Clock,
    manifest: Manifest,
    state: State,
    derived: Derived,
    parallel_min: int,
) -> list[str]:
    """Write what changed, remove what is gone; the URLs of the feeds whose bytes changed."""
    root = config.output.resolve()
    old = manifest.files
    archived = config.feeds.archive
    with clock("compare"):
        # A build that stopped part way leaves a manifest with no state: tidy every folder it
        # listed; otherwise only the top folder, where the manifest itself is written.
        clean_temporaries(root, set(old) if old and not manifest.state.inputs else set())
        limit, order_by = config.feeds.limit, config.feeds.order_by
        layouts = Layouts(config.cache, root, limit, order_by) if archived else None
        jobs = make_jobs(
            config,
            cache.key,
            plans,
            (shown.posts, shown.digests, shown.images, shown.site),
            lambda name, fingerprint: is_current(root, name, old.get(name), fingerprint),
            layouts,
            partial(_as_left, root, old),
            shown.keys,
        )
    todo = jobs.todo
    report.feeds_unchanged = len(jobs.unchanged)
    names = [*jobs.unchanged, *(job.name for job in todo)]
    kept = {name: old[name] for name in names if name in old}
    written: set[str] = set()
    if todo or not set(derived.names) <= set(old):
        # Track every planned file before writing any, so a killed build's new files are known.
        pending = {
            **old,
            **{name: Record("", 0, 0) for name in (*(j.name for j in todo), *derived.names)},
            **kept,
        }
        save_manifest(root, Manifest(pending, State()))
    made: dict[str, bytes] = {}  # the lists' bytes, made while the workers finish their last shares

    def make_lists() -> None:
        if not derived.current(root, old):
            made.update(derived.make())

    if todo:
        with clock("write"):
            shares = _render_and_write(config, cache, root, todo, shown, report, parallel_min, make_lists)
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
    for name, record, was_written in write_derived(root, derived, old, made):  # after the feeds they list
        kept[name] = record
        if was_written:
            written.add(name)
    report.feeds_removed = remove_stale(root, old, {*names, *derived.names})
    report.count_files = partial(count_kinds, config, kept, written)
    final = Manifest(kept, state)
    if final != manifest:
        save_manifest(root, final)
    if layouts is not None and layouts.new != layouts.old:
        layouts.save()  # after the pages are written: a build stopped before keeps the last ranges
    return [job.info.self_url for job in todo if job.name in written and not archive_page(job)]


def _as_left(root: Path, old: Mapping[str, Record], name: str) -> bool:
    """The file is as the last build wrote it, and that build wrote all of it (a feed written
    without a post whose body failed has no fingerprint: the next build tries again)."""
    record = old.get(name)
    return (
        record is not None and bool(record.fingerprint) and is_current(root, name, record, record.fingerprint)
    )


def archive_page(job: FeedJob) -> bool:
    """An RFC 5005 archive page, which nobody subscribes to: no hub hears of it."""
    return job.info.archive is not None and job.info.archive.page > 0


def announce(config: Config, urls: Sequence[str], report: BuildReport) -> None:
    """WebSub publish notifications for the feeds that changed; a failing hub is only a warning."""
    from ..websub import publish  # requests is loaded only when there is something to announce

    done = publish(config.websub.hubs, urls, config.fetch)
    report.pings_sent, report.pings_failed = done.sent, done.failed


def _render_and_write(
    config: Config,
    cache: BuildCache,
    root: Path,
    todo: Sequence[FeedJob],
    shown: Shown,
    report: BuildReport,
    parallel_min: int,
    meanwhile: Callable[[], object] | None = None,
) -> list[Share]:
    """Write the files in ``todo`` in shares, each rendering the posts its own feeds show.

    ``meanwhile`` runs here while the children finish (see :func:`run_shared`).

    This process and one child per other core take shares as they finish
    them; the entries a share renders stay where it runs, for the feeds it
    writes, rather than travelling back here and out again.
    """
    from .render import (  # lxml and nh3 load only when something is written
        Cached,
        newest_first_key,
        write_share,
    )

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
    parallel = len(needed) - len(cached.held) + len(todo) >= parallel_min  # posts to clean, files
    parts = workers() * 2 if parallel else 1
    if any(archive_page(job) for job in todo):
        groups = partition_by_date(todo, parts, partial(newest_first_key, posts, config.feeds.order_by))
    else:
        groups = partition(todo, parts)
    writer = partial(write_share, config, root, posts=posts, cache=cached, images=shown.images)
    tasks = [partial(writer, group, site=shown.site, bodies=shown.bodies) for group in groups]
    shares = list(run_shared(tasks, parallel=parallel, meanwhile=meanwhile))
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
