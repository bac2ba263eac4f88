"""The Markdown renderers a Hexo blog may install besides hexo-renderer-marked, as markdown-it-py setups.

hexo-renderer-markdown-it and hexo-renderer-markdown-it-plus are markdown-it
itself, so markdown-it-py with the same preset, options and plugins renders as
they do (mdit-py-plugins where a plugin exists, :mod:`.mdplugins` for the
rest).  hexo-renderer-kramed is a fork of an old marked: marked's rules with
kramed's formulas.  hexo-renderer-pandoc runs the ``pandoc`` program when it is
installed; without it, the nearest markdown-it setup (pandoc's Markdown has
footnotes, definition lists, sub- and superscripts, smart quotes and math).

Heading anchors are left out on purpose: the sanitiser drops ids, and a
permalink symbol (``¶``) beside every heading says nothing in a feed.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .expandable import expandable_plugin
from .math import mathml

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from .markdown import Options

log = logging.getLogger(__name__)


def _plugins() -> dict[str, Any]:
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.subscript import sub_plugin
    from mdit_py_plugins.superscript import superscript_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    from . import mdplugins  # loaded by blogs whose renderer takes plugins, not by marked's

    return {
        "markdown-it-abbr": mdplugins.abbr_plugin,
        "markdown-it-footnote": footnote_plugin,
        "markdown-it-deflist": deflist_plugin,
        "markdown-it-sub": sub_plugin,
        "markdown-it-sup": superscript_plugin,
        "markdown-it-ins": lambda md: mdplugins.pair_plugin(md, "+", "ins"),
        "markdown-it-mark": lambda md: mdplugins.pair_plugin(md, "=", "mark"),
        "markdown-it-emoji": mdplugins.emoji_plugin,
        "markdown-it-cjk-breaks": mdplugins.cjk_breaks_plugin,
        "markdown-it-expandable": expandable_plugin,
        "markdown-it-checkbox": tasklists_plugin,
        "markdown-it-task-checkbox": tasklists_plugin,
        "markdown-it-task-lists": tasklists_plugin,
        "markdown-it-toc-and-anchor": mdplugins.toc_plugin,
        "markdown-it-toc-done-right": mdplugins.toc_plugin,
        "markdown-it-anchor": lambda md: None,  # ids only, which the sanitiser drops
    }


@lru_cache(maxsize=4)
def markdown_it(options: Options) -> MarkdownIt:
    """markdown-it-py set up as the blog's hexo-renderer-markdown-it(-plus) sets up markdown-it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin

    preset = options.preset if options.preset in ("default", "commonmark", "zero") else "default"
    md = MarkdownIt(
        preset,
        {
            "html": options.html,
            "xhtmlOut": options.xhtml_out,
            "breaks": options.breaks,
            "linkify": options.linkify,
            "typographer": options.typographer,
            "quotes": options.quotes,
            "langPrefix": options.lang_prefix,
        },
    )
    if options.enable_rules:
        md.enable(list(options.enable_rules), ignoreInvalid=True)
    if options.disable_rules:
        md.disable(list(options.disable_rules), ignoreInvalid=True)
    known = _plugins() if options.plugins else {}
    for plugin in options.plugins:
        if plugin.startswith("markdown-it-container:"):
            container_plugin(md, plugin.partition(":")[2])
        elif plugin in known:
            md.use(known[plugin])
    use_math(md, options.math)
    return md


def use_math(md: MarkdownIt, math: str) -> None:
    """Formulas as the blog's math plugin reads them: ``dollars`` ($…$, $$…$$), ``brackets`` (those and
    \\(…\\), \\[…\\] as the page shows them, written ``\\\\(`` in Markdown), ``double`` (kramed: $$…$$
    only); ``none``: a ``$`` is a dollar sign."""
    if math == "none":
        return
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    from . import mdplugins

    # KaTeX's plugins: no space just inside a `$`, and no digit right after the closing one ($5 and $6)
    # (and `$$…$$` inside a paragraph is text, but a formula in kramed)
    double = math == "double"
    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_labels=False, double_inline=double)
    # KaTeX's `$$` lines interrupt a paragraph or a list item's text, as a fence does
    from mdit_py_plugins.dollarmath.index import math_block_dollar

    block = math_block_dollar(False, lambda label: label, True)

    def interrupting(state: Any, line: int, end: int, silent: bool) -> bool:
        if silent:  # asked whether it ends a paragraph: a line that opens with `$$` does
            start = state.bMarks[line] + state.tShift[line]
            return bool(state.sCount[line] - state.blkIndent < 4 and state.src.startswith("$$", start))
        return bool(block(state, line, end, silent))

    md.block.ruler.at("math_block", interrupting, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    if math == "brackets":  # MathJax in the page: the \(…\) the rendered HTML shows
        mdplugins.escaped_brackets_plugin(md)
    if double:
        mdplugins.single_dollar_plugin(md)
    else:
        mdplugins.double_dollar_plugin(md)
    for name in ("math_inline", "math_inline_double", "math_single", "math_inline_eq"):
        md.add_render_rule(name, _inline_math)
    for name in ("math_block", "math_block_label", "math_block_eqno", "amsmath"):
        md.add_render_rule(name, _block_math)
    md.add_render_rule(
        "math_display", lambda self, tokens, idx, options, env: mathml(tokens[idx].content, True)
    )


def _inline_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return mathml(tokens[idx].content)  # kramed's $$…$$ in a paragraph too


def _block_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return mathml(tokens[idx].content, True) + "\n"


# Formulas a page shows with a script; a feed gets MathML instead, which readers show without one.
_SCRIPTED_MATH = ("--mathjax", "--katex", "--webtex", "--gladtex", "--mimetex", "--jsmath")


def pandoc(text: str, args: tuple[str, ...] = ()) -> str | None:
    """``text`` rendered by the ``pandoc`` program as hexo-renderer-pandoc runs it (its ``pandoc.args``
    between its two metadata settings), or None without the program.  (shutil and subprocess are
    loaded here: with bz2 and lzma, 6 ms of every build that renders Markdown, pandoc or not.)"""
    import shutil
    import subprocess

    program = shutil.which("pandoc")
    if program is None:
        return None
    own = [a for a in args if not a.startswith("--template")]
    own = ["--mathml" if a.split("=")[0] in _SCRIPTED_MATH else a for a in own]
    command = [program, "-M", "pagetitle=dummy", *own, "-M", "standalone=True"]
    try:
        run = subprocess.run(command, input=text, capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("pandoc failed (%s); the post is rendered by markdown-it instead", e)
        return None
    return run.stdout
