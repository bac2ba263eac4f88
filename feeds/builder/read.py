"""Read the source folder incrementally: parse only files that changed since the last build.

A file whose size and mtime match the cache is not opened.  One whose mtime
moved is read and hashed; if its bytes are the same it is not parsed again
(unless its date came from that very mtime).  Everything else is parsed, in
worker processes when there are many (a cold build), and the warnings they
collect come back in path order, so output does not depend on timing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from ..config import Config
from ..errors import FeedsError, PostError
from ..models import Notice
from ..source import UNKNOWN, SourceFile, decode, parse_text_body, read_file_stat
from .parallel import MAX_SHARED, Background, chunks, run_shared, workers
from .postcache import BuildCache, PostRecord, digest
from .progress import Progress

log = logging.getLogger(__name__)

Todo = tuple[SourceFile, PostRecord | None]
_BACKGROUND_SAVE = 5_000  # posts; below this the cache is saved at once (forking costs more)
_CHUNK = 200  # posts per task: small enough to share the work out evenly and to show progress
# Bodies kept between reading and writing, per process, so that the posts that show are not opened
# again: 16 M characters hold a process's half of the 10,000-post benchmark's bodies (1.9 K each).
# Only when few posts are read: at 100,000 posts a tenth show, and keeping the first bodies read
# (and sending a worker's through its pipe) took the cold build from 0.67x Hugo's time to 0.93x
# and its peak memory from 363 MB to 503 MB; there every body that shows is read again.
KEEP_BODIES = 16 << 20
KEEP_BELOW = 20_000  # posts to read


class Kept:
    """The bodies one process keeps of the posts it parsed, up to :data:`KEEP_BODIES` characters.

    A forked worker has its own copy, so each process counts its own; what
    a worker keeps travels back with its records.
    """

    def __init__(self, budget: int | None = None):
        self.left = KEEP_BODIES if budget is None else budget

    def take(self, body: str | None) -> str | None:
        if body is None or len(body) > self.left:
            return None
        self.left -= len(body)
        return body


@dataclass(frozen=True)
class Read:
    """What reading the source gave: every file's record in path order, how many changed (added,
    edited or gone), the warnings about the posts parsed anew (in path order, so output does not
    depend on timing), the cache being saved (to be joined before the build ends), and the
    bodies kept of the posts parsed (see :class:`Kept`)."""

    records: dict[str, PostRecord]
    changed: int
    notices: list[Notice]
    saving: Background | None
    bodies: dict[str, str]


def read_sources(
    config: Config,
    files: list[SourceFile],
    cache: BuildCache,
    progress: Progress,
    *,
    parallel_min: int,
    meanwhile: Callable[[], object] | None = None,
) -> Read:
    """Parse what changed; see :class:`Read`.

    ``files`` is emptied once read: the walk's list (27 MB at 100,000 posts)
    would otherwise stay while the cache is saved and the feeds are written.
    Saving the cache of a large archive takes a while, so it goes on in a
    forked child while feeds are made.
    """
    old = cache.posts.load()
    records: dict[str, PostRecord] = {}
    todo: list[Todo] = []
    for f in files:
        known = old.get(f.rel)
        if known is not None and known.size == f.size and known.mtime_ns == f.mtime_ns:
            records[f.rel] = known
        else:
            todo.append((f, known))
            records[f.rel] = known  # type: ignore[assignment]  # a placeholder, keeps path order
    changed = 0
    notices: list[Notice] = []
    bodies: dict[str, str] = {}
    kept = Kept() if len(todo) < KEEP_BELOW else Kept(0)
    fresh: dict[str, PostRecord | None] = {}
    parts = chunks(todo, min(MAX_SHARED, max(workers() * 4, len(todo) // _CHUNK))) if todo else []
    with progress.phase("reading posts", len(todo)) as advance:
        tasks = [partial(_parse_chunk, config, part, kept) for part in parts]
        for result in run_shared(tasks, parallel=len(todo) >= parallel_min, meanwhile=meanwhile):
            for rel, record, notes, reparsed, body in result:
                notices.extend(notes)
                if body is not None:
                    bodies[rel] = body
                if record is None:  # a file the walk did not stat, and cannot: skipped, as it would be
                    del records[rel]
                    continue
                records[rel] = fresh[rel] = record
                changed += reparsed
            advance(len(result))
    del todo, parts, tasks
    files.clear()
    records = _keyed_by_post(records)
    gone = set(old) - set(records)
    saving = None
    if fresh or gone:
        changes = {**fresh, **dict.fromkeys(gone)}
        if len(records) >= _BACKGROUND_SAVE and cache.posts.rewrites(records, changes):
            saving = Background(partial(_save, cache, records, changes))
        else:
            _save(cache, records, changes)
    return Read(records, changed + len(gone), notices, saving, bodies)


def _keyed_by_post(records: dict[str, PostRecord]) -> dict[str, PostRecord]:
    """The records keyed by their posts' own ``rel`` strings, in the same order.

    The walk's strings keyed them, and a post holds the string it was parsed or
    loaded with (a copy, from another process or the cache): at 100,000 posts
    17 MB of paths were held twice after a load from the cache (half that after
    a cold build's parse in two processes), and pickled twice into the cache.
    """
    return {(r.post.rel if r.post is not None else rel): r for rel, r in records.items()}


Parsed = tuple[str, "PostRecord | None", list[Notice], bool, "str | None"]


def _parse_chunk(config: Config, todo: Sequence[Todo], kept: Kept) -> list[Parsed]:
    """(rel, record, warnings, parsed anew, body kept) for each file (record None: not a file after all)."""
    out: list[Parsed] = []
    for f, known in todo:
        notes: list[Notice] = []
        path = f.path
        try:  # the open file's size and mtime: a first build's walk did not stat (UNKNOWN)
            data, info = read_file_stat(path)
            size, mtime_ns = info.st_size, info.st_mtime_ns
        except OSError as e:
            reason = f"cannot read: {e.strerror or e}"
            size, mtime_ns = f.size, f.mtime_ns
            if size == UNKNOWN:
                try:  # what the walk would have recorded, so the next build's inputs match
                    info = os.stat(path)
                    size, mtime_ns = info.st_size, info.st_mtime_ns
                except OSError:  # the walk would have skipped it with a warning
                    out.append((f.rel, None, [Notice("unreadable", path, reason)], False, None))
                    continue
            out.append((f.rel, PostRecord(size, mtime_ns, b"", None, reason), notes, True, None))
            continue
        key = digest(data, f.rel)
        if known is not None and known.digest == key and not (known.post and known.post.dated_by_mtime):
            out.append((f.rel, PostRecord(size, mtime_ns, key, known.post, known.error), notes, False, None))
            continue
        body = None
        try:
            post, body = parse_text_body(path, decode(data, path), config, notes=notes, rel=f.rel)
            record = PostRecord(size, mtime_ns, key, post)
        except PostError as e:
            record = PostRecord(size, mtime_ns, key, None, e.reason)
        except Exception as e:  # whatever else one odd post trips over, the others are still built
            record = PostRecord(size, mtime_ns, key, None, f"cannot be used ({type(e).__name__}: {e})")
        out.append((f.rel, record, notes, True, kept.take(body)))
    return out


def _save(cache: BuildCache, records: dict[str, PostRecord], changes: dict[str, PostRecord | None]) -> None:
    """A cache that cannot be written costs the next build time, never this build its feeds."""
    try:
        cache.posts.save(records, changes)
    except FeedsError as e:
        log.warning("%s; the next build reads every post again", e)
