"""Stage 4, writing: entries in, feed files on disk out, never half-written.

Takes rendered entries and a feed's header; gives RSS and Atom bytes
(``writers``, written as text) and JSON Feed bytes (``jsonfeed``, on the standard
library), both behind ``formats``.  Takes the list of every feed (``listing``);
gives an OPML subscription list (``opml``), an HTML index page (``index``) and
links to the feeds in the site's own pages (``autodiscovery``).  Writes
atomically (``atomic``: temporary file, fsync, rename; unchanged bytes left
untouched), records what this tool wrote
(``manifest``) and keeps two builds off one output folder (``lock``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exported, lazy_exports

if TYPE_CHECKING:
    from .atomic import Batch as Batch
    from .atomic import same_bytes as same_bytes
    from .atomic import write_atomic as write_atomic
    from .atomic import write_atomic_with as write_atomic_with
    from .autodiscovery import link_pages as link_pages
    from .autodiscovery import pages_current as pages_current
    from .autodiscovery import plan_links as plan_links
    from .entry import EPOCH as EPOCH
    from .entry import Entry as Entry
    from .entry import Fragment as Fragment
    from .formats import assemble_feed as assemble_feed
    from .formats import render_feed as render_feed
    from .formats import render_pieces as render_pieces
    from .index import render_index as render_index
    from .jsonfeed import render_json as render_json
    from .listing import FeedFile as FeedFile
    from .listing import Listing as Listing
    from .lock import BuildLock as BuildLock
    from .manifest import INDEX_NAME as INDEX_NAME
    from .manifest import OPML_NAME as OPML_NAME
    from .manifest import Manifest as Manifest
    from .manifest import Record as Record
    from .manifest import State as State
    from .manifest import all_current as all_current
    from .manifest import clean_temporaries as clean_temporaries
    from .manifest import is_current as is_current
    from .manifest import load_manifest as load_manifest
    from .manifest import record_for as record_for
    from .manifest import remove_stale as remove_stale
    from .manifest import save_manifest as save_manifest
    from .opml import render_opml as render_opml
    from .writers import assemble as assemble
    from .writers import render as render
    from .writers import render_fragments as render_fragments

_EXPORTS = {
    "atomic": ("Batch", "same_bytes", "write_atomic", "write_atomic_with"),
    "autodiscovery": ("link_pages", "pages_current", "plan_links"),
    "index": ("render_index",),
    "listing": ("FeedFile", "Listing"),
    "lock": ("BuildLock",),
    "manifest": (
        "INDEX_NAME",
        "OPML_NAME",
        "Manifest",
        "Record",
        "State",
        "all_current",
        "clean_temporaries",
        "is_current",
        "load_manifest",
        "record_for",
        "remove_stale",
        "save_manifest",
    ),
    "entry": ("EPOCH", "Entry", "Fragment"),
    "formats": ("assemble_feed", "render_feed", "render_pieces"),
    "jsonfeed": ("render_json",),
    "opml": ("render_opml",),
    "writers": ("assemble", "render", "render_fragments"),
}
__all__ = exported(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
