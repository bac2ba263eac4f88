"""RFC 5005 archived feeds: walking back from the subscription document finds every post once.

The walk is a reader's: it starts at the feed a person subscribes to, follows
``prev-archive`` (JSON Feed: ``next_url``) to the oldest page, and checks on the
way what RFC 5005 asks of each page (``fh:archive``, ``current``, and a
``next-archive`` that leads back where it came from).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from feeds.builder import build
from feeds.config import load_config

from ..conftest import check_feed, check_json_feed, write_post

SITE = "https://blog.example.org/"
HISTORY = "{http://purl.org/syndication/history/1.0}"
ATOM = "{http://www.w3.org/2005/Atom}"
LIMIT = 5


def post(n: int, day: int | None = None, category: str = "Even", body: str = "") -> str:
    day = n if day is None else day
    when = f"2024-{1 + day // 28:02d}-{1 + day % 28:02d} 12:00:00"
    return f"---\ntitle: Post {n}\ndate: {when}\ncategories: [{category}]\n---\n{body or f'Body {n}.'}\n"


@pytest.fixture
def blog(tmp_path: Path, make_config: Callable[..., Path]) -> tuple[Path, Path]:
    """17 posts, limit 5: the site feed has 5 in its subscription document and 3 pages (5, 5, 2)."""
    source = tmp_path / "posts"
    for n in range(1, 18):
        write_post(source, f"p{n:02d}.md", post(n, category="Even" if n % 2 == 0 else "Odd"))
    feeds = {"archive": True, "limit": LIMIT, "formats": ["rss", "atom", "json"]}
    make_config(source=str(source), feeds=feeds, site={"url": SITE, "title": "T"})
    return tmp_path / "config.yaml", source


def first_build(blog: tuple[Path, Path]) -> tuple[Path, Path, Path]:
    """The blog built once: its config, its posts' folder and its output folder."""
    config, source = blog
    run(config)
    return config, source, load_config(config).output


def run(config: Path) -> Any:
    return build(load_config(config))


def local(out: Path, url: str) -> Path:
    assert url.startswith(SITE), url
    return out / url.removeprefix(SITE)


def links(doc: etree._Element) -> dict[str, str]:
    head = doc if doc.tag == f"{ATOM}feed" else doc.find("channel")
    assert head is not None
    return {el.get("rel", ""): el.get("href", "") for el in head if etree.QName(el).localname == "link"}


def walk(out: Path, name: str, schema: etree.RelaxNG) -> list[str]:
    """Every entry id from the subscription document back to the oldest page, checking each page."""
    path, ids, came_from = out / name, [], ""  # came_from: the newer page the walk left ("" at first)
    while True:
        ids.extend(e.id for e in check_feed(path, schema).entries)
        doc = etree.fromstring(path.read_bytes())
        head = doc if doc.tag == f"{ATOM}feed" else doc.find("channel")
        assert head is not None
        rels = links(doc)
        is_page = path != out / name
        assert (head.find(f"{HISTORY}archive") is not None) == is_page, path
        if is_page:
            assert rels["current"] == SITE + name and local(out, rels["self"]) == path
            assert rels.get("next-archive", "") == came_from, path  # leads back where the walk came from
        else:
            assert "current" not in rels and "next-archive" not in rels
        if "prev-archive" not in rels:
            return ids
        came_from = rels["self"] if is_page else ""
        path = local(out, rels["prev-archive"])


def walk_json(out: Path, name: str, schema: Any) -> list[str]:
    path, ids, seen = out / name, [], set()
    while True:
        doc = check_json_feed(path, schema)
        ids.extend(item["id"] for item in doc["items"])
        if "next_url" not in doc:
            return ids
        assert doc["next_url"] not in seen and doc["next_url"] != doc["feed_url"]  # the spec's loop rule
        seen.add(doc["next_url"])
        path = local(out, doc["next_url"])


def ids_of(source: Path, category: str | None = None) -> list[str]:
    """The permalinks of the posts in ``source`` (of ``category``), as the feeds' ids."""
    return sorted(
        p.stem
        for p in source.glob("*.md")
        if category is None or f"categories: [{category}]" in p.read_text(encoding="utf-8")
    )


def stems(ids: list[str]) -> list[str]:
    return sorted(i.rstrip("/").rsplit("/", 1)[-1] for i in ids)


