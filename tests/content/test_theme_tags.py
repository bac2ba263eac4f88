"""The tags of the themes Hexo blogs use most: each as plain HTML a feed reader shows, every word kept,
nothing unsafe out of an argument, and a tag of another theme named once in the warnings."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import html as lxml_html

from feeds.builder import build
from feeds.builder.postcache import fingerprint
from feeds.config import Config, ContentConfig, FeedsConfig, load_config
from feeds.config.hexo import from_hexo
from feeds.content import Cleaner, tags
from feeds.models import Post, Site
from feeds.source.refs import references

from ..conftest import write_post

LINK = "https://b.example/2021/01/01/p/"


def html_of(body: str, theme: str, *, site: Site | None = None, series: str = "", **content: object) -> str:
    refs = (f"in-series:{series}",) if series else ()
    post = Post(
        root="", rel="p.md", title="T", date=datetime(2021, 1, 1, tzinfo=UTC),
        updated=datetime(2021, 1, 1, tzinfo=UTC), permalink=LINK, id=LINK, refs=refs,
    )  # fmt: skip
    config = ContentConfig(theme=theme, **content)  # type: ignore[arg-type]
    return Cleaner(config, FeedsConfig(), site or Site(root="https://b.example/")).render(post, body).html


def visible(html: str) -> str:
    return re.sub(
        r"\s+", " ", lxml_html.fragment_fromstring(html, create_parent="div").text_content()
    ).strip()


FLINK = """{% flink %}
- class_name: Friends
  link_list:
    - name: Hexo
      link: https://hexo.io/
      avatar: https://hexo.io/a.png
      descr: Fast
{% endflink %}"""
CHART = (
    '{% chartjs 70 %}\n<!-- chart -->\n{"type": "bar"}\n<!-- endchart -->\n'
    "<!-- desc -->\nSales\n<!-- enddesc -->\n{% endchartjs %}"
)
TIMELINE = (
    "{% timeline 2022,blue %}\n<!-- timeline 01-02 -->\nIt happened\n<!-- endtimeline -->\n{% endtimeline %}"
)
LINKGRID = "{% linkgrid %}\nNexT | https://n.example | Stay simple | /n.png\n% hidden | x\n{% endlinkgrid %}"
CASES = [
    # theme, body, what the HTML holds, words a reader sees (in this order)
    (
        "next",
        "{% note warning no-icon %}\nMind **this**.\n{% endnote %}",
        "<blockquote><p>Mind <strong>",
        ["Mind this."],
    ),
    (
        "next",
        "{% note info Read me %}\nfolded\n{% endnote %}",
        "<p><strong>Read me</strong></p><p>folded",
        ["Read me", "folded"],
    ),
    ("next", "{% button https://x.example/, Go there, home, The title %}", 'title="The title"', ["Go there"]),
    ("next", "{% btn /about/, About %}", '<a href="https://b.example/about/"', ["About"]),
    ("next", "{% label primary@Label text %}", "<mark>Label text</mark>", ["Label text"]),
    ("next", "{% video https://v.example/a.mp4 %}", '<video src="https://v.example/a.mp4"', []),
    ("next", "{% pdf https://x.example/a.pdf %}", '<a href="https://x.example/a.pdf"', ["a.pdf"]),
    (
        "next",
        "{% mermaid graph TD %}\nA --> B\n{% endmermaid %}",
        '<code class="language-mermaid">graph TD\nA --&gt; B',
        ["graph TD", "A --> B"],
    ),
    ("next", LINKGRID, '<img src="https://b.example/n.png"', ["NexT", "Stay simple"]),
    ("next", "{% gp 2-1 %}\n![one](/1.png)\n![two](/2.png)\n{% endgp %}", 'alt="two"', []),
    ("next", "{% cq %}\nCentred words\n{% endcq %}", "<blockquote><p>Centred words", ["Centred words"]),
    (
        "next",
        "{% caniuse fetch@current %}",
        "caniuse.bitsofco.de/embed/index.html?feat=fetch&amp;periods=current",
        [],
    ),
    (
        "butterfly",
        "{% note blue 'fas fa-bullhorn' simple %}\nNote body\n{% endnote %}",
        "<blockquote><p>Note body",
        ["Note body"],
    ),
    (
        "butterfly",
        "Go {% btn 'https://x.example/',點擊前往,far fa-hand-point-right,outline %} now",
        '<a href="https://x.example/"',
        ["Go", "點擊前往", "now"],
    ),
    (
        "butterfly",
        "{% hideInline 答案是42,查看答案 %}",
        "<strong>查看答案</strong> 答案是42",
        ["查看答案 答案是42"],
    ),
    (
        "butterfly",
        "{% hideBlock 查看, bg, #fff %}\nHidden block\n{% endhideBlock %}",
        "<p><strong>查看</strong></p><p>Hidden block",
        ["查看", "Hidden block"],
    ),
    (
        "butterfly",
        "{% hideToggle Show me,#000 %}\nToggled\n{% endhideToggle %}",
        "<strong>Show me</strong>",
        ["Show me", "Toggled"],
    ),
    (
        "butterfly",
        "{% gallery %}\n![a](https://i.example/1.png)\n![b](/2.png)\n{% endgallery %}",
        '<img src="https://b.example/2.png" alt="b"',
        [],
    ),
    (
        "butterfly",
        "{% galleryGroup '壁紙' '收藏的' '/Gallery/w' https://i.example/w.jpg %}",
        "<figcaption>",
        ["壁紙", "收藏的"],
    ),
    (
        "butterfly",
        TIMELINE,
        "<li><p><strong>01-02</strong></p><p>It happened",
        ["2022", "01-02", "It happened"],
    ),
    (
        "butterfly",
        "{% inlineImg https://i.example/s.png 150px %} text",
        '<img src="https://i.example/s.png"',
        ["text"],
    ),
    ("butterfly", "{% label 標籤 blue %}", "<mark>標籤</mark>", ["標籤"]),
    ("butterfly", FLINK, "<dd>Fast</dd>", ["Friends", "Hexo", "Fast"]),
    (
        "butterfly",
        '{% mermaid %}\npie\n  "Dogs" : 386\n{% endmermaid %}',
        '<code class="language-mermaid">pie',
        ["pie", "Dogs"],
    ),
    ("butterfly", CHART, '<code class="language-json">{"type": "bar"}', ['"type": "bar"', "Sales"]),
    ("fluid", "{% note success %}\nFluid note\n{% endnote %}", "<blockquote><p>Fluid note", ["Fluid note"]),
    ("fluid", "{% label primary @Fluid label %}", "<mark>Fluid label</mark>", ["Fluid label"]),
    ("fluid", "{% btn https://f.example/, Fluid button, A tip %}", 'title="A tip"', ["Fluid button"]),
    ("fluid", "{% gi 2 1-1 %}\n![x](/x.png)\n![y](/y.png)\n{% endgi %}", 'alt="y"', []),
    ("fluid", "{% cb Buy **milk**, true %}", "<p>Buy <strong>milk</strong></p>", ["Buy milk"]),
    (
        "fluid",
        "{% fold info @Open it %}\nFolded words\n{% endfold %}",
        "<strong>▶ Open it</strong>",
        ["▶ Open it", "Folded words"],
    ),
    (
        "keep",
        '{% note warning "Keep title" %}\nKeep note\n{% endnote %}',
        "<p><strong>Keep title</strong></p>",
        ["Keep title", "Keep note"],
    ),
    (
        "keep",
        "{% btn primary small https://k.example/ %}\nPress\n{% endbtn %}",
        '<a href="https://k.example/"',
        ["Press"],
    ),
    (
        "icarus",
        "{% message color:warning 'title:*Heads up*' %}\nMessage body\n{% endmessage %}",
        "<strong><em>Heads up</em></strong>",
        ["Heads up", "Message body"],
    ),
]


@pytest.mark.parametrize(("theme", "body", "expected", "words"), CASES)
def test_each_theme_tag_is_plain_html_with_every_word(
    theme: str, body: str, expected: str, words: list[str]
) -> None:
    html = html_of(body, theme)
    assert expected in html, html
    assert "{%" not in html and "class=" not in html.replace('class="language-', "")
    assert "<script" not in html and "<button" not in html and "<input" not in html
    text = visible(html)
    at = 0
    for word in words:  # every word the page shows, in the page's order
        found = text.find(word, at)
        assert found >= 0, (word, text)
        at = found + len(word)


@pytest.mark.parametrize(
    ("theme", "opening", "closing"),
    [
        ("next", "{% tabs Poems,2 %}", "{% endtabs %}"),
        ("butterfly", "{% tabs Poems %}", "{% endtabs %}"),
        ("keep", "{% tabs 2 %}", "{% endtabs %}"),
    ],
)
def test_tabs_are_a_heading_per_tab_then_its_content_in_order(theme: str, opening: str, closing: str) -> None:
    body = (
        f"{opening}\n<!-- tab 行路難 -->\n金樽清酒\n<!-- endtab -->\n"
        "<!-- tab 將進酒@fas fa-wine-glass -->\n君不見\n<!-- endtab -->\n"
        f"<!-- tab 清平調 -->\n雲想衣裳\n<!-- endtab -->\n{closing}"
    )
    html = html_of(body, theme)
    heads = re.findall(r"<h4>(.*?)</h4>", html)
    expected = ["行路難", "將進酒@fas fa-wine-glass" if theme == "keep" else "將進酒", "清平調"]
    assert heads == expected, html
    order = "<h4>行路難</h4>.*金樽清酒.*<h4>將進酒.*君不見.*<h4>清平調</h4>.*雲想衣裳"
    assert re.search(order, html, re.DOTALL)


def test_a_tab_without_a_caption_is_named_as_the_theme_names_it() -> None:
    body = (
        "{% tabs Steps %}\n<!-- tab -->\nFirst\n<!-- endtab -->\n"
        "<!-- tab @fab fa-apple -->\nIcon only\n<!-- endtab -->\n{% endtabs %}"
    )
    assert re.findall(r"<h4>(.*?)</h4>", html_of(body, "next")) == ["Steps 1"]  # NexT: an icon is a caption
    assert re.findall(r"<h4>(.*?)</h4>", html_of(body, "butterfly")) == ["Steps 1"]
    assert "Icon only" in html_of(body, "butterfly")


def test_tags_inside_theme_tags_and_tabs_inside_tabs() -> None:
    body = (
        "{% tabs outer %}\n<!-- tab A -->\n{% subtabs inner %}\n<!-- tab A1 -->\none {% label x %}\n"
        "<!-- endtab -->\n{% subtabs deeper %}\n<!-- tab A2 -->\ntwo\n<!-- endtab -->\n{% endsubtabs %}\n"
        "{% endsubtabs %}\n<!-- endtab -->\n{% endtabs %}\n\n"
        "{% note %}\nSee {% btn https://x.example/,the link %}\n{% endnote %}"
    )
    html = html_of(body, "butterfly")
    assert re.findall(r"<h4>(.*?)</h4>", html) == ["A", "A1", "A2"], html
    assert "<mark>x</mark>" in html and '<a href="https://x.example/"' in html and "the link</a>" in html


@pytest.mark.parametrize(
    ("theme", "body"),
    [
        ("butterfly", "{% btn 'javascript:alert(1)',Click %}"),
        ("next", "{% btn javascript:alert(1), Click %}"),
        ("next", "{% btn JaVaScRiPt:alert(1), Click %}"),
        ("fluid", "{% btn  javascript:alert(1), Click, tip %}"),
        ("keep", "{% btn primary small javascript:alert(1) %}\nClick\n{% endbtn %}"),
        ("butterfly", "{% galleryGroup 'Click' 'd' 'javascript:alert(1)' 'javascript:x' %}"),
        ("next", "{% linkgrid %}\nClick | javascript:alert(1) | d | javascript:y\n{% endlinkgrid %}"),
        ("next", "{% video javascript:alert(1) %}Click"),
    ],
)
def test_no_javascript_link_out_of_an_argument(theme: str, body: str) -> None:
    html = html_of(body, theme)
    assert "javascript" not in html.lower(), html
    assert "Click" in visible(html)


@pytest.mark.parametrize(
    ("theme", "body"),
    [
        ("butterfly", "{% btn 'https://x.example/\" onmouseover=\"alert(1)',Text %}"),
        ("next", '{% btn https://x.example/, Text, , a" onmouseover="alert(1) %}'),
        ("butterfly", "{% label '<img src=x onerror=alert(1)>' %}"),
        ("next", "{% label default@<img src=x onerror=alert(1)> %}"),
        ("butterfly", "{% galleryGroup '\" onerror=\"alert(1)' d /g https://i.example/a.png %}"),
        ("butterfly", "{% hideInline <script>alert(1)</script>,Show %}"),
        ("keep", '{% note info "<img src=x onerror=alert(1)>" %}\nx\n{% endnote %}'),
        ("next", "{% note info <img src=x onerror=alert(1)> %}\nx\n{% endnote %}"),
        ("butterfly", "{% hideToggle </p><iframe src=//e.example> %}\nx\n{% endhideToggle %}"),
    ],
)
def test_nothing_unsafe_out_of_an_argument(theme: str, body: str) -> None:
    html = html_of(body, theme)
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    for el in tree.iter():
        assert not any(a.startswith("on") for a in el.attrib), html
    assert "<script" not in html and "<iframe" not in html


def test_a_tag_of_another_theme_keeps_its_words_and_is_named_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tags, "_warned", set())  # past 32 names a process reports them at debug level
    with caplog.at_level(logging.WARNING, logger="feeds"):
        first = html_of("{% themedemo 'A Title' info fa-star %}\nInner words\n{% endthemedemo %}", "next")
        second = html_of(
            "{% themedemo primary %}\nMore\n{% endthemedemo %} and {% themedemo Label %}", "next"
        )
    assert visible(first) == "A Title Inner words"
    assert "More" in visible(second) and "Label" in visible(second) and "primary" not in second
    assert caplog.text.count("'themedemo'") == 1


def test_without_its_theme_a_theme_tag_keeps_its_words() -> None:
    html = html_of("{% btn https://x.example/,Press here %}\n\n{% note info %}\nA note\n{% endnote %}", "")
    assert "Press here" in visible(html) and "A note" in visible(html) and "<a" not in html


def test_butterfly_series_lists_the_posts_of_the_series() -> None:
    series = {"docs": (("https://b.example/b/", "Beta", 2.0), ("https://b.example/a/", "alpha", 3.0))}
    site = Site(root="https://b.example/", series=series)
    body = "{% series %}\n\n{% series docs %}"
    assert html_of(body, "butterfly", site=site, series="docs") == ""  # the theme's default: off
    by_title = html_of(body, "butterfly", site=site, series="docs", theme_series="title")
    assert by_title.count("<ol><li>") == 2 and by_title.index("alpha") < by_title.index("Beta")
    newest = html_of(
        "{% series docs %}", "butterfly", site=site, theme_series="-date", theme_series_numbered=False
    )
    assert newest.startswith("<ul><li>") and newest.index("alpha") < newest.index("Beta")
    assert references("{% series %} {% series other %}", "docs") == ("series:docs", "series:other")


def test_the_theme_comes_from_hexo_config_and_its_own_config_file(tmp_path: Path) -> None:
    (tmp_path / "_config.butterfly.yml").write_text("series:\n  enable: true\n  orderBy: date\n  order: -1\n")
    raw, sources = from_hexo(tmp_path / "_config.yml", {"theme": "butterfly"})
    themed = {k: v for k, v in raw["content"].items() if k.startswith("theme")}
    assert themed == {"theme": "butterfly", "theme_series": "-date", "theme_series_numbered": True}
    assert sources["content.theme"] == "_config.yml: theme"
    raw, _ = from_hexo(tmp_path / "_config.yml", {"theme": False})
    assert "theme" not in raw.get("content", {})
    raw, _ = from_hexo(
        tmp_path / "_config.yml", {"theme": "next", "theme_config": {"series": {"enable": True}}}
    )
    assert raw["content"]["theme_series"] == "title"


def test_the_theme_is_part_of_the_cache_key() -> None:
    config = Config()
    themed = replace(config, content=replace(config.content, theme="butterfly"))
    assert fingerprint(config) != fingerprint(themed)
    assert fingerprint(themed) != fingerprint(
        replace(themed, content=replace(themed.content, theme_series="date"))
    )


def test_fluid_footnotes_are_numbered_marks_and_a_list_of_their_texts() -> None:
    body = "Said[^2] and[^1], not[^9].\n\n```\n[^1] in code\n```\n\n[^1]: First *one*\n[^2]: Second"
    html = html_of(body, "fluid")
    assert visible(html).endswith("Said[2] and[1], not[^9]. [^1] in code First one ↩Second ↩"), visible(html)
    assert '<a href="https://b.example/2021/01/01/p/#fn:2">[2]</a>' in html and "<em>one</em>" in html
    assert "[^2]" in html_of(body, "next") and "[2]" not in visible(
        html_of(body, "fluid", theme_footnotes=False)
    )
    inline = html_of("Text[^1](the note) here.", "fluid")
    assert visible(inline) == "Text[1] here. the note ↩"


def test_raw_in_a_code_span_goes_as_in_hexo() -> None:
    html = html_of("Then `{% raw %}${{ secrets.KEY }}{% endraw %}` and `{% raw %}{% note %}{% endraw %}`", "")
    assert "<code>${{ secrets.KEY }}</code>" in html and "<code>{% note %}</code>" in html
    table = html_of("| a | b |\n|---|---|\n| `x{% raw %}|{% endraw %}y` | z |", "")
    assert "<td><code>x|y</code></td>" in table  # set aside from Markdown: no cell ends there


def test_fluid_footnotes_can_be_turned_off_in_its_config(tmp_path: Path) -> None:
    (tmp_path / "_config.fluid.yml").write_text("post:\n  footnote:\n    enable: false\n")
    raw, sources = from_hexo(tmp_path / "_config.yml", {"theme": "fluid"})
    assert raw["content"]["theme_footnotes"] is False
    assert sources["content.theme_footnotes"].endswith("_config.fluid.yml: post.footnote")


def test_a_series_entry_follows_the_posts_that_join_the_series(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """A built site: the list is the posts whose front matter names the series, and a post that joins
    it later reaches the entry that lists the series, though that entry's own file did not change."""
    src = tmp_path / "source" / "_posts"
    write_post(src, "index.md", "---\ntitle: Index\ndate: 2021-01-05\nseries: s\n---\n{% series %}\n")
    write_post(src, "one.md", "---\ntitle: Part one\ndate: 2021-01-01\nseries: s\n---\nx\n")
    content = {"theme": "butterfly", "theme_series": "date"}
    config = load_config(make_config(source=str(src), content=content, feeds={"formats": ["atom"]}))

    def listed() -> list[str]:
        feed = feedparser.parse(str(config.output / "atom.xml"))
        html = next(e for e in feed.entries if e.title == "Index").content[0].value
        return re.findall(r">([^<>]+)</a></li>", html)

    build(config)
    assert listed() == ["Part one", "Index"]
    write_post(src, "two.md", "---\ntitle: Part two\ndate: 2021-01-02\nseries: s\n---\nx\n")
    build(config)
    assert listed() == ["Part one", "Part two", "Index"]


