"""A Jekyll post's URL as Jekyll 4 writes it: the permalink template, its placeholders, slugify, escaping.

The rules are Jekyll's (``Jekyll::URL``, ``Drops::UrlDrop``, ``Utils.slugify``),
written anew: each ``:name`` of the template (or of the post's own
``permalink``) is replaced by its value, escaped as Addressable escapes a
path unless it is plain ``[a-zA-Z0-9./-]``; then ``..`` becomes ``/``, ``./``
goes and runs of ``/`` are squeezed.  A post's entry id is jekyll-feed's
``post.id``: the URL's folder and the slug.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from ..errors import PostError

# Utils::SLUGIFY_*_REGEXP: runs of what each mode does not keep become one hyphen.  \p{M}\p{L}\p{Nd}
# are Python's word characters less '_' (near enough: \w also keeps other numerals).
_DEFAULT = re.compile(r"(?:[^\w]|_)+")
_PRETTY = re.compile(r"[^\w._~!$&'()+,;=@]+")  # '_' is among the kept
_ASCII = re.compile(r"[^A-Za-z0-9]+")
_RAW = re.compile(r"\s+")
_MODES = {"raw": _RAW, "default": _DEFAULT, "pretty": _PRETTY, "ascii": _ASCII, "latin": _ASCII}
_PLAIN = re.compile(r"^[a-zA-Z0-9./-]+$")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
# What Addressable::URI.encode leaves as it is in a path: unreserved, sub-delims, ':', '@', '/', and
# the '?' and '#' that would start a query and a fragment (the first '#' is escaped after).
_SAFE = "-._~!$&'()*+,;=:@/?#"


def slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: runs of what the mode does not keep become one hyphen, trimmed
    (``latin`` transliterates first in Jekyll; here it is ``ascii``)."""
    pattern = _MODES.get(mode)
    if pattern is None:
        return text if cased else text.lower()
    slug = pattern.sub("-", text)
    slug = slug.removeprefix("-").removesuffix("-")
    return slug if cased else slug.lower()


@lru_cache(maxsize=65536)
def escape_path(value: str) -> str:
    """``URL.escape_path``: plain text as it is, else percent-encoded, the first ``#`` too.

    Cached: a site's categories and dates recur in every post's URL."""
    if not value or _PLAIN.match(value):
        return value
    return quote(value, safe=_SAFE).replace("#", "%23", 1)


def placeholders(
    date: datetime, slug: str, file_stem: str, categories: tuple[str, ...], output_ext: str, path: str
) -> dict[str, str]:
    """The values a template's ``:name`` stands for (``Drops::UrlDrop``); ``date`` in the site's zone."""
    unique = list(dict.fromkeys(c.lower() for c in categories))
    return {
        "collection": "posts",
        "path": path,
        "output_ext": output_ext,
        "name": slugify(file_stem),
        "title": slugify(slug or file_stem, "pretty", cased=True),
        "slug": slugify(slug) if slug else slugify(file_stem),
        "categories": "/".join(unique),
        "slugified_categories": "/".join(dict.fromkeys(slugify(c) for c in categories)),
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "i_day": str(date.day),
        "i_month": str(date.month),
        "short_month": date.strftime("%b"),
        "long_month": date.strftime("%B"),
        "short_year": date.strftime("%y"),
        "w_year": date.strftime("%G"),
        "week": date.strftime("%V"),
        "w_day": date.strftime("%u"),
        "short_day": date.strftime("%a"),
        "long_day": date.strftime("%A"),
        "y_day": date.strftime("%j"),
    }


# Configuration::STYLE_TO_PERMALINK: the named styles a site's `permalink` may give.
STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}


def url(template: str, values: dict[str, str], source: Path) -> str:
    """The post's path on the site, as ``URL#to_s`` makes it; PostError for an unknown placeholder."""

    def replace(m: re.Match[str]) -> str:
        name = m[1]
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        found = next((key for key in pool if key in values), None)
        if found is None:
            raise PostError(
                f"the permalink {template!r} has no :{name} (Jekyll has no such placeholder)", path=source
            )
        return escape_path(values[found]) + m[0][len(found) + 1 :]

    path = "/" + _PLACEHOLDER.sub(replace, template)
    path = path.replace("..", "/").replace("./", "")
    return re.sub("/+", "/", path)


def entry_id(path: str, slug: str) -> str:
    """jekyll-feed's ``post.id``: ``File.join(File.dirname(url), slug)``."""
    trimmed = path.rstrip("/") or "/"
    folder = trimmed.rsplit("/", 1)[0] or "/"
    return (folder.rstrip("/") + "/" + slug) if folder != "/" else "/" + slug
