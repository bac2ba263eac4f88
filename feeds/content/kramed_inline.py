"""kramed's inline rules where they part from markdown-it's: escapes, tags and links (marked 0.3's).

kramed finds inline markup with regular expressions tried in a fixed order, not
by CommonMark's rules, and a blog's text shows it: a backslash escapes only
Markdown's own punctuation (``find . -exec rm {} \\;`` keeps its backslash); a
closing tag on its own is text (``</b>`` shows), while an opening tag takes
everything up to its first closing tag, whose inside is Markdown again unless
the tag is a block's (``<div>``); ``[text](any address, spaces too)`` is a link
(so C++'s ``[](int a)`` is an empty one, which shows nothing), a reference may
follow its text after a space (``[text] [ref]``), ``[^n]`` is a footnote
mark, and ``&name;`` passes as written, an entity or not.  Each checked
against kramed 0.5.6's output (tools/renderer_oracle).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_ESCAPABLE = "\\`*{}[]()#$+-.!_>"
_GFM_ESCAPABLE = _ESCAPABLE + "~|"

_ATTRS = r"""(?:"[^"]*"|'[^']*'|[^'">])*?>"""
_NAME = r"(\w+)(?!:/|[^\w\s@]*@)\b"
_COMMENT = re.compile(r"<!--[\s\S]*?-->")
_PAIRED = re.compile(rf"<{_NAME}{_ATTRS}([\s\S]*?)</\1>", re.ASCII)
_OPEN = re.compile(rf"<{_NAME}{_ATTRS}", re.ASCII)
# Tags whose inside kramed passes on as written, not as Markdown (its html_blocks.js).
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "base",
        "basefont",
        "blockquote",
        "body",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "head",
        "header",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "link",
        "main",
        "menu",
        "menuitem",
        "meta",
        "nav",
        "noframes",
        "ol",
        "optgroup",
        "option",
        "p",
        "param",
        "pre",
        "script",
        "section",
        "source",
        "title",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "track",
        "ul",
    ]
)

_INSIDE = r"(?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*"
_LINK = re.compile(rf"""!?\[({_INSIDE})\]\(\s*<?([\s\S]*?)>?(?:\s+['"]([\s\S]*?)['"])?\s*\)""")
_REFFN = re.compile(rf"!?\[\^({_INSIDE})\]")
_REFLINK = re.compile(rf"!?\[({_INSIDE})\]\s*\[([^\]]*)\]")
_NOLINK = re.compile(r"!?\[((?:\[[^\]]*\]|[^\[\]])*)\]")
_SPACES = re.compile(r"\s+")


def kramed_inline(md: MarkdownIt, gfm: bool) -> None:
    escapable = _GFM_ESCAPABLE if gfm else _ESCAPABLE
    md.inline.ruler.before("escape", "kramed_escape", lambda state, silent: _escape(state, silent, escapable))
    md.inline.ruler.before("html_inline", "kramed_tag", _tag)
    md.inline.ruler.before("link", "kramed_link", _link)
    md.inline.ruler.before("entity", "kramed_entity", _entity)


def _escape(state: Any, silent: bool, escapable: str) -> bool:
    """A backslash before anything but kramed's punctuation (or a line's end) is a backslash."""
    if state.src[state.pos] != "\\":
        return False
    after = state.src[state.pos + 1 : state.pos + 2]
    if after and (after in escapable or after == "\n"):
        return False
    if not silent:
        state.pending += "\\"
    state.pos += 1
    return True


_ENTITY = re.compile(r"&#?\w+;")


def _entity(state: Any, silent: bool) -> bool:
    """kramed escapes no ``&`` that starts what looks like an entity, known or not: the browser reads
    ``&lts;`` as ``<s;`` (its ``&lt`` needs no semicolon)."""
    m = _ENTITY.match(state.src, state.pos, state.posMax)
    if m is None:
        return False
    if not silent:
        state.push("html_inline", "", 0).content = m[0]
    state.pos = m.end()
    return True


def _tag(state: Any, silent: bool) -> bool:
    """A comment, an opening tag (with what runs to its closing tag), or a ``<`` that is text."""
    src, pos, end = state.src, state.pos, state.posMax
    if src[pos] != "<":
        return False
    m = _COMMENT.match(src, pos, end) or _PAIRED.match(src, pos, end) or _OPEN.match(src, pos, end)
    if m is None:  # a closing tag, `<=`, `<1>`: text, which markdown-it's html_inline must not take
        if not silent:
            state.pending += "<"
        state.pos += 1
        return True
    if silent or m.re is not _PAIRED or not m[2] or m[1].lower() in _BLOCKS:
        if not silent:
            state.push("html_inline", "", 0).content = m[0]
        state.pos = m.end()
        return True
    # as kramed cuts it: at the first place the inside's text occurs in the whole match
    inside = m[0].find(m[2])
    state.push("html_inline", "", 0).content = m[0][:inside]
    _tokenize(state, pos + inside, pos + inside + len(m[2]))
    state.push("html_inline", "", 0).content = m[0][inside + len(m[2]) :]
    state.pos = m.end()
    return True


def _tokenize(state: Any, start: int, stop: int) -> None:
    """Inline Markdown of ``src[start:stop]`` into the tokens (the source cut at ``stop``, as
    markdown-it's text rule looks for its end past ``posMax``)."""
    src, end = state.src, state.posMax
    state.src, state.pos, state.posMax = src[:stop], start, stop
    state.md.inline.tokenize(state)
    state.src, state.posMax = src, end


def _link(state: Any, silent: bool) -> bool:
    """``[text](address "title")``, ``[^note]``, ``[text] [ref]`` and ``[ref]`` as kramed reads them;
    a bracket that opens none is text."""
    src, pos, end = state.src, state.pos, state.posMax
    image = src.startswith("![", pos)
    if not image and src[pos] != "[":
        return False
    if m := _LINK.match(src, pos, end):
        return _put(state, silent, m, m[2], m[3] or "", image)
    if m := _REFFN.match(src, pos, end):
        if not silent:
            name = m[1]
            state.push("html_inline", "", 0).content = f'<sup><a href="#fn_{name}" id="reffn_{name}">'
            state.push("text", "", 0).content = name
            state.push("html_inline", "", 0).content = "</a></sup>"
        state.pos = m.end()
        return True
    m = _REFLINK.match(src, pos, end) or _NOLINK.match(src, pos, end)
    if m is not None:
        from markdown_it.common.utils import normalizeReference

        key = _SPACES.sub(" ", m[2] if m.re is _REFLINK and m[2] else m[1])
        ref = state.env.get("references", {}).get(normalizeReference(key))
        if ref and ref.get("href"):
            return _put(state, silent, m, ref["href"], ref.get("title") or "", image)
    if not silent:
        state.pending += src[pos]
    state.pos += 1
    return True


def _put(state: Any, silent: bool, m: re.Match[str], href: str, title: str, image: bool) -> bool:
    url = state.md.normalizeLink(href)
    if not state.md.validateLink(url):
        url = ""
    if not silent:
        attrs = {"src": url, "alt": ""} if image else {"href": url}
        if title:
            attrs["title"] = title
        if image:
            from markdown_it.token import Token

            alt = Token("text", "", 0, content=m[1])  # the alt text as written, not Markdown
            token = state.push("image", "img", 0)
            token.attrs, token.children, token.content = attrs, [alt], m[1]
        else:
            state.push("link_open", "a", 1).attrs = attrs
            state.linkLevel += 1
            _tokenize(state, m.start(1), m.end(1))
            state.linkLevel -= 1
            state.push("link_close", "a", -1)
    state.pos = m.end()
    return True
