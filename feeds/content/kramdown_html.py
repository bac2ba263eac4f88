"""kramdown's HTML blocks where they part from CommonMark's, for markdown-it-py's block parser.

- An HTML block ends with its element's closing tag, not at a blank line; ``<hr>``
  is a block by itself; a line opening with a span element (``<a>``, ``<img>``) or
  a closing tag starts a paragraph.
- ``markdown="1"`` (``block``, ``span``) on a block element: its content is Markdown.
- A closing tag that closes nothing in its block (``</a>`` left over, ``</param>``
  after a void element, ``</bockquote>``) is text, as kramdown shows it.
"""

from __future__ import annotations

import re
from typing import Any

from .kramdown_spans import ANY_TAG, TAG_NAME, VOID, escaped, tag_name

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
    name = TAG_NAME.match(state.src, pos, state.eMarks[start])
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
    token.map, token.info = [start, start + 1], _INSIDE
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
    token.map, token.info = [last, last + 1], _INSIDE
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


_INSIDE = "kramdown-markdown-inside"  # the tags around Markdown content: each closes the other


def block_html(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An HTML block as kramdown writes it: a closing tag that closes nothing in it is shown as text."""
    token = tokens[idx]
    content = str(token.content)
    if token.info == _INSIDE or "</" not in content:
        return content
    opened = content.lstrip().startswith("<") and not content.lstrip().startswith("</")
    out, last, open_names = [], 0, []
    for m in ANY_TAG.finditer(content):
        name = tag_name(m[0])
        if not m[0].startswith("</"):
            if name not in VOID and not m[0].endswith("/>"):
                open_names.append(name)
            continue
        if name in open_names:
            del open_names[len(open_names) - 1 - open_names[::-1].index(name)]
        elif name in VOID or opened:
            out += [content[last : m.start()], escaped(m[0])]
            last = m.end()
    return "".join(out) + content[last:]
