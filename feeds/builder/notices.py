"""Warnings about posts, grouped by kind so that the one line a person needs is not drowned.

A cold build of an archive whose scraper wrote ``date: Invalid Date`` into
8,244 posts printed 8,244 lines, with ``--quiet`` too.  Now each kind shows
its first few in full (``path: reason``), then one line that counts the rest
and says how to see them; ``-v`` lists every one and ``--json`` carries them
all.  A post that cannot be used at all is an error, not a notice, and is
still named one by one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ..models import Notice

SHOWN = 5  # warnings of one kind printed in full before the rest are counted

# kind -> what the counting line calls the posts; a kind missing here is never grouped
KINDS = {
    "date": "posts with an unparseable date",
    "no-date": "posts without a date",
    "title": "posts with a blank title",
    "url": "posts with a URL left out",
    "thumbnail": "posts whose thumbnail could not be resolved",
}


def log_grouped(notices: Iterable[Notice], log: logging.Logger) -> None:
    """Log ``notices`` in order, at most :data:`SHOWN` of a kind unless the log level is INFO or lower."""
    everything = log.isEnabledFor(logging.INFO)  # -v
    counts: dict[str, int] = {}
    for notice in notices:
        seen = counts[notice.kind] = counts.get(notice.kind, 0) + 1
        if everything or seen <= SHOWN or notice.kind not in KINDS:
            log.warning("%s", notice)
    for kind, count in counts.items():
        if not everything and kind in KINDS and count > SHOWN:
            log.warning("… and %s more %s (feeds build -v lists them all)", f"{count - SHOWN:,}", KINDS[kind])
