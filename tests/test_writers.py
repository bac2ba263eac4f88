"""Entries are serialised once and spliced into every feed: that must equal feedgen writing each feed."""

from __future__ import annotations

import pytest

from feeds.config import Config, with_overrides
from feeds.planning import feed_info, plan_feeds, selected_posts
from feeds.posts import read_posts
from feeds.rendering import clean_posts
from feeds.writers import Entry, assemble, newest, render, render_fragments

from .conftest import CORPUS


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("content", ["full", "summary", "none"])
def test_spliced_feeds_equal_whole_feeds(fmt: str, content: str) -> None:
    config = with_overrides(Config(), source=CORPUS)
    config = with_overrides(config, feeds=type(config.feeds)(content=content))
    plans = plan_feeds(config, read_posts(config).posts)
    posts = selected_posts(plans)
    cleaned = {rel: c for rel, c, _ in clean_posts(config, posts)}
    entries = {p.rel: Entry(p, cleaned[p.rel], None, content) for p in posts if cleaned[p.rel]}
    pieces = dict(zip(entries, render_fragments(fmt, list(entries.values())), strict=True))
    assert len(plans) > 80
    for plan in plans:
        shown = [entries[p.rel] for p in plan.posts]
        info = feed_info(config, plan, fmt)
        whole = render(fmt, info, shown)
        spliced = assemble(fmt, info, newest(shown), [pieces[p.rel] for p in plan.posts])
        assert spliced == whole, plan.label
