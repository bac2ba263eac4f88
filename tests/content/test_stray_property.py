"""Issue 20, rule 2: whatever stray or unclosed markup a post's prose holds, every word stays, in order."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.config import ContentConfig, FeedsConfig
from feeds.content import Cleaner
from feeds.models import Post

LINK = "http://blog.example.org/2021/01/01/a/post/"
NOW = datetime(2021, 1, 1, tzinfo=UTC)
CLEANER = Cleaner(ContentConfig(), FeedsConfig())

# Never closed in a generated body, so no rule drops what follows them.
RAW = ["script", "style", "iframe", "noembed", "noframes", "noscript", "xmp", "title", "textarea"]
STRAYS = [f"<{name}>" for name in RAW] + [
    "<plaintext>",
    "<SCRIPT>",
    "<iframe src='https://v.example/x'>",
    "<textarea rows=3>",
    "<table>",
    "<form>",
    "<select>",
    "<div>",
    "<h2>",
    "<ul>",
    "<pre>",
    "<vector>",
    "<iostream>",
    "<set>",
    "<list>",
    "<my-widget>",
    "<!--",
    "<![CDATA[",
]
CUT_OFF = ["", "<div", "<a href='", '<img src="x', "</p"]

words = st.from_regex(r"[a-z]{2,8}", fullmatch=True)
# A stray tag follows its word after a space, or right after it as in CJK prose ("新建的<div>或").
strays = st.builds(lambda tag, glued: ("" if glued else " ") + tag, st.sampled_from(STRAYS), st.booleans())
tokens = st.lists(st.one_of(words, words, words, strays), min_size=1, max_size=12)
blocks = st.lists(st.tuples(st.sampled_from(["p", "li", "h2"]), tokens), min_size=1, max_size=5)


Parts = list[tuple[str, list[str]]]  # (p, li or h2; its words and stray tags)


def line_of(tokens: list[str]) -> str:
    """Words apart, a stray tag after a space or right after the word before it."""
    return "".join(token if token.startswith(("<", " ")) else " " + token for token in tokens).strip()


def markdown_body(parts: Parts) -> str:
    marks = {"p": "", "li": "- ", "h2": "## "}
    return "\n\n".join(marks[kind] + line_of(line) for kind, line in parts)


def html_body(parts: Parts) -> str:
    out = []
    for kind, line in parts:
        text = line_of(line)
        out.append(f"<ul><li>{text}</li></ul>" if kind == "li" else f"<{kind}>{text}</{kind}>")
    return "\n".join(out)


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    rest = iter(haystack)
    return all(any(word == seen for seen in rest) for word in needles)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=blocks, fmt=st.sampled_from(["markdown", "html"]), tail=st.sampled_from(CUT_OFF))
def test_every_word_of_the_prose_stays_in_order(parts: Parts, fmt: str, tail: str) -> None:
    body = (markdown_body if fmt == "markdown" else html_body)(parts) + (" " + tail if tail else "")
    post = Post("", "a.md", "T", NOW, NOW, LINK, LINK, body_format=fmt)
    html = CLEANER.render(post, body).html
    texts = lxml.html.fromstring(f"<div>{html}</div>").itertext()  # a paragraph's words end with it
    shown = re.findall(r"[a-z]+", " ".join(texts).lower())
    prose = [token for _, line in parts for token in line if "<" not in token]
    assert is_subsequence(prose, shown), (body, html)
    assert not re.search(r"&lt;/?(?:body|html)&gt;|</?(?:body|html)>|<table>\s*</table>", html), (body, html)
