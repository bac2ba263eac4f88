"""Markdown as Jekyll renders it by default: kramdown with GitHub Pages' settings, approximated.

Jekyll's Markdown is kramdown with ``input: GFM`` and ``hard_wrap: false``.
markdown-it-py (CommonMark) is set up here to show what kramdown shows:

- GFM tables and ``~~strikethrough~~``; raw HTML passed on (the cleaner
  sanitises it); no bare-URL links (kramdown makes none); a single newline
  is a space, unless ``hard_wrap``;
- kramdown's typographic symbols and smart quotes (:mod:`feeds.typography`)
  in text, never in code;
- footnotes numbered and linked as kramdown writes them (``1``, and ``↩`` back);
- definition lists; abbreviation definitions (``*[HTML]: …``) shown by no one;
- kramdown's attribute lists (``{: .class}``, ``{:toc}``) and extensions
  (``{::comment}``, ``{::options /}``) dropped from the text; ``{::nomarkdown}``
  passed through as it is; ``$$…$$`` math as MathJax's ``\\(…\\)``/``\\[…\\]``.

HTML blocks and elements follow kramdown's content models (:mod:`.kramdown_html`,
:mod:`.kramdown_spans`). Differences that remain (see docs/jekyll.md): quotes next
to inline markup are decided from their own run of text; broken HTML that kramdown
reads its own way (an element left open across blocks).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..typography import smartify
from . import kramdown_html, kramdown_spans

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

Options = tuple[bool, bool]  # hard_wrap, smart quotes
DEFAULT: Options = (False, True)

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]\n]+\]:.*$")
_BLOCK_IAL = re.compile(r"^ {0,3}\{:(?!:)[^}\n]*\}\s*$")
_TOC = re.compile(r"^ {0,3}(?:[*+-]|1\.)[ \t]+.*\n {0,3}\{:[^}\n]*\btoc\b[^}\n]*\}[ \t]*$", re.MULTILINE)
_SPAN_IAL = re.compile(r"\{:(?!:)[^}\n]*\}")
_COMMENT = re.compile(r"\{::comment\}.*?\{:/(?:comment)?\}", re.DOTALL)
_EXTENSION = re.compile(r"\{::(?:options|nomarkdown)[^}]*/\}|\{::nomarkdown\}|\{:/(?:nomarkdown)?\}")
_TOC_MARK, _NO_TOC = "\x02feeds-toc\x03", "\x02feeds-no-toc\x03"
_HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.DOTALL)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]")
_BLOCK_THEN_TEXT = re.compile(
    r"^(<(blockquote|div|p|h[1-6]|table|ul|ol|dl|pre|section|article|aside|header|footer|figure|form)\b"
    r"[^>]*>.*?</\2\s*>)[ \t]*(\S.*)$",
    re.MULTILINE | re.IGNORECASE,
)
# kramdown's ATX heading starts at the line's first column: an indented one is a paragraph's text.
_INDENTED_ATX = re.compile(r"^( {1,3})(#{1,6}[ \t])", re.MULTILINE)
# A tab after a quote's marker is kramdown's indent (four columns): the line is code, not a list item.
_QUOTED_TAB = re.compile(r"^((?: {0,3}> ?)+)\t", re.MULTILINE)
_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_MATH_MARK = "\x02feeds-math-{}\x03"
_SPACED_URL = re.compile(r"\]\(([^()<>\"'\n]*\s[^()<>\"'\n]*)\)")  # kramdown takes spaces in a link's URL


@lru_cache(maxsize=4)
def _renderer(options: Options) -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    hard_wrap, smart = options
    md = MarkdownIt("commonmark", {"html": True, "breaks": hard_wrap})
    md.enable(["table", "strikethrough"]).use(footnote_plugin).use(deflist_plugin)
    md.inline.ruler.before("backticks", "kramdown_backtick", kramdown_spans.single_backtick)
    md.inline.ruler.at("emphasis", kramdown_spans.emphasis)
    md.inline.ruler.before("html_inline", "kramdown_raw_element", kramdown_spans.raw_element)
    md.block.ruler.at(
        "html_block", kramdown_html.html_block, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.add_render_rule("html_inline", kramdown_spans.span_html)
    md.add_render_rule("html_block", kramdown_html.block_html)
    md.core.ruler.push("kramdown_stray_tags", kramdown_spans.stray_closing_tags)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    md.add_render_rule(
        "footnote_block_open", lambda *_: '<div class="footnotes" role="doc-endnotes">\n<ol>\n'
    )
    md.add_render_rule("footnote_block_close", lambda *_: "</ol>\n</div>\n")
    if smart:
        md.core.ruler.before("text_join", "kramdown_typography", _typography)
    return md


def _footnote_ref(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """kramdown's reference: the footnote's number alone, raised."""
    n = int(tokens[idx].meta["id"]) + 1
    return f'<sup id="fnref:{n}"><a href="#fn:{n}" class="footnote" rel="footnote">{n}</a></sup>'


def _footnote_anchor(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    n = int(tokens[idx].meta["id"]) + 1
    return f' <a href="#fnref:{n}" class="reversefootnote" role="doc-backlink">&#8617;</a>'


# kramdown's HTML_CONTENT_MODEL :raw elements: their text is taken as it is, quotes and all.
_RAW_ELEMENTS = re.compile(r"<(/?)(script|style|math|option|textarea|pre|code|kbd|samp|var)\b", re.IGNORECASE)


def _typography(state: Any) -> None:
    """kramdown's symbols and quotes in text, never in code (Markdown's or HTML's) or a link's URL."""
    for block in state.tokens:
        raw = 0
        for token in block.children or ():
            if token.type == "html_inline" and (m := _RAW_ELEMENTS.match(token.content)):
                raw = max(0, raw - 1) if m[1] else raw + 1
            elif token.type == "text" and not raw and any(c in token.content for c in "'\"-.<>"):
                token.content = smartify(token.content)


def prepare(text: str, maths: list[str]) -> str:
    """kramdown's own syntax that markdown-it does not know, outside fenced code: dropped or translated;
    each ``$$…$$`` is put in ``maths`` (as MathJax reads it) and a placeholder left in its place."""
    out: list[str] = []
    fence = ""
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            out.append(_outside_code("\n".join(chunk), maths))
            chunk.clear()

    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence:
            out.append(line)
            if m and m[2][0] == fence[0] and len(m[2]) >= len(fence):
                fence = ""
            continue
        if m:
            flush()
            fence = m[2]
            out.append(line)
            continue
        chunk.append(line)
    flush()
    return "\n".join(out)


def _outside_code(text: str, maths: list[str]) -> str:
    if "{:" in text:
        text = _TOC.sub(_TOC_MARK, text)  # kramdown's table of contents, filled in after rendering
        text = _COMMENT.sub("", text)
        text = _EXTENSION.sub("", text)
        lines = text.split("\n")
        for i, line in enumerate(lines):  # a heading with .no_toc stays out of the table of contents
            if i and "no_toc" in line and _BLOCK_IAL.match(line) and _ATX.match(lines[i - 1]):
                lines[i - 1] += _NO_TOC
        lines = [ln for ln in lines if not _BLOCK_IAL.match(ln)]
        text = _SPAN_IAL.sub("", "\n".join(lines))
    if "*[" in text:
        text = "\n".join(ln for ln in text.split("\n") if not _ABBREVIATION.match(ln))
    if "</" in text:  # an HTML block ends with its element: text after it on its line is Markdown
        text = _BLOCK_THEN_TEXT.sub(lambda m: f"{m[1]}\n{m[3]}", text)
    if "#" in text:
        text = _INDENTED_ATX.sub(_not_a_heading, text)
    if ">" in text and "\t" in text:
        text = _QUOTED_TAB.sub(lambda m: m[1].rstrip(" ") + "     ", text)
    if "$$" in text:
        text = _MATH.sub(lambda m: _math(m, maths), text)
    if "](" in text:
        text = _SPACED_URL.sub(lambda m: f"](<{m[1]}>)", text)
    if "|" in text:
        text = _tables(text)
    return text


_CODE_SPAN = re.compile(r"(`+).*?\1")
_CELL_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER_ROW = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_NOT_A_ROW = re.compile(r"^(?: {4}|\t| {0,3}(?:[*+-][ \t]|\d+[.)][ \t]|#|>|<))")


def _cells(line: str) -> list[str]:
    """A table line's cells as kramdown splits it: at unescaped pipes outside code spans, an empty
    first cell (a leading pipe) and last cell dropped."""
    hidden = _CODE_SPAN.sub(lambda m: "x" * len(m[0]), line)
    cuts = [m.start() for m in _CELL_PIPE.finditer(hidden)]
    cells = [line[a + 1 if a >= 0 else 0 : b] for a, b in zip([-1, *cuts], [*cuts, len(line)], strict=True)]
    if cells and not cells[0].strip() and line.lstrip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _row(line: str) -> bool:
    return not _NOT_A_ROW.match(line) and bool(_CELL_PIPE.search(_CODE_SPAN.sub("", line)))


def _tables(text: str) -> str:
    """kramdown's tables: lines with a pipe from one block boundary to the next are a table, header
    or not (GFM's needs a delimiter row); given one here, markdown-it shows the same cells."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = i
        if (i == 0 or not lines[i - 1].strip()) and _row(lines[i]):
            while end < len(lines) and lines[end].strip() and _row(lines[end]):
                end += 1
        if (
            end > i
            and (end == len(lines) or not lines[end].strip())
            and not _DELIMITER_ROW.match(lines[i + 1] if i + 1 < end else "")
        ):
            rows = [_cells(line) for line in lines[i:end] if not _DELIMITER_ROW.match(line)]
            width = max(len(r) for r in rows)
            out.append("| " + " | ".join(c.strip() for c in rows[0] + [""] * (width - len(rows[0]))) + " |")
            out.append("|" + "---|" * width)
            out.extend("| " + " | ".join(c.strip() for c in r) + " |" for r in rows[1:])
            i = end
            continue
        out.extend(_item_table(lines, i))
        i += 1
    return "\n".join(out)


_ITEM = re.compile(r"^( {0,3}(?:[*+-]|\d+[.)])[ \t]+)(\S.*)$")


def _item_table(lines: list[str], i: int) -> list[str]:
    """A list item whose whole text is one line with a pipe is a one-row table in kramdown (its text
    is parsed as blocks, and ends at a block boundary); anything else stays as it is."""
    item = _ITEM.match(lines[i])
    after = lines[i + 1] if i + 1 < len(lines) else ""
    if item is None or not _row(item[2]) or (after.strip() and not _ITEM.match(after)):
        return [lines[i]]
    cells = _cells(item[2])
    indent = " " * len(item[1].expandtabs())
    return [item[1] + "| " + " | ".join(c.strip() for c in cells) + " |", indent + "|" + "---|" * len(cells)]


def _not_a_heading(m: re.Match[str]) -> str:
    """An indented ``#`` line outside a list stays text (escaped); inside a list item it is the item's."""
    before = m.string[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
    if before[:1].isspace() or re.match(r"^ {0,3}(?:[*+-]|\d+[.)])[ \t]", before):
        return m[0]
    return m[1] + "\\" + m[2]


def _math(m: re.Match[str], maths: list[str]) -> str:
    """``$$…$$`` alone in its paragraph is display math (``\\[…\\]``), else inline (``\\(…\\)``)."""
    head, tail = m.string[: m.start()].rstrip(" \t"), m.string[m.end() :].lstrip(" \t")
    alone = (not head.strip() or head.endswith("\n\n")) and (not tail.strip() or tail.startswith("\n\n"))
    body = html.escape(m[1].strip() if alone else m[1])
    maths.append(f"\\[{body}\\]" if alone else f"\\({body}\\)")
    return _MATH_MARK.format(len(maths) - 1)


def to_html(text: str, options: Options = DEFAULT) -> str:
    """A Jekyll post's Markdown (its Liquid already rendered) as kramdown would show it."""
    maths: list[str] = []
    rendered = str(_renderer(options).render(prepare(text, maths)))
    for i, math in enumerate(maths):
        rendered = rendered.replace(_MATH_MARK.format(i), math)
    if _TOC_MARK in rendered:
        rendered = rendered.replace(f"<p>{_TOC_MARK}</p>", _toc(rendered)).replace(_TOC_MARK, "")
    return rendered.replace(_NO_TOC, "") if _NO_TOC in rendered else rendered


def _toc(rendered: str) -> str:
    """kramdown's table of contents: a list of the headings (each a link to it), in their order."""
    items = [f"<li>{inner.strip()}</li>" for _, inner in _HEADING.findall(rendered) if _NO_TOC not in inner]
    return f'<ul id="markdown-toc">{"".join(items)}</ul>' if items else ""
