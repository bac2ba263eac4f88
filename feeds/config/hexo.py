"""A Hexo site's ``_config.yml`` read as feeds' own settings, so ``feeds build`` in a blog just works.

Each Hexo key maps onto the feeds key that does the same job (the table is
``_KEYS`` below; hexo-generator-feed's ``feed:`` section is ``_FEED_KEYS``).
Keys Hexo and its plugins use that feeds has no use for (themes, deploy,
server, highlight…) are passed over in silence; a key under ``feed:`` that
feeds does not understand is a warning, since it was meant for feeds' job.
Paths are made absolute against the blog's folder, and the output defaults to
Hexo's ``public_dir``, so ``hexo generate && feeds build`` deploys together.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..siteyaml import load_site_file
from ..yamltext import YAMLProblem
from .renderers import renderer
from .sitevalues import folder_name

log = logging.getLogger(__name__)

Raw = dict[str, Any]

# Hexo key -> feeds' dotted key, for values that carry over as they are.
_KEYS = {
    "title": "site.title",
    "author": "site.author",
    "permalink": "permalink",
    "permalink_defaults": "posts.permalink_defaults",
    "new_post_name": "posts.new_post_name",
    "default_category": "posts.default_category",
    "category_map": "categories.map",
    "filename_case": "posts.filename_case",
    "future": "posts.future",
    "render_drafts": "posts.render_drafts",
    "post_asset_folder": "posts.post_asset_folder",
    "updated_option": "posts.updated_option",
    "use_slug_as_post_title": "posts.use_slug_as_post_title",
    "titlecase": "posts.titlecase",
    "category_dir": "categories.dir",
    "tag_dir": "tags.dir",
    "tag_map": "tags.map",
    "code_dir": "posts.code_dir",
}
# hexo-generator-feed's keys that feeds reads (the rest of its section, and unknown keys, warn).
_FEED_KEYS = {
    "type",
    "path",
    "limit",
    "content",
    "content_limit",
    "content_limit_delim",
    "order_by",
    "icon",
    "hub",
}
_TEXT_KEYS = {"title", "author", "new_post_name", "default_category", "category_dir", "tag_dir", "code_dir"}
_MAP_KEYS = {"category_map", "tag_map", "permalink_defaults"}  # name -> name; a name mapped to nothing stays
_FEED_IGNORED = {"autodiscovery", "template", "enable"}  # about Hexo's pages or its own templates
# hexo-renderer-marked's options that change what a feed shows (the rest are about pages: see docs/hexo.md).
_MARKED = {k: k for k in ("gfm", "breaks", "autolink", "smartypants")} | {"prependRoot": "prepend_root"}
UNLIMITED = 1_000_000  # hexo-generator-feed's `limit: 0`: every post


def from_hexo(path: Path, hexo: Raw) -> tuple[Raw, dict[str, str]]:
    """feeds' raw settings from a parsed ``_config.yml`` at ``path``, and where each came from."""
    out: Raw = {}
    sources: dict[str, str] = {}
    folder = path.resolve().parent

    def put(dotted: str, value: Any, hexo_key: str) -> None:
        section, _, key = dotted.rpartition(".")
        (out.setdefault(section, {}) if section else out)[key] = value
        sources[dotted] = f"{path.name}: {hexo_key}"

    for hexo_key, dotted in _KEYS.items():
        value = _as_hexo_uses(hexo.get(hexo_key), hexo_key, path)
        if value not in (None, ""):
            put(dotted, value, hexo_key)
    _site(hexo, put)
    source_dir = folder_name(hexo, "source_dir") or "source"
    put("source", str(folder / source_dir / "_posts"), "source_dir")
    put("output", str(folder / (folder_name(hexo, "public_dir") or "public")), "public_dir")
    put("cache", str(folder / ".feeds-cache"), "(the blog's folder)")
    put("posts.hexo_hidden", True, "(Hexo skips files and folders starting with '_')")
    put("posts.front_matter_ids", False, "(Hexo's `id` is a database id; its feeds use the permalink)")
    put("posts.sniff_html", False, "(Hexo renders every Markdown file as Markdown)")
    put("categories.slugs", "hexo", "(Hexo's category slugs)")
    pretty = hexo.get("pretty_urls")
    if isinstance(pretty, dict):
        for key in ("trailing_index", "trailing_html"):
            if isinstance(pretty.get(key), bool):
                put(f"posts.{key}", pretty[key], f"pretty_urls.{key}")
    if hexo.get("feed") is not None and not isinstance(hexo["feed"], dict):  # the plugin's defaults then
        log.warning("%s: feed is not a mapping of hexo-generator-feed's settings; ignored", path)
    marked = hexo.get("marked")
    if isinstance(marked, dict):
        for key, ours in _MARKED.items():
            if isinstance(marked.get(key), bool):
                put(f"content.{ours}", marked[key], f"marked.{key}")
    _external_link(hexo, put)
    packages = package_names(folder)  # package.json, read once: plugins decide protection and renderer
    _protection(hexo, frozenset(packages), put)
    renderer(folder, hexo, packages, put)
    if "hexo-image-link" in packages:  # a filter that rewrites image paths before Hexo renders a post
        put("content.filters", ["hexo-image-link"], "package.json")
    _theme(hexo, folder, put)
    if isinstance(hexo.get("feed"), dict):
        _feed(hexo["feed"], path, put)
    return out, sources


