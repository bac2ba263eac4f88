"""Post bodies as Hexo renders them: its fenced code, links to other posts and files, asset folders."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feeds.config import ContentConfig, FeedsConfig
from feeds.content import Cleaner
from feeds.content.fences import extract
from feeds.models import Post, Site

LINK = "https://b.example/blog/2021/01/01/p/"
ROOT = "https://b.example/blog/"
WHEN = datetime(2021, 1, 1, tzinfo=UTC)


SITE = Site(root=ROOT)


def html_of(body: str, site: Site = SITE, *, permalink: str = LINK) -> str:
    post = Post("", "p.md", "T", WHEN, WHEN, permalink, permalink, body_format="markdown")
    return Cleaner(ContentConfig(), FeedsConfig(), site).render(post, body).html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the info string: language, then a caption, then a link and its text
        (
            "```json package.json\n{}\n```",
            '<figure><figcaption><span>package.json</span></figcaption><pre><code class="language-json">{}',
        ),
        (
            "```js app.js https://example.com/app.js the source\nx\n```",
            '<span>app.js</span><a href="https://example.com/app.js" rel="noopener noreferrer">'
            "the source</a>",
        ),
        # after a list marker, indented, and closed at another indentation
        (
            "- Outputs,\n  ```js\n  const a = 1;\n  ```\n- next",
            '<code class="language-js">const a = 1;</code>',
        ),
        # in a quote: the quote's markers are not code
        ("> said\n> ```\n> quoted code\n> ```", "<pre><code>quoted code</code></pre>"),
        # a tag inside code is code
        ("```\n{% codeblock lang:js %}\n```", "<pre><code>{% codeblock lang:js %}</code></pre>"),
    ],
)
def test_fenced_code_as_hexo_finds_it(body: str, expected: str) -> None:
    html = html_of(body)
    assert expected in html, html
    assert "```" not in html


def test_a_fence_ends_the_list_item_and_paragraph_before_it() -> None:
    # Hexo's block is an HTML comment when marked sees it, which no paragraph or list item continues
    # over: the text after it is a new paragraph, and "2." cannot open a list there.
    html = html_of("1. **First**\n   - detail\n```js\nx\n```\nMore text.\n2. **Second**\n")
    assert "<p>More text.<br>\n2. <strong>Second</strong></p>" in html, html
    assert html.index("</ol>") < html.index("<figure>")
    indented = html_of("Text:\n\n    ```\n    x\n    ```\n")  # a fence indented as code: still Hexo's block
    assert "<pre><code>x</code></pre>" in indented and "FEEDSCODE" not in indented, indented


def test_a_fence_in_a_comment_or_unclosed_stays_as_written() -> None:
    assert extract("<!--\n```\nx\n```\n-->")[1] is None
    assert extract("````\nnever closed\n```\n")[1] is None  # a longer fence is closed only by its own
    _, fenced = extract("```\nshort\n```\n````\nlong\n````\n")
    assert fenced is not None and len(fenced[1]) == 2


def test_an_empty_fenced_block_takes_the_lines_to_the_next_closing_fence() -> None:
    # Hexo 8's backtick_code_block expression, run in node: ["java", "```\n\n```python\nx = 1\n"] and,
    # with no closing fence further on, ["js", ""]
    _, fenced = extract("Later:\n```java\n```\n\n```python\nx = 1\n```\n")
    assert fenced is not None and len(fenced[1]) == 1
    assert '<code class="language-java">```\n\n```python\nx = 1</code>' in fenced[1][0]
    _, fenced = extract("Empty:\n```js\n```\nAfter.\n")
    assert fenced is not None and '<code class="language-js"></code>' in fenced[1][0]


def test_post_link_points_at_the_post_it_names(caplog: pytest.LogCaptureFixture) -> None:
    site = Site(root=ROOT, posts={"hello-world": (ROOT + "2020/hello-world/", 'Hello "World"')})
    html = html_of(
        "See {% post_link hello-world %}, {% post_link hello-world#part-2 the second part %} and "
        "{% post_path hello-world %}.",
        site,
    )
    assert f'<a href="{ROOT}2020/hello-world/" title="Hello &quot;World&quot;"' in html
    assert ">Hello \u201cWorld\u201d</a>" not in html  # a title is text, not Markdown
    assert f'href="{ROOT}2020/hello-world/#part-2"' in html and ">the second part</a>" in html
    assert f"and {ROOT}2020/hello-world/." in html
    with caplog.at_level(logging.WARNING, logger="feeds"):
        missing = html_of("{% post_link no-such-post-here Its text %}", site)
    assert "Its text" in missing and "<a" not in missing and "{%" not in missing
    assert "no-such-post-here" in caplog.text


@pytest.fixture
def code_site(tmp_path: Path) -> Site:
    code = tmp_path / "source" / "downloads" / "code"
    (code / "sub").mkdir(parents=True)
    (code / "sub" / "hello.py").write_text("one = 1\ntwo = 2\nthree = 3\nif a < b: pass\n")
    (tmp_path / "secret.txt").write_text("top secret")
    os.symlink(tmp_path / "secret.txt", code / "escape.txt")
    return Site(root=ROOT, code_dir=str(code), code_url=ROOT + "downloads/code/")


def test_include_code_reads_the_code_folder(code_site: Site) -> None:
    html = html_of("{% include_code Greeting lang:python from:2 to:4 sub/hello.py %}", code_site)
    assert '<span>Greeting</span><a href="https://b.example/blog/downloads/code/sub/hello.py"' in html
    assert '<code class="language-python">two = 2\nthree = 3\nif a &lt; b: pass</code>' in html
    assert "one = 1" not in html
    plain = html_of("{% include_code sub/hello.py %}", code_site)
    assert "<span>hello.py</span>" in plain and 'class="language-py"' in plain


@pytest.mark.parametrize("path", ["../../secret.txt", "escape.txt", "/etc/passwd", "sub", "missing.py"])
def test_include_code_never_leaves_the_code_folder(code_site: Site, path: str) -> None:
    html = html_of(f"Before {{% include_code {path} %}} after", code_site)
    assert "secret" not in html and "root:" not in html and "<pre>" not in html
    assert "Before" in html and "after" in html and "{%" not in html


def test_relative_links_point_into_the_asset_folder() -> None:
    body = '![diagram](diagram.png) [notes](notes.pdf) <img src="photo.jpg"> {% asset_img a.png %}'
    folder = ROOT + "2021/01/01/p/"
    site = Site(root=ROOT, asset_folder=True)
    html = html_of(body, site, permalink=ROOT + "2021/01/01/p.html")
    for name in ("diagram.png", "notes.pdf", "photo.jpg", "a.png"):
        assert f'"{folder}{name}"' in html, (name, html)


def test_a_markdown_image_is_on_the_sites_root_as_marked_prepends_it() -> None:
    html = html_of("![a](/img/a.png) ![b](b.png) [c](c.pdf) ![d](https://cdn.example/d.png)")
    assert f'src="{ROOT}img/a.png"' in html and f'src="{ROOT}b.png"' in html
    assert f'href="{LINK}c.pdf"' in html  # a link is left to the page, as marked leaves it
    assert 'src="https://cdn.example/d.png"' in html
    off = html_of("![a](/img/a.png)", Site(root=ROOT, prepend_root=False))
    assert 'src="https://b.example/img/a.png"' in off


def test_a_block_tag_holds_its_backticks() -> None:
    """Inside {% codeblock %} a template string is code, not the start of an inline code span that
    would split the tag from its end (Hexo's scanner takes a block tag whole)."""
    html = html_of(
        "{% codeblock lang:js %}\nconsole.log(`at ${host}`);\n{% endcodeblock %}\n\n`{% raw %}{{{% endraw %}`"
    )
    assert "console.log(`at ${host}`);</code></pre>" in html
    assert "<code>{{</code>" in html


def test_a_tag_in_a_code_span_stays_as_written_but_raw_as_hexo_does() -> None:
    """Hexo 8.1.2 with hexo-renderer-marked 7.0.1, run on this post, wrote:
    <p>A <code>&#123;% asset_img a.png %&#125;</code> and <code>{{ x }}</code> here.</p>
    <p>Ticks <code>`</code> and <code>a</code> done.</p>
    <p>Open &#96;b</p>
    <p>not &#96;closed c</p>"""
    post = (
        "A `{% asset_img a.png %}` and `{% raw %}{{ x }}{% endraw %}` here.\n\n"
        "Ticks ```{% raw %}`{% endraw %}``` and `` {% raw %}a{% endraw %} `` done.\n\n"
        "Open `{% raw %}b{% endraw %}\n\nnot `closed {% raw %}c{% endraw %}\n"
    )
    assert html_of(post) == (
        "<p>A <code>{% asset_img a.png %}</code> and <code>{{ x }}</code> here.</p>\n"
        "<p>Ticks <code>`</code> and <code>a</code> done.</p>\n<p>Open `b</p>\n<p>not `closed c</p>"
    )
    fenced = html_of("```\n{% raw %}{{{% endraw %}\n```")
    assert "{% raw %}{{{% endraw %}" in fenced


def test_smartypants_leaves_code_alone() -> None:
    """marked's smartypants skips code spans and the text of inline <code>, <kbd>, <pre> and <script>
    (hexo-renderer-marked 7.0.1: `a <code>"x" -- y</code> "b"` keeps the first quotes straight)."""
    html = html_of('a <code>"x" -- y</code> "b" <kbd>"k"</kbd> `"c" ...` <span>"s"</span>')
    assert html == (
        '<p>a <code>"x" -- y</code> \u201cb\u201d <kbd>"k"</kbd> <code>"c" ...</code> '
        "<span>\u201cs\u201d</span></p>"
    )


def test_blockquote_cites_as_hexo_does() -> None:
    html = html_of(
        "{% blockquote @DevDocs https://twitter.com/devdocs/status/1 %}\nNew.\n{% endblockquote %}"
    )
    assert '<cite><a href="https://twitter.com/devdocs/status/1"' in html
    assert ">twitter.com/devdocs/status/1</a></cite>" in html and "<strong>@DevDocs</strong>" in html
    titled = html_of(
        "{% blockquote Seth Godin http://sethgodin.typepad.com/x/ Welcome to Island %}\n"
        "x\n{% endblockquote %}"
    )
    assert ">Welcome to Island</a>" in titled and "<strong>Seth Godin</strong>" in titled


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # marked's GFM strikethrough: one tilde or two, lazily to the first closing one
        ("That was~quick~ enough", "That was<del>quick</del> enough"),
        ("See ~/.bashrc,~/.zshrc", "See <del>/.bashrc,</del>/.zshrc"),
        ("~~gone~~ and ~~~kept~", "<del>gone</del> and ~~~kept~"),  # a run of three opens nothing
        ("a ~ b ~c", "a ~ b ~c"),  # a space just inside the tilde: no strikethrough
        ("[a~b~](https://e.example/)", ">a<del>b</del></a>"),
        # a link's text ends at its `]`, whatever tilde is in it or in its title
        ('[a ~me](https://e.example/ "a ~me~")', '">a ~me</a>'),
    ],
)
def test_strikethrough_as_marked_reads_it(body: str, expected: str) -> None:
    assert expected in html_of(body)


