"""Markup a post opens and never closes is the characters its author typed (issue 20, rule 1)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import lxml.html
import pytest
from click.testing import CliRunner

from feeds.cli import main
from feeds.config import ContentConfig, FeedsConfig
from feeds.content import Cleaner
from feeds.models import Post

LINK = "http://blog.example.org/2021/01/01/a/post/"
NOW = datetime(2021, 1, 1, tzinfo=UTC)
RAW = ["script", "style", "iframe", "noembed", "noframes", "noscript", "xmp", "title", "textarea"]
RAW.append("plaintext")
PARSER_TAGS = re.compile(r"&lt;/?(?:body|html|p)&gt;|</?(?:body|html)>")


def render(body: str, fmt: str, **content: object) -> str:
    cleaner = Cleaner(ContentConfig(**content), FeedsConfig())  # type: ignore[arg-type]
    post = Post("", "a.md", "T", NOW, NOW, LINK, LINK, body_format=fmt)
    return cleaner.render(post, body).html


def visible(html: str) -> str:
    return " ".join(lxml.html.fromstring(f"<div>{html}</div>").text_content().split())


def as_post(prose: list[str], fmt: str) -> str:
    """Paragraphs of prose as a Markdown body or as an HTML body."""
    if fmt == "markdown":
        return "\n\n".join(prose) + "\n"
    return "\n".join(f"<p>{line}</p>" for line in prose)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("name", RAW)
def test_a_raw_text_element_never_closed_is_text(name: str, fmt: str) -> None:
    html = render(as_post([f"Before <{name}> middle text.", "Last paragraph."], fmt), fmt)
    assert visible(html) == f"Before <{name}> middle text. Last paragraph."
    assert html.count("<p>") == 2 and not PARSER_TAGS.search(html), html


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_textarea_in_a_sentence_keeps_the_rest_of_the_post(fmt: str) -> None:
    html = render(as_post(["Before <textarea> middle text.", "Last paragraph."], fmt), fmt)
    assert html == "<p>Before &lt;textarea&gt; middle text.</p>\n<p>Last paragraph.</p>"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_old_cms_prose_keeps_every_word(fmt: str) -> None:
    prose = [
        "The input method fails in a newly created <div> or <iframe> of a page.",
        "It works in the main document, as reported.",
    ]
    html = render(as_post(prose, fmt), fmt)
    assert visible(html) == " ".join(prose)
    assert html.count("<p>") == 2


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("name", ["table", "form", "div", "h2", "ul", "pre", "blockquote", "TABLE"])
def test_a_block_in_a_sentence_stays_in_its_paragraph(name: str, fmt: str) -> None:
    html = render(as_post([f"Before <{name}> middle text.", "Last paragraph."], fmt), fmt)
    assert html == f"<p>Before &lt;{name}&gt; middle text.</p>\n<p>Last paragraph.</p>"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_block_right_after_a_word_in_cjk_prose_is_text(fmt: str) -> None:
    html = render(as_post(["输入法在新建的<div>或<iframe>中失效。", "最后一段。"], fmt), fmt)
    assert html == "<p>输入法在新建的&lt;div&gt;或&lt;iframe&gt;中失效。</p>\n<p>最后一段。</p>"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_select_in_a_sentence_loses_its_tag_and_nothing_else(fmt: str) -> None:
    html = render(as_post(["Before <select> middle text.", "Last paragraph."], fmt), fmt)
    assert visible(html) == "Before middle text. Last paragraph." and html.count("<p>") == 2


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_block_in_a_list_item_or_heading_stays_there(fmt: str) -> None:
    if fmt == "markdown":
        body = "## The <form> element\n\n- use a <table> here\n- and there\n"
    else:
        body = "<h2>The <form> element</h2><ul><li>use a <table> here</li><li>and there</li></ul>"
    html = render(body, fmt)
    assert "<h2>The &lt;form&gt; element</h2>" in html
    assert re.search(r"<li>use a &lt;table&gt; here</li>\s*<li>and there</li>", html), html


def test_closed_blocks_are_structure() -> None:
    body = "<p>Intro</p><div class=note><p>Inside <b>it</b></p></div><table><tr><td>cell</td></tr></table>"
    html = render(body, "html")
    table = "<table><tbody><tr><td>cell</td></tr></tbody></table>"
    assert html == f"<p>Intro</p><div><p>Inside <b>it</b></p></div>{table}"


def test_a_wrapper_never_closed_stays_a_wrapper() -> None:
    """A <div> that opens a line is the page's structure (a scraped post cut short), not prose."""
    html = render('<div class="post">\n<p>First.</p>\n<p>Second.</p>', "html")
    assert html == "<div>\n<p>First.</p>\n<p>Second.</p></div>"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_an_unknown_element_loses_only_its_tag(fmt: str) -> None:
    prose = ["#include <vector> then words stay.", "#include <iostream> #include <map> #include <set> done."]
    html = render(as_post(prose, fmt), fmt)
    assert visible(html) == "#include then words stay. #include #include #include done."
    assert html.count("<p>") == 2


def test_java_generics_in_prose_keep_their_words() -> None:
    html = render("A List<String> of names and a <list> of them.\n", "markdown")
    assert visible(html) == "A List of names and a of them."


