"""A Jekyll post's body: its Liquid, then kramdown's Markdown, then the cleaner.

Expected HTML and text were checked against kramdown 2.4 with kramdown-parser-gfm 1.1
(Jekyll 4.3's, input GFM, hard_wrap false) and Jekyll 4.3 itself, run by hand.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from feeds.config import Config, load_config
from feeds.content import make_cleaner
from feeds.content.kramdown import to_html
from feeds.models import Site
from feeds.source import read_posts
from feeds.typography import smartify

from ..conftest import write_post


def _text(markup: str) -> str:
    return re.sub(
        r"\s+", " ", lxml_html.fragment_fromstring(markup, create_parent="div").text_content()
    ).strip()


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("\"Hello,\" she said -- it's the '80s...", "“Hello,” she said – it’s the ’80s…"),
        ("a---b << c >>", "a—b «\u00a0c\u00a0»"),
        ('..."quoted" and …"q"', "…“quoted” and …”q”"),  # after the symbol a run starts; after … it does not
        ("He said \"'Quoted' words\"", "He said “‘Quoted’ words”"),
    ],
)
def test_kramdowns_typography(source: str, shown: str) -> None:
    assert smartify(source) == shown


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("**foo*", "<p><em>*foo</em></p>"),
        ("**하늘색 flow가 **Caduceus", "<p>**하늘색 flow가 **Caduceus</p>"),
        ("**가**나 and foo_bar_baz", "<p><strong>가</strong>나 and foo_bar_baz</p>"),
        ("a ` x` b and `y` c", "<p>a ` x<code> b and </code>y` c</p>"),
        ("add it to the <head> section", "<p>add it to the &lt;head&gt; section</p>"),
        (" # Not a heading", "<p># Not a heading</p>"),
        ("x | y\nz", "<p>x | y\nz</p>"),
        ("I say no. </rant>", "<p>I say no. &lt;/rant&gt;</p>"),  # a closing tag with no opening one
    ],
)
def test_kramdowns_spans(markdown: str, html: str) -> None:
    assert to_html(markdown).strip() == html


def test_kramdowns_blocks_and_extensions() -> None:
    source = (
        "* TOC\n{:toc}\n\n## First\n\n## Skipped\n{: .no_toc}\n\n"
        "Lead.\n{: .lead}\n\nA footnote[^n] and *HTML*.\n\n*[HTML]: Hyper Text\n\n"
        "Term\n: Its definition.\n\n[a | b](http://x) c\n\n"
        "Inline $$x_1$$ math.\n\n$$a \\\\ b$$\n\n{::comment}hidden{:/comment}\n\n"
        "<h4>Block</h4>\nAfter it's\n\n[^n]: The note.\n"
    )
    html = to_html(source)
    assert html.index("markdown-toc") < html.index("<h2>First")
    toc = html[html.index("markdown-toc") : html.index("</ul>")]
    assert "First" in toc and "Skipped" not in toc
    assert "{:" not in html and "HTML]" not in html and "hidden" not in html
    assert '<sup id="fnref:1"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup>' in html
    assert "<dt>Term</dt>" in html and "<dd>Its definition.</dd>" in html
    assert "<td>[a</td>" in html or "<th>[a</th>" in html  # a line with a pipe is a table row
    listed = to_html("1. [a | b](http://x) c\n2. plain\n")
    assert "<li>\n<table>" in listed and "b](http://x) c" in listed  # so is a list item's only line
    assert "\\(x_1\\)" in html and "\\[a \\\\ b\\]" in html
    assert "<h4>Block</h4>\n<p>After it’s</p>" in html


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write_post(site, "_config.yml", "title: Shed\nurl: https://example.org\nbaseurl: /blog\nauthor: Me\n")
    write_post(site, "_includes/note.html", '<p class="note">{{ include.text }} on {{ site.title }}</p>\n')
    return site


def _config(tmp_path: Path, site: Path) -> Config:
    path = tmp_path / "config.yaml"
    path.write_text(f"jekyll: {site / '_config.yml'}\ncache: {tmp_path / 'cache'}\n", encoding="utf-8")
    return load_config(path)


def _render(tmp_path: Path, body: str, posts: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    site = _site(tmp_path)
    write_post(site, "_posts/2020-01-02-first.md", "---\ntitle: First\n---\nThe first.\n")
    write_post(site, "_posts/2020-03-04-it.md", "---\ntitle: It\nmine: own value\n---\n" + body)
    config = _config(tmp_path, site)
    by_rel = {p.rel: p for p in read_posts(config).posts}
    known = posts or {"2020-01-02-first": (by_rel["_posts/2020-01-02-first.md"].permalink, "First")}
    cleaner = make_cleaner(config, Site(root="https://example.org/blog/", posts=known))
    post = by_rel["_posts/2020-03-04-it.md"]
    content = cleaner.render(post, (site / "_posts" / "2020-03-04-it.md").read_text(encoding="utf-8"))
    return content.html, content.summary


def test_liquid_values_links_and_includes(tmp_path: Path) -> None:
    html, _ = _render(
        tmp_path,
        "{{ site.title }}, {{ page.title }}, {{ page.mine }}, {{ page.url }}.\n\n"
        "[first]({% post_url 2020-01-02-first %}) and [again]({% link _posts/2020-01-02-first.md %}).\n\n"
        '![pic]({{ "/img/a.png" | relative_url }}) [abs]({{ "/x/" | absolute_url }})\n\n'
        '{% include note.html text="Hi" %}\n',
    )
    assert "Shed, It, own value, /2020/03/04/it.html." in html  # page.url is under the baseurl
    assert html.count('href="https://example.org/blog/2020/01/02/first.html"') == 2
    assert 'src="https://example.org/blog/img/a.png"' in html and 'href="https://example.org/blog/x/"' in html
    assert "Hi on Shed" in html


def test_highlight_is_a_code_block_with_its_language_and_raw_stays_as_written(tmp_path: Path) -> None:
    html, _ = _render(
        tmp_path,
        "{% highlight ruby linenos %}\ndef x\n  '<b>' # {{ page.title }}\n\nend\n{% endhighlight %}\n\n"
        "Raw: {% raw %}{{ not_rendered }} {% if %}{% endraw %}.\n",
    )
    assert '<code class="language-ruby">' in html
    assert "def x\n  '&lt;b&gt;' # It\n\nend</code>" in html  # Liquid inside, escaped, blank line kept
    assert "Raw: {{ not_rendered }} {% if %}." in _text(html)


def test_tags_without_an_implementation_show_nothing_but_keep_their_words(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        html, _ = _render(
            tmp_path,
            "Before {% gist 123 %} after.\n\n{% callout note %}Kept words{% endcallout %}\n\n"
            "{% include missing.html %}\nStill here.\n\n{% post_url 1999-01-01-gone %}\n",
        )
    text = _text(html)
    assert "Before after." in text and "Kept words" in text and "Still here." in text
    assert "{%" not in html and "{{" not in html
    logged = caplog.text
    assert "{% gist %}" in logged and "{% callout %}" in logged and "missing.html" in logged
    assert "1999-01-01-gone" in logged


def test_a_post_whose_liquid_cannot_be_parsed_loses_its_tags_not_its_words(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        html, _ = _render(tmp_path, "Words {% if %} more {{ x | }} words.\n")
    assert _text(html) == "Words more words."
    assert "cannot be rendered" in caplog.text


def test_the_excerpt_is_what_comes_before_the_separator(tmp_path: Path) -> None:
    _, summary = _render(tmp_path, "The *first* paragraph.\n\nThe second.\n")
    assert summary == "The first paragraph."
    _, summary = _render(tmp_path, "---\n\nx\n".replace("---\n\nx\n", "One.\n\nTwo.<!--more-->Three.\n"))
    assert summary == "One."


def test_kramdowns_markdown_attribute_void_blocks_quoted_tabs_and_backtick_runs() -> None:
    """Each case as kramdown 2 (input GFM) renders it, checked with kramdown itself."""
    inside = to_html('<div class="x" markdown="1">\n>"Quoted" **x**\n</div><br>\n\n<p>after</p>\n')
    assert '<div class="x">\n<blockquote>\n<p>“Quoted” <strong>x</strong></p>' in inside
    assert "markdown=" not in inside and "</blockquote>\n</div><br>" in inside
    assert "<div>\na <em>b</em>\nc</div>" in to_html('<div markdown="span">\na *b*\nc\n</div>\n')
    assert to_html('<hr class="y"/>\nIn **x**\n').endswith("<p>In <strong>x</strong></p>\n")
    assert "<blockquote>\n<p>q <strong>b</strong></p>" in to_html("<hr>\n>q **b**\n")
    quoted = to_html("> **q**\n>\n> \t- <span>**a**</span>\n")
    assert "<pre><code>- &lt;span&gt;**a**&lt;/span&gt;\n</code></pre>" in quoted
    runs = to_html("a `(B, ``\\frac{C}{4}``)` and ``a ` b`` end\n")
    assert (
        runs
        == "<p>a <code>(B, </code><code>\\frac{C}{4}</code><code>)</code> and <code>a ` b</code> end</p>\n"
    )


def test_kramdown_reads_an_html_span_elements_content_by_itself() -> None:
    """Emphasis cannot close outside the element it opened in (as kramdown 2 renders it)."""
    source = "<span>_**a b **_</span><span>_**c**_</span> *x <b>y*</b> z* and </rant> *f*\n"
    assert to_html(source) == (
        "<p><span><em>**a b **</em></span><span><em><strong>c</strong></em></span>"
        " <em>x <b>y*</b> z</em> and &lt;/rant&gt; <em>f</em></p>\n"
    )


@pytest.mark.parametrize(
    ("markdown", "html"),
    [  # each as kramdown 2 renders it: an element outside its content models keeps its content as written
        ("a <u>*x*</u> <sup>*s*</sup>", "<p>a <u>*x*</u> <sup><em>s</em></sup></p>"),
        ("**Mono<Reply> `x()`** *y*", "<p>**Mono<Reply> `x()`** *y*</p>"),  # never closed: to the end
        (
            'x <code>a &amp; <b>b</b> <pre>y</pre> <img src="a alt="b" /></code>',
            '<p>x <code>a &amp; <b>b</b> &lt;pre&gt;y&lt;/pre&gt; &lt;img src="a alt="b" /&gt;</code></p>',
        ),
        ("*n <x>o* p</x> q* <br> *z*", "<p><em>n <x>o* p</x> q</em> <br> <em>z</em></p>"),
    ],
)
def test_kramdowns_raw_content_elements(markdown: str, html: str) -> None:
    assert to_html(markdown).strip() == html


def test_kramdown_shows_a_closing_tag_that_closes_nothing_in_an_html_block() -> None:
    """As kramdown 2 renders them: a leftover </a>, void elements' </param>, a misspelt </bockquote>."""
    html = to_html(
        '<div class="c">text </a> more</div>\n\n<object><param name="a"></param><embed src="x"></object>\n\n'
        '<div>x</bockquote>\n</div>\n\n<div markdown="1">\n*y*\n</div>\n'
    )
    assert '<div class="c">text &lt;/a&gt; more</div>' in html
    assert '<object><param name="a">&lt;/param&gt;<embed src="x"></object>' in html
    assert "<div>x&lt;/bockquote&gt;\n</div>" in html
    assert "<div>\n<p><em>y</em></p>\n</div>" in html  # the tags around Markdown content close each other
