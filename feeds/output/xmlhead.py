"""A feed file's head and closing, written as text: the bytes feedgen and lxml wrote.

feedgen built an object and an lxml tree for every file's head (about 130 µs a
file, and 20-30 ms of imports on any build that writes a feed) for a dozen
elements whose shape never varies.  Here they are formatted directly, in
feedgen's order, with libxml2's escaping and pretty-printing, as
:mod:`.xmlentry` does for the entries; ``tests/output/feedgen_oracle.py`` still
builds the whole document with feedgen and the tests hold the two side by side.

What each file says, beyond feedgen's defaults:

- ``updated``/``lastBuildDate`` are the newest entry's time, never "now";
- the generator carries no version, so a new release does not rewrite every file;
- the self link comes first and the page's link last: RSS's channel ``<link>``
  is the page, and every other link (WebSub hubs, RFC 5005's ``current``,
  ``prev-archive``, ``next-archive``) sits right after the self link, followed on
  an archive page by ``fh:archive``, whose namespace is declared on that one
  element so that feeds that are not archived do not change;
- a feed without a description describes itself by its title (RSS requires one);
- Atom's icon is the small picture (RFC 4287: square, a favicon), its logo and
  RSS's image the larger one; each stands in for the other when only one is set.

Every string passes :func:`~feeds.text.xml_safe` (through ``text``/``attr``):
feedgen left URLs and the language as given, and lxml refused a control
character in them; here it is dropped, as in titles.  A title that is empty
once made safe (or an empty page link) is refused with feedgen's own
``ValueError``, as before: the config's validation keeps a build from getting there.
"""

from __future__ import annotations

from datetime import datetime

from .. import home_page
from ..models import ArchiveLinks, FeedInfo
from ..text import xml_safe
from .xmlentry import attr, rfc2822, text

_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_RSS_OPEN = (
    '<rss xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'version="2.0">\n  <channel>\n'
)
_ATOM_OPEN = '<feed xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom"'
_ARCHIVED = '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/>\n'  # RFC 5005
_RSS_DOCS = "http://www.rssboard.org/rss-specification"  # feedgen's default, kept: the bytes stay

CLOSING = {"rss": b"  </channel>\n</rss>\n", "atom": b"</feed>\n"}


def head(fmt: str, info: FeedInfo, updated: datetime) -> bytes:
    """Everything before a feed's first item or entry; ``updated`` is its newest entry's time."""
    if updated.tzinfo is None:
        raise ValueError("Datetime object has no timezone info")
    return (rss_head(info, updated) if fmt == "rss" else atom_head(info, updated)).encode()


def rss_head(info: FeedInfo, updated: datetime) -> str:
    title = xml_safe(info.title)
    description = xml_safe(info.description) or title
    _require(("title", title), ("link", info.link), ("description", description))
    out = [_DECLARATION, _RSS_OPEN, f"    <title>{text(title)}</title>\n"]
    out.append(f"    <link>{text(info.link)}</link>\n")
    out.append(f"    <description>{text(description)}</description>\n")
    out.extend(_links(info, "application/rss+xml", "    <atom:link"))
    out.append(f"    <docs>{_RSS_DOCS}</docs>\n    <generator>feeds</generator>\n")
    large = info.icon or info.favicon
    if large:
        out.append(f"    <image>\n      <url>{text(large)}</url>\n      <title>{text(title)}</title>\n")
        out.append(f"      <link>{text(info.link)}</link>\n    </image>\n")
    if info.language:
        out.append(f"    <language>{text(info.language)}</language>\n")
    out.append(f"    <lastBuildDate>{rfc2822(updated)}</lastBuildDate>\n")
    return "".join(out)


def atom_head(info: FeedInfo, updated: datetime) -> str:
    title = xml_safe(info.title)
    _require(("title", title), ("id", info.link))
    lang = f' xml:lang="{attr(info.language)}"' if info.language else ""
    out = [_DECLARATION, f"{_ATOM_OPEN}{lang}>\n", f"  <id>{text(info.link)}</id>\n"]
    out.append(f"  <title>{text(title)}</title>\n  <updated>{updated.isoformat()}</updated>\n")
    author = xml_safe(info.author)
    if author:
        out.append(f"  <author>\n    <name>{text(author)}</name>\n  </author>\n")
    out.extend(_links(info, "application/atom+xml", "  <link"))
    out.append(f'  <link href="{attr(info.link)}" rel="alternate" type="text/html"/>\n')
    home = home_page()
    out.append(
        f'  <generator uri="{attr(home)}">feeds</generator>\n' if home else "  <generator>feeds</generator>\n"
    )
    small, large = info.favicon or info.icon, info.icon or info.favicon
    if small:
        out.append(f"  <icon>{text(small)}</icon>\n")
    if large:
        out.append(f"  <logo>{text(large)}</logo>\n")
    out.append(f"  <subtitle>{text(xml_safe(info.description) or title)}</subtitle>\n")
    return "".join(out)


def _links(info: FeedInfo, self_type: str, tag: str) -> list[str]:
    """The self link, the other links of :func:`head_links`, and the archive mark on an archive page."""
    indent = tag[: len(tag) - len(tag.lstrip())]
    out = [f'{tag} href="{attr(info.self_url)}" rel="self" type="{self_type}"/>\n']
    out.extend(f'{tag} href="{attr(href)}" rel="{rel}"/>\n' for rel, href in head_links(info))
    if info.archive is not None and info.archive.page:
        out.append(indent + _ARCHIVED)
    return out


def head_links(info: FeedInfo) -> tuple[tuple[str, str], ...]:
    """The links besides self and alternate: each hub, then where the document sits among the archives."""
    links = [("hub", hub) for hub in info.hubs]
    archive = info.archive
    if archive is not None:
        if archive.page:
            links.append(("current", archive.current))
        links.extend((rel, href) for rel, href in _archive_rels(archive) if href)
    return tuple(links)


def _archive_rels(archive: ArchiveLinks) -> tuple[tuple[str, str], ...]:
    return (("prev-archive", archive.prev_archive), ("next-archive", archive.next_archive))


def _require(*fields: tuple[str, str]) -> None:
    """feedgen's refusal of a feed without a title, link or id, in its words."""
    missing = [name for name, value in fields if not value]
    if missing:
        raise ValueError(f"Required fields not set ({', '.join(missing)})")
