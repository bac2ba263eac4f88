"""Content fidelity: clean, safe, absolute HTML and real summaries."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from feeds.builder import build
from feeds.config import ContentConfig, FeedsConfig, load_config
from feeds.content import Cleaner
from feeds.errors import ConfigError
from feeds.models import Post
from feeds.source.posts import read_body, read_posts
from feeds.text import plain_title, truncate

from ..conftest import CORPUS, check_feed, write_post

LINK = "http://blog.example.org/2021/01/01/a/post/"
NOW = datetime(2021, 1, 1, tzinfo=UTC)


def render(body: str, *, description: str | None = None, fmt: str | None = None, **content: object):
    cleaner = Cleaner(ContentConfig(**content), FeedsConfig())  # type: ignore[arg-type]
    post = Post("", "a.md", "T", NOW, NOW, LINK, LINK, description=description, body_format=fmt)
    return cleaner.render(post, body)


@pytest.fixture(scope="module")
def corpus_contents() -> list[tuple[Post, object]]:
    config = load_config(None)
    from feeds.config import with_overrides

    config = with_overrides(config, source=CORPUS)
    cleaner = Cleaner(config.content, config.feeds)
    return [(p, cleaner.render(p, read_body(p))) for p in read_posts(config).posts]


def test_nothing_unsafe_anywhere_in_the_corpus(corpus_contents: list) -> None:
    for post, content in corpus_contents:
        html = content.html
        assert "<script" not in html and "<style" not in html, post.rel
        assert not re.search(r"\son[a-z]+\s*=", html), post.rel
        assert "javascript:" not in html.lower(), post.rel
        assert not re.search(r'\s(style|id)="', html), post.rel
        assert all(re.fullmatch(r"language-[\w+#.-]+", c) for c in re.findall(r'\sclass="([^"]*)"', html))


def test_every_url_is_absolute_http(corpus_contents: list) -> None:
    count = 0
    for post, content in corpus_contents:
        for url in re.findall(r'(?:href|src|poster)="([^"]*)"', content.html):
            count += 1
            assert re.match(r"https?://[^/]", url), (post.rel, url)
        for srcset in re.findall(r'srcset="([^"]*)"', content.html):
            for candidate in srcset.split(","):
                assert re.match(r"\s*https?://", candidate), (post.rel, candidate)
    assert count > 100


def test_summaries_are_within_limit_and_end_cleanly(corpus_contents: list) -> None:
    for post, content in corpus_contents:
        summary = content.summary
        assert len(summary) <= 140, post.rel
        assert summary == summary.strip() and "  " not in summary
        assert not re.search(r"&[#a-zA-Z0-9]*$", summary), post.rel
        if summary and summary[-1] not in "。！？!?.…":  # not cut: then it is the whole text
            whole = " ".join(lxml.html.fromstring(f"<div>{content.html}</div>").text_content().split())
            assert len(whole) <= 140 and whole.replace(" ", "") == summary.replace(" ", ""), post.rel


def test_zaker_post_keeps_paragraphs_and_loses_footer(corpus_contents: list) -> None:
    post, content = next((p, c) for p, c in corpus_contents if p.title == "进一步提升为群众办实事的质量水平")
    source = read_body(post)
    paragraphs = [p for p in re.findall(r"<p>(.*?)</p>", source) if "分享让更多人看到" not in p]
    assert len(paragraphs) >= 9
    for text in paragraphs:
        assert text.strip() in content.html
    assert "分享让更多人看到" not in content.html
    assert "recommend_bottom" not in content.html and "article_bottom" not in content.html
    assert content.html.count("<p>") == len(paragraphs)


def test_style_blocks_and_brace_entities() -> None:
    out = render("<style>.a{color:red}</style><p onclick='x()' class=c style='x'>f&#123;x&#125; &amp; y</p>")
    assert out.html == "<p>f{x} &amp; y</p>"


def test_lazy_images_and_relative_urls() -> None:
    out = render(
        '<p><img data-src="/img/a.jpg" src="data:image/gif;base64,R0lGOD"> <img data-original="b.png">'
        '<img src="//cdn.example/c.png" srcset="/d.png 2x, //cdn.example/e.png 3x"></p>'
        '<a href="../up">up</a><video poster="/p.jpg"><source src="v.mp4" type="video/mp4"></video>'
    )
    assert 'src="http://blog.example.org/img/a.jpg"' in out.html
    assert 'src="http://blog.example.org/2021/01/01/a/post/b.png"' in out.html
    assert 'src="https://cdn.example/c.png"' in out.html
    assert 'srcset="http://blog.example.org/d.png 2x, https://cdn.example/e.png 3x"' in out.html
    assert 'href="http://blog.example.org/2021/01/01/a/up"' in out.html
    assert 'poster="http://blog.example.org/p.jpg"' in out.html and "<source" in out.html


def test_dangerous_urls_and_data_urls() -> None:
    out = render(
        '<a href="javascript:alert(1)">a</a><a href=" JaVaScRiPt:x">b</a><a href="vbscript:x">c</a>'
        '<a href="data:text/html,x">d</a><img src="data:image/png;base64,iVBOR"><img src="data:text/html,x">'
    )
    assert "javascript" not in out.html.lower() and "vbscript" not in out.html
    assert "data:text" not in out.html
    assert 'src="data:image/png;base64,iVBOR"' in out.html


def test_iframes_become_links_unless_allowed() -> None:
    body = '<iframe src="//player.bilibili.com/player.html?aid=1" onload="x"></iframe>'
    out = render(body)
    assert "<iframe" not in out.html
    link = "https://player.bilibili.com/player.html?aid=1"
    assert f'<a href="{link}" rel="noopener noreferrer">{link}</a>' in out.html
    allowed = render(body, iframe_hosts=("player.bilibili.com",))
    assert f'<iframe src="{link}"></iframe>' in allowed.html


def test_empty_wrappers_and_blank_paragraphs_go() -> None:
    out = render(
        "<div><div> <span>\u3000</span></div><p>&nbsp;</p><p><br></p><p>kept</p><p><img src=a.png></p></div>"
    )
    assert (
        out.html == '<div><p>kept</p><p><img src="http://blog.example.org/2021/01/01/a/post/a.png"></p></div>'
    )


def test_rich_structures_survive() -> None:
    body = (
        "<figure><img src='/a.png' alt='A'><figcaption>cap</figcaption></figure>"
        "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>"
        "<pre><code>if (a &lt; b) { x(); }</code></pre><audio controls><source src='/s.mp3'></audio>"
    )
    out = render(body)
    for tag in ("<figure>", "<figcaption>", "<table>", "<th>", "<pre><code>", "<audio controls", "<source"):
        assert tag in out.html
    assert "if (a &lt; b) { x(); }" in out.html


def test_custom_remove_selectors_and_invalid_selector() -> None:
    out = render("<p>keep</p><div class='ad'>buy</div>", remove=(".ad",))
    assert out.html == "<p>keep</p>"
    with pytest.raises(ConfigError, match=r"content\.remove"):
        render("x", remove=("p[",))


def test_markdown_bodies() -> None:
    body = (
        "# Head\n\nSome *text* and ~~gone~~.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "<div onclick='x'>raw</div>\n"
    )
    out = render(body)
    assert "<h1>Head</h1>" in out.html and "<em>text</em>" in out.html and "<del>gone</del>" in out.html
    assert "<table>" in out.html and "<td>1</td>" in out.html
    assert "<div>raw</div>" in out.html and "onclick" not in out.html
    assert render("<p>looks like html</p>", fmt="markdown").html == "<p>looks like html</p>"
    assert render("    indented", fmt="markdown").html.startswith("<pre><code>")


def test_more_marker_gives_the_summary() -> None:
    out = render("<p>Intro text.</p><!-- more --><p>Rest of it.</p>")
    assert out.summary == "Intro text."
    assert "Rest of it." in out.html and "more" not in out.html
    markdown = render("Intro *md*.\n\n<!--more-->\n\nRest.")
    assert markdown.summary == "Intro md." and "Rest." in markdown.html


def test_summary_of_a_long_body_is_its_first_words() -> None:
    """The text walk stops once it has enough; what it gives is what the whole text would."""
    words = [f"w{i}" for i in range(5000)]
    body = "<div>" + "".join(f"<p>{w}<!-- c --><b>x</b></p>" for w in words) + "</div>"
    whole = " ".join(f"{w}x" for w in words)
    out = render(body)
    assert out.summary == truncate(whole, 140) and out.first_text == truncate(whole, 80)
    short = render("<p>one</p>two<p>three</p>")
    assert short.summary == "one two three" == short.first_text


def test_description_wins_and_is_plain_text() -> None:
    out = render("<p>Body.</p>", description="<b>Short</b> &amp; sweet")
    assert out.summary == "Short & sweet"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("短句。第二句很长很长很长很长", 10, "短句。第二句很长很…"),
        ("第一句话在这里。第二句话在这里。第三句", 12, "第一句话在这里。"),
        ("abc", 10, "abc"),
        ("a  b\n\tc", 10, "a b c"),
        ("😀" * 20, 5, "😀😀😀😀…"),
        ("Hello world. More text follows here", 20, "Hello world."),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
    assert len(truncate(text, limit)) <= limit


def test_titles_are_plain_text() -> None:
    assert plain_title("  A &amp; <b>B</b>\n &#123;C&#125; ") == "A & B {C}"
    assert plain_title("x < y > z") == "x < y > z"


@pytest.mark.parametrize("mode", ["summary", "none"])
def test_content_modes(
    make_config: Callable[..., Path], tmp_path: Path, mode: str, atom_schema: object
) -> None:
    src = tmp_path / "src"
    write_post(src, "a.md", "---\ntitle: A\ndate: 2021-01-01\n---\n<p>First. Second <b>bold</b>.</p>")
    config = load_config(make_config(source=str(src), feeds={"content": mode}))
    build(config)
    for name in ("rss.xml", "atom.xml"):
        path = config.output / name
        check_feed(path, atom_schema)  # type: ignore[arg-type]
        entry = feedparser.parse(path.read_bytes()).entries[0]
        if mode == "none":
            assert "content" not in entry
        else:
            assert entry.content[0].value == "<p>First. Second bold.</p>"
    atom = etree.parse(str(config.output / "atom.xml")).getroot()
    assert atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary") is not None


def test_rss_description_is_escaped_html_atom_summary_is_text(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write_post(src, "a.md", "---\ntitle: A\ndate: 2021-01-01\n---\n<p>if a &lt; b &amp;&amp; c</p>")
    config = load_config(make_config(source=str(src)))
    build(config)
    rss = etree.parse(str(config.output / "rss.xml")).getroot()
    assert rss.findtext("channel/item/description") == "if a &lt; b &amp;&amp; c"
    atom = etree.parse(str(config.output / "atom.xml")).getroot()
    summary = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary is not None and summary.text == "if a < b && c" and summary.get("type") in (None, "text")


def test_a_second_body_and_a_whole_document_description() -> None:
    """libxml2 makes `</body><body>` two bodies: the second one's content is kept, not lost."""
    out = render("<p>first</p></body><body>more <p>second</p>")
    assert out.html == "<p>first</p>more <p>second</p>"
    doc = "<html><head><title>Page</title><style>p{}</style></head><body><p>The gist.</p></body></html>"
    assert render("<p>Body.</p>", description=doc).summary == "The gist."


