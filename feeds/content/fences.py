"""Fenced code blocks found as Hexo finds them: before Markdown, before tag plugins, by its own rule.

Hexo does not leave fences to the Markdown renderer.  Its
``backtick_code_block`` filter takes them out of the raw text first, so a
fence is code where Hexo says so, not where CommonMark would: after a list
marker or up to three ``>`` on the same line, indented any amount, closed
by the same fence at any indentation; the info string gives the language, a
caption and a link (```` ```js app.js https://example.com/app.js source ````);
tags inside are text.  A fence inside an HTML comment, or with
``highlight:false``, stays as written.

:func:`extract` replaces each block with a token (HTML a feed reader can
show: a ``<pre><code>`` with its language class, in a ``<figure>`` with the
caption) and :func:`restore` puts it back after rendering, as Hexo does with
its ``<hexoPostRenderCodeBlock>``.  The token is an HTML comment, as Hexo's
``<!--code…-->`` is, because Markdown reads it as a block of HTML: it
ends a paragraph or a list item it follows (a bare word would be lazily
continued into them), so the text after a block starts a new paragraph, where
``2. Next`` stays text as on the blog.  Closing fences are looked up by position
(one pass over the lines, a bisect per block), so a post of many unclosed
fences costs a linear scan, not one scan to the end per fence as a lazy
regular expression would.
"""

from __future__ import annotations

import bisect
import html
import os
import re
import textwrap

_OPEN = re.compile(
    r"^((?:(?:[^\S\r\n]*>){0,3}|[-*+]|[0-9]+\.)[^\S\r\n]*)(`{3,}|~{3,})[^\S\r\n]*((?:[^\n]*?[^`\s])?)[^\S\r\n]*\n",
    re.MULTILINE,
)
_CLOSE = re.compile(r"^(?:[^\S\r\n]*>){0,3}[^\S\r\n]*(`{3,}|~{3,})[^\S\r\n]?(?:\n+|$)", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_OPTION = re.compile(r"\s((?:line_number|line_threshold|first_line|wrap|mark|language_attr|highlight):\S+)")
_ALL = re.compile(r"(\S+)\s+(.+?)\s+(https?://\S+|/\S+)\s*(.+)?")
_LANG_CAPTION = re.compile(r"(\S+)\s*(.+)?")

Fenced = tuple[str, list[str]]  # the nonce of a body's tokens, and the HTML each stands for


def extract(body: str) -> tuple[str, Fenced | None]:
    """``body`` with each fenced block Hexo would highlight replaced by a token."""
    if "```" not in body and "~~~" not in body:
        return body, None
    closers: dict[str, tuple[list[int], list[re.Match[str]]]] = {}
    for line in _CLOSE.finditer(body):
        starts, found = closers.setdefault(line[1], ([], []))
        starts.append(line.start())
        found.append(line)
    comments = [(c.start(), c.end()) for c in _COMMENT.finditer(body)] if "<!--" in body else []
    nonce, pieces = os.urandom(6).hex(), []  # what secrets.token_hex does, without loading secrets
    out: list[str] = []
    at = 0
    while (m := _OPEN.search(body, at)) is not None:
        close = _closer(closers, m[2], m.end())
        if close is None:
            out.append(body[at : m.end()])
            at = m.end()
            continue
        start, args = m[1], m[3]
        if _inside(comments, m.start(), close.end()) or "highlight:false" in args:
            out.append(body[at : close.end()])
        else:
            pieces.append(_block(body[m.end() : close.start()], start, args))
            newlines = close[0][len(close[0].rstrip("\n")) :]
            out.append(f"{body[at : m.start()]}{start}<!--FEEDSCODE{nonce}N{len(pieces) - 1}X-->{newlines}")
        at = close.end()
    out.append(body[at:])
    return ("".join(out), (nonce, pieces)) if pieces else (body, None)


def restore(rendered: str, fenced: Fenced | None) -> str:
    """Put each block's HTML where its token landed: the comment, or the comment escaped where the
    block was indented into a code block (Hexo restores ``&lt;!--code…--&gt;`` too)."""
    return restore_tokens(rendered, "FEEDSCODE", fenced)


def restore_tokens(rendered: str, prefix: str, tokens: tuple[str, list[str]] | None) -> str:
    """Replace each ``<prefix><nonce>N<i>X`` token, bare or in an HTML comment (escaped too, in code),
    with the i-th piece; a token alone in a paragraph replaces the paragraph (a block's HTML must
    not sit in a ``<p>``)."""
    if tokens is None:
        return rendered
    nonce, pieces = tokens
    token = f"(?:(?:<|&lt;)!--)?{prefix}{nonce}N(\\d+)X(?:--(?:>|&gt;))?"
    found = re.compile(f"<p>\\s*{token}\\s*</p>|{token}")
    return found.sub(lambda m: pieces[int(m[1] or m[2])], rendered)


def _closer(
    closers: dict[str, tuple[list[int], list[re.Match[str]]]], fence: str, after: int
) -> re.Match[str] | None:
    """The first closing fence after a line of code, else one right after the opening line: Hexo's
    code is optional but tried first, so an empty block (```` ```js ```` then ```` ``` ````) takes
    the lines up to the next closing fence when there is one."""
    found = closers.get(fence)
    if found is None:
        return None
    i = bisect.bisect_right(found[0], after)
    if i < len(found[1]):
        return found[1][i]
    return found[1][i - 1] if i and found[0][i - 1] == after else None


def _inside(comments: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < start and end < b for a, b in comments)


def _block(content: str, start: str, args: str) -> str:
    """The block's HTML: Hexo's caption and language, the code without the highlighter's markup."""
    depth = start.count(">")
    if depth:  # the quote markers of the block's own lines
        content = re.sub(rf"^([^\S\r\n]*>){{0,{depth}}}([^\S\r\n]|$)", "", content, flags=re.MULTILINE)
    args = _OPTION.sub("", args).split("=")[0]
    lang = caption = ""
    m = _ALL.match(args) or _LANG_CAPTION.match(args)
    if m:
        lang = m[1]
        if m[2]:
            caption = f"<span>{html.escape(m[2])}</span>"
            if m.re is _ALL and m[3]:
                caption += f'<a href="{html.escape(m[3])}">{html.escape(m[4] or "link")}</a>'
    code = html.escape(textwrap.dedent(content.rstrip("\n")), quote=False)
    cls = f' class="language-{html.escape(lang)}"' if lang else ""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{figcaption}<pre><code{cls}>{code}</code></pre></figure>"
