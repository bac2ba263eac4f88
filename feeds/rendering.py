"""Turn posts into feed files: clean their bodies, render entries once, splice and write feeds.

These functions run in worker processes during a large build, so they take
everything they need as arguments and hand back only small results.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .atomic import write_if_changed
from .config import Config
from .content import Cleaner
from .errors import PostError
from .models import Content, FeedJob, Image, Post
from .output import Record, record_for
from .posts import read_body
from .writers import Entry, assemble, newest, render_fragments


def clean_posts(config: Config, posts: Sequence[Post]) -> list[tuple[str, Content | None, PostError | None]]:
    """Read and clean each post's body; a file that vanished or broke since it was parsed is an error."""
    cleaner = Cleaner(config.content, config.feeds)
    out: list[tuple[str, Content | None, PostError | None]] = []
    for post in posts:
        try:
            out.append((post.rel, cleaner.render(post, read_body(post)), None))
        except PostError as e:
            out.append((post.rel, None, e))
    return out


def render_jobs(
    config: Config,
    root: Path,
    jobs: Sequence[FeedJob],
    posts: dict[str, Post],
    contents: dict[str, Content],
    images: dict[str, Image],
) -> list[tuple[str, Record, bool]]:
    """Write every job (all of one format): (name, manifest record, whether the bytes changed)."""
    if not jobs:
        return []
    fmt = jobs[0].fmt
    wanted = list(dict.fromkeys(rel for job in jobs for rel in job.posts if rel in contents))
    entries = {
        rel: Entry(posts[rel], contents[rel], images.get(posts[rel].thumbnail or ""), config.feeds.content)
        for rel in wanted
    }
    pieces = dict(zip(wanted, render_fragments(fmt, [entries[rel] for rel in wanted]), strict=True))

    def write(job: FeedJob) -> tuple[str, Record, bool]:
        shown = [rel for rel in job.posts if rel in pieces]
        data = assemble(
            fmt, job.info, newest([entries[rel] for rel in shown]), [pieces[rel] for rel in shown]
        )
        path = root / job.name
        changed = write_if_changed(path, data)
        return job.name, record_for(path, job.fingerprint), changed

    # fsync waits on the disk, not the CPU: a few threads keep several in flight.
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(write, jobs))
