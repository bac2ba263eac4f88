"""Read a folder of Hexo posts into :class:`Post` metadata.

Only front matter is kept; the body is read again by :func:`read_body` for the
posts that land in a feed.  One unusable file never stops the others: it
becomes a :class:`PostError` in the result, and the caller reports it.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import PostError
from ..models import LOCKED, CategoryPath, Notice, Post, file_slug, slug_source
from ..text import plain_title, titlecase
from ..urls import UnsafeURL, clean_url, fragment, http_url
from .dates import parse_date
from .fields import author_of, categories_of, tags_of, text_value
from .frontmatter import body_of, decode, parse
from .permalink import from_file_name, full_url, post_path, slugize
from .protection import protection
from .refs import refs_of
from .walk import JEKYLL_FORMATS, read_file, root_of, scan, scan_source

log = logging.getLogger(__name__)

_FILE_DATE_FIELDS = frozenset({"year", "month", "day", "i_month", "i_day", "hash"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):\S+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass(frozen=True)
class ReadResult:
    posts: tuple[Post, ...]
    errors: tuple[PostError, ...]
    drafts: int


def find_posts(source: Path, hexo_hidden: bool = False) -> list[Path]:
    return [Path(f.path) for f in scan(source, hexo_hidden=hexo_hidden)]


def _site_posts(config: Config) -> list[Path]:
    """The posts of the configured site, by its dialect's walk."""
    if config.posts.dialect == "jekyll":
        return [Path(f.path) for f in scan_source(config, stat=False)]
    return find_posts(config.source, config.posts.hexo_hidden)


def read_posts(config: Config, paths: list[Path] | None = None, source: Path | None = None) -> ReadResult:
    """Every post under the source (or just ``paths``, relative to ``source``); drafts are counted."""
    posts: list[Post] = []
    errors: list[PostError] = []
    drafts = 0
    for path in paths if paths is not None else _site_posts(config):
        try:
            post = read_post(path, config, source)
        except PostError as e:
            errors.append(e)
            continue
        except Exception as e:  # whatever one odd post trips over, the others are still read
            errors.append(PostError(f"cannot be used ({type(e).__name__}: {e})"[:300], path=Path(path)))
            continue
        if post is None:
            drafts += 1
        else:
            posts.append(post)
    return ReadResult(tuple(posts), tuple(errors), drafts)


def load_text(path: Path) -> str:
    try:
        data = read_file(os.fspath(path))
    except OSError as e:
        raise PostError(f"cannot read: {e.strerror or e}", path=path) from e
    return decode(data, path)


def read_body(post: Post) -> str:
    """The body of a post read earlier; parses no YAML.

    A locked post's body is never read: its abstract stands in, so that no
    later stage (content, summary, first words for a blank title) can show it.
    """
    if post.protection == LOCKED:
        return post.abstract
    try:
        data = read_file(post.path)
    except OSError as e:
        raise PostError(f"cannot read: {e.strerror or e}", path=Path(post.path)) from e
    return body_from(post, decode(data, post.path))


def body_from(post: Post, text: str, body: str | None = None) -> str:
    """What :func:`read_body` gives for ``post`` from its file's ``text`` (``body``: split off already)."""
    if post.protection == LOCKED:
        return post.abstract
    if post.body_format in JEKYLL_FORMATS:  # the whole file: Liquid's `page` shows its front matter
        return text
    return body if body is not None else body_of(text, post.whole_file)


def read_post(
    path: Path, config: Config, source: Path | None = None, notes: list[Notice] | None = None
) -> Post | None:
    """One post's metadata, None for a draft; PostError when the file cannot be used.

    Warnings go to ``notes`` when given (a worker process hands them back to be
    logged in order), else straight to the log.
    """
    return parse_text_body(path, load_text(path), config, source, notes)[0]


def parse_text_body(
    path: Path | str,
    text: str,
    config: Config,
    source: Path | None = None,
    notes: list[Notice] | None = None,
    rel: str | None = None,
) -> tuple[Post | None, str | None]:
    """One post's metadata from its file's text (None for a draft), and the body :func:`read_body`
    would read again, so that a build can keep the bodies it has in hand rather than open the
    files twice."""
    if config.posts.dialect == "jekyll":
        from .jekyll import parse_text as jekyll_post  # the Jekyll dialect's own rules

        rel = rel if rel is not None else _rel(path, source, config)
        post = jekyll_post(path, text, config, notes, rel)
        return post, body_from(post, text) if post is not None else None
    meta, body = parse(text, path)
    if _flag(meta.get("draft")) is True:
        return None, None
    if _flag(meta.get("published")) is False and not config.posts.render_drafts:
        return None, None  # Hexo keeps it as a draft, shown only with render_drafts
    if rel is None:
        rel = _rel(path, source, config)
    try:
        post = _make_post(path, rel, meta, body, config, notes, whole_file=body == text)
    except (ValueError, TypeError, OverflowError, UnicodeError) as e:  # an odd value we did not foresee
        raise PostError(f"cannot be used ({type(e).__name__}: {e})", path=Path(path)) from e
    return post, body_from(post, text, body)


