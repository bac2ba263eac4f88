"""kramdown's typographic symbols and smart quotes, on plain text: Jekyll's ``smartify`` and its Markdown.

kramdown (the Markdown of Jekyll and GitHub Pages) turns ``---`` into an em
dash, ``--`` into an en dash, ``...`` into an ellipsis, ``<<``/``>>`` into
guillemets, and each straight quote into a curly one by the SmartyPants rules
it took over (kramdown's ``smart_quotes.rb``): the first rule that fits the
quote's neighbours decides.  The rules are written anew here; each quote is
decided from the characters around it in the text given (a text run between
two pieces of markup sees only its own characters).
"""

from __future__ import annotations

import re

LSQUO, RSQUO, LDQUO, RDQUO = "\u2018", "\u2019", "\u201c", "\u201d"
_PUNCT = "!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~"
_NOT_CLOSING_AFTER = " \\\t\r\n[{(-"
_SYMBOLS = re.compile(r"---|--|\.\.\.|<< |<<| >>|>>")
_SYMBOL_TEXT = {"---": "\u2014", "--": "\u2013", "...": "\u2026", "<< ": "\u00ab\u00a0", "<<": "\u00ab"}
_SYMBOL_TEXT |= {" >>": "\u00a0\u00bb", ">>": "\u00bb"}
_SYMBOL_ENDS = ("...", "--", "<<", ">>")
_WORD = re.compile(r"\w")
_EMPHASIS_NEXT = re.compile(r"[_*]{1,2}\S")
_DECADE = re.compile(r"\d\ds")
_CLOSE_NEXT = re.compile(r"\s|s\b|$")


def smartify(text: str, quotes: bool = True) -> str:
    """``text`` with kramdown's typographic symbols and (unless ``quotes`` is off) curly quotes."""
    if quotes and ("'" in text or '"' in text):
        text = _quotes(text)
    if "--" in text or "..." in text or "<<" in text or ">>" in text:
        text = _SYMBOLS.sub(lambda m: _SYMBOL_TEXT[m[0]], text)
    return text


def _quotes(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        prev = text[i - 1] if i else ""
        if prev and text.endswith(_SYMBOL_ENDS, 0, i):
            prev = ""  # a typographic symbol is an element of its own: the quote starts a run of text
        if ch not in "'\"" or prev == "\\":  # an escaped quote stays straight
            out.append(ch)
            i += 1
            continue
        pair = text[i : i + 2]
        if pair in ("\"'", "'\"") and _WORD.match(text, i + 2) and (not prev or prev.isspace()):
            out.append(LDQUO + LSQUO if ch == '"' else LSQUO + LDQUO)
            i += 2
            continue
        out.append(_one(ch, prev, text, i + 1))
        i += 1
    return "".join(out)


def _one(ch: str, prev: str, text: str, after: int) -> str:
    """One quote, by the first of kramdown's rules that fits.

    kramdown tries its rules from the character before the quote when the run
    of text has one: then only the rules that look back apply (after white
    space a quote opens, after ``[{(-`` too, after anything else it closes);
    a quote that starts the run is decided by what follows it.
    """
    opening, closing = (LDQUO, RDQUO) if ch == '"' else (LSQUO, RSQUO)
    decade = ch == "'" and _DECADE.match(text, after) is not None
    if prev:
        if prev.isspace():
            return RSQUO if decade else opening
        return opening if prev in _NOT_CLOSING_AFTER else closing
    nxt = text[after : after + 1]
    if _EMPHASIS_NEXT.match(text, after):
        return opening
    if nxt and nxt in _PUNCT and text[after : after + 2] != "..":
        return closing
    if decade:
        return RSQUO
    if _CLOSE_NEXT.match(text, after):
        return closing
    return opening
