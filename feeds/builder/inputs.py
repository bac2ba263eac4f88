"""What a build's files depend on, known without reading a post: the check that lets most cron runs stop.

A build's inputs are the settings, the package, and every source file's path,
size and mtime (and the files ``{% include_code %}`` may show).  Their token is
kept in the manifest; a build whose token matches and whose files are as it left
them has nothing to do.  This module loads nothing that parses or renders, so
such a build ends after importing little more than the config.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..config import Config
from ..output import Manifest, all_current
from .names import PAGES_STATE
from .postcache import WHICH_FILES


def plan_key(config: Config, cache_key: str) -> str:
    """The cache key, and the settings that change which feeds exist but not what a post parses to
    (kept out of the cache key, so that changing a filter does not read every post again)."""
    switches = tuple(getattr(config.feeds, name) for name in WHICH_FILES)
    return f"{cache_key}\n{(config.tags, config.authors, config.filters, switches)!r}"


def inputs_token(key: str, files: Iterable[tuple[str, int, int]]) -> str:
    """Changes when the config, the package, or any source file's path, size or mtime does.

    ``files``: (rel, size, mtime_ns) in path order, from the walk or, after a first build
    whose walk did not stat, from the records of the files it read.
    """
    token = hashlib.sha256(key.encode())
    for rel, size, mtime_ns in files:
        token.update(f"\n{rel}\t{size}\t{mtime_ns}".encode("utf-8", "surrogateescape"))
    return token.hexdigest()


def nothing_to_do(config: Config, root: Path, manifest: Manifest, token: str) -> bool:
    """Same inputs as the last complete build and its files untouched: no post needs even a look.

    Not with the fetcher on, whose cached answers age and are worth a look each run.
    """
    if config.fetch.enabled or not manifest.files or manifest.state.inputs != token:
        return False
    if manifest.state.due and time.time() >= manifest.state.due:
        return False  # a post left out for its future date is due now
    if not all_current(root, manifest.files):
        return False
    if not config.feeds.autodiscovery:
        return True
    from ..output import pages_current  # pages that hexo generate wrote anew need their links again

    return pages_current(root, config.cache / PAGES_STATE)


def code_folder(config: Config) -> Path | None:
    """include_code's folder: ``posts.code_dir`` beside the posts' folder (under Hexo's source_dir);
    in a Jekyll site, ``_includes``, whose files ``{% include %}`` renders into a body."""
    if config.posts.dialect == "jekyll":
        return config.source / "_includes"
    code_dir = config.posts.code_dir.strip("/")
    return config.source.parent / code_dir if code_dir else None


def code_files(config: Config) -> Iterator[tuple[str, int, int]]:
    """(path, size, mtime_ns) of every file in the code folder: a build's inputs too."""
    top = code_folder(config)
    if top is None:
        return
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            yield "code:" + os.path.relpath(path, top), stat.st_size, stat.st_mtime_ns