@pytest.mark.parametrize(
    ("body", "expected"),
    [  # marked 15.0.12's own parseInline output for each (hexo-renderer-marked 7's marked)
        (
            "bump [#36]((https://x.org/pull/36), [#44](https://x.org/pull/44)",
            'bump <a href="(https://x.org/pull/36">#36</a>, <a href="https://x.org/pull/44">#44</a>',
        ),
        ("[a]((b) c", '<a href="(b">a</a> c'),
        ("[a]((b c)", "[a]((b c)"),
        ("[a]((b)", '<a href="(b">a</a>'),
        ("[a]((b))", '<a href="(b)">a</a>'),
        ("[a](((b)", '<a href="((b">a</a>'),
    ],
)
def test_an_address_that_opens_a_parenthesis_is_a_link_as_in_marked(body: str, expected: str) -> None:
    from feeds.content import markdown

    html = markdown.to_html(body, options=markdown.options(ContentConfig()), image_root="", relative=False)
    assert html.strip() == f"<p>{expected}</p>"


def test_a_tag_name_with_an_underscore_is_html_as_in_marked() -> None:
    # marked passes <variable_name> on as a tag, which a browser (and the cleaner) hides
    html = html_of("Mark it as <variable_name> in the URL; <b>bold</b> stays, a < b too.")
    assert html == "<p>Mark it as  in the URL; <b>bold</b> stays, a &lt; b too.</p>", html
    # and a declaration is one only with white space after its name
    assert html_of("# Doctype<!DOCTYPE>\n\nx") == "<h1>Doctype&lt;!DOCTYPE&gt;</h1>\n<p>x</p>"


