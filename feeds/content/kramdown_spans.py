"""kramdown's span rules where they part from CommonMark's, as markdown-it-py inline rules.

- Emphasis (kramdown's ``parse_emphasis``): a run of one or two ``*`` or ``_``
  opens unless white space follows it (or, for ``_``, a letter precedes it, or
  the same kind is already open); it closes at the first like run not after
  white space (for ``*`` alone, not at a ``**``; for ``_``, not before a letter
  or digit) once something is inside.  CommonMark's flanking rules look at
  punctuation on both sides, which sets CJK text apart: ``**가**나`` is strong in
  kramdown and not in CommonMark, ``**가 **나`` the other way round.
- A single backtick after and before white space is text; a code span of one
  backtick ends at the next backtick and keeps its spaces.
- A block element's tag (``<div>``, ``<head>``) inside a paragraph is text.
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


def _name(tag: str) -> str:
    m = _TAG_NAME.match(tag)
    return m[1].lower() if m else ""


def _ends_outer(src: str, start: int, tag: str) -> bool:
    """A closing tag of a span element left open before ``start`` (kramdown parses an element's
    content by itself: emphasis inside cannot close outside)."""
    name = _name(tag)
    if not tag.startswith("</") or not name or name in _BLOCK_ELEMENTS:
        return False
    before = src[:start]
    opened = len(re.findall(rf"<{re.escape(name)}(?=[\s/>])", before, re.IGNORECASE))
    return opened > len(re.findall(rf"</{re.escape(name)}\s*>", before, re.IGNORECASE))


# kramdown's HTML_ELEMENTS_WITHOUT_BODY: these tags open nothing.
_VOID = frozenset(
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
    name = _name(tag[0])
    if not name or name in _BLOCK_ELEMENTS or name in _VOID or not _OPEN_TAG.fullmatch(tag[0]):
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
    name = _name(tag[0])
    if not name or name in _PARSED_CONTENT or name in _BLOCK_ELEMENTS or name in _VOID:
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
_ANY_TAG = re.compile(_OPEN_TAG.pattern[:-1] + r"/?>|</[A-Za-z][A-Za-z0-9-]*\s*>")  # any tag, <x/> too


def _raw_html(text: str) -> str:
    """Raw content as kramdown writes it: span elements' tags kept, the rest (text, a block element's
    tag, a broken tag) escaped."""
    out, last = [], 0
    for m in _ANY_TAG.finditer(text):
        if _name(m[0]) in _BLOCK_ELEMENTS:
            continue
        out += [_escaped(text[last : m.start()]), m[0]]
        last = m.end()
    return "".join(out) + _escaped(text[last:])


def _escaped(text: str) -> str:
    """``<``, ``>`` and a bare ``&`` escaped; an entity (``&amp;``, ``&#8217;``) kept as one."""
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _past_element(src: str, tag: re.Match[str], end: int) -> int:
    """Past a span element opening at ``tag``, its content and its closing tag (or past the tag alone)."""
    name = _name(tag[0])
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
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")  # match() anchors it where it starts


def span_html(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    content = str(token.content)
    name = _TAG_NAME.match(content)
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
            name = _TAG_NAME.match(token.content)
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


# kramdown's HTML_SPAN_ELEMENTS: a line that starts with one of these is a paragraph, not an HTML block.
_SPAN_ELEMENTS = frozenset(
    [
        *("a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em"),
        *("i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt"),
        *("rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var"),
    ]
)


def html_block(state: Any, start: int, end: int, silent: bool) -> bool:
    """markdown-it's HTML block, but not for a line that opens with a span element's tag (``<a>``,
    ``<img>``, ``<em>``) or a closing tag: kramdown reads that line as the start of a paragraph."""
    from markdown_it.rules_block.html_block import html_block as commonmark_html_block

    pos = state.bMarks[start] + state.tShift[start]
    name = _TAG_NAME.match(state.src, pos, state.eMarks[start])
    if name and (name[1].lower() in _SPAN_ELEMENTS or state.src.startswith("</", pos)):
        return False  # a paragraph; a closing tag no block opened is text in it (stray_closing_tags)
    last = _closing_line(state, start, end, name[1].lower()) if name and state.src[pos + 1] != "/" else None
    if last is None and name and _VOID_BLOCK.match(state.src, pos, state.eMarks[start]):
        last = start  # <hr> has no content: the block is its tag, the next line Markdown again
    if last is None or state.sCount[start] >= 4:
        return bool(commonmark_html_block(state, start, end, silent))
    if name and last > start and (mode := _markdown_inside(state, start, last, name[1].lower())):
        if not silent:
            _parse_inside(state, start, last, mode)
        state.line = last + 1
        return True
    if not silent:  # kramdown's HTML block ends with its element, not at a blank line
        token = state.push("html_block", "", 0)
        token.map = [start, last + 1]
        token.content = state.getLines(start, last + 1, state.blkIndent, True)
    state.line = last + 1
    return True


# kramdown's ``markdown`` attribute on an HTML block element: its content is Markdown (block or span).
_MARKDOWN_ATTR = re.compile(r"""\s+markdown\s*=\s*(?:"(1|block|span)"|'(1|block|span)'|(1|block|span)\b)""")
_SPAN_CONTENT = frozenset(["p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "td", "legend", "caption"])


def _markdown_inside(state: Any, start: int, last: int, name: str) -> str:
    """``block`` or ``span`` when the element opened alone on line ``start`` (closed at the start of
    line ``last``) asks for its content to be read as Markdown, else ``""``."""
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]].rstrip()
    closing = state.src[state.bMarks[last] + state.tShift[last] : state.eMarks[last]]
    m = _MARKDOWN_ATTR.search(first)
    if m is None or not first.endswith(">") or first.count(">") != 1:
        return ""
    if not re.match(rf"</{re.escape(name)}\s*>", closing, re.IGNORECASE):
        return ""
    mode = m[1] or m[2] or m[3]
    return ("span" if name in _SPAN_CONTENT else "block") if mode == "1" else str(mode)


def _parse_inside(state: Any, start: int, last: int, mode: str) -> None:
    """The element's tags as HTML (less the ``markdown`` attribute), its content as Markdown between."""
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]].rstrip()
    token = state.push("html_block", "", 0)
    token.map = [start, start + 1]
    token.content = _MARKDOWN_ATTR.sub("", first, count=1) + "\n"
    if mode == "block":
        line_max, state.lineMax = state.lineMax, last  # a paragraph's lazy lines stop at the element's end
        state.md.block.tokenize(state, start + 1, last)
        state.lineMax = line_max
    elif inner := state.getLines(start + 1, last, state.blkIndent, False).strip():
        token = state.push("inline", "", 0)
        token.map = [start + 1, last]
        token.content, token.children = inner, []
    token = state.push("html_block", "", 0)
    token.map = [last, last + 1]
    token.content = state.getLines(last, last + 1, state.blkIndent, True)


_VOID_BLOCK = re.compile(r"<hr\b[^>]*>[ \t]*$", re.IGNORECASE)


def _closing_line(state: Any, start: int, end: int, name: str) -> int | None:
    """The line where the element opened on line ``start`` closes (same-named ones nested), or None."""
    opening = re.compile(rf"<{re.escape(name)}(?=[\s/>])|</{re.escape(name)}\s*>", re.IGNORECASE)
    depth = 0
    for line in range(start, end):
        text = state.src[state.bMarks[line] : state.eMarks[line]]
        for m in opening.finditer(text):
            depth += -1 if m[0].startswith("</") else 1
            if depth == 0:
                return line
    return None
