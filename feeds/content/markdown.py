"""Markdown bodies to HTML as Hexo's default renderer (hexo-renderer-marked) makes them.

markdown-it-py (CommonMark) set up as marked is by Hexo's defaults: GFM tables,
strikethrough and task lists, ``breaks`` (a single newline is a ``<br>``),
autolinks of bare URLs, and smartypants (curly quotes, en and em dashes, the
ellipsis; markdown-it's own replacements such as ``(c)`` are left out, as
marked has none).  Raw HTML passes through here on purpose; the content
cleaner sanitises the result exactly as it does an HTML body.

Differences from marked that remain: strikethrough is ``<s>``, not ``<del>``;
headings carry no ``id`` (the sanitiser drops ids anyway); smartypants' quote
pairing follows markdown-it's rules at the edges of inline markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_HTML_START = re.compile(r"^\s*<(?:!--|!doctype|[A-Za-z][A-Za-z0-9-]*[\s/>])", re.IGNORECASE)


_DASHES = re.compile(r"---|--|\.\.\.")
_SMART = {"---": "\u2014", "--": "\u2013", "...": "\u2026"}


Options = tuple[bool, bool, bool, bool]  # gfm, breaks, autolink, smartypants: marked's, as Hexo sets them
MARKED = (True, True, True, True)


@lru_cache(maxsize=4)
def _renderer(options: Options) -> MarkdownIt:
    from markdown_it import MarkdownIt  # most sites' bodies are HTML: load it only when needed
    from mdit_py_plugins.tasklists import tasklists_plugin

    gfm, breaks, autolink, smartypants = options
    md = MarkdownIt(
        "commonmark", {"html": True, "linkify": autolink, "breaks": breaks, "typographer": smartypants}
    )
    if gfm:
        md.enable(["table", "strikethrough"]).use(tasklists_plugin)
    if autolink:
        md.enable("linkify")
    if smartypants:
        md.enable("smartquotes").disable("replacements")  # (c), (tm), +-: markdown-it's, not marked's
        md.core.ruler.push("smartypants_dashes", _dashes)
    return md


def _dashes(state: Any) -> None:
    """smartypants' dashes and ellipsis in text (never in code), as marked's smartypants makes them."""
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "text" and ("--" in token.content or "..." in token.content):
                token.content = _DASHES.sub(lambda m: _SMART[m[0]], token.content)


def to_html(text: str, options: Options = MARKED) -> str:
    return str(_renderer(options).render(text))


def is_markdown(body: str, declared: str | None) -> bool:
    """Front matter ``format`` decides; else a body that does not open with a tag is Markdown."""
    if declared in ("markdown", "md"):
        return True
    if declared in ("html", "htm"):
        return False
    return not _HTML_START.match(body)
