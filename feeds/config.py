"""Read ``config.yaml`` once into a typed, frozen :class:`Config`.

Everything downstream receives this object; nothing reads the YAML again and
nothing keeps settings in globals.  Validation happens here, at the edge, so an
unknown key or a wrong type is reported with its dotted name (and, for a typo,
the nearest known key) before any work starts.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .yamltext import YAMLProblem, load

DEFAULT_REMOVE = (
    "#recommend_bottom",
    "#article_bottom",
    'p:contains("分享让更多人看到")',
    # Line numbers of highlighted code pasted from a page (Hexo's and highlight.js's gutters, Prism's
    # rows): in a reader they are copied with the code and read aloud before it.
    "td.gutter",
    "span.line-numbers-rows",  # by tag, not a class test on every element (see clean.Cleaner.render)
)


# Front-matter keys that name a post's picture, in the order they are tried.  The first four are the
# corpus's and many themes' (thumbnail: Icarus, NexT-style themes; cover: Butterfly); photos is Hexo's
# own photo list (its first is taken; landscape shows it); index_img: Fluid; top_img: Butterfly;
# img: Matery; banner and feature: several themes' header image.
THUMBNAIL_KEYS = (
    *("thumbnail", "headimg", "cover", "image", "photos", "photo"),
    *("banner", "index_img", "top_img", "img", "feature"),
)


@dataclass(frozen=True)
class SiteConfig:
    title: str = "My site"
    url: str = "https://example.com/"
    description: str = ""
    language: str = "en"
    author: str = ""
    timezone: str = "UTC"
    icon: str = ""  # the site's icon: a URL, or a path on the site (Atom logo, RSS image, JSON Feed icon)
    favicon: str = ""  # a small icon, as icon (Atom icon, JSON Feed favicon); the icon when empty


@dataclass(frozen=True)
class FeedsConfig:
    formats: tuple[str, ...] = ("rss", "atom")
    limit: int = 20
    summary_length: int = 140
    content: str = "full"  # full | summary | none
    file_names: dict[str, str] = field(default_factory=dict)  # format -> file name; rss.xml, atom.xml
    order_by: str = "date"  # date | updated: which date puts a post first
    summary_delimiter: str = ""  # cut a summary at the last of these within its length, not a sentence end
    tags: bool = False  # a feed per tag, under tags.dir
    authors: bool = False  # a feed per author name, under authors.dir
    min_posts: int = 1  # no category, tag or author feed with fewer posts


@dataclass(frozen=True)
class CategoriesConfig:
    map: dict[str, str] = field(default_factory=dict)
    dir: str = "categories"  # the folder of category feeds under the output (Hexo's category_dir)
    slugs: str = "safe"  # safe: names kept, made safe for any file system; hexo: as Hexo makes them
    depth: int = 0  # feeds for the first N levels only; 0: every level


@dataclass(frozen=True)
class TagsConfig:
    """Tag feeds (``feeds.tags: true``): flat, slugged as categories are (``categories.slugs``)."""

    map: dict[str, str] = field(default_factory=dict)  # tag name -> slug (Hexo's tag_map)
    dir: str = "tags"  # the folder of tag feeds under the output (Hexo's tag_dir)


@dataclass(frozen=True)
class AuthorsConfig:
    """Author feeds (``feeds.authors: true``), one per author name, slugged as tags are."""

    map: dict[str, str] = field(default_factory=dict)  # author name -> slug
    dir: str = "authors"


@dataclass(frozen=True)
class FiltersConfig:
    """Posts kept out of every feed; names match case-insensitively after trimming."""

    exclude_categories: tuple[str, ...] = ()  # a post with a category of one of these names, at any level
    exclude_tags: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()  # glob patterns on the path under the source folder


@dataclass(frozen=True)
class PostsConfig:
    """How a post is read and addressed: Hexo's settings under Hexo's names, with Hexo's defaults.

    A plain folder of Markdown is read as a Hexo blog with default settings would be.
    """

    new_post_name: str = ":title.md"  # the slug (and maybe the date) read back from each file's path
    permalink_defaults: dict[str, str] = field(default_factory=dict)
    default_category: str = "uncategorized"  # :category of a post without one
    filename_case: int = 0  # Hexo's slug case: 0 as written, 1 lower, 2 upper
    future: bool = True  # false: posts dated after the build are left out
    render_drafts: bool = False  # true: source/_drafts and `published: false` posts are read too
    post_asset_folder: bool = False
    updated_option: str = "mtime"  # mtime | date | empty; mtime (unstable across clones) reads as date
    use_slug_as_post_title: bool = False
    titlecase: bool = False
    trailing_index: bool = True  # pretty_urls.trailing_index
    trailing_html: bool = True  # pretty_urls.trailing_html
    hexo_hidden: bool = False  # skip files and folders whose names start with '_', as Hexo does
    front_matter_ids: bool = True  # id/guid/uuid as the entry id; Hexo's feed plugin uses the permalink
    sniff_html: bool = True  # a Markdown file whose body opens with a tag is HTML (Hexo: always Markdown)
    code_dir: str = "downloads/code"  # {% include_code %}'s folder, beside _posts (Hexo's code_dir)


@dataclass(frozen=True)
class ContentConfig:
    remove: tuple[str, ...] = DEFAULT_REMOVE
    iframe_hosts: tuple[str, ...] = ()
    thumbnail_keys: tuple[str, ...] = THUMBNAIL_KEYS  # front-matter keys, first non-empty wins
    # Markdown as hexo-renderer-marked renders it by default; Hexo's `marked:` options of these names
    gfm: bool = True  # tables, strikethrough, task lists
    breaks: bool = True  # a single newline is a <br>
    autolink: bool = True  # bare URLs become links
    smartypants: bool = True  # curly quotes, en and em dashes, the ellipsis
    prepend_root: bool = True  # a Markdown image's path (/a.png, a.png) is on the site's root URL
    external_nofollow: bool = False  # links off the site get rel="external nofollow" too (external_link)
    internal_hosts: tuple[str, ...] = ()  # hosts whose links count as the site's own (external_link.exclude)


@dataclass(frozen=True)
class FetchConfig:
    enabled: bool = False
    ttl: float = 7 * 86400.0  # seconds; the YAML may say "7d", "12h", "30m" or a number
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    budget: float = 60.0  # seconds for all fetching in one build
    concurrency: int = 8
    per_host: int = 2
    retries: int = 2
    allow_private: bool = False
    trust_env: bool = False  # proxies and .netrc from the environment


@dataclass(frozen=True)
class WebsubConfig:
    hubs: tuple[str, ...] = ()  # WebSub hubs every feed names (<atom:link rel="hub">)


@dataclass(frozen=True)
class Config:
    site: SiteConfig = SiteConfig()
    source: Path = Path("source/_posts")
    output: Path = Path("public")
    cache: Path = Path(".feeds-cache")
    permalink: str = ":year/:month/:day/:title/"
    feeds: FeedsConfig = FeedsConfig()
    posts: PostsConfig = PostsConfig()
    categories: CategoriesConfig = CategoriesConfig()
    tags: TagsConfig = TagsConfig()
    authors: AuthorsConfig = AuthorsConfig()
    filters: FiltersConfig = FiltersConfig()
    content: ContentConfig = ContentConfig()
    fetch: FetchConfig = FetchConfig()
    websub: WebsubConfig = WebsubConfig()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)


FORMATS = ("rss", "atom", "json")
_FORMAT_WORDS = "rss, atom and/or json"

_SECTIONS = {
    "site": SiteConfig,
    "feeds": FeedsConfig,
    "posts": PostsConfig,
    "categories": CategoriesConfig,
    "tags": TagsConfig,
    "authors": AuthorsConfig,
    "filters": FiltersConfig,
    "content": ContentConfig,
    "fetch": FetchConfig,
    "websub": WebsubConfig,
}
_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "Path": (str,),
}
_TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "Path": "a path",
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def load_config(path: Path | None, hexo: Path | None = None) -> Config:
    """Load and validate a config file; relative paths resolve against its folder.

    ``path=None`` gives the defaults relative to the current folder, which is
    what ``feeds convert`` uses.  ``hexo`` names a Hexo ``_config.yml`` to read
    the site from (as does a ``hexo:`` key in the file); the file's own keys win.
    """
    return load_with_sources(path, hexo)[0]


def locate(given: Path | None, hexo: Path | None, here: Path) -> tuple[Path | None, Path | None]:
    """Which config file and which Hexo ``_config.yml`` to read, from what the command line named.

    ``--hexo DIR`` reads that blog (with ``--config`` on top when given); else
    ``--config``; else ``config.yaml`` here; else, in a Hexo blog's folder with
    no ``config.yaml``, its ``_config.yml``.  Nothing found: ``config.yaml``,
    so the error names the file a newcomer should write.
    """
    if hexo is not None:
        return given, hexo / "_config.yml" if hexo.is_dir() else hexo
    if given is not None:
        return given, None
    if not (here / "config.yaml").exists() and (here / "_config.yml").is_file():
        return None, here / "_config.yml"
    return here / "config.yaml", None


def load_with_sources(path: Path | None, hexo: Path | None = None) -> tuple[Config, dict[str, str]]:
    """The config, and for each key that was set, where its value came from (``feeds config``)."""
    raw: dict[str, Any] = _read(path) if path is not None else {}
    base = path.resolve().parent if path is not None else Path.cwd()
    sources = {key: path.name for key in _dotted(raw) if key != "hexo"} if path is not None else {}
    named = raw.pop("hexo", None)
    if hexo is None and named is not None:
        if not isinstance(named, str):
            raise ConfigError("expected the path of Hexo's _config.yml", key="hexo", path=path)
        hexo = base / named
    if hexo is not None:
        from .hexo import from_hexo  # only for Hexo sites

        try:
            hexo_raw, hexo_sources = from_hexo(hexo, _read(hexo))
        except ConfigError as e:
            raise ConfigError(e.reason, key=e.key, path=hexo) from None
        raw = _merged(hexo_raw, raw)
        sources = {**hexo_sources, **sources}
    try:
        config = _build(Config, raw, "")
        config = _resolve_paths(config, base)
        validate(config)
    except ConfigError as e:
        raise ConfigError(e.reason, key=e.key, path=path or hexo) from None
    return config, sources


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read config: {e.strerror or e}", path=path) from e
    except UnicodeDecodeError as e:
        raise ConfigError("config is not UTF-8", path=path) from e
    try:
        raw = load(text) or {}
    except YAMLProblem as e:
        raise ConfigError(f"not valid YAML: {e}", path=path) from e
    if not isinstance(raw, dict):
        raise ConfigError("the config must be a mapping of keys to values", path=path)
    return raw


def _merged(under: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``under``, section by section."""
    out = dict(under)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key in _SECTIONS:
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _dotted(raw: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for key, value in raw.items():
        if key in _SECTIONS and isinstance(value, dict):
            keys.extend(f"{key}.{inner}" for inner in value)
        else:
            keys.append(str(key))
    return keys


def effective(config: Config) -> dict[str, Any]:
    """Every setting as a dotted key, in the order ``config.yaml`` documents them."""
    values: dict[str, Any] = {}
    for f in fields(config):
        value = getattr(config, f.name)
        if f.name in _SECTIONS:
            values.update({f"{f.name}.{inner.name}": getattr(value, inner.name) for inner in fields(value)})
        else:
            values[f.name] = value
    return values


def _build(cls: Any, raw: dict[str, Any], prefix: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{prefix}{key}"
        if not isinstance(key, str) or key not in known:
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean '{prefix}{near[0]}'?)" if near else ""
            raise ConfigError(f"unknown key{hint}; known keys: {', '.join(sorted(known))}", key=dotted)
        values[key] = _convert(known[key], value, dotted)
    return cls(**values)


def _convert(f: Any, value: Any, dotted: str) -> Any:
    type_name = f.type if isinstance(f.type, str) else f.type.__name__
    if f.name in _SECTIONS and type_name == _SECTIONS[f.name].__name__:  # not feeds.tags, a flag
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ConfigError("expected a mapping of keys to values", key=dotted)
        return _build(_SECTIONS[f.name], value, dotted + ".")
    if type_name.startswith("tuple"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("expected a list of strings", key=dotted)
        return tuple(value)
    if type_name.startswith("dict"):
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str | int) for v in value.values()):
            raise ConfigError("expected a mapping of names to strings", key=dotted)
        return {str(k): str(v) for k, v in value.items()}
    if f.name == "ttl":
        return _duration(value, dotted)
    if type_name == "bool" and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        return _YAML11_BOOLS[value.lower()]  # `yes`/`no`: booleans in YAML 1.1, words in YAML 1.2
    expected = _TYPES[type_name]
    ok = isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected)
    if not ok:
        raise ConfigError(f"expected {_TYPE_WORDS[type_name]}, got {value!r}", key=dotted)
    if type_name == "Path":
        return Path(value)
    if type_name == "float":
        return float(value)
    return value


