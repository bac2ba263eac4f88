"""A Jekyll site read as Jekyll reads it: `feeds build` in its folder, with no config.yaml.

tests/data/jekyll-blog is a small site written for these tests, one post per rule.  The
expectations in tests/data/jekyll-expected/blog.json are what Jekyll 4.3.1 and jekyll-feed
0.17 themselves wrote for it (tools/jekyll_compare/expectations.py, run by hand): every
entry's link, id, title, dates, terms and visible text, and the links each category and tag
feed lists.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from feeds.cli import main

from ..conftest import ATOM, DATA, check_feed

SITE = DATA / "jekyll-blog"
EXPECTED = json.loads((DATA / "jekyll-expected" / "blog.json").read_text(encoding="utf-8"))
_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "pre",
    "figure",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "table",
    "tr",
    "td",
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SITE, copy)
    monkeypatch.chdir(copy)
    return copy


def _visible(markup: str) -> str:
    """The words a reader sees, blocks apart, white space collapsed (as the comparison tool reads them)."""
    if not markup.strip():
        return ""
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if el.tag in _BLOCKS:
            parts.append(" ")
        if event == "start" and el.text:
            parts.append(el.text)
        if event == "end" and el.tail:
            parts.append(el.tail)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _entries(path: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for entry in etree.parse(str(path)).iterfind(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link").get("href")
        found[link] = {
            "link": link,
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "published": datetime.fromisoformat(entry.findtext(f"{ATOM}published")),
            "updated": datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
            "terms": sorted({c.get("term") for c in entry.iterfind(f"{ATOM}category")}),
            "text": _visible(entry.findtext(f"{ATOM}content") or ""),
        }
    return found


@pytest.fixture
def built(site: Path) -> Path:
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    return site / "_site"


def test_every_entry_is_what_jekyll_feed_writes(built: Path, atom_schema: etree.RelaxNG) -> None:
    feed = built / "feed.xml"  # jekyll-feed's place, in Jekyll's destination
    check_feed(feed, atom_schema)
    ours = _entries(feed)
    theirs = {e["link"]: e for e in EXPECTED["entries"]}
    assert set(ours) == set(theirs)
    for link, expected in theirs.items():
        got = ours[link]
        for field in ("id", "title", "terms", "text"):
            assert got[field] == expected[field], (link, field)
        for field in ("published", "updated"):
            assert got[field] == datetime.fromisoformat(expected[field]), (link, field)
            assert got[field].utcoffset() == datetime.fromisoformat(expected[field]).utcoffset()


def test_what_jekyll_leaves_out_feeds_leaves_out(built: Path) -> None:
    titles = {e["title"] for e in _entries(built / "feed.xml").values()}
    # published: false, a date after now, _drafts without show_drafts, an excluded folder, a file
    # in _posts without a date in its name
    for title in ("Not published", "From the future", "A draft", "Excluded", "Not a post"):
        assert title not in titles


def test_category_and_tag_feeds_sit_where_jekyll_feed_puts_them(built: Path) -> None:
    for name, links in EXPECTED["feeds"].items():
        if name in ("feed/news.xml", "feed/News.xml"):
            continue  # 'news' and 'News': one feed, see the next test
        path = built / name
        assert path.is_file(), name
        assert sorted(_entries(path)) == links, name


def test_a_feed_named_after_a_category_links_itself_by_an_escaped_url(built: Path) -> None:
    """``feed/Big News.xml`` is at ``feed/Big%20News.xml``: a self link with a space is no URI."""
    feed = etree.parse(str(built / "feed" / "Big News.xml"))
    selves = feed.xpath("//*[local-name()='link'][@rel='self']/@href")
    assert selves == ["https://example.org/blog/feed/Big%20News.xml"]


def test_categories_differing_only_in_case_share_one_feed(built: Path) -> None:
    """Jekyll's categories are case-sensitive; two files named so would overwrite each other on a
    case-insensitive file system (macOS, Windows), so feeds writes one, holding both."""
    shared = sorted(_entries(built / "feed" / "News.xml"))
    assert shared == sorted({*EXPECTED["feeds"]["feed/News.xml"], *EXPECTED["feeds"]["feed/news.xml"]})


def test_a_feed_for_every_category_not_only_those_feed_categories_lists(site: Path) -> None:
    config = site / "_config.yml"
    config.write_text(
        re.sub(r"\n  categories: \[.*\]", "", config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    assert {p.name for p in (site / "_site" / "feed").glob("*.xml")} == {
        "Big News.xml", "Misc.xml", "News.xml", "travel.xml", "updates.xml",
    }  # fmt: skip


def test_jekyll_flag_and_config_yaml_keys_win(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "config.yaml").write_text(
        f"jekyll: {site / '_config.yml'}\noutput: {tmp_path / 'out'}\nfeeds:\n  limit: 2\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build", "--config", str(elsewhere / "config.yaml")])
    assert result.exit_code == 0, result.output
    assert len(_entries(tmp_path / "out" / "feed.xml")) == 2
    result = CliRunner().invoke(main, ["build", "--jekyll", str(site), "--output", str(tmp_path / "flag")])
    assert result.exit_code == 0, result.output
    assert len(_entries(tmp_path / "flag" / "feed.xml")) == len(EXPECTED["entries"])


def test_feeds_categories_and_config_in_a_jekyll_site(site: Path) -> None:
    result = CliRunner().invoke(main, ["categories"])
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()}
    assert set(rows) == {"Big News", "Misc", "News", "travel", "updates"}
    assert rows["travel"][1] == "1" and rows["travel"][3] == "feed/travel.xml"
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("\t# ", 1) for line in result.stdout.splitlines())
    assert lines['site.url = "https://example.org/blog/"'] == "_config.yml: url, baseurl"
    assert lines['posts.dialect = "jekyll"'] == "_config.yml: (a Jekyll site)"
    assert lines["feeds.limit = 50"] == "_config.yml: feed.posts_limit"


def test_other_formats_sit_beside_jekyll_feeds_files(site: Path, atom_schema: etree.RelaxNG) -> None:
    (site / "config.yaml").write_text(
        "jekyll: _config.yml\nfeeds:\n  formats: [atom, rss, json]\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build", "--json"])
    assert result.exit_code == 0, result.output
    folder = site / "_site" / "feed"
    assert {p.name for p in folder.glob("travel*")} == {"travel.xml", "travel-rss.xml", "travel-feed.json"}
    check_feed(folder / "travel.xml", atom_schema)
    check_feed(folder / "travel-rss.xml", atom_schema)
    summary = json.loads(result.stdout)
    assert summary["files"]["atom"]["written"] == 1 + 5 + 4  # the site, five categories, four tags
    assert summary["files"]["rss"]["written"] == summary["files"]["json"]["written"] == 10


def test_a_changed_front_matter_default_reads_every_post_again(site: Path) -> None:
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    config = site / "_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("author: alice", "author: bob"), encoding="utf-8"
    )
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    paris = _entries(site / "_site" / "feed" / "travel.xml")
    entry = etree.parse(str(site / "_site" / "feed" / "travel.xml")).find(f"{ATOM}entry")
    assert len(paris) == 1 and entry.findtext(f"{ATOM}author/{ATOM}name") == "bob"


def test_an_edited_include_reaches_the_entries_that_include_it(site: Path) -> None:
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    note = site / "_includes" / "note.html"
    note.write_text('<p class="note">Changed: {{ include.text }}</p>\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    texts = [e["text"] for e in _entries(site / "_site" / "feed.xml").values()]
    assert any("Changed: included text" in t for t in texts)
