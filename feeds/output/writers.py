"""Serialise RSS and Atom feeds: the head (:mod:`.xmlhead`) and each entry (:mod:`.xmlentry`) as text.

A large build puts one post in several feeds (its category, each ancestor, the
site feed) and in both formats: each entry is written once per format and the
same bytes are spliced into every feed that shows it.  Head and entries are
what feedgen and lxml would write for the whole document, byte for byte
(``tests/output/test_writers.py`` holds every feed of the corpus, and generated
odd heads and entries, to the document feedgen writes), so neither is imported
when feeds run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..models import FeedInfo
from .entry import EPOCH, Entry, Fragment, newest
from .xmlentry import atom_entry, rss_item
from .xmlhead import CLOSING, head

__all__ = ["EPOCH", "Entry", "Fragment", "assemble", "newest", "render", "render_fragments"]


def render(fmt: str, info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """The bytes of one feed; ``fmt`` is 'rss' or 'atom'."""
    return assemble(fmt, info, newest(entries), render_fragments([fmt], entries)[fmt])


_WRITERS = {"rss": rss_item, "atom": atom_entry}


def render_fragments(formats: Sequence[str], entries: Sequence[Entry]) -> dict[str, list[Fragment]]:
    """Each entry's serialised element in each format, in order, as it appears inside a feed."""
    out: dict[str, list[Fragment]] = {fmt: [] for fmt in formats}
    for entry in entries:  # both formats of one entry together: they escape the same body
        for fmt in formats:
            out[fmt].append(_WRITERS[fmt](entry).encode())
    return out


def assemble(fmt: str, info: FeedInfo, updated: datetime, fragments: Sequence[Fragment]) -> bytes:
    """A feed from its head and the entries made by :func:`render_fragments`, newest first."""
    return b"".join([head(fmt, info, updated), *fragments, CLOSING[fmt]])
