"""A Hexo blog read as Hexo reads it: `feeds build` in its folder, with no config.yaml.

tests/data/hexo-blog is a small site written for these tests, one post per
rule.  Every expected title, link, date, category and tag below is what Hexo
8.1.2 itself gave for the same blog (tools/hexo_compare, run once by hand).
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree

from feeds.cli import main

from ..conftest import ATOM, DATA, check_feed

BLOG = DATA / "hexo-blog"
SITE = "https://notes.example.org/blog/"
HEXO = {  # source file -> (title, link, date, category paths, tags), as Hexo 8 gives them
    "2019-12-08-moment-dates.md": (
        "Dates as moment reads them",
        SITE + "2018/07/24/moment-dates/",
        "2018-07-24T23:31:06+09:00",
        {"Code", "Code / Python", "Diary"},
        set(),
    ),
    "no-opening-line.md": (
        "Front matter without an opening line",
        SITE + "2020/05/06/no-opening-line/",
        "2020-05-06T07:08:09+09:00",
        {"Diary"},
        {"diary"},
    ),
    "2021-03-04-file-name-date.md": (
        "A date from the file name",
        SITE + "2021/03/04/file-name-date/",
        "2021-03-04T00:00:00+09:00",
        {"Travel Notes", "Travel Notes / Kyoto"},
        {"trains", "Japan"},
    ),
    "own-permalink.markdown": (
        "A post with its own permalink",
        SITE + "pages/own/",
        "2021-06-01T12:00:00+09:00",
        {"Diary"},
        {"single"},
    ),
    "page.html": ("An HTML post", SITE + "2021/07/08/page/", "2021-07-08T09:10:11+09:00", set(), set()),
    "notes/json-front-matter.md": (
        "JSON front matter, in a sub-folder",
        SITE + "2022/01/02/notes-json-front-matter/",
        "2022-01-02T03:04:05+09:00",
        set(),
        {"json"},
    ),
}
CATEGORY_FEEDS = {"code", "code/python", "diary", "travel", "travel/kyoto"}  # Hexo's category paths


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "blog"
    shutil.copytree(BLOG, copy)
    monkeypatch.chdir(copy)
    return copy


def _entries(path: Path) -> dict[str, etree._Element]:
    doc = etree.parse(str(path))
    return {e.findtext(f"{ATOM}title"): e for e in doc.iterfind(f"{ATOM}entry")}


def test_feeds_build_in_a_hexo_blog_gives_what_hexo_gives(blog: Path, atom_schema: etree.RelaxNG) -> None:
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "6 posts read" in result.stdout
    feed = blog / "public" / "atom.xml"  # hexo-generator-feed's feed.path, in Hexo's public_dir
    check_feed(feed, atom_schema)
    assert not (blog / "public" / "rss.xml").exists()  # feed.type: atom only
    entries = _entries(feed)
    assert set(entries) == {fields[0] for fields in HEXO.values()}
    by_title = {fields[0]: fields for fields in HEXO.values()}
    for title, entry in entries.items():
        _, link, date, _, tags = by_title[title]
        assert entry.find(f"{ATOM}link").get("href") == link
        assert entry.findtext(f"{ATOM}id") == link
        assert datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == datetime.fromisoformat(date)
        terms = {c.get("term") for c in entry.iterfind(f"{ATOM}category")}
        assert tags <= terms, title
    assert feedparser.parse(feed.read_bytes()).feed.title == "Field Notes"


def test_category_feeds_sit_beside_hexos_category_pages(blog: Path) -> None:
    CliRunner().invoke(main, ["build"])
    folders = {p.parent.relative_to(blog / "public" / "categories").as_posix() for p in blog.rglob("atom.xml")
               if "categories" in p.parts}  # fmt: skip
    assert folders == CATEGORY_FEEDS
    diary = _entries(blog / "public" / "categories" / "diary" / "atom.xml")
    assert set(diary) == {"Dates as moment reads them", "Front matter without an opening line",
                          "A post with its own permalink"}  # fmt: skip


def test_what_hexo_leaves_out_feeds_leaves_out(blog: Path) -> None:
    CliRunner().invoke(main, ["build"])
    titles = set(_entries(blog / "public" / "atom.xml"))
    assert "Hexo skips files whose names start with an underscore" not in titles
    assert "Not published" not in titles and "A draft" not in titles


def test_config_yaml_keys_win_over_the_hexo_config(blog: Path) -> None:
    (blog / "config.yaml").write_text(
        "hexo: _config.yml\nsite:\n  title: Overridden\nfeeds:\n  formats: [rss]\n"
    )
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    rss = feedparser.parse((blog / "public" / "rss.xml").read_bytes())  # feed.path named only the Atom file
    assert rss.feed.title == "Overridden" and len(rss.entries) == 6


def test_feeds_config_says_where_each_value_came_from(blog: Path) -> None:
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("\t# ", 1) for line in result.stdout.splitlines())
    assert lines['site.url = "https://notes.example.org/blog/"'] == "_config.yml: url"
    assert lines['posts.new_post_name = ":year-:month-:day-:title.md"'] == "_config.yml: new_post_name"
    assert lines["feeds.limit = 20"] == "_config.yml: feed.limit"
    assert lines["content.iframe_hosts = []"] == "default"


def test_an_unknown_feed_key_is_a_warning(blog: Path) -> None:
    config = blog / "_config.yml"
    config.write_text(config.read_text().replace("  content: true\n", "  content: true\n  sumary: 3\n"))
    result = CliRunner().invoke(main, ["build", "--quiet"])
    assert result.exit_code == 0
    assert "feed.sumary is not a hexo-generator-feed setting feeds knows" in result.stderr


def test_hexo_option_reads_a_blog_elsewhere(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--hexo", str(blog), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(_entries(tmp_path / "out" / "atom.xml")) == 6


def test_future_posts_are_left_out_until_they_are_due(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = blog / "_config.yml"
    config.write_text(config.read_text().replace("future: true", "future: false"))
    post = "---\ntitle: Tomorrow's post\ndate: 2030-01-01 00:00:00\n---\nSoon.\n"
    (blog / "source" / "_posts" / "tomorrow.md").write_text(post)
    CliRunner().invoke(main, ["build"])
    assert "Tomorrow's post" not in _entries(blog / "public" / "atom.xml")
    again = CliRunner().invoke(main, ["build"])
    assert "0 feeds written" in again.stdout  # nothing changed, and nothing is due
    import time

    due = datetime.fromisoformat("2030-01-01T00:00:00+09:00").timestamp()
    monkeypatch.setattr(time, "time", lambda: due + 1)
    later = CliRunner().invoke(main, ["build"])
    assert later.exit_code == 0, later.output
    assert "Tomorrow's post" in _entries(blog / "public" / "atom.xml")


def test_render_drafts_shows_unpublished_posts(blog: Path) -> None:
    config = blog / "_config.yml"
    config.write_text(config.read_text().replace("render_drafts: false", "render_drafts: true"))
    CliRunner().invoke(main, ["build"])
    entries = _entries(blog / "public" / "atom.xml")
    assert "Not published" in entries
    draft = entries["A draft"]  # from source/_drafts
    assert draft.find(f"{ATOM}link").get("href") == SITE + "2021/02/03/a-draft/"


def test_in_a_hexo_site_the_entry_id_is_the_link_and_a_bare_md_file_is_hidden(blog: Path) -> None:
    """Hexo's `id` is a database id that blogs repeat (`id: 4` in hundreds of posts); its feeds use links."""
    posts = blog / "source" / "_posts"
    (posts / "with-id.md").write_text("---\ntitle: With an id\ndate: 2021-01-05 00:00:00\nid: 4\n---\nb\n")
    (posts / ".md").write_text("---\ntitle: A file named .md\ndate: 2021-01-06 00:00:00\n---\nb\n")
    CliRunner().invoke(main, ["build"])
    entries = _entries(blog / "public" / "atom.xml")
    assert entries["With an id"].findtext(f"{ATOM}id") == SITE + "2021/01/05/with-id/"
    assert "A file named .md" not in entries