def _external_link(hexo: Raw, put: Callable[[str, Any, str], None]) -> None:
    """hexo-renderer-marked's ``external_link`` and Hexo's own, as far as a feed has a use for them.

    ``nofollow`` (marked's) puts "external nofollow" in the rel of links off the site; the
    ``exclude`` hosts of both are the site's own, whose links carry no rel.  ``enable`` and
    ``field`` only add ``target="_blank"``, and a reader decides where a link opens.
    """
    marked = hexo.get("marked")
    sections = (
        ("marked.external_link", marked.get("external_link") if isinstance(marked, dict) else None),
        ("external_link", hexo.get("external_link")),
    )
    hosts: list[str] = []
    sources = []
    for name, section in sections:
        if not isinstance(section, dict):
            continue
        if name.startswith("marked.") and isinstance(section.get("nofollow"), bool):
            put("content.external_nofollow", section["nofollow"], f"{name}.nofollow")
        exclude = section.get("exclude")
        listed: list[Any] = exclude if isinstance(exclude, list) else [exclude]
        named = [h.strip() for h in listed if isinstance(h, str) and h.strip()]
        if named:
            hosts += [h for h in named if h not in hosts]
            sources.append(f"{name}.exclude")
    if hosts:
        put("content.internal_hosts", hosts, ", ".join(sources))


def _theme(hexo: Raw, folder: Path, put: Callable[[str, Any, str], None]) -> None:
    """The theme whose tags the posts use, and the options of it that change what they show:
    Butterfly's ``series`` and Fluid's ``post.footnote``, from ``_config.<theme>.yml`` over
    ``theme_config`` (Hexo's order), over the theme's defaults (series off, by title, ascending,
    numbered; footnotes on)."""
    theme = hexo.get("theme")
    if not isinstance(theme, str) or not theme.strip():  # `theme: false` is none
        return
    put("content.theme", theme.strip(), "theme")
    series, where = _theme_option(hexo, folder / f"_config.{theme.strip()}.yml", ("series",))
    if series.get("enable") is True:
        order = "title" if series.get("orderBy", "title") == "title" else "date"
        put("content.theme_series", order if series.get("order", 1) != -1 else "-" + order, where)
        put("content.theme_series_numbered", series.get("number", True) is not False, where)
    footnote, where = _theme_option(hexo, folder / f"_config.{theme.strip()}.yml", ("post", "footnote"))
    if footnote.get("enable") is False:
        put("content.theme_footnotes", False, where)


def _theme_option(hexo: Raw, own: Path, keys: tuple[str, ...]) -> tuple[Raw, str]:
    """One section of the theme's options, merged as Hexo merges them, and where it was last set."""
    try:
        options = load_site_file(own.read_text(encoding="utf-8"), own.name) if own.is_file() else None
    except (OSError, UnicodeDecodeError, YAMLProblem) as e:
        log.warning("%s: not read (%s); the theme's options are its defaults", own, e)
        options = None
    merged: Raw = {}
    where = ""
    for name, section in (("theme_config", hexo.get("theme_config")), (own.name, options)):
        for key in keys:
            section = section.get(key) if isinstance(section, dict) else None
        if isinstance(section, dict):
            merged.update(section)
            where = f"{name}: {'.'.join(keys)}"
    return merged, where


