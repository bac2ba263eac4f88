"""markdown-it plugins Hexo blogs load that mdit-py-plugins lacks, written to their JavaScript rules.

Each follows its npm package, checked against that package's output by
tools/renderer_oracle: markdown-it-ins (``++inserted++``), markdown-it-mark
(``==marked==``), markdown-it-abbr (``*[HTML]: Hyper Text…``),
markdown-it-cjk-breaks (no line break between two CJK characters),
markdown-it-emoji (``:smile:``, and shortcuts such as ``:)`` between spaces or
punctuation), the ``@[toc]`` of hexo-renderer-markdown-it-plus (a table of contents a
feed leaves out), and kramed's formulas (``$$…$$`` only: a lone ``$`` is text).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def pair_plugin(md: MarkdownIt, marker: str, tag: str) -> None:
    """Two marker characters around text make an element, by markdown-it's strikethrough algorithm
    (delimiter runs, balanced with emphasis): ``+`` and ``ins``, ``=`` and ``mark``."""
    name = f"pair_{tag}"
    md.inline.ruler.before("emphasis", name, lambda state, silent: _pair_tokenize(state, silent, marker))

    def post(state: Any) -> None:
        _pair_post(state, state.delimiters, marker, tag)
        for meta in state.tokens_meta:
            if meta and "delimiters" in meta:
                _pair_post(state, meta["delimiters"], marker, tag)

    md.inline.ruler2.before("emphasis", name, post)


def _pair_tokenize(state: Any, silent: bool, marker: str) -> bool:
    from markdown_it.rules_inline.state_inline import Delimiter

    if silent or state.src[state.pos] != marker:
        return False
    scanned = state.scanDelims(state.pos, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        state.push("text", "", 0).content = marker
        length -= 1
    for _ in range(0, length, 2):
        state.push("text", "", 0).content = marker * 2
        state.delimiters.append(
            Delimiter(ord(marker), 0, len(state.tokens) - 1, -1, scanned.can_open, scanned.can_close)
        )
    state.pos += scanned.length
    return True


def _pair_post(state: Any, delimiters: list[Any], marker: str, tag: str) -> None:
    code = ord(marker)
    for start in delimiters:
        if start.marker != code or start.end == -1:
            continue
        end = delimiters[start.end]
        for index, nesting, kind in ((start.token, 1, "open"), (end.token, -1, "close")):
            token = state.tokens[index]
            token.type, token.tag, token.nesting = f"{tag}_{kind}", tag, nesting
            token.markup, token.content = marker * 2, ""


# markdown-it-abbr: a definition is a line of its own, `*[label]: title`, anywhere a paragraph could begin.
_ABBR_DEF = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.*)$")


def abbr_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("reference", "abbr_def", _abbr_def, {"alt": ["paragraph", "reference"]})
    md.core.ruler.after("linkify", "abbr_replace", _abbr_replace)


def _abbr_def(state: Any, line: int, end: int, silent: bool) -> bool:
    start, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    if state.sCount[line] - state.blkIndent >= 4:
        return False
    m = _ABBR_DEF.match(state.src[start:stop])
    if m is None or not m[1].strip():
        return False
    if silent:
        return True
    state.env.setdefault("abbreviations", {}).setdefault(":" + m[1].strip(), m[2].strip())
    state.line = line + 1
    return True


def _abbr_replace(state: Any) -> None:
    found = state.env.get("abbreviations")
    if not found:
        return
    names = sorted((k[1:] for k in found), key=len, reverse=True)
    pattern = re.compile(r"(?<![^\W_])(" + "|".join(map(re.escape, names)) + r")(?![^\W_])")
    from markdown_it.token import Token

    for block in state.tokens:
        if block.type != "inline":
            continue
        children, out, in_link = block.children or [], [], 0
        for token in children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "text" or in_link or not pattern.search(token.content):
                out.append(token)
                continue
            at = 0
            for m in pattern.finditer(token.content):
                if m.start() > at:
                    out.append(_text(Token, token.content[at : m.start()]))
                opening = Token("abbr_open", "abbr", 1)
                opening.attrs = {"title": found[":" + m[1]]}
                out += [opening, _text(Token, m[1]), Token("abbr_close", "abbr", -1)]
                at = m.end()
            if at < len(token.content):
                out.append(_text(Token, token.content[at:]))
        block.children = out


def _text(token_class: Any, content: str) -> Any:
    token = token_class("text", "", 0)
    token.content = content
    return token


_HANGUL = re.compile(
    "[\u1100-\u11ff\u302e\u302f\u3131-\u318e\u3200-\u321e\u3260-\u327e\ua960-\ua97c\uac00-\ud7a3"
    "\ud7b0-\ud7c6\ud7cb-\ud7fb\uffa0-\uffbe\uffc2-\uffc7\uffca-\uffcf\uffd2-\uffd7\uffda-\uffdc]"
)


def _wide(ch: str) -> bool:
    """Fullwidth, wide or halfwidth, and not Hangul (Korean separates its words with spaces)."""
    return unicodedata.east_asian_width(ch) in ("F", "W", "H") and not _HANGUL.match(ch)


def cjk_breaks_plugin(md: MarkdownIt) -> None:
    """A line break between two wide (CJK) characters is no space and no ``<br>``, as in Chinese prose;
    the characters are the nearest text's on each side, past any markup between."""
    md.core.ruler.push("cjk_breaks", _cjk_breaks)


