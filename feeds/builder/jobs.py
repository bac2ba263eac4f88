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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

from ..config import Config
from ..models import FeedJob, Image, Post, Site
from . import archive
from .links import ref_stamp
from .names import feed_name, file_name, page_url, place
from .planning import FeedPlan, feed_info, header_key

_REL = attrgetter("rel")


@dataclass(frozen=True)
class Jobs:
    todo: list[FeedJob]  # files that are not as their inputs would make them now
    unchanged: list[str]  # names of the files that are


def make_jobs(
    config: Config,
    key: str,
    plans: Sequence[FeedPlan],
    shown: tuple[Mapping[str, bytes], Mapping[str, Image], Site],
    current: Callable[[str, str], bool],
    layouts: archive.Layouts | None = None,
    as_left: Callable[[str], bool] = lambda name: False,
) -> Jobs:
    """Every file of ``plans``; ``current(name, fingerprint)``: the file is as a build with these
    inputs left it; ``as_left(name)``: the file is as the last build left it, whatever from.
    ``shown``: the posts' digests, their thumbnails, the site."""
    stamp, stamps = _stamper(*shown)
    lead = f"({key!r}, {config.feeds.content!r}, "  # the key escaped once, not for every file
    jobs = Jobs([], [])
    for plan in plans:
        header = header_key(plan)
        newest = _entries(stamp, stamps, plan.posts)
        pages: list[archive.Page] = []
        if layouts is not None:
            inputs = _inputs(f"{lead}{header}", newest, plan, stamp, stamps)
            if _as_before(jobs, config, plan, layouts.unchanged(plan.folder, inputs), as_left):
                layouts.keep(plan.folder)
                continue
            pages = layouts.pages(plan.folder, plan.older, inputs)
        # Each document's posts are hashed once, for every format: with archives a post is in a
        # page of each feed it is in, and joining its stamp per format cost 1.5 s at 100,000 posts.
        entries = [newest, *(_entries(stamp, stamps, page.posts) for page in pages)]
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


def _inputs(
    head: str, newest: bytes, plan: FeedPlan, stamp: Callable[[Post], bytes], stamps: Mapping[str, bytes]
) -> str:
    """What every file of an archived feed is made from: its header, and the stamps of its posts
    in order (a post added, removed, edited or moved in the order changes it)."""
    older = _entries(stamp, stamps, plan.older)
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


def _stamper(
    digests: Mapping[str, bytes], images: Mapping[str, Image], site: Site
) -> tuple[Callable[[Post], bytes], dict[str, bytes]]:
    """A post's stamp, worked out once per build, and the stamps worked out so far."""
    stamps: dict[str, bytes] = {}

    def stamp(post: Post) -> bytes:
        """The post's bytes (with the config, in ``key``) decide its entry, but for outside inputs:
        the file's mtime when it stands in for a date, the fetched thumbnail, what its tags name.

        Hashed to 16 bytes: with archives every post's stamp is joined into a page of each of
        its feeds, and the joins of stamps of 200 bytes took 0.44 s at 100,000 posts."""
        found = stamps.get(post.rel)
        if found is None:
            image = images.get(post.thumbnail or "") if images else None
            when = post.date.isoformat() if post.dated_by_mtime else ""
            extra = f"{post.rel}\0{when}\0{image!r}\0".encode("utf-8", "surrogateescape")
            found = hashlib.blake2b(
                digests[post.rel] + extra + ref_stamp(post, site), digest_size=16
            ).digest()
            stamps[post.rel] = found
        return found

    return stamp, stamps


def _entries(stamp: Callable[[Post], bytes], stamps: Mapping[str, bytes], posts: Sequence[Post]) -> bytes:
    """A digest of what decides the entries of ``posts``, in their order.

    Joined by lookups alone once every post has its stamp (the site feed comes
    first and holds them all): with archives, 400,000 calls of ``stamp`` for
    100,000 posts' pages were a sixth of planning a build that added one post.
    """
    try:
        joined = b"".join(map(stamps.__getitem__, map(_REL, posts)))
    except KeyError:
        joined = b"".join([stamp(p) for p in posts])
    return hashlib.blake2b(joined, digest_size=20).digest()


def _fingerprint(head: str, entries: bytes) -> str:
    return hashlib.blake2b(head.encode("utf-8", "surrogateescape") + entries, digest_size=20).hexdigest()