def _site(hexo: Raw, put: Callable[[str, Any, str], None]) -> None:
    description = hexo.get("description") or hexo.get("subtitle")
    if description:
        put("site.description", str(description), "description" if hexo.get("description") else "subtitle")
    language = hexo.get("language")
    if isinstance(language, list):  # Hexo takes a list of languages, the first the site's own
        language = language[0] if language else None
    if language is not None and not isinstance(language, str):
        raise ConfigError("expected a language code such as en or zh-CN", key="language")
    if language and language != "default":
        put("site.language", str(language), "language")
    if hexo.get("timezone"):
        put("site.timezone", str(hexo["timezone"]), "timezone")
    if hexo.get("url"):
        put("site.url", str(hexo["url"]).rstrip("/") + "/", "url")


def _feed(feed: Raw, path: Path, put: Callable[[str, Any, str], None]) -> None:
    """hexo-generator-feed's section: the same feeds, at the same paths, with the same limits."""
    for key in sorted(set(feed) - _FEED_KEYS - _FEED_IGNORED, key=str):
        log.warning("%s: feed.%s is not a hexo-generator-feed setting feeds knows; ignored", path, key)
    types = feed.get("type", "atom")
    types = types if isinstance(types, list) else [types]
    formats = ["rss" if t == "rss2" else str(t) for t in types]
    put("feeds.formats", formats, "feed.type")
    paths = feed.get("path") or []
    paths = paths if isinstance(paths, list) else [paths]
    if not all(isinstance(p, str) for p in paths):
        raise ConfigError("expected a file name, or a list of them", key="feed.path")
    names = {fmt: f"{'rss2' if fmt == 'rss' else fmt}.xml" for fmt in formats}  # the plugin's defaults
    names.update({fmt: _with_xml(str(p)) for fmt, p in zip(formats, paths, strict=False)})
    put("feeds.file_names", names, "feed.path" if paths else "feed.type")
    if isinstance(feed.get("limit"), int) and not isinstance(feed.get("limit"), bool):
        put("feeds.limit", feed["limit"] or UNLIMITED, "feed.limit")
    if isinstance(feed.get("content"), bool):
        put("feeds.content", "full" if feed["content"] else "summary", "feed.content")
    if _count(feed.get("content_limit")) > 0:
        put("feeds.summary_length", feed["content_limit"], "feed.content_limit")
    if isinstance(feed.get("content_limit_delim"), str) and feed["content_limit_delim"]:
        put("feeds.summary_delimiter", feed["content_limit_delim"], "feed.content_limit_delim")
    order = feed.get("order_by")
    if order in ("-date", "-updated"):
        put("feeds.order_by", str(order)[1:], "feed.order_by")
    elif order:
        log.warning("%s: feed.order_by %r: feeds orders posts newest first, by date or updated", path, order)
    if isinstance(feed.get("icon"), str) and feed["icon"]:
        put("site.icon", feed["icon"], "feed.icon")
    hubs = feed.get("hub")
    if hubs:
        put("websub.hubs", [str(h) for h in (hubs if isinstance(hubs, list) else [hubs])], "feed.hub")


def _as_hexo_uses(value: Any, key: str, path: Path) -> Any:
    """A value as Hexo uses it, where Hexo takes a form feeds' key would refuse: a number where
    text goes (a title of 2048) is its text, a name mapped to nothing keeps its name, and a map
    that is no mapping is passed over with a warning rather than refusing the site."""
    if key in _TEXT_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if key in _MAP_KEYS and value is not None:
        if not isinstance(value, dict):
            log.warning("%s: %s is not a mapping of names; ignored", path, key)
            return None
        return {k: v for k, v in value.items() if _is_name(v)}
    return value


def _is_name(value: Any) -> bool:
    """Text or a whole number, which a map's name can be; not a flag, a list or nothing."""
    return (isinstance(value, str) and value != "") or (type(value) is int)


