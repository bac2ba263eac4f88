"""Plain-text helpers shared by titles, summaries and every string put into a feed."""

from __future__ import annotations

import html
import re

# What XML 1.0 forbids: C0 controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF.  (Written as
# the complement of what it allows, astral planes included, the class took 4 ms to compile.)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = "。！？!?."
ELLIPSIS = "…"


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/F)."""
    # search first: sub copies the whole string even when nothing matches (a body, twice an entry)
    return _XML_ILLEGAL.sub("", text) if _XML_ILLEGAL.search(text) else text


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


_PLAIN = re.compile(
    r"^[^<&\s\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]+(?: [^<&\s\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]+)*$"
)


def plain_title(raw: object) -> str:
    """A title as plain text: tags stripped, entities decoded, whitespace collapsed."""
    if isinstance(raw, list | tuple | dict | set):
        return ""  # a structure is no title (and a YAML alias bomb would take minutes to print)
    text = "" if raw is None else raw if isinstance(raw, str) else str(raw)
    if _PLAIN.match(text):
        return text  # nearly every name: nothing to strip, decode or collapse
    return collapse(xml_safe(html.unescape(_TAG.sub("", text))))


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a sentence end when one falls inside, else at the limit.

    Works on code points, so a cut never splits a surrogate pair or an entity
    (the text is already decoded); CJK has no spaces to cut at, hence the
    preference for sentence ends (。！？) over word boundaries.
    """
    return shorten(collapse(text), limit)


def shorten(text: str, limit: int, delimiter: str = "") -> str:
    """:func:`truncate` for text whose whitespace is already collapsed.

    With a ``delimiter`` (hexo-generator-feed's ``content_limit_delim``), the cut
    falls after the text's last delimiter within the limit, when there is one.
    """
    if len(text) <= limit:
        return text
    if delimiter:
        cut = text[:limit].rfind(delimiter)
        if cut > 0:
            return text[:cut].rstrip() + ELLIPSIS
    room = text[: max(limit - 1, 1)]
    cut = max(room.rfind(ch) for ch in _SENTENCE_END)
    if cut >= limit // 3:
        return room[: cut + 1]
    return room.rstrip() + ELLIPSIS


def summary_html(summary: str) -> str:
    """A plain-text summary as the HTML content of a ``feeds.content: summary`` entry."""
    return f"<p>{html.escape(summary)}</p>" if summary else ""
