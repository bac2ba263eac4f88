"""A Jekyll site's ``_config.yml`` as feeds' own settings: ``feeds build`` in a Jekyll site just works.

Each Jekyll key maps onto the feeds key that does the same job; jekyll-feed's
``feed:`` section gives the feeds' places (``feed.xml``, ``feed/<category>.xml``,
``feed/by_tag/<tag>.xml``), the entries' count and whether bodies show.
Jekyll's reading rules that have no feeds key of their own (front-matter
``defaults``, ``exclude``, ``excerpt_separator``, ``_data/authors.yml``, the
``site`` values Liquid shows) go to the ``jekyll_site`` section, read only by
the Jekyll dialect of the source stage.  Unlike jekyll-feed, a feed is written
for every category, not only the ones ``feed.categories`` lists.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError
from ..yamltext import YAMLProblem, load
from .sitevalues import folder_name

log = logging.getLogger(__name__)

Raw = dict[str, Any]
Put = Callable[[str, Any, str], None]

# Jekyll's own excludes, added to a site's `exclude` (Configuration::DEFAULT_EXCLUDES).
DEFAULT_EXCLUDES = (
    *(".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules"),
    *("vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"),
)
POSTS_LIMIT = 10  # jekyll-feed's posts_limit when the site names none
_FEED_KEYS = {"path", "posts_limit", "excerpt_only", "categories", "tags", "collections"}
_FEED_IGNORED = {"disable_in_development", "icon", "logo"}
_TAG_NAME = "[A-Za-z0-9_]+"  # jekyll-feed writes tag feeds only for such names, to keep their paths simple


def from_jekyll(path: Path, jekyll: Raw) -> tuple[Raw, dict[str, str]]:
    """feeds' raw settings from a parsed Jekyll ``_config.yml`` at ``path``, and where each came from."""
    out: Raw = {}
    sources: dict[str, str] = {}
    folder = path.resolve().parent

    def put(dotted: str, value: Any, key: str) -> None:
        section, _, name = dotted.rpartition(".")
        (out.setdefault(section, {}) if section else out)[name] = value
        sources[dotted] = f"{path.name}: {key}"

    source = folder / (folder_name(jekyll, "source") or ".")
    put("posts.dialect", "jekyll", "(a Jekyll site)")
    put("source", str(source), "source")
    put("output", str(folder / (folder_name(jekyll, "destination") or "_site")), "destination")
    put("cache", str(folder / ".feeds-cache"), "(the site's folder)")
    put("permalink", _permalink(jekyll.get("permalink")), "permalink")
    put("posts.future", jekyll.get("future") is True, "future")
    put("posts.render_drafts", jekyll.get("show_drafts") is True, "show_drafts")
    put("categories.slugs", "safe", "(jekyll-feed names a category's feed after the category)")
    _site(jekyll, put)
    _rules(jekyll, source, put)
    _feed(jekyll.get("feed"), path, put)
    _collections(jekyll, path, put)
    return out, sources


def _site(jekyll: Raw, put: Put) -> None:
    title = jekyll.get("title") or jekyll.get("name")
    if title:
        put("site.title", str(title), "title" if jekyll.get("title") else "name")
    if jekyll.get("description"):
        put("site.description", str(jekyll["description"]), "description")
    author = jekyll.get("author")
    name = author.get("name") if isinstance(author, dict) else author
    if isinstance(name, str) and name.strip():
        put("site.author", name.strip(), "author")
    if isinstance(jekyll.get("lang"), str) and jekyll["lang"].strip():
        put("site.language", jekyll["lang"].strip(), "lang")
    zone = jekyll.get("timezone")
    if zone and _known_zone(str(zone)):
        put("site.timezone", str(zone), "timezone")
    elif zone:  # Ruby reads a TZ it does not know as UTC, and so does Jekyll
        log.warning(
            "_config.yml: timezone %r is not a time zone; dates are read in UTC, as Jekyll does", zone
        )
    url = jekyll.get("url")
    if isinstance(url, str) and url.strip():
        base = jekyll.get("baseurl")
        base = base.strip("/") if isinstance(base, str) else ""
        put("site.url", url.strip().rstrip("/") + "/" + (base + "/" if base else ""), "url, baseurl")
    else:
        log.warning("Jekyll's _config.yml names no url: the feeds' links use site.url")


