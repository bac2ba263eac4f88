"""End to end over every corpus post: the files written, their validity, layout and stability."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feeds.builder import build
from feeds.config import load_config

from ..conftest import ATOM, CORPUS, EXAMPLES, check_feed

CORPUS_POSTS = sum(1 for _ in CORPUS.rglob("*.md"))


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    tmp = tmp_path_factory.mktemp("corpus")
    config_path = tmp / "config.yaml"
    config_path.write_text(
        f"site:\n  title: Mirror\n  url: https://blog.example.org/\n  language: zh-CN\n"
        f"  timezone: Asia/Shanghai\nsource: {CORPUS}\noutput: out\n",
        encoding="utf-8",
    )
    config = load_config(config_path)
    return tmp / "out", (config, build(config))


def feeds_in(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.xml"))


def test_every_corpus_post_is_read(corpus_build: tuple[Path, tuple]) -> None:
    _, (_, report) = corpus_build
    assert CORPUS_POSTS == 132
    assert report.posts_read == CORPUS_POSTS
    assert report.skipped == 0


def test_every_feed_is_valid(corpus_build: tuple[Path, tuple], atom_schema: etree.RelaxNG) -> None:
    out, (_, report) = corpus_build
    files = feeds_in(out)
    assert len(files) == report.feeds_written > 100
    for path in files:
        check_feed(path, atom_schema)


def test_layout_has_a_feed_per_category_level(corpus_build: tuple[Path, tuple]) -> None:
    out, _ = corpus_build
    assert (out / "rss.xml").is_file() and (out / "atom.xml").is_file()
    for level in ("新媒体", "新媒体/ZAKER", "新媒体/ZAKER/source", "音视频/猫眼电影/即将上映"):
        assert (out / "categories" / level / "rss.xml").is_file(), level
        assert (out / "categories" / level / "atom.xml").is_file(), level
    # Every folder of the corpus (L1/L2/L3 = the category path) has its feed.
    for post in CORPUS.rglob("*.md"):
        folder = post.parent.relative_to(CORPUS)
        assert (out / "categories" / folder / "atom.xml").is_file(), folder


def test_parent_holds_descendants_newest_first_within_limit(corpus_build: tuple[Path, tuple]) -> None:
    out, _ = corpus_build
    parent = feedparser.parse((out / "categories/新媒体/atom.xml").read_bytes())
    zaker = feedparser.parse((out / "categories/新媒体/ZAKER/source/atom.xml").read_bytes())
    assert 0 < len(zaker.entries) < len(parent.entries) <= 20
    parent_ids = {e.id for e in parent.entries}
    newest_zaker = zaker.entries[0].id
    assert newest_zaker in parent_ids or len(parent.entries) == 20
    dates = [e.published_parsed for e in parent.entries]
    assert dates == sorted(dates, reverse=True)
    site = feedparser.parse((out / "atom.xml").read_bytes())
    assert len(site.entries) == 20


def test_ids_are_the_same_in_every_feed(corpus_build: tuple[Path, tuple]) -> None:
    out, _ = corpus_build
    ids: dict[str, set[str]] = {}
    for path in feeds_in(out):
        for entry in feedparser.parse(path.read_bytes()).entries:
            ids.setdefault(entry.link, set()).add(entry.id)
    assert ids and all(len(v) == 1 for v in ids.values())


def test_feed_metadata(corpus_build: tuple[Path, tuple]) -> None:
    out, _ = corpus_build
    doc = etree.parse(str(out / "categories/新媒体/ZAKER/atom.xml")).getroot()
    assert doc.findtext(f"{ATOM}title") == "Mirror · 新媒体 / ZAKER"
    links = {link.get("rel"): link.get("href") for link in doc.findall(f"{ATOM}link")}
    assert links["self"] == "https://blog.example.org/categories/%E6%96%B0%E5%AA%92%E4%BD%93/ZAKER/atom.xml"
    assert links["alternate"] == "https://blog.example.org/categories/%E6%96%B0%E5%AA%92%E4%BD%93/ZAKER/"
    newest = max(e.findtext(f"{ATOM}updated") or "" for e in doc.findall(f"{ATOM}entry"))
    assert doc.findtext(f"{ATOM}updated") == newest
    assert doc.find(f"{ATOM}generator").get("version") is None
    rss = etree.parse(str(out / "categories/新媒体/ZAKER/rss.xml")).getroot()
    channel = rss.find("channel")
    assert channel.findtext("generator") == "feeds"
    assert channel.findtext("language") == "zh-CN"
    assert channel.findtext("description")
    assert not re.search(r"\d", channel.findtext("generator") or "")


def test_entry_fields(corpus_build: tuple[Path, tuple]) -> None:
    out, _ = corpus_build
    parsed = feedparser.parse((out / "categories/新媒体/ZAKER/source/rss.xml").read_bytes())
    entry = next(e for e in parsed.entries if e.title == "进一步提升为群众办实事的质量水平")
    assert entry.link.startswith("https://blog.example.org/2021/10/11/")
    assert entry.id == entry.link
    assert entry.author == "ZAKER"
    assert [t.term for t in entry.tags] == ["新媒体", "ZAKER", "source"]
    assert entry.media_thumbnail[0]["url"] == "https://picsum.photos/400/300?random=1622"
    assert "利民之事" in entry.content[0].value
    assert entry.summary.startswith("利民之事")
    raw = (out / "categories/新媒体/ZAKER/source/rss.xml").read_text(encoding="utf-8")
    assert "media:group" not in raw
    assert "<pubDate>Mon, 11 Oct 2021 01:07:41 +0000</pubDate>" in raw


def test_second_build_is_identical_and_touches_nothing(make_config: Callable[..., Path]) -> None:
    config = load_config(make_config(source=str(EXAMPLES)))
    first = build(config)
    files = feeds_in(config.output)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    past = 1_000_000_000
    for p in files:
        os.utime(p, ns=(past, past))
    second = build(config)
    assert first.feeds_written == len(files) and first.feeds_unchanged == 0
    assert second.feeds_written == 0 and second.feeds_unchanged == len(files)
    for p in files:
        assert p.read_bytes() == before[p][0]
        assert p.stat().st_mtime_ns == past


def test_examples_include_the_starting_post() -> None:
    assert (EXAMPLES / "新媒体/ZAKER/source/进一步提升为群众办实事的质量水平.md").is_file()
    assert len(list(EXAMPLES.rglob("*.md"))) >= 12


def test_shipped_config_builds_the_examples(tmp_path: Path, atom_schema: etree.RelaxNG) -> None:
    """The shipped config as is, but for where it writes: nothing lands in the source tree."""
    shipped = Path(__file__).parents[2] / "config.yaml"
    text = shipped.read_text(encoding="utf-8")
    assert "source: examples/posts" in text and "output: public" in text and "cache: .feeds-cache" in text
    text = (
        text.replace("source: examples/posts", f"source: {EXAMPLES}")
        .replace("output: public", f"output: {tmp_path / 'public'}")
        .replace("cache: .feeds-cache", f"cache: {tmp_path / 'cache'}")
    )
    copy = tmp_path / "config.yaml"
    copy.write_text(text, encoding="utf-8")
    report = build(load_config(copy))
    assert report.posts_read == len(list(EXAMPLES.rglob("*.md"))) and report.skipped == 0
    for path in feeds_in(tmp_path / "public"):
        check_feed(path, atom_schema)


def test_partition_keeps_subtrees_together_and_shares_the_work() -> None:
    from feeds.builder.planning import partition
    from feeds.models import FeedInfo, FeedJob

    info = FeedInfo("t", "l", "s", "d", "en", "a")
    jobs = []
    for top in range(3):
        for sub in range(4):
            rels = tuple(f"p{top}-{sub}-{i}" for i in range(5 + 5 * sub))
            for leaf in ("", "/leaf"):
                for fmt in ("rss", "atom"):
                    jobs.append(FeedJob(f"categories/t{top}/s{sub}{leaf}/{fmt}.xml", fmt, info, rels, ""))
        top_rels = tuple(f"p{top}-3-{i}" for i in range(20))  # the newest of a top category: its s3's
        jobs.append(FeedJob(f"categories/t{top}/rss.xml", "rss", info, top_rels, ""))
    jobs.append(FeedJob("rss.xml", "rss", info, tuple(f"p2-3-{i}" for i in range(20)), ""))

    groups = partition(jobs, 4)
    assert sorted(j.name for g in groups for j in g) == sorted(j.name for j in jobs)  # each once
    where = {j.name: i for i, g in enumerate(groups) for j in g}
    for job in jobs:
        parts = job.name.split("/")
        if len(parts) >= 4:  # a subcategory's feeds, both formats, with their own subcategories
            assert where[job.name] == where["/".join(parts[:3]) + "/rss.xml"]
    for top in range(3):  # a top category's feed goes where its posts are already rendered
        assert where[f"categories/t{top}/rss.xml"] == where[f"categories/t{top}/s3/rss.xml"]
    assert where["rss.xml"] == where["categories/t2/s3/rss.xml"]
    work = [len({r for j in g for r in j.posts}) for g in groups]
    assert len(groups) == 4 and max(work) <= 1.5 * min(work), work
    assert partition(jobs, 1) == [jobs] and partition([], 4) == []


def test_partition_shares_a_flat_tree() -> None:
    """One level of categories only: every feed is 'shared', and the work must still be spread."""
    from feeds.builder.planning import partition
    from feeds.models import FeedInfo, FeedJob

    info = FeedInfo("t", "l", "s", "d", "en", "a")
    jobs = [
        FeedJob(f"{fmt}.xml", fmt, info, tuple(f"c{c}-0" for c in range(20)), "") for fmt in ("rss", "atom")
    ]
    for c in range(20):
        rels = tuple(f"c{c}-{i}" for i in range(20))
        jobs += [FeedJob(f"categories/c{c}/{fmt}.xml", fmt, info, rels, "") for fmt in ("rss", "atom")]
    groups = partition(jobs, 4)
    assert sorted(j.name for g in groups for j in g) == sorted(j.name for j in jobs)
    where = {j.name: i for i, g in enumerate(groups) for j in g}
    assert all(where[f"categories/c{c}/rss.xml"] == where[f"categories/c{c}/atom.xml"] for c in range(20))
    work = [len({r for j in g for r in j.posts}) for g in groups]
    assert len(groups) == 4 and max(work) <= 1.5 * min(work), work


def test_archive_pages_are_shared_by_date_so_few_posts_render_twice() -> None:
    """A site of 2,000 posts in 4 categories, pages of 20: runs of dates, not feeds, make the shares."""
    from feeds.builder.planning import partition, partition_by_date
    from feeds.models import FeedInfo, FeedJob

    info = FeedInfo("t", "l", "s", "d", "en", "a")
    dates = {f"p{i:04d}": float(i) for i in range(2000)}  # p1999 the newest
    newest = sorted(dates, key=lambda rel: -dates[rel])
    feeds = {"": newest} | {f"categories/c{c}/": [r for r in newest if int(r[1:]) % 4 == c] for c in range(4)}
    jobs = []
    for folder, rels in feeds.items():
        older = rels[20:][::-1]  # oldest first, cut every 20 as a first build cuts its pages
        for n, page in enumerate((tuple(older[i : i + 20][::-1]) for i in range(0, len(older), 20)), 1):
            jobs += [FeedJob(f"{folder}archive/{f}/{n}.xml", f, info, page, "") for f in ("rss", "atom")]

    def key(job: FeedJob) -> tuple[float, str]:
        return (-dates[job.posts[0]], job.name)

    by_date = partition_by_date(jobs, 4, key)
    assert sorted(j.name for g in by_date for j in g) == sorted(j.name for j in jobs)  # each once
    assert partition_by_date(jobs, 1, key) == [sorted(jobs, key=key)] and partition_by_date([], 4, key) == []

    def rendered(groups: list[list[FeedJob]]) -> int:  # posts rendered, summed over the shares
        return sum(len({r for j in g for r in j.posts}) for g in groups)

    work = [sum(len(j.posts) + 1 for j in g) for g in by_date]
    assert len(by_date) == 4 and max(work) <= 1.3 * min(work), work
    assert rendered(by_date) <= 1.1 * 1980  # 1,980 posts archived: a few render twice
    assert rendered(partition(jobs, 4)) > 1.5 * 1980  # by feed: the site's pages spread over every share
