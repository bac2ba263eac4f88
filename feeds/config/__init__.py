"""Read ``config.yaml`` once into a typed, frozen :class:`Config`.

Everything downstream receives this object; nothing reads the YAML again and
nothing keeps settings in globals.  Validation happens here, at the edge, so an
unknown key or a wrong type is reported with its dotted name (and, for a typo,
the nearest known key) before any work starts.

Code elsewhere imports from ``feeds.config``; the split below is internal.
``model.py`` holds the frozen dataclasses and their defaults,
``load.py`` reads and converts the YAML, ``validate.py`` checks the values.
"""

from __future__ import annotations

from ..errors import ConfigError
from .load import effective, load_config, load_with_sources, locate, with_overrides
from .model import (
    DEFAULT_REMOVE,
    FORMATS,
    THUMBNAIL_KEYS,
    AuthorsConfig,
    CategoriesConfig,
    Config,
    ContentConfig,
    FeedsConfig,
    FetchConfig,
    FiltersConfig,
    JekyllSiteConfig,
    PostsConfig,
    SiteConfig,
    TagsConfig,
    WebsubConfig,
)
from .validate import validate

__all__ = [
    "DEFAULT_REMOVE",
    "FORMATS",
    "THUMBNAIL_KEYS",
    "AuthorsConfig",
    "CategoriesConfig",
    "Config",
    "ConfigError",
    "ContentConfig",
    "FeedsConfig",
    "FetchConfig",
    "FiltersConfig",
    "JekyllSiteConfig",
    "PostsConfig",
    "SiteConfig",
    "TagsConfig",
    "WebsubConfig",
    "effective",
    "load_config",
    "load_with_sources",
    "locate",
    "validate",
    "with_overrides",
]
