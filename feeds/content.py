"""Make a scraped body fit for a feed reader: clean, safe, absolute HTML and a plain-text summary.

Two passes, each with the tool that is good at it.  BeautifulSoup (lxml
parser) does the structural work a sanitizer cannot: dropping page furniture
by CSS selector, recovering lazy images, making URLs absolute, turning
unknown iframes into links, removing wrappers left empty.  nh3 (ammonia) then
applies the allow-list, so safety never rests on our own tree walking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import nh3
import soupsieve
from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

from . import markdown
from .config import ContentConfig, FeedsConfig
from .errors import ConfigError
from .models import Content, Post
from .text import collapse, truncate, xml_safe
from .urls import absolute, is_http

MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "meta",
    "link",
    "title",
    "object",
    "embed",
    "form",
)
_LAZY = ("data-src", "data-original", "data-actualsrc", "data-lazy-src")
_URL_ATTRS = ("href", "src", "poster", "cite")
_MEDIA = {"img", "video", "audio", "iframe", "picture", "source", "hr", "table", "svg", "math"}
_WRAPPERS = {
    "div",
    "p",
    "span",
    "section",
    "article",
    "font",
    "center",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "li",
    "ul",
}
_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "blockquote", "pre", "section", "article", "figure", "figcaption", "dd", "dt", "hr", "img",
}  # fmt: skip
_BLANK = re.compile(r"^[\s\u00a0\u3000\u200b]*$")

_TAGS = (set(nh3.ALLOWED_TAGS) | {"video", "audio", "source", "track", "picture", "iframe"}) - {"area", "map"}
_ATTRIBUTES: dict[str, set[str]] = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["img"] |= {"srcset", "sizes", "title", "loading"}
_ATTRIBUTES["a"] |= {"title"}
_ATTRIBUTES.update(
    video={"src", "poster", "controls", "width", "height", "loop", "muted", "preload", "playsinline"},
    audio={"src", "controls", "loop", "muted", "preload"},
    source={"src", "srcset", "type", "media", "sizes"},
    track={"src", "kind", "srclang", "label", "default"},
    iframe={"src", "width", "height", "allowfullscreen", "title"},
    time={"datetime"},
    abbr={"title"},
)
_SCHEMES = {"http", "https", "mailto", "data"}


class Cleaner:
    """Settings compiled once per build; :meth:`render` turns one body into :class:`Content`."""

    def __init__(self, content: ContentConfig, feeds: FeedsConfig):
        self.summary_length = feeds.summary_length
        self.iframe_hosts = frozenset(h.lower() for h in content.iframe_hosts)
        self.remove = []
        for selector in content.remove:
            try:
                self.remove.append(soupsieve.compile(selector))
            except soupsieve.SelectorSyntaxError as e:
                raise ConfigError(f"not a valid CSS selector {selector!r}: {e}", key="content.remove") from e

    def render(self, post: Post, body: str) -> Content:
        is_md = markdown.is_markdown(body, post.body_format)
        pieces = MORE.split(body, maxsplit=1)
        head, has_more = pieces[0], len(pieces) > 1
        parts = head, body
        if is_md:
            parts = markdown.to_html(head), markdown.to_html(body)
        soup = self._clean(parts[1], post.permalink)
        text = collapse("".join(_text(soup)))
        if post.description:
            summary_source = collapse("".join(_text(BeautifulSoup(post.description, "lxml"))))
        elif has_more:
            summary_source = collapse("".join(_text(self._clean(parts[0], post.permalink))))
        else:
            summary_source = text
        return Content(
            html=self._sanitize(soup),
            summary=truncate(summary_source, self.summary_length),
            first_text=truncate(text, min(80, self.summary_length)),
        )

    def _clean(self, markup: str, base: str) -> BeautifulSoup:
        soup = BeautifulSoup(MORE.sub("", xml_safe(markup)), "lxml")
        for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
            node.extract()
        for tag in soup.find_all(_DROP):
            tag.decompose()
        for selector in self.remove:
            for tag in selector.select(soup):
                tag.decompose()
        for tag in soup.find_all(True):
            self._fix_tag(tag, base)
        _drop_empty(soup)
        return soup

    def _fix_tag(self, tag: Tag, base: str) -> None:
        if tag.name == "img":
            for attr in _LAZY:
                if tag.get(attr):
                    tag["src"] = str(tag[attr])
                    break
            if tag.get("data-srcset"):
                tag["srcset"] = str(tag["data-srcset"])
        for attr in _URL_ATTRS:
            value = tag.get(attr)
            if value is not None:
                fixed = _fix_url(str(value), base, image=tag.name == "img" and attr == "src")
                if fixed is None:
                    del tag[attr]
                else:
                    tag[attr] = fixed
        if tag.get("srcset"):
            tag["srcset"] = _fix_srcset(str(tag["srcset"]), base)
        if tag.name == "iframe":
            self._fix_iframe(tag)

    def _fix_iframe(self, tag: Tag) -> None:
        src = tag.get("src")
        host = (urlsplit(str(src)).hostname or "") if src else ""
        if src and host in self.iframe_hosts:
            return
        if not src:
            tag.decompose()
            return
        link = Tag(name="a", attrs={"href": str(src)})
        link.string = str(src)
        para = Tag(name="p")
        para.append(link)
        tag.replace_with(para)

    def _sanitize(self, soup: BeautifulSoup) -> str:
        body = soup.body or soup
        markup = "".join(str(child) for child in body.contents)
        return nh3.clean(
            markup,
            tags=_TAGS if self.iframe_hosts else _TAGS - {"iframe"},
            attributes=_ATTRIBUTES,
            attribute_filter=_filter_attribute,
            url_schemes=_SCHEMES,
            generic_attribute_prefixes=set(),
            link_rel="noopener noreferrer",
        ).strip()


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """data: URLs only as the picture of an <img>; everything else nh3's allow-list decides."""
    if value.lstrip()[:5].lower() == "data:" and not (
        tag == "img" and attr == "src" and value.lstrip()[5:11].lower() == "image/"
    ):
        return None
    return value


def _fix_url(value: str, base: str, *, image: bool) -> str | None:
    stripped = value.strip()
    if not stripped:
        return None
    scheme = stripped.split(":", 1)[0].lower() if ":" in stripped[:12] else ""
    if scheme == "data":
        return stripped if image and stripped[5:11].lower() == "image/" else None
    if scheme in ("mailto", "tel"):
        return stripped
    url = absolute(stripped, base)
    return url if is_http(url) or stripped.startswith("#") else None


def _fix_srcset(value: str, base: str) -> str:
    out = []
    for candidate in value.split(","):
        bits = candidate.split()
        if not bits:
            continue
        url = _fix_url(bits[0], base, image=False)
        if url:
            out.append(" ".join([url, *bits[1:]]))
    return ", ".join(out)


def _drop_empty(soup: BeautifulSoup) -> None:
    """Remove wrappers with no text and no media, innermost first, so emptied parents go too."""
    for tag in reversed(soup.find_all(_WRAPPERS)):
        if tag.find(_MEDIA) is None and tag.name not in _MEDIA and _BLANK.match(tag.get_text()):
            tag.decompose()


def _text(soup: BeautifulSoup | Tag) -> Iterator[str]:
    """Strings in document order, with a break where a block starts (CJK text has no spaces to lose)."""
    for node in soup.descendants:
        if isinstance(node, Tag):
            if node.name in _BLOCKS:
                yield " "
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            yield str(node)
