"""Which posts stay out of every feed, and which rules left feeds unwritten, counted rule by rule.

A post is kept out when its author hid it (a hide flag: see
:mod:`feeds.source.protection`), when it is locked by a password and
``filters.protected`` is ``omit``, by ``feed: false`` in its front matter, or by a name in
``filters.exclude_categories`` / ``filters.exclude_tags`` (matched after
trimming, case-insensitively, at any level of a category path), or by a glob
in ``filters.exclude_paths`` on its path under the source folder.  A post that
several rules match is counted once, under the first in :data:`POST_RULES`.

A rule that matches nothing at all is most likely a typo (``Nwes`` for
``News``), which would otherwise pass in silence: each such entry is a warning.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..config import Config
from ..models import HIDDEN, LOCKED, Notice, Post
from .rules import FEED_RULES, POST_RULES, rule_name


@dataclass(frozen=True)
class Selection:
    posts: list[Post]  # the posts that may show in feeds, in the order given
    excluded: dict[str, int]  # rule -> posts it kept out (every rule of POST_RULES)
    notices: list[Notice]  # filter entries that matched no post
    locked: int = 0  # posts locked by a password, whether shown by their abstract or left out


def name_key(name: str) -> str:
    return name.strip().casefold()


class Rules:
    """The config's filters, compiled once: each matcher also tells which of its entries matched."""

    def __init__(self, config: Config):
        filters = config.filters
        self.categories = {name_key(n): n for n in filters.exclude_categories if name_key(n)}
        self.tags = {name_key(n): n for n in filters.exclude_tags if name_key(n)}
        self.paths = {p: _glob(p) for p in filters.exclude_paths if p.strip()}
        self.any = bool(self.categories or self.tags or self.paths)
        self.omit_locked = filters.protected == "omit"

    def matches(self, post: Post) -> dict[str, list[str]]:
        """Every rule ``post`` meets, each with the entries that matched (empty: none met)."""
        found: dict[str, list[str]] = {}
        if post.protection == HIDDEN:
            found["hidden"] = []
        elif post.protection == LOCKED and self.omit_locked:
            found["protected"] = []
        if not post.in_feeds:
            found["feed_false"] = []
        if not self.any:
            return found
        paths = [p for p, pattern in self.paths.items() if pattern.match(post.rel)]
        names = {name_key(n) for path in post.categories for n in path}
        categories = [self.categories[n] for n in names & self.categories.keys()]
        tags = [self.tags[n] for n in {name_key(t) for t in post.tags} & self.tags.keys()]
        for rule, hits in (
            ("exclude_paths", paths),
            ("exclude_categories", categories),
            ("exclude_tags", tags),
        ):
            if hits:
                found[rule] = hits
        return found

    def excludes_name(self, kind: str, name: str) -> bool:
        """Whether a category (any level of its path, joined by `` / ``) or tag is itself excluded."""
        if kind == "category":
            return any(name_key(level) in self.categories for level in name.split(" / "))
        return kind == "tag" and name_key(name) in self.tags


def select(config: Config, posts: Iterable[Post]) -> Selection:
    """The posts no rule keeps out, how many each rule kept out, and the entries that matched nothing."""
    rules = Rules(config)
    kept: list[Post] = []
    excluded = dict.fromkeys(POST_RULES, 0)
    used: set[tuple[str, str]] = set()
    locked = 0
    for post in posts:
        locked += post.protection == LOCKED
        found = rules.matches(post)
        if not found:
            kept.append(post)
            continue
        excluded[next(rule for rule in POST_RULES if rule in found)] += 1
        used.update((rule, entry) for rule, entries in found.items() for entry in entries)
    notices = [
        Notice("filter", rule_name(rule), f"{entry!r} matches no post; check its spelling")
        for rule, entries in (
            ("exclude_paths", rules.paths),
            ("exclude_categories", rules.categories.values()),
            ("exclude_tags", rules.tags.values()),
        )
        for entry in entries
        if (rule, entry) not in used
    ]
    return Selection(kept, excluded, notices, locked)


def unused_limits(config: Config, skipped: Mapping[str, int]) -> list[Notice]:
    """``categories.depth`` or ``feeds.min_posts`` set, yet no feed left out by it: a warning each."""
    notices = []
    if config.categories.depth and not skipped.get("depth"):
        depth = config.categories.depth
        notices.append(
            Notice("filter", rule_name("depth"), f"{depth}: no category is deeper; no feed left out")
        )
    if config.feeds.min_posts > 1 and not skipped.get("min_posts"):
        least = config.feeds.min_posts
        notices.append(Notice("filter", rule_name("min_posts"), f"{least}: every feed has as many posts"))
    return notices


def feeds_not_written(skipped: Mapping[str, int], formats: Sequence[str]) -> dict[str, int]:
    """Feed files each rule left unwritten (a left-out category is one file per format)."""
    return {rule: skipped.get(rule, 0) * len(formats) for rule in FEED_RULES}


def _glob(pattern: str) -> re.Pattern[str]:
    """A shell-style pattern on the whole path under the source (``*`` crosses ``/``); a pattern
    naming a folder (``drafts`` or ``drafts/``) takes everything under it."""
    regex = fnmatch.translate(pattern.strip().strip("/")).removesuffix("\\Z")
    return re.compile(f"(?:{regex})(?:/.*)?\\Z", re.S)
