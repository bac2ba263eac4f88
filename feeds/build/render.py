"""Turn posts into feed files: clean their bodies, render each entry once, splice and write feeds.

A build splits the feed files into shares (see :func:`feeds.build.planning.partition`),
taken by the build process and its children; :func:`write_share` cleans the bodies of the
posts those feeds show (or takes them from the cache), serialises each entry
once for both formats, splices the feeds together, writes them, and stores
what it cleaned in the content cache.  Everything is passed in and only flat
results (manifest records, errors) come back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..content import Cleaner
from ..errors import PostError
from ..models import Content, FeedJob, Image, Post, Site
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
    """The content cache as a share sees it: what is there, and where to put what it cleans."""

    contents: Mapping[str, Content]  # rel -> content cleaned by an earlier build
    keys: Mapping[str, bytes]  # rel -> cache key of the post as it is now
    store: ContentStore | None  # None: no cache can be kept


def write_share(
    config: Config,
    root: Path,
    jobs: Sequence[FeedJob],
    posts: Mapping[str, Post],
    cache: Cached,
    images: Mapping[str, Image],
    site: Site,
) -> Share:
    """Render the posts ``jobs`` show, write the files, cache what was cleaned (in any process)."""
    needed = [posts[rel] for rel in dict.fromkeys(rel for job in jobs for rel in job.posts)]
    prepared = prepare(config, needed, cache.contents, images, site)
    pieces = {p.rel: p.pieces for p in prepared if p.content is not None}
    updated = {post.rel: post.updated for post in needed}
    fresh = [(p.rel, cache.keys[p.rel], p.content) for p in prepared if p.fresh and p.content is not None]
    # The content cache is written while the feeds are: both wait mostly on the disk.
    with ThreadPoolExecutor(max_workers=1) as pool:
        stored = pool.submit(cache.store.put, fresh) if cache.store is not None else None
        written = write_jobs(root, jobs, pieces, updated)
        cache_problem = stored.result() if stored is not None else None
    return Share(
        written=written,
        errors=[p.error for p in prepared if p.error is not None],
        lacking={job.name for job in jobs if any(rel not in pieces for rel in job.posts)},
        cache_problem=cache_problem,
    )


@dataclass(frozen=True)
class Prepared:
    """One post made ready for every feed it is in."""

    rel: str
    content: Content | None  # None when the body could not be read
    fresh: bool  # cleaned now, not taken from the cache
    pieces: dict[str, Fragment]  # format -> the serialised entry
    error: PostError | None = None


def clean_posts(
    config: Config, posts: Sequence[Post], site: Site
) -> list[tuple[str, Content | None, PostError | None]]:
    """Read and clean each post's body; a file that vanished or broke since it was parsed is an error."""
    cleaner = Cleaner(config.content, config.feeds, site)
    out: list[tuple[str, Content | None, PostError | None]] = []
    for post in posts:
        try:
            out.append((post.rel, cleaner.render(post, read_body(post)), None))
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
) -> list[Prepared]:
    """Content (cached or cleaned now) and each format's entry for every post in ``posts``."""
    cleaned = clean_posts(config, [p for p in posts if p.rel not in cached], site)
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


def write_jobs(
    root: Path,
    jobs: Sequence[FeedJob],
    pieces: Mapping[str, dict[str, Fragment]],
    updated: Mapping[str, datetime],
) -> list[tuple[str, Record, bool]]:
    """Write each job's file from prepared pieces: (name, manifest record, whether the bytes changed)."""
    written: list[tuple[str, bool]] = []
    with Batch() as batch:
        for job in jobs:
            shown = [rel for rel in job.posts if rel in pieces]
            newest = max((updated[rel] for rel in shown), default=EPOCH)
            data = assemble_feed(job.fmt, job.info, newest, [pieces[rel][job.fmt] for rel in shown])
            path = root / job.name
            changed = not same_bytes(path, data)
            if changed:
                batch.write(path, data)
            written.append((job.name, changed))
    by_name = {job.name: job for job in jobs}
    return [(name, record_for(root / name, by_name[name].fingerprint), changed) for name, changed in written]