_YAML11_BOOLS = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False}


def _duration(value: Any, dotted: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not m:
        raise ConfigError(f"expected a duration such as 7d, 12h, 30m or seconds, got {value!r}", key=dotted)
    return float(m.group(1)) * _UNITS[m.group(2)]


def _resolve_paths(config: Config, base: Path) -> Config:
    return replace(
        config,
        source=base / config.source,
        output=base / config.output,
        cache=base / config.cache,
    )


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
    if config.feeds.content not in ("full", "summary", "none"):
        raise ConfigError("expected one of full, summary, none", key="feeds.content")
    for key, icon in (("site.icon", config.site.icon), ("site.favicon", config.site.favicon)):
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", icon) and not re.match(r"^https?://[^/\s]+", icon):
            raise ConfigError("must be an http(s) URL or a path on the site", key=key)
    if config.feeds.order_by not in ("date", "updated"):
        raise ConfigError("expected date or updated", key="feeds.order_by")
    for hub in config.websub.hubs:
        if not re.match(r"^https?://[^/\s]+", hub):
            raise ConfigError(f"{hub!r} is not an absolute http(s) URL", key="websub.hubs")
    if config.categories.slugs not in ("safe", "hexo"):
        raise ConfigError("expected safe or hexo", key="categories.slugs")
    for fmt, name in config.feeds.file_names.items():
        if fmt not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}: use {_FORMAT_WORDS}", key="feeds.file_names")
        if not _safe_relative(name):
            raise ConfigError(f"{name!r} must be a file name under the output folder", key="feeds.file_names")
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
    if not config.site.title.strip():
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


def with_overrides(config: Config, **changes: Any) -> Config:
    """A validated copy with CLI flags applied: top-level keys, or ``site_*``/``fetch_*`` for sections."""
    sections: dict[str, dict[str, Any]] = {"site": {}, "fetch": {}}
    top: dict[str, Any] = {}
    for key, value in changes.items():
        if value is None:
            continue
        section, _, name = key.partition("_")
        if section in sections and name:
            sections[section][name] = value
        else:
            top[key] = value
    for section, values in sections.items():
        if values:
            top[section] = replace(getattr(config, section), **values)
    result = replace(config, **top)
    validate(result)
    return result
