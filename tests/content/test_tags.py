"""Hexo's tag plugins: rendered as Hexo renders them, or reduced to their content; never left as text."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.config import ContentConfig, FeedsConfig
from feeds.content import Cleaner
from feeds.models import Post

LINK = "https://b.example/2021/01/01/p/"


def html_of(body: str, body_format: str | None = "markdown") -> str:
    post = Post(
        root="", rel="p.md", title="T", date=datetime(2021, 1, 1, tzinfo=UTC),
        updated=datetime(2021, 1, 1, tzinfo=UTC), permalink=LINK, id=LINK, body_format=body_format,
    )  # fmt: skip
    return Cleaner(ContentConfig(iframe_hosts=("www.youtube.com",)), FeedsConfig()).render(post, body).html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{% link Hexo https://hexo.io %}", '<a href="https://hexo.io"'),
        (
            "{% blockquote David Levithan, Wide Awake %}\nSeek **it**.\n{% endblockquote %}",
            "<strong>it</strong>",
        ),
        ("{% quote Someone %}\nText\n{% endquote %}", "<strong>Someone</strong>"),
        (
            "{% codeblock hello.js lang:js %}\nif (a < b) {}\n{% endcodeblock %}",
            "if (a &lt; b) {}</code></pre>",
        ),
        ("{% code %}\nx = 1\n{% endcode %}", "<pre><code>x = 1</code></pre>"),
        ("{% pullquote %}\nQuoted\n{% endpullquote %}", "<blockquote><p>Quoted</p>"),
        ('{% img /i/a.png 200 100 \'"A title" "An alt"\' %}', 'alt="An alt"'),
        (
            "{% iframe https://www.youtube.com/embed/x 560 315 %}",
            '<iframe src="https://www.youtube.com/embed/x"',
        ),
        ("{% asset_img diagram.png A diagram %}", f'<img src="{LINK}diagram.png" alt="A diagram"'),
        ("{% asset_link notes.pdf The notes %}", f'<a href="{LINK}notes.pdf"'),
        ("{% url_for Home /about/ %}", 'href="https://b.example/about/"'),
        ("{% youtube TIbZDRXM-Tg %}", '<iframe src="https://www.youtube.com/embed/TIbZDRXM-Tg"'),
        ("{% gist 1234abcd %}", '<a href="https://gist.github.com/1234abcd"'),
        ("{% raw %}<b>{{ not a tag }}</b>{% endraw %}", "<b>{{ not a tag }}</b>"),
        ("a {# a comment #} b", "a  b"),
    ],
)
def test_built_in_tags(body: str, expected: str) -> None:
    html = html_of(body)
    assert expected in html, html
    assert "{%" not in html and "%}" not in html


def test_a_tag_hexo_does_not_know_keeps_its_content_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="feeds"):
        html = html_of(
            "{% notetest info %}\nA **note**.\n{% endnotetest %}\n\n{% notetest %}again{% endnotetest %}"
        )
    assert "<strong>note</strong>" in html and "again" in html and "{%" not in html
    assert caplog.text.count("'notetest'") == 1


def test_fenced_code_keeps_its_tags_a_code_span_does_not_and_an_escaped_tag_stays_text() -> None:
    html = html_of("`{% raw %}{%{% endraw %}`\n\n```\n{% fenced %}\n```\n\nEscaped \\{\\% x \\%\\}")
    assert "<code>{%</code>" in html and "{% fenced %}" in html
    assert "Escaped {% x %}" in html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Hexo's syntax: {% link text url [external] [title] %}, the address the first word like one.
        (
            "{% link Hexo docs https://hexo.io/docs/ true The title %}",
            '<a href="https://hexo.io/docs/" title="The title" rel="noopener noreferrer">Hexo docs</a>',
        ),
        ("{% a Mail me mailto:me@example.org %}", '<a href="mailto:me@example.org">Mail me</a>'),
        ("{% link Docs www.hexo.io false %}", ">Docs</a>"),
        ("{% link About /about/ %}", "<a>About /about/</a>"),  # no address to Hexo: all text, no href
    ],
)
def test_link_finds_its_address_as_hexo_does(body: str, expected: str) -> None:
    assert expected in html_of(body)


def test_tags_in_an_html_body() -> None:
    html = html_of("<p>See {% link Hexo https://hexo.io %}.</p>", body_format="html")
    assert '<a href="https://hexo.io"' in html and "{%" not in html


def test_what_a_tag_names_is_untrusted() -> None:
    html = html_of('{% link "click <b>me</b>" javascript:alert(1) %}\n\n{% img javascript:x.png %}')
    assert "javascript:" not in html and "<b>me</b>" not in html


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["{% link https://a.example/ x %}", "{% note %}", "{% endnote %}", "{% codeblock %}",
             "{% endcodeblock %}", "{% youtube id %}", "{% blockquote a, b %}",
             "{% endblockquote %}", "{% asset_img a.png %}", "{%", "%}", "text", "\n\n", "**b**", "{# c #}"]
        ),
        max_size=12,
    )
)  # fmt: skip
def test_no_tag_reaches_a_feed(parts: list[str]) -> None:
    """Whatever the mix, every complete {% … %} is rendered or dropped, never shown (but inside
    {% raw %}, whose content is shown as written, in Hexo too)."""
    html = html_of(" ".join(parts))
    # A tag that leaked would be its name and text arguments; a stray "{%" and "%}" written around a
    # tag that was rendered ("{% x {% link … %} %}") hold its HTML, and stay the text they are.
    assert not re.search(r"\{%-?\s*\w+[^<>]*?%\}", html, re.DOTALL), html


@pytest.mark.parametrize(
    "body",
    [
        "{% a " * 20000,  # unclosed tags: was 29 s
        "```a\n{%x%}\n" * 8000,  # unclosed fences: was 3.8 s
        "{% img a.png %}\n" * 8000,  # many tags without an end tag
    ],
)
def test_hostile_bodies_take_linear_time(body: str) -> None:
    import time

    started = time.perf_counter()
    html_of(body)
    assert time.perf_counter() - started < 5  # each took a few hundredths of a second when fixed


def test_deep_nesting_and_a_body_that_writes_the_token() -> None:
    deep = (
        "".join(f"{{% t{i} %}}" for i in range(600)) + "x" + "".join(f"{{% endt{i} %}}" for i in range(600))
    )
    assert "x" in html_of(deep)  # no RecursionError: past 16 levels the tags go, the text stays
    html = html_of("{% raw %}<i>r</i>{% endraw %}\n\nsee FEEDSTAG7X and FEEDSTAG0X")
    assert "<i>r</i>" in html and "FEEDSTAG7X and FEEDSTAG0X" in html


def test_tag_arguments_are_cut_as_hexo_cuts_them() -> None:
    """Nunjucks' lexer: a quote opening a token groups words and goes; one inside a word stays."""
    from feeds.content.tags import _words

    assert _words("'a b' c") == ["a b", "c"]
    assert _words('x,"a b" d') == ["x,a b", "d"]
    assert _words("info@'unsafe-inline'") == ["info@'unsafe-inline'"]
    assert _words("it's fine") == ["it's", "fine"]
    assert _words("'never closed") == ["'never", "closed"]


@pytest.mark.parametrize(
    ("tag", "display"),
    [
        # hexo-static-math 0.1.0: a block (its centred <div> of MathJax's SVG) unless `inline` (a <span>)
        ("{% math %}\nx^2 \\leq 1\n{% endmath %}", True),
        ("{% math inline %}x^2 \\leq 1{% endmath %}", False),
        # hexo-math 4/5: KaTeX's displayMode and MathJax's conversion.display, off unless the argument's
        # JSON sets them
        ("{% katex %}x^2 \\leq 1{% endkatex %}", False),
        ("{% katex '{\"displayMode\": true}' %}x^2 \\leq 1{% endkatex %}", True),
        ('{% mathjax \'{"conversion": {"display": true}}\' %}x^2 \\leq 1{% endmathjax %}', True),
    ],
)
def test_a_math_plugins_tag_is_mathml_with_its_tex(tag: str, display: bool) -> None:
    html = html_of(f"Before\n\n{tag}\n\nafter")
    assert '<annotation encoding="application/x-tex">x^2 \\leq 1</annotation>' in html, html
    assert f'display="{"block" if display else "inline"}"' in html, html
    assert "{%" not in html
