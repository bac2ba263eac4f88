"""Make a scraped body fit for a feed reader: clean, safe, absolute HTML and a plain-text summary.

Two passes, each with the tool that is good at it.  lxml's HTML parser
(libxml2) gives a tree for the structural work a sanitizer cannot do: dropping
page furniture by CSS selector, recovering lazy images, making URLs absolute,
turning unknown iframes into links, removing wrappers left empty, writing
markup left open as the text it was typed as (see :mod:`.stray`).  nh3
(ammonia) then applies the allow-list, so safety never rests on our own walk.

Why lxml's own tree rather than BeautifulSoup over the same parser: building
bs4's Python object tree took 250 µs of a post's ~1 ms; lxml parses the same
post in 16 µs.  A cold build cleans every post that shows in some feed (tens
of thousands in a large archive), so that difference decides whether a build
takes seconds or minutes.
"""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import urlsplit

import nh3
from lxml import etree

from ..config import ContentConfig, FeedsConfig
from ..errors import ConfigError
from ..models import Content, Post, Site
from ..text import collapse, shorten, xml_safe
from ..urls import absolute, host, is_http
from . import fences, fragment, imagelink, markdown, math, stray, tags, themes

MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
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
# Elements of HTML the cleaner's walk passes by unless their attributes need work (an iframe, a
# table and a raw-text element kept always get a look).
_PLAIN = stray.HTML_ELEMENTS - {"iframe", "table", *stray.RAW_KEPT}
# Attributes that mark an element as needing work (URLs to fix, lazy images to recover).
_FIX_ATTRS = frozenset((*_URL_ATTRS, "srcset", "data-srcset", *_LAZY))
_BLANK = re.compile(r"^[\s\u00a0\u3000\u200b]*$")

_TAGS = (set(nh3.ALLOWED_TAGS) | {"video", "audio", "source", "track", "picture", "iframe"}) - {"area", "map"}
_TAGS |= math.TAGS  # MathML's presentation elements and the TeX annotation (see math.py)
_ATTRIBUTES: dict[str, set[str]] = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()} | math.ATTRIBUTES
_ATTRIBUTES["img"] |= {"srcset", "sizes", "title", "loading"}
_ATTRIBUTES["a"] |= {"title", "rel"}  # rel: only what the cleaner sets (see _link_rel, _filter_attribute)
_ATTRIBUTES.update(
    video={"src", "poster", "controls", "width", "height", "loop", "muted", "preload", "playsinline"},
    audio={"src", "controls", "loop", "muted", "preload"},
    source={"src", "srcset", "type", "media", "sizes"},
    track={"src", "kind", "srclang", "label", "default"},
    iframe={"src", "width", "height", "allowfullscreen", "title"},
    time={"datetime"},
    code={"class"},  # its language-* class alone, for readers that highlight code (see _filter_attribute)
    abbr={"title"},
)
_SCHEMES = {"http", "https", "mailto", "data"}
_REL = frozenset(("noopener", "noreferrer", "external", "nofollow"))
# A link off the site: no window.opener and no Referer for it, as before; with external_nofollow, the
# words hexo-renderer-marked's external_link.nofollow writes, in its order.
_EXTERNAL = "noopener noreferrer"
_NOFOLLOW = "noopener external nofollow noreferrer"


_NO_SITE = Site()


