"""The source folder's post files, as one walk sees them: the first thing every build does.

Kept apart from parsing so that a build with nothing to do (the cron run seen
most often) loads no YAML or HTML library at all.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import NamedTuple

from ..config import Config
from ..errors import SourceError

log = logging.getLogger(__name__)


class SourceFile(NamedTuple):
    """A post file as the walk saw it; size and mtime decide whether a cached parse still holds.

    A named tuple, not a dataclass: an archive's walk makes 100,000 of them.
    """

    root: str  # the walk's folder, ending in '/': one string for all its files (see path)
    rel: str  # path under the source root, '/'-separated
    size: int
    mtime_ns: int

    @property
    def path(self) -> str:
        """The file's path, made when asked: 100,000 of them held took 23 MB while posts were read."""
        return self.root + self.rel


def root_of(path: str, rel: str) -> str:
    """What goes before ``rel`` in ``path``: a post's ``root``, one string shared by every post
    of a folder (see :attr:`feeds.models.Post.path`)."""
    if not path.endswith(rel):
        raise ValueError(f"{rel!r} does not end the path {path!r}")
    return sys.intern(path[: len(path) - len(rel)])


UNKNOWN = -1  # a SourceFile's size and mtime when the walk did not stat it
# What Hexo renders as a post: hexo-renderer-marked's suffixes, and HTML (case matters, as in Hexo).
POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext", ".html", ".htm")


