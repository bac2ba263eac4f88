"""A build: lock, check whether anything changed since the last one, and if so run the stages.

Most cron runs find nothing changed: the same settings, package and source
files (paths, sizes, mtimes) as the last complete build, and its files as it
left them.  That check (:mod:`.inputs`) needs the config and a walk of the
source, so this module imports little more; the stages that read, plan,
render and write (:mod:`.stages`) are loaded only when there is work.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from itertools import chain
from pathlib import Path

from ..config import Config
from ..errors import PostError
from ..output import BuildLock, Manifest, load_manifest
from ..source import scan_source
from .inputs import code_files, inputs_token, nothing_to_do, plan_key
from .names import DERIVED, count_kinds
from .parallel import collector_paused
from .postcache import BuildCache
from .progress import NO_PROGRESS, Progress
from .report import BuildReport, Clock

log = logging.getLogger(__name__)


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
        if not first and nothing_to_do(config, root, manifest, token):
            _report_unchanged(config, manifest, report)
            return
    # Loaded only now: a build with nothing to do (most cron runs) never needs YAML, workers or renderers.
    from .stages import run_stages

    run_stages(
        config,
        cache,
        manifest,
        files,
        token,
        key,
        offline=offline,
        progress=progress,
        report=report,
        clock=clock,
    )


def _report_unchanged(config: Config, manifest: Manifest, report: BuildReport) -> None:
    state = manifest.state
    report.posts_read, report.drafts = state.posts, state.drafts
    report.excluded.update(state.excluded)
    report.not_written.update(state.not_written)
    report.protected = state.protected
    report.feeds_unchanged = len(manifest.files) - len(set(DERIVED) & set(manifest.files))
    report.count_files = partial(count_kinds, config, manifest.files, set())
    for path, reason in state.errors:
        error = PostError(reason, path=Path(path))
        log.error("%s", error)
        report.errors.append(error)
    report.skipped = len(report.errors)
