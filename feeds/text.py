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


# White space other than spaces and no-break spaces: a title's line breaks and tabs become one space.
_BREAKS = re.compile(r"\s*[^\S \u00a0]\s*")


def plain_title(raw: object, *, keep_spaces: bool = False) -> str:
    """A title as plain text: tags stripped, entities decoded, whitespace collapsed.

    With ``keep_spaces`` (a post's title), runs of spaces and no-break spaces stay
    as written, as Hexo writes them into its feed; line breaks and tabs still
    become one space and the ends are trimmed.
    """
    if isinstance(raw, list | tuple | dict | set):
        return ""  # a structure is no title (and a YAML alias bomb would take minutes to print)
    text = "" if raw is None else raw if isinstance(raw, str) else str(raw)
    if _PLAIN.match(text):
        return text  # nearly every name: nothing to strip, decode or collapse
    text = xml_safe(html.unescape(_TAG.sub("", text)))
    return _BREAKS.sub(" ", text).strip() if keep_spaces else collapse(text)


# npm titlecase 1.1.3 (David Gouch's To Title Case), which Hexo's `titlecase: true` runs.  Its
# JavaScript regexes decide: `\s` is JavaScript's white space, the small words match ASCII letters
# only, and a word is a run from a Latin letter or digit to the next white space or hyphen.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_SPACE_CHARS = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(map(chr, range(0x2000, 0x200B)))
)
_TITLE_WORD = re.compile(f"[A-Za-z0-9\u00c0-\u00ff]+[^{_JS_SPACE}-]*")
_SMALL_WORD = re.compile(
    r"(?:a|an|and|as|at|but|by|en|for|if|in|nor|of|on|or|per|the|to|vs?\.?|via)\Z", re.I | re.A
)
_KEEP_CASE = re.compile(r"[A-Z]|\.[^\n\r\u2028\u2029]")  # a capital or a dot inside: iPhone, example.com


def titlecase(title: str) -> str:
    """``title`` as Hexo's ``titlecase`` writes it (npm titlecase 1.1.3, checked on 900 titles)."""
    return _TITLE_WORD.sub(lambda m: _title_word(m, title), title)


def _title_word(m: re.Match[str], title: str) -> str:
    word, start, end = m[0], m.start(), m.end()
    before = title[start - 1] if start else ""
    if (
        start > 0
        and end != len(title)
        and _SMALL_WORD.match(word)
        and title[start - 2 : start - 1] != ":"
        and (title[end : end + 1] != "-" or before == "-")
        and (before == "-" or before in _JS_SPACE_CHARS)
    ):
        return word.lower()
    if _KEEP_CASE.search(word, 1):
        return word
    return word[0].upper() + word[1:]


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
