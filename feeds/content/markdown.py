"""Markdown bodies to HTML with markdown-it-py: CommonMark plus tables and strikethrough.

Raw HTML inside Markdown passes through here on purpose; the content cleaner
sanitises the result exactly as it does an HTML body.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_HTML_START = re.compile(r"^\s*<(?:!--|!doctype|[A-Za-z][A-Za-z0-9-]*[\s/>])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt  # most sites' bodies are HTML: load it only when needed

    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])


def to_html(text: str) -> str:
    return str(_renderer().render(text))


def is_markdown(body: str, declared: str | None) -> bool:
    """Front matter ``format`` decides; else a body that does not open with a tag is Markdown."""
    if declared in ("markdown", "md"):
        return True
    if declared in ("html", "htm"):
        return False
    return not _HTML_START.match(body)