def check_all(out: Path, source: Path, schema: etree.RelaxNG, json_schema: Any) -> None:
    for folder, category in (("", None), ("categories/Even/", "Even"), ("categories/Odd/", "Odd")):
        want = ids_of(source, category)
        if not want:
            assert not (out / folder).exists()
            continue
        for name in ("rss.xml", "atom.xml"):
            got = walk(out, folder + name, schema)
            assert len(got) == len(set(got)) and stems(got) == want, folder + name
        got = walk_json(out, folder + "feed.json", json_schema)
        assert len(got) == len(set(got)) and stems(got) == want, folder + "feed.json"


def each_format(*patterns: str) -> set[str]:
    """Each pattern's page in every format: "archive/{}/2.{}" gives archive/rss/2.xml and the others."""
    return {
        p.format(stem, ext)
        for p in patterns
        for stem, ext in (("rss", "xml"), ("atom", "xml"), ("feed", "json"))
    }


def mtimes(out: Path) -> dict[str, int]:
    files = (p for p in out.rglob("*") if p.is_file() and p.name != ".feeds.lock")
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in files}


def rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name, stamp in after.items() if before.get(name) != stamp}


def rebuilt(config: Path, out: Path, change: Callable[[], object]) -> set[str]:
    """The files a build after ``change`` rewrote."""
    before = mtimes(out)
    change()
    run(config)
    return rewritten(before, mtimes(out))


