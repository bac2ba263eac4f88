"""Hexo's tag plugins (``{% name args %}``, ``{% name %}…{% endname %}``) turned into HTML.

Hexo renders them after Markdown, from placeholders Markdown cannot touch, and
so does :func:`expand`: each tag becomes a token, the body is rendered, and the
token is replaced by the tag's HTML.  Fenced code and code spans are left as
written, as Hexo 8 leaves them (but for a ``{% raw %}`` in a code span);
``{% raw %}`` keeps its content literally and ``{# … #}`` comments go.  The
built-in tags are rendered as Hexo writes them, reduced where a feed needs
less (a code block is a ``<pre>`` without the highlighter's line-number
table); so are the tags of the site's theme (feeds.content.themes).  A tag
feeds does not know keeps its inner content and the words of its arguments
that read as text, and loses the tag, with one warning per tag name in a
process: no ``{%`` of a tag outside code reaches a feed.

Everything a tag names (a URL, a size) comes from the post and is untrusted:
it is HTML-escaped here and the cleaner sanitises the result.
"""

from __future__ import annotations

import bisect
import html
import json
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from ..models import Site
from . import embeds
from .fences import restore_tokens
from .includes import include_code
from .math import mathml
from .themes import Context, Settings, ThemeTag, text_words, theme_tags

log = logging.getLogger(__name__)

# A tag's arguments stop at the next "{%": an unclosed tag costs one scan to there, not to the end
# (the lazy ".*?" it replaced made a post of 20,000 unclosed tags take 29 s).
TOKEN = "FEEDSTAG"  # how each tag's placeholder begins, until its HTML replaces it after Markdown
_TAG = re.compile(r"(?<!\\)\{%-?\s*(\w+)((?:[^%{]|%(?!\})|\{(?!%))*?)\s*-?%\}")
_END = re.compile(r"\{%-?\s*end(\w+)\s*-?%\}")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
# A fenced block (an unclosed one runs to the end, as in CommonMark: no rescan).  Code spans are
# found as Hexo finds them (_inline_code), where only a raw tag is read (`{% raw %}{{{% endraw %}`
# shows "{{").
_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=fence)[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
MAX_DEPTH = 16  # block tags inside block tags; deeper ones lose their tags and keep their text
MAX_WARNED = 32  # unknown tag names reported by one process; more are counted at debug level
_warned: set[str] = set()  # unknown tag names already reported by this process

Render = Callable[[str], str]  # Markdown (or HTML) of a block tag's content -> HTML
# What may come before a tag on its line for it to start a block.  Hexo's placeholder for every tag
# is an HTML comment, which Markdown reads as a block of HTML there: it ends the list item or
# paragraph above, and an indented line after it is code.  Elsewhere a word stands in, which a
# link's address keeps (Hexo's own comment breaks `[a]({% asset_path a.pdf %})` into "!--swig…").
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:(?:>[ \t]*)+|[-*+][ \t]+|[0-9]+[.)][ \t]+)?$")
_NO_SITE = Site()


@dataclass
class _Expansion:
    render: Render
    base: str  # the post's asset folder URL: asset_* tags
    site: Site
    themed: Mapping[str, ThemeTag]  # the tags the site's theme adds (a theme may redefine Hexo's own)
    context: Context  # what those tags see
    pieces: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # each tag as written, for a token that lands in code
    # A token no body holds: the text a post could write ("FEEDSTAG7X") must stay text.
    nonce: str = field(default_factory=lambda: os.urandom(6).hex())  # as secrets.token_hex
    depth: int = 0

    def token(self, piece: str, source: str, *, block: bool = False) -> str:
        """A word, or with ``block`` an HTML comment as Hexo's ``<!--swig…-->`` is (see _LINE_START)."""
        self.pieces.append(piece)
        self.sources.append(source)
        token = f"{TOKEN}{self.nonce}N{len(self.pieces) - 1}X"
        return f"<!--{token}-->" if block else token