def test_a_tag_line_ends_a_list_as_in_marked() -> None:
    # marked ends a list item at a less indented line that opens with a tag; the paragraph after
    # the list is not a list, so its "2." is text, as on the blog
    html = html_of("1. **Get it**\n   - download\n<span></span>\n2. **Unpack it**\n   with tar\n")
    assert "</ol>\n<p>" in html and "2. <strong>Unpack it</strong>" in html, html
    assert "<li>download</li>" in html
    hashed = html_of("1. adb shell\n2. mount -o remount\n#mount -o rw\n3. cp a b\n")  # a `#` line too
    assert "</ol>\n<p>#mount -o rw<br>\n3. cp a b</p>" in hashed, hashed


def test_links_off_the_site_alone_carry_a_rel() -> None:
    body = (
        "[own](/x/) [page](https://b.example/blog/y/) [out](https://o.example/)\n"
        "[mail](mailto:a@b.example) [top](#t)\n\n"
        '<a href="https://o.example/2" rel="opener me">raw</a> <a rel="nofollow noopener">no address</a>'
        ' <a href="/z/" rel="nofollow">mine</a>'
    )
    html = html_of(body)
    for own in (
        'href="https://b.example/x/">own',
        'href="https://b.example/blog/y/">page',
        '">mail',
        '">top',
    ):
        assert own in html, html
    assert '<a href="https://o.example/" rel="noopener noreferrer">out</a>' in html
    assert '<a href="https://o.example/2" rel="noopener noreferrer">raw</a>' in html  # ours, not the post's
    assert '<a rel="nofollow noopener">no address</a>' in html  # known words only: nothing to follow anyway
    assert '<a href="https://b.example/z/">mine</a>' in html  # the site's own link: no rel at all


