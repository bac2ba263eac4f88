"""hexo-renderer-kramed's Markdown: marked 0.3's rules where they part from today's marked.

kramed is a fork of an old marked, and its blogs' bodies show it: emphasis is
found by two regular expressions rather than CommonMark's flanking rules
(``2 * 3 * 4`` is "2 <em> 3 </em> 4", ``snake_case_name _x_`` emphasises from
the first underscore), any ``<word…>`` is a tag (``Map<K,V>`` hides ``<K,V>``),
``##Title`` is a heading, ``1)`` starts no list, a table's rows need not have
its header's cells and it sits in a scrolling ``<div>``, ``~~`` alone strikes
through (as ``<del>``), a backslash before a line break is a backslash, and
smartypants makes ``--`` an em dash.  Each checked against kramed 0.5.6's output
(tools/renderer_oracle).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .kramed_inline import kramed_inline

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# marked 0.3's strong and em, tried at a `*` or `_` where its text rule stops (before every one).
_STRONG = re.compile(r"__([\s\S]+?)__(?!_)|\*\*([\s\S]+?)\*\*(?!\*)")
_EM = re.compile(r"_((?:__|[\s\S])+?)_(?=[^\w]|\Z)|\*((?:\*\*|[\s\S])+?)\*(?!\*)", re.ASCII)


def kramed_rules(md: MarkdownIt, gfm: bool) -> None:
    if gfm:
        md.enable("strikethrough")
        md.block.ruler.before("table", "kramed_table", _table, {"alt": ["paragraph", "reference"]})
        md.add_render_rule("s_open", lambda *_: "<del>")
        md.add_render_rule("s_close", lambda *_: "</del>")
        md.add_render_rule("table_open", lambda *_: '<div class="table-container">\n<table>\n')
        md.add_render_rule("table_close", lambda *_: "</table>\n</div>\n")
    md.add_render_rule("ordered_list_open", lambda *_: "<ol>\n")  # marked 0.3 writes no start number
    md.inline.ruler.before("escape", "kramed_backslash", _backslash)
    md.disable("emphasis")
    md.inline.ruler.before("emphasis", "kramed_emphasis", _emphasis)
    kramed_inline(md, gfm)
    md.block.ruler.before(
        "heading", "kramed_heading", _heading, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.block.ruler.at("list", _list, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("blockquote", _blockquote, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.at("paragraph", _paragraph)
    md.block.ruler.at("fence", _fence, {"alt": ["paragraph", "reference", "blockquote", "list"]})


def prepare(text: str) -> str:
    """kramed's first step: a tab is four spaces, a no-break space a space."""
    return text.replace("\t", "    ").replace("\u00a0", " ").replace("\u2424", "\n")


def _list(state: Any, line: int, end: int, silent: bool) -> bool:
    """marked 0.3's list: an item's bullet needs a space after it (``4.`` alone is text) and ends
    with a dot (``1)`` starts none); any number starts a list, after a paragraph's line too; the list
    ends where marked's expression ends it (a blank line then a line that is not an item)."""
    from markdown_it.rules_block.list import list_block

    start = state.bMarks[line] + state.tShift[line]
    if not _ITEM.match(state.src, start, state.eMarks[line] + 1):
        return False
    if silent:  # an item ends a paragraph however far it is indented, as a heading does
        return True
    if state.sCount[line] - state.blkIndent >= 4:
        return False
    return bool(list_block(state, line, min(end, _list_end(state, line)), silent))


def _list_end(state: Any, line: int) -> int:
    """The line after the list marked 0.3 finds here (where a quote's markers do not interfere)."""
    begin = state.bMarks[line]
    if ">" in state.src[state.src.rfind("\n", 0, begin) + 1 : begin]:
        return int(state.lineMax)
    m = _LIST.match(state.src, begin)
    if m is None:
        return int(state.lineMax)
    return int(line + m[0].rstrip("\n").count("\n") + 1)


_ITEM = re.compile(r" *(?:[*+-]|\d+\.) [\s\S]")
_BULLET = r"(?:[*+-]|\d+\.)"
_DEF = r" *\[[^\]]+\]: *<?[^\s>]+>?(?: +[\"(][^\n]+[\")])? *(?:\n|\Z)"
_LIST = re.compile(
    rf"( *)({_BULLET}) [\s\S]+?(?:\n+(?=\1?(?:[-*_] *){{3,}}(?:\n+|\Z))|\n+(?={_DEF})"
    rf"|\n{{2,}}(?! )(?!\1{_BULLET} )\n*|\s*\Z)"
)


def _blockquote(state: Any, line: int, end: int, silent: bool) -> bool:
    """marked 0.3's quote needs something after its ``>``: a bare ``>`` line is text."""
    from markdown_it.rules_block.blockquote import blockquote

    start = state.bMarks[line] + state.tShift[line]
    if state.src.startswith(">", start) and start + 1 == state.eMarks[line]:
        return False
    return bool(blockquote(state, line, end, silent))


# What ends marked 0.3's paragraph however far it is indented: a heading, a list item.
_INDENTED_END = re.compile(r"#{1,6}|(?:[*+-]|\d+\.) [\s\S]")


def _paragraph(state: Any, line: int, end: int, silent: bool) -> bool:
    """A paragraph ends before a ``#`` line or a list item indented four spaces or more (which is then
    code), where markdown-it continues it."""
    from markdown_it.rules_block.paragraph import paragraph

    stop = line + 1
    while stop < end and not state.isEmpty(stop):
        if state.sCount[stop] - state.blkIndent > 3 and _INDENTED_END.match(
            state.src, state.bMarks[stop] + state.tShift[stop], state.eMarks[stop] + 1
        ):
            break
        stop += 1
    else:
        return bool(paragraph(state, line, end, silent))
    lines, state.lineMax = state.lineMax, stop  # markdown-it's paragraph runs to lineMax
    found = paragraph(state, line, stop, silent)
    state.lineMax = lines
    return bool(found)