Tagged = tuple[str, list[str], list[str]]  # the nonce of a body's tokens, the HTML of each, its source


def expand(
    body: str,
    base: str,
    *,
    markdown: bool,
    render: Render,
    site: Site = _NO_SITE,
    theme: Settings | None = None,
    refs: tuple[str, ...] = (),
) -> tuple[str, Tagged | None]:
    """``body`` with every tag replaced by a token, and what :func:`restore` needs to put them back.

    ``base`` is the URL of the post's asset folder; ``theme`` the site's Hexo theme, whose tags are
    rendered too (feeds.content.themes); ``refs`` the post's (its own series among them).
    """
    if "{%" not in body and "{#" not in body:
        return body, None
    themed = theme_tags(theme.name) if theme else {}
    own = next((ref[10:] for ref in refs if ref.startswith("in-series:")), "")
    context = Context(render, theme or Settings(), site.series, own)
    state = _Expansion(render, base, site, themed, context)
    # Code is written as it is (Hexo sets it aside before it looks for tags), but only where a tag
    # has not begun: a block tag's content runs to its end tag, backticks and all.
    return _expand_tags(_COMMENT.sub("", body), state, _CODE if markdown else None), (
        state.nonce,
        state.pieces,
        state.sources,
    )


def restore(rendered: str, tagged: Tagged | None) -> str:
    """Put each tag's HTML where its token landed (a token alone in a paragraph replaces it), and the
    tag as written where Markdown made its line code (indented after a tag line), as Hexo shows it."""
    if tagged is None:
        return rendered
    nonce, pieces, sources = tagged
    # A block tag's HTML holds the tokens of the tags inside it, which come before it: put back first.
    marker = f"{TOKEN}{nonce}N"
    for i, piece in enumerate(pieces):
        if marker in piece:
            pieces[i] = restore_tokens(piece, TOKEN, (nonce, pieces))
    if "&lt;!--FEEDSTAG" in rendered:
        in_code = re.compile(f"&lt;!--FEEDSTAG{nonce}N(\\d+)X--&gt;")
        rendered = in_code.sub(lambda m: html.escape(sources[int(m[1])], quote=False), rendered)
    return restore_tokens(rendered, TOKEN, (nonce, pieces))


def _expand_tags(text: str, state: _Expansion, code: re.Pattern[str] | None = None) -> str:
    """``text`` with its tags rendered; with ``code``, what that finds outside tags is left alone."""
    if state.depth >= MAX_DEPTH:  # nested past any real post: the tags go, their text stays
        return _TAG.sub("", text)
    spans = [(c.start(), c.end()) for c in code.finditer(text)] if code is not None else []
    k = 0
    ends: dict[str, tuple[list[int], list[re.Match[str]]]] = {}
    for end in _END.finditer(text):  # every closing tag, found once per text
        starts, found = ends.setdefault(end[1], ([], []))
        starts.append(end.start())
        found.append(end)
    opens: dict[str, list[int]] = {}
    open_ends: dict[int, tuple[int, int]] = {}
    out: list[str] = []
    at = 0
    state.depth += 1
    while (m := _TAG.search(text, at)) is not None:
        while k < len(spans) and spans[k][0] < at:  # passed, or begun inside a tag already taken
            k += 1
        if k < len(spans) and spans[k][0] < m.start():  # code first: as written
            stop = spans[k][1]
            out.append(text[at:stop])
            at = stop
            continue
        inline = _inline_code(text, at, m.start(), open_ends) if code is not None else None
        if inline is not None:  # a code span: as written, but for its {% raw %} tags
            out.append(text[at : inline[0]])
            out.append(
                _RAW_IN_CODE.sub(
                    lambda r: _one("raw", "", r[1], state, r[0], block=False), text[inline[0] : inline[1]]
                )
            )
            at = inline[1]
            continue
        out.append(text[at : m.start()])
        name, args = m[1], m[2].strip()
        closing = None
        if name in ends and not name.startswith("end"):
            if name not in opens:  # where this name's tags start, once per text: nested ones pair inward
                opens[name] = [t.start() for t in re.finditer(rf"\{{%-?\s*{name}(?!\w)", text)]
            closing = _closing(ends[name], opens[name], m.start(), m.end())
        if closing is None:
            inner, at = None, m.end()
        else:
            inner, at = text[m.end() : closing.start()], closing.end()
        block = code is not None and _LINE_START.search(
            text, max(0, text.rfind("\n", 0, m.start())), m.start()
        )
        out.append(_one(name, args, inner, state, text[m.start() : at], block=block is not None))
    state.depth -= 1
    out.append(text[at:])
    return "".join(out)


