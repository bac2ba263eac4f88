"""markdown-it-expandable: a block between ``+++ Title`` and ``+++`` (or ``>>>``) is a ``<details>``.

Written to the rules of the npm package (1.0.2), checked against its output by
tools/renderer_oracle.  The opening line is three or more ``+`` (the block
shows open) or ``>`` (it starts closed) and a title, which becomes the
``<summary>``; the block ends at a line of at least as many of the same marker
and nothing else, or at the end of the enclosing block.  A block with nothing
but blank lines in it is no block (its lines stay text), nor is a title that
ends with the marker run (``+++ x +++`` is inline text).

The package also replaces markdown-it's list rule with its own copy, which gives
lists a level class (which says nothing in a feed, and is left out) and starts a
list's tightness from the state's, not from "tight": a list is loose (each item's
text a paragraph) unless it follows another block with no blank line between,
as its first item's own block, or inside a tight list item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_MARKERS = "+>"


def expandable_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence", "expandable", _expandable, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.add_render_rule("expandable_summary", _summary)
    md.block.ruler.before("list", "expandable_list", _list)


def _list(state: Any, line: int, end: int, silent: bool) -> bool:
    """markdown-it's list, loose where the state is not tight (the package's copy of the rule)."""
    from markdown_it.rules_block import list_block

    first, tight = len(state.tokens), state.tight
    if not list_block(state, line, end, silent):
        return False
    if not silent and not tight:
        level = state.level + 2
        for token in state.tokens[first + 2 :]:
            if token.level == level and token.type in ("paragraph_open", "paragraph_close"):
                token.hidden = False
    return True


def _summary(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """The package puts a no-break space before the title, where its stylesheet draws the marker."""
    title = self.renderInline(tokens[idx].children, options, env)
    return f'<summary><span class="pre-summary">&nbsp;</span>{title}</summary>'


def _expandable(state: Any, line: int, end: int, silent: bool) -> bool:
    start, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    marker = state.src[start : start + 1]
    if not marker or marker not in _MARKERS:
        return False
    run = state.skipCharsStr(start, marker) - start
    title = state.src[start + run : stop].strip()
    if run < 3 or not title or title.endswith(marker * run):
        return False
    if silent:
        return True
    closing, closed, blank = _closing_line(state, line, end, marker, run)
    if blank:
        return False
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "reference", closing  # no lazy line runs past the closing one
    opening = state.push("expandable_open", "details open" if marker == "+" else "details", 1)
    opening.block, opening.markup, opening.map = True, marker * run, [line, closing]
    summary = state.push("expandable_summary", "summary", 0)
    summary.content, summary.children = title, []
    state.md.inline.parse(title, state.md, state.env, summary.children)
    state.md.block.tokenize(state, line + 1, closing)
    state.push("expandable_close", "details", -1).block = True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = closing + closed
    return True


def _closing_line(state: Any, line: int, end: int, marker: str, run: int) -> tuple[int, int, bool]:
    """The line that ends the block, 1 when it is a closing marker (0: the enclosing block ended), and
    whether every line before it that does not open with the marker is blank."""
    blank = True
    while True:
        line += 1
        if line >= end:
            return line, 0, blank
        start, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
        if start < stop and state.sCount[line] < state.blkIndent:
            return line, 0, blank  # a line indented less ends the list item holding the block
        if state.src[start : start + 1] != marker:
            blank = blank and not state.src[start:stop].strip()
            continue
        if state.sCount[line] - state.blkIndent >= 4:
            continue
        after = state.skipCharsStr(start, marker)
        if after - start >= run and state.skipSpaces(after) >= stop:
            return line, 1, blank
