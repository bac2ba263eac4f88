"""The rules that keep posts and feeds out, by name: what a report counts and a person reads.

Apart from :mod:`.filters`, which applies them, so that a build with nothing to
do can report the last build's counts without loading the post model.
"""

from __future__ import annotations

POST_RULES = ("hidden", "protected", "feed_false", "exclude_paths", "exclude_categories", "exclude_tags")
FEED_RULES = ("depth", "min_posts", "shared_folder", "tags_chosen")
_KEYS = {
    "hidden": "hidden by its author",
    "protected": "filters.protected",
    "feed_false": "feed: false",
    "exclude_paths": "filters.exclude_paths",
    "exclude_categories": "filters.exclude_categories",
    "exclude_tags": "filters.exclude_tags",
    "depth": "categories.depth",
    "min_posts": "feeds.min_posts",
    "shared_folder": "a folder taken by another feed",
    "tags_chosen": "tags.only, tags.skip, tags.pattern",
}


def rule_name(rule: str) -> str:
    """What a person calls a rule: its config key (``filters.exclude_tags``) or front-matter key."""
    return _KEYS[rule]
