"""Stage 2, cleaning: one post's body in, clean HTML and a plain-text summary out.

Takes the raw body (HTML, or Markdown rendered by markdown-it-py) and the
post's permalink; gives a :class:`~feeds.models.Content` whose HTML is
sanitised by nh3, has absolute URLs, and lacks the site furniture named in
``content.remove``.  Hexo's fenced code and tag plugins are rendered as Hexo
renders them.  Nothing here touches the network; the disk only for an
``{% include_code %}`` file, read from the site's code folder and no other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exported, lazy_exports

if TYPE_CHECKING:
    from .clean import Cleaner as Cleaner
    from .includes import code_file as code_file
    from .includes import code_path as code_path
    from .jekyll import make_cleaner as make_cleaner

_EXPORTS = {"clean": ("Cleaner",), "includes": ("code_file", "code_path"), "jekyll": ("make_cleaner",)}
__all__ = exported(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
