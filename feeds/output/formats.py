"""Every format through one door: RSS and Atom (``writers``, written as text) and JSON Feed (``jsonfeed``).

The build renders pieces and assembles feeds without knowing how a format is
serialised.  The writers are imported only when an XML format is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..models import FeedInfo
from .entry import Entry, Fragment
from .jsonfeed import assemble_json, render_items, render_json

XML_FORMATS = ("rss", "atom")


def render_pieces(
    formats: Sequence[str], entries: Sequence[Entry], language: str
) -> dict[str, list[Fragment]]:
    """Each entry serialised once per format, in order: the pieces every feed of a share is spliced from.

    ``language`` is the site's: a JSON item names its own only when it differs.
    """
    xml = [fmt for fmt in formats if fmt in XML_FORMATS]
    out: dict[str, list[Fragment]] = {}
    if xml:
        from .writers import render_fragments

        out.update(render_fragments(xml, entries))
    if "json" in formats:
        out["json"] = render_items(entries, language)
    return out


def assemble_feed(fmt: str, info: FeedInfo, updated: datetime, pieces: Sequence[Fragment]) -> bytes:
    """One feed file from its head and its entries' pieces; ``updated``: its newest entry's time."""
    if fmt == "json":
        return assemble_json(info, pieces)
    from .writers import assemble

    return assemble(fmt, info, updated, pieces)


def render_feed(fmt: str, info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """One whole feed in ``fmt`` (rss, atom or json): ``feeds convert``."""
    if fmt == "json":
        return render_json(info, entries)
    from .writers import render

    return render(fmt, info, entries)