# marked 0.3's fence: its closing fence must come (a fence never closed is text), its info one word.
_FENCE = re.compile(r" *(`{3,}|~{3,}) *(\S+)? *\n")


def _fence(state: Any, line: int, end: int, silent: bool) -> bool:
    from markdown_it.rules_block.fence import fence

    m = _FENCE.match(state.src, state.bMarks[line] + state.tShift[line])
    if m is None or not _closed(state, m[1], m.end() + 1):
        return False
    return bool(fence(state, line, end, silent))


def _closed(state: Any, fence: str, after: int) -> bool:
    """Whether ``fence`` (then spaces and a line's end) occurs from ``after`` on: where each fence
    occurs is found once per body, so many fences never closed cost one scan, not one each."""
    found = state.env.setdefault("kramed_fences", {})
    if fence not in found:
        found[fence] = [f.start() for f in re.finditer(re.escape(fence) + r" *(?:\n|\Z)", state.src)]
    places = found[fence]
    return bool(places) and places[-1] >= after


# marked 0.3's GFM tables, with and without the outer pipes: rows need not have the header's cells.
_TABLE = re.compile(r" *\|(.+)\n *\|( *[-:]+[-| :]*)(?:\n|$)((?: *\|.*(?:\n|$))*)")
_NPTABLE = re.compile(r" *(\S.*\|.*)\n *([-:]+ *\|[-| :]*)(?:\n|$)((?:.*\|.*(?:\n|$))*)")
_CELL_SPLIT = re.compile(r" *\| *")


def _table(state: Any, line: int, end: int, silent: bool) -> bool:
    if state.sCount[line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[line]
    m = _TABLE.match(state.src, start) or _NPTABLE.match(state.src, start)
    if m is None:
        return False
    if silent:
        return True
    header = _CELL_SPLIT.split(re.sub(r"^ *| *\| *$", "", m[1]))
    align = [_align(a) for a in _CELL_SPLIT.split(re.sub(r"^ *|\| *$", "", m[2]))]
    rows = re.sub(r"(?: *\| *)?\n$", "", m[3]).split("\n")
    state.push("table_open", "table", 1)
    _row(state, header, align, "th", "thead")
    state.push("tbody_open", "tbody", 1)
    for row in rows:
        _row(state, _CELL_SPLIT.split(re.sub(r"^ *\| *| *\| *$", "", row)), align, "td", "")
    state.push("tbody_close", "tbody", -1)
    state.push("table_close", "table", -1)
    state.line = line + state.src[start : m.end()].count("\n") + (0 if m[0].endswith("\n") else 1)
    return True


def _align(spec: str) -> str:
    if spec.endswith(":"):
        return "center" if spec.startswith(":") else "right"
    return "left" if spec.startswith(":") else ""


def _row(state: Any, cells: list[str], align: list[str], tag: str, section: str) -> None:
    if section:
        state.push(f"{section}_open", section, 1)
    state.push("tr_open", "tr", 1)
    for i, cell in enumerate(cells):
        opening = state.push(f"{tag}_open", tag, 1)
        if i < len(align) and align[i]:
            opening.attrs = {"style": f"text-align:{align[i]}"}
        inline = state.push("inline", "", 0)
        inline.content, inline.children = cell, []
        state.push(f"{tag}_close", tag, -1)
    state.push("tr_close", "tr", -1)
    if section:
        state.push(f"{section}_close", section, -1)


# marked 0.3's heading: no space needed after the #s (`##Chapter`, `#note` are headings).
_HEADING = re.compile(r" *(#{1,6}) *([^\n]+?) *#* *$")


def _heading(state: Any, line: int, end: int, silent: bool) -> bool:
    """Asked whether it ends a paragraph (``silent``), a ``#`` line does however far it is indented
    (the line is then code if indented four spaces): marked 0.3's paragraph stops before it."""
    if state.sCount[line] - state.blkIndent >= 4 and not silent:
        return False
    m = _HEADING.match(state.src, state.bMarks[line] + state.tShift[line], state.eMarks[line])
    if m is None:
        return False
    if silent:
        return True
    tag = f"h{len(m[1])}"
    state.line = line + 1
    state.push("heading_open", tag, 1).map = [line, state.line]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = m[2].strip(), [line, state.line], []
    state.push("heading_close", tag, -1)
    return True


def _backslash(state: Any, silent: bool) -> bool:
    """A backslash at the end of a line is a backslash (the break after it is the line's own)."""
    if state.src[state.pos] != "\\" or not state.src.startswith("\n", state.pos + 1):
        return False
    if not silent:
        state.pending += "\\"
    state.pos += 1
    return True


def _emphasis(state: Any, silent: bool) -> bool:
    """``**strong**``/``__strong__`` then ``*em*``/``_em_`` by marked 0.3's expressions; a marker that
    opens neither is text."""
    if state.src[state.pos] not in "*_":
        return False
    for pattern, tag in ((_STRONG, "strong"), (_EM, "em")):
        m = pattern.match(state.src, state.pos, state.posMax)
        if m is None:
            continue
        if not silent:
            group = 1 if m.start(1) >= 0 else 2
            state.push(f"{tag}_open", tag, 1)
            end = state.posMax
            state.pos, state.posMax = m.start(group), m.end(group)
            state.md.inline.tokenize(state)
            state.posMax = end
            state.push(f"{tag}_close", tag, -1)
        state.pos = m.end()
        return True
    if not silent:
        state.pending += state.src[state.pos]
    state.pos += 1
    return True
