"""kramdown's span rules where they part from CommonMark's, as markdown-it-py inline rules.

- Emphasis (kramdown's ``parse_emphasis``): a run of one or two ``*`` or ``_``
  opens unless white space follows it (or, for ``_``, a letter precedes it, or
  the same kind is already open); it closes at the first like run not after
  white space (for ``*`` alone, not at a ``**``; for ``_``, not before a letter
  or digit) once something is inside.  CommonMark's flanking rules look at
  punctuation on both sides, which sets CJK text apart: ``**가**나`` is strong in
  kramdown and not in CommonMark, ``**가 **나`` the other way round.
- A single backtick after and before white space is text; a code span of N
  backticks ends at the next run of N (even inside a longer run).
- A block element's tag (``<div>``, ``<head>``) inside a paragraph is text.
- An HTML span element's content is parsed by itself (emphasis cannot close
  outside it); an element outside kramdown's span and block content models
  (``<u>``, ``<code>``, ``Mono<Reply>``) keeps its content as written, up to its
  closing tag or, never closed, the paragraph's end.
"""

from __future__ import annotations

import html
import re
from typing import Any

_LETTERS_BEFORE = re.compile(r"[^\W\d_]-?[^\W\d_]*\Z")
_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_STACK = "kramdown_emphasis"  # env key: the emphasis elements open around the text being parsed


def emphasis(state: Any, silent: bool) -> bool:
    src, pos, end = state.src, state.pos, state.posMax
    kind = src[pos]
    if kind not in "*_":
        return False
    run = kind * 2 if src[pos + 1 : pos + 2] == kind else kind
    element = "strong" if len(run) == 2 else "em"
    stack: list[str] = state.env.setdefault(_STACK, [])
    after = pos + len(run)
    blocked = kind == "_" and _LETTERS_BEFORE.search(src, 0, pos) is not None
    if blocked or (after < end and src[after].isspace()) or element in stack:
        return _text(state, silent, run)
    close = _close(src, after, end, run, element, kind, stack)
    if close is None and element == "strong" and not (stack and stack[-1] == "em"):
        run, element = kind, "em"  # kramdown's retry: an em from the first character, the second inside
        close = _close(src, pos + 1, end, run, element, kind, stack)
    if close is None:
        return _text(state, silent, src[pos:after])
    if not silent:
        state.push(f"{element}_open", element, 1).markup = run
        stack.append(element)
        old = state.posMax
        state.pos, state.posMax = pos + len(run), close
        state.md.inline.tokenize(state)
        state.posMax = old
        stack.pop()
        state.push(f"{element}_close", element, -1).markup = run
    state.pos = close + len(run)
    return True


def _text(state: Any, silent: bool, run: str) -> bool:
    if not silent:
        state.pending += run
    state.pos += len(run)
    return True


def _close(
    src: str, start: int, end: int, delim: str, element: str, kind: str, stack: list[str]
) -> int | None:
    """Where the emphasis opened before ``start`` closes, or None; nested spans are stepped over."""
    p = start
    while p < end:
        ch = src[p]
        if ch == "\\":
            p += 2
            continue
        if src.startswith(delim, p) and p > start and _closes(src, p, delim, element, kind):
            return p
        if ch == "`":
            p = _past_code(src, p, end)
        elif ch in "[!" and (link := _LINK.match(src, p, end)):
            p = link.end()
        elif ch == "<" and (tag := _TAG.match(src, p, end)):
            if _ends_outer(src, start, tag[0]) or _unclosed(src, tag, end):
                return None  # the HTML element around the opener ends first, or takes the rest as text
            p = _past_element(src, tag, end)
        elif ch in "*_":
            p = _past_emphasis(src, p, end, [*stack, element])
        else:
            p += 1
    return None


def tag_name(tag: str) -> str:
    m = TAG_NAME.match(tag)
    return m[1].lower() if m else ""


