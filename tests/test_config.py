"""config.yaml: typed, validated on load, errors that name the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from feeds.config import Config, effective, load_config
from feeds.errors import ConfigError


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    config = load_text(tmp_path, "source: posts\noutput: out\n")
    assert config.source == tmp_path / "posts"
    assert config.output == tmp_path / "out"
    assert config.cache == tmp_path / ".feeds-cache"
    assert config.feeds.limit == 20 and config.feeds.formats == ("rss", "atom")
    assert config.permalink == ":year/:month/:day/:title/"


def test_full_config(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        "site: {title: T, url: 'https://x.example', timezone: Europe/Paris, language: fr}\n"
        "feeds: {formats: atom, limit: 5, content: summary}\ncategories: {map: {新媒体: media}}\n"
        "fetch: {ttl: 12h, enabled: true}\n",
    )
    assert config.feeds.formats == ("atom",) and config.feeds.limit == 5
    assert config.categories.map == {"新媒体": "media"}
    assert config.fetch.ttl == 12 * 3600 and config.fetch.enabled


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("site:\n  titel: x\n", "site.titel", "did you mean 'site.title'"),
        ("feeds:\n  limt: 3\n", "feeds.limt", "did you mean 'feeds.limit'"),
        ("sourse: x\n", "sourse", "did you mean 'source'"),
        ("feeds:\n  limit: many\n", "feeds.limit", "expected a whole number"),
        ("feeds:\n  limit: 0\n", "feeds.limit", "at least 1"),
        ("site:\n  url: example.com\n", "site.url", "absolute http(s) URL"),
        ("site:\n  timezone: Mars/Base\n", "site.timezone", "unknown time zone"),
        ("feeds:\n  formats: [rss, xml]\n", "feeds.formats", "unknown format"),
        ("feeds:\n  content: all\n", "feeds.content", "full, summary, none"),
        ("fetch:\n  enabled: maybe\n", "fetch.enabled", "true or false"),
        ("fetch:\n  ttl: soon\n", "fetch.ttl", "duration"),
        ("site: [a]\n", "site", "mapping"),
        ("content:\n  remove: 3\n", "content.remove", "list of strings"),
        ("feeds:\n  archive: true\n  file_names: {json: feed}\n", "feeds.file_names", "needs an extension"),
        ("feeds:\n  archive: true\n  file_names: {rss: archive/r.xml}\n", "feeds.file_names", "archive/"),
        ("feeds:\n  opml_format: xml\n", "feeds.opml_format", "rss, atom or json"),
        ('site:\n  title: "\\x01\\x02"\n', "site.title", "must not be empty"),  # nothing XML can hold
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, key: str, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, text)
    assert info.value.key == key
    assert words in str(info.value)
    assert str(tmp_path / "config.yaml") in str(info.value)


def test_yaml_1_1_booleans_still_work(tmp_path: Path) -> None:
    """yaml-rs reads YAML 1.2, where `yes` is a word; a config written for YAML 1.1 still means it."""
    assert load_text(tmp_path, "fetch:\n  enabled: yes\n  allow_private: on\n").fetch.enabled is True
    assert load_text(tmp_path, "fetch:\n  enabled: No\n").fetch.enabled is False


def test_unreadable_and_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_text(tmp_path, "site: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):  # an odd tag fails in plain Python errors
        load_text(tmp_path, "fetch:\n  enabled: !!bool maybe\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_text(tmp_path, "- a\n")


def test_the_new_keys(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        "site: {favicon: /favicon.ico}\nfeeds: {formats: [json, rss], tags: yes, authors: true, min_posts: 3,"
        " file_names: {json: index.json}}\ntags: {map: {編程: programming}, dir: t}\nauthors: {dir: people}\n"
        "filters: {exclude_categories: [A], exclude_tags: B, exclude_paths: ['old/*']}\n"
        "categories: {depth: 2}\n",
    )
    assert config.feeds.formats == ("json", "rss") and config.feeds.file_names == {"json": "index.json"}
    assert config.feeds.tags is True and config.feeds.authors is True and config.feeds.min_posts == 3
    assert (
        config.tags.map == {"編程": "programming"}
        and config.tags.dir == "t"
        and config.authors.dir == "people"
    )
    assert config.filters.exclude_tags == ("B",) and config.filters.exclude_paths == ("old/*",)
    assert config.categories.depth == 2 and config.site.favicon == "/favicon.ico"


def test_the_shipped_config_documents_every_new_key() -> None:
    shipped = (Path(__file__).parents[1] / "config.yaml").read_text(encoding="utf-8")
    for key in ("favicon", "tags", "authors", "min_posts", "depth", "exclude_categories", "exclude_tags",
                "exclude_paths", "json", "archive"):  # fmt: skip
        assert key in shipped, key
    load_config(Path(__file__).parents[1] / "config.yaml")


def test_the_reference_documents_every_key() -> None:
    """docs/configuration.md has a row for each key ``feeds config`` prints, none for a key gone."""
    reference = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = [line for line in reference.splitlines() if line.startswith("| `")]
    documented = {key for row in rows for key in re.findall(r"`([a-z_.]+)`", row.split(" | ")[0])}
    keys = set(effective(Config())) | {"hexo"}
    assert keys - documented == set()
    assert documented - keys == set()