# Hexo 8 sets a code span aside before it looks for tags (its PostRenderEscape), all but a
# {% raw %} in it: a span opens at a run of backticks no backslash escapes and closes at a run at
# least as long; a blank line first, or no closing run, leaves the backticks as text.
_TICKS = re.compile(r"`+")
_IN_CODE = re.compile(r"`+|\n\n|\r\n\r\n|\r\n\n|\n\r\n|\{% *raw *%\}")
_RAW_END = re.compile(r"\{% *endraw *%\}")
_RAW_IN_CODE = re.compile(r"\{% *raw *%\}(.*?)\{% *endraw *%\}", re.DOTALL)


def _inline_code(
    text: str, at: int, limit: int, open_ends: dict[int, tuple[int, int]]
) -> tuple[int, int] | None:
    """The first code span that opens between ``at`` and ``limit`` (the next tag), as Hexo finds it.
    ``open_ends``: for each length of backtick run, a stretch of text already found to close none,
    so that many runs never closed cost one scan, not one each to the end of their paragraph."""
    while (tick := _TICKS.search(text, at, limit)) is not None:
        if tick.start() and text[tick.start() - 1] == "\\":
            at = tick.start() + 1
            continue
        count = len(tick[0])
        known = open_ends.get(count)
        if known is not None and known[0] <= tick.end() < known[1]:
            end = None
        else:
            end, stop = _span_end(text, tick.end(), count)
            if end is None:
                open_ends[count] = (tick.end(), stop)
        if end is not None:
            return tick.start(), end
        at = tick.end()
    return None


def _span_end(text: str, pos: int, count: int) -> tuple[int | None, int]:
    """Where the span closes (None: it does not), and where the search stopped."""
    while (event := _IN_CODE.search(text, pos)) is not None:
        found = event[0]
        if found[0] == "`":
            if len(found) >= count:  # Hexo looks at each backtick: a longer run closes at its end
                return event.end(), event.end()
            pos = event.end()
        elif found[0] == "{":  # a raw tag's content is skipped, backticks and all
            raw_end = _RAW_END.search(text, event.end())
            pos = raw_end.end() if raw_end else event.end()
        else:
            return None, event.start()
    return None, len(text)


def _closing(
    ends: tuple[list[int], list[re.Match[str]]], opens: list[int], start: int, after: int
) -> re.Match[str] | None:
    """The end tag that closes the tag at ``start``: as Nunjucks pairs them, a tag of the same name
    opened inside it takes the first end (Butterfly's docs nest ``subtabs`` in ``subtabs``)."""
    first = i = bisect.bisect_left(ends[0], after)
    while i < len(ends[0]):
        inside = bisect.bisect_left(opens, ends[0][i]) - bisect.bisect_right(opens, start)
        if inside <= i - first:
            return ends[1][i]
        i += 1
    return None


