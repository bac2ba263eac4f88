"""The settings themselves: one frozen dataclass per ``config.yaml`` section, and their defaults.

It exists so that every stage can name the types it is given (``Config``, ``FeedsConfig``…) without
pulling in how they are read or checked; reading is ``load.py``, checking is ``validate.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

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
    opml: bool = True  # <output>/feeds.opml: every feed as an OPML 2.0 subscription list
    opml_format: str = "atom"  # the format each OPML outline's xmlUrl names
    index: bool = True  # <output>/feeds.html: a page listing every feed
    autodiscovery: bool = False  # <link rel="alternate"> for the feeds in the site's own HTML pages
    archive: bool = False  # RFC 5005 archived feeds: older entries in archive/ pages beside each feed
    # A category's (tag's, author's) feed as one file named after it, <dir>/<slug>.xml, as jekyll-feed
    # names them, rather than a folder <dir>/<slug>/ holding the site's file names.
    flat_names: bool = False


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
    only: tuple[str, ...] = ()  # feeds for these tags only (jekyll-feed's tags.only); (): every tag
    skip: tuple[str, ...] = ()  # no feed for these tags (jekyll-feed's tags.except); their posts stay
    pattern: str = ""  # a tag gets a feed only when its whole name matches this regex ("": any)


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
    protected: str = "abstract"  # a locked post: abstract (named, with its abstract only) | omit (left out)


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
    # What an author protects (see source/protection.py).  A post with a `password` is always locked.
    locked_tags: tuple[str, ...] = ()  # posts with one of these tags are locked (hexo-blog-encrypt's tags)
    locked_abstract: str = ""  # a locked post's text when it has no `abstract` (encrypt.abstract)
    hide_keys: tuple[str, ...] = ("hidden",)  # a true value of one of these keys hides the post
    dialect: str = "hexo"  # hexo | jekyll: whose rules read the source (jekyll: see jekyll_site)


@dataclass(frozen=True)
class JekyllSiteConfig:
    """A Jekyll site's reading rules (``posts.dialect: jekyll``), filled from its ``_config.yml``.

    Jekyll's structured settings (front-matter ``defaults``, ``_data/authors.yml``,
    the ``site`` values Liquid shows) are kept as JSON text: the config stays
    frozen and hashable, and its repr is the cache key that tells a changed rule.
    """

    excerpt_separator: str = "\n\n"
    exclude: tuple[str, ...] = ()  # Jekyll's exclude (with its defaults): paths and globs under the site
    include: tuple[str, ...] = ()  # Jekyll's include: names read although they start with '.' or '_'
    unpublished: bool = False  # posts with `published: false` are read too
    markdown_ext: tuple[str, ...] = ("markdown", "mkdown", "mkdn", "mkd", "md")
    defaults: str = "[]"  # JSON: front-matter defaults, [{"path": ..., "type": ..., "values": {...}}]
    authors: str = "{}"  # JSON: _data/authors.yml, what a post's `author` key names
    site: str = "{}"  # JSON: the _config.yml as Liquid's {{ site.* }} sees it
    hard_wrap: bool = False  # kramdown's hard_wrap: a single newline is a <br>
    smart_quotes: bool = True  # kramdown's typographic quotes, dashes and ellipsis
    # JSON: the collections jekyll-feed's feed.collections names, {name: [folder, permalink template]}
    collections: str = "{}"
    collections_dir: str = ""  # Jekyll's collections_dir: the folder _posts (and every collection) is under


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
    # The blog's Markdown renderer (docs/hexo-renderers.md): marked, markdown-it, markdown-it-plus, kramed,
    # pandoc; a Hexo site's own from its package.json.  The keys after it are markdown-it's options.
    renderer: str = "marked"
    preset: str = "default"  # markdown-it's preset: default, commonmark, zero
    html: bool = True
    xhtml_out: bool = False
    linkify: bool = True
    typographer: bool = True  # markdown-it's smart quotes and replacements
    quotes: str = "\u201c\u201d\u2018\u2019"
    lang_prefix: str = "language-"
    enable_rules: tuple[str, ...] = ()
    disable_rules: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()  # markdown-it plugins by npm name; containers as markdown-it-container:NAME
    pandoc_args: tuple[str, ...] = ()  # hexo-renderer-pandoc's `pandoc.args` (--mathjax etc. become --mathml)
    math: str = "none"  # formulas as MathML: none, dollars ($, $$), brackets (and \( \[), double ($$ only)
    filters: tuple[str, ...] = ()  # Hexo filters whose rewriting of a post feeds does too: hexo-image-link
    theme: str = ""  # the Hexo theme whose tags posts use (next, butterfly, fluid, keep, icarus); "": none
    theme_series: str = ""  # Butterfly's series list: "" off, "date", "title", "-date", "-title"
    theme_series_numbered: bool = True  # Butterfly's series.number: a numbered list
    theme_footnotes: bool = True  # Fluid's post.footnote.enable (with theme: fluid only)


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
    jekyll_site: JekyllSiteConfig = JekyllSiteConfig()

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
    "jekyll_site": JekyllSiteConfig,
}