def scan(source: Path, *, stat: bool = True, hexo_hidden: bool = False) -> list[SourceFile]:
    """Every post file under ``source``, sorted, skipping hidden entries and links that leave it.

    Post files are those Hexo renders as posts: Markdown by any of the suffixes
    hexo-renderer-marked registers, and HTML.  Hidden are names starting with
    '.' and, with ``hexo_hidden`` (a Hexo site), with '_' too, as Hexo skips them.

    ``stat=False`` leaves size and mtime :data:`UNKNOWN`, for a build that will
    read every file anyway (and so learns both from the open file): stat calls
    were two thirds of the walk (29 of 43 ms over 10,000 posts).
    """
    if not source.is_dir():
        raise SourceError(
            "source folder does not exist" if not source.exists() else "not a folder", path=source
        )
    real = os.path.realpath(source)
    top = str(source)
    root = top if top.endswith("/") else top + "/"
    found: list[SourceFile] = []
    stack = [(top, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            fd, entries = _listing(folder)
        except OSError as e:
            log.warning("%s: cannot read folder: %s", folder, e.strerror or e)
            continue
        base = folder if folder.endswith("/") else folder + "/"
        try:
            for entry in entries:
                name = entry.name
                if _hidden(name, hexo_hidden):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((base + name, f"{prefix}{name}/"))
                elif name.endswith(POST_SUFFIXES):
                    _add_file(entry, base, prefix + name, (root, real), found, stat)
        finally:
            if fd >= 0:
                os.close(fd)
    found.sort(key=lambda f: f.rel)
    return found


def _listing(folder: str) -> tuple[int, list[os.DirEntry[str]]]:
    """A folder's entries, and the descriptor they were read through (-1: none; close it after).

    Listed through an open descriptor where the system allows it, each entry's
    ``stat`` looks up its bare name in that folder rather than its whole path
    from the root: 37 ms instead of 43 for a walk over 10,000 posts, which
    every build, idle ones included, makes.
    """
    if os.scandir not in os.supports_fd:
        return -1, list(os.scandir(folder))
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        return fd, list(os.scandir(fd))
    except BaseException:
        os.close(fd)
        raise


def read_file(path: str) -> bytes:
    """A file's bytes, with two system calls fewer than ``open().read()`` (3 of 9 µs a post).

    A build reads every post once and the ones that show a second time, so
    what ``io.open`` adds (a buffered reader, an ``isatty`` check) adds up.
    OSError as from ``open``.
    """
    return read_file_stat(path)[0]


def read_file_stat(path: str) -> tuple[bytes, os.stat_result]:
    """The bytes and the ``fstat`` of the file they were read from."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        size = info.st_size
        data = os.read(fd, size + 1)  # one byte more shows whether the file grew since
        if len(data) == size:  # all of it (a short read, as over a network, or a file that grew
            return data, info  # or shrank, reads on to the end)
        chunks = [data]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def source_at(path: str, rel: str, stat: bool) -> SourceFile | None:
    """A file found by a walk, with its size and mtime when ``stat`` (None: it went away since);
    without, :data:`UNKNOWN` for both, which the files read later give."""
    if not stat:
        return SourceFile(root_of(path, rel), rel, UNKNOWN, UNKNOWN)
    try:
        info = os.stat(path)
    except OSError:
        return None
    return SourceFile(root_of(path, rel), rel, info.st_size, info.st_mtime_ns)


DRAFTS = "_drafts/"  # where a draft's path under the source starts, as Hexo lays drafts out


def scan_posts(
    source: Path, *, drafts: bool, stat: bool = True, hexo_hidden: bool = False
) -> list[SourceFile]:
    """The posts under ``source`` and, with ``drafts``, those in the ``_drafts`` folder beside it.

    Hexo keeps drafts in ``source/_drafts``, beside ``source/_posts``; their paths
    here start with ``_drafts/``, a name no post's path can have in a Hexo site.
    """
    found = scan(source, stat=stat, hexo_hidden=hexo_hidden)
    folder = source.parent / DRAFTS.rstrip("/")
    if drafts and folder.is_dir():
        drafted = scan(folder, stat=stat, hexo_hidden=hexo_hidden)
        found += [f._replace(root=root_of(f.path, DRAFTS + f.rel), rel=DRAFTS + f.rel) for f in drafted]
        found.sort(key=lambda f: f.rel)
    return found


def source_path(source: Path, rel: str) -> Path:
    """The file a path from :func:`scan_posts` names."""
    return source.parent / rel if rel.startswith(DRAFTS) else source / rel


def _hidden(name: str, hexo: bool) -> bool:
    """A leading '.' hides, except for a file named just ".md" (a post whose title was sanitised away);
    in a Hexo site, as Hexo has it, that file and names with a leading '_' are hidden too."""
    if hexo:
        return name[:1] in (".", "_")
    return name[:1] == "." and name != ".md"


def _add_file(
    entry: os.DirEntry[str],
    base: str,
    rel: str,
    roots: tuple[str, str],
    found: list[SourceFile],
    stat: bool,
) -> None:
    """``base``: the entry's folder, ending in '/'; ``roots``: the walk's folder as its files name
    it, and with its links resolved (which a link's target must stay inside)."""
    root, real = roots
    link = entry.is_symlink()
    if link:
        target = os.path.realpath(base + entry.name)
        if os.path.commonpath([real, target]) != real:
            log.warning("%s: symbolic link to outside the source folder, skipped", base + entry.name)
            return
    if not stat and not link:  # a regular file by its directory entry: no stat needed
        if entry.is_file(follow_symlinks=False):
            found.append(SourceFile(root, rel, UNKNOWN, UNKNOWN))
        return
    try:
        info = entry.stat()
    except OSError as e:
        log.warning("%s: cannot read: %s", base + entry.name, e.strerror or e)
        return
    if entry.is_file():
        found.append(SourceFile(root, rel, info.st_size, info.st_mtime_ns))


# How a Jekyll post's body is marked (Post.body_format): rendered by the Jekyll dialect of the content stage.
JEKYLL_FORMATS = ("jekyll:markdown", "jekyll:html")


def scan_source(config: Config, *, stat: bool = True) -> list[SourceFile]:
    """The post files of the configured site, by its dialect's walk (Hexo's, or a Jekyll site's)."""
    if config.posts.dialect == "jekyll":
        from .jekyll_walk import scan_site

        if not config.source.is_dir():
            raise SourceError("the Jekyll site's folder does not exist", path=config.source)
        return scan_site(config.source, config.jekyll_site, drafts=config.posts.render_drafts, stat=stat)
    rules = config.posts
    return scan_posts(config.source, drafts=rules.render_drafts, stat=stat, hexo_hidden=rules.hexo_hidden)


def source_file(config: Config, rel: str) -> Path:
    """The file a path from :func:`scan_source` names."""
    return config.source / rel if config.posts.dialect == "jekyll" else source_path(config.source, rel)