def test_markdown_as_hexo_renderer_marked_renders_it() -> None:
    """marked's defaults in Hexo: breaks, autolinks, smartypants, GFM task lists; each can be turned off."""
    from feeds.content.markdown import Options, to_html

    text = 'Let\'s "go" -- now --- or ...\nnext line https://hexo.io `a -- b`\n\n- [ ] todo\n- [x] done'
    html = to_html(text)
    assert "Let’s “go” – now — or …<br />" in html and '<a href="https://hexo.io">' in html
    assert "<code>a -- b</code>" in html and 'type="checkbox"' in html
    plain = to_html(text, Options(gfm=False, breaks=False, autolink=False, smartypants=False))
    assert "Let's" in plain and "--" in plain and "<br" not in plain and "<a " not in plain
    assert "[ ] todo" in plain
    assert to_html("(c) +- (tm)") == "<p>(c) +- (tm)</p>\n"  # markdown-it's replacements: not marked's


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a "skip" b', "a “skip” b"),
        ('the "node_modules/" folder', "the “node_modules/“ folder"),  # after a slash it opens: marked's rule
        ('心目中的"PKM"。', "心目中的”PKM”。"),  # after a letter it closes, both times
        ("it's 'quoted'", "it’s ‘quoted’"),
        ('an \\"escaped\\" quote', "an &quot;escaped&quot; quote"),
        ("one -- two --- three...", "one – two — three…"),
        ('**"bold"** then "x"', "<strong>“bold”</strong> then “x”"),
    ],
)
def test_smartypants_is_markeds(text: str, expected: str) -> None:
    """marked's smartypants, rule by rule, as Hexo's feeds show it, not markdown-it's quote pairing."""
    from feeds.content.markdown import to_html

    assert to_html(text) == f"<p>{expected}</p>\n"