def _count(value: Any) -> int:
    """A whole number the plugin counts with; 0 for anything else (true is no length)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _with_xml(name: str) -> str:
    """hexo-generator-feed adds ``.xml`` to a path without an extension."""
    return name if "." in name.rsplit("/", 1)[-1] else name + ".xml"


# hexo-blog-encrypt's own line for a locked post with no abstract of its own or the site's.
ENCRYPT_ABSTRACT = "Here's something encrypted, password is required to continue reading."
# hexo-generator-feed registers one generator per feed type: exposing one to hidden posts puts them in feeds.
_FEED_GENERATORS = ("atom", "rss2")
# Themes that leave posts out of their lists (home page, archives, feeds) by a front-matter key of their own.
THEME_HIDE_KEYS = {"fluid": ("hide",)}


def package_names(folder: Path) -> list[str]:
    """The npm packages a site's ``package.json`` installs, in the order Hexo loads them as plugins
    (dependencies, then devDependencies); none when it has no readable ``package.json``."""
    try:
        manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(manifest, dict):
        return []
    names: list[str] = []
    for section in ("dependencies", "devDependencies"):
        if isinstance(manifest.get(section), dict):
            names.extend(str(name) for name in manifest[section])
    return names


def _protection(hexo: Raw, plugins: frozenset[str], put: Callable[[str, Any, str], None]) -> None:
    """What the site's encryption and hiding plugins, and its theme, keep from readers.

    The passwords under ``encrypt.tags`` are never copied: only the names of the
    tags that lock a post.  See :mod:`feeds.source.protection` for the rules.
    """
    encrypt = hexo.get("encrypt")
    if isinstance(encrypt, dict):
        listed = encrypt.get("tags")
        entries: list[Any] = listed if isinstance(listed, list) else []
        names = [
            str(e["name"]).strip()
            for e in entries
            if isinstance(e, dict) and e.get("name") and e.get("password") not in (None, "")
        ]
        if names:
            put("posts.locked_tags", names, "encrypt.tags")
        if isinstance(encrypt.get("abstract"), str) and encrypt["abstract"].strip():
            put("posts.locked_abstract", encrypt["abstract"].strip(), "encrypt.abstract")
    if "hexo-blog-encrypt" in plugins and not (isinstance(encrypt, dict) and encrypt.get("abstract")):
        put("posts.locked_abstract", ENCRYPT_ABSTRACT, "(hexo-blog-encrypt's own abstract)")
    keys, source = _hide_keys(hexo.get("hide_posts"), plugins)
    theme = hexo.get("theme")
    if isinstance(theme, str) and theme.strip().lower() in THEME_HIDE_KEYS:
        keys += [k for k in THEME_HIDE_KEYS[theme.strip().lower()] if k not in keys]
        source += f", theme {theme.strip()}"
    if keys != ["hidden"]:
        put("posts.hide_keys", keys, source.lstrip(", "))


def _hide_keys(section: object, plugins: frozenset[str]) -> tuple[list[str], str]:
    """hexo-hide-posts' filter key (``hidden`` unless ``hide_posts.filter`` names another), unless the
    plugin is switched off or shows hidden posts to the feed generators; and hexo-sage-posts' ``sage``."""
    keys = ["sage"] if "hexo-sage-posts" in plugins else []
    if not isinstance(section, dict):
        return ["hidden", *keys], "(hexo-hide-posts' default)"
    named = section.get("filter")
    key = named.strip() if isinstance(named, str) and named.strip() else "hidden"
    if section.get("enable") is False or _exposes_feeds(section):
        return keys, "hide_posts"
    return [key, *keys], "hide_posts.filter" if named else "hide_posts"


def _exposes_feeds(section: dict[str, Any]) -> bool:
    """Whether the plugin hands hidden posts to a feed generator (``public_generators``, or its newer
    ``allowlist_generators`` less ``blocklist_generators``)."""

    def names(key: str) -> list[str]:
        value = section.get(key)
        items: Iterable[Any] = value if isinstance(value, list) else [value]
        return [str(v) for v in items if v is not None]

    public, allowed, blocked = (
        names("public_generators"),
        names("allowlist_generators"),
        names("blocklist_generators"),
    )
    for generator in _FEED_GENERATORS:
        if generator in public or generator in allowed:
            return True
        if "*" in allowed and (generator not in blocked or "*" in blocked):
            return True
    return False
