"""The Jekyll dialect: a Jekyll 4 site's posts read as Jekyll reads them, into the same :class:`Post`.

The rules are Jekyll's (``Reader``, ``PostReader``, ``EntryFilter``, ``Document``,
``FrontmatterDefaults``), written anew:

- posts are the files of every ``_posts/`` folder in the site, at any depth
  (``<folder>/_posts/``: the folders above are the post's categories), whose
  name is ``YYYY-MM-DD-slug.ext``; with ``show_drafts`` the files of ``_drafts/``
  too; names starting with ``.``, ``_``, ``#`` or ``~`` (unless ``include``\\ d),
  backups (``~``) and ``exclude``\\ d paths are passed over;
- front matter is YAML between ``---`` lines at the very top (closed by ``---``
  or ``...``); ``defaults:`` scoped by path and type lie under it;
- the date is the file name's, at midnight in the site's zone, unless the front
  matter's ``date`` (with its time and zone) says otherwise; a draft's is its
  file's modification time;
- ``categories``/``category`` and ``tags``/``tag`` are a list or a string split
  at spaces (the singular keys are not split); categories are flat, each its own;
- ``published: false`` leaves a post out unless ``unpublished``; ``future`` is the
  pipeline's, as for Hexo.

Nothing here is shared with the Hexo dialect (``posts.py``) but :class:`Post`
and the small helpers both need (dates, plain titles).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import Config, JekyllSiteConfig
from ..errors import PostError
from ..models import LOCKED, Notice, Post
from ..text import plain_title
from ..typography import smartify
from ..urls import UnsafeURL, http_url
from ..yamltext import YAMLProblem, load
from .dates import parse_date
from .jekyll_collections import MARK, cleaned_path, collection_at
from .jekyll_permalink import STYLES, entry_id, escape_path, placeholders, url
from .jekyll_walk import DATED, DATELESS, DRAFTS, POSTS
from .protection import protection
from .walk import root_of

_FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((?:---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)
FORMAT_MARKDOWN, FORMAT_HTML = "jekyll:markdown", "jekyll:html"
_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def split(text: str, path: str = "") -> tuple[dict[str, Any] | None, str]:
    """(front matter, body): Jekyll's ``YAML_FRONT_MATTER_REGEXP``; None when the file has none."""
    m = _FRONT_MATTER.match(text)
    if m is None:
        return None, text
    try:
        data = load(m[1].split("\n", 1)[1] if "\n" in m[1] else "")
    except YAMLProblem as e:
        raise PostError(f"front matter is not valid YAML: {e}", path=Path(path)) from e
    if data is not None and not isinstance(data, dict):
        raise PostError("front matter is not a mapping of keys", path=Path(path))
    return data or {}, text[m.end() :]


def jekyll_page(rel: str, text: str, rules: JekyllSiteConfig) -> tuple[dict[str, Any], str]:
    """The post's data as Jekyll holds it before its URL is made (defaults, front matter, categories,
    tags; no date yet), and its body: what the reader and Liquid's ``page`` both see."""
    front, rest = split(text, rel)
    inside = collection_at(rules, rel) if rules.collections != "{}" else None
    magic = DRAFTS if f"/{DRAFTS}/" in "/" + rel else POSTS
    holder = rules.collections_dir + "/" if rules.collections_dir else ""
    under = rel[len(holder) :] if holder and rel.startswith(holder) else rel  # relative_path
    categories = (
        [] if inside else [c for c in under.split(magic, 1)[0].split("/") if c]
    )  # categories_from_path
    data: dict[str, Any] = {"categories": categories}
    _merge(data, _defaults(rules.defaults, rel, inside[0] if inside else "posts"))
    _merge(data, front or {})
    listed = [*_list(data.get("categories")), *_plural(data, "category", "categories")]
    data["categories"] = list(dict.fromkeys(_to_s(c) for c in listed if c is not None))
    data["tags"] = [_to_s(t) for t in _plural(data, "tag", "tags") if t is not None]
    return data, rest


def _merge(data: dict[str, Any], other: dict[str, Any]) -> None:
    """``merge_data!``: categories (a string split at spaces) joined to those held; the rest deep-merged."""
    other = dict(other)
    if other.get("categories") is not None:
        if isinstance(other["categories"], str):
            other["categories"] = other["categories"].split()
        if isinstance(data.get("categories"), list):
            other["categories"] = _union(data["categories"], _list(other["categories"]))
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            merged = dict(data[key])
            _merge(merged, value)
            data[key] = merged
        else:
            data[key] = value


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    """Ruby's ``Array#|``: both lists' items, each once, in order (items may be lists)."""
    out: list[Any] = []
    for item in [*first, *second]:
        if item not in out:
            out.append(item)
    return out


