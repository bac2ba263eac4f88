"""Rules on the values of a :class:`~feeds.config.model.Config`, beyond their types.

It exists so that a wrong URL, zone, format or folder is refused, with its dotted key, before any work
starts, whether the config came from a file (``load.py``) or from command-line flags
(``with_overrides``).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError
from ..text import xml_safe
from .model import _FORMAT_WORDS, FORMATS, Config

RENDERERS = ("marked", "markdown-it", "markdown-it-plus", "kramed", "pandoc")


def validate(config: Config) -> None:
    """Rules on values, beyond their types."""
    if not re.match(r"^https?://[^/\s]+", config.site.url):
        raise ConfigError("must be an absolute http(s) URL such as https://example.com/", key="site.url")
    try:
        ZoneInfo(config.site.timezone)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ConfigError(f"unknown time zone {config.site.timezone!r}", key="site.timezone") from e
    for fmt in config.feeds.formats:
        if fmt not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}: use {_FORMAT_WORDS}", key="feeds.formats")
    if not config.feeds.formats:
        raise ConfigError(f"name at least one of {', '.join(FORMATS)}", key="feeds.formats")
    if config.feeds.opml_format not in FORMATS:
        raise ConfigError("expected rss, atom or json", key="feeds.opml_format")
    if config.feeds.content not in ("full", "summary", "none"):
        raise ConfigError("expected one of full, summary, none", key="feeds.content")
    for key, icon in (("site.icon", config.site.icon), ("site.favicon", config.site.favicon)):
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", icon) and not re.match(r"^https?://[^/\s]+", icon):
            raise ConfigError("must be an http(s) URL or a path on the site", key=key)
    if config.filters.protected not in ("abstract", "omit"):
        raise ConfigError("expected abstract or omit", key="filters.protected")
    if config.content.renderer not in RENDERERS:
        raise ConfigError(f"expected one of {', '.join(RENDERERS)}", key="content.renderer")
    if config.content.math not in ("none", "dollars", "brackets", "double"):
        raise ConfigError("expected one of none, dollars, brackets, double", key="content.math")
    if config.content.preset not in ("default", "commonmark", "zero"):
        raise ConfigError("expected one of default, commonmark, zero", key="content.preset")
    if len(config.content.quotes) != 4:
        raise ConfigError(
            "expected four characters: double and single quotes, open and close", key="content.quotes"
        )
    if config.feeds.order_by not in ("date", "updated"):
        raise ConfigError("expected date or updated", key="feeds.order_by")
    for hub in config.websub.hubs:
        if not re.match(r"^https?://[^/\s]+", hub):
            raise ConfigError(f"{hub!r} is not an absolute http(s) URL", key="websub.hubs")
    if config.posts.dialect not in ("hexo", "jekyll"):
        raise ConfigError("expected hexo or jekyll", key="posts.dialect")
    if config.tags.pattern:
        try:
            re.compile(config.tags.pattern)
        except re.error as e:
            raise ConfigError(f"not a valid regular expression: {e}", key="tags.pattern") from e
    if config.categories.slugs not in ("safe", "hexo"):
        raise ConfigError("expected safe or hexo", key="categories.slugs")
    for fmt, name in config.feeds.file_names.items():
        if fmt not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}: use {_FORMAT_WORDS}", key="feeds.file_names")
        if not _safe_relative(name):
            raise ConfigError(f"{name!r} must be a file name under the output folder", key="feeds.file_names")
        if config.feeds.archive and ("." not in name.rsplit("/", 1)[-1] or name.split("/")[0] == "archive"):
            # Pages are archive/<name's folders>/<stem>/<n>.<ext> beside the feed: a name with no
            # extension, or in archive/, could be taken for a page's folder.
            raise ConfigError(
                f"{name!r}: with feeds.archive a feed's file needs an extension and a folder other "
                "than archive/",
                key="feeds.file_names",
            )
    if not _safe_relative(config.posts.code_dir, empty=True):
        raise ConfigError("must be a folder beside the posts' folder", key="posts.code_dir")
    folders = {"categories.dir": config.categories.dir, "tags.dir": config.tags.dir}
    for key, folder in {**folders, "authors.dir": config.authors.dir}.items():
        if not _safe_relative(folder, empty=True):
            raise ConfigError("must be a folder under the output folder", key=key)
    _validate_feed_sets(config)
    if config.posts.updated_option not in ("mtime", "date", "empty"):
        raise ConfigError("expected one of mtime, date, empty", key="posts.updated_option")
    if config.posts.filename_case not in (0, 1, 2):
        raise ConfigError(
            "expected 0 (as written), 1 (lower case) or 2 (upper case)", key="posts.filename_case"
        )
    positive = {
        "feeds.limit": config.feeds.limit,
        "feeds.summary_length": config.feeds.summary_length,
        "fetch.concurrency": config.fetch.concurrency,
        "fetch.per_host": config.fetch.per_host,
    }
    for key, value in positive.items():
        if value < 1:
            raise ConfigError(f"must be at least 1, got {value}", key=key)
    if not xml_safe(config.site.title).strip():  # control characters alone: nothing a feed can hold
        raise ConfigError("must not be empty", key="site.title")


def _validate_feed_sets(config: Config) -> None:
    """Tag, author and category feeds: counts that make sense, and folders that cannot hold each other's.

    With ``tags.dir`` empty a tag named ``categories`` would write over that
    category tree's top feed, so each kind of feed needs a folder of its own.
    """
    if config.feeds.min_posts < 1:
        raise ConfigError(f"must be at least 1, got {config.feeds.min_posts}", key="feeds.min_posts")
    if config.categories.depth < 0:
        raise ConfigError(
            f"must be 0 (every level) or more, got {config.categories.depth}", key="categories.depth"
        )
    used = {"categories.dir": config.categories.dir.strip("/")}
    if config.feeds.tags:
        used["tags.dir"] = config.tags.dir.strip("/")
    if config.feeds.authors:
        used["authors.dir"] = config.authors.dir.strip("/")
    for key, folder in used.items():
        if key != "categories.dir" and not folder:
            raise ConfigError("must name a folder: these feeds cannot share the output's top", key=key)
        for other, elsewhere in used.items():
            if other != key and folder.casefold() == elsewhere.casefold():
                raise ConfigError(f"must differ from {other} ({elsewhere!r})", key=key)


def _safe_relative(path: str, empty: bool = False) -> bool:
    parts = [p for p in path.strip("/").split("/") if p] if empty else path.split("/")
    return all(p not in ("", ".", "..") and "\\" not in p and "\x00" not in p for p in parts) and (
        empty or bool(parts)
    )
