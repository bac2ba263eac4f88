"""Values of a site's ``_config.yml`` (Hexo's or Jekyll's) that feeds needs of one type.

Both dialects name folders the same way; what each key means stays in ``hexo.py`` or ``jekyll.py``.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError


def folder_name(raw: dict[str, Any], key: str) -> str | None:
    """A key that must be text (a folder name): None when unset, else the text, else a ConfigError
    naming the key."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConfigError(f"expected a folder name, got {value!r}", key=key)
    return value
