"""NexT's tags (hexo-theme-next, scripts/tags), as a feed reader can show them.

Arguments as NexT reads them: ``button`` and ``tabs`` take comma-separated
parts, ``label`` ``class@text``, a tab's marker ``caption@icon``, ``note`` up
to two style words before an optional title (shown as the note's first line,
where NexT folds the note under it), ``caniuse`` ``feature@periods``.
"""

from __future__ import annotations

from urllib.parse import quote as quote_url

from .common import (
    Context,
    Render,
    ThemeTag,
    at,
    attr,
    code,
    commas,
    inline,
    link,
    quote,
    tab_marker,
    tabs,
    text,
    url,
)

_NOTE_WORDS = ("default", "primary", "info", "success", "warning", "danger", "no-icon")
_TAB = tab_marker()


def note(words: list[str], content: str, render: Render) -> str:
    rest = list(words)
    for _ in range(2):
        if rest and rest[0] in _NOTE_WORDS:
            rest.pop(0)
    title = inline(render, " ".join(rest)) if rest else ""
    return quote(render(content), title)


def tab_group(words: list[str], content: str, render: Render) -> str:
    name = at(commas(words), 0)

    def caption(marker: str, number: int) -> str:
        shown, _, icon = marker.partition("@")
        return text(shown) if shown.strip() or icon.strip() else text(f"{name} {number}")

    return tabs(content, render, caption, _TAB)


def button(words: list[str], content: str, render: Render) -> str:
    parts = commas(words)
    return link(at(parts, 0), text(at(parts, 1)), at(parts, 3))


def label(words: list[str], content: str, context: Context) -> str:
    """NexT writes the text as it is: inside a block tag (a note) Markdown then reads it with the
    block's content (``\\<`` is ``<``, ``...`` may be an ellipsis); elsewhere the page shows it."""
    shown = at(" ".join(words).split("@"), 1)
    return f"<mark>{inline(context, shown) if context.nested and shown.strip() else text(shown)}</mark>"


def video(words: list[str], content: str, render: Render) -> str:
    src = url(at(words, 0))
    if not src:
        return ""
    poster = url(at(words, 1))
    return f'<video src="{src}"' + (f' poster="{poster}"' if poster else "") + " controls></video>"


def pdf(words: list[str], content: str, render: Render) -> str:
    """NexT embeds a viewer; a feed gets a link to the file."""
    return link(at(words, 0), text(at(words, 0)))


def mermaid(words: list[str], content: str, render: Render) -> str:
    head = " ".join(words)
    return code((head + "\n" if head else "") + content.strip("\n"), "mermaid")


def wavedrom(words: list[str], content: str, render: Render) -> str:
    return code(content, "wavedrom")


def link_grid(words: list[str], content: str, render: Render) -> str:
    """``name | url | description | image`` a line; NexT shows the name and the description (or url)."""
    image, delimiter, comment = at(words, 0) or "/images/avatar.gif", at(words, 1) or "|", at(words, 2) or "%"
    items = []
    for line in content.splitlines():
        item = [part.strip() for part in line.split(delimiter)]
        if not line.strip() or item[0].startswith(comment):
            continue
        picture = url(at(item, 3) or image)
        img = f'<img src="{picture}" alt="{attr(item[0])}">' if picture else ""
        name = link(at(item, 1), text(item[0]))
        items.append(f"<li>{img}<p>{name}</p><p>{text(at(item, 2) or at(item, 1))}</p></li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def group_picture(words: list[str], content: str, render: Render) -> str:
    return render(content)


def center_quote(words: list[str], content: str, render: Render) -> str:
    return quote(render(content))


def caniuse(words: list[str], content: str, render: Render) -> str:
    """NexT's embed, which the cleaner keeps or makes a link as it does every iframe."""
    feature, _, periods = "".join(words).partition("@")
    if not feature:
        return ""
    src = "https://caniuse.bitsofco.de/embed/index.html?feat={}&periods={}&accessible-colours=false".format(
        quote_url(feature), quote_url(periods or "current", safe=",")
    )
    return f'<iframe src="{attr(src)}" width="100%" height="400px"></iframe>'


TAGS: dict[str, ThemeTag] = {
    "note": note,
    "subnote": note,
    "tabs": tab_group,
    "subtabs": tab_group,
    "subsubtabs": tab_group,
    "button": button,
    "btn": button,
    "label": label,
    "video": video,
    "pdf": pdf,
    "mermaid": mermaid,
    "wavedrom": wavedrom,
    "linkgrid": link_grid,
    "lg": link_grid,
    "grouppicture": group_picture,
    "gp": group_picture,
    "centerquote": center_quote,
    "cq": center_quote,
    "caniuse": caniuse,
    "can": caniuse,
}
