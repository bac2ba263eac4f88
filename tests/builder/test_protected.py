"""Protected posts stay protected: no file a build writes holds a word a password locks, nor any trace
of a post its author hid, in every format, with tag and author feeds, archives, the OPML list and the
index page; and no password is copied anywhere, the caches and the log included.

The blog is written here, one post per way a Hexo author protects a post (hexo-blog-encrypt's
front-matter password and locked tags, hexo-hide-posts' flag under its default and a configured
name, Fluid's `hide`), beside public posts enough to fill archive pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from feeds.cli import main
from feeds.config import PostsConfig
from feeds.models import HIDDEN, LOCKED
from feeds.source.protection import DEFAULT_ABSTRACT, protection, truthy

from ..conftest import check_feed, check_json_feed, write_post

SITE = "https://locks.example.org/"
CONFIG: dict[str, Any] = {
    "title": "Locks",
    "url": SITE,
    "timezone": "UTC",
    "permalink": ":year/:month/:day/:title/",
    "theme": "fluid",
    "feed": {"type": ["atom", "rss2"], "limit": 3},
    "encrypt": {
        "abstract": "Ask the author for the password.",
        "tags": [{"name": "Diary", "password": "PASSWORD-tag"}, {"name": "Open", "password": ""}],
    },
    "hide_posts": {"filter": "unlisted"},
}
PACKAGE = {"dependencies": {"hexo": "^8.0.0", "hexo-blog-encrypt": "^3.1.9", "hexo-hide-posts": "^0.4.0"}}
# name -> (front matter lines, whether the post is public, locked or hidden)
POSTS = {
    "pw-text": ("password: PASSWORD-one\nabstract: My own abstract.", LOCKED),
    "pw-number": ("password: 40961", LOCKED),
    "pw-false": ("password: false", LOCKED),  # the plugin takes its text, "false", as the password
    "by-tag": ("tags: [diary, Work]", LOCKED),  # a locked tag, written in another case
    "unlocked-tag": ('tags: [Diary]\npassword: ""', ""),  # an empty password keeps the tag from locking
    "open-tag": ("tags: [Open]", ""),  # a tag listed with no password locks nothing
    "unlisted": ("unlisted: true\ncategories: [Only hidden]", HIDDEN),  # hide_posts.filter
    "unlisted-no": ("unlisted: no\ntags: [Only hidden tag]", HIDDEN),  # "no" is true to JavaScript
    "fluid-hide": ("hide: true\nauthor: Hidden Author", HIDDEN),  # the theme's own key
    "hidden-default": ("hidden: true", ""),  # hide_posts.filter renamed the key: this one is public
    **{f"public-{n}": (f"categories: [Notes]\ntags: [Work]\nauthor: Ann {n % 2}", "") for n in range(6)},
}


def _write_blog(root: Path, config: dict[str, Any] = CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (root / "package.json").write_text(json.dumps(PACKAGE), encoding="utf-8")
    for day, (name, (front, _)) in enumerate(POSTS.items(), start=1):
        title = f"TITLE-{name}"
        body = f"SECRET-{name} words of the body.\n\n<!-- more -->\n\nMore SECRET-{name} words."
        text = f"---\ntitle: {title}\ndate: 2024-03-{day:02d} 10:00:00\n{front}\n---\n{body}\n"
        write_post(root / "source" / "_posts", f"{name}.md", text)
    return root


def _build(blog: Path, out: Path, *extra: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """`feeds build` on the blog with every output on; a config.yaml on top gives ``overrides``."""
    settings: dict[str, Any] = {
        "hexo": str(blog / "_config.yml"),
        "output": str(out),
        "cache": str(out.parent / "cache"),
        "feeds": {
            "formats": ["rss", "atom", "json"],
            "tags": True,
            "authors": True,
            "archive": True,
            "opml": True,
            "index": True,
        },
        **(overrides or {}),
    }
    config = blog.parent / "config.yaml"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--json", *extra])
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def _secrets(status: str) -> list[str]:
    """What no file may hold for the posts of ``status``: their body's words, and for a hidden post its
    title and address too."""
    found = []
    for name, (_, kind) in POSTS.items():
        if kind == status:
            found.append(f"SECRET-{name}")
            if kind == HIDDEN:
                found += [f"TITLE-{name}", f"/{name}/"]
    return found


def _every_file(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _leaks(folder: Path, words: list[str]) -> list[str]:
    return [
        f"{p.relative_to(folder)}: {w}"
        for p, data in _every_file(folder).items()
        for w in words
        if w.encode() in data
    ]


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    return _write_blog(tmp_path / "blog")


def test_no_file_holds_a_locked_word_or_a_hidden_post(
    blog: Path, tmp_path: Path, atom_schema: etree.RelaxNG, json_schema: Any
) -> None:
    out = tmp_path / "public"
    summary = _build(blog, out)
    assert summary["posts"]["protected"] == 4 and summary["posts"]["hidden"] == 3
    assert summary["posts"]["read"] == len(POSTS)
    assert not _leaks(out, _secrets(LOCKED) + _secrets(HIDDEN))
    archives = [p for p in out.rglob("*") if "archive" in p.parts and p.is_file()]
    assert archives, "the test means to cover archive pages"
    for path in out.rglob("*.xml"):
        check_feed(path, atom_schema)
    for path in out.rglob("*.json"):
        if path.name != ".feeds-manifest.json":
            check_json_feed(path, json_schema)
    # No feed, list or count is made for what only hidden posts have.
    names = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    assert not [n for n in names if "Only" in n or "Hidden" in n or "hidden" in n.lower()]


def test_a_locked_post_is_named_with_its_abstract_only(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _build(blog, out)
    items = _all_items(out)
    by_title = {item["title"]: item for item in items}
    own = by_title["TITLE-pw-text"]
    assert own["url"] == SITE + "2024/03/01/pw-text/"
    assert own["content_html"] == "<p>My own abstract.</p>" and own["summary"] == "My own abstract."
    for name in ("pw-number", "pw-false", "by-tag"):
        item = by_title[f"TITLE-{name}"]
        assert item["content_html"] == "<p>Ask the author for the password.</p>", name
        assert "image" not in item and "attachments" not in item
    assert by_title["TITLE-by-tag"]["tags"] == ["diary", "Work"]  # terms and dates stay
    assert by_title["TITLE-by-tag"]["date_published"].startswith("2024-03-04")
    for name in ("unlocked-tag", "open-tag", "hidden-default"):
        assert f"SECRET-{name}" in by_title[f"TITLE-{name}"]["content_html"], name


def _all_items(out: Path) -> list[dict[str, Any]]:
    """Every JSON Feed item of the site feed, its archive pages included."""
    items: list[dict[str, Any]] = []
    for path in [out / "feed.json", *sorted((out / "archive").rglob("*.json"))]:
        if path.parent == out or path.parent.name == "feed":
            items += json.loads(path.read_text(encoding="utf-8"))["items"]
    return items


def test_no_password_is_copied_into_caches_or_logs(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    config = blog.parent / "config.yaml"
    _build(blog, out)
    again = CliRunner().invoke(main, ["build", "--config", str(config), "-vv"])
    (blog / "source" / "_posts" / "pw-text.md").write_text(
        "---\ntitle: [broken\npassword: PASSWORD-two\n---\n"
    )
    broken = CliRunner().invoke(main, ["build", "--config", str(config), "-vv"])
    listed = CliRunner().invoke(main, ["categories", "--config", str(config), "--kind", "tag"])
    logged = again.output + broken.output + listed.output
    assert "pw-text.md" in broken.output  # the broken post is named, its password is not
    for folder in (out, tmp_path / "cache"):
        assert not _leaks(folder, ["PASSWORD-"])
    assert "PASSWORD-" not in logged


def test_a_quiet_build_names_no_protected_post(blog: Path, tmp_path: Path) -> None:
    _build(blog, tmp_path / "public")
    (blog / "source" / "_posts" / "pw-number.md").touch()
    quiet = CliRunner().invoke(main, ["build", "--config", str(blog.parent / "config.yaml"), "--quiet"])
    assert quiet.exit_code == 0 and "TITLE-" not in quiet.output and "pw-" not in quiet.output
    line = CliRunner().invoke(main, ["build", "--config", str(blog.parent / "config.yaml")]).output
    assert "4 protected (abstract only), 3 hidden" in line and "TITLE-" not in line


def test_feeds_categories_counts_them_and_lists_no_hidden_name(blog: Path, tmp_path: Path) -> None:
    _build(blog, tmp_path / "public")
    config = str(blog.parent / "config.yaml")
    categories = CliRunner().invoke(main, ["categories", "--config", config])
    tags = CliRunner().invoke(main, ["categories", "--config", config, "--kind", "tag"])
    authors = CliRunner().invoke(main, ["categories", "--config", config, "--kind", "author"])
    assert "Only hidden" not in categories.stdout and "Only hidden tag" not in tags.stdout
    assert "Hidden Author" not in authors.stdout
    assert re.search(r"^Notes\t6\t", categories.stdout, re.M)
    assert "4 posts protected (in feeds by their abstract only), 3 hidden" in categories.stderr


def test_a_post_protected_after_it_was_published_leaves_every_file(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _build(blog, out)
    assert _leaks(out, ["SECRET-public-0", "TITLE-public-1"])  # the oldest public posts: archive pages
    posts = blog / "source" / "_posts"
    _add_front_matter(posts / "public-0.md", "password: PASSWORD-late")
    _add_front_matter(posts / "public-1.md", "unlisted: true")
    summary = _build(blog, out)
    assert summary["posts"]["protected"] == 5 and summary["posts"]["hidden"] == 4
    assert not _leaks(out, ["SECRET-public-0", "SECRET-public-1", "TITLE-public-1", "/public-1/"])
    assert _leaks(out, ["TITLE-public-0"])  # still named, by its abstract


def test_a_newly_locked_tag_reaches_every_feed(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _build(blog, out)
    assert _leaks(out, ["SECRET-public-2"])
    config = json.loads(json.dumps(CONFIG))
    config["encrypt"]["tags"].append({"name": "Work", "password": "PASSWORD-work"})
    _write_blog(blog, config)
    summary = _build(blog, out)
    assert not _leaks(out, [f"SECRET-public-{n}" for n in range(6)] + ["PASSWORD-"])
    assert summary["posts"]["protected"] == 10


def test_filters_protected_omit_leaves_locked_posts_out(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    summary = _build(blog, out, overrides={"filters": {"protected": "omit"}})
    assert summary["posts"]["excluded"]["protected"] == 4 and summary["posts"]["protected"] == 4
    assert not _leaks(out, ["TITLE-pw-", "TITLE-by-tag", "/pw-text/"])
    assert _leaks(out, ["TITLE-unlocked-tag"])


def test_hidden_posts_shown_to_feed_generators_are_in_the_feeds(blog: Path, tmp_path: Path) -> None:
    """hexo-hide-posts can hand hidden posts to chosen generators; hexo-generator-feed's are named for
    its feed types.  Switched off, it hides nothing; Fluid's key is the theme's own and stays."""
    config = {**CONFIG, "hide_posts": {"filter": "unlisted", "public_generators": ["sitemap", "atom"]}}
    _write_blog(blog, config)
    summary = _build(blog, tmp_path / "one")
    assert summary["posts"]["hidden"] == 1 and _leaks(tmp_path / "one", ["TITLE-unlisted"])
    _write_blog(blog, {**CONFIG, "hide_posts": {"enable": False}, "theme": "next"})
    summary = _build(blog, tmp_path / "two")
    assert summary["posts"]["hidden"] == 0


def _add_front_matter(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\n{line}\n---\n", 1), encoding="utf-8")


def test_a_plain_folder_honours_password_and_hidden(tmp_path: Path, make_config: Any) -> None:
    """Outside a Hexo site too: a password locks a post and `hidden: true` hides it."""
    source = tmp_path / "posts"
    write_post(source, "a.md", "---\ntitle: A\ndate: 2024-01-01\npassword: x\n---\nSECRET-a\n")
    write_post(source, "b.md", "---\ntitle: TITLE-b\ndate: 2024-01-02\nhidden: true\n---\nSECRET-b\n")
    write_post(source, "c.md", "---\ntitle: C\ndate: 2024-01-03\n---\nPublic words\n")
    config = make_config(source=str(source), feeds={"formats": ["atom"]})
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--json"])
    assert json.loads(result.stdout)["posts"]["protected"] == 1
    out = tmp_path / "public"
    assert not _leaks(out, ["SECRET-", "TITLE-b"]) and _leaks(out, ["Public words", DEFAULT_ABSTRACT])
    converted = CliRunner().invoke(main, ["convert", str(source), "--format", "json"])
    assert "SECRET-" not in converted.stdout and "TITLE-b" not in converted.stdout


@pytest.mark.parametrize(
    ("front", "tags", "site", "expected"),
    [
        ({"password": "s"}, (), "", (LOCKED, DEFAULT_ABSTRACT)),
        ({"password": 0}, (), "", (LOCKED, DEFAULT_ABSTRACT)),  # the plugin's String(0) is "0"
        ({"password": "", "hidden": False}, ("Locked",), "", ("", "")),
        ({"password": None}, ("locked",), "Site's", (LOCKED, "Site's")),
        ({"password": None}, ("Other",), "Site's", ("", "")),
        ({"abstract": 42}, ("LOCKED",), "Site's", (LOCKED, "42")),
        ({"password": "s", "abstract": "  "}, (), "Site's", (LOCKED, "Site's")),
        ({"password": "s", "hidden": 1}, (), "", (HIDDEN, "")),  # hidden wins: no entry at all
        ({"hidden": 0}, (), "", ("", "")),
        ({"hidden": "false"}, (), "", (HIDDEN, "")),  # JavaScript: a non-empty string is true
    ],
)
def test_protection_rules(
    front: dict[str, Any], tags: tuple[str, ...], site: str, expected: tuple[str, str]
) -> None:
    rules = PostsConfig(locked_tags=("Locked",), locked_abstract=site)
    assert protection(front, tags, rules) == expected


def test_truthy_is_javascripts() -> None:
    assert [truthy(v) for v in (None, False, 0, 0.0, float("nan"), "")] == [False] * 6
    assert [truthy(v) for v in (True, 1, -1, "0", "no", [], {})] == [True] * 7


def test_a_jekyll_site_honours_password_and_hidden(tmp_path: Path) -> None:
    """The Jekyll dialect decides protection by the same rules: the words stay out of every file."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: J\nurl: https://j.example.org\n", encoding="utf-8")
    write_post(site / "_posts", "2024-01-01-locked.md", "---\ntitle: Locked\npassword: pw\n---\nSECRET-j1\n")
    write_post(
        site / "_posts", "2024-01-02-hidden.md", "---\ntitle: TITLE-j2\nhidden: true\n---\nSECRET-j2\n"
    )
    write_post(
        site / "_posts", "2024-01-03-open.md", "---\ntitle: Open\ncategories: [news]\n---\nPublic j3\n"
    )
    out = tmp_path / "out"
    config = tmp_path / "config.yaml"
    config.write_text(f"jekyll: {site / '_config.yml'}\noutput: {out}\ncache: {tmp_path / 'cache'}\n")
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["posts"]["protected"] == 1 and summary["posts"]["hidden"] == 1
    assert not _leaks(out, ["SECRET-", "TITLE-j2", "/hidden"]) and _leaks(out, ["Public j3", "Locked"])
