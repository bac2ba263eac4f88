"""Stage 3, optional: thumbnail URLs in, resolved images (final URL, type, length, size) out.

Takes the distinct thumbnail URLs of the posts that show and the ``fetch``
settings; gives an :class:`~feeds.models.Image` per URL it could resolve, from
its own cache (``thumbnails.json``) or one bounded, ranged request each, never
to a private address.  requests is loaded only when fetching is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exported, lazy_exports

if TYPE_CHECKING:
    from .http import describe as describe
    from .http import retry_after as retry_after
    from .resolve import FetchReport as FetchReport
    from .resolve import resolve_thumbnails as resolve_thumbnails

# describe and retry_after serve the WebSub stage too, which sends its own requests with the same bounds.
_EXPORTS = {"http": ("describe", "retry_after"), "resolve": ("FetchReport", "resolve_thumbnails")}
__all__ = exported(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
