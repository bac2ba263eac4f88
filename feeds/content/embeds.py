"""Players a post embeds by tag: Hexo's ``iframe`` and hexo-tag-embed's ``youtube``, ``vimeo``, ``gist``
and ``jsfiddle`` (built into Hexo before 7), as Hexo writes them.

An iframe is kept only for the hosts ``content.iframe_hosts`` allows (the
cleaner makes the rest links); a gist, a script a feed cannot carry, is a link.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

Embed = Callable[[list[str], str, Any], str]  # (arguments, content, the tag expansion's state)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def iframe(words: list[str], content: str, state: Any) -> str:
    if not words:
        return ""
    width, height = [*words[1:3], "100%", "300"][:2]
    return f'<iframe src="{_e(words[0])}" width="{_e(width)}" height="{_e(height)}" frameborder="0"></iframe>'


def embed(url: str, *, frame: bool) -> Embed:
    """hexo-tag-embed's players: an iframe (kept only for allowed hosts) or a link to the page."""

    def render(words: list[str], content: str, state: Any) -> str:
        if not words:
            return ""
        target = url.format(quote(words[0], safe="/"))
        if frame:
            return f'<iframe src="{_e(target)}" frameborder="0" allowfullscreen></iframe>'
        return f'<a href="{_e(target)}">{_e(target)}</a>'

    return render


def jsfiddle(words: list[str], content: str, state: Any) -> str:
    """hexo-tag-embed's fiddle: ``{% jsfiddle id [tabs] [skin] %}``, the player's iframe (or its link)."""
    if not words:
        return ""
    tabs, skin = [*(w if w != "default" else "" for w in words[1:3]), "", ""][:2]
    tabs, skin = tabs or "js,resources,html,css,result", skin or "light"
    src = f"https://jsfiddle.net/{quote(words[0], safe='/')}/embedded/{quote(tabs, safe=',')}/{quote(skin)}"
    return f'<iframe src="{_e(src)}" frameborder="0" allowfullscreen></iframe>'
