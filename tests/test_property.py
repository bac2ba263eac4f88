"""No input can break a feed: arbitrary text in every field still gives valid, parseable feeds."""

from __future__ import annotations

import tempfile
from pathlib import Path

import feedparser
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds.builder import build
from feeds.config import Config, with_overrides

from .conftest import DATA, check_feed

NASTY = st.sampled_from(
    ["\x00", "\x01", "\x0b", "\ufffe", "\uffff", "]]>", "<![CDATA[", "<b>", "</div>", "&", "&#0;", "&#xD800;",
     "\u202e", "\u200f", "<script>alert(1)</script>", "<!--", "\r\n", "'", '"', "—", "😀", "..", "/", "\\"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=8).map("".join)
LONG = st.builds(lambda t, n: t * n, st.text(min_size=1, max_size=5), st.integers(0, 3000))

SCHEMA = etree.RelaxNG(etree.parse(str(DATA / "atom.rng")))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXT,
    body=st.one_of(TEXT, LONG),
    author=TEXT,
    categories=st.lists(TEXT, min_size=0, max_size=3),
    tags=st.lists(TEXT, max_size=3),
)
def test_arbitrary_fields_give_valid_feeds(
    title: str, body: str, author: str, categories: list[str], tags: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        meta = {
            "title": title,
            "author": author,
            "categories": categories,
            "tags": tags,
            "date": "2021-01-01",
        }
        front = yaml.safe_dump(meta, allow_unicode=False)
        (root / "src").mkdir()
        (root / "src" / "post.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        config = with_overrides(Config(), source=root / "src", output=root / "out", cache=root / "cache")
        report = build(config)
        assert report.posts_read == 1 and report.skipped == 0
        files = sorted((root / "out").rglob("*.xml"))
        assert len(files) >= 2
        for path in files:
            assert path.resolve().is_relative_to((root / "out").resolve())
            check_feed(path, SCHEMA)
            assert len(feedparser.parse(path.read_bytes()).entries) == 1


SCHEMES = st.sampled_from(
    ["javascript:", "JaVaScRiPt:", " javascript:", "java\tscript:", "java\nscript:", "data:", "vbscript:",
     "file:", "about:", "blob:", "feed:", "//", "/", "", "http://", "https://", "HTTPS://", "http:/",
     "https:"]
)  # fmt: skip
URL = st.builds(lambda scheme, rest: scheme + rest, SCHEMES, st.one_of(TEXT, st.just("alert(1)")))
URL_KEYS = ("thumbnail", "headimg", "cover", "image", "id", "guid", "permalink", "link")
_URL_ATTRIBUTES = ("href", "url", "src")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(URL_KEYS, URL)))
def test_no_front_matter_puts_a_non_http_url_into_any_feed(values: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        front = yaml.safe_dump({"title": "T", "date": "2021-01-01", **values}, allow_unicode=False)
        (root / "src").mkdir()
        (root / "src" / "post.md").write_text(f"---\n{front}---\n<p>body</p>", encoding="utf-8")
        config = with_overrides(Config(), source=root / "src", output=root / "out", cache=root / "cache")
        assert build(config).posts_read == 1
        for path in sorted((root / "out").rglob("*.xml")):
            doc = etree.parse(str(path))
            for element in doc.iter():
                for name, value in element.attrib.items():
                    if etree.QName(name).localname in _URL_ATTRIBUTES:
                        assert value.lower().startswith(("http://", "https://")), (path, name, value)
                if etree.QName(element).localname == "link" and element.text and element.text.strip():
                    assert element.text.lower().startswith(("http://", "https://")), (path, element.text)
