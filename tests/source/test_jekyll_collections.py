"""A Jekyll collection's documents read for jekyll-feed's ``feed.collections`` (list or mapping form).

The rules are Jekyll 4.3's ``Collection`` and ``Document`` (checked against Jekyll on
tests/data/jekyll-collections, see tests/builder/test_jekyll_collections.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from feeds.source import read_posts
from feeds.source.jekyll_collections import collection_of

from ..conftest import write_post
from .test_jekyll import _config


def _site(tmp_path: Path, config: str) -> Path:
    site = tmp_path / "site"
    write_post(site, "_config.yml", "url: https://example.com\n" + config)
    write_post(site, "_posts/2020-01-01-post.md", "---\ntitle: Post\n---\nA post.\n")
    return site


def test_a_listed_collection_under_collections_dir_with_the_date_styles_ending(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        "collections_dir: kept\ncollections: [notes]\nfeed:\n  collections: [notes]\n"
        "defaults:\n  - scope: {type: notes}\n    values: {author: Ann}\n"
        "  - scope: {type: posts}\n    values: {author: Bob}\n",
    )
    write_post(site, "kept/_notes/deep/2020-02-03-a-note.md", "---\ntags: [x]\n---\nA note.\n")
    write_post(site, "kept/_notes/_skipped.md", "---\ntitle: Skipped\n---\nAn underscore name.\n")
    write_post(site, "kept/travel/_posts/2020-01-01-post.md", "---\ntitle: Post\n---\nA post.\n")
    posts = {p.rel: p for p in read_posts(_config(tmp_path, site)).posts}
    # with collections_dir, the posts too are under it: _posts/ beside it is not read
    assert sorted(posts) == ["kept/_notes/deep/2020-02-03-a-note.md", "kept/travel/_posts/2020-01-01-post.md"]
    note = posts["kept/_notes/deep/2020-02-03-a-note.md"]
    assert note.permalink == "https://example.com/notes/deep/2020-02-03-a-note.html"  # /:collection/:path
    assert note.id == "https://example.com/notes/deep/a-note"
    assert (note.title, note.categories, note.tags, note.author) == ("A Note", (), ("x",), "Ann")
    assert note.date.isoformat() == "2020-02-03T00:00:00+00:00"
    post = posts["kept/travel/_posts/2020-01-01-post.md"]
    assert collection_of(note) == "notes" and collection_of(post) == ""
    assert (post.author, post.categories) == ("Bob", (("travel",),))
    assert post.permalink == "https://example.com/travel/2020/01/01/post.html"


def test_a_path_of_its_own_is_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = _site(tmp_path, "feed:\n  collections:\n    notes:\n      path: /notes.atom\n")
    write_post(site, "_notes/one.md", "---\ntitle: One\ndate: 2020-05-06\n---\nOne.\n")
    with caplog.at_level(logging.WARNING):
        posts = {p.rel: p for p in read_posts(_config(tmp_path, site)).posts}
    assert "feed.collections.notes.path" in caplog.text
    assert posts["_notes/one.md"].permalink == "https://example.com/notes/one.html"


def test_without_feed_collections_no_collection_is_read(tmp_path: Path) -> None:
    site = _site(tmp_path, "collections: {notes: {output: true}}\n")
    write_post(site, "_notes/one.md", "---\ntitle: One\n---\nOne.\n")
    assert [p.rel for p in read_posts(_config(tmp_path, site)).posts] == ["_posts/2020-01-01-post.md"]
