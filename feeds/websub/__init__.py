"""Stage 5, optional: feed URLs that changed in, one WebSub publish notification per hub out.

Takes the URLs of the feeds a build rewrote, the hubs (``websub.hubs``) and the
fetcher's bounds (``fetch.*``); gives how many notifications the hubs took and
how many failed.  A hub that fails is a warning, never an error.  requests is
loaded only when there is something to announce.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exported, lazy_exports

if TYPE_CHECKING:
    from .notify import PublishReport as PublishReport
    from .notify import publish as publish

_EXPORTS = {"notify": ("PublishReport", "publish")}
__all__ = exported(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