def test_external_nofollow_and_internal_hosts() -> None:
    post = Post("", "p.md", "T", WHEN, WHEN, LINK, LINK, body_format="markdown")
    content = ContentConfig(external_nofollow=True, internal_hosts=("CDN.example.net",))
    body = "[out](https://o.example/) [cdn](https://cdn.example.net/f) [own](https://b.example/)\n\n<iframe src='https://v.example/p'></iframe>"
    html = Cleaner(content, FeedsConfig(), SITE).render(post, body).html
    assert '<a href="https://o.example/" rel="noopener external nofollow noreferrer">out</a>' in html
    assert (
        '<a href="https://cdn.example.net/f">cdn</a>' in html
        and '<a href="https://b.example/">own</a>' in html
    )
    assert (
        '<a href="https://v.example/p" rel="noopener external nofollow noreferrer">' in html
    )  # an iframe's link


def test_a_heading_after_a_wide_space_as_marked_reads_it() -> None:
    # "####" then an ideographic space: a heading in marked (and on the blog), text in CommonMark
    html = html_of("Intro\n####\u3000Scale #\nBody text\n\n#\u3000Top\u3000#")
    assert "<p>Intro</p>\n<h4>Scale</h4>\n<p>Body text</p>" in html, html
    assert "<h1>Top\u3000#</h1>" in html  # closing #s go only after a plain space


def test_a_tag_that_starts_a_line_is_a_block_as_in_hexo() -> None:
    # Hexo's placeholder for a tag is an HTML comment: at the start of a line it ends the list item
    # above it, and the indented line after it is code (checked with Hexo 8 on a post like this one)
    html = html_of("1. First step\n{% asset_img pic.png A picture %}\n    - indented after a tag\n2. Next\n")
    assert html.startswith("<ol>\n<li>First step</li>\n</ol>\n<img src="), html
    assert '<pre><code>- indented after a tag\n</code></pre>\n<ol start="2">' in html
    # an unknown tag there shows nothing, but ends the list item all the same
    assert "</ul>\n\n<pre><code>- next" in html_of("- one\n{% figure wide a.png %}\n    - next\n")
    # inside a line a tag is a word, so a link's address keeps it (Hexo's own comment breaks it)
    assert '<a href="https://b.example/blog/2021/01/01/p/notes.pdf">notes</a>' in html_of(
        "See [notes]({% asset_path notes.pdf %})."
    )
    # and an image's: the site root goes before a path written in Markdown, not before a tag's URL
    assert '<img src="https://b.example/blog/2021/01/01/p/d.png" alt="d">' in html_of(
        "![d]({% asset_path d.png %})", Site(root=ROOT, prepend_root=True)
    )
    # a path of the post's own that only looks like a placeholder is still on the root
    assert f'<img src="{ROOT}FEEDSTAGx.png" alt="e">' in html_of(
        "![e](FEEDSTAGx.png) {% asset_path d.png %}", Site(root=ROOT, prepend_root=True)
    )


def test_a_tag_in_code_that_markdown_made_stays_as_written() -> None:
    # lines indented after a tag line are code; a tag on one of them is shown as written, as in Hexo
    html = html_of("1. one\n{% figure a.png %}\n    - code\n    {% asset_img b.png B %}\n    more\n")
    assert "<pre><code>- code\n{% asset_img b.png B %}\nmore\n</code></pre>" in html, html
