"""Autodiscovery links in the site's own pages: ``<link rel="alternate">`` inserted before ``</head>``.

For a Hexo site whose generated HTML sits in the output folder, every page
gets the site feed and each category's page (``<category dir>/<slug
path>/index.html``, where Hexo puts it) that category's feed too.  The page's
bytes are not reparsed or reformatted: the links go in just before the first
``</head>`` and nothing else changes, so a theme's markup stays as it was.  A
feed a page already links (our earlier run, or hexo-generator-feed's own
link, relative or absolute) is not linked again, so a second run changes
nothing.

Only regular files under the output folder are read: symbolic links (to a
file or a folder) are never followed, and a page is replaced atomically (a
new file renamed over it), never written through a link.  Pages are Hexo's,
not ours: they are never listed in the manifest and never removed.

Reading every page of a large site each run would cost more than the whole
idle build, so the size and mtime of each page as last left are kept in a
small state file: a page is read again only when it changed (``hexo
generate`` rewrote it) or the links to add did.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin

from ..text import xml_safe
from ..urls import quote_segment
from .atomic import write_atomic
from .listing import MEDIA_TYPES, Listing

log = logging.getLogger(__name__)

_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_LINK = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(rb"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_PAGES = (".html", ".htm")
_TEMPORARY = re.compile(r"^\..+\.html?\.[0-9]+-[0-9]+\.tmp$", re.IGNORECASE)  # atomic.py's, of a page


@dataclass(frozen=True)
class Link:
    url: str  # absolute
    tag: bytes  # the element to insert, ASCII (non-ASCII titles as character references)


@dataclass(frozen=True)
class Plan:
    """Which links go where: ``site`` into every page, ``pages[rel]`` into that page only."""

    site: tuple[Link, ...]
    pages: Mapping[str, tuple[Link, ...]]

    @property
    def key(self) -> str:
        """Changes when any link to add does, so every page is looked at again."""
        parts = [b"".join(x.tag for x in self.site)]
        parts += [
            rel.encode("utf-8", "surrogateescape") + b"".join(x.tag for x in links)
            for rel, links in sorted(self.pages.items())
        ]
        return hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()


def plan_links(listings: Sequence[Listing]) -> Plan:
    """The site's feeds for every page; each category's (tag's, author's) feeds for its own
    ``index.html``, where Hexo writes a category's and a tag's page when the folders agree."""
    site: tuple[Link, ...] = ()
    pages: dict[str, tuple[Link, ...]] = {}
    for listing in listings:
        links = tuple(_link(listing.title, f.fmt, f.url) for f in listing.files)
        if listing.kind == "site":
            site = links
        else:
            pages["/".join((*listing.folder, "index.html"))] = links
    return Plan(site, pages)


def _link(title: str, fmt: str, url: str) -> Link:
    text = (
        f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" title="{escape(xml_safe(title))}" '
        f'href="{escape(url)}">\n'
    )
    return Link(url, text.encode("ascii", "xmlcharrefreplace"))


def pages_current(root: Path, state_file: Path) -> bool:
    """Every page is as the last run left it (none new, none rewritten): nothing to look at."""
    state = _load(state_file)
    if state is None:
        return False
    seen = state[1]
    return all(seen.get(rel) == stamp for rel, stamp in _walk(root))


def link_pages(root: Path, site_root: str, plan: Plan, state_file: Path, skip: set[str]) -> int:
    """Add the missing links to every page under ``root`` (but ``skip``); how many pages changed.

    ``site_root`` is the URL the output folder is served at, ending in '/'.
    """
    state = _load(state_file)
    seen = state[1] if state is not None and state[0] == plan.key else {}
    done: dict[str, tuple[int, int]] = {}
    changed = 0
    for rel, stamp in _walk(root, tidy=True):
        if rel not in skip and seen.get(rel) != stamp:
            wanted = plan.site + plan.pages.get(rel, ())
            if wanted and _link_page(root / rel, site_root + _url_path(rel), wanted):
                changed += 1
                stamp = _stamp(root / rel) or stamp
        done[rel] = stamp
    if state is None or state[0] != plan.key or done != state[1]:
        _save(state_file, plan.key, done)
    return changed


def _link_page(path: Path, page_url: str, wanted: Sequence[Link]) -> bool:
    """Insert the links ``path`` lacks before its ``</head>``; False when it needed none (or has no head)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with open(fd, "rb") as f:
            data = f.read()
    except OSError as e:
        log.warning("%s: cannot read the page to add feed links: %s", path, e.strerror or e)
        return False
    end = _HEAD_END.search(data)
    if end is None:
        return False
    present = set(_hrefs(data[: end.start()], page_url))
    missing = [link.tag for link in wanted if link.url not in present]
    if not missing:
        return False
    write_atomic(path, data[: end.start()] + b"".join(missing) + data[end.start() :])
    return True


def _hrefs(head: bytes, page_url: str) -> Iterator[str]:
    """The absolute URL of every ``<link href>`` in ``head``, as the page's own links resolve."""
    for tag in _LINK.finditer(head):
        m = _HREF.search(tag.group())
        if m is not None:
            raw = next(g for g in m.groups() if g is not None)
            yield urljoin(page_url, unescape(raw.decode("utf-8", "replace")).strip())


def _walk(root: Path, tidy: bool = False) -> Iterator[tuple[str, tuple[int, int]]]:
    """(path under root, (size, mtime_ns)) of each page: regular files only, no hidden folder, no link.

    ``tidy`` removes the temporary file a build killed while replacing a page left beside it.
    """
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # os.walk never follows a linked folder
        base = os.path.relpath(folder, root)
        for name in sorted(files):
            if tidy and _TEMPORARY.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
            if not name.lower().endswith(_PAGES):
                continue
            rel = name if base == "." else f"{base.replace(os.sep, '/')}/{name}"
            stamp = _stamp(root / rel)
            if stamp is not None:
                yield rel, stamp


def _stamp(path: Path) -> tuple[int, int] | None:
    """Size and mtime of a regular file; None for a symbolic link or anything else."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


def _url_path(rel: str) -> str:
    return "/".join(quote_segment(part) for part in rel.split("/"))


def _load(state_file: Path) -> tuple[str, dict[str, tuple[int, int]]] | None:
    try:
        raw = json.loads(state_file.read_bytes())
        return str(raw["key"]), {str(k): (int(v[0]), int(v[1])) for k, v in raw["pages"].items()}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, IndexError) as e:
        log.warning("%s: unreadable (%s); every page will be looked at again", state_file, e)
        return None


def _save(state_file: Path, key: str, pages: Mapping[str, tuple[int, int]]) -> None:
    raw = {"key": key, "pages": {rel: list(stamp) for rel, stamp in sorted(pages.items())}}
    write_atomic(state_file, json.dumps(raw).encode("ascii"))
