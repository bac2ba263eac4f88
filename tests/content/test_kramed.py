"""hexo-renderer-kramed's Markdown where it parts from markdown-it: each case's expected HTML is what
kramed 0.5.6 (hexo-renderer-kramed 0.1.4, Hexo's defaults) made of it, run in node by
tools/renderer_oracle/oracle.js; both sides go through the cleaner, as a feed shows them."""

from __future__ import annotations

import pytest

from feeds.config import ContentConfig, FeedsConfig
from feeds.content import Cleaner
from feeds.content.markdown import Options, to_html
from tests.content.test_renderers import POST, shown

KRAMED = Cleaner(ContentConfig(renderer="kramed"), FeedsConfig())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a backslash escapes Markdown's punctuation only
        (
            "find . -exec touch {} \\; and a\\, b but \\* and \\~ escape",
            "<p>find . -exec touch {} \\; and a\\, b but * and ~ escape</p>\n",
        ),
        # a closing tag alone is text; an opening tag's inside is Markdown unless the tag is a block's
        (
            "a </b> alone, <span>in *em*</span>, <div>**raw**</div> and <i>open only",
            "<p>a &lt;/b&gt; alone, <span>in <em>em</em></span>, <div>**raw**</div> and <i>open only</p>\n",
        ),
        # any address makes a link, spaces too: C++'s lambda is an empty one
        (
            "auto f = [](int a, int b) { return a; };",
            '<p>auto f = <a href="int a, int b"></a> { return a; };</p>\n',
        ),
        # a reference after a space; an unknown one is text
        (
            "See [the text] [ref] and [nothing] here.\n\n[ref]: https://example.com/x",
            '<p>See <a href="https://example.com/x">the text</a> and [nothing] here.</p>\n',
        ),
        ("A mark[^1] here.", '<p>A mark<sup><a href="#fn_1" id="reffn_1">1</a></sup> here.</p>\n'),
        # a bullet needs a space after it; any number starts a list, after a paragraph's line too
        (
            "1. one\n\n2. two\n\n3.\n\nAfter.",
            "<ol>\n<li><p>one</p>\n</li>\n<li><p>two</p>\n</li>\n</ol>\n<p>3.</p>\n<p>After.</p>\n",
        ),
        ("Some text\n2. Second", "<p>Some text</p>\n<ol>\n<li>Second</li>\n</ol>\n"),
        # a bare `>` is text
        ("Heading\n>\n> quoted", "<p>Heading<br>&gt;</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n"),
        # a fence never closed is text
        (
            "Run:\n\n```bash\n# not a heading in code\nls",
            '<p>Run:</p>\n<p>```bash</p>\n<h1 id="not-a-heading-in-code"><a href="#not-a-heading-in-code" '
            'class="headerlink" title="not a heading in code"></a>not a heading in code</h1><p>ls</p>\n',
        ),
        # a `#` line ends a paragraph however indented, and is then code
        (
            "class A:\n    def f(self):\n        ## note\n        x = 'a'",
            "<p>class A:<br>    def f(self):</p>\n<pre><code>    ## note\n    x = &#39;a&#39;\n</code></pre>",
        ),
        # what looks like an entity passes as written: the browser reads `&lts;` as "<s;"
        ("a &lts; b &copy; c &foo; d &", "<p>a &lts; b &copy; c &foo; d &amp;</p>\n"),
        # no e-mail autolink, so the quotes around one are a pair
        ('Mail "me@example.com" now', "<p>Mail \u201cme@example.com\u201d now</p>\n"),
    ],
)
def test_kramed_as_kramed_renders_it(source: str, expected: str) -> None:
    # white space collapsed: kramed keeps a paragraph line's leading spaces, which show as none
    assert _collapsed(KRAMED.render(POST, source).html) == _collapsed(
        KRAMED.clean_html(expected, POST.permalink)
    )


def _collapsed(html: str) -> str:
    return " ".join(shown(html).split()).replace("<br> ", "<br>")


def test_many_unclosed_fences_cost_one_scan() -> None:
    import time

    body = "```a\n{x}\n" * 20000
    start = time.perf_counter()
    html = to_html(body, Options(renderer="kramed"))
    assert time.perf_counter() - start < 5
    assert "<pre>" not in html
