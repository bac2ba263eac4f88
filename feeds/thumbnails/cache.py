"""The thumbnail cache: one JSON file, what each URL resolved to, and when to ask again.

It is what makes a rebuild free: a fresh entry answers with no request, a
stale one is revalidated with its ETag or Last-Modified, and a failing URL
waits out an exponential backoff instead of being asked on every build.  The
file is only ever an optimisation, so a damaged one is set aside and the build
goes on without it.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..errors import FeedsError
from ..models import Image
from ..output import write_atomic

logger = logging.getLogger(__name__)

VERSION = 1
FIRST_BACKOFF = 3600.0  # seconds before a failed URL is asked again; doubles with each failure
UNUSED_TTLS = 4  # an entry no post has used for this many ttls is pruned
CLOCK_SKEW = 300.0  # an entry stamped further in the future than this is distrusted, not kept forever


@dataclass(frozen=True)
class Entry:
    """What one original thumbnail URL resolved to last time, or why it did not."""

    url: str | None = None  # final URL after redirects; None while the URL is failing
    type: str | None = None
    length: int | None = None
    width: int | None = None
    height: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    checked: float = 0.0  # epoch seconds of the last answer from the server (200, 206, 304 or failure)
    failures: int = 0  # consecutive failures; 0 for a good entry
    reason: str | None = None  # the last failure, for the report
    retry_at: float = 0.0  # epoch seconds before which a failing URL is not asked again
    used: float = 0.0  # epoch seconds a build last wanted this URL (kept to within a ttl: see ``use``)

    @property
    def ok(self) -> bool:
        return self.failures == 0 and self.url is not None

    def image(self) -> Image:
        assert self.url is not None
        return Image(self.url, self.type, self.length, self.width, self.height)

    def fresh(self, now: float, ttl: float) -> bool:
        return self.ok and self.checked <= now + CLOCK_SKEW and now - self.checked < ttl

    @property
    def failing(self) -> bool:
        return self.failures > 0

    def backing_off(self, now: float, ttl: float) -> bool:
        """Still waiting; a retry_at beyond any wait this code sets means the clock was set back."""
        return self.failing and now < self.retry_at <= now + ttl + CLOCK_SKEW

    def refreshed(self, now: float) -> Entry:
        """A 304 said the stored answer still holds."""
        return replace(self, checked=now)

    def last_used(self) -> float:
        """When a build last wanted it; an entry from before ``used`` was kept counts from its answer."""
        return self.used or self.checked

    def failed(self, reason: str, now: float, ttl: float, retry_after: float | None = None) -> Entry:
        """Next failure state: the wait doubles from an hour, or is a longer Retry-After; capped at ttl."""
        count = self.failures + 1
        wait = max(FIRST_BACKOFF * 2.0 ** min(count - 1, 40), retry_after or 0.0)
        return Entry(checked=now, failures=count, reason=reason, retry_at=now + min(wait, ttl), used=now)


def use(entries: dict[str, Entry], wanted: Iterable[str], now: float, ttl: float) -> bool:
    """Stamp the entries a build wants, and drop those no build wanted for ``4 * ttl``; True if any changed.

    A stamp is renewed only once it is a ttl old, so a build that wants the same
    thumbnails as the last one does not rewrite the file just to say so.
    """
    changed = False
    keep = set(wanted)
    for url in keep:
        entry = entries.get(url)
        if entry is not None and not 0 <= now - entry.used < ttl:
            entries[url] = replace(entry, used=now)
            changed = True
    for url in [url for url, entry in entries.items() if url not in keep]:
        if now - entries[url].last_used() > UNUSED_TTLS * ttl:
            del entries[url]
            changed = True
    return changed


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "url": (str,),
    "type": (str,),
    "length": (int,),
    "width": (int,),
    "height": (int,),
    "etag": (str,),
    "last_modified": (str,),
    "checked": (int, float),
    "failures": (int,),
    "reason": (str,),
    "retry_at": (int, float),
    "used": (int, float),
}


def _entry(raw: Any) -> Entry | None:
    """An Entry from its JSON form, or None when a field has the wrong type (that entry is refetched)."""
    if not isinstance(raw, dict):
        return None
    values: dict[str, Any] = {}
    for f in fields(Entry):
        value = raw.get(f.name)
        if value is None:
            continue
        if not isinstance(value, _FIELD_TYPES[f.name]) or isinstance(value, bool):
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return None
        values[f.name] = (
            float(value) if isinstance(value, int) and f.name in ("checked", "retry_at", "used") else value
        )
    return Entry(**values)


def load(path: Path) -> dict[str, Entry]:
    """The cache's entries; empty when there is no file, or one this version cannot read.

    A file that is not valid JSON (a disk filled up, a hand edit) is renamed to
    ``<name>.corrupt`` so that it can be looked at, and is never fatal.
    """
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        logger.warning("thumbnail cache %s cannot be read (%s); starting without it", path, e.strerror or e)
        return {}
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or not isinstance(doc.get("entries", {}), dict):
            raise ValueError("not a JSON object with an 'entries' object")
    except ValueError as e:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        _set_aside(path, str(e))
        return {}
    if doc.get("version") != VERSION:
        logger.info(
            "thumbnail cache %s has format version %r, not %d; starting afresh",
            path,
            doc.get("version"),
            VERSION,
        )
        return {}
    entries: dict[str, Entry] = {}
    for url, raw in doc.get("entries", {}).items():
        entry = _entry(raw)
        if entry is not None:
            entries[url] = entry
    return entries


def _set_aside(path: Path, why: str) -> None:
    aside = path.with_name(path.name + ".corrupt")
    try:
        path.replace(aside)
    except OSError as e:
        logger.warning("thumbnail cache %s is damaged (%s) and cannot be moved aside: %s", path, why, e)
        return
    logger.warning("thumbnail cache %s is damaged (%s); moved it to %s and starting afresh", path, why, aside)


def save(path: Path, entries: Mapping[str, Entry]) -> None:
    """Write the whole cache atomically; a failure is a warning, since the cache only saves time."""
    doc = {
        "version": VERSION,
        "entries": {
            url: {k: v for k, v in asdict(entry).items() if v is not None}
            for url, entry in sorted(entries.items())
        },
    }
    data = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
    try:
        write_atomic(path, data)
    except (FeedsError, OSError) as e:  # OSError: write_atomic's mkdir is outside its own conversion
        logger.warning("thumbnail cache not saved: %s", e)
