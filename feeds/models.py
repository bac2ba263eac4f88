"""Plain frozen data passed between the pipeline's stages.

A :class:`Post` carries only metadata, never the body: an archive of 100,000
posts must fit in memory, and bodies are read again (see ``source.read_body``)
only for the few posts that end up in some feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter

from .remake import values_maker

CategoryPath = tuple[str, ...]

LOCKED = "locked"  # a password guards the body: a feed may name the post, never show its words
HIDDEN = "hidden"  # its author keeps it out of every list: no feed, listing or count shows it


@dataclass(frozen=True, slots=True)
class Post:
    """What the front matter says about one file, normalised.

    With slots rather than a dict each (23 MB less at 100,000 posts), and its
    path and slug made from ``rel`` when asked: the records of 100,000 posts
    take 129 MB, where they took 203.
    """

    root: str  # what goes before ``rel`` to make the file's path (see :attr:`path`)
    rel: str  # path under the source root, '/'-separated, with the .md suffix
    title: str
    date: datetime  # aware
    updated: datetime  # aware; equals date when the post never said
    permalink: str
    id: str  # stable entry id / guid, the same in every feed
    categories: tuple[CategoryPath, ...] = ()
    tags: tuple[str, ...] = ()
    author: str | None = None
    author_email: str | None = None
    thumbnail: str | None = None
    description: str | None = None  # front matter description/excerpt, raw
    body_format: str | None = None  # front matter "format", if any
    title_from_body: bool = False  # title was blank: fill it from the body text
    dated_by_mtime: bool = False  # no usable date: the file's mtime stands in
    whole_file: bool = False  # no front matter was taken: the body is the whole file
    in_feeds: bool = True  # false: `feed: false` in the front matter keeps it out of every feed
    language: str | None = None  # the front matter's lang/language, when it names one
    own_slug: str | None = None  # the slug, when it is not the file's (see :attr:`slug`)
    # What the body's tags name outside it ("post:<slug>", "code:<path>", "series:<name>"), and
    # "in-series:<name>" for the front matter's `series` (the posts Butterfly's {% series %} lists): here,
    # not in a field of its own, which every post's pickle would carry.
    refs: tuple[str, ...] = ()
    protection: str = ""  # "", LOCKED or HIDDEN: what its author keeps from readers (see source.protection)
    abstract: str = ""  # a LOCKED post's public text, shown in place of its body, which is never read

    @property
    def path(self) -> str:
        """The source file, as a str (100,000 Path objects are slow to unpickle).

        Made when asked (for the posts whose bodies are read) from ``rel`` and
        ``root``, one string for every post of a folder: 100,000 whole paths took
        23 MB of the records, and pickling a string keeps a UTF-8 copy of it in
        the process that saves the post cache.
        """
        return self.root + self.rel

    @property
    def slug(self) -> str:
        """Hexo's slug, how ``{% post_link %}`` names the post: the file's (:func:`file_slug`),
        made when asked, unless ``own_slug`` says otherwise (100,000 slugs held took 17 MB)."""
        return self.own_slug if self.own_slug is not None else file_slug(self.rel)

    def __reduce__(self) -> tuple[Callable[..., Post], tuple[object, ...]]:
        """Pickled as its values alone, not as a dict of names and values: a build after one edit
        loads every post's record (10,000 posts loaded in 71 ms rather than 93, when the values
        were set back by a loop; see :mod:`feeds.remake` for how they are now)."""
        return _post, _POST_VALUES(self)


def file_slug(rel: str) -> str:
    """The slug Hexo's default ``new_post_name`` (``:title.md``) reads from a post's path under the
    posts' folder: :func:`slug_source` without its suffix."""
    return strip_extension(slug_source(rel))


def slug_source(rel: str) -> str:
    """The path a post's slug is read from: a draft's path in ``_drafts`` (``source.walk.DRAFTS``,
    not imported: a build with nothing to do loads no post model), and an empty file name
    (``.md``) becomes ``_.md``, keeping a segment."""
    rel = rel.removeprefix("_drafts/")
    folder, _, name = rel.rpartition("/")
    return f"{folder}/_.md" if folder and name == ".md" else "_.md" if name == ".md" else rel


