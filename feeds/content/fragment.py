"""One body's HTML as a tree, less the furniture a feed never carries.

A fragment to libxml2's HTML parser, with markup the author left open written
as the text it was typed as (see :mod:`.stray`); comments, scripts, styles,
document heads and what ``content.remove`` selects taken out.
"""

from __future__ import annotations

from lxml import etree

from ..text import xml_safe
from . import stray

# Elements dropped with what they hold: code, styles, and a document's head.  Everything else the
# allow-list refuses (a form, an object, an embed, a theme's own element) loses only its tags: an
# unclosed <form> in a post holds the rest of the post once parsed, and dropping it whole cut
# the entry off mid-sentence.
_DROP = {"script", "style", "noscript", "template", "head", "meta", "link", "title"}


def _elements(xpath: etree.XPath, tree: etree._Element) -> list[etree._Element]:
    found = xpath(tree)
    return [el for el in found if isinstance(el, etree._Element)] if isinstance(found, list) else []


# Plain lxml elements, not lxml.html's HtmlElement: that class is chosen for every node the
# code touches by a lookup written in Python, which was called 230,000 times in a 10,000-post build.
_PARSER = etree.HTMLParser()


def body(markup: str, remove: etree.XPath | None = None, *, last_seen: bool = True) -> etree._Element:
    """The fragment parsed (see :func:`_parse`), less comments, scripts, styles, document heads and
    the like, and what ``remove`` selects.

    Markup left open (see :mod:`.stray`) is written as text and the fragment
    parsed again.  Whether there may be any is mostly seen in the parse, where
    it costs next to nothing (see :func:`.stray.suspect`).  ``last_seen``: look
    for an element of :data:`.stray.RAW_KEPT` left open here (a caller that walks
    the whole tree anyway looks for it itself).
    """
    markup = xml_safe(markup)
    tree = _parse(markup)
    doomed = list(tree.iter(etree.Comment, etree.ProcessingInstruction, *_DROP))
    if stray.suspect(markup, doomed, END) or (last_seen and stray.holds_end(tree, END)):
        typed = stray.as_typed(markup)
        if typed != markup:
            tree = _parse(typed)
            doomed = list(tree.iter(etree.Comment, etree.ProcessingInstruction, *_DROP))
    if remove is not None:
        doomed.extend(_elements(remove, tree))
    for el in doomed:
        if el.getparent() is not None:
            drop(el)
    return tree


END = "</body></html>"


def _parse(markup: str) -> etree._Element:
    """A ``<div>`` holding the fragment; text that libxml2 refuses becomes plain text.

    libxml2 puts a fragment into ``<html><body>``; the body, renamed, is the
    holder, as lxml.html's fragment_fromstring would make it.
    """
    if not markup.strip():
        return etree.Element("div")
    try:
        document = etree.fromstring(f"<html><body>{markup}{END}", _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        document = None
    bodies = document.findall("body") if document is not None else []
    if not bodies:
        holder = etree.Element("div")
        holder.text = markup
        return holder
    body = bodies[0]
    for extra in bodies[1:]:  # `</body><body>` in the markup: its content is the post's too
        _append_text(body, extra.text)
        body.extend(list(extra))
    body.tag = "div"
    body.tail = None  # what libxml2 found after a stray </body>: not part of the fragment
    if body.text is not None and not body.text.strip():
        body.text = None
    return body


def _append_text(holder: etree._Element, text: str | None) -> None:
    """Add ``text`` after everything ``holder`` holds so far."""
    if not text:
        return
    last = holder[-1] if len(holder) else None
    if last is None:
        holder.text = (holder.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def drop(el: etree._Element) -> None:
    """Remove ``el`` and what it holds; the text that followed it stays where it was."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)
