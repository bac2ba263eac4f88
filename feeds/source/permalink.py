"""A post's address as Hexo 8 makes it: the file-name pattern, the permalink pattern, the encoding.

Three of Hexo's rules meet here, each written from its source (hexo-util's
``Permalink``, ``slugize`` and ``encodeURL``; Hexo's post processor and
``post_permalink`` filter):

- ``new_post_name`` (``:title.md``, ``:year-:month-:day-:title.md``…) read
  backwards over a post's path gives its slug and, when the pattern has them,
  the date; a path that does not fit is slugized whole;
- ``permalink`` (``:year/:month/:day/:title/``) is filled from the slug, the
  date, the categories, any front-matter key and ``permalink_defaults``;
- the site URL plus that path is percent-encoded as JavaScript's
  ``encodeURI`` does (so ``!``, ``'``, ``(`` and ``)`` stay as they are), and
  ``pretty_urls`` may drop a trailing ``index.html`` or ``.html``.

Hexo formats the date fields in the time zone of the machine that runs it;
feeds uses ``site.timezone``, which is that zone on the machine of anyone who
set it, and does not move with the machine a build happens to run on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from ..models import strip_extension
from ..urls import BAD_PERCENT

_PARAM = re.compile(r":(\w*[^_\W])", re.ASCII)  # hexo-util's rParam, with JavaScript's ASCII \w
# What new_post_name's date fields may match; any other field matches lazily.
_FILE_FIELDS = {
    "year": r"(\d{4})",
    "month": r"(\d{2})",
    "day": r"(\d{2})",
    "i_month": r"(\d{1,2})",
    "i_day": r"(\d{1,2})",
    "hash": r"([0-9a-f]{12})",
}
# slugize: runs of these become one separator (JavaScript's \s is Unicode, as Python's is).
_SEPARATORS = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'<>,.?/]+""")
_CONTROL = re.compile(r"[\x00-\x1f]")
# Letters Hexo's diacritic table folds that Unicode does not decompose (the rest fold by NFKD).
_FOLD = str.maketrans(
    {"Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "ß": "s", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h",
     "ı": "i", "Ł": "L", "ł": "l", "Ŀ": "L", "ŀ": "l", "Œ": "OE", "œ": "oe", "Ŧ": "T", "ŧ": "t",
     "ſ": "l", "ŉ": "n"}
)  # fmt: skip
# encodeURI leaves these (and letters, digits, -_.~) as they are; '#' and '?' are escaped here,
# where Hexo would start a fragment or a query in the middle of a post's path.
_URI_KEEP = ";,/:@&=+$!*'()"
# What encodeURI escapes (all but letters, digits, "-_.~", _URI_KEEP), and here '%' too: an escape
# already there is kept, and a stray '%' has become "%25" by the time this runs.
_ESCAPED = re.compile(r"[^A-Za-z0-9\-_.~" + re.escape(_URI_KEEP) + "%]+")
_RESERVED_ESCAPE = re.compile(r"(%(?:2[346BCF]|3[ABDF]|40))", re.IGNORECASE)  # decodeURI keeps these
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_SLASHES = re.compile(r"/{2,}")


