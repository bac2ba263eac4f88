"""Front matter split as hexo-front-matter 4.2.1 (what Hexo 8 runs) splits it: one case per rule.

Each expectation is what Hexo itself gives for the same text (checked with node
and the package): front matter as a mapping, and the body.
"""

from __future__ import annotations

import datetime as dt

import pytest

from feeds.errors import PostError
from feeds.source.frontmatter import decode, parse

CASES = [
    # (rule, text, front matter, body)
    ("fenced", "---\ntitle: a\n---\nbody", {"title": "a"}, "body"),
    ("no opening line", "title: a\n---\nbody", {"title": "a"}, "body"),
    ("no opening line, text that reads as a mapping", "Note: text\n---\nmore", {"Note": "text"}, "more"),
    ("no opening line, a paragraph above a rule", "Some text\n\n---\nmore", {}, "Some text\n\n---\nmore"),
    ("JSON between ;;;", ';;;\n"title": "a", "n": 1\n;;;\nbody', {"title": "a", "n": 1}, "body"),
    ("JSON with no opening line", '"title": "a"\n;;;\nbody', {"title": "a"}, "body"),
    ("JSON with braces is not read", ';;;\n{"title": "a"}\n;;;\nbody', {}, ';;;\n{"title": "a"}\n;;;\nbody'),
    ("YAML between ;;; is not read", ";;;\ntitle: a\n;;;\nbody", {}, ";;;\ntitle: a\n;;;\nbody"),
    ("more than three dashes", "-----\ntitle: a\n-----\nbody", {"title": "a"}, "body"),
    ("a shorter closing line does not close", "-----\ntitle: a\n---\nbody", {}, "-----\ntitle: a\n---\nbody"),
    (
        "a longer closing line closes; the rest is body",
        "---\ntitle: a\n-----\nbody",
        {"title": "a"},
        "--\nbody",
    ),
    ("separators must match", "---\ntitle: a\n;;;\nbody", {}, "---\ntitle: a\n;;;\nbody"),
    ("leading tabs are two spaces each", "---\nobj:\n\tk:\n\t\tx: 1\n---\nb", {"obj": {"k": {"x": 1}}}, "b"),
    ("a body that starts with a rule", "---\ntitle: a\n---\n---\nmore", {"title": "a"}, "---\nmore"),
    ("empty front matter is no front matter", "---\n---\nbody", {}, "---\n---\nbody"),
    ("a scalar is no front matter", "---\nhello\n---\nbody", {}, "---\nhello\n---\nbody"),
    ("null is no front matter", "---\n~\n---\nbody", {}, "---\n~\n---\nbody"),
    ("no closing line", "---\ntitle: a\nbody", {}, "---\ntitle: a\nbody"),
    ("closing line at the end", "---\ntitle: a\n---", {"title": "a"}, ""),
    ("closing line glued to the body", "---\ntitle: a\n---body", {"title": "a"}, "body"),
    ("no separator at all", "just text\nmore", {}, "just text\nmore"),
    ("an opening line with a trailing space", "--- \ntitle: a\n---\nbody", {}, "--- \ntitle: a\n---\nbody"),
    ("an indented closing line", "---\ntitle: a\n  ---\nbody", {}, "---\ntitle: a\n  ---\nbody"),
    # blank lines around the body go; its first line keeps its indentation (Markdown code in Hexo)
    (
        "an indented first line",
        "---\ntitle: a\n---\n\n \n    code\ntext\n\n",
        {"title": "a"},
        "    code\ntext",
    ),
]


@pytest.mark.parametrize(("rule", "text", "meta", "body"), CASES, ids=[c[0] for c in CASES])
def test_split_as_hexo_does(rule: str, text: str, meta: dict[str, object], body: str) -> None:
    assert parse(text, "p.md") == (meta, body)


def test_bom_crlf_and_blank_lines_before_the_front_matter_are_read_as_today() -> None:
    """Hexo's reader drops the BOM and CRLF; the blank lines an RSSHub scraper left are stripped too."""
    text = decode(b"\xef\xbb\xbf\r\n\r\n---\r\ntitle: a\r\n---\r\nbody\r\n", "p.md")
    assert parse(text, "p.md") == ({"title": "a"}, "body")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_byte_that_is_not_utf8_is_named_by_its_place_in_the_file(bom: bytes) -> None:
    data = bom + b"---\ntitle: \xff\n---\nb"
    with pytest.raises(PostError, match=rf"not UTF-8 \(byte {len(bom) + 11}: b'\\xff'\)"):
        decode(data, "p.md")


def test_lone_carriage_returns_end_lines_too() -> None:
    assert decode(b"a\rb\r\nc\n", "p.md") == "a\nb\nc"


def test_a_timestamp_is_read_as_a_date() -> None:
    meta, _ = parse("---\ndate: 2024-01-02 03:04:05\n---\nb", "p.md")
    assert meta["date"] == dt.datetime(2024, 1, 2, 3, 4, 5)  # naive: the site's zone is applied later


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\ntitle: [oops\n---\nb", "not valid YAML"),
        ("a: b: c\n---\nmore", "not valid YAML"),  # Hexo fails on this post too
        ("---\n- a\n- b\n---\nbody", "a list, not a mapping"),  # Hexo makes a post of nothing
    ],
)
def test_what_hexo_cannot_read_is_an_error_naming_the_file(text: str, reason: str) -> None:
    with pytest.raises(PostError, match=reason) as e:
        parse(text, "dir/p.md")
    assert str(e.value).startswith("dir/p.md: ")


def test_a_yaml_error_names_the_line_an_editor_shows() -> None:
    with pytest.raises(PostError, match=r"line 3"):
        parse("---\ntitle: T\nx: {a: 1\n---\nbody", "p.md")
    with pytest.raises(PostError, match=r"line 2"):
        parse("title: T\nx: {a: 1\n---\nbody", "p.md")


def test_front_matter_nested_past_reading_is_an_error_naming_the_file() -> None:
    deep = ';;;\n"title": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "\n;;;\nbody"
    with pytest.raises(PostError, match="nested too deeply"):
        parse(deep, "deep.md")


def test_a_structure_is_never_printed_whole() -> None:
    """A YAML alias can make a list of millions; a warning names its kind instead."""
    from feeds.source.posts import _shown
    from feeds.text import plain_title

    assert _shown([1] * 10) == "a list" and plain_title([["a"] * 3] * 3) == ""
    assert len(_shown("x" * 500)) == 80