class Cleaner:
    """Settings compiled once per build; :meth:`render` turns one body into :class:`Content`."""

    def __init__(self, content: ContentConfig, feeds: FeedsConfig, site: Site = _NO_SITE):
        self.site = site
        self.theme = themes.Settings(
            content.theme,
            content.theme_series,
            content.theme_series_numbered,
            content.theme_footnotes and content.theme.strip().lower() == "fluid",
        )
        self.summary_length = feeds.summary_length
        self.summary_delimiter = feeds.summary_delimiter
        self.markdown = markdown.options(content)
        self.image_link = imagelink.NAME in content.filters
        self.iframe_hosts = frozenset(h.lower() for h in content.iframe_hosts)
        # The site's own hosts, as Hexo's isExternalLink reads external_link's exclude: a link to one
        # of them is internal and keeps no rel; every other http(s) link is the site's way out.
        own = (urlsplit(site.root).hostname or "", *content.internal_hosts)
        self.own_hosts = frozenset(h.strip().lower() for h in own if h.strip())
        self.external_rel = _NOFOLLOW if content.external_nofollow else _EXTERNAL
        # Built once: nh3.clean() turns these sets into a new sanitiser on every call, which took
        # two thirds of its time (50 µs a post against 16 µs for a prepared Cleaner).
        self.sanitizer = nh3.Cleaner(
            tags=_TAGS if self.iframe_hosts else _TAGS - {"iframe"},
            attributes=_ATTRIBUTES,
            attribute_filter=_filter_attribute,
            url_schemes=_SCHEMES,
            generic_attribute_prefixes=set(),
            link_rel=None,  # set per link by _link_rel: internal links keep none
        )
        paths = [_xpath(selector) for selector in content.remove]
        # One union, so libxml2 walks each body once for all of them.
        self.remove = etree.XPath(" | ".join(paths)) if paths else None
        # What a body must hold for the selectors to match anything, when all of them are known
        # (see KNOWN_NEEDS); else None, and the query runs on every body.
        needs = [KNOWN_NEEDS.get(selector) for selector in content.remove]
        self.remove_needs = tuple(n for n in needs if n) if all(needs) else None

    def render(self, post: Post, body: str) -> Content:
        is_markdown = markdown.is_markdown(body, post.body_format)
        site = self.site
        # The asset folder: for relative links with post_asset_folder, and for asset_* tags; worked
        # out only then (bench_clean: with the gutter selectors by tag, 0.056 -> 0.045 ms a post).
        folder = asset_folder(post.permalink) if site.asset_folder or "{%" in body else post.permalink
        base = folder if site.asset_folder else post.permalink  # what relative links resolve against
        root = site.root if site.prepend_root else ""
        render = partial(markdown.to_html, options=self.markdown, image_root=root, relative=site.asset_folder)
        body, fenced = fences.extract(body) if is_markdown else (body, None)
        if self.image_link:
            path = post.permalink[len(site.root) :] if post.permalink.startswith(site.root) else ""
            body = imagelink.rewrite(body, path)
        body = themes.before_render(self.theme, body, render) if self.theme.footnotes else body
        body, tagged = tags.expand(
            body, folder, markdown=is_markdown, render=render, site=site, theme=self.theme, refs=post.refs
        )
        render = partial(render, tokens=tags.TOKEN + tagged[0]) if tagged else render  # a tag's own URLs
        pieces = MORE.split(body, maxsplit=1)
        head, has_more = pieces[0], len(pieces) > 1
        if is_markdown:
            head = render(head) if has_more and not post.description else ""
            body = render(body)
        if tagged:
            head, body = tags.restore(head, tagged), tags.restore(body, tagged)
        if fenced:
            head, body = fences.restore(head, fenced), fences.restore(body, fenced)
        tree = self._clean(body, base)
        html = self._sanitize(tree)
        need = self.summary_length
        text = _text(tree, need)
        if post.description:
            summary_source = _text(fragment.body(post.description), need)
        elif has_more:
            summary_source = _text(self._clean(head, base), need)
        else:
            summary_source = text
        return Content(
            html=html,
            summary=shorten(summary_source, self.summary_length, self.summary_delimiter),  # collapsed
            first_text=shorten(text, min(80, self.summary_length)),
        )

    def warm(self) -> None:
        """Build the Markdown renderer now (see :func:`.markdown.warm`)."""
        markdown.warm(self.markdown)

    def clean_html(self, markup: str, base: str) -> str:
        """Rendered HTML made safe as a body is, with links against ``base``.

        For HTML that is already rendered (tools/hexo_compare cleans Hexo's
        own output with it, so both sides of a comparison are cleaned alike).
        """
        return self._sanitize(self._clean(markup, base))

    def _clean(self, markup: str, base: str, *, typed: bool = False) -> etree._Element:
        remove = self.remove if self._may_match(markup) else None
        tree = fragment.body(markup, remove, last_seen=False)  # `<!-- more -->` goes with the comments
        # A walk in Python beat an XPath query here (13 against 24 µs): bodies are a dozen elements.
        # It finds on the way the elements HTML does not know and tables without a row (an author's
        # `<table>` in prose): they lose their tags alone, where the sanitiser would drop the content
        # of some names and move a table's text out in front of it, leaving the table empty.  And an
        # iframe, textarea... left open, for fragment.body (see stray.suspect).
        unwrap = []
        for el in [el for el in tree.iter() if el.tag not in _PLAIN or not _FIX_ATTRS.isdisjoint(el.attrib)]:
            tag = el.tag
            if tag in stray.RAW_KEPT and not typed and (el.text or "").endswith(fragment.END):
                return self._clean(stray.as_typed(xml_safe(markup)), base, typed=True)
            if tag == "table" and el.find(".//tr") is None:
                unwrap.append(el)
            elif tag in stray.HTML_ELEMENTS:
                self._fix_element(el, base)
            else:
                unwrap.append(el)
        if unwrap:
            stray.unwrap(unwrap)
        _drop_empty(tree)
        return tree

    def _may_match(self, markup: str) -> bool:
        """Whether ``content.remove`` may select something in ``markup``: the default selectors each
        need a word in the markup, written out or behind a character reference (no named one
        spells these words but ``_``'s).  The query cost 7% of cleaning a body (bench_clean)."""
        needs = self.remove_needs
        if needs is None:
            return self.remove is not None
        if "&#" in markup or "&lowbar" in markup or "&UnderBar" in markup:
            return True
        return any(all(part in markup for part in need) for need in needs)

    def _fix_element(self, el: etree._Element, base: str) -> None:
        attrib = el.attrib
        if el.tag == "img":
            for attr in _LAZY:
                if attrib.get(attr):
                    attrib["src"] = attrib[attr]
                    break
            if attrib.get("data-srcset"):
                attrib["srcset"] = attrib["data-srcset"]
        for attr in _URL_ATTRS:
            value = attrib.get(attr)
            if value is not None:
                fixed = _fix_url(value, base, image=el.tag == "img" and attr == "src")
                if fixed is None:
                    del attrib[attr]
                else:
                    attrib[attr] = fixed
        srcset = attrib.get("srcset")
        if srcset:
            attrib["srcset"] = _fix_srcset(str(srcset), base)
        if el.tag == "a":
            self._link_rel(el)
        elif el.tag == "iframe":
            self._fix_iframe(el)

    def _link_rel(self, link: etree._Element) -> None:
        """The link's ``rel``, ours and not the author's: ``external_rel`` on an http(s) link to a host
        that is not the site's own, nothing on the rest (the site's pages, ``#part``, ``mailto:``)."""
        href = link.get("href") or ""
        external = href[:4] == "http" and (not self.own_hosts or host(href) not in self.own_hosts)
        if external:
            link.set("rel", self.external_rel)
        elif "rel" in link.attrib:
            del link.attrib["rel"]

    def _fix_iframe(self, el: etree._Element) -> None:
        src = el.get("src")
        host = (urlsplit(src).hostname or "") if src else ""
        if src and host in self.iframe_hosts:
            return
        if not src:
            fragment.drop(el)
            return
        link = etree.Element("a", href=src)
        link.text = src
        self._link_rel(link)
        # On a line of its own, as the frame was, unless it is in a paragraph: a <p> there would end
        # the paragraph and move the words after it out (a reader's parser leaves an empty <p> too).
        if not any(above.tag == "p" for above in el.iterancestors()):
            para = etree.Element("p")
            para.append(link)
            link = para
        link.tail = el.tail
        parent = el.getparent()
        assert parent is not None  # found under the root, which is never an iframe
        parent.replace(el, link)

    def _sanitize(self, tree: etree._Element) -> str:
        markup = etree.tostring(tree, method="html", encoding="unicode")
        return self.sanitizer.clean(markup[5:-6]).strip()  # [5:-6]: the <div> container fragment.body gives


