"""The Jekyll dialect's walk: which files of a Jekyll site are posts (``Reader``, ``EntryFilter``).

Kept apart from :mod:`feeds.source.jekyll`, as ``walk.py`` is from ``posts.py``: a
build with nothing to do walks the site and loads no YAML library.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

from ..config import JekyllSiteConfig
from .jekyll_collections import scan_collections
from .walk import SourceFile, source_at

# Document::DATE_FILENAME_MATCHER and DATELESS_FILENAME_MATCHER, on a path under _posts or _drafts.
DATED = re.compile(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
DATELESS = re.compile(r"^(?:.+/)*(.*)(\.[^.]+)$")
_SPECIAL = (".", "_", "#", "~")
POSTS, DRAFTS = "_posts", "_drafts"


def scan_site(site: Path, rules: JekyllSiteConfig, *, drafts: bool, stat: bool = True) -> list[SourceFile]:
    """Every post (and with ``drafts``, every draft) of the Jekyll site at ``site``, sorted by path."""
    found: list[SourceFile] = []
    stack = [""]
    while stack:
        rel = stack.pop()
        folder = site / rel if rel else site
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and _kept(rules, rel + entry.name, entry.name):
                stack.append(rel + entry.name + "/")
        within = not rules.collections_dir or rel.startswith(rules.collections_dir + "/")
        for magic, wanted in ((POSTS, True), (DRAFTS, drafts)):
            if wanted and within and (folder / magic).is_dir():
                found += _publishable(site, rules, rel + magic + "/", magic == POSTS, stat)
    if rules.collections != "{}":
        found += scan_collections(site, rules, lambda rel, entry: _kept(rules, rel, entry), stat)
    found.sort(key=lambda f: f.rel)
    return found


def _publishable(site: Path, rules: JekyllSiteConfig, base: str, dated: bool, stat: bool) -> list[SourceFile]:
    """The files under a ``_posts`` or ``_drafts`` folder whose names make them posts (get_entries)."""
    out = []
    top = site / base
    for folder, dirs, files in os.walk(top):
        inner = os.path.relpath(folder, top)
        inner = "" if inner == "." else inner.replace(os.sep, "/") + "/"
        dirs[:] = [d for d in dirs if _kept(rules, base + inner + d, inner + d)]
        for name in files:
            entry = inner + name
            if not _kept(rules, base + entry, entry) or not (DATED if dated else DATELESS).match(entry):
                continue
            found = source_at(os.path.join(folder, name), base + entry, stat)
            if found is not None:
                out.append(found)
    return out


def _kept(rules: JekyllSiteConfig, rel: str, entry: str) -> bool:
    """``EntryFilter#filter``: included names pass; excluded, special and backup names do not."""
    name = entry.rsplit("/", 1)[-1]
    if entry.endswith("."):
        return False
    included = _matches(rules.include, rel) or _matches(rules.include, name)
    if _matches(tuple(e for e in rules.exclude if e not in rules.include), rel) and not included:
        return False
    if included:
        return True
    return not (entry.startswith(_SPECIAL) or name.startswith(_SPECIAL) or entry.endswith("~"))


def _matches(patterns: tuple[str, ...], rel: str) -> bool:
    """``glob_include?``: a pattern matches as fnmatch does without FNM_PATHNAME, or as a prefix."""
    for pattern in patterns:
        pattern = pattern.lstrip("/")
        if fnmatch.fnmatchcase(rel, pattern) or rel.startswith(pattern) or pattern == rel + "/":
            return True
    return False