def _one(name: str, args: str, inner: str | None, state: _Expansion, source: str, *, block: bool) -> str:
    if name == "raw":  # as written, not Markdown: Hexo sets it aside before rendering
        return state.token(inner or "", source, block=block)
    if name.startswith("end"):
        return ""  # a stray closing tag
    words = _words(args)
    themed = state.themed.get(name)
    if themed is not None:
        content = _expand_tags(inner, state) if inner is not None else ""
        context = replace(state.context, nested=True) if state.depth > 1 else state.context
        return state.token(themed(words, content, context), source, block=block)
    renderer = _TAGS.get(name)
    if renderer is None:
        return _unknown(name, words, inner, state, source, block=block)
    content = _expand_tags(inner, state) if inner is not None else ""
    return state.token(renderer(words, content, state), source, block=block)


def _unknown(
    name: str, words: list[str], inner: str | None, state: _Expansion, source: str, *, block: bool
) -> str:
    """A tag feeds does not render: the words of its arguments that read as text (a title, a label),
    then its content, and one warning per tag name."""
    if name not in _warned:
        _warned.add(name)
        level = logging.WARNING if len(_warned) <= MAX_WARNED else logging.DEBUG
        log.log(
            level,
            "tag plugin %r is not one feeds renders: its content and the words of its arguments are kept",
            name,
        )
    shown = text_words(words) if words else ""
    if block and shown and inner is not None:
        shown = f"<p><strong>{shown}</strong></p>"
    # Where a tag starts a line its token still ends a block, with or without words to show.
    head = state.token(shown, source, block=block) if block or shown else ""
    if inner is None:
        return head
    return head + ("\n" if block else " " if shown else "") + _expand_tags(inner, state)


# Characters that end a token of Nunjucks' lexer, which cuts a tag's arguments before Hexo joins
# the pieces of each word again: a quote just after one opens a string.
_DELIMITERS = frozenset("()[]{}%*-+~/#,:|.<>=!")


def _words(args: str) -> list[str]:
    """A tag's arguments as Hexo hands them over: words split at spaces, where a quote that opens a
    token (``'a b'``, ``x,'a b'``) groups words and is dropped, and one inside a word stays
    (``info@'unsafe-inline'`` keeps its quotes, as NexT's label shows them)."""
    words: list[str] = []
    word: list[str] = []
    i, n = 0, len(args)
    while i < n:
        char = args[i]
        if char.isspace():
            if word:
                words.append("".join(word))
                word = []
            i += 1
        elif char in "'\"" and (not word or word[-1] in _DELIMITERS):
            end = i + 1
            while end < n and args[end] != char:
                end += 2 if args[end] == "\\" else 1
            if end >= n:  # never closed: the quote is text, as the rest of the word is
                word.append(char)
                i += 1
                continue
            word.append(re.sub(r"\\(.)", r"\1", args[i + 1 : end]))
            i = end + 1
        else:
            word.append(char)
            i += 1
    if word:
        words.append("".join(word))
    return words


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_FULL_CITE_WITH_TITLE = re.compile(r"(\S.*)\s+(https?://\S+)\s+(.+)", re.IGNORECASE)
_FULL_CITE = re.compile(r"(\S.*)\s+(https?://\S+)", re.IGNORECASE)
_AUTHOR_TITLE = re.compile(r"([^,]+),\s*([^,]+)")


def _blockquote(words: list[str], content: str, state: _Expansion) -> str:
    """Hexo's blockquote: its content, then a footer of author and cited source, read as Hexo reads them."""
    body = state.render(content) if content.strip() else ""
    text = " ".join(words)
    author = source = title = ""
    if m := _FULL_CITE_WITH_TITLE.search(text):
        author, source, title = m[1], m[2], m[3]
    elif m := _FULL_CITE.search(text):
        author, source = m[1], m[2]
    elif m := _AUTHOR_TITLE.search(text):
        author, title = m[1], m[2]
    else:
        author = text
    footer = f"<strong>{_e(author)}</strong>" if author else ""
    if source:
        shown = title or re.sub(r"^https?://|/(index\.html?)?$", "", source)
        footer += f'<cite><a href="{_e(source)}">{_e(shown)}</a></cite>'
    elif title:
        footer += f"<cite>{_e(title)}</cite>"
    return f"<blockquote>{body}" + (f"<footer>{footer}</footer>" if footer else "") + "</blockquote>"


