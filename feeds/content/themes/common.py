"""What the themes' tags share: their argument syntax, and the feed-reader HTML each kind becomes.

A theme draws a tag with classes, icons and scripts; a feed reader has none
of them.  So each kind of tag becomes the plain element that says the same
thing: a note is a quoted block, tabs are a heading per tab followed by its
content, a button is a link, hidden content is shown under its label, a
diagram is its source in a code block.  Every word the page would show stays,
in the order a reader of the page meets it.

Arguments come from the post and are untrusted: text is escaped, and an
address is kept only when its scheme is one a feed may link to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

Render = Callable[[str], str]  # Markdown of a block's content -> HTML
Series = Mapping[str, tuple[tuple[str, str, float], ...]]  # name -> (URL, title, timestamp) of its posts


@dataclass(frozen=True)
class Settings:
    """The site's theme, and those of its options that change what its tags show."""

    name: str = ""
    series_order: str = ""  # Butterfly's series: "" off, else "date" or "title" ("-date": newest first)
    series_numbered: bool = True
    footnotes: bool = False  # Fluid's post.footnote.enable: [^n] marks and a list of their texts


@dataclass(frozen=True)
class Context:
    """What a theme's tag may look at beyond its arguments; called, it renders Markdown."""

    render: Render
    settings: Settings = Settings()
    series: Series = field(default_factory=dict)  # the site's series that this post's tags name
    own_series: str = ""  # the post's own series (front matter)
    # inside a block tag's content, which Hexo renders as Markdown with this tag's HTML in it
    nested: bool = False

    def __call__(self, markdown: str) -> str:
        return self.render(markdown)


ThemeTag = Callable[[list[str], str, Context], str]  # (arguments, content with inner tags done, context)

_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}


def text(value: str) -> str:
    """An argument shown as words: the characters the page shows (an entity as its character)."""
    return html.escape(html.unescape(value.strip()), quote=False)


def attr(value: str) -> str:
    return html.escape(html.unescape(value.strip()), quote=True)


def url(value: str) -> str:
    """An address for ``href``/``src``, escaped; "" for a scheme a feed must not carry (javascript:)."""
    value = html.unescape(value.strip())
    scheme = _SCHEME.match(value)
    if scheme and scheme[1].lower() not in _SAFE_SCHEMES:
        return ""
    return html.escape(value, quote=True)


def commas(words: list[str]) -> list[str]:
    """The themes' ``a, b, c`` arguments: the words joined by spaces, split at commas, trimmed."""
    return [part.strip() for part in " ".join(words).split(",")]


def at(parts: list[str], i: int) -> str:
    return parts[i] if i < len(parts) else ""


def link(href: str, words: str, title: str = "") -> str:
    """A link with its words; without a usable address, the words alone."""
    target = url(href)
    if not target:
        return words
    title_attr = f' title="{attr(title)}"' if title.strip() else ""
    return f'<a href="{target}"{title_attr}>{words}</a>'


def inline(render: Render, source: str) -> str:
    """Markdown of one line as inline HTML: its paragraph's tags dropped."""
    done = render(source).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", done, flags=re.DOTALL)


def labelled(label: str, body: str) -> str:
    """A block shown under its label (a note's title, hidden content's button): a bold first line."""
    head = f"<p><strong>{label}</strong></p>" if label.strip() else ""
    return head + body


def quote(body: str, title: str = "") -> str:
    return f"<blockquote>{labelled(title, body)}</blockquote>"


def code(source: str, lang: str) -> str:
    """A diagram's or chart's source, as a code block a reader can show and a highlighter can name."""
    escaped = html.escape(source.strip("\n"), quote=False)
    return f'<pre><code class="language-{lang}">{escaped}</code></pre>'


def heading(words: str) -> str:
    return f"<h4>{words}</h4>" if words.strip() else ""


def sections(content: str, marker: re.Pattern[str], render: Render) -> Iterator[tuple[str | None, str]]:
    """(marker argument, rendered HTML) of each ``<!-- x … -->…<!-- endx -->`` section, in order; what
    stands between sections (words the theme would drop) comes out too, with None for its argument."""
    done = 0
    for m in marker.finditer(content):
        if content[done : m.start()].strip():
            yield None, render(content[done : m.start()])
        yield m[1], render(m[2]).strip()
        done = m.end()
    if content[done:].strip():
        yield None, render(content[done:])


def tab_marker(*, newline: bool = True) -> re.Pattern[str]:
    """NexT's, Butterfly's and Keep's ``<!-- tab caption -->`` (then a newline) … ``<!-- endtab -->``."""
    after = r"\n" if newline else ""
    return re.compile(rf"<!--\s*tab (.*?)\s*-->{after}(.*?)<!--\s*endtab\s*-->", re.DOTALL)


def tabs(content: str, render: Render, caption: Callable[[str, int], str], marker: re.Pattern[str]) -> str:
    """Each tab's caption as a heading, then its content; ``caption(marker argument, tab number)``."""
    out: list[str] = []
    number = 0
    for argument, body in sections(content, marker, render):
        if argument is None:
            out.append(body)
        else:
            number += 1
            out.append(heading(caption(argument, number)) + body)
    return "".join(out)


def images(content: str) -> str:
    """The Markdown images of a gallery, each as an ``<img>`` (the theme lists them for a script)."""
    found = re.finditer(r"!\[(.*?)\]\(([^\s)]*)\s*(?:[\"'](.*?)[\"']?)?\s*\)", content)
    out = []
    for m in found:
        src = url(m[2])
        if src:
            title = f' title="{attr(m[3])}"' if m[3] else ""
            out.append(f'<img src="{src}" alt="{attr(m[1])}"{title}>')
    return f"<p>{''.join(out)}</p>" if out else ""


# Words of an unknown tag's arguments that are settings, not text: colours, sizes, styles, icons,
# numbers, addresses, key:value options.
_SETTING_WORDS = {
    "default", "primary", "info", "success", "warning", "danger", "no-icon", "flat", "modern", "simple",
    "disabled", "small", "large", "medium", "left", "right", "center", "centered", "true", "false",
    "active", "open", "block", "inline", "red", "orange", "yellow", "green", "blue", "purple", "pink",
    "gray", "grey", "white", "black", "dark", "light", "link", "wide", "full", "narrow", "auto", "none",
}  # fmt: skip
_SETTING = re.compile(
    r"^(?:fa[bsrld]?|fa-\S*|#[0-9a-fA-F]{3,8}|[-+]?[\d.]+(?:px|em|rem|%|vh|vw)?|[\w-]+:\S*|\S*[/\\]\S*|\S+\.[A-Za-z0-9]{2,5})$"
)


def text_words(words: list[str]) -> str:
    """The words of an unknown tag's arguments that look like text (a title, a label), escaped: each
    word (a quoted phrase is one) or comma-separated part that is a setting goes."""
    kept = []
    for word in words:
        for part in word.split(","):
            part = part.strip()
            if part and part.lower() not in _SETTING_WORDS and not _SETTING.match(part):
                kept.append(part)
    return text(" ".join(kept))
