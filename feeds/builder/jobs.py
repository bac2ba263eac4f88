"""The files a build's plans make, each with a fingerprint of everything that goes into it.

A job is one file of a plan in one format.  Its fingerprint covers the
settings, the feed's own header and the stamps of the posts it lists, so a
build can tell without rendering whether the file it left would change.  With
archives most files are pages (40,000 at 100,000 posts) that an added post
leaves as they were: a page's fingerprint is made from what decides its header
(the feed's header, its place among the pages) without building that header,
which is made only for the pages to write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import TypeVar

from ..config import Config
from ..models import FeedJob, Image, Post, Site
from . import archive
from .links import ref_stamp
from .names import feed_name, file_name, page_url, place
from .planning import FeedPlan, feed_info, header_key

_REL = attrgetter("rel")
T = TypeVar("T")


@dataclass(frozen=True)
class Jobs:
    todo: list[FeedJob]  # files that are not as their inputs would make them now
    unchanged: list[str]  # names of the files that are


def make_jobs(
    config: Config,
    key: str,
    plans: Sequence[FeedPlan],
    shown: tuple[Sequence[Post], Mapping[str, bytes], Mapping[str, Image], Site],
    current: Callable[[str, str], bool],
    layouts: archive.Layouts | None = None,
    as_left: Callable[[str], bool] = lambda name: False,
    keys: Sequence[archive.Key] = (),
) -> Jobs:
    """Every file of ``plans``; ``current(name, fingerprint)``: the file is as a build with these
    inputs left it; ``as_left(name)``: the file is as the last build left it, whatever from.
    ``shown``: the posts that show, their digests, their thumbnails, the site; ``keys``: the site
    feed's posts' places in the feeds' order (with archives, from planning)."""
    stamps = _stamps(*shown)
    lead = f"({key!r}, {config.feeds.content!r}, "  # the key escaped once, not for every file
    jobs = Jobs([], [])
    site = plans[0] if plans and plans[0].kind == "site" else None  # plan_all puts it first
    in_order = _in_order(stamps, site) if layouts is not None and site is not None else []
    for plan in plans:
        header = header_key(plan)
        newest = _entries(stamps, plan.posts)
        pages: list[archive.Page] = []
        # Each document's posts are hashed once, for every format: with archives a post is in a
        # page of each feed it is in, and joining its stamp per format cost 1.5 s at 100,000 posts.
        entries = [newest]
        if layouts is not None:
            older = _past_newest(plan, site, in_order)
            whole = _digest(older) if older is not None else _entries(stamps, plan.older)
            inputs = _inputs(f"{lead}{header}", newest, whole)
            if _as_before(jobs, config, plan, layouts.unchanged(plan.folder, inputs), as_left):
                layouts.keep(plan.folder)
                continue
            older_keys = _past_newest(plan, site, keys) if keys else None
            pages = layouts.pages(plan.folder, plan.older, inputs, older_keys)
            entries += _page_entries(stamps, pages, older)
        for fmt in config.feeds.formats:
            head = f"{lead}{fmt!r}, {header}"
            if pages:
                _archived(jobs, current, config, plan, fmt, head, pages, entries)
                continue
            name = feed_name(config, plan.folder, fmt)
            fingerprint = _fingerprint(f"{head})", entries[0])
            if current(name, fingerprint):
                jobs.unchanged.append(name)
            else:
                jobs.todo.append(
                    FeedJob(name, fmt, feed_info(config, plan, fmt), _rels(plan.posts), fingerprint)
                )
    return jobs


def _in_order(stamps: Mapping[str, bytes], site: FeedPlan) -> list[bytes]:
    """The stamps of the site feed's posts, in its order: a category's, tag's or author's feed
    holds some of them, by their places (:attr:`FeedPlan.places`)."""
    return list(map(stamps.__getitem__, map(_REL, (*site.posts, *site.older))))


def _past_newest(plan: FeedPlan, site: FeedPlan | None, in_site_order: Sequence[T]) -> Sequence[T] | None:
    """What stands for each of ``plan.older`` in a list that has one item per post of the site feed,
    in its order: the plan's own part of it, by its places; None when they are not known.

    Stamps and keys so taken are read in order, where reaching each post for its path read
    memory at random: over the 288,000 places of 100,000 posts' category feeds, 0.04 s against
    0.19 to 0.24 s (the site feed's stamps are put in order once, 0.11 s, as its own join took
    before), and 0.13 s less for the site feed's pages' keys.
    """
    if site is None or not in_site_order:
        return None
    if plan is site:
        return in_site_order[len(plan.posts) :]
    if plan.places:
        return list(map(in_site_order.__getitem__, plan.places[len(plan.posts) :]))
    return None


def _page_entries(
    stamps: Mapping[str, bytes], pages: Sequence[archive.Page], older: Sequence[bytes] | None
) -> list[bytes]:
    """Each page's :func:`_entries`.  The pages (oldest first) hold the feed's older posts in
    order, each a run of them, so with those posts' stamps in hand (``older``, newest first) a
    page's are a slice: the site feed's 5,000 pages at 100,000 posts no longer reach each post."""
    if older is None:
        return [_entries(stamps, page.posts) for page in pages]
    found, end = [], len(older)
    for page in pages:
        start = end - len(page.posts)
        found.append(_digest(older[start:end]))
        end = start
    if end != 0:  # not a run each after all: never so, but then each page on its own
        return [_entries(stamps, page.posts) for page in pages]
    return found


