"""Where a feed file goes and what it is called, and what kind of file a name is.

Kept apart from planning so that a build with nothing to do (most cron runs)
can count its files by kind without loading the planner: this module needs the
config and a URL quoting helper, nothing that parses or renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..config import Config
from ..errors import OutputError
from ..output import INDEX_NAME, OPML_NAME
from ..urls import quote_segment, site_root

FILE_NAMES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
ARCHIVE_DIR = "archive"  # where a feed's RFC 5005 pages go, under the feed's folder
DERIVED = (OPML_NAME, INDEX_NAME)  # the lists made from the plans, by their names under the output folder
PAGES_STATE = "pages.json"  # in the cache folder: each page's size and mtime as autodiscovery left it


def file_name(config: Config, fmt: str) -> str:
    return config.feeds.file_names.get(fmt, FILE_NAMES[fmt])


def place(config: Config, folder: tuple[str, ...], name: str) -> tuple[tuple[str, ...], str]:
    """The folder a feed file goes in, and its name: ``name`` in ``folder``, or with ``feeds.flat_names``
    a group's feed named after the group, ``<dir>/<slug>.xml`` beside its fellows (jekyll-feed's)."""
    if not (config.feeds.flat_names and folder):
        return folder, name
    stem, dot, ext = name.rpartition(".")
    first = config.feeds.formats[0]
    own = "" if name == file_name(config, first) else "-" + (stem.rsplit("/", 1)[-1] if dot else name)
    return folder[:-1], f"{folder[-1]}{own}.{ext}" if dot else f"{folder[-1]}{own}"


def feed_name(config: Config, folder: tuple[str, ...], fmt: str) -> str:
    """The feed's path relative to the output folder; refuses anything that could leave it."""
    if any(s in ("", ".", "..") or "/" in s or "\\" in s or "\x00" in s for s in folder):
        raise OutputError(f"refusing a feed folder outside the output ({'/'.join(folder)!r})", path=Path("."))
    where, name = place(config, folder, file_name(config, fmt))
    return "/".join((*where, name))


def feed_url(config: Config, folder: tuple[str, ...], name: str) -> str:
    where, name = place(config, folder, name)
    return page_url(config, where) + "/".join(quote_segment(part) for part in name.split("/"))


def page_url(config: Config, folder: tuple[str, ...]) -> str:
    return site_root(config.site.url) + "".join(quote_segment(s) + "/" for s in folder)


def kind_of(config: Config, name: str) -> str:
    """What a file under the output folder is, for ``--json``: a format, ``archive`` (a page of
    one), ``opml`` or ``index``."""
    return _kinds(config)(name)


def _kinds(config: Config) -> Callable[[str], str]:
    """:func:`kind_of` for many names: the formats' file names looked up once, not per name."""
    by_base = {file_name(config, fmt): fmt for fmt in config.feeds.formats}
    by_base |= {OPML_NAME: "opml", INDEX_NAME: "index"}

    flat = {place(config, ("x",), file_name(config, fmt))[1][1:]: fmt for fmt in config.feeds.formats}

    def kind(name: str) -> str:
        folder, _, base = name.rpartition("/")
        if _page(folder, base):
            return "archive"
        found = by_base.get(base)
        if found is None and config.feeds.flat_names:  # a group's feed named after it: its ending tells
            found = next(
                (fmt for end, fmt in sorted(flat.items(), key=lambda e: -len(e[0])) if base.endswith(end)),
                None,
            )
        return found or "other"

    return kind


def _page(folder: str, base: str) -> bool:
    """An archive page: ``<n>.<ext>`` in ``archive/<format>/``."""
    parent = folder.rpartition("/")[0]
    return base.partition(".")[0].isdigit() and (parent == ARCHIVE_DIR or parent.endswith("/" + ARCHIVE_DIR))


def count_kinds(config: Config, names: Iterable[str], written: set[str]) -> dict[str, dict[str, int]]:
    """For ``--json``: how many files of each kind were written and how many were left as they were."""
    kind = _kinds(config)
    counts: dict[str, dict[str, int]] = {}
    for name in names:
        tally = counts.setdefault(kind(name), {"written": 0, "unchanged": 0})
        tally["written" if name in written else "unchanged"] += 1
    return dict(sorted(counts.items()))
