"""Butterfly's tags (hexo-theme-butterfly, scripts/tag), as a feed reader can show them.

Arguments as Butterfly reads them: ``btn``, ``hide*``, ``tabs``, ``gallery``,
``timeline`` and ``chartjs`` take comma-separated parts; ``label``,
``galleryGroup`` and ``inlineImg`` space-separated words (quotes keep a
phrase together); ``flink`` a YAML list.  Hidden content is shown under its
button's words, a gallery as its images, a chart or diagram as its source.
``series`` lists the posts whose front matter names the series, ordered and
numbered as the theme's ``series`` options say (nothing while they are off).
"""

from __future__ import annotations

import re
from typing import Any

from ... import yamltext
from .common import (
    Context,
    Render,
    ThemeTag,
    at,
    attr,
    code,
    commas,
    images,
    inline,
    labelled,
    link,
    quote,
    sections,
    tab_marker,
    tabs,
    text,
    url,
)

_TAB = tab_marker()
_TIMELINE = re.compile(r"<!--\s*timeline\s*(.*?)\s*-->\n(.*?)<!--\s*endtimeline\s*-->", re.DOTALL)
_CHART = re.compile(r"<!--\s*chart\s*-->\n(.*?)<!--\s*endchart\s*-->", re.DOTALL)
_DESC = re.compile(r"<!--\s*desc\s*-->\n(.*?)<!--\s*enddesc\s*-->", re.DOTALL)


def note(words: list[str], content: str, render: Render) -> str:
    """Its words are a colour, an icon and a style: nothing the page shows as text."""
    return quote(render(content))


def tab_group(words: list[str], content: str, render: Render) -> str:
    name = at(commas(words), 0) or "tab"

    def caption(marker: str, number: int) -> str:
        shown, _, icon = marker.partition("@")
        return text(shown) if shown or icon else text(f"{name} {number}")

    return tabs(content, render, caption, _TAB)


def button(words: list[str], content: str, render: Render) -> str:
    parts = commas(words)
    return link(at(parts, 0), text(at(parts, 1)))


def hide_inline(words: list[str], content: str, render: Render) -> str:
    parts = " ".join(words).split(",")
    shown = parts[1] if len(parts) > 1 else "Click"
    return f"<strong>{text(shown)}</strong> {text(parts[0])}"


def hide_block(words: list[str], content: str, render: Render) -> str:
    return labelled(text(" ".join(words).split(",")[0]), render(content))


def hide_toggle(words: list[str], content: str, render: Render) -> str:
    return labelled(text(" ".join(words).split(",")[0]), render(content))


def gallery(words: list[str], content: str, render: Render) -> str:
    parts = commas(words)
    if at(parts, 0) == "url":  # the theme fetches the list of images from there
        return f"<p>{link(at(parts, 1), text(at(parts, 1)))}</p>"
    return images(content)


def gallery_group(words: list[str], content: str, render: Render) -> str:
    name, description, href, image = (at(words, i).strip() for i in range(4))
    src = url(image)
    picture = link(href, f'<img src="{src}" alt="{attr(name)}">') if src else ""
    caption = f"<strong>{link(href, text(name))}</strong><p>{text(description)}</p>"
    return f"<figure>{picture}<figcaption>{caption}</figcaption></figure>"


def timeline(words: list[str], content: str, render: Render) -> str:
    headline = " ".join(words).split(",")[0] if words else ""
    items = []
    for title, body in sections(content, _TIMELINE, render):
        items.append(f"<li>{labelled(inline(render, title), body) if title is not None else body}</li>")
    head = labelled(inline(render, headline), "") if headline.strip() else ""
    return head + (f"<ul>{''.join(items)}</ul>" if items else "")


def inline_img(words: list[str], content: str, render: Render) -> str:
    src = url(at(words, 0))
    return f'<img src="{src}" alt="">' if src else ""


def label(words: list[str], content: str, render: Render) -> str:
    return f"<mark>{text(at(words, 0))}</mark>"


def flink(words: list[str], content: str, render: Render) -> str:
    """A YAML list of groups (``class_name``, ``class_desc``, ``link_list`` of name, link, avatar, descr)."""
    try:
        groups = yamltext.load(content)
    except ValueError:
        groups = None
    if not isinstance(groups, list):
        return render(content)
    return "".join(_flink_group(g) for g in groups if isinstance(g, dict))


def _flink_group(group: dict[str, Any]) -> str:
    out = f"<h4>{text(str(group['class_name']))}</h4>" if group.get("class_name") else ""
    out += f"<p>{text(str(group['class_desc']))}</p>" if group.get("class_desc") else ""
    links = group.get("link_list")
    items = []
    for item in links if isinstance(links, list) else []:
        if not isinstance(item, dict):
            continue
        name, href = str(item.get("name") or ""), str(item.get("link") or "")
        avatar = url(str(item.get("avatar") or ""))
        img = link(href, f'<img src="{avatar}" alt="{attr(name)}">') if avatar else ""
        items.append(f"<dt>{img}{link(href, text(name))}</dt><dd>{text(str(item.get('descr') or ''))}</dd>")
    return out + (f"<dl>{''.join(items)}</dl>" if items else "")


def mermaid(words: list[str], content: str, render: Render) -> str:
    return code(content, "mermaid")


def chartjs(words: list[str], content: str, render: Render) -> str:
    chart = _CHART.search(content)
    if chart is None:
        return render(content)
    desc = _DESC.search(content)
    return code(chart[1], "json") + (render(desc[1]) if desc else "")


def score(words: list[str], content: str, render: Render) -> str:
    """ABC music notation after its optional JSON settings and a ``------`` line."""
    parts = content.strip().split("------", 1)
    return code(parts[-1].strip(), "abc")


def series(words: list[str], content: str, context: Context) -> str:
    """The posts of the series named (else the post's own), as the theme's ``series`` options order
    and number them; nothing while ``series.enable`` is off, the theme's default."""
    order = context.settings.series_order
    posts = context.series.get(at(words, 0) or context.own_series)
    if not order or not posts:
        return ""
    by_title = order.lstrip("-") == "title"
    ordered = sorted(posts, key=lambda p: p[1].upper() if by_title else p[2], reverse=order.startswith("-"))
    items = "".join(f"<li>{link(url, text(title))}</li>" for url, title, _ in ordered)
    return f"<ol>{items}</ol>" if context.settings.series_numbered else f"<ul>{items}</ul>"


TAGS: dict[str, ThemeTag] = {
    "note": note,
    "subnote": note,
    "tabs": tab_group,
    "subtabs": tab_group,
    "subsubtabs": tab_group,
    "btn": button,
    "hideInline": hide_inline,
    "hideBlock": hide_block,
    "hideToggle": hide_toggle,
    "gallery": gallery,
    "galleryGroup": gallery_group,
    "timeline": timeline,
    "inlineImg": inline_img,
    "label": label,
    "flink": flink,
    "mermaid": mermaid,
    "chartjs": chartjs,
    "score": score,
    "series": series,
}