def _to_s(value: object) -> str:
    """A value as Ruby's ``to_s`` writes it: a list as its JSON-like inspection, true as true."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str).replace('", "', '", "')
    return str(value)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _plural(data: dict[str, Any], one: str, many: str) -> list[Any]:
    """``Utils.pluralized_array_from_hash``: the singular key as it is, else the plural (a string split)."""
    if one in data and data[one] is not None:
        value = data[one]
    else:
        value = data.get(many)
        value = value.split() if isinstance(value, str) else value
    flat: list[Any] = []
    for item in _list(value):
        flat.extend(_list(item))
    return flat


@lru_cache(maxsize=64)
def _default_sets(text: str) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(text))


def _defaults(text: str, rel: str, kind: str = "posts") -> dict[str, Any]:
    """``FrontmatterDefaults#all`` for a document of collection ``kind`` at ``rel``: the sets that
    apply, narrower paths on top."""
    result: dict[str, Any] = {}
    held: dict[str, Any] | None = None
    for rule in _default_sets(text):
        if rule.get("type") not in (None, kind) or not _in_scope(rule.get("path"), rel):
            continue
        if _precedes(held, rule):
            _merge(result, rule["values"])
            held = rule
        else:
            under = json.loads(json.dumps(rule["values"]))
            _merge(under, result)
            result = under
    return result


def _scope_path(path: object) -> str:
    return path.strip("/") if isinstance(path, str) else ""


def _in_scope(path: object, rel: str) -> bool:
    scope = _scope_path(path)
    if not scope:
        return True
    if "*" in scope:
        parts = rel.split("/")
        return any(fnmatch.fnmatchcase("/".join(parts[:i]), scope) for i in range(1, len(parts) + 1))
    return rel.startswith(scope)


def _precedes(held: dict[str, Any] | None, rule: dict[str, Any]) -> bool:
    """``has_precedence?``: a longer path wins; at equal length one with a type."""
    if held is None:
        return True
    new, old = _scope_path(rule.get("path")), _scope_path(held.get("path"))
    if len(new) != len(old):
        return len(new) >= len(old)
    return "type" in rule or "type" not in held


def parse_text(
    path: Path | str, text: str, config: Config, notes: list[Notice] | None = None, rel: str | None = None
) -> Post | None:
    """One Jekyll post's metadata; None when Jekyll would not publish it (``published: false``)."""
    rel = rel if rel is not None else Path(path).relative_to(config.source).as_posix()
    rules = config.jekyll_site
    try:
        data, rest = jekyll_page(rel, text, rules)
    except PostError as e:
        raise PostError(e.reason, path=Path(path)) from None
    if _flag(data.get("published")) is False and not rules.unpublished:
        return None
    try:
        return _make_post(path, rel, data, rest, config, notes, whole_file=_FRONT_MATTER.match(text) is None)
    except (ValueError, TypeError, OverflowError, UnicodeError) as e:
        raise PostError(f"cannot be used ({type(e).__name__}: {e})", path=Path(path)) from e


def _flag(value: object) -> bool | None:
    """A YAML 1.1 boolean, as Jekyll's Psych reads ``published: no``."""
    if isinstance(value, bool):
        return value
    return _FLAGS.get(value.strip().lower()) if isinstance(value, str) else None


def _make_post(
    path: Path | str,
    rel: str,
    data: dict[str, Any],
    rest: str,
    config: Config,
    notes: list[Notice] | None,
    *,
    whole_file: bool,
) -> Post:
    tz = config.tz
    name = rel.rsplit("/", 1)[-1]
    inside = collection_at(config.jekyll_site, rel) if config.jekyll_site.collections != "{}" else None
    dated = DATED.match(name)  # a draft's or a document's name may carry a date too (populate_title)
    m = dated or (DATELESS.match(name) if inside or f"/{DRAFTS}/" in "/" + rel else None)
    if m is None and not inside:
        raise PostError("not a post's file name (YYYY-MM-DD-title.ext)", path=Path(path))
    file_slug, ext = (dated[2], dated[3]) if dated else (m[1], m[2]) if m else (name, "")
    file_slug = file_slug.rstrip(".")
    date = _date(data.get("date"), dated[1] if dated else None, path, tz)
    slug = str(data.get("slug") or file_slug)
    if data.get("title") is None:  # Jekyll's titleize_slug; a blank title stays blank, as in Jekyll
        data["title"] = " ".join(w[:1].upper() + w[1:].lower() for w in file_slug.split("-"))
    title = plain_title(smartify(str(data["title"])))
    tags = tuple(dict.fromkeys(t for t in data["tags"] if t))
    protected, abstract = protection(data, tags, config.posts)  # as in a Hexo blog: a password, a hide flag
    locked = protected == LOCKED
    if locked and not title:  # the abstract's first words would read as the post's title
        title = file_slug
    markdown = ext.lstrip(".").lower() in rules_ext(config.jekyll_site)
    stem = name[: -len(ext)] if ext else name
    values = placeholders(
        date.astimezone(tz), slug, stem, tuple(data["categories"]), ".html", _cleaned_path(rel, ext)
    )
    own = data.get("permalink")
    site_wide = STYLES.get(config.permalink, config.permalink)  # a style's name, spelled out
    if inside:
        values.update(collection=inside[0], path=cleaned_path(rel, inside[1], ext))
        site_wide = inside[2]
    template = own if isinstance(own, str) and own.strip() else site_wide
    where = url(template, values, Path(path))
    root = config.site.url.rstrip("/")
    link = root + where
    author, email = _author(data, config.jekyll_site)
    updated = parse_date(data.get("last_modified_at"), tz)
    return Post(
        root=root_of(str(path), rel),
        rel=rel,
        title=title,
        date=date,
        updated=max(updated, date) if updated else date,
        permalink=link,
        id=root + entry_id(where, escape_path(slug)),
        categories=tuple((c,) for c in data["categories"] if c),
        tags=tags,
        author=author,
        author_email=email,
        thumbnail=None if locked else _image(data.get("image"), link, path, notes),
        description=str(data["description"])
        if data.get("description") not in (None, "") and not locked
        else None,
        body_format=FORMAT_MARKDOWN if markdown else FORMAT_HTML,
        title_from_body=not title,
        dated_by_mtime=not dated and data.get("date") in (None, ""),  # a draft: its file's mtime
        whole_file=whole_file,
        language=str(data["lang"]).strip()
        if isinstance(data.get("lang"), str) and data["lang"].strip()
        else None,
        own_slug=stem,  # the file name's title part: never the path under the site
        refs=(*(() if locked else _references(rest)), *((MARK + inside[0],) if inside else ())),
        protection=protected,
        abstract=abstract,
    )