def _cjk_breaks(state: Any) -> None:
    for block in state.tokens:
        children = block.children or []
        for i, token in enumerate(children):
            if token.type != "softbreak":
                continue
            last = next((t.content[-1:] for t in reversed(children[:i]) if t.type == "text"), " ") or " "
            first = next((t.content[:1] for t in children[i + 1 :] if t.type == "text"), " ") or " "
            if "\u200b" in (last, first) or (_wide(last) and _wide(first)):
                token.type, token.content = "text", ""


# markdown-it-emoji's emoticons: a line each, an emoji's name and the shortcuts that stand for it
_EMOTICONS = """
angry >:( >:-(
blush :") :-")
broken_heart </3 <\\3
confused :/ :-/
cry :'( :'-( :,( :,-(
frowning :( :-(
heart <3
imp ]:( ]:-(
innocent o:) O:) o:-) O:-) 0:) 0:-)
joy :') :'-) :,) :,-) :'D :'-D :,D :,-D
kissing :* :-*
laughing x-) X-)
neutral_face :| :-|
open_mouth :o :-o :O :-O
rage :@ :-@
smile :D :-D
smiley :) :-)
smiling_imp ]:) ]:-)
sob :,'( :,'-( ;( ;-(
stuck_out_tongue :P :-P
sunglasses 8-) B-)
sweat ,:( ,:-(
sweat_smile ,:) ,:-)
unamused :s :-S :z :-Z :$ :-$
wink ;) ;-)
"""


@lru_cache(maxsize=1)
def _emoji_table() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """GitHub's emoji names (``:smile:``, ``:+1:``), the names markdown-it-emoji reads; its shortcuts;
    and one pattern for both, tried as the package tries them (in reverse order of their text)."""
    import emoji  # only blogs with the emoji plugin pay for loading its table

    # GitHub's names are the package's aliases; a Unicode name that is also one (``:dog:``, the face, is
    # the "dog" of another emoji) means what GitHub says
    names: dict[str, str] = {}
    for key in ("alias", "en"):
        for char, data in emoji.EMOJI_DATA.items():
            for name in data.get(key, ()) if key == "alias" else (data["en"],):
                names.setdefault(name.strip(":"), char)
    shortcuts: dict[str, str] = {}
    for line in _EMOTICONS.strip().splitlines():
        name, *faces = line.split()
        shortcuts |= dict.fromkeys(faces, name)
    every = sorted([f":{name}:" for name in names] + list(shortcuts), reverse=True)
    return names, shortcuts, re.compile("|".join(map(re.escape, every)))