_CODE_OPTIONS = ("lang:", "line_number:", "highlight:", "first_line:", "mark:", "wrap:")


def _codeblock(words: list[str], content: str, state: _Expansion) -> str:
    lang = next((w[5:] for w in words if w.startswith("lang:")), "")
    rest = [w for w in words if not w.startswith(_CODE_OPTIONS)]
    link = next((w for w in rest if w.startswith(("http://", "https://"))), "")
    title = " ".join(w for w in rest[: rest.index(link)] if w) if link else " ".join(rest)
    caption = f"<span>{_e(title)}</span>" if title else ""
    if link:
        text = " ".join(rest[rest.index(link) + 1 :]) or "link"
        caption += f'<a href="{_e(link)}">{_e(text)}</a>'
    code = f'<pre><code class="{_e("language-" + lang)}">' if lang else "<pre><code>"
    figure = f"<figure><figcaption>{caption}</figcaption>" if caption else "<figure>"
    return f"{figure}{code}{html.escape(content.strip(chr(10)), quote=False)}</code></pre></figure>"


def _pullquote(words: list[str], content: str, state: _Expansion) -> str:
    return f"<blockquote>{state.render(content)}</blockquote>"


def _img(words: list[str], content: str, state: _Expansion) -> str:
    src_at = next((i for i, w in enumerate(words) if "/" in w or "." in w), None)
    if src_at is None:
        return ""
    rest = words[src_at + 1 :]
    sizes = [w for w in rest[:2] if w.isdigit()]
    text = " ".join(rest[len(sizes) :])
    quoted = re.findall(r'"([^"]*)"', text)  # '"title text" "alt text"', as Hexo's docs write it
    title, alt = (*quoted, "")[:2] if quoted else (text, "")
    attrs = f' src="{_e(words[src_at])}"'
    for key, value in zip(("width", "height"), sizes, strict=False):
        attrs += f' {key}="{value}"'
    if title:
        attrs += f' title="{_e(title)}"'
    return f'<img{attrs} alt="{_e(alt or title)}">'


# What Hexo's link tag takes for the address: the first word holding a scheme and a host
# ("https://x", "mailto:a@b"), "www." and a host, or "name@host"; a path alone is text to it.
_LINK_URL = re.compile(
    r"[A-Za-z]{3,9}:(?://)?(?:[-;:&=+$,\w]+@)?[A-Za-z0-9.-]|(?:www.|[-;:&=+$,\w]+@)[A-Za-z0-9.-]", re.ASCII
)


def _link(words: list[str], content: str, state: _Expansion) -> str:
    """``{% link text url [external] [title] %}``: the words before the address are the text."""
    at = next((i for i, word in enumerate(words) if _LINK_URL.search(word)), len(words))
    text, rest = " ".join(words[:at]), words[at + 1 :]
    if rest and rest[0] in ("true", "false"):
        rest = rest[1:]  # open in a new window: a reader decides that
    title = f' title="{_e(" ".join(rest))}"' if rest else ""
    url = words[at] if at < len(words) else ""
    return f'<a href="{_e(url)}"{title}>{_e(text)}</a>'


def _asset_url(state: _Expansion, name: str) -> str:
    return state.base + quote(name, safe="/")


def _asset_img(words: list[str], content: str, state: _Expansion) -> str:
    if not words:
        return ""
    title = " ".join(words[1:])
    title_attr = f' title="{_e(title)}"' if title else ""
    return f'<img src="{_e(_asset_url(state, words[0]))}" alt="{_e(title or words[0])}"{title_attr}>'


