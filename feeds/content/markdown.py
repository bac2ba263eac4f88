"""Markdown bodies to HTML as Hexo's default renderer (hexo-renderer-marked) makes them.

markdown-it-py (CommonMark) set up as marked is by Hexo's defaults: GFM tables,
strikethrough and task lists, ``breaks`` (a single newline is a ``<br>``),
autolinks of bare URLs, and smartypants (curly quotes, en and em dashes, the
ellipsis; markdown-it's own replacements such as ``(c)`` are left out, as
marked has none).  Raw HTML passes through here on purpose; the content
cleaner sanitises the result exactly as it does an HTML body.

Where marked parts from CommonMark, marked's rule is followed (each checked
against Hexo's own output of public blogs): strikethrough with one tilde or
two (:func:`_marked_del`), tag names with ``_`` and declarations
(:func:`_marked_tag`), list items that end at a less indented tag or ``#``
line (:func:`_marked_list_end`), and headings after a non-ASCII space
(:func:`_marked_heading`).

Differences from marked that remain: headings carry no ``id`` (the sanitiser
drops ids anyway); smartypants runs on markdown-it's runs of text, which end
only at inline markup, where marked's also end before a ``!``, ``[``, ``*``,
``_``, ``~`` or ``<`` that starts none (a quote right after such a character
can open in marked and close here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..config import ContentConfig
from . import renderers

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_HTML_START = re.compile(r"^\s*<(?:!--|!doctype|[A-Za-z][A-Za-z0-9-]*[\s/>])", re.IGNORECASE)


# marked's smartypants, as hexo-renderer-marked runs it on each run of inline text: these rules in
# this order, with no look at the pairing.  A quote after a letter closes, even an opening one
# (`"skip"` after a slash opens twice); markdown-it's smartquotes pair them, which Hexo does not.
_SMARTYPANTS = (
    (re.compile("---"), "\u2014"),
    (re.compile("--"), "\u2013"),
    (re.compile(r"(^|[-\u2014/(\[{\"\s])'"), "\\1\u2018"),
    (re.compile("'"), "\u2019"),
    (re.compile(r'(^|[-\u2014/(\[{\u2018\s])"'), "\\1\u201c"),
    (re.compile('"'), "\u201d"),
    (re.compile(r"\.{3}"), "\u2026"),
)

# kramed's (marked 0.3's): two hyphens are an em dash, so three are an em dash and a hyphen.
_KRAMED_SMARTYPANTS = ((re.compile("--"), "\u2014"), *_SMARTYPANTS[2:])


@dataclass(frozen=True)
class Options:
    """How the blog's renderer turns Markdown into HTML: the ``content`` settings of that name.

    ``renderer`` is one of ``marked`` (hexo-renderer-marked, and kramed, a fork of an
    old marked, with its formulas), ``markdown-it`` (hexo-renderer-markdown-it and
    -plus, whose options follow) or ``pandoc``; ``math``: see :func:`renderers.use_math`.
    """

    renderer: str = "marked"
    gfm: bool = True
    breaks: bool = True
    autolink: bool = True
    smartypants: bool = True
    preset: str = "default"
    html: bool = True
    xhtml_out: bool = False
    linkify: bool = True
    typographer: bool = True
    quotes: str = "“”‘’"
    lang_prefix: str = "language-"
    enable_rules: tuple[str, ...] = ()
    disable_rules: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    math: str = "none"
    pandoc_args: tuple[str, ...] = ()


MARKED = Options()
# Without the pandoc program: what of pandoc's Markdown markdown-it's plugins render.
PANDOC_LIKE = ("markdown-it-footnote", "markdown-it-deflist", "markdown-it-sub", "markdown-it-sup")


def options(content: ContentConfig) -> Options:
    """The renderer the build uses, from the content settings (kramed is marked with its formulas)."""
    if content.renderer in ("markdown-it", "markdown-it-plus", "pandoc"):
        return Options(
            renderer="pandoc" if content.renderer == "pandoc" else "markdown-it",
            breaks=content.breaks,
            preset=content.preset,
            html=content.html,
            xhtml_out=content.xhtml_out,
            linkify=content.linkify,
            typographer=content.typographer,
            quotes=content.quotes,
            lang_prefix=content.lang_prefix,
            enable_rules=content.enable_rules,
            disable_rules=content.disable_rules,
            plugins=(*PANDOC_LIKE, *content.plugins) if content.renderer == "pandoc" else content.plugins,
            math="dollars" if content.renderer == "pandoc" else content.math,  # pandoc's own, without it
            pandoc_args=content.pandoc_args,
        )
    return Options(
        renderer="kramed" if content.renderer == "kramed" else "marked",
        gfm=content.gfm,
        breaks=content.breaks,
        autolink=content.autolink,
        smartypants=content.smartypants,
        math=content.math,
    )


def _renderer(options: Options) -> MarkdownIt:
    if options.renderer in ("markdown-it", "pandoc"):  # pandoc's stand-in when the program is missing
        return renderers.markdown_it(options)
    return _marked(options)


@lru_cache(maxsize=4)
def _marked(options: Options) -> MarkdownIt:
    from markdown_it import MarkdownIt  # most sites' bodies are HTML: load it only when needed
    from mdit_py_plugins.tasklists import tasklists_plugin

    gfm, breaks, autolink, smartypants = options.gfm, options.breaks, options.autolink, options.smartypants
    kramed = options.renderer == "kramed"  # an old marked's fork: `~~` alone strikes, no task lists
    md = MarkdownIt("commonmark", {"html": True, "linkify": autolink, "breaks": breaks})
    if kramed:
        from .kramed import kramed_rules  # loaded by kramed's blogs alone

        kramed_rules(md, gfm)
    if gfm and not kramed:
        # marked's strikethrough, not markdown-it's (which takes `~~` alone, by delimiter runs)
        md.enable("table").use(tasklists_plugin)
        md.inline.ruler.before("emphasis", "marked_del", _marked_del)
    md.inline.ruler.before("html_inline", "marked_tag", _marked_tag)
    if not kramed:  # kramed's own link rule reads such an address already
        md.inline.ruler.before("link", "marked_paren_link", _marked_paren_link)
    md.block.ruler.before("paragraph", "marked_list_end", _marked_list_end, {"alt": ["paragraph"]})
    # it interrupts what markdown-it's own heading interrupts
    md.block.ruler.before(
        "heading", "marked_heading", _marked_heading, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    if autolink:
        # marked links what starts with http(s):// or www., not any word with a dot (README.md,
        # johndoe.github.io), and shows the address as written, not percent-decoded.
        md.enable("linkify")
        linkify: Any = md.linkify
        # kramed's autolinks start with http(s)://: no address without one, no e-mail address either
        linkify.set({"fuzzy_link": False, "fuzzy_email": not kramed})
        if not kramed:  # its autolinks start with http(s):// only
            linkify.add("www.", {"validate": _www_length, "normalize": _www_url})
        md.normalizeLinkText = str  # type: ignore[method-assign,assignment]
    md.core.ruler.push("prepend_root", _prepend_root)
    renderers.use_math(md, options.math)
    if smartypants:
        # Before text_join: an escaped quote (a backslash before it) is a token of its own until then,
        # and stays straight, as in marked.
        rules = _KRAMED_SMARTYPANTS if kramed else _SMARTYPANTS
        md.core.ruler.before("text_join", "smartypants", lambda state: _smartypants(state, rules))
    return md


_WWW_REST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<]*)?")
_TRAILING = re.compile(r"[?!.,:*_~]+$")  # punctuation after an address ends the sentence, not the link


def _www_length(self: Any, text: str, pos: int) -> int:
    """How much of ``text`` after a ``www.`` is the address (marked's GFM autolink); 0: none."""
    m = _WWW_REST.match(text, pos)
    return len(_TRAILING.sub("", m[0])) if m else 0


def _www_url(self: Any, match: Any) -> None:
    match.url = "http://" + match.url


# marked's GFM strikethrough: one or two tildes, the same number closing, no space just inside; the
# text between is found lazily, across code spans, emphasis and lines, before any of them is parsed.
_DEL = re.compile(r"(~~?)(?=[^\s~])((?:\\.|[^\\])*?(?:\\.|[^\s~\\]))\1(?=[^~]|\Z)")
_TILDES = re.compile("~+")


def _marked_del(state: Any, silent: bool) -> bool:
    """``~gone~`` and ``~~gone~~`` as marked strikes them through (``~/.profile, ~/.zshrc`` too)."""
    pos = state.pos
    if state.src[pos] != "~":
        return False
    # silent: a link's text being measured, which marked finds before its strikethrough (a `~` in
    # the text must not run past the `]`)
    m = None if silent else _DEL.match(state.src, pos, state.posMax)
    if m is None:  # marked's text takes the whole run of tildes, so none of them opens a later one
        run = _TILDES.match(state.src, pos, state.posMax)
        assert run is not None
        if not silent:
            state.pending += run[0]
        state.pos = run.end()
        return True
    state.push("s_open", "del", 1).markup = m[1]
    end = state.posMax
    state.pos, state.posMax = m.start(2), m.end(2)
    state.md.inline.tokenize(state)
    state.posMax = end
    state.push("s_close", "del", -1).markup = m[1]
    state.pos = m.end()
    return True


# marked's inline tag names take `_` (and a closing one `:`), which CommonMark's do not: marked passes
# `<variable_name>` on as HTML, so the browser (and the cleaner) hides it; markdown-it would show it.
_ATTRIBUTE = r"""\s+[a-zA-Z:_][\w.:-]*(?:\s*=\s*"[^"]*"|\s*=\s*'[^']*'|\s*=\s*[^\s"'=<>`]+)?"""
_MARKED_TAG = re.compile(
    rf"</[a-zA-Z][\w-]*[_:][\w:-]*\s*>|<[a-zA-Z][\w-]*_[\w-]*(?:{_ATTRIBUTE})*?\s*/?>", re.ASCII
)


# A link whose address opens with a "(" it never closes: CommonMark has no link there, marked has one
# (`[#36]((https://…/36), [#44](…)` links "#36" to "(https://…/36"): its address is the longest start
# of the run of non-space characters that a ")" follows.
_PAREN_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])*)\]\(\s*(\([^\s\x00-\x1f]*)")
_CLOSE = re.compile(r"\s*\)")


def _marked_paren_link(state: Any, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "[":
        return False
    m = _PAREN_LINK.match(src, pos, state.posMax)
    if m is None:
        return False
    run, start = m[2], m.start(2)
    close = next(
        (c for k in range(len(run), 0, -1) if (c := _CLOSE.match(src, start + k, state.posMax))), None
    )
    if close is None:
        return False
    href = src[start : close.start()]
    if href.count("(") <= href.count(")"):  # balanced, or closed early: markdown-it's own link rule
        return False
    if not silent:
        url = state.md.normalizeLink(href)
        state.push("link_open", "a", 1).attrs = {"href": url if state.md.validateLink(url) else ""}
        end = state.posMax
        state.pos, state.posMax = m.start(1), m.end(1)
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.posMax = end
        state.push("link_close", "a", -1)
    state.pos = close.end()
    return True


# marked's declaration needs white space after its name (`<!DOCTYPE html>`); `<!DOCTYPE>` is text.
_DECLARATION = re.compile(r"<![a-zA-Z]+(\s)?")


def _marked_tag(state: Any, silent: bool) -> bool:
    """A tag whose name only marked reads as one, and a declaration it does not read as one; the rest
    is markdown-it's own ``html_inline``."""
    if state.src[state.pos] != "<":
        return False
    m = _MARKED_TAG.match(state.src, state.pos, state.posMax)
    if m is None:
        declaration = _DECLARATION.match(state.src, state.pos, state.posMax)
        if declaration is None or declaration[1]:
            return False
        if not silent:
            state.pending += "<"  # as text, so that html_inline does not take it either
        state.pos += 1
        return True
    if not silent:
        state.push("html_inline", "", 0).content = m[0]
    state.pos = m.end()
    return True


_ITEM_END = re.compile(r"<(?:[a-z].*>|!--)|#", re.IGNORECASE)


def _marked_list_end(state: Any, line: int, end: int, silent: bool) -> bool:
    """A line less indented than a list item's text that starts with a tag, ``<!--`` or ``#`` ends
    the item in marked, where CommonMark would continue its paragraph lazily; what follows is then
    outside the list (``<br/>`` or ``#note`` then ``2. Next``: the "2." is text).  Only ever a
    paragraph's terminator."""
    if not silent or state.blkIndent == 0 or not 0 <= state.sCount[line] < min(state.blkIndent, 4):
        return False
    start = state.bMarks[line] + state.tShift[line]
    return _ITEM_END.match(state.src, start, state.eMarks[line]) is not None


# marked's heading: the #s end at any white space, a non-ASCII one too ("####\u3000Title", common in
# CJK posts), where CommonMark wants a space or a tab; only that case is left to this rule.
_WIDE_HEADING = re.compile(r"(#{1,6})[^\S \t\n]")
_CLOSING = re.compile(r"(?:^| )#+$")  # closing #s after a plain space, as marked strips them


def _marked_heading(state: Any, line: int, end: int, silent: bool) -> bool:
    """An ATX heading whose #s a non-ASCII space follows, as marked reads it (and its closing #s)."""
    if state.sCount[line] - state.blkIndent >= 4:
        return False
    start, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
    m = _WIDE_HEADING.match(state.src, start, stop)
    if m is None:
        return False
    if silent:
        return True
    text = _CLOSING.sub("", state.src[m.end(1) : stop].strip()).strip()
    tag = f"h{len(m[1])}"
    state.line = line + 1
    opening = state.push("heading_open", tag, 1)
    opening.markup, opening.map = m[1], [line, state.line]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = text, [line, state.line], []
    state.push("heading_close", tag, -1).markup = m[1]
    return True


# marked's raw text: what follows an inline <code>, <kbd>, <pre> or <script> tag until its end tag is
# left as written, as code spans are.
_RAW_OPEN = re.compile(r"<(pre|code|kbd|script)[\s>]", re.IGNORECASE)
_RAW_CLOSE = re.compile(r"</(pre|code|kbd|script)[\s>]", re.IGNORECASE)


def _smartypants(state: Any, rules: tuple[tuple[re.Pattern[str], str], ...]) -> None:
    """Curly quotes, dashes and the ellipsis in text, never in code or a bare URL's link text."""
    for block in state.tokens:
        in_url = in_raw = False
        before = ""  # a backslash and a letter it does not escape (`'\t'`): marked's text goes on
        for token in block.children or ():
            if token.type == "link_open":
                in_url = token.markup in ("linkify", "autolink")
            elif token.type == "link_close":
                in_url = False
            elif token.type == "html_inline":
                in_raw = bool(_RAW_OPEN.match(token.content)) or (
                    in_raw and not _RAW_CLOSE.match(token.content)
                )
            elif token.type == "text" and not in_url and not in_raw and _smart(token.content):
                text = before + token.content
                for pattern, replacement in rules:
                    text = pattern.sub(replacement, text)
                token.content = text[len(before) :]
            before = token.content[-1] if token.type == "text_special" and token.content[:1] == "\\" else ""


def _smart(text: str) -> bool:
    return "'" in text or '"' in text or "--" in text or "..." in text


def to_html(
    text: str, options: Options = MARKED, *, image_root: str = "", relative: bool = False, tokens: str = ""
) -> str:
    """``image_root``: the site's root URL, which a Markdown image's path is on (marked's
    ``prependRoot``); with ``relative`` a path without a leading slash is left to resolve
    against the post's asset folder instead.  ``tokens``: how this body's tag placeholders
    begin: such an image path is a tag's own URL ({% asset_path %}), put in whole later."""
    if options.renderer == "pandoc":
        rendered = renderers.pandoc(text, options.pandoc_args)
        if rendered is not None:
            return rendered
    if options.renderer == "kramed":
        from .kramed import prepare

        text = prepare(text)
        if options.math != "none" and "`$" in text:
            text = _KRAMED_CODE_MATH.sub(r"$$\1$$", text)  # hexo-renderer-kramed's: `$x$` is a formula
    env = {"image_root": image_root, "relative": relative, "tokens": tokens} if image_root else {}
    return str(_renderer(options).render(text, env))


def warm(options: Options) -> None:
    """Load and build the renderer now, in a build process about to fork workers, so that each
    does not load markdown-it and build it again (12% of rendering a Jekyll site's bodies)."""
    _renderer(options)


_KRAMED_CODE_MATH = re.compile(r"`\$(.*?)\$`")
_OUTSIDE = re.compile(r"^(?:#|//|[A-Za-z][A-Za-z0-9+.-]*:)")


def _prepend_root(state: Any) -> None:
    """As hexo-renderer-marked's image renderer: ``![](/a.png)`` and ``![](a.png)`` are on the site's root."""
    root = state.env.get("image_root")
    if not root:
        return
    for block in state.tokens:
        for token in block.children or ():
            if token.type != "image":
                continue
            src = str(token.attrGet("src") or "")
            if not src or _OUTSIDE.match(src) or (state.env["relative"] and not src.startswith(("/", "\\"))):
                continue
            if state.env["tokens"] and src.startswith(state.env["tokens"]):
                continue
            token.attrSet("src", root + src.lstrip("/\\"))


def is_markdown(body: str, declared: str | None) -> bool:
    """Front matter ``format`` decides; else a body that does not open with a tag is Markdown."""
    if declared in ("markdown", "md"):
        return True
    if declared in ("html", "htm"):
        return False
    return not _HTML_START.match(body)
