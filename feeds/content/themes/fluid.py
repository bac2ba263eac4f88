"""Fluid's tags (hexo-theme-fluid, scripts/tags), as a feed reader can show them.

``label`` and ``fold`` take ``class@text``; ``btn`` and ``checkbox`` comma-separated
parts (``checkbox text, checked, inline, disabled``); ``group-image`` a count and a
layout, which a feed has no use for.
"""

from __future__ import annotations

from .common import Render, ThemeTag, at, code, commas, inline, labelled, link, quote, text


def note(words: list[str], content: str, render: Render) -> str:
    return quote(render(content))


def label(words: list[str], content: str, render: Render) -> str:
    return f"<mark>{text(at(' '.join(words).split('@'), 1))}</mark>"


def button(words: list[str], content: str, render: Render) -> str:
    parts = commas(words)
    return link(at(parts, 0), text(at(parts, 1)), at(parts, 2))


def group_image(words: list[str], content: str, render: Render) -> str:
    return render(content)


def checkbox(words: list[str], content: str, render: Render) -> str:
    """Its words (Markdown), without the box: a feed carries no form field, as with Markdown's task lists."""
    parts = commas(words[1:] if words[:1] == [","] else words)
    shown = at(parts, 0)
    if shown in ("checked", "true", "false"):
        return ""
    words_html = inline(render, shown).replace("<br>", "")
    return words_html if at(parts, 2) not in ("", "false") else f"<p>{words_html}</p>"


def fold(words: list[str], content: str, render: Render) -> str:
    """Shown open, under its title after the theme's own ▶ (the page's words)."""
    return labelled("▶ " + text(at(" ".join(words).split("@"), 1)), render(content))


def mermaid(words: list[str], content: str, render: Render) -> str:
    return code(content, "mermaid")


TAGS: dict[str, ThemeTag] = {
    "note": note,
    "label": label,
    "btn": button,
    "button": button,
    "groupimage": group_image,
    "gi": group_image,
    "checkbox": checkbox,
    "cb": checkbox,
    "fold": fold,
    "mermaid": mermaid,
}
