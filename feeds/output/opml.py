"""``feeds.opml``: every feed of the build as one OPML 2.0 subscription list a reader can import.

Outlines follow the category tree.  A category with subcategories is a folder
(an outline with ``text`` only) holding its own feed first, then its
subcategories: readers import folders as folders, while an outline that is a
feed and a folder at once is read differently by each of them.  Categories,
then tags and authors, each sit in a folder of their own under the site feed.

Built with lxml, which escapes every attribute (category names come from
posts), keeps attributes in the order given and writes the same bytes for the
same listings: the file is rewritten only when a feed is added, removed or
renamed, or a count or newest date changes.  (The standard library's
ElementTree wrote the same document, but its serialiser, in Python, took
about 8 ms of a build for 637 feeds; lxml is loaded for the feeds anyway.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from lxml import etree as ET

from ..text import xml_safe
from .listing import GROUPS, Listing, Node, tree
from .xmlentry import rfc2822

SPEC = "http://opml.org/spec2.opml"


def _gmt(moment: datetime) -> str:
    """RFC 822 in UTC, named "GMT" as email.utils writes it, without loading the email package
    (8 ms of a build that changed one post)."""
    return rfc2822(moment.astimezone(UTC)).removesuffix("+0000") + "GMT"


def render_opml(
    title: str, owner: str, listings: Sequence[Listing], preferred: str, updated: datetime | None
) -> bytes:
    """The OPML document; ``preferred`` is the format ``xmlUrl`` names when a feed is written in it.

    ``updated`` (the newest post's date) is ``dateModified``: never the time of
    the build, so an unchanged site gives unchanged bytes.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = xml_safe(title)
    if updated is not None:
        ET.SubElement(head, "dateModified").text = _gmt(updated)
    if owner:
        ET.SubElement(head, "ownerName").text = xml_safe(owner)
    ET.SubElement(head, "docs").text = SPEC
    body = ET.SubElement(root, "body")
    for kind, nodes in tree(listings).items():
        parent = body if kind == "site" else _folder(body, GROUPS[kind])
        for node in nodes:
            _add(parent, node, preferred)
    ET.indent(root, space="  ")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _folder(parent: ET._Element, text: str) -> ET._Element:
    return ET.SubElement(parent, "outline", text=xml_safe(text), title=xml_safe(text))


def _add(parent: ET._Element, node: Node, preferred: str) -> None:
    if node.children:
        parent = _folder(parent, node.listing.name)
    _feed(parent, node.listing, preferred)
    for child in node.children:
        _add(parent, child, preferred)


def _feed(parent: ET._Element, listing: Listing, preferred: str) -> None:
    """One feed: ``xmlUrl`` in the preferred format (else the first written), the others as ``<fmt>Url``."""
    files = {f.fmt: f.url for f in listing.files}
    main = preferred if preferred in files else next(iter(files))
    attrs = {
        "text": xml_safe(listing.name),
        "title": xml_safe(listing.title),
        "type": "rss",  # what OPML calls any feed, Atom included
        "xmlUrl": files[main],
        "htmlUrl": listing.page,
    }
    attrs.update({f"{fmt}Url": url for fmt, url in files.items()})
    ET.SubElement(parent, "outline", attrs)