def test_svg_and_mathml_inside_are_not_unwrapped() -> None:
    """SVG's own elements (<text>) are dropped whole with it by the sanitiser; MathML's presentation
    elements are kept whole (formulas pass the sanitiser), never unwrapped into loose text."""
    html = render("<p>a <svg><text>label</text></svg> b <math><mi>x</mi></math> c</p>", "html")
    assert visible(html) == "a b x c"
    assert "<math><mi>x</mi></math>" in html


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_an_unclosed_comment_or_cdata_is_text(fmt: str) -> None:
    for opener in ("<!--", "<![CDATA["):
        html = render(as_post([f"Before {opener} middle text.", "Last paragraph."], fmt), fmt)
        words = visible(html).replace("\u2013", "--")  # marked's smartypants dashes a Markdown "--"
        assert words == f"Before {opener} middle text. Last paragraph.", html


def test_closed_comment_and_cdata_are_hidden_as_before() -> None:
    html = render("<p>a <!-- note --> b <![CDATA[ raw ]]> c</p>", "html")
    assert visible(html) == "a b c"


@pytest.mark.parametrize(
    "tail", ["<div", "<a href='", '<a href="http://x.example/', "<img src=x alt='a>b", "</di"]
)
def test_a_tag_cut_off_at_the_end_is_text(tail: str) -> None:
    html = render(f"<p>First.</p>\n<p>Last words {tail}", "html")
    assert visible(html) == f"First. Last words {tail}"


def test_a_tag_cut_off_at_the_end_of_markdown_is_text() -> None:
    assert visible(render("First.\n\nLast words <a href='", "markdown")) == "First. Last words <a href=\u2019"


def test_closed_elements_follow_the_rules_as_before() -> None:
    body = (
        "<p>a <script>alert(1)</script> b <style>p{}</style> c <noscript>ns</noscript> d"
        " <template>t</template> e <textarea>typed <b>x</b></textarea> f</p>"
    )
    html = render(body, "html")
    assert visible(html) == "a b c d e typed <b>x</b> f"
    assert "<script" not in html and "alert" not in html


def test_a_closed_script_then_an_unclosed_one() -> None:
    html = render("<p>a <script>x()</script> b</p>\n<p>c <script> d</p>\n<p>e</p>", "html")
    assert visible(html) == "a b c <script> d e" and "x()" not in html


def test_an_unclosed_script_inside_a_closed_comment_is_a_comment() -> None:
    assert visible(render("<p>a <!-- <script> --> b</p>\n<p>c</p>", "html")) == "a b c"


def test_a_closed_iframe_is_kept_or_linked_in_its_paragraph() -> None:
    body = "<p>see <iframe src='https://www.youtube.com/embed/x'></iframe> here</p>"
    kept = render(body, "html", iframe_hosts=["www.youtube.com"])
    assert kept == '<p>see <iframe src="https://www.youtube.com/embed/x"></iframe> here</p>'
    linked = render(body, "html")
    assert linked == (
        '<p>see <a href="https://www.youtube.com/embed/x" rel="noopener noreferrer">'
        "https://www.youtube.com/embed/x</a> here</p>"
    )
    alone = render("<div><iframe src='https://v.example/x'></iframe></div>", "html")
    assert alone.startswith('<div><p><a href="https://v.example/x"'), alone


def test_a_plaintext_with_an_end_tag_is_text_too() -> None:
    """HTML gives <plaintext> no end tag: a parser takes all after it, its own end tags too."""
    html = render("<p>a <plaintext> b </plaintext> c</p>\n<p>d</p>", "html")
    assert visible(html) == "a <plaintext> b c d" and not PARSER_TAGS.search(html)


def test_the_summary_and_description_keep_the_words_too() -> None:
    cleaner = Cleaner(ContentConfig(), FeedsConfig())
    post = Post("", "a.md", "T", NOW, NOW, LINK, LINK, description="Why <textarea> fails here")
    content = cleaner.render(post, "Before <iframe> after.\n\n<!-- more -->\n\nRest.")
    assert content.summary == "Why <textarea> fails here"
    post = Post("", "a.md", "T", NOW, NOW, LINK, LINK)
    content = cleaner.render(post, "Before <iframe> after.\n\n<!-- more -->\n\nRest.")
    assert content.summary == "Before <iframe> after."
    assert content.first_text == "Before <iframe> after. Rest."


def test_feeds_convert_keeps_the_words() -> None:
    post = "---\ntitle: Stray\ndate: 2024-03-01\n---\nBefore <textarea> middle text.\n\nLast paragraph.\n"
    result = CliRunner().invoke(
        main, ["convert", "-", "--format", "json", "--url", "https://me.example/"], input=post
    )
    assert result.exit_code == 0, result.stderr
    [item] = json.loads(result.stdout)["items"]
    assert visible(item["content_html"]) == "Before <textarea> middle text. Last paragraph."


def test_a_block_in_a_sentence_that_is_closed_is_structure() -> None:
    html = render("<p>Note <div>boxed</div> after</p>\n<div>x</div>\n<p>Use <div> here</p>", "html")
    assert "&lt;div&gt; here" in html and visible(html) == "Note boxed after x Use <div> here"
    assert html.count("&lt;") == 1  # three <div>, two </div>: the last one in a sentence is left open


@pytest.mark.parametrize(
    ("html", "words"),
    [
        ('<p>from<span> </span><a href="https://x.example/">Skippy</a> ok</p>', "from Skippy ok"),
        ("<p>a<span> </span>b</p>", "a b"),
        ("<p>word<span><br></span>next</p>", "word next"),
        ("<p>a<span></span>b</p>", "ab"),  # an empty element separates nothing
    ],
)
def test_a_blank_element_between_words_leaves_their_space(html: str, words: str) -> None:
    assert visible(render(html, "html")) == words
