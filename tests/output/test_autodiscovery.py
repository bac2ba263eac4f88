"""Autodiscovery links in a Hexo site's own pages: inserted before </head>, nothing else touched, once.

tests/data/hexo-blog is built into a temporary output folder that also holds
pages as `hexo generate` would have left them there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import html as lxml_html

from feeds.builder import build
from feeds.config import load_config

from ..conftest import DATA

BLOG = DATA / "hexo-blog"
SITE = "https://notes.example.org/blog/"
ATOM = "application/atom+xml"
PLAIN = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>%s</title>\n</head>\n'
    b"<body><p>x</p></body>\n</html>\n"
)
PAGES = {
    "index.html": (  # hexo-generator-feed's own link, root-relative: the site feed is there already
        b"<html><head><title>Field Notes</title>"
        b'<link rel="alternate" href="/blog/atom.xml" title="Field Notes" type="application/atom+xml">'
        b"</head><body></body></html>"
    ),
    "2020/05/06/no-opening-line/index.html": PLAIN % b"A post",
    "categories/code/index.html": PLAIN % b"Code",
    "categories/code/python/index.html": PLAIN % b"Python",
    "categories/travel/kyoto/index.html": (
        b"<HTML><HEAD>\r\n<TITLE>Kyoto</TITLE>\r\n</HEAD >\r\n<BODY></BODY></HTML>\r\n"
    ),
    "categories/code/page/2/index.html": PLAIN % b"Code, page 2",
    "about/index.htm": (
        b"<html><head><meta charset=iso-8859-1><title>\xe9t\xe9</title></head><body></body></html>"
    ),
    "fragment.html": b"<p>no head at all</p>",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    for rel, data in PAGES.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out


def config_file(tmp_path: Path, on: bool = True) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"hexo: {BLOG / '_config.yml'}\noutput: out\ncache: cache\n"
        f"feeds:\n  autodiscovery: {str(on).lower()}\n",
        encoding="utf-8",
    )
    return path


def inserted(before: bytes, after: bytes) -> list[tuple[str | None, ...]]:
    """What was added to ``before`` to make ``after``, which must be only that, just before </head>."""
    at = before.lower().index(b"</head")
    added = after[at : at + len(after) - len(before)]
    assert after == before[:at] + added + before[at:], "the page changed beyond the insertion"
    links = lxml_html.fragments_fromstring(added.decode("ascii")) if added else []
    return [(e.tag, e.get("rel"), e.get("type"), e.get("href"), e.get("title")) for e in links]


def site_link() -> tuple[str | None, ...]:
    return ("link", "alternate", ATOM, SITE + "atom.xml", "Field Notes")


def category_link(slugs: str, label: str) -> tuple[str | None, ...]:
    return ("link", "alternate", ATOM, f"{SITE}categories/{slugs}/atom.xml", f"Field Notes · {label}")


def test_every_page_gets_the_site_feed_and_a_category_page_its_own(site: Path, tmp_path: Path) -> None:
    report = build(load_config(config_file(tmp_path)))
    assert report.pages_linked == 6
    read = {rel: (site / rel).read_bytes() for rel in PAGES}
    assert read["index.html"] == PAGES["index.html"]  # already linked: untouched
    assert inserted(
        PAGES["2020/05/06/no-opening-line/index.html"], read["2020/05/06/no-opening-line/index.html"]
    ) == [site_link()]
    assert inserted(PAGES["categories/code/index.html"], read["categories/code/index.html"]) == [
        site_link(),
        category_link("code", "Code"),
    ]
    assert inserted(
        PAGES["categories/code/python/index.html"], read["categories/code/python/index.html"]
    ) == [
        site_link(),
        category_link("code/python", "Code / Python"),
    ]
    kyoto = "categories/travel/kyoto/index.html"
    assert inserted(PAGES[kyoto], read[kyoto]) == [
        site_link(),
        category_link("travel/kyoto", "Travel Notes / Kyoto"),
    ]
    page2 = "categories/code/page/2/index.html"
    assert inserted(PAGES[page2], read[page2]) == [site_link()]
    assert inserted(PAGES["about/index.htm"], read["about/index.htm"]) == [site_link()]  # Latin-1 bytes kept
    assert read["fragment.html"] == PAGES["fragment.html"]  # no head: nothing to add to
    assert (site / "feeds.html").read_bytes().split(b"</head>")[0].count(
        b"<link"
    ) == 1  # its own, not ours again


def test_a_second_run_changes_nothing_and_a_regenerated_page_is_linked_again(
    site: Path, tmp_path: Path
) -> None:
    config = load_config(config_file(tmp_path))
    build(config)
    stamps = {rel: os.stat(site / rel).st_mtime_ns for rel in PAGES}
    contents = {rel: (site / rel).read_bytes() for rel in PAGES}
    again = build(config)
    assert again.pages_linked == 0 and again.seconds.get("read") is None  # the nothing-changed shortcut
    assert {rel: os.stat(site / rel).st_mtime_ns for rel in PAGES} == stamps
    rel = "categories/code/index.html"
    (site / rel).write_bytes(PAGES[rel])  # hexo generate wrote the page anew
    third = build(config)
    assert third.pages_linked == 1 and (site / rel).read_bytes() == contents[rel]
    # A page that already has the links, rewritten by hand with a new mtime, is read and left alone.
    os.utime(site / rel, ns=(1, 1))
    assert build(config).pages_linked == 0 and os.stat(site / rel).st_mtime_ns == 1


def test_off_by_default(site: Path, tmp_path: Path) -> None:
    report = build(load_config(config_file(tmp_path, on=False)))
    assert report.pages_linked == 0
    assert all((site / rel).read_bytes() == data for rel, data in PAGES.items())


def test_only_files_under_the_output_folder(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(PLAIN % b"Elsewhere")
    (outside / "page.html").write_bytes(PLAIN % b"Linked")
    (site / "elsewhere").symlink_to(outside, target_is_directory=True)
    (site / "linked.html").symlink_to(outside / "page.html")
    build(load_config(config_file(tmp_path)))
    assert (outside / "index.html").read_bytes() == PLAIN % b"Elsewhere"
    assert (outside / "page.html").read_bytes() == PLAIN % b"Linked"
    assert (site / "linked.html").is_symlink()


def test_a_killed_runs_temporary_page_is_removed(site: Path, tmp_path: Path) -> None:
    left = site / "categories" / "code" / ".index.html.4242-7.tmp"
    left.write_bytes(b"half")
    build(load_config(config_file(tmp_path)))
    assert not left.exists()


def test_a_tag_page_gets_its_tag_feed(site: Path, tmp_path: Path) -> None:
    page = site / "tags" / "trains" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(PLAIN % b"trains")
    path = config_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "  tags: true\n", encoding="utf-8")
    build(load_config(path))
    tag = ("link", "alternate", ATOM, f"{SITE}tags/trains/atom.xml", "Field Notes · #trains")
    assert inserted(PLAIN % b"trains", page.read_bytes()) == [site_link(), tag]