def _inputs(head: str, newest: bytes, older: bytes) -> str:
    """What every file of an archived feed is made from: its header, and the stamps of its posts
    in order (a post added, removed, edited or moved in the order changes it)."""
    return hashlib.blake2b(
        head.encode("utf-8", "surrogateescape") + newest + older, digest_size=20
    ).hexdigest()


def _as_before(
    jobs: Jobs, config: Config, plan: FeedPlan, numbers: Sequence[int], as_left: Callable[[str], bool]
) -> bool:
    """Whether an archived feed made from the same inputs as last build (its pages ``numbers``; none:
    not so) still has every file as that build left it: then each is listed unchanged, with no
    fingerprint made.  A post added to a feed of 100,000 leaves most of the others so."""
    if not numbers:
        return False
    names = []
    for fmt in config.feeds.formats:
        where, fname = place(config, plan.folder, file_name(config, fmt))
        names.append(feed_name(config, plan.folder, fmt))
        names.extend("/".join((*where, *archive.page_path(fname, n))) for n in numbers)
    if not all(map(as_left, names)):
        return False
    jobs.unchanged.extend(names)
    return True


def _archived(
    jobs: Jobs,
    current: Callable[[str, str], bool],
    config: Config,
    plan: FeedPlan,
    fmt: str,
    head: str,
    pages: Sequence[archive.Page],
    entries: Sequence[bytes],
) -> None:
    """An archived feed's subscription document and pages, the header built only for those to write."""
    where, fname = place(config, plan.folder, file_name(config, fmt))
    here = page_url(config, where)
    numbers = [page.number for page in pages]
    name = feed_name(config, plan.folder, fmt)
    info = None
    fingerprint = _fingerprint(f"{head}, {numbers[-1]!r})", entries[0])  # links to the newest page
    if current(name, fingerprint):
        jobs.unchanged.append(name)
    else:
        info = feed_info(config, plan, fmt)
        links = archive.subscription_links(here, fname, info.self_url, numbers)
        jobs.todo.append(FeedJob(name, fmt, replace(info, archive=links), _rels(plan.posts), fingerprint))
    page_head = f"{head}, {here!r}, {fname!r}"
    for i, (page, digest) in enumerate(zip(pages, entries[1:], strict=True)):
        at = "/".join((*where, *archive.page_path(fname, page.number)))
        # A page's header is the feed's, its own URL and its neighbours': all told by these.
        around = (numbers[i - 1] if i else 0, page.number, numbers[i + 1] if i + 1 < len(numbers) else 0)
        fingerprint = _fingerprint(f"{page_head}, {around!r})", digest)
        if current(at, fingerprint):
            jobs.unchanged.append(at)
            continue
        info = info or feed_info(config, plan, fmt)
        # No hub on a page: nobody subscribes to one, and hubs hear only of subscription documents.
        links = archive.page_links(here, fname, info.self_url, numbers, i)
        page_info = replace(info, self_url=archive.page_url(here, fname, page.number), archive=links, hubs=())
        jobs.todo.append(FeedJob(at, fmt, page_info, _rels(page.posts), fingerprint))


def _rels(posts: Sequence[Post]) -> tuple[str, ...]:
    return tuple(map(_REL, posts))


def _stamps(
    posts: Sequence[Post], digests: Mapping[str, bytes], images: Mapping[str, Image], site: Site
) -> dict[str, bytes]:
    """Each shown post's stamp: what decides its entry besides the config (which is in ``key``).

    That is its file, bytes and path, which its digest stands for; and for some posts an outside
    input besides: the file's mtime when it stands in for a date, the fetched thumbnail, what its
    tags name.  Those are hashed with the digest into 16 bytes (with archives every post's stamp
    is joined into a page of each of its feeds: stamps of 200 bytes took 0.44 s to join at
    100,000 posts).  The digests are taken as they are, in one copy, and only the few others
    are made one by one: a call per post cost 0.36 s at 100,000 posts with archives.
    """
    stamps = dict(digests)
    for post in posts if images else [p for p in posts if p.dated_by_mtime or p.refs]:
        image = images.get(post.thumbnail or "") if images else None
        if image is None and not post.dated_by_mtime and not post.refs:
            continue
        when = post.date.isoformat() if post.dated_by_mtime else ""
        extra = f"\0{when}\0{image!r}\0".encode("utf-8", "surrogateescape")
        stamps[post.rel] = hashlib.blake2b(
            stamps[post.rel] + extra + ref_stamp(post, site), digest_size=16
        ).digest()
    return stamps


def _entries(stamps: Mapping[str, bytes], posts: Sequence[Post]) -> bytes:
    """A digest of what decides the entries of ``posts``, in their order (every post that shows
    has its stamp)."""
    return _digest(map(stamps.__getitem__, map(_REL, posts)))


def _digest(stamps: Iterable[bytes]) -> bytes:
    return hashlib.blake2b(b"".join(stamps), digest_size=20).digest()


def _fingerprint(head: str, entries: bytes) -> str:
    return hashlib.blake2b(head.encode("utf-8", "surrogateescape") + entries, digest_size=20).hexdigest()
