"""The tags of the themes Hexo blogs use most, by theme name (Hexo's ``theme:``, in ``content.theme``).

A theme registers its tags when Hexo loads it, so which ``{% note %}`` a post
means depends on the blog's theme: NexT's, Butterfly's and Fluid's notes take
different arguments.  :func:`theme_tags` gives the tags of one theme; a theme
not here has none, and its tags keep their content (see ``tags.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from .common import Context, Render, Series, Settings, ThemeTag, text_words

__all__ = [
    "THEMES",
    "Context",
    "Render",
    "Series",
    "Settings",
    "ThemeTag",
    "before_render",
    "text_words",
    "theme_tags",
]

# Each theme's tags, by the module and the name they are in: a theme's module is loaded only by a
# blog of that theme (all four took 5 ms of every build that cleans a post).
THEMES: Mapping[str, tuple[str, str]] = {
    "next": ("next", "TAGS"),
    "butterfly": ("butterfly", "TAGS"),
    "fluid": ("fluid", "TAGS"),
    "keep": ("keep", "TAGS"),
    "icarus": ("keep", "ICARUS_TAGS"),
}
_NONE: Mapping[str, ThemeTag] = {}


def before_render(settings: Settings, body: str, render: Render) -> str:
    """What a theme does to a post's Markdown before Hexo renders it (Fluid's footnotes)."""
    if not settings.footnotes:
        return body
    from .fluid import footnotes

    return footnotes(body, render)


def theme_tags(theme: str) -> Mapping[str, ThemeTag]:
    """The tags of ``theme`` (as Hexo names it: the folder or package ``hexo-theme-<name>``)."""
    name = theme.strip().lower().removeprefix("hexo-theme-")
    if name not in THEMES:
        return _NONE
    module, attribute = THEMES[name]
    tags: Mapping[str, ThemeTag] = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    return tags