def _ends_outer(src: str, start: int, tag: str) -> bool:
    """A closing tag of a span element left open before ``start`` (kramdown parses an element's
    content by itself: emphasis inside cannot close outside)."""
    name = tag_name(tag)
    if not tag.startswith("</") or not name or name in _BLOCK_ELEMENTS:
        return False
    before = src[:start]
    opened = len(re.findall(rf"<{re.escape(name)}(?=[\s/>])", before, re.IGNORECASE))
    return opened > len(re.findall(rf"</{re.escape(name)}\s*>", before, re.IGNORECASE))


# kramdown's HTML_ELEMENTS_WITHOUT_BODY: these tags open nothing.
VOID = frozenset(
    [
        *("area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link", "meta"),
        *("param", "source", "track", "wbr"),
    ]
)
_OPEN_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9-]*(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*"
    r"""(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)*\s*>"""
)


def _unclosed(src: str, tag: re.Match[str], end: int) -> bool:
    """A span element's opening tag with no closing one before ``end``: its content runs to the end of
    the paragraph, so an emphasis opened before it cannot close after it."""
    name = tag_name(tag[0])
    if not name or name in _BLOCK_ELEMENTS or name in VOID or not _OPEN_TAG.fullmatch(tag[0]):
        return False
    return _past_element(src, tag, end) == tag.end()