def _rel(path: Path | str, source: Path | None, config: Config) -> str:
    base, path = source or config.source, Path(path)
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name


_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def _flag(value: object) -> bool | None:
    """A yes/no front matter value; `draft: yes` is a word in YAML 1.2 but surely meant as a flag."""
    if isinstance(value, bool):
        return value
    return _FLAGS.get(value.strip().lower()) if isinstance(value, str) else None


def _warn(notes: list[Notice] | None, kind: str, path: Path | str, text: str) -> None:
    notice = Notice(kind, str(path), text)
    if notes is None:
        log.warning("%s", notice)
    else:
        notes.append(notice)


def _make_post(
    path: Path | str,
    rel: str,
    meta: dict[Any, Any],
    body: str,
    config: Config,
    notes: list[Notice] | None,
    *,
    whole_file: bool,
) -> Post:
    tz = config.tz
    named = from_file_name(config.posts.new_post_name, slug_source(rel))
    slug = named.pop("title")
    file_date = _file_date(named, tz)
    extra = {k: v for k, v in named.items() if k not in _FILE_DATE_FIELDS}
    if extra:  # as in Hexo, the file name's other fields (`:lang`) win over the front matter's
        meta = {**meta, **extra}
    date = parse_date(meta.get("date"), tz)
    updated = parse_date(meta.get("updated"), tz)
    if date is None and meta.get("date") in (None, ""):
        date = file_date
    date_from_mtime = date is None and updated is None
    if date is None:
        date = updated or _mtime(path)
        said = "missing" if meta.get("date") in (None, "") else f"{_shown(meta.get('date'))} is not a date"
        fallback = "its 'updated' date" if updated else "the file's modification time"
        _warn(notes, "date" if said != "missing" else "no-date", path, f"date {said}; using {fallback}")
    categories = categories_of(meta.get("categories", meta.get("category")))
    tags = tags_of(meta.get("tags", meta.get("tag")))
    protected, abstract = protection(meta, tags, config.posts)
    locked = protected == LOCKED  # nothing drawn from the body or a picture of it may show
    title = _title(meta, slug, config)
    if not title and locked:  # the abstract's first words would read as the post's title
        title = plain_title(slug)
        _warn(notes, "title", path, "title is blank; using the file name (the post is locked)")
    elif not title:
        _warn(notes, "title", path, "title is blank; using the start of the body's text")
    link = _link(config, meta, slug, date.astimezone(tz), title, categories)
    author, email = author_of(meta.get("author"))
    description = meta.get("description", meta.get("excerpt"))
    return Post(
        root=root_of(str(path), rel),
        rel=rel,
        title=title,
        date=date,
        updated=max(updated, date) if updated else date,
        permalink=link,
        id=_entry_id(meta, link, path, notes) if config.posts.front_matter_ids else link,
        categories=categories,
        tags=tags,
        author=author,
        author_email=email,
        thumbnail=None if locked else _thumbnail(meta, link, path, notes, config.content.thumbnail_keys),
        description=str(description) if description not in (None, "") and not locked else None,
        body_format=str(meta["format"]).lower() if meta.get("format") else _format_of(rel, config),
        title_from_body=not title,
        dated_by_mtime=date_from_mtime,
        whole_file=whole_file,
        in_feeds=_flag(meta.get("feed")) is not False,
        language=_language(meta.get("lang", meta.get("language"))),
        own_slug=None if slug == file_slug(rel) else slug,
        refs=refs_of("" if locked else body, text_value(meta.get("series"))),
        protection=protected,
        abstract=abstract,
    )


def _language(raw: object) -> str | None:
    """A BCP 47 language tag (``zh-CN``, ``en``) from ``lang`` (Hexo's) or ``language``; anything else
    is no language rather than text a reader would take for one."""
    if isinstance(raw, str) and _LANGUAGE.match(raw.strip()):
        return raw.strip()
    return None


def _shown(value: object) -> str:
    """A front-matter value for a warning: a scalar's repr, cut short; a structure by its kind."""
    if isinstance(value, list | tuple | dict | set):
        return f"a {type(value).__name__}"
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _format_of(rel: str, config: Config) -> str | None:
    """An ``.html`` post is HTML, as Hexo renders it; a Markdown file is Markdown in a Hexo site, and
    elsewhere told by its body (an RSSHub archive keeps HTML in ``.md`` files)."""
    if rel.endswith((".html", ".htm")):
        return "html"
    return None if config.posts.sniff_html else "markdown"


