"""Keep's tags (hexo-theme-keep, scripts/tags) and Icarus's (hexo-component-inferno's ``message`` and
``tabs``), as a feed reader can show them.

Keep: ``note type title`` (the title, one word or a quoted phrase, is the
note's first line), ``btn color size url`` around the button's words, tabs
whose markers name them as written.  Icarus: ``message`` and each tab take
``key:value`` options, of which ``title`` is text.
"""

from __future__ import annotations

import re

from .common import Render, ThemeTag, at, inline, link, quote, tab_marker, tabs, text

_TAB = tab_marker()
_ICARUS_TAB = re.compile(r"<!--\s*tab\s*(.*?)\s*-->(.*?)<!--\s*endtab\s*-->", re.DOTALL)


def note(words: list[str], content: str, render: Render) -> str:
    return quote(render(content), text(at(words, 1)))


def button(words: list[str], content: str, render: Render) -> str:
    """Keep's button opens its third word in a window; a feed links to it."""
    return link(at(words, 2), content.strip()) if at(words, 2) else content.strip()


def tab_group(words: list[str], content: str, render: Render) -> str:
    return tabs(content, render, lambda marker, number: text(marker), _TAB)


def _options(words: list[str]) -> dict[str, str]:
    """inferno's ``key:value`` words: the value up to a second colon, as it splits them."""
    return {key: value.split(":")[0] for key, _, value in (w.partition(":") for w in words)}


def message(words: list[str], content: str, render: Render) -> str:
    title = _options(words).get("title", "")
    return quote(render(content), inline(render, title) if title else "")


def icarus_tabs(words: list[str], content: str, render: Render) -> str:
    def caption(marker: str, number: int) -> str:
        found = re.findall(r"\"[^\"]*\"|'[^']*'|\S+", marker)
        title = _options([w.strip("'\"") for w in found]).get("title", "")
        return inline(render, title) if title else ""

    return tabs(content, render, caption, _ICARUS_TAB)


TAGS: dict[str, ThemeTag] = {"note": note, "button": button, "btn": button, "tabs": tab_group}
ICARUS_TAGS: dict[str, ThemeTag] = {"message": message, "tabs": icarus_tabs}
