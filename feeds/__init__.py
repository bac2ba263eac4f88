"""feeds: RSS 2.0 and Atom 1.0 feeds for every category of a Hexo blog."""

from __future__ import annotations

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/feeds-project/feeds"
USER_AGENT = f"feeds/{__version__} (+{PROJECT_URL})"