def _rules(jekyll: Raw, source: Path, put: Put) -> None:
    """Jekyll's reading rules, for the Jekyll dialect alone."""
    for key in ("exclude", "include"):
        listed = jekyll.get(key)
        if listed is not None and not isinstance(listed, list):
            raise ConfigError("expected a list of paths", key=key)
    exclude = [str(e) for e in jekyll.get("exclude") or []]
    if jekyll.get("exclude") is not None:  # Jekyll adds its own only to a site's list
        exclude += [e for e in DEFAULT_EXCLUDES if e not in exclude]
    put("jekyll_site.exclude", exclude, "exclude")
    put("jekyll_site.include", [str(e) for e in jekyll.get("include") or []], "include")
    separator = jekyll.get("excerpt_separator")
    if separator is not None:
        put("jekyll_site.excerpt_separator", str(separator), "excerpt_separator")
    put("jekyll_site.unpublished", jekyll.get("unpublished") is True, "unpublished")
    ext = jekyll.get("markdown_ext")
    if isinstance(ext, str) and ext.strip():
        put("jekyll_site.markdown_ext", [e.strip() for e in ext.split(",") if e.strip()], "markdown_ext")
    defaults = jekyll.get("defaults")
    if isinstance(defaults, list):
        put("jekyll_site.defaults", _json(_default_sets(defaults)), "defaults")
    authors = _data(source, "authors")
    if authors:
        put("jekyll_site.authors", _json(authors), "_data/authors.yml")
    put("jekyll_site.site", _json({k: v for k, v in jekyll.items() if k not in ("defaults",)}), "(every key)")
    kramdown = jekyll.get("kramdown")
    if isinstance(kramdown, dict):
        if isinstance(kramdown.get("hard_wrap"), bool):
            put("jekyll_site.hard_wrap", kramdown["hard_wrap"], "kramdown.hard_wrap")
        if kramdown.get("smart_quotes") is False or kramdown.get("typographic_symbols") is False:
            put("jekyll_site.smart_quotes", False, "kramdown.smart_quotes")


def _default_sets(sets: list[Any]) -> list[Raw]:
    """Jekyll's valid front-matter default sets (a mapping with ``values``), scope flattened."""
    out = []
    for entry in sets:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            log.warning("_config.yml: a front-matter default set without values is ignored: %r", entry)
            continue
        scope: Raw = entry["scope"] if isinstance(entry.get("scope"), dict) else {}
        kind = scope.get("type")
        kind = {"post": "posts", "draft": "drafts", "page": "pages"}.get(str(kind), kind)
        rule: Raw = {"values": entry["values"]}
        if isinstance(scope.get("path"), str):
            rule["path"] = scope["path"]
        if kind is not None:
            rule["type"] = str(kind)
        out.append(rule)
    return out


def _data(source: Path, name: str) -> Raw:
    """``_data/<name>.yml`` (``.yaml``, ``.json``) as a mapping; {} when there is none or it is unusable."""
    for suffix in (".yml", ".yaml", ".json"):
        file = source / "_data" / (name + suffix)
        if not file.is_file():
            continue
        try:
            text = file.read_text(encoding="utf-8")
            data = json.loads(text) if suffix == ".json" else load(text)
        except (OSError, UnicodeDecodeError, ValueError, YAMLProblem) as e:
            log.warning("%s: cannot be read (%s); authors are named as the posts write them", file, e)
            return {}
        return data if isinstance(data, dict) else {}
    return {}