def _file_date(named: dict[str, str], tz: tzinfo) -> datetime | None:
    """Midnight in the site's zone of the date ``new_post_name`` read from the file name, if it has one."""
    month, day = named.get("month") or named.get("i_month"), named.get("day") or named.get("i_day")
    if not (named.get("year") and month and day):
        return None
    try:
        return datetime(int(named["year"]), int(month), int(day), tzinfo=tz)
    except ValueError:  # 2021-02-30: no such day
        return None


def _title(meta: dict[Any, Any], slug: str, config: Config) -> str:
    """The front matter's title; the slug when it has none and ``use_slug_as_post_title`` says so."""
    raw = meta.get("title")
    if "title" not in meta and config.posts.use_slug_as_post_title:
        raw = slug
    title = plain_title(raw, keep_spaces=True)
    wanted = _flag(meta.get("titlecase"))
    if title and (wanted if wanted is not None else config.posts.titlecase):
        title = titlecase(title)
    return title


def _link(
    config: Config,
    meta: dict[Any, Any],
    slug: str,
    date: datetime,
    title: str,
    categories: tuple[CategoryPath, ...],
) -> str:
    """The post's URL: its front-matter ``permalink`` (a path on the site) or the permalink pattern.

    ``date`` is in the site's zone.
    """
    own = meta.get("permalink")
    posts = config.posts
    if isinstance(own, str) and own.strip():
        path = own.strip()
    else:
        last = categories[-1] if categories else None
        category = _category_slug(last, config) if last and ":category" in config.permalink else ""
        path = post_path(
            config.permalink,
            slug=slug,
            date=date,
            title=title,
            category=category or posts.default_category,
            meta=meta,
            defaults=posts.permalink_defaults,
        )
    if posts.post_asset_folder and not path.endswith(("/", ".html")):
        path += "/"
    return full_url(
        config.site.url, path, trailing_index=posts.trailing_index, trailing_html=posts.trailing_html
    )


def _category_slug(levels: CategoryPath, config: Config) -> str:
    """Hexo's category slug path: each level through ``category_map``, then slugize."""
    mapping, case = config.categories.map, config.posts.filename_case
    return "/".join(slugize(mapping.get(name, name), case) for name in levels)


def _mtime(path: Path | str) -> datetime:
    """Hexo's fallback for an undated post: stable as long as the file is not touched."""
    return datetime.fromtimestamp(int(os.stat(path).st_mtime), UTC)


def _thumbnail(
    meta: dict[Any, Any], link: str, path: Path | str, notes: list[Notice] | None, keys: tuple[str, ...]
) -> str | None:
    """The first non-empty thumbnail key, as an http(s) URL; any other URL is left out with a warning.

    A relative URL is resolved against the permalink, so with ``post_asset_folder`` a bare file
    name names the post's asset, as Hexo serves it.  A list (``photos``) gives its first.
    """
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("url") or value.get("src")
        if isinstance(value, str) and value.strip():
            try:
                return http_url(value, link)
            except UnsafeURL as e:
                _warn(notes, "url", path, f"{key} {value!r} {e}; left out")
                return None
    return None


def _entry_id(meta: dict[Any, Any], link: str, path: Path | str, notes: list[Notice] | None) -> str:
    """The front matter's own id when it gives one, else the permalink.

    An id is an address only when it is an http(s) URL (checked as a thumbnail
    is), a ``urn:`` or a ``tag:`` URI; any other ``scheme:`` (``javascript:``,
    ``data:``) is kept as a name under the permalink, as a plain name is, so no
    reader that follows a guid is sent there.
    """
    for key in ("id", "guid", "uuid"):
        value = meta.get(key)
        if value is None or str(value).strip() == "":
            continue
        text = str(value).strip()
        if _UUID.match(text):
            return f"urn:uuid:{text.lower()}"
        scheme = _SCHEME.match(text)
        if scheme and scheme[1].lower() in ("http", "https"):
            try:
                return http_url(text, link)
            except UnsafeURL as e:
                _warn(notes, "url", path, f"{key} {text!r} {e}; using the permalink")
                return link
        if scheme and scheme[1].lower() in ("urn", "tag"):
            return clean_url(text)
        if scheme:
            _warn(notes, "url", path, f"{key} {text!r} is not an http(s), urn: or tag: URI; kept as a name")
        return f"{link}#{fragment(text)}"
    return link