# cssselect's translations of the default content.remove selectors, so that a build that cleans a
# post or two (one post edited) need not load cssselect: 7 ms, against 0.3 s for the whole build.
# tests/content/test_clean.py holds them to cssselect's own.
KNOWN_SELECTORS = {
    "#recommend_bottom": "descendant-or-self::*[@id = 'recommend_bottom']",
    "#article_bottom": "descendant-or-self::*[@id = 'article_bottom']",
    'p:contains("分享让更多人看到")': "descendant-or-self::p[contains(., '分享让更多人看到')]",
    "td.gutter": "descendant-or-self::td[@class and contains(@class, 'gutter') and "
    "contains(concat(' ', normalize-space(@class), ' '), ' gutter ')]",
    "span.line-numbers-rows": "descendant-or-self::span[@class and contains(@class, 'line-numbers-rows') "
    "and contains(concat(' ', normalize-space(@class), ' '), ' line-numbers-rows ')]",
}


# What each known selector needs in a body's markup to select anything, every part of it: an id or a
# class (matched exactly, case and all), or each character of :contains()'s words, which markup
# may split (`分享<b>让</b>…`).
KNOWN_NEEDS: dict[str, tuple[str, ...]] = {
    "#recommend_bottom": ("recommend_bottom",),
    "#article_bottom": ("article_bottom",),
    'p:contains("分享让更多人看到")': tuple("分享让更多人看到"),
    "td.gutter": ("gutter",),
    "span.line-numbers-rows": ("line-numbers-rows",),
}