FEED_SECTION = """feed:
  type: [atom, rss2]
  path: [atom.xml, rss2]
  limit: 0
  content: false
  content_limit: 40
  content_limit_delim: ' '
  order_by: -updated
  icon: /images/icon.png
  hub: https://hub.example.org/
"""


def test_every_key_of_hexo_generator_feed_is_mapped(blog: Path, atom_schema: etree.RelaxNG) -> None:
    config = blog / "_config.yml"
    text = config.read_text()
    config.write_text(text[: text.index("feed:")] + FEED_SECTION)
    settings = CliRunner().invoke(main, ["config"]).stdout
    for line in (
        'feeds.formats = ["atom", "rss"]\t# _config.yml: feed.type',
        'feeds.file_names = {"atom": "atom.xml", "rss": "rss2.xml"}\t# _config.yml: feed.path',
        "feeds.limit = 1000000\t# _config.yml: feed.limit",
        'feeds.content = "summary"\t# _config.yml: feed.content',
        "feeds.summary_length = 40\t# _config.yml: feed.content_limit",
        'feeds.summary_delimiter = " "\t# _config.yml: feed.content_limit_delim',
        'feeds.order_by = "updated"\t# _config.yml: feed.order_by',
        'site.icon = "/images/icon.png"\t# _config.yml: feed.icon',
        'websub.hubs = ["https://hub.example.org/"]\t# _config.yml: feed.hub',
    ):
        assert line in settings.splitlines(), line
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    check_feed(blog / "public" / "atom.xml", atom_schema)
    rss = feedparser.parse((blog / "public" / "rss2.xml").read_bytes())
    assert not rss.bozo and len(rss.entries) == 6
    assert rss.feed.image.href == "https://notes.example.org/blog/images/icon.png"
    assert {link.href for link in rss.feed.links if link.rel == "hub"} == {"https://hub.example.org/"}
    summary = rss.entries[0].summary
    assert len(summary) <= 41 and summary.endswith("…") and not summary[:-1].endswith(" ")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("feed:\n  1: a\n  foo: b\n", None),  # mixed key types: a warning, no traceback
        ("feed: [atom]\n", None),  # Hexo builds with the plugin's defaults: a warning
        ("public_dir: 0\n", "public_dir"),
        ("language: {a: 1}\n", "language"),
        ("feed:\n  path: {a: b}\n", "feed.path"),
    ],
)
def test_odd_values_in_the_hexo_config_are_errors_naming_the_key(
    blog: Path, line: str, key: str | None
) -> None:
    config = blog / "_config.yml"
    text = config.read_text()
    config.write_text(text[: text.index("feed:")] + line)
    result = CliRunner().invoke(main, ["build", "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if key is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2 and f"_config.yml: {key}: " in result.stderr, result.stderr


def test_in_a_hexo_site_a_markdown_file_is_markdown_even_when_it_opens_with_html(blog: Path) -> None:
    post = "---\ntitle: HTML first\ndate: 2021-01-07 00:00:00\n---\n<div>a box</div>\n\n## Notes\n\n- *one*\n"
    (blog / "source" / "_posts" / "html-first.md").write_text(post)
    CliRunner().invoke(main, ["build"])
    content = _entries(blog / "public" / "atom.xml")["HTML first"].findtext(f"{ATOM}content") or ""
    assert "<h2>Notes</h2>" in content and "<em>one</em>" in content


def test_marked_options_of_the_hexo_config(blog: Path) -> None:
    config = blog / "_config.yml"
    config.write_text(
        config.read_text() + "marked:\n  breaks: false\n  smartypants: false\n  headerIds: true\n"
    )
    lines = CliRunner().invoke(main, ["config"]).stdout.splitlines()
    assert "content.breaks = false\t# _config.yml: marked.breaks" in lines
    assert "content.smartypants = false\t# _config.yml: marked.smartypants" in lines
    assert "content.gfm = true\t# default" in lines
    CliRunner().invoke(main, ["build"])
    content = _entries(blog / "public" / "atom.xml")["Front matter without an opening line"].findtext(
        f"{ATOM}content"
    )
    assert content is not None and "Hexo's theme" in content  # straight quote: smartypants off


def test_external_link_options_of_the_hexo_config(blog: Path) -> None:
    config = blog / "_config.yml"
    config.write_text(
        config.read_text()
        + "marked:\n  external_link:\n    enable: true\n    nofollow: true\n"
        + "    exclude: ['cdn.example.net']\n"
        + "external_link:\n  enable: true\n  field: post\n  exclude: friends.example.com\n"
    )
    post = (
        "---\ntitle: Links out\ndate: 2021-01-08 00:00:00\n---\n"
        "[Home](/about/), [mine](https://notes.example.org/x/), [theirs](https://other.example.com/),\n"
        "[assets](https://cdn.example.net/a.png), [a friend](https://friends.example.com/)\n"
    )
    (blog / "source" / "_posts" / "links-out.md").write_text(post)
    lines = CliRunner().invoke(main, ["config"]).stdout.splitlines()
    assert "content.external_nofollow = true\t# _config.yml: marked.external_link.nofollow" in lines
    hosts = '["cdn.example.net", "friends.example.com"]'
    assert any(line.startswith(f"content.internal_hosts = {hosts}") for line in lines), lines
    CliRunner().invoke(main, ["build"])
    content = _entries(blog / "public" / "atom.xml")["Links out"].findtext(f"{ATOM}content") or ""
    assert '<a href="https://notes.example.org/about/">Home</a>' in content  # the site's own: no rel
    assert '<a href="https://notes.example.org/x/">mine</a>' in content
    nofollow = 'rel="noopener external nofollow noreferrer"'
    assert f'<a href="https://other.example.com/" {nofollow}>theirs</a>' in content
    assert '<a href="https://cdn.example.net/a.png">assets</a>' in content  # excluded hosts are the site's
    assert '<a href="https://friends.example.com/">a friend</a>' in content


def test_tag_feeds_sit_beside_hexos_tag_pages(blog: Path) -> None:
    """``tag_dir`` and ``tag_map`` as Hexo reads them: the tag feeds go where Hexo puts tag pages."""
    config = blog / "_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("tag_dir: tags", "tag_dir: topics")
        + "tag_map:\n  trains: rail\n",
        encoding="utf-8",
    )
    (blog / "config.yaml").write_text("hexo: _config.yml\nfeeds:\n  tags: true\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    folders = {p.parent.relative_to(blog / "public").as_posix() for p in blog.rglob("atom.xml")}
    assert {"topics/rail", "topics/diary"} <= folders and not any(f.startswith("tags/") for f in folders)
    lines = CliRunner().invoke(main, ["config"]).stdout
    assert 'tags.dir = "topics"\t# _config.yml: tag_dir' in lines


def test_a_config_hexo_loads_is_never_refused(blog: Path, atom_schema: etree.RelaxNG) -> None:
    """Hexo's YAML rules for _config.yml (tab-indented sections, js-yaml-js-types' tags) and its host
    rule: the same links and ids as the plain config gives, which are Hexo's."""
    config = blog / "_config.yml"
    text = config.read_text().replace(
        "url: https://notes.example.org/blog", "url: HTTPS://Notes.Example.ORG:443/blog"
    )
    config.write_text(
        text
        + "html_minifier:\n\tcollapseWhitespace: true\n\tignoreCustomComments: [ !!js/regexp /^\\s*more/]\n"
        + "markdown:\n  plugins:\n    - pattern: !!js/regexp /\\.md$/i\n  anchors: !!js/undefined\n"
        + "search:\n  filter: !!js/function 'function (post) { return post.published }'\n"
    )
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "_config.yml: search.filter is a JavaScript function" in result.stderr
    feed = blog / "public" / "atom.xml"
    check_feed(feed, atom_schema)
    links = {title: e.find(f"{ATOM}link").get("href") for title, e in _entries(feed).items()}
    assert links == {fields[0]: fields[1] for fields in HEXO.values()}
    doc = etree.parse(str(feed))
    assert doc.findtext(f"{ATOM}id") == SITE


@pytest.mark.parametrize(
    ("line", "warning"),
    [
        ("title: 2048\n", None),  # a number where Hexo takes text: its text
        ("tag_map:\n  diary:\n", None),  # a tag mapped to nothing keeps its name, as in Hexo
        ("category_map: [Travel Notes]\n", "category_map is not a mapping of names; ignored"),
        ("permalink_defaults:\n  lang: [en, fr]\n", None),  # no name: passed over
        ("feed:\n  type: atom\n  content_limit: true\n", None),  # no length: the plugin's default
        ("some_plugin:\n  hooks: !!js/function '() => 1'\n", "some_plugin.hooks is a JavaScript function"),
    ],
)
def test_values_feeds_cannot_use_never_stop_the_build(blog: Path, line: str, warning: str | None) -> None:
    config = blog / "_config.yml"
    config.write_text(config.read_text() + line)
    result = CliRunner().invoke(main, ["build", "--quiet"])
    assert result.exit_code == 0, result.output
    assert warning is None or warning in result.stderr
    if line.startswith("title"):
        assert feedparser.parse((blog / "public" / "atom.xml").read_bytes()).feed.title == "2048"


def test_a_config_that_is_not_yaml_names_its_line(blog: Path) -> None:
    config = blog / "_config.yml"
    config.write_text("title: Field Notes\nurl: [https://notes.example.org\npermalink: x\n")
    result = CliRunner().invoke(main, ["build", "--quiet"])
    assert result.exit_code == 2
    assert "_config.yml: not valid YAML:" in result.stderr and "(line 3, column" in result.stderr, (
        result.stderr
    )
