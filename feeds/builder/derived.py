"""The files made from the plans rather than from posts: ``feeds.opml``, ``feeds.html``, page links.

Each plan becomes a :class:`~feeds.output.Listing` (which feed, its files and
URLs, post count, newest date); the OPML and index writers and the
autodiscovery pass take only listings.  Both files are tracked by the
manifest like the feeds (so turning one off removes it), written atomically,
and left untouched when their bytes would not change.  Their manifest record's
fingerprint is a key of what they are made from (each plan's place, title,
count and newest date, the site and feed settings, the package): making them
took 25 ms of a build with one post edited at 10,000 posts (637 feeds), which
an unchanged key now skips.  A build with nothing to do never gets this far.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from ..config import Config
from ..output import INDEX_NAME, OPML_NAME, FeedFile, Listing, Record, record_for
from ..urls import site_root
from .names import DERIVED, PAGES_STATE, feed_name, feed_url, file_name, page_url
from .planning import FeedPlan


def listings(config: Config, plans: Iterable[FeedPlan]) -> list[Listing]:
    """One listing per plan, with a file per format in ``feeds.formats``."""
    return [_listing(config, plan) for plan in plans]


def _listing(config: Config, plan: FeedPlan) -> Listing:
    files = tuple(
        FeedFile(
            fmt, feed_name(config, plan.folder, fmt), feed_url(config, plan.folder, file_name(config, fmt))
        )
        for fmt in config.feeds.formats
    )
    newest = _newest(plan)
    return Listing(
        kind=plan.kind,
        path=plan.path,
        folder=plan.folder,
        title=plan.info_title,
        page=page_url(config, plan.folder),
        files=files,
        posts=plan.count,
        newest=newest.astimezone(config.tz) if newest is not None else None,
    )


@dataclass(frozen=True)
class Derived:
    """The files made from the plans: their names, the key of their inputs, and how to make them."""

    names: tuple[str, ...]
    key: str
    make: Callable[[], dict[str, bytes]]  # not called when every file is current for ``key``

    def current(self, root: Path, old: Mapping[str, Record]) -> bool:
        """Every file is as the last build that made it from these inputs left it."""
        from ..output import is_current

        return all(is_current(root, name, old.get(name), self.key) for name in self.names)


def derived_files(config: Config, cache_key: str, plans: Sequence[FeedPlan]) -> Derived:
    """What ``feeds.opml`` and ``feeds.html`` are made from, keyed without making them."""
    wanted = ((OPML_NAME, config.feeds.opml), (INDEX_NAME, config.feeds.index))
    digest = hashlib.blake2b(_bytes((cache_key, config.site, config.feeds)), digest_size=20)
    for plan in plans:
        digest.update(_bytes((plan.kind, plan.path, plan.folder, plan.info_title, plan.count, _newest(plan))))
    make = partial(_make, config, plans)
    return Derived(tuple(name for name, on in wanted if on), digest.hexdigest(), make)


def _newest(plan: FeedPlan) -> datetime | None:
    """The date a listing shows for its feed, and so part of the lists' key."""
    return max((p.date for p in plan.posts), default=None)


def _make(config: Config, plans: Sequence[FeedPlan]) -> dict[str, bytes]:
    return render_derived(config, listings(config, plans))


def _bytes(value: object) -> bytes:
    return repr(value).encode("utf-8", "surrogateescape")


def render_derived(config: Config, found: Sequence[Listing]) -> dict[str, bytes]:
    """The bytes of each file the config asks for, by name under the output folder."""
    from ..output import render_index, render_opml

    site = config.site
    out: dict[str, bytes] = {}
    if config.feeds.opml:
        newest = max((x.newest for x in found if x.newest is not None), default=None)
        owner = site.author or site.title
        out[OPML_NAME] = render_opml(f"{site.title} feeds", owner, found, config.feeds.opml_format, newest)
    if config.feeds.index:
        opml = OPML_NAME if config.feeds.opml else ""
        out[INDEX_NAME] = render_index(site.title, site.description, site.language, found, opml)
    return out


def write_derived(
    root: Path, derived: Derived, old: Mapping[str, Record], made: Mapping[str, bytes] | None = None
) -> list[tuple[str, Record, bool]]:
    """Make and write the files unless all are current for their key: (name, record, whether written).

    ``made``: their bytes, made already (while the workers wrote feeds).
    """
    from ..output import same_bytes, write_atomic

    if derived.current(root, old):
        return [(name, old[name], False) for name in derived.names]
    done = []
    for name, data in (made or derived.make()).items():
        path = root / name
        changed = not same_bytes(path, data)
        if changed:
            write_atomic(path, data)
        done.append((name, record_for(path, derived.key), changed))
    return done


def link_site_pages(config: Config, root: Path, found: Sequence[Listing]) -> int:
    """Autodiscovery links in the site's own pages (``feeds.autodiscovery``); how many pages changed."""
    from ..output import link_pages, plan_links

    skip = set(DERIVED)
    return link_pages(root, site_root(config.site.url), plan_links(found), config.cache / PAGES_STATE, skip)
