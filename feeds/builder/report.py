"""What a build did (:class:`BuildReport`) and how long each phase took (:class:`Clock`).

Kept apart from the pipeline so that the stages of a build that write
(``writing``) can fill in the report without importing the driver.
"""

from __future__ import annotations

import logging
import resource
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import PostError
from .rules import FEED_RULES, POST_RULES

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..models import Notice

log = logging.getLogger("feeds.builder.pipeline")  # the logger the phase times were always logged on


@dataclass
class BuildReport:
    """What a build did, for the summary line and ``--json``."""

    posts_read: int = 0
    skipped: int = 0
    drafts: int = 0
    protected: int = 0  # posts locked by a password: shown by their abstract, or left out
    changed: int = 0
    feeds_written: int = 0
    feeds_unchanged: int = 0
    feeds_removed: int = 0
    thumbnails_fetched: int = 0
    thumbnails_cached: int = 0
    thumbnails_failed: int = 0
    excluded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POST_RULES, 0))  # rule -> posts
    not_written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FEED_RULES, 0))  # rule -> files
    # The files by kind, counted when asked (only --json asks): the names of 40,000 files took
    # 0.07 to 0.085 s to tell apart, in every cron run.
    count_files: Callable[[], dict[str, dict[str, int]]] = field(default=dict, repr=False, compare=False)
    pages_linked: int = 0  # the site's own pages given autodiscovery links
    pings_sent: int = 0  # WebSub publish requests the hubs took
    pings_failed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[PostError] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)  # about posts still used; logged grouped

    @property
    def hidden(self) -> int:
        """Posts their authors hid: in no feed, listing or count."""
        return self.excluded.get("hidden", 0)

    @property
    def files(self) -> dict[str, dict[str, int]]:
        """Kind (a format, ``archive``, ``opml``, ``index``) -> {"written": n, "unchanged": n}."""
        return self.count_files()

    @property
    def total_seconds(self) -> float:
        return round(sum(self.seconds.values()), 4)


class Clock:
    """Seconds per phase, for the summary and ``--json``."""

    def __init__(self, report: BuildReport):
        self.report = report
        self.phase = ""
        self.start = 0.0

    def __call__(self, phase: str) -> Clock:
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
