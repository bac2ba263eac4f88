"""What a post's author keeps from readers: a password's lock, or a flag that hides the post.

Decided when the post is read, so that it is stored with the post in the post
cache and every later stage sees the same answer: a locked post's body is never
read again (:func:`feeds.source.read_body` gives its abstract instead), and a
hidden post is left out of every feed, listing and count.  The rules are the
plugins' and themes' own, read from their source:

- hexo-blog-encrypt locks a post whose ``password`` is set to anything but an
  empty string (a number or ``false`` is a password too: the plugin takes its
  text).  When the key is absent or null, a tag listed under ``encrypt.tags``
  locks it; ``password: ""`` is the author's way to keep such a tag from
  locking the post.  The public text is the post's ``abstract``, else
  ``encrypt.abstract``, else the plugin's own line.  feeds locks a post with a
  password whether or not the plugin is installed (NexT and other themes have
  read the key too): publishing what an author meant to lock cannot be undone.
- hexo-hide-posts (its ``hide_posts.filter`` key, ``hidden`` by default) and
  Fluid (``hide``) leave a post out of every generator but the post page when
  that key's value is true in JavaScript's sense, which is why ``hidden: "no"``
  hides a post as it does in Hexo.

A tag matches whatever its case: a lock that Hexo would apply is never missed
for the spelling of a tag.  The password itself is never kept, logged or copied.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..config import PostsConfig
from ..models import HIDDEN, LOCKED

# The line a locked post shows when neither it nor the site gives an abstract.
DEFAULT_ABSTRACT = "This post is protected by a password."


def protection(meta: Mapping[Any, Any], tags: tuple[str, ...], rules: PostsConfig) -> tuple[str, str]:
    """``(HIDDEN, "")``, ``(LOCKED, abstract)`` or ``("", "")`` for a post's front matter and tags."""
    if any(truthy(meta.get(key)) for key in rules.hide_keys):
        return HIDDEN, ""
    if _locked(meta.get("password"), tags, rules.locked_tags):
        return LOCKED, _abstract(meta.get("abstract"), rules.locked_abstract)
    return "", ""


def truthy(value: object) -> bool:
    """JavaScript's truth, which the plugins test: "no" and "false" are true, 0 and "" are not."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0 and not math.isnan(value)
    return True


def _locked(password: object, tags: tuple[str, ...], locked_tags: tuple[str, ...]) -> bool:
    if password == "":
        return False  # hexo-blog-encrypt: an empty password keeps a locking tag from locking the post
    if password is not None:
        return True
    if not locked_tags or not tags:
        return False
    wanted = {name.strip().casefold() for name in locked_tags}
    return any(tag.strip().casefold() in wanted for tag in tags)


def _abstract(own: object, site: str) -> str:
    """The post's ``abstract``, else the site's, else :data:`DEFAULT_ABSTRACT`: never empty, so a reader
    sees why the entry has no text."""
    for text in (own, site):
        if isinstance(text, str | int | float) and not isinstance(text, bool) and str(text).strip():
            return str(text).strip()
    return DEFAULT_ABSTRACT
