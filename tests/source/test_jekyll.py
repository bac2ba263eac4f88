"""The Jekyll dialect of the source stage: which files are posts, their dates, categories, links.

The permalink expectations (tests/data/jekyll-expected/permalinks.json) are what Jekyll 4.3.1 and
jekyll-feed 0.17 wrote for tests/data/jekyll-permalinks under each style and template
(tools/jekyll_compare/expectations.py, run by hand): link, entry id and published date.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from feeds.config import Config, load_config
from feeds.config.load import locate
from feeds.errors import PostError
from feeds.source import read_posts, scan_source
from feeds.source.jekyll_permalink import entry_id, escape_path, slugify

from ..conftest import DATA, write_post

PERMALINKS = json.loads((DATA / "jekyll-expected" / "permalinks.json").read_text(encoding="utf-8"))


def _config(tmp_path: Path, site: Path, **keys: object) -> Config:
    path = tmp_path / "config.yaml"
    settings = {"jekyll": str(site / "_config.yml"), "cache": str(tmp_path / "cache"), **keys}
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize("style", sorted(PERMALINKS))
def test_links_ids_and_dates_are_jekylls(tmp_path: Path, style: str) -> None:
    config = _config(tmp_path, DATA / "jekyll-permalinks", permalink=style)
    result = read_posts(config)
    assert not result.errors
    got = sorted([p.permalink, p.id, p.date] for p in result.posts)
    expected = sorted([link, id_, datetime.fromisoformat(date)] for link, id_, date in PERMALINKS[style])
    assert got == expected


def _site(tmp_path: Path, config: str = "url: https://example.com\n") -> Path:
    site = tmp_path / "site"
    site.mkdir(parents=True)
    (site / "_config.yml").write_text(config, encoding="utf-8")
    (site / "_posts").mkdir()
    return site


def _post(config: Config, rel: str) -> object:
    posts = {p.rel: p for p in read_posts(config).posts}
    return posts.get(rel)


def test_only_dated_names_under_a_posts_folder_at_any_depth_are_posts(tmp_path: Path) -> None:
    site = _site(tmp_path, "url: https://example.com\nexclude: [private]\ninclude: [_kept.md]\n")
    for rel in (
        "_posts/2020-01-02-a.md",
        "_posts/nested/2020-01-03-b.markdown",
        "_posts/notes.md",  # no date in the name
        "_posts/_hidden/2020-01-04-c.md",  # a special name inside _posts
        "_posts/2020-01-05-backup.md~",
        "one/two/_posts/2020-01-06-d.md",
        "private/_posts/2020-01-07-e.md",  # excluded
        "_drafts/draft.md",
        "_posts/.2020-01-08-dot.md",
    ):
        write_post(site, rel, "---\ntitle: x\n---\nbody\n")
    config = _config(tmp_path, site)
    found = [f.rel for f in scan_source(config)]
    assert found == [
        "_posts/2020-01-02-a.md",
        "_posts/nested/2020-01-03-b.markdown",
        "one/two/_posts/2020-01-06-d.md",
    ]
    with_drafts = _config(tmp_path, site, posts={"render_drafts": True})
    assert "_drafts/draft.md" in [f.rel for f in scan_source(with_drafts)]


def test_folders_above_posts_are_categories_and_strings_split(tmp_path: Path) -> None:
    site = _site(tmp_path)
    write_post(
        site, "Travel/Asia/_posts/2020-01-02-a.md", "---\ncategories: food travel\ntags: x y\n---\nb\n"
    )
    write_post(site, "_posts/2020-01-03-b.md", "---\ncategory: Big News\ntag: one two\n---\nb\n")
    write_post(site, "_posts/2020-01-04-c.md", "---\ncategories: [A, [B]]\ntags: [2020, z]\n---\nb\n")
    config = _config(tmp_path, site)
    a = _post(config, "Travel/Asia/_posts/2020-01-02-a.md")
    assert a.categories == (("Travel",), ("Asia",), ("food",), ("travel",))
    assert a.tags == ("x", "y")
    assert a.permalink == "https://example.com/travel/asia/food/2020/01/02/a.html"
    b = _post(config, "_posts/2020-01-03-b.md")
    assert b.categories == (("Big News",),) and b.tags == ("one two",)
    c = _post(config, "_posts/2020-01-04-c.md")
    # as Jekyll 4.3 has it: the list's items made text before it is flattened, then flattened too
    assert c.categories == (("A",), ('["B"]',), ("B",)) and c.tags == ("2020", "z")


def test_the_front_matters_date_with_its_zone_wins_over_the_file_names(tmp_path: Path) -> None:
    site = _site(tmp_path, "url: https://example.com\ntimezone: Asia/Tokyo\n")
    write_post(site, "_posts/2020-01-02-named.md", "---\ntitle: t\n---\nb\n")
    write_post(site, "_posts/2020-01-02-zoned.md", "---\ndate: 2020-01-01 20:00:00 -0800\n---\nb\n")
    write_post(site, "_posts/2020-01-02-local.md", "---\ndate: 2020-03-04 05:06\n---\nb\n")
    config = _config(tmp_path, site)
    named = _post(config, "_posts/2020-01-02-named.md")
    assert named.date.isoformat() == "2020-01-02T00:00:00+09:00"
    zoned = _post(config, "_posts/2020-01-02-zoned.md")
    assert zoned.date == datetime.fromisoformat("2020-01-02T13:00:00+09:00")
    assert zoned.permalink == "https://example.com/2020/01/02/zoned.html"  # the date in the site's zone
    assert _post(config, "_posts/2020-01-02-local.md").date.isoformat() == "2020-03-04T05:06:00+09:00"


def test_published_false_and_front_matter_defaults(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        "url: https://example.com\n"
        "defaults:\n"
        "  - scope: {path: ''}\n    values: {author: everyone, categories: [general]}\n"
        "  - scope: {path: 'notes', type: posts}\n    values: {author: noter}\n"
        "  - scope: {path: 'notes/*/_posts'}\n    values: {tags: [globbed]}\n"
        "  - scope: {type: pages}\n    values: {author: a page}\n",
    )
    write_post(site, "_posts/2020-01-02-a.md", "---\ntitle: a\n---\nb\n")
    write_post(site, "notes/deep/_posts/2020-01-03-b.md", "---\ntitle: b\ncategories: own\n---\nb\n")
    write_post(site, "_posts/2020-01-04-c.md", "---\npublished: no\n---\nb\n")
    config = _config(tmp_path, site)
    a = _post(config, "_posts/2020-01-02-a.md")
    assert a.author == "everyone" and a.categories == (("general",),)
    b = _post(config, "notes/deep/_posts/2020-01-03-b.md")
    assert b.author == "noter" and b.tags == ("globbed",)
    assert b.categories == (("notes",), ("deep",), ("general",), ("own",))
    assert _post(config, "_posts/2020-01-04-c.md") is None
    unpublished = _site(tmp_path / "u", "url: https://example.com\nunpublished: true\n")
    write_post(unpublished, "_posts/2020-01-04-c.md", "---\npublished: false\n---\nb\n")
    assert _post(_config(tmp_path, unpublished), "_posts/2020-01-04-c.md") is not None


def test_authors_as_jekyll_feed_resolves_them(tmp_path: Path) -> None:
    site = _site(tmp_path, "url: https://example.com\nauthor: {name: Site Owner, email: o@example.com}\n")
    write_post(site, "_data/authors.yml", "ann:\n  name: Ann Example\n  email: ann@example.com\n")
    write_post(site, "_posts/2020-01-02-a.md", "---\nauthor: ann\n---\nb\n")
    write_post(site, "_posts/2020-01-03-b.md", "---\nauthors: [Bob]\n---\nb\n")
    write_post(site, "_posts/2020-01-04-c.md", "---\ntitle: c\n---\nb\n")
    config = _config(tmp_path, site)
    a = _post(config, "_posts/2020-01-02-a.md")
    assert (a.author, a.author_email) == ("Ann Example", "ann@example.com")
    assert _post(config, "_posts/2020-01-03-b.md").author == "Bob"
    c = _post(config, "_posts/2020-01-04-c.md")
    assert (c.author, c.author_email) == ("Site Owner", "o@example.com")


def test_a_bad_date_or_placeholder_is_one_posts_error(tmp_path: Path) -> None:
    site = _site(tmp_path)
    write_post(site, "_posts/2020-02-30-no-such-day.md", "---\ntitle: t\n---\nb\n")
    write_post(site, "_posts/2020-01-02-bad.md", "---\npermalink: /:nonesuch/\n---\nb\n")
    write_post(site, "_posts/2020-01-03-fine.md", "---\ntitle: fine\n---\nb\n")
    result = read_posts(_config(tmp_path, site))
    assert [p.title for p in result.posts] == ["fine"]
    reasons = " | ".join(sorted(e.reason for e in result.errors))
    assert "2020-02-30 is not a date" in reasons and "has no :nonesuch" in reasons
    assert all(isinstance(e, PostError) and e.path.name.startswith("2020-") for e in result.errors)


def test_slugify_and_escaping_as_jekyll_has_them() -> None:
    assert slugify("The _config.yml file!") == "the-config-yml-file"
    assert slugify("The _config.yml file!", "pretty") == "the-_config.yml-file!"
    assert slugify("Ünïcode & Spaces", "ascii") == "n-code-spaces"
    assert slugify("Keep  Case", "raw", cased=True) == "Keep-Case"
    assert escape_path("plain/a-b.html") == "plain/a-b.html"
    assert escape_path("a b#c#d") == "a%20b%23c#d"
    assert entry_id("/2020/01/02/post/", "post") == "/2020/01/02/post"
    assert entry_id("/post.html", "post") == "/post"


def test_a_jekyll_site_is_found_by_its_posts_folder(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert locate(None, None, site) == (None, None, site / "_config.yml")
    hexo = tmp_path / "hexo"
    (hexo / "source" / "_posts").mkdir(parents=True)
    (hexo / "_config.yml").write_text("title: h\n")
    assert locate(None, None, hexo) == (None, hexo / "_config.yml", None)
    assert locate(None, None, tmp_path, jekyll=site) == (None, None, site / "_config.yml")