@lru_cache(maxsize=16)
def _file_pattern(rule: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """hexo-util's Permalink: the rule escaped, each ``:name`` a group; one compile per config."""
    names: list[str] = []

    def field(m: re.Match[str]) -> str:
        names.append(m[1])
        return _FILE_FIELDS.get(m[1], "(.+?)")

    regex = _PARAM.sub(field, re.escape(rule))  # re.escape leaves ':' and name characters alone
    return re.compile(f"^{regex}$", re.DOTALL), tuple(names)


def from_file_name(new_post_name: str, rel: str) -> dict[str, str]:
    """The fields ``new_post_name`` reads from a post's path under ``_posts``; ``title`` is the slug.

    Both lose their extensions first.  A path that does not fit the pattern,
    or fits one without ``:title``, gets its whole path slugized as the slug.
    """
    rule = _rule(new_post_name)
    path = strip_extension(rel)
    if rule == ":title":  # Hexo's default: the whole path is the slug (measured: 6 of a post's 40 µs)
        return {"title": path}
    pattern, names = _file_pattern(rule)
    m = pattern.match(path)
    fields = dict(zip(names, m.groups(), strict=True)) if m else {}
    if "title" not in fields:
        fields["title"] = slugize(path)
    return fields


@lru_cache(maxsize=16)
def _rule(new_post_name: str) -> str:
    return strip_extension(new_post_name)  # one setting per build: not stripped again for every post


_DATE_FORMATS = {
    "year": lambda d: f"{d.year:04d}",
    "month": lambda d: f"{d.month:02d}",
    "day": lambda d: f"{d.day:02d}",
    "hour": lambda d: f"{d.hour:02d}",
    "minute": lambda d: f"{d.minute:02d}",
    "second": lambda d: f"{d.second:02d}",
    "i_month": lambda d: str(d.month),
    "i_day": lambda d: str(d.day),
    "timestamp": lambda d: str(int(d.timestamp())),
}


def post_path(
    pattern: str,
    *,
    slug: str,
    date: datetime,
    title: str,
    category: str,
    meta: Mapping[Any, Any],
    defaults: Mapping[str, str],
) -> str:
    """The path Hexo's post_permalink filter makes from ``pattern`` (before the site URL is added).

    ``date`` is in the site's zone; ``category`` is the last category's slug
    path (or the default category).  Hexo's own placeholders win over
    front-matter keys of the same name, which win over ``permalink_defaults``;
    a name none of them gives is "undefined", as in Hexo.  ``:id`` is the
    front matter's ``id`` or, where Hexo would use its random database id, the
    file name.
    """

    def value(name: str) -> str:
        date_format = _DATE_FORMATS.get(name)
        if date_format is not None:  # the common placeholders first: a link per post, 100,000 posts
            return date_format(date)
        if name == "title":
            return slug
        if name in ("name", "id") and not (name == "id" and meta.get("id") not in (None, "")):
            return slug.rsplit("/", 1)[-1]
        if name == "post_title":
            return slugize(title, 1)
        if name == "hash":
            return _hash(slug, date) if slug else "null"
        if name == "category":
            return category
        if name in meta:
            return js_string(meta[name])
        return defaults.get(name, "undefined")

    parts = _split(pattern)
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        out.append(value(parts[i]))
        out.append(parts[i + 1])
    return "".join(out)


@lru_cache(maxsize=16)
def _split(pattern: str) -> tuple[str, ...]:
    """Literal text and placeholder names, alternating, text first: one split per config, not per post."""
    return tuple(_PARAM.split(pattern))


def _hash(slug: str, date: datetime) -> str:
    return hashlib.sha1(f"{slug}{int(date.timestamp())}".encode()).hexdigest()[:12]


def js_string(value: object, depth: int = 0) -> str:
    """A front-matter value as JavaScript's String() writes it into a permalink.

    Lists nest no deeper than a permalink could use (a YAML alias can make one of millions).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        if depth >= 4:
            return ""
        return ",".join("" if v is None else js_string(v, depth + 1) for v in value[:64])
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def slugize(text: str, transform: int = 0) -> str:
    """hexo-util's slugize: diacritics folded, punctuation runs made one '-', other Unicode kept.

    ``transform`` is Hexo's ``filename_case``: 1 lower case, 2 upper case.
    """
    text = _fold_diacritics(text)
    text = _CONTROL.sub("", text)
    text = _SEPARATORS.sub("-", text).strip("-")
    return text.lower() if transform == 1 else text.upper() if transform == 2 else text


@lru_cache(maxsize=4096)
def _fold_diacritics(text: str) -> str:
    if text.isascii():
        return text
    text = text.translate(_FOLD)
    return "".join(_fold_one(ch) if not ch.isascii() else ch for ch in text)


def _fold_one(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base and base.isascii() and base.isalpha() else ch


def encode_path(path: str) -> str:
    """``encodeURI(decodeURI(path))``: escapes kept once, the rest of what a URI may not hold escaped.

    Segment by segment, cached: folders repeat across an archive's posts.
    """
    return "/".join(_encode_segment(segment) for segment in path.split("/"))


@lru_cache(maxsize=65536)
def _encode_segment(segment: str) -> str:
    text = BAD_PERCENT.sub("%25", _ESCAPES.sub(_decode_run, segment))  # a stray '%' (Hexo throws) is text
    return _ESCAPED.sub(_escape_run, text)


def _escape_run(m: re.Match[str]) -> str:
    """``quote`` on a run of characters a URI may not hold: its UTF-8 bytes as ``%XX`` escapes, made
    in one call rather than one per byte (a post's title segment is a run of them: 8.5 → 5.8 µs)."""
    return "%" + m[0].encode("utf-8", "surrogateescape").hex("%").upper()


def _decode_run(m: re.Match[str]) -> str:
    """decodeURI on one run of escapes: UTF-8 decoded, except escapes of reserved characters."""
    out = []
    for piece in _RESERVED_ESCAPE.split(m[0]):
        if not piece or _RESERVED_ESCAPE.fullmatch(piece):
            out.append(piece)
            continue
        try:
            out.append(bytes.fromhex(piece.replace("%", "")).decode("utf-8"))
        except UnicodeDecodeError:
            out.append(piece)  # not UTF-8: Hexo throws; the escapes are kept as they are
    return "".join(out)


def full_url(site_url: str, path: str, *, trailing_index: bool = True, trailing_html: bool = True) -> str:
    """Hexo's full_url_for: the site URL (no trailing '/'), the path from its root, encoded, made pretty."""
    path = "/" + path
    if "//" in path:
        path = _SLASHES.sub("/", path)
    url = site_url.rstrip("/") + encode_path(path)
    if not trailing_index and url.endswith("index.html"):
        url = url[: -len("index.html")]
    elif not trailing_html and url.endswith(".html") and not url.endswith("index.html"):
        url = url[: -len(".html")]
    return url