def _feed(feed: object, path: Path, put: Put) -> None:
    """jekyll-feed's section: one Atom feed at ``feed.xml``, categories' at ``feed/<category>.xml``."""
    if feed is not None and not isinstance(feed, dict):
        raise ConfigError("expected jekyll-feed's settings, a mapping of keys", key="feed")
    feed = feed or {}
    for key in sorted(set(feed) - _FEED_KEYS - _FEED_IGNORED, key=str):
        log.warning("%s: feed.%s is not a jekyll-feed setting feeds knows; ignored", path, key)
    put("feeds.formats", ["atom"], "(jekyll-feed writes Atom)")
    site_path = feed.get("path") or "feed.xml"
    if not isinstance(site_path, str):
        raise ConfigError("expected a file name", key="feed.path")
    put("feeds.file_names", {"atom": site_path.lstrip("/")}, "feed.path")
    if (path.parent / site_path.lstrip("/")).is_file():
        log.warning(
            "%s: the site has a %s of its own, where jekyll-feed writes nothing; feeds' site feed "
            "replaces it in the output unless feeds.file_names names another file",
            path,
            site_path.lstrip("/"),
        )
    put("feeds.flat_names", True, "(jekyll-feed's feed/<category>.xml)")
    put("categories.dir", "feed", "(jekyll-feed's feed/<category>.xml)")
    limit = feed.get("posts_limit")
    ok = isinstance(limit, int) and not isinstance(limit, bool) and limit > 0
    put("feeds.limit", limit if ok else POSTS_LIMIT, "feed.posts_limit")
    if feed.get("excerpt_only") is True:
        put("feeds.content", "summary", "feed.excerpt_only")
    tags = feed.get("tags")
    if tags:
        section: Raw = tags if isinstance(tags, dict) else {}
        put("feeds.tags", True, "feed.tags")
        put("tags.dir", str(section.get("path") or "/feed/by_tag/").strip("/"), "feed.tags.path")
        put("tags.pattern", _TAG_NAME, "(jekyll-feed's tag feeds)")
        for key, ours in (("only", "only"), ("except", "skip")):
            if isinstance(section.get(key), list):
                put(f"tags.{ours}", [str(t) for t in section[key]], f"feed.tags.{key}")


def _collections(jekyll: Raw, path: Path, put: Put) -> None:
    """jekyll-feed's ``feed.collections`` (a list of names, or names with ``path`` and ``categories``):
    each collection's folder and permalink template, from Jekyll's ``collections`` and ``collections_dir``."""
    feed = jekyll.get("feed")
    wanted = feed.get("collections") if isinstance(feed, dict) else None
    names = wanted if isinstance(wanted, list) else list(wanted) if isinstance(wanted, dict) else []
    site = jekyll.get("collections")
    meta_of: Raw = site if isinstance(site, dict) else {}
    holder = str(jekyll.get("collections_dir") or "").strip("/")
    if holder:
        put("jekyll_site.collections_dir", holder, "collections_dir")
    style = _permalink(jekyll.get("permalink"))
    found: dict[str, list[str]] = {}
    for name in (str(n) for n in names if n not in (None, "posts")):
        meta: Raw = meta_of[name] if isinstance(meta_of.get(name), dict) else {}
        own = (wanted.get(name) if isinstance(wanted, dict) else None) or {}
        where = own.get("path") if isinstance(own, dict) else None
        if where and str(where).strip("/") != f"feed/{name}.xml":
            log.warning("%s: feed.collections.%s.path: feeds writes it at feed/%s.xml", path, name, name)
        template = meta.get("permalink") if isinstance(meta.get("permalink"), str) else None
        folder = "/".join(p for p in (holder, "_" + name) if p)
        found[name] = [folder, template or "/:collection/:path" + _suffix(style)]
    if found:
        put("jekyll_site.collections", _json(found), "feed.collections, collections")


def _suffix(style: str) -> str:
    """``Utils.add_permalink_suffix``: what a collection's default permalink takes from the site's style."""
    if style == "pretty":
        return "/"
    if style in ("date", "ordinal", "none"):
        return ":output_ext"
    return "/" if style.endswith("/") else ":output_ext" if style.endswith(":output_ext") else ""


def _permalink(value: object) -> str:
    """The posts' permalink: a style Jekyll names (date, pretty…; the Jekyll dialect spells it out)
    or the site's own template; Jekyll's default is ``date``."""
    if value is None or value == "":
        return "date"
    if not isinstance(value, str):
        raise ConfigError("expected a permalink style or template", key="permalink")
    return value


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _json(value: object) -> str:
    """Structured settings as JSON text; dates as Jekyll's Liquid shows them."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)


def _plain(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
