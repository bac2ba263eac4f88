"""Turn posts into feed files: clean their bodies, render each entry once, splice and write feeds.

A build splits the feed files into shares (see :func:`feeds.builder.planning.partition`),
taken by the build process and its children; :func:`write_share` cleans the bodies of the
posts those feeds show (or takes them from the cache), serialises each entry
once for both formats, splices the feeds together, writes them, and stores
what it cleaned in the content cache.  Everything is passed in and only flat
results (manifest records, errors) come back.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence, Set
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..config import Config
from ..content import Cleaner, make_cleaner
from ..errors import PostError
from ..models import Content, FeedJob, Image, Post, Site, order_key
from ..output import (
    EPOCH,
    Batch,
    Entry,
    Fragment,
    Record,
    assemble_feed,
    record_for,
    render_pieces,
    same_bytes,
)
from ..source import read_body
from .contentcache import ContentStore


@dataclass(frozen=True)
class Share:
    """What was done with one share of the feeds."""

    written: list[tuple[str, Record, bool]]  # (name, manifest record, whether the bytes changed)
    errors: list[PostError]  # posts whose body could not be used
    lacking: set[str]  # feeds written without such a post: to be retried next build
    cache_problem: str | None = None  # why the content it cleaned could not be cached


@dataclass(frozen=True)
class Cached:
    """The content cache as a share sees it: which posts it holds, and where to read and put content."""

    held: frozenset[str]  # rels whose cleaned content an earlier build stored, for their bytes as now
    keys: Mapping[str, bytes]  # rel -> cache key of the post as it is now
    store: ContentStore | None  # None: no cache can be kept

    def get(self, rels: Sequence[str], stored: Set[str] = frozenset()) -> Mapping[str, Content]:
        """The content of ``rels`` held before the build or ``stored`` by this share since."""
        wanted = {rel: self.keys[rel] for rel in rels if rel in self.held or rel in stored}
        return self.store.get(wanted) if wanted and self.store is not None else {}


WINDOW = 500  # posts made ready at a time: entries rendered in batches, few enough to hold
# Posts whose entries a share keeps between files, at most: 10 to 16 MB for two or three formats
# (the 10,000-post benchmark's entries are 2.6 KB each in RSS and in Atom).
HOLD = 2_000


def write_share(
    config: Config,
    root: Path,
    jobs: Sequence[FeedJob],
    posts: Mapping[str, Post],
    cache: Cached,
    images: Mapping[str, Image],
    site: Site,
    bodies: Mapping[str, str] | None = None,
) -> Share:
    """Render the posts ``jobs`` show, write the files, cache what was cleaned (in any process).

    ``bodies``: the bodies kept since the posts were parsed (the rest are read again).

    The files are written newest posts first, a window of posts made ready at
    a time; a post's entries are kept for the later files that show it, up to
    :data:`HOLD` posts (see :class:`_Held`).  With archived feeds a share can
    show a hundred thousand posts: memory stays bounded all the same.
    """
    ordered = sorted(jobs, key=partial(newest_first_key, posts, config.feeds.order_by))
    held = _Held(ordered)
    cleaner = make_cleaner(config, site)
    errors: list[PostError] = []
    failed: set[str] = set()  # posts whose body could not be used: left out, and not tried again
    changed: list[tuple[str, bool]] = []
    # The content cache is written while the feeds are: both wait mostly on the disk.
    with ThreadPoolExecutor(max_workers=1) as pool, Batch() as batch:
        putter = _Putter(pool, cache.store)
        start = 0
        while start < len(ordered):
            end, window = _window(ordered, start, lambda rel: rel in held.pieces or rel in failed)
            ready = [posts[rel] for rel in window]
            prepared = prepare(config, ready, cache.get(window, putter.stored), images, site, cleaner, bodies)
            held.pieces.update((p.rel, p.pieces) for p in prepared if p.content is not None)
            failed.update(p.rel for p in prepared if p.content is None)
            errors.extend(p.error for p in prepared if p.error is not None)
            putter.put([(p.rel, cache.keys[p.rel], p.content) for p in prepared if p.fresh and p.content])
            for i in range(start, end):
                changed.append(write_job(batch, root, ordered[i], held.pieces, posts))
                held.done(i)
            held.trim(end)
            start = end
        problem = putter.finish()
    by_name = {job.name: job for job in jobs}
    return Share(
        written=[(name, record_for(root / name, by_name[name].fingerprint), c) for name, c in changed],
        errors=errors,
        lacking={job.name for job in jobs if not failed.isdisjoint(job.posts)},
        cache_problem=problem,
    )


def newest_first_key(posts: Mapping[str, Post], by: str, job: FeedJob) -> tuple[float, str]:
    """Files showing newer posts first (a feed's subscription document, then its pages, newest first),
    by the date the feeds are ordered by."""
    if not job.posts:
        return (float("-inf"), job.name)
    return (-order_key(posts[job.posts[0]], by)[0], job.name)


class _Held:
    """The entries a share keeps between files.

    A post's entries stay until the last file that shows it; past :data:`HOLD`
    posts, those whose next file is furthest away go (the best choice when the
    order of files is known) and are made again for it, from the content cache.
    A tag's or an author's archive page spans years, so its posts would
    otherwise wait for the site's pages of their own dates: 6,566 of 9,000
    posts held at once with 400 tags, measured.  The entries kept are copied out
    of the documents they were cut from, which a single kept entry would keep
    whole (a hundred entries).
    """

    def __init__(self, ordered: Sequence[FeedJob]):
        self.uses: dict[str, list[int]] = {}  # rel -> the files that show it, by index, ascending
        for i, job in enumerate(ordered):
            for rel in job.posts:
                self.uses.setdefault(rel, []).append(i)
        self.pieces: dict[str, dict[str, Fragment]] = {}
        self.ordered = ordered

    def done(self, i: int) -> None:
        """File ``i`` is written: let go of the posts no later file shows."""
        for rel in self.ordered[i].posts:
            if self.uses[rel][-1] == i:
                self.pieces.pop(rel, None)

    def trim(self, now: int) -> None:
        """Past :data:`HOLD` posts, keep the three quarters needed soonest, as entries of their own."""
        if len(self.pieces) <= HOLD:
            return
        soon = sorted(self.pieces, key=lambda rel: self._next(rel, now))
        for rel in soon[HOLD * 3 // 4 :]:
            del self.pieces[rel]
        for rel in soon[: HOLD * 3 // 4]:
            kept = self.pieces[rel]
            if any(isinstance(piece, memoryview) for piece in kept.values()):
                self.pieces[rel] = {fmt: bytes(piece) for fmt, piece in kept.items()}

    def _next(self, rel: str, now: int) -> int:
        """The next file that shows a post held (every post held has one: see :meth:`done`)."""
        uses = self.uses[rel]
        return uses[bisect.bisect_left(uses, now)]


class _Putter:
    """Stores cleaned content one window at a time, the next waiting for the last; knows what is stored."""

    def __init__(self, pool: ThreadPoolExecutor, store: ContentStore | None):
        self.pool, self.store = pool, store
        self.stored: set[str] = set()  # rels this share stored, to read back if it lets them go
        self.running: tuple[Future[str | None], list[str]] | None = None
        self.problem: str | None = None

    def put(self, fresh: list[tuple[str, bytes, Content]]) -> None:
        if self.store is None or not fresh:
            return
        self._wait()
        self.running = (self.pool.submit(self.store.put, fresh), [rel for rel, _, _ in fresh])

    def finish(self) -> str | None:
        self._wait()
        return self.problem

    def _wait(self) -> None:
        if self.running is not None:
            future, rels = self.running
            problem = future.result()
            if problem is None:
                self.stored.update(rels)
            self.problem = problem or self.problem
            self.running = None


def _window(jobs: Sequence[FeedJob], start: int, done: Callable[[str], bool]) -> tuple[int, list[str]]:
    """The jobs from ``start`` whose posts not yet ready number about :data:`WINDOW`, and those posts."""
    window: dict[str, None] = {}
    end = start
    while end < len(jobs) and (end == start or len(window) < WINDOW):
        window.update((rel, None) for rel in jobs[end].posts if not done(rel))
        end += 1
    return end, list(window)


@dataclass(frozen=True)
class Prepared:
    """One post made ready for every feed it is in."""

    rel: str
    content: Content | None  # None when the body could not be read
    fresh: bool  # cleaned now, not taken from the cache
    pieces: dict[str, Fragment]  # format -> the serialised entry
    error: PostError | None = None


def clean_posts(
    config: Config,
    posts: Sequence[Post],
    site: Site,
    cleaner: Cleaner | None = None,
    bodies: Mapping[str, str] | None = None,
) -> list[tuple[str, Content | None, PostError | None]]:
    """Read (unless kept in ``bodies``) and clean each post's body; a file that vanished or broke
    since it was parsed is an error."""
    cleaner = cleaner or make_cleaner(config, site)
    bodies = bodies or {}
    out: list[tuple[str, Content | None, PostError | None]] = []
    for post in posts:
        try:
            body = bodies.get(post.rel)
            out.append((post.rel, cleaner.render(post, read_body(post) if body is None else body), None))
        except PostError as e:
            out.append((post.rel, None, e))
        except Exception as e:  # one odd body never stops the others
            reason = f"body cannot be used ({type(e).__name__}: {e})"
            out.append((post.rel, None, PostError(reason, path=Path(post.path))))
    return out


def prepare(
    config: Config,
    posts: Sequence[Post],
    cached: Mapping[str, Content],
    images: Mapping[str, Image],
    site: Site,
    cleaner: Cleaner | None = None,
    bodies: Mapping[str, str] | None = None,
) -> list[Prepared]:
    """Content (cached or cleaned now) and each format's entry for every post in ``posts``."""
    cleaned = clean_posts(config, [p for p in posts if p.rel not in cached], site, cleaner, bodies)
    fresh = {rel: (content, error) for rel, content, error in cleaned}
    ready: list[tuple[Post, Content]] = []
    out: dict[str, Prepared] = {}
    for post in posts:
        content, error = (cached[post.rel], None) if post.rel in cached else fresh[post.rel]
        if content is None:
            out[post.rel] = Prepared(post.rel, None, False, {}, error)
        else:
            ready.append((post, content))
    entries = [Entry(p, c, images.get(p.thumbnail or ""), config.feeds.content) for p, c in ready]
    by_format = render_pieces(config.feeds.formats, entries, config.site.language)
    for i, (post, content) in enumerate(ready):
        pieces = {fmt: fragments[i] for fmt, fragments in by_format.items()}
        out[post.rel] = Prepared(post.rel, content, post.rel not in cached, pieces)
    return [out[p.rel] for p in posts]


def write_job(
    batch: Batch,
    root: Path,
    job: FeedJob,
    pieces: Mapping[str, dict[str, Fragment]],
    posts: Mapping[str, Post],
) -> tuple[str, bool]:
    """Write one file from prepared pieces (a post that could not be made ready is left out);
    whether its bytes changed."""
    shown = [rel for rel in job.posts if rel in pieces]
    newest = max((posts[rel].updated for rel in shown), default=EPOCH)
    data = assemble_feed(job.fmt, job.info, newest, [pieces[rel][job.fmt] for rel in shown])
    path = root / job.name
    changed = not same_bytes(path, data)
    if changed:
        batch.write(path, data)
    return job.name, changed