# kramdown's HTML_CONTENT_MODEL_SPAN and _BLOCK: the elements whose content is Markdown; any other
# element's content (<u>, <mark>, <code>, <kbd>, a name HTML does not have: Mono<Response>) is raw.
_PARSED_CONTENT = frozenset(
    [
        *("a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt", "em"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q", "rb"),
        *("rbc", "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup", "th", "tt"),
        *("address", "applet", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl"),
        *("fieldset", "figure", "figcaption", "footer", "form", "header", "hgroup", "iframe", "li", "main"),
        *("map", "menu", "nav", "noscript", "object", "section", "summary", "td"),
    ]
)


def raw_element(state: Any, silent: bool) -> bool:
    """An element whose content kramdown does not parse: its content as written, up to its closing tag
    (or, never closed, to the paragraph's end)."""
    src, pos, end = state.src, state.pos, state.posMax
    if src[pos] != "<" or not (tag := _OPEN_TAG.match(src, pos, end)):
        return False
    name = tag_name(tag[0])
    if not name or name in _PARSED_CONTENT or name in _BLOCK_ELEMENTS or name in VOID:
        return False
    after = _past_element(src, tag, end)
    closing = re.search(r"</[^<>]*>\Z", src[tag.end() : after]) if after > tag.end() else None
    inner_end = after - len(closing[0]) if closing else end
    if not silent:
        for part in (tag[0], _raw_html(src[tag.end() : inner_end]), closing[0] if closing else ""):
            if part:
                state.push("html_inline", "", 0).content = part
    state.pos = after if closing else end
    return True


_BARE_AMPERSAND = re.compile(r"&(?!#?[A-Za-z0-9]+;)")
ANY_TAG = re.compile(_OPEN_TAG.pattern[:-1] + r"/?>|</[A-Za-z][A-Za-z0-9-]*\s*>")  # any tag, <x/> too


def _raw_html(text: str) -> str:
    """Raw content as kramdown writes it: span elements' tags kept, the rest (text, a block element's
    tag, a broken tag) escaped."""
    out, last = [], 0
    for m in ANY_TAG.finditer(text):
        if tag_name(m[0]) in _BLOCK_ELEMENTS:
            continue
        out += [escaped(text[last : m.start()]), m[0]]
        last = m.end()
    return "".join(out) + escaped(text[last:])


def escaped(text: str) -> str:
    """``<``, ``>`` and a bare ``&`` escaped; an entity (``&amp;``, ``&#8217;``) kept as one."""
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _past_element(src: str, tag: re.Match[str], end: int) -> int:
    """Past a span element opening at ``tag``, its content and its closing tag (or past the tag alone)."""
    name = tag_name(tag[0])
    if tag[0].startswith("</") or tag[0].endswith("/>") or not name or name in _BLOCK_ELEMENTS:
        return tag.end()
    depth, pattern = 1, re.compile(rf"<{re.escape(name)}(?=[\s/>])|</{re.escape(name)}\s*>", re.IGNORECASE)
    for m in pattern.finditer(src, tag.end(), end):
        depth += -1 if m[0].startswith("</") else 1
        if depth == 0:
            return m.end()
    return tag.end()


def _closes(src: str, p: int, delim: str, element: str, kind: str) -> bool:
    if src[p - 1].isspace():
        return False
    if element == "em" and src.startswith(delim * 2, p) and not src.startswith(delim * 3, p):
        return False
    return not (kind == "_" and p + len(delim) < len(src) and src[p + len(delim)].isalnum())


def _past_emphasis(src: str, p: int, end: int, stack: list[str]) -> int:
    """Past a nested emphasis starting at ``p`` (or past its run, when it is text)."""
    kind = src[p]
    run = kind * 2 if src[p + 1 : p + 2] == kind else kind
    element = "strong" if len(run) == 2 else "em"
    after = p + len(run)
    if element in stack or (after < end and src[after].isspace()):
        return after
    close = _close(src, after, end, run, element, kind, stack)
    return close + len(run) if close is not None else after


def _past_code(src: str, p: int, end: int) -> int:
    run = len(src[p:end]) - len(src[p:end].lstrip("`"))
    close = src.find("`" * run, p + run, end)
    return close + run if close >= 0 else p + run


def single_backtick(state: Any, silent: bool) -> bool:
    """kramdown's code span: a run of backticks ends at the next run of as many, even inside a longer
    one (one backtick then two: the span ends at the first of the two); one backtick keeps its spaces,
    more lose one each side; a lone backtick after white space (or at the start) and before it is text."""
    pos, src = state.pos, state.src
    if src[pos] != "`":
        return False
    after = pos
    while after < state.posMax and src[after] == "`":
        after += 1
    run = src[pos:after]
    end = src.find(run, after, state.posMax)
    lone = len(run) == 1 and (not pos or src[pos - 1].isspace()) and src[after : after + 1].isspace()
    if lone or end < 0:
        return _text(state, silent, run)
    if not silent:
        content = src[after:end].replace("\n", " ")
        if len(run) > 1:
            content = content.removeprefix(" ").removesuffix(" ")
        token = state.push("code_inline", "code", 0)
        token.markup, token.content = run, content
    state.pos = end + len(run)
    return True


# kramdown's HTML_BLOCK_ELEMENTS: such a tag inside a paragraph is shown as text, not taken as HTML.
_BLOCK_ELEMENTS = frozenset(
    [
        *("address", "article", "aside", "applet", "body", "blockquote", "caption", "col", "colgroup"),
        *("dd", "div", "dl", "dt", "fieldset", "figcaption", "footer", "form", "h1", "h2", "h3", "h4"),
        *("h5", "h6", "header", "hgroup", "hr", "html", "head", "iframe", "legend", "menu", "li", "main"),
        *("map", "nav", "ol", "optgroup", "p", "pre", "section", "summary", "table", "tbody", "td", "th"),
        *("thead", "tfoot", "tr", "ul"),
    ]
)
TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")  # match() anchors it where it starts


def span_html(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    content = str(token.content)
    name = TAG_NAME.match(content)
    if (name and name[1].lower() in _BLOCK_ELEMENTS) or (token.meta or {}).get("stray"):
        return html.escape(content, quote=False)
    return content


def stray_closing_tags(state: Any) -> None:
    """A closing tag with no opening one before it in its paragraph is text in kramdown (``</rant>``)."""
    for block in state.tokens:
        open_names: list[str] = []
        for token in block.children or ():
            if token.type != "html_inline":
                continue
            name = TAG_NAME.match(token.content)
            if name is None:
                continue
            tag = name[1].lower()
            if not token.content.startswith("</"):
                if not token.content.rstrip().endswith("/>"):
                    open_names.append(tag)
            elif tag in open_names:
                del open_names[len(open_names) - 1 - open_names[::-1].index(tag)]
            else:
                token.meta = {**(token.meta or {}), "stray": True}
