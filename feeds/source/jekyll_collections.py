"""Jekyll's collections other than posts, for jekyll-feed's ``feed.collections``: which files are
their documents, and how a document differs from a post (``Collection``, ``Document``).

A collection ``NAME`` lives in ``_NAME/`` (under ``collections_dir``); its
documents are the files there, at any depth, that open with a front matter
line (the others are static files); no name pattern is asked. A document is
read as a post is, but: no folder is a category; its date is the file name's
(``2020-01-02-x.md``) or the front matter's; its URL follows the collection's
``permalink`` (``/:collection/:path`` with the site style's ending by default).
Each document carries ``collection:NAME`` among its refs, so that the planner
gives it the collection's feeds and none of the posts'.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .walk import SourceFile, source_at

if TYPE_CHECKING:
    from ..config import JekyllSiteConfig
    from ..models import Post

MARK = "collection:"
_FRONT_LINE = re.compile(rb"\A---\s*\r?\n")  # Utils.has_yaml_header?


@lru_cache(maxsize=8)
def collections(text: str) -> dict[str, tuple[str, str]]:
    """``jekyll_site.collections``: name -> (folder under the site, permalink template)."""
    value = json.loads(text)
    return {str(k): (str(v[0]), str(v[1])) for k, v in value.items()} if isinstance(value, dict) else {}


def collection_at(rules: JekyllSiteConfig, rel: str) -> tuple[str, str, str] | None:
    """(name, folder, template) of the collection whose folder holds ``rel``, or None (a post)."""
    for name, (folder, template) in collections(rules.collections).items():
        if rel.startswith(folder + "/"):
            return name, folder, template
    return None


def collection_of(post: Post) -> str:
    """The collection a post came from; "" for the posts themselves."""
    return next((r[len(MARK) :] for r in post.refs if r.startswith(MARK)), "")


def by_collection(posts: Iterable[Post]) -> tuple[list[Post], dict[str, list[Post]]]:
    """The posts, and each collection's documents apart, in their order."""
    own: list[Post] = []
    others: dict[str, list[Post]] = {}
    for post in posts:
        name = collection_of(post) if post.refs else ""
        (others.setdefault(name, []) if name else own).append(post)
    return own, others


def scan_collections(
    site: Path, rules: JekyllSiteConfig, keep: Callable[[str, str], bool], stat: bool
) -> list[SourceFile]:
    """Every document of the collections that get a feed: the files of ``_NAME/`` with front matter
    (``keep``: the site's entry filter, on the path under the site and under the folder)."""
    found: list[SourceFile] = []
    for folder, _template in collections(rules.collections).values():
        top = site / folder
        for where, dirs, files in os.walk(top):
            inner = os.path.relpath(where, top)
            inner = "" if inner == "." else inner.replace(os.sep, "/") + "/"
            dirs[:] = sorted(d for d in dirs if keep(f"{folder}/{inner}{d}", inner + d))
            for name in sorted(files):
                path = os.path.join(where, name)
                if not keep(f"{folder}/{inner}{name}", inner + name) or not _has_front_matter(path):
                    continue
                file = source_at(path, f"{folder}/{inner}{name}", stat)
                if file is not None:
                    found.append(file)
    return found


def _has_front_matter(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            return _FRONT_LINE.match(file.readline()) is not None
    except OSError:
        return False


def cleaned_path(rel: str, folder: str, ext: str) -> str:
    """``:path`` of a document: its path under the collection's folder, less its extension."""
    return rel[len(folder) : len(rel) - len(ext) if ext else len(rel)].rstrip(".")