def test_smartypants_leaves_code_and_bare_urls_alone() -> None:
    from feeds.content.markdown import to_html

    html = to_html("`\"a\" -- b` see https://example.com/a--b... <https://example.com/'q'>")
    assert "<code>&quot;a&quot; -- b</code>" in html
    assert ">https://example.com/a--b</a>…" in html and ">https://example.com/'q'</a>" in html


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Add a <form action='/x'><div id='divTable'>table here</div> and the rest.</p><p>Last words.</p>",
        "<p>add a <form> with a <div id='divTable'></p><p>Next paragraph.</p><p>Last words.</p>",
        "<p>Open <form><form><div>nested <b>bold</b></div></form> still here</p><p>Last words.</p>",
        "<p>A movie <object data='m.swf'><param name='q' value='1'>fallback text</object> after.</p>"
        "<p>Last words.</p>",
        "<p>An <embed src='m.swf'> then <x-note type='info'>a theme's note</x-note></p><p>Last words.</p>",
        "<p><iframe src='https://player.example/v/1'></iframe>after the player</p><p>Last words.</p>",
        "<p><form><input name=q><select><option>choice</option></select>",
    ],
)
def test_a_refused_element_never_takes_the_text_after_it(markup: str) -> None:
    """An unclosed <form> (as a post written for an old CMS has) once cut the entry off mid-sentence."""
    content = render(markup, fmt="html")
    words = re.findall(r"\w+", lxml.html.fromstring(markup).text_content())
    text = lxml.html.fromstring(f"<div>{content.html}</div>").text_content()
    for word in words:
        assert word in text, (word, content.html)
    assert not re.search(r"<(form|object|embed|param|input|select|x-note)\b", content.html)


@pytest.mark.parametrize("tag", ["script", "style", "template", "noscript"])
def test_code_and_styles_go_with_what_they_hold(tag: str) -> None:
    content = render(f"<p>Before</p><{tag}>hidden words</{tag}><p>After</p>", fmt="html")
    assert "hidden" not in content.html and "Before" in content.html and "After" in content.html


def test_smartypants_reads_through_a_backslash_that_escapes_nothing() -> None:
    """hexo-renderer-marked 7.0.1 and kramed: `'\\t'` closes its quote after the t (marked's text runs on
    past a backslash before a letter); an escaped quote stays straight in marked, while kramed escapes
    no quote, so its backslash stays and the quote curls (kramed 0.5.6: ``\\’x’``)."""
    from feeds.content.markdown import Options, to_html

    source = "BY '\\t' and \"a\\n\" \\'x'"
    assert to_html(source, Options()) == "<p>BY \u2018\\t\u2019 and \u201ca\\n\u201d 'x\u2019</p>\n"
    kramed = to_html(source, Options(renderer="kramed"))
    assert kramed == "<p>BY \u2018\\t\u2019 and \u201ca\\n\u201d \\\u2019x\u2019</p>\n"
