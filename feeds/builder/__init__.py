"""The driver: a config in, every feed it describes on disk, as little work as the change needs.

The only package that knows about caches (``postcache``, ``contentcache``) and
worker processes (``parallel``).  ``pipeline.build`` runs the stages in order:
scan the source, read the posts that changed (``read``), plan the feeds
(``planning``), clean and render what those feeds show (``render``), write what
changed (``writing``), and say what was done (``report``).
``oneoff`` is the same pipeline for ``feeds convert``, with no cache and no lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exported, lazy_exports

if TYPE_CHECKING:
    from .oneoff import STDIN as STDIN
    from .oneoff import convert as convert
    from .oneoff import list_categories as list_categories
    from .pipeline import build as build
    from .progress import NO_PROGRESS as NO_PROGRESS
    from .progress import Advance as Advance
    from .progress import Progress as Progress
    from .report import BuildReport as BuildReport
    from .rules import rule_name as rule_name

_EXPORTS = {
    "oneoff": ("STDIN", "convert", "list_categories"),
    "pipeline": ("build",),
    "progress": ("NO_PROGRESS", "Advance", "Progress"),
    "report": ("BuildReport",),
    "rules": ("rule_name",),
}
__all__ = exported(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
