"""A front matter's names and lists as Hexo reads them: categories, tags, an author, a scalar as text.

Kept apart from ``posts.py``, which puts a post together from them, so that each
rule can be read on its own; names repeat across an archive, so they are cached.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import CategoryPath
from ..text import plain_title

_MARKERS = "—–-|•·"
_LIST_MARKER = re.compile(r"^(?:[—–\-|•·]\s+)+")


def text_value(raw: object) -> str:
    """A front-matter scalar as text (``series: 2024`` is the series "2024"); anything else is none."""
    return str(raw).strip() if isinstance(raw, str | int | float) and not isinstance(raw, bool) else ""


def _name(value: object) -> str:
    """A category or tag name as plain text; names repeat across an archive, so strings are cached."""
    return _text_name(value) if isinstance(value, str) else _text_name(plain_title(value))


@lru_cache(maxsize=8192)
def _text_name(value: str) -> str:
    text = plain_title(value)
    return _LIST_MARKER.sub("", text).strip() if text[:1] in _MARKERS else text


def categories_of(raw: object) -> tuple[CategoryPath, ...]:
    """Hexo: a string is one category; a list is a hierarchy; a list holding lists is several."""
    if raw is None or raw == "":
        return ()
    if not isinstance(raw, list):
        raw = [raw]
    hierarchies: list[list[object]]
    lists = [item for item in raw if isinstance(item, list)]
    if len(lists) < len(raw) and all(len(item) == 1 for item in lists):
        # `- - child` is a list marker the scraper left, as `— child` is: one hierarchy.
        hierarchies = [[item[0] if isinstance(item, list) else item for item in raw]]
    else:
        hierarchies = [item if isinstance(item, list) else [item] for item in raw]
    result: list[CategoryPath] = []
    for levels in hierarchies:
        path = tuple(n for n in (_name(level) for level in levels if level is not None) if n)
        if path and path not in result:
            result.append(path)
    found = tuple(result)
    return _SEEN.setdefault(found, found)


# One tuple for each set of categories, shared by every post that has it: an archive's posts have a
# few hundred between them, and their own copies were 11 of the 188 MB that 100,000 posts' records
# held (pickling them, shared, sends each once per batch).
_SEEN: dict[tuple[CategoryPath, ...], tuple[CategoryPath, ...]] = {}


def tags_of(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    seen: dict[str, None] = {}
    for item in items:
        name = _name(item)
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


def author_of(raw: object) -> tuple[str | None, str | None]:
    if isinstance(raw, dict):
        name = plain_title(raw.get("name") or raw.get("nick") or "") or None
        email = str(raw["email"]).strip() if raw.get("email") else None
        return name, email
    name = _author(raw) if isinstance(raw, str) else plain_title(raw) if raw is not None else ""
    return name or None, None


@lru_cache(maxsize=8192)
def _author(raw: str) -> str:
    """An author's name, one string for all the posts that name them (7 MB at 100,000 posts)."""
    return plain_title(raw)