def test_a_quote_inside_an_argument_stays_and_one_opening_it_groups_words() -> None:
    """Hexo hands a tag the words Nunjucks' lexer cut: a quote inside a word is text (NexT's page shows
    `('unsafe-inline')` for `{% label info@'unsafe-inline' %}`), and words keep their quotes however many."""
    html = html_of("JavaScript ({% label info@'unsafe-inline' %}) here", "next")
    assert "<mark>'unsafe-inline'</mark>" in html
    assert "<mark>'two words'</mark>" in html_of("{% label info@'two words' %}", "next")


def test_a_next_label_in_a_note_is_read_as_markdown_with_the_note() -> None:
    """Nunjucks renders the label before the note, whose content (the label's HTML in it) is then
    Markdown: its text loses its escapes and gets smartypants; a label outside a block is as written.
    Hexo 8 with NexT 8.29 and hexo-renderer-marked, on this post, shows:
    <p>Top <mark class="label danger">a\\<b\\> c ... *d*</mark> end</p>
    <div class="note warning"><p>In <mark class="label danger">&lt;meta http-equiv&#x3D;X
    content&#x3D;deny&gt;</mark> and <mark class="label success">ls *.EXT | … q</mark> end</p></div>"""
    body = (
        'Top {% label danger@a\\<b\\> "c" ... *d* %} end\n\n{% note warning %}\n'
        'In {% label danger@\\<meta http-equiv="X" content="deny"\\> %}'
        ' and {% label success@ls *.EXT | ... "q" %} end\n{% endnote %}\n'
    )
    html = html_of(body, "next")
    assert "<mark>&lt;meta http-equiv=X content=deny&gt;</mark>" in html
    assert "<mark>ls *.EXT | \u2026 q</mark>" in html
    assert visible(html).startswith("Top a\\<b\\> c ... *d* end")
