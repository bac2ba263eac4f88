"""jekyll-feed's ``feed.collections``: a feed for a Jekyll collection other than posts.

tests/data/jekyll-collections is a small site written for these tests; the expectations in
tests/data/jekyll-expected/collections.json are what Jekyll 4.3.1 and jekyll-feed 0.17 wrote for
it (tools/jekyll_compare/expectations.py collections, run by hand): every entry of every feed.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from feeds.cli import main

from ..conftest import DATA, check_feed
from .test_jekyll_site import _entries

SITE = DATA / "jekyll-collections"
EXPECTED = json.loads((DATA / "jekyll-expected" / "collections.json").read_text(encoding="utf-8"))
LATER = "https://example.org/shop/talks/2099/later-talk.html"  # a talk dated 2099: see the last test


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SITE, copy)
    monkeypatch.chdir(copy)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    return copy / "_site"


def test_each_collection_feed_holds_what_jekyll_feed_writes(built: Path, atom_schema: etree.RelaxNG) -> None:
    assert sorted(EXPECTED) == ["feed.xml", "feed/recipes.xml", "feed/recipes/soup.xml", "feed/talks.xml"]
    for name, rows in EXPECTED.items():
        check_feed(built / name, atom_schema)
        ours = _entries(built / name)
        theirs = {row["link"]: row for row in rows if row["link"] != LATER}
        assert set(ours) == set(theirs), name
        for link, expected in theirs.items():
            for field in ("id", "title", "terms", "text"):
                assert ours[link][field] == expected[field], (name, link, field)
            for field in ("published", "updated"):
                assert ours[link][field] == datetime.fromisoformat(expected[field]), (name, link, field)


def test_a_collection_gets_a_feed_for_every_category_of_its_documents(built: Path) -> None:
    """jekyll-feed writes feed/recipes/soup.xml only, as feed.collections.recipes.categories lists it."""
    baking = _entries(built / "feed" / "recipes" / "baking.xml")
    assert sorted(baking) == [
        "https://example.org/shop/recipes/bread/",
        "https://example.org/shop/recipes/sub/pie/",
    ]


def test_documents_stay_out_of_the_posts_feeds_and_unlisted_collections_get_none(built: Path) -> None:
    soup = _entries(built / "feed" / "soup.xml")  # the posts' category 'soup'
    assert list(soup) == ["https://example.org/shop/soup/2021/03/01/a-post/"]
    assert not (built / "feed" / "unlisted.xml").exists()  # a collection feed.collections does not name
    assert not any("notes" in str(p) for p in built.rglob("*.xml"))  # a file without front matter


def test_a_document_dated_after_now_waits_for_its_date(built: Path) -> None:
    """Jekyll lists a collection's future documents at once; feeds holds them back as it holds posts."""
    assert LATER in {row["link"] for row in EXPECTED["feed/talks.xml"]}
    assert LATER not in _entries(built / "feed" / "talks.xml")