def rules_ext(rules: JekyllSiteConfig) -> frozenset[str]:
    return frozenset(e.lower() for e in rules.markdown_ext)


def _cleaned_path(rel: str, ext: str) -> str:
    """``:path``: the path under ``_posts`` without its extension."""
    return rel[: -len(ext)].split(POSTS + "/", 1)[-1].split(DRAFTS + "/", 1)[-1].rstrip(".")


def _date(raw: object, named: str | None, path: Path | str, tz: Any) -> datetime:
    """The front matter's date, else the file name's at midnight in the site's zone (a draft's: its mtime)."""
    if raw not in (None, ""):
        found = parse_date(raw, tz)
        if found is None:
            raise PostError(f"does not have a valid date in the front matter: {raw!r}", path=Path(path))
        return found
    if named is None:
        return datetime.fromtimestamp(int(os.stat(path).st_mtime), UTC).astimezone(tz)
    try:
        year, month, day = (int(p) for p in named.split("-"))
        return datetime(year, month, day, tzinfo=tz)
    except ValueError as e:
        raise PostError(f"the file name's date {named} is not a date", path=Path(path)) from e


def _author(data: dict[str, Any], rules: JekyllSiteConfig) -> tuple[str | None, str | None]:
    """jekyll-feed's: ``author``, else the first of ``authors``, else the site's; a key of
    ``_data/authors.yml`` names its entry; a mapping gives its ``name`` and ``email``."""
    raw = data.get("author")
    if raw in (None, ""):
        listed = data.get("authors")
        raw = listed[0] if isinstance(listed, list) and listed else None
    if raw in (None, ""):
        raw = _site_value(rules, "author")
    known = _authors(rules.authors)
    if isinstance(raw, str | int) and str(raw) in known:
        raw = known[str(raw)]
    if isinstance(raw, dict):
        name = plain_title(raw.get("name") or "") or None
        email = str(raw["email"]).strip() if raw.get("email") else None
        return name, email
    name = plain_title(raw) if raw not in (None, "") else ""
    return name or None, None


@lru_cache(maxsize=8)
def _authors(text: str) -> dict[str, Any]:
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _site_value(rules: JekyllSiteConfig, key: str) -> Any:
    return _authors(rules.site).get(key)


def _image(raw: object, link: str, path: Path | str, notes: list[Notice] | None) -> str | None:
    """jekyll-feed's ``post.image.path | default: post.image``, as an http(s) URL."""
    value = raw.get("path") if isinstance(raw, dict) else raw
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return http_url(value.strip(), link)
    except UnsafeURL as e:
        if notes is not None:
            notes.append(Notice("url", str(path), f"image {value!r} {e}; left out"))
        return None


# {% post_url name %} and {% link path %}: the posts a body names, by file name without extension;
# {% include file %}: a file of _includes (its edits change the entry too).
_REFERENCE = re.compile(r"\{%-?\s*(post_url|link|include)\s+((?:[^%]|%(?!\}))*?)\s*-?%\}")


def _references(text: str) -> tuple[str, ...]:
    if "{%" not in text:
        return ()
    found = set()
    for tag, args in _REFERENCE.findall(text):
        words = args.split()
        if words and tag == "include":
            found.add("code:" + words[0].strip("'\""))
        elif words:
            found.add("post:" + jekyll_post_name(tag, words[0]))
    return tuple(sorted(found))


def jekyll_post_name(tag: str, arg: str) -> str:
    """The post a ``post_url`` or ``link`` argument names, by its file name (a link's less its extension)."""
    name = arg.strip("'\"").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if tag == "link" and "." in name else name