def _asset_link(words: list[str], content: str, state: _Expansion) -> str:
    if not words:
        return ""
    return f'<a href="{_e(_asset_url(state, words[0]))}">{_e(" ".join(words[1:]) or words[0])}</a>'


def _asset_path(words: list[str], content: str, state: _Expansion) -> str:
    return _e(_asset_url(state, words[0])) if words else ""


def _url_for(words: list[str], content: str, state: _Expansion) -> str:
    if len(words) < 2:
        return ""
    return f'<a href="{_e(words[1])}">{_e(words[0])}</a>'


def _post_link(words: list[str], content: str, state: _Expansion) -> str:
    """A link to the post named by slug (else by title), titled with its title, as Hexo writes it.

    A post that is not found is a warning and its name stays as text, where
    Hexo stops the whole build.
    """
    if not words:
        return ""
    slug, _, hash_ = words[0].partition("#")
    if words[-1] in ("true", "false"):
        words = words[:-1]
    found = _find_post(slug, state)
    if found is None:
        return _e(" ".join(words[1:]) or slug)
    url, title = found
    text = " ".join(words[1:]) or title or slug
    return f'<a href="{_e(url + ("#" + hash_ if hash_ else ""))}" title="{_e(title or slug)}">{_e(text)}</a>'


def _post_path(words: list[str], content: str, state: _Expansion) -> str:
    found = _find_post(words[0], state) if words else None
    return _e(found[0]) if found else ""


def _find_post(slug: str, state: _Expansion) -> tuple[str, str] | None:
    found = state.site.posts.get(slug)
    if found is None and slug not in _unfound:
        _unfound.add(slug)
        if len(_unfound) <= MAX_WARNED:
            log.warning("{%% post_link %s %%}: no post has that slug or title; its name stays as text", slug)
    return found


_unfound: set[str] = set()  # post_link targets already reported by this process


def _include_code(words: list[str], content: str, state: _Expansion) -> str:
    return include_code(" ".join(words), state.site)


def _math(words: list[str], content: str, state: _Expansion) -> str:
    """hexo-static-math's ``{% math %}`` (a block formula; ``{% math inline %}`` one in the line)."""
    return mathml(content.strip(), display=not words or words[0] != "inline")


def _formula(option: tuple[str, ...]) -> Callable[[list[str], str, _Expansion], str]:
    """hexo-math's ``{% katex %}`` and ``{% mathjax %}``: in the line unless the JSON of options given
    as the argument sets ``option`` (``{"displayMode": true}``, ``{"conversion": {"display": true}}``)."""

    def formula(words: list[str], content: str, state: _Expansion) -> str:
        try:
            found: object = json.loads(" ".join(words)) if words else {}
        except ValueError:
            found = {}
        for key in option:
            found = found.get(key) if isinstance(found, dict) else None
        return mathml(content.strip(), display=found is True)

    return formula


_TAGS: dict[str, Callable[[list[str], str, _Expansion], str]] = {
    "math": _math,
    "katex": _formula(("displayMode",)),
    "mathjax": _formula(("conversion", "display")),
    "blockquote": _blockquote,
    "quote": _blockquote,
    "codeblock": _codeblock,
    "code": _codeblock,
    "pullquote": _pullquote,
    "img": _img,
    "image": _img,
    "link": _link,
    "a": _link,
    "iframe": embeds.iframe,
    "asset_img": _asset_img,
    "asset_image": _asset_img,
    "asset_link": _asset_link,
    "asset_path": _asset_path,
    "url_for": _url_for,
    "full_url_for": _url_for,
    "post_link": _post_link,
    "post_path": _post_path,
    "include_code": _include_code,
    "youtube": embeds.embed("https://www.youtube.com/embed/{}", frame=True),
    "vimeo": embeds.embed("https://player.vimeo.com/video/{}", frame=True),
    "gist": embeds.embed("https://gist.github.com/{}", frame=False),
    "jsfiddle": embeds.jsfiddle,
}