def _xpath(selector: str) -> str:
    """A ``content.remove`` selector as XPath; ConfigError naming it when it is not valid CSS."""
    known = KNOWN_SELECTORS.get(selector)
    if known is not None:
        return known
    from cssselect import HTMLTranslator, SelectorError

    try:  # cssselect's own :contains() needs no XPath extension function
        path = str(HTMLTranslator().css_to_xpath(selector))
        etree.XPath(path)
    except (SelectorError, SyntaxError, etree.XPathSyntaxError) as e:
        raise ConfigError(f"not a valid CSS selector {selector!r}: {e}", key="content.remove") from e
    return path


def asset_folder(permalink: str) -> str:
    """The URL of a post's asset folder, as Hexo serves it: the permalink less ``.html``, as a folder."""
    folder = permalink.split("#", 1)[0].split("?", 1)[0]
    folder = re.sub(r"(?:/index)?\.html?$", "", folder)
    return folder if folder.endswith("/") else folder + "/"


_LANGUAGE = re.compile(r"language-[\w+#.-]{1,40}")


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """data: URLs only as the picture of an <img>; a code block's language class and no other class;
    a link's rel words from _REL alone; everything else nh3's allow-list decides."""
    if attr == "class":
        return " ".join(c for c in value.split() if _LANGUAGE.fullmatch(c)) or None
    if attr == "rel":  # the cleaner's words (an <a> without href keeps the author's, if one of them)
        return " ".join(w for w in value.lower().split() if w in _REL) or None
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
    try:
        url = absolute(stripped, base)
    except ValueError:  # e.g. "http://[x": not a URL a reader could follow
        return None
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


def _drop_empty(tree: etree._Element) -> None:
    """Remove wrappers with no text and no media, innermost first, so emptied parents go too.

    A blank wrapper between two words is their space (``from<span> </span><a>Skippy</a>``):
    it leaves a space behind, so the words do not run together.
    """
    for el in reversed(list(tree.iter(*_WRAPPERS))):
        if el is tree or not _BLANK.match(el.text or ""):
            continue
        if all(child.tag == "br" and _BLANK.match(child.tail or "") for child in el):
            if (el.text or len(el)) and _between_words(el):
                el.tail = " " + (el.tail or "")
            fragment.drop(el)


def _between_words(el: etree._Element) -> bool:
    """Whether text runs right up to ``el`` on both sides, inside its parent (a block beside it
    separates the words anyway)."""
    previous, following, parent = el.getprevious(), el.getnext(), el.getparent()
    if previous is not None and not previous.tail:
        if previous.tag in _BLOCKS:
            return False
        before = "".join(str(t) for t in previous.itertext())
    elif previous is not None:
        before = previous.tail or ""
    else:
        before = (parent.text or "") if parent is not None else ""
    after = el.tail or ""
    if not after and following is not None:
        if following.tag in _BLOCKS:
            return False
        after = "".join(str(t) for t in following.itertext())
    return bool(before) and bool(after) and not before[-1].isspace() and not after[0].isspace()


def _text(tree: etree._Element, need: int) -> str:
    """The start of the tree's text, whitespace collapsed, with a break where a block starts or ends.

    CJK text has no spaces to lose, but Latin text would run words together
    across paragraphs, hence the spaces at block edges.  Summaries and titles
    use the first ``need`` characters, so the walk stops soon after them
    instead of visiting every element of a long post: what it returns is cut
    by :func:`~feeds.text.shorten` exactly as the whole text would be.
    """
    parts: list[str] = []
    size, check = 0, need + 1
    for event, el in etree.iterwalk(tree, events=("start", "end", "comment", "pi")):
        if event == "start":
            piece = el.text
        elif event == "end":
            piece = el.tail if el is not tree else None
        else:
            piece = el.tail  # a comment's own text is not text of the page
        if el.tag in _BLOCKS:
            parts.append(" ")
        if piece:
            parts.append(piece)
            size += len(piece)
            if size > check:
                text = collapse("".join(parts))
                if len(text) > need:
                    return text
                check = size + need
    return collapse("".join(parts))
