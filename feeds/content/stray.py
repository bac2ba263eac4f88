"""Markup a post opens and never closes is the characters its author typed.

An HTML parser reads everything after an unclosed ``<iframe>``, ``<textarea>``
or ``<!--`` as that element's text, up to the end of the document: the
cleaner then drops it with the element, or shows the rest of the post (and the
parser's own ``</body></html>``) as escaped markup.  Old posts write such tags
in prose ("a newly created <div> or <iframe> of a page"), so :func:`as_typed`
turns each of these ``<`` into ``&lt;``, and the cleaner parses the body again:

- a raw-text or escapable-raw-text element (``script``, ``style``, ``iframe``,
  ``noembed``, ``noframes``, ``noscript``, ``xmp``, ``title``, ``textarea``,
  ``plaintext``) with no end tag after it (``<plaintext>`` has none in HTML);
- a comment or CDATA section that is not closed;
- a tag cut off at the end of the body (``<div``, ``<a href='``);
- a block element written right after a word (``Before <table> after``,
  ``新建的<div>或``) that has no end tag: a parser would close the paragraph there and move the
  text after it into the element (or, for a table, out in front of it).

Closed ones are left to the cleaner's rules.  Whether a body may hold any is
seen in its parse (:func:`suspect`); a body with none pays one
regular-expression search and a look at its end.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree


def _alternatives(names: list[str]) -> str:
    """``names`` as one regular expression grouped by first letters, which the engine tries fast."""
    heads: dict[str, list[str]] = {}
    for name in names:
        heads.setdefault(name[:1], []).append(name[1:])
    options = [head + _alternatives(rests) if head else "" for head, rests in heads.items()]
    return f"(?:{'|'.join(sorted(options, key=len, reverse=True))})" if len(options) > 1 else options[0]


_RAW = "script|style|iframe|noembed|noframes|noscript|xmp|title|textarea|plaintext"
# Block elements that need an end tag and end an open paragraph: right after a word (a space between
# or none, as in CJK prose) and never closed, they are a word of prose, not structure (lower or upper
# case, as HTML is written).
_BLOCK_NAMES = """table form div ul ol dl pre blockquote section article aside header footer nav main
    figure details fieldset address center h1 h2 h3 h4 h5 h6"""
_BLOCKS = _BLOCK_NAMES.split()
_INITIALS = "".join(sorted({n[0] for n in _BLOCKS} | {n[0].upper() for n in _BLOCKS}))
_IN_SENTENCE = (  # the initials first: most `<` of a body (`</`, `<img`, `<li`) fail on them at once
    rf"<(?=[{_INITIALS}])(?:(?<=[^\s>]<)|(?<=[^\s>] <))"
    rf"(?P<block>{_alternatives(_BLOCKS + [n.upper() for n in _BLOCKS])})(?=[\s/>])"
)
_SENTENCE = re.compile(_IN_SENTENCE)
_SUSPECT = re.compile(
    rf"<(?:(?P<comment>!--)|(?P<cdata>!\[CDATA\[)|(?P<raw>{_RAW})(?=[\s/>]))|(?-i:{_IN_SENTENCE})", re.I
)
# From a body's last `<` to its end with no `>` outside quotes: a tag the body ends in the middle of.
_CUT = re.compile(r"""<(?:/?[A-Za-z]|!)(?:[^>"']|"[^"]*"|'[^']*')*(?:"[^"]*|'[^']*)?""")


# The raw-text elements the cleaner keeps (it drops script, style, title and noscript with their text).
RAW_KEPT = frozenset(("iframe", "textarea", "xmp", "noembed", "noframes", "plaintext"))


def suspect(markup: str, dropped: list[etree._Element], end: str) -> bool:
    """Whether the parse of ``markup`` may hold unclosed markup read as an element, seen where it
    costs next to nothing.

    An element or comment left open holds all that follows it, ``end`` too (the
    parser's own end tags after the fragment).  ``dropped``: the comments and
    elements the cleaner drops, which it walks anyway; for :data:`RAW_KEPT`, see
    :func:`holds_end`.
    """
    for el in dropped:
        # A <noscript>'s content is HTML to libxml2, which ends with the element around it; it makes
        # `<![CDATA[` a comment up to the next `>`.
        if el.tag == "noscript":
            return True
        text = el.text
        if text and (text.endswith(end) or text.startswith("[CDATA[")):
            return True
    if _SENTENCE.search(markup):
        return True
    if markup.endswith((">", ">\n")):
        return False
    at = markup.rfind("<")
    return at >= 0 and _CUT.fullmatch(markup, at) is not None


def holds_end(tree: etree._Element, end: str) -> bool:
    """Whether the last node of ``tree`` holds ``end`` as text: it was left open."""
    last = tree
    while len(last):
        last = last[-1]
    text = last.text
    return text is not None and text.endswith(end)


def as_typed(markup: str) -> str:
    """``markup`` with the ``<`` of each unclosed element (see the module) escaped as text."""
    first = _SUSPECT.search(markup)
    cut = _cut_off(markup)
    if first is None and cut is None:
        return markup
    escaped = _unclosed(markup, first) if first is not None else set()
    while cut is not None and cut not in escaped:  # `<a title='x<y`: the tag the quote is in is cut off too
        escaped.add(cut)
        cut = _cut_off(markup, cut, escaped)
    out, last = [], 0
    for at in sorted(escaped):
        out.append(markup[last:at])
        out.append("&lt;")
        last = at + 1
    out.append(markup[last:])
    return "".join(out)


def _cut_off(markup: str, before: int | None = None, escaped: set[int] | None = None) -> int | None:
    """Where a tag begins that the body ends inside of, if it does (looked for before ``before``)."""
    at = markup.rfind("<", 0, len(markup) if before is None else before)
    if at < 0:
        return None
    tail = markup[at:]
    for done in sorted(escaped or (), reverse=True):  # escaped `<` are text, not quote breakers' tags
        if done > at:
            tail = tail[: done - at] + "&lt;" + tail[done - at + 1 :]
    return at if _CUT.fullmatch(tail) else None


def _unclosed(markup: str, found: re.Match[str] | None) -> set[int]:
    escaped: set[int] = set()
    blocks: dict[str, list[int]] = {}
    # What has no end after some point, so none after any later one (HTML gives <plaintext> none).
    unended = {"plaintext"}
    while found is not None:
        start, pos = found.start(), found.end()
        if found["comment"] or found["cdata"]:  # `<!-->` and `<!--->` are closed (empty) comments
            ender, after = ("-->", start + 2) if found["comment"] else ("]]>", pos)
            end = markup.find(ender, after) if ender not in unended else -1
            if end < 0:
                unended.add(ender)
            pos = end + 3 if end >= 0 else pos
        elif found["raw"]:
            gt = markup.find(">", pos)
            if gt < 0:  # a start tag cut off: see _cut_off
                break
            name = found["raw"].lower()
            close = _end_tag(name).search(markup, gt + 1) if name not in unended else None
            end = close.end() if close else -1
            if close is None:
                unended.add(name)
            pos = end if end >= 0 else pos
        else:
            blocks.setdefault(found["block"].lower(), []).append(start)
            end = 0  # decided below, by counting
        if end < 0:
            escaped.add(start)
        found = _SUSPECT.search(markup, pos)
    for name, starts in blocks.items():
        excess = len(_start_tag(name).findall(markup)) - len(_end_tag(name).findall(markup))
        escaped.update(starts[max(0, len(starts) - excess) :] if excess > 0 else ())
    return escaped


@lru_cache(maxsize=64)
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?=[\s/>])", re.I)


@lru_cache(maxsize=64)
def _start_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"<{name}(?=[\s/>])", re.I)


def unwrap(elements: list[etree._Element]) -> None:
    """``elements`` lose their tags, keeping what they hold where it was; not inside an ``<svg>`` or
    ``<math>``, whose own elements these are (the sanitiser drops those wholes)."""
    for el in elements:
        if all(above.tag not in _FOREIGN for above in el.iterancestors()):
            el.tag = _UNWRAP
    etree.strip_tags(elements[0].getroottree(), _UNWRAP)


_FOREIGN = frozenset(("svg", "math"))
_UNWRAP = "feeds-unwrap"  # unknown to HTML itself: an author's element of that name would go anyway
# Every element of HTML, current and obsolete, and the roots of SVG and MathML.  A browser shows an
# element of any other name (`#include <vector>` in prose) as its content alone; the cleaner unwraps
# it, as the sanitiser would drop the content of some such names with the tag (`<vector>`, `<set>`,
# `<list>`: names of MathML and SVG).
_NAMES = """a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
    blockquote body br button canvas caption center cite code col colgroup data datalist dd del details
    dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3
    h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd keygen label legend li
    link listing main map mark marquee math menu menuitem meta meter multicol nav nextid nobr noembed
    noframes noscript object ol optgroup option output p param picture plaintext portal pre progress q rb
    rp rt rtc ruby s samp script search section select slot small source spacer span strike strong style
    sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var
    video wbr xmp"""
HTML_ELEMENTS = frozenset(_NAMES.split())