def test_every_post_once_from_the_subscription_document_back(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source = blog
    report = run(config)
    out = load_config(config).output
    assert sorted(p.relative_to(out).as_posix() for p in (out / "archive").rglob("*")) == [
        "archive/atom",
        "archive/atom/1.xml",
        "archive/atom/2.xml",
        "archive/atom/3.xml",
        "archive/feed",
        "archive/feed/1.json",
        "archive/feed/2.json",
        "archive/feed/3.json",
        "archive/rss",
        "archive/rss/1.xml",
        "archive/rss/2.xml",
        "archive/rss/3.xml",
    ]
    page_one = etree.parse(str(out / "archive/atom/1.xml")).getroot()
    assert [e.findtext(f"{ATOM}title") for e in page_one.iter(f"{ATOM}entry")] == [
        f"Post {n}"
        for n in (5, 4, 3, 2, 1)  # the oldest posts, newest first as in any feed
    ]
    assert len(etree.parse(str(out / "atom.xml")).getroot().findall(f"{ATOM}entry")) == LIMIT
    assert report.files["archive"] == {"written": 9 + 3 + 3, "unchanged": 0}  # site 3 pages, Even 1, Odd 1
    check_all(out, source, atom_schema, json_schema)


def test_a_new_post_rewrites_its_subscription_documents_and_the_newest_page(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    changed = rebuilt(config, out, lambda: write_post(source, "p18.md", post(18, category="Even")))
    # archived now: site 5, 5, 3; Even 4
    feeds = {f"{d}{n}" for d in ("", "categories/Even/") for n in ("rss.xml", "atom.xml", "feed.json")}
    pages = each_format("archive/{}/3.{}", "categories/Even/archive/{}/1.{}")
    assert changed == feeds | pages | {"feeds.html", "feeds.opml", ".feeds-manifest.json"}
    check_all(out, source, atom_schema, json_schema)


def test_a_new_page_links_its_older_neighbour_forward(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    for n in range(18, 21):  # site: 20 posts, 15 archived, page 3 full
        write_post(source, f"p{n}.md", post(n))
    run(config)
    assert "next-archive" not in links(etree.parse(str(out / "archive/atom/3.xml")).getroot())
    changed = rebuilt(config, out, lambda: write_post(source, "p21.md", post(21)))
    changed = {n for n in changed if n.startswith("archive/atom/")}
    assert changed == {"archive/atom/3.xml", "archive/atom/4.xml"}  # page 3 gains its next-archive, once
    assert links(etree.parse(str(out / "archive/atom/3.xml")).getroot())["next-archive"].endswith("/4.xml")
    check_all(out, source, atom_schema, json_schema)


def test_an_edit_rewrites_only_the_page_it_is_on(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    edit = post(7, category="Odd", body="Edited.")  # site page 2, Odd page 1
    changed = {n for n in rebuilt(config, out, lambda: write_post(source, "p07.md", edit)) if "archive" in n}
    assert changed == each_format("archive/{}/2.{}", "categories/Odd/archive/{}/1.{}")
    check_all(out, source, atom_schema, json_schema)


def test_deleted_and_backdated_posts_leave_every_post_once(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    (source / "p03.md").unlink()
    write_post(source, "p99.md", post(99, day=0, category="Odd"))  # older than every other post
    os.utime(source / "p10.md")  # looked at again, unchanged
    run(config)
    check_all(out, source, atom_schema, json_schema)
    first = etree.parse(str(out / "archive/atom/1.xml")).getroot()
    assert first.findall(f"{ATOM}entry")[-1].findtext(f"{ATOM}title") == "Post 99"
    for n in range(1, 17):  # and down to fewer posts than one page: the pages go
        (source / f"p{n:02d}.md").unlink(missing_ok=True)
    run(config)
    assert not (out / "archive").exists() and not (out / "categories/Odd/archive").exists()
    assert "prev-archive" not in links(etree.parse(str(out / "atom.xml")).getroot())
    check_all(out, source, atom_schema, json_schema)


def test_turned_off_the_pages_are_removed(blog: tuple[Path, Path], make_config: Callable[..., Path]) -> None:
    config, source, out = first_build(blog)
    make_config(
        source=str(source), feeds={"archive": False, "limit": LIMIT}, site={"url": SITE, "title": "T"}
    )
    report = run(config)
    assert not list(out.rglob("archive")) and "archive" not in report.files
    assert "prev-archive" not in links(etree.parse(str(out / "atom.xml")).getroot())
    manifest = json.loads((out / ".feeds-manifest.json").read_text(encoding="utf-8"))
    assert not [n for n in manifest["files"] if "archive/" in n]


def archive_names(changed: set[str]) -> set[str]:
    return {n for n in changed if "/archive/" in f"/{n}" and n.startswith(("archive/", "categories/"))}


def test_a_deleted_or_backdated_post_changes_only_its_own_pages(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    deleted = rebuilt(config, out, (source / "p07.md").unlink)  # site page 2 (6-10), Odd page 1 (1, 3, 5, 7)
    want = each_format("archive/{}/2.{}", "categories/Odd/archive/{}/1.{}")
    assert archive_names(deleted) == want  # pages 1 and 3 stay as they were
    check_all(out, source, atom_schema, json_schema)
    backdated = post(50, day=8, category="Even")  # dated between posts 7 and 8
    want = each_format("archive/{}/2.{}", "categories/Even/archive/{}/1.{}")
    assert archive_names(rebuilt(config, out, lambda: write_post(source, "p50.md", backdated))) == want
    check_all(out, source, atom_schema, json_schema)


def test_old_posts_imported_at_once_make_new_pages_and_move_no_other(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    before = mtimes(out)
    for n in range(60, 72):  # twelve posts older than any: page 1's range, now past twice the limit
        write_post(source, f"p{n}.md", post(n, day=0, category="Even"))
    run(config)
    pages = sorted(p.name for p in (out / "archive/atom").iterdir())
    assert pages == ["1.xml", "2.xml", "3.xml", "4.xml", "5.xml", "6.xml"]  # 17 posts in 1: cut into 1, 4-6
    changed = {n for n in archive_names(rewritten(before, mtimes(out))) if n.startswith("archive/atom/")}
    assert "archive/atom/3.xml" not in changed  # the newest page: neither its posts nor its links moved
    check_all(out, source, atom_schema, json_schema)


def test_an_emptied_page_goes_and_its_number_is_not_reused(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    for n in range(6, 11):  # every post of site page 2
        (source / f"p{n:02d}.md").unlink()
    run(config)
    assert sorted(p.name for p in (out / "archive/atom").iterdir()) == ["1.xml", "3.xml"]
    assert links(etree.parse(str(out / "archive/atom/3.xml")).getroot())["prev-archive"].endswith("/1.xml")
    check_all(out, source, atom_schema, json_schema)
    for n in range(18, 31):  # 13 more push 13 posts into page 3: cut into 3, 4, 5 (2 is not reused)
        write_post(source, f"p{n}.md", post(n))
    run(config)
    assert sorted(p.name for p in (out / "archive/atom").iterdir()) == ["1.xml", "3.xml", "4.xml", "5.xml"]
    check_all(out, source, atom_schema, json_schema)


def test_without_the_remembered_pages_every_post_is_still_found(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    (source / "p02.md").unlink()
    for remembered in (load_config(config).cache).glob("archive-*.json"):
        remembered.unlink()  # a cleared cache: the pages are cut afresh
    run(config)
    check_all(out, source, atom_schema, json_schema)


def test_a_file_name_in_a_folder_keeps_its_folder_in_page_links(
    tmp_path: Path, make_config: Callable[..., Path], atom_schema: etree.RelaxNG
) -> None:
    source = tmp_path / "posts"
    for n in range(1, 13):
        write_post(source, f"p{n:02d}.md", post(n))
    feeds = {"archive": True, "limit": LIMIT, "formats": ["atom"], "file_names": {"atom": "feeds/atom.xml"}}
    make_config(source=str(source), feeds=feeds, site={"url": SITE, "title": "T"})
    run(tmp_path / "config.yaml")
    out = tmp_path / "public"
    assert (out / "archive/feeds/atom/1.xml").is_file()
    got = walk(out, "feeds/atom.xml", atom_schema)
    assert stems(got) == ids_of(source)


def test_small_windows_and_a_small_hold_write_the_same_bytes(
    tmp_path: Path, make_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Posts made ready a few at a time, most let go and made again: the files do not change.

    Thirty tags spread over the whole timeline make pages that span it (the case that once held
    most posts at once); the largest number of posts held is checked against the bound."""
    import feeds.builder.render as render

    source = tmp_path / "posts"
    for n in range(1, 61):
        text = post(n, category="Even" if n % 2 else "Odd").replace("---\n", f"---\ntags: [t{n % 30}]\n", 1)
        write_post(source, f"p{n:02d}.md", text)
    feeds = {"archive": True, "limit": 3, "formats": ["rss", "atom", "json"], "tags": True}

    def files(name: str) -> dict[str, bytes]:
        config = load_config(make_config(source=str(source), feeds=feeds, output=name, cache=f"{name}-cache"))
        build(config)
        written = (p for p in config.output.rglob("*.*") if not p.name.startswith("."))  # not the manifest
        return {p.relative_to(config.output).as_posix(): p.read_bytes() for p in written}

    whole = files("whole")
    most = []
    trim = render._Held.trim

    def watched(self: Any, now: int) -> None:
        trim(self, now)
        most.append(len(self.pieces))

    monkeypatch.setattr(render, "WINDOW", 3)
    monkeypatch.setattr(render, "HOLD", 8)
    monkeypatch.setattr(render._Held, "trim", watched)
    small = files("small")
    assert max(most) <= 8 and len(most) > 20
    assert small.keys() == whole.keys() and len(whole) > 100
    assert [name for name in whole if whole[name] != small[name]] == []


def test_posts_named_in_latin_1_are_archived_and_remembered(
    tmp_path: Path, make_config: Callable[..., Path], atom_schema: etree.RelaxNG
) -> None:
    """A file name that is not UTF-8 (an old archive's) is a post like any other, pages remembered."""
    source = tmp_path / "posts"
    source.mkdir()
    for n in range(1, 7):
        (source / os.fsdecode(f"caf\xe9{n}.md".encode("latin-1"))).write_text(post(n), encoding="utf-8")
    feeds = {"archive": True, "limit": 2, "formats": ["atom"]}
    config = load_config(make_config(source=str(source), feeds=feeds, site={"url": SITE, "title": "T"}))
    assert build(config).skipped == 0
    assert len(list(config.cache.glob("archive-*.json"))) == 1  # remembered
    assert len(walk(config.output, "atom.xml", atom_schema)) == 6


def test_a_feed_that_shrinks_and_grows_again_takes_new_numbers(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    for n in range(1, 13):  # down to the subscription document's five: no page
        (source / f"p{n:02d}.md").unlink()
    run(config)
    assert not (out / "archive").exists()
    for n in range(1, 4):  # three older posts again: a page, numbered after the three there were
        write_post(source, f"p{n:02d}.md", post(n))
    run(config)
    assert sorted(p.name for p in (out / "archive/atom").iterdir()) == ["4.xml"]
    check_all(out, source, atom_schema, json_schema)


def test_ordered_by_updated_the_pages_follow_that_order(
    tmp_path: Path, make_config: Callable[..., Path], atom_schema: etree.RelaxNG
) -> None:
    source = tmp_path / "posts"
    for n in range(1, 9):  # dated 1..8, updated in the opposite order
        write_post(source, f"p{n}.md", post(n).replace("---\n", f"---\nupdated: 2025-01-{20 - n:02d}\n", 1))
    feeds = {"archive": True, "limit": 3, "formats": ["atom"], "order_by": "updated"}
    make_config(source=str(source), feeds=feeds, site={"url": SITE, "title": "T"})
    run(tmp_path / "config.yaml")
    out = tmp_path / "public"
    first = etree.parse(str(out / "archive/atom/1.xml")).getroot()
    assert [e.findtext(f"{ATOM}title") for e in first.iter(f"{ATOM}entry")] == ["Post 6", "Post 7", "Post 8"]
    assert stems(walk(out, "atom.xml", atom_schema)) == ids_of(source)


def test_a_feed_whose_posts_did_not_change_keeps_its_pages_unlooked_at(
    blog: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    """A post added to Even: Odd's inputs are the last build's, so its pages are neither cut nor
    fingerprinted again, and its files stay as they were."""
    from feeds.builder import archive

    config, source, out = first_build(blog)
    cut: list[tuple[str, ...]] = []
    pages = archive.Layouts.pages

    def spy(self: archive.Layouts, folder: tuple[str, ...], *args: Any) -> list[archive.Page]:
        cut.append(folder)
        return pages(self, folder, *args)

    monkeypatch.setattr(archive.Layouts, "pages", spy)
    changed = rebuilt(config, out, lambda: write_post(source, "p18.md", post(18, category="Even")))
    assert cut == [(), ("categories", "Even")]
    assert not any(name.startswith("categories/Odd/") for name in changed)
    check_all(out, source, atom_schema, json_schema)
    cut.clear()
    changed = rebuilt(config, out, lambda: write_post(source, "p19.md", post(19, category="Odd")))
    assert cut == [(), ("categories", "Odd")]  # Even's pages, remembered with their inputs, are kept
    assert not any(name.startswith("categories/Even/") for name in changed)


def test_a_page_gone_from_a_feed_that_did_not_change_is_written_again(
    blog: tuple[Path, Path], atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    config, source, out = first_build(blog)
    page = out / "categories/Odd/archive/atom/1.xml"
    before = page.read_bytes()
    page.unlink()
    write_post(source, "p18.md", post(18, category="Even"))
    run(config)
    assert page.read_bytes() == before
    check_all(out, source, atom_schema, json_schema)


def test_a_file_written_without_a_failed_post_is_not_taken_as_left(tmp_path: Path) -> None:
    """Such a file's record has no fingerprint, so that the next build tries the post again."""
    from feeds.builder.writing import _as_left
    from feeds.output import Record

    (tmp_path / "a.xml").write_bytes(b"x")
    stat = (tmp_path / "a.xml").stat()
    whole, lacking = Record("f", stat.st_size, stat.st_mtime_ns), Record("", stat.st_size, stat.st_mtime_ns)
    assert _as_left(tmp_path, {"a.xml": whole}, "a.xml")
    assert not _as_left(tmp_path, {"a.xml": lacking}, "a.xml")
    assert not _as_left(tmp_path, {}, "a.xml")
    (tmp_path / "a.xml").write_bytes(b"xy")
    assert not _as_left(tmp_path, {"a.xml": whole}, "a.xml")


def test_a_feeds_places_are_its_posts_among_the_site_feeds(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """The archived feeds' inputs are joined by each post's place in the site feed's order: every
    category's, tag's and author's plan must know them, and they must name its very posts."""
    from feeds.builder.planning import plan_all
    from feeds.source.posts import read_posts

    source = tmp_path / "posts"
    for n in range(1, 30):
        text = post(n, day=(n * 7) % 29, category=f"[Top, Sub{n % 4}]" if n % 2 else "Even")
        more = f"author: a{n % 2}\ntags: [t{n % 3}, t{n % 5}]\ncategories:"  # dates out of file order
        write_post(source, f"p{n:02d}.md", text.replace("categories:", more))
    feeds = {"archive": True, "limit": 3, "tags": True, "authors": True}
    config = load_config(make_config(source=str(source), feeds=feeds, site={"url": SITE, "title": "T"}))
    site, *others = plan_all(config, read_posts(config).posts).plans
    in_order = [*site.posts, *site.older]
    assert len(in_order) == 29 and {p.kind for p in others} == {"category", "tag", "author"}
    for plan in others:
        assert [in_order[i] for i in plan.places] == [*plan.posts, *plan.older], plan.folder
