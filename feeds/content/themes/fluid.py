"""Fluid's tags (hexo-theme-fluid, scripts/tags), as a feed reader can show them.

``label`` and ``fold`` take ``class@text``; ``btn`` and ``checkbox`` comma-separated
parts (``checkbox text, checked, inline, disabled``); ``group-image`` a count and a
layout, which a feed has no use for.
"""

from __future__ import annotations

import re

from .common import Render, ThemeTag, at, code, commas, inline, labelled, link, quote, text

_INLINE_NOTE = re.compile(r"\[\^(\d+)\]\((.+?)\)")
_NOTE_TEXT = re.compile(r"\[\^(\d+)\]: ?(.+?)(?=\[\^\d+\]|\n\n|\Z)", re.DOTALL)
_NOTE_MARK = re.compile(r"\[\^(\d+)\]")


def footnotes(body: str, render: Render) -> str:
    """Fluid's footnotes (``post.footnote``, on by default), which it adds before Markdown: each
    ``[^n]`` that has a text (``[^n]: text`` anywhere, or ``[^n](text)`` in place) becomes ``[n]``
    linked to a numbered list of the texts at the end of the post, each with a ``↩`` back."""
    if "[^" not in body:
        return body
    notes: list[tuple[int, str]] = []

    def keep(m: re.Match[str], mark: str = "") -> str:
        notes.append((int(m[1]), m[2].strip()))
        return mark.format(m[1])

    body = _INLINE_NOTE.sub(lambda m: keep(m, "[^{}]"), body)
    body = _NOTE_TEXT.sub(keep, body)
    if not notes:
        return body
    known = {str(n) for n, _ in notes}
    body = _NOTE_MARK.sub(
        lambda m: f'<sup><a href="#fn:{m[1]}">[{m[1]}]</a></sup>' if m[1] in known else m[0], body
    )
    items = "".join(
        f'<li>{inline(render, words).replace("<br>", "")}<a href="#fnref:{n}"> ↩</a></li>'
        for n, words in sorted(notes, key=lambda note: note[0])
    )
    return f"{body}\n\n<section><ol>{items}</ol></section>\n"


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