def strip_extension(path: str) -> str:
    """``path`` without its file name's suffix (a name that starts with its only dot keeps it)."""
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return path[: len(path) - len(name) + dot] if dot > 0 else path


POST_FIELDS = tuple(f.name for f in fields(Post))
_POST_VALUES = attrgetter(*POST_FIELDS)
# A pickled Post again (the post cache's magic names the fields: a cache of others is read afresh).
_post = values_maker(Post, POST_FIELDS, "_post")


@dataclass(frozen=True)
class Site:
    """What a body's tags and links need to know beyond the post: the site, its posts, its code.

    ``posts`` is filled only when some post that shows links to another
    (``{% post_link %}``): an index of 100,000 posts is not built for nothing.
    """

    root: str = ""  # the site's root URL, with a trailing slash; "": links as written
    asset_folder: bool = False  # Hexo's post_asset_folder: relative links point into the post's folder
    prepend_root: bool = True  # marked's prependRoot: a Markdown image's path is on the site's root
    posts: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # slug or title -> (URL, title)
    code_dir: str = ""  # include_code's folder on disk ("": none)
    code_url: str = ""  # that folder's URL
    # series name -> (URL, title, date as a timestamp) of its posts; filled only for the names a shown
    # post's {% series %} tag names
    series: Mapping[str, tuple[tuple[str, str, float], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """A warning about a post that is still used: what was wrong with it and what stands in.

    ``kind`` groups warnings of one cause, so that 8,000 posts with the same
    unparseable date make one line a person can read, not 8,000.
    """

    kind: str  # a key of feeds.builder.notices.KINDS
    path: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}: {self.text}"


@dataclass(frozen=True)
class Content:
    """A post's body as it goes into feeds, already cleaned and made safe."""

    html: str
    summary: str  # plain text
    first_text: str = ""  # start of the body's text, for untitled posts


@dataclass(frozen=True)
class Image:
    """A thumbnail as the fetcher resolved it; fields the server did not give are None."""

    url: str  # the final URL after redirects
    type: str | None = None
    length: int | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Category:
    """One node of the category tree; its feed holds its own and its descendants' posts."""

    path: CategoryPath  # display names, parent first
    slugs: tuple[str, ...]  # one file-system-safe slug per level
    posts: tuple[Post, ...] = field(default=(), compare=False)
    # With ``build_tree(places=True)``: each post's index in the list the tree was built from.
    places: tuple[int, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        return " / ".join(self.path)


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    title: str
    link: str  # the HTML page the feed belongs to
    self_url: str  # this very file's URL
    description: str
    language: str
    author: str
    icon: str | None = None  # absolute
    favicon: str | None = None  # absolute; a small icon (Atom icon, JSON Feed favicon)
    hubs: tuple[str, ...] = ()  # WebSub hubs
    archive: ArchiveLinks | None = None  # RFC 5005: where this document sits among the feed's archives


@dataclass(frozen=True)
class ArchiveLinks:
    """A document of an archived feed (RFC 5005): the subscription document, or one archive page.

    The subscription document names only the newest archive page; a page names
    the subscription document (``current``) and its neighbours, oldest first.
    """

    current: str  # the subscription document's URL
    prev_archive: str = ""  # the page of the posts just older than these; "" for the oldest page
    next_archive: str = ""  # an archive page's newer neighbour; "" for the newest page
    page: int = 0  # this archive page's number, 1 the oldest; 0 for the subscription document


@dataclass(frozen=True)
class FeedJob:
    """One file to write: its name under the output folder, format, header, posts and fingerprint."""

    name: str
    fmt: str
    info: FeedInfo
    posts: tuple[str, ...]  # rels, newest first
    fingerprint: str


def newest_first(posts: Iterable[Post], by: str = "date") -> list[Post]:
    """Posts by date (or ``by="updated"``), newest first, ties by path: stable across runs.

    Sorted on POSIX timestamps: comparing aware datetimes with different time
    zones computes offsets on every comparison, which 100,000 posts feel.
    """
    return sorted(posts, key=lambda p: order_key(p, by), reverse=True)


def order_key(post: Post, by: str = "date") -> tuple[float, str]:
    """A post's place in the feeds' order, oldest first: its date (or ``updated``), then its path."""
    return ((post.updated if by == "updated" else post.date).timestamp(), post.rel)