def _apart(char: str) -> bool:
    """A space, punctuation or a control character: what may stand beside a shortcut."""
    kind = unicodedata.category(char)
    return kind[0] in "ZP" or kind == "Cc"


def emoji_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("linkify", "emoji", _emoji)


def _emoji(state: Any) -> None:
    names, shortcuts, pattern = _emoji_table()

    def one(m: re.Match[str]) -> str:
        text, at, end = m.string, m.start(), m.end()
        if m[0] not in shortcuts:
            return names[m[0][1:-1]]
        if (at and not _apart(text[at - 1])) or (end < len(text) and not _apart(text[end])):
            return m[0]  # a letter beside it: part of a word or an address (http://)
        return names[shortcuts[m[0]]]

    for block in state.tokens:
        in_autolink = 0
        for token in block.children or ():
            if token.info == "auto":  # a linkified address; a link written [so](url) is read
                in_autolink += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type == "text" and not in_autolink and pattern.search(token.content):
                token.content = pattern.sub(one, token.content)


_TOC = re.compile(r"@\[toc\]", re.IGNORECASE)


def toc_plugin(md: MarkdownIt) -> None:
    """``@[toc]``: hexo-renderer-markdown-it-plus writes the post's table of contents there; a feed
    entry has no use for one (its links point into the page), so the marker goes."""
    md.inline.ruler.before("link", "toc_marker", _toc)
    md.core.ruler.push("anchor_space", _anchor_space)


def _anchor_space(state: Any) -> None:
    """Its heading anchors (an empty link, which the cleaner drops) come with a space before the text."""
    from markdown_it.token import Token

    for i, block in enumerate(state.tokens):
        if block.type == "heading_open" and i + 1 < len(state.tokens):
            state.tokens[i + 1].children = [_text(Token, " "), *(state.tokens[i + 1].children or [])]


def _toc(state: Any, silent: bool) -> bool:
    if state.src[state.pos] != "@" or not _TOC.match(state.src, state.pos):
        return False
    state.pos += 6
    return True


def single_dollar_plugin(md: MarkdownIt) -> None:
    """kramed reads ``$$…$$`` as a formula and a lone ``$`` as a dollar sign."""
    md.inline.ruler.before("math_inline", "lone_dollar", _lone_dollar)


def _lone_dollar(state: Any, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "$" or src.startswith("$$", pos):
        return False
    if not silent:
        state.pending += "$"
    state.pos += 1
    return True


def double_dollar_plugin(md: MarkdownIt) -> None:
    """KaTeX's plugins read ``$$`` inside a paragraph as an empty formula, which they leave as text."""
    md.inline.ruler.before("math_inline", "double_dollar", _double_dollar)


def _double_dollar(state: Any, silent: bool) -> bool:
    if not state.src.startswith("$$", state.pos):
        return False
    if not silent:
        state.pending += "$$"
    state.pos += 2
    return True


# MathJax reads \(…\) and \[…\] in the page; Markdown turns `\\(` into `\(`, which is how those
# posts write them (a lone `\(` is an escaped parenthesis to marked).
_ESCAPED_BRACKETS = re.compile(r"\\\\(?:\((.+?)\\\\\)|\[(.+?)\\\\\])", re.DOTALL)


def escaped_brackets_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("escape", "escaped_brackets", _escaped_brackets)


def _escaped_brackets(state: Any, silent: bool) -> bool:
    if not state.src.startswith("\\\\", state.pos):
        return False
    m = _ESCAPED_BRACKETS.match(state.src, state.pos, state.posMax)
    if m is None:
        return False
    if not silent:
        token = state.push("math_inline" if m[1] is not None else "math_display", "math", 0)
        token.content = m[1] if m[1] is not None else m[2]
    state.pos = m.end()
    return True
