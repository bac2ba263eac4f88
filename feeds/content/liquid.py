"""Liquid in a Jekyll post, rendered as Jekyll renders it before kramdown: python-liquid, with Jekyll's tags.

python-liquid (a maintained implementation of Shopify's Liquid, the language
Jekyll's templates are written in) does the language: output, ``if``/``for``,
``assign``, ``capture``, ``raw``, the standard filters.  Jekyll's own tags and
filters are added here, written anew from Jekyll's rules:

- ``{% highlight lang %}`` is a code block with class ``language-<lang>``, its
  Liquid rendered, its text escaped, kept out of Markdown's way as a placeholder;
- ``{% post_url name %}`` and ``{% link path %}`` are the named post's URL;
- ``{% include file k=v %}`` renders ``_includes/file`` with ``include.k``;
- ``relative_url``, ``absolute_url`` and the filters Jekyll adds that show text.

A tag Jekyll would take from a plugin or a theme that is not here renders
nothing (its block's content is kept), with one warning per name; a post whose
Liquid cannot be parsed loses its tags, never its words, with a warning.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote, urlsplit

from liquid import BlockNode, Environment, Node, RenderContext, Tag
from liquid.builtin.tags.include_tag import IncludeTag
from liquid.exceptions import LiquidError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

log = logging.getLogger(__name__)

PLACEHOLDER = "\x02feeds-jekyll-{}\x03"  # where a highlighted block goes back after Markdown
_TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
_TAG = re.compile(r"\{%-?.*?-?%\}", re.DOTALL)
_OUTPUT = re.compile(r"\{\{-?.*?-?\}\}", re.DOTALL)
_warned: set[str] = set()  # names of tags already reported by this process
_EDGE_NEWLINES = re.compile(r"^(?:\r?\n|\r)+|(?:\r?\n|\r)+$")


class Jekyll:
    """What one site's Liquid needs: its values, its posts' URLs, its includes; one environment per site."""

    def __init__(
        self,
        site: Mapping[str, Any],
        root: str,
        posts: Mapping[str, tuple[str, str]],
        includes: Path | None,
        markdownify: Callable[[str], str],
    ):
        self.site = dict(site)
        self.root = root  # the site's URL with its baseurl and a trailing slash
        self.posts = posts
        self.includes = includes
        self.markdownify = markdownify
        self.env = Environment(strict_filters=False)
        self.known = set(self.env.tags)
        for tag in (_Highlight, _PostUrl, _Link, _Include):
            self.env.add_tag(tag)
        self.env.jekyll = self  # type: ignore[attr-defined]  # the tags' way back to the site
        for name, func in self._filters().items():
            self.env.add_filter(name, func)

    def render(self, text: str, page: Mapping[str, Any], where: str) -> tuple[str, list[str]]:
        """(the text with its Liquid rendered, the highlighted blocks its placeholders stand for)."""
        if "{" not in text:
            return text, []
        blocks: list[str] = []
        self._unknown_tags(text, where)
        try:
            template = self.env.from_string(text)
            out = template.render(site=self.site, page=dict(page), jekyll=_JEKYLL, _blocks=blocks)
        except (LiquidError, RecursionError, ValueError, TypeError) as e:
            log.warning("%s: its Liquid cannot be rendered (%s); its tags are left out", where, e)
            return _OUTPUT.sub("", _TAG.sub("", text)), []
        return out, blocks

    def _unknown_tags(self, text: str, where: str) -> None:
        """Tags no implementation here knows: a block keeps its content, a single tag shows nothing."""
        for name in set(_TAG_NAME.findall(text)) - set(self.env.tags) - _CLOSERS:
            if name.startswith("end"):
                continue
            block = re.search(r"\{%-?\s*end" + re.escape(name) + r"\b", text) is not None
            self.env.add_tag(_passthrough(name, block))
            if name not in _warned:
                _warned.add(name)
                log.warning(
                    "%s: {%% %s %%} is a Jekyll plugin's or theme's tag feeds does not have; "
                    "it shows nothing%s",
                    where,
                    name,
                    " (its content is kept)" if block else "",
                )

    def url(self, path: str, absolute: bool) -> str:
        """``relative_url``/``absolute_url``: a path on the site under its baseurl; URLs as they are."""
        text = str(path)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
            return text
        base = self.root.split("/", 3)[3] if self.root.count("/") >= 3 else ""
        joined = "/" + "/".join(p.strip("/") for p in (base, text) if p.strip("/"))
        if text.endswith("/") and not joined.endswith("/"):
            joined += "/"
        joined = quote(joined, safe="/:@!$&'()*+,;=-._~%?#")
        return self.root.split("/", 3)[0] + "//" + self.root.split("/", 3)[2] + joined if absolute else joined

    def _filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "relative_url": lambda v: self.url(v, absolute=False),
            "absolute_url": lambda v: self.url(v, absolute=True),
            "markdownify": lambda v: self.markdownify(str(v)),
            "xml_escape": lambda v: html.escape(str(v), quote=True) if v is not None else "",
            "cgi_escape": lambda v: quote(str(v), safe="").replace("%20", "+"),
            "uri_escape": lambda v: quote(str(v), safe="/:@!$&'()*+,;=-._~?#[]"),
            "jsonify": lambda v: json.dumps(v, ensure_ascii=False, default=str),
            "slugify": lambda v, mode="default": _slugify(str(v), mode),
            "number_of_words": lambda v: len(str(v).split()),
            "date_to_xmlschema": lambda v: _strftime(v, ""),
            "date_to_string": lambda v: _strftime(v, "%d %b %Y"),
            "date_to_long_string": lambda v: _strftime(v, "%d %B %Y"),
            "array_to_sentence_string": _sentence,
            "normalize_whitespace": lambda v: " ".join(str(v).split()),
        }


# Words that are no tag of their own (branches, loop control) or that the lexer handles (raw).
_CLOSERS = frozenset({"else", "elsif", "when", "break", "continue", "empty", "raw"})
_JEKYLL = {"version": "4.3.1", "environment": "production"}


def _slugify(text: str, mode: str) -> str:
    """Jekyll's ``slugify`` filter (default and pretty modes)."""
    slug = re.sub(r"(?:[^\w]|_)+" if mode != "pretty" else r"[^\w._~!$&'()+,;=@]+", "-", text)
    return slug.strip("-").lower()


def _strftime(value: object, form: str) -> str:
    """A date as Jekyll's date filters show it (ISO 8601 for ``date_to_xmlschema``); else as it is."""
    when = _date(value)
    if when is None:
        return str(value)
    return when.strftime(form) if form else when.isoformat()


def _date(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _sentence(items: object, connector: str = "and") -> str:
    words = [str(i) for i in items] if isinstance(items, list) else [str(items)]
    if len(words) <= 2:
        return f" {connector} ".join(words)
    return ", ".join(words[:-1]) + f", {connector} " + words[-1]


def _inline(stream: TokenStream) -> tuple[Token, str]:
    """An inline tag's token and markup, as written; the stream is left on the tag's last token, as
    the parser, which steps past it, expects."""
    token = stream.current
    if stream.peek.kind != TOKEN_EXPRESSION:
        return token, ""
    next(stream)
    return token, str(stream.current.value).strip()


def _argument(stream: TokenStream) -> str:
    """A block tag's markup, as written."""
    return str(stream.current.value).strip() if stream.current.kind == TOKEN_EXPRESSION else ""


class _Text(Node):
    """A tag rendered to fixed text (or, given a function, to what it returns in a context)."""

    def __init__(self, token: Token, text: Callable[[RenderContext], str]):
        super().__init__(token)
        self.text = text

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(self.text(context))


class _PostUrl(Tag):
    """``{% post_url name %}``; ``{% link path %}`` (the subclass) differs only in its name."""

    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _inline(stream)
        target = markup.split()[0] if markup else ""
        site: Jekyll = self.env.jekyll  # type: ignore[attr-defined]
        kind = self.name
        return _Text(token, lambda _: _post(site, kind, target))


class _Link(_PostUrl):
    name = "link"


def _post(site: Jekyll, tag: str, arg: str) -> str:
    """The URL of the post a ``post_url`` or ``link`` names (relative, as Jekyll writes it)."""
    from ..source import jekyll_post_name

    found = site.posts.get(jekyll_post_name(tag, arg))
    if found is None:
        log.warning("{%% %s %s %%}: no post by that name; the link is left empty", tag, arg)
        return ""
    return urlsplit(found[0]).path or found[0]  # relative_url: the path, with the site's baseurl


class _HighlightNode(Node):
    def __init__(self, token: Token, lang: str, block: BlockNode):
        super().__init__(token)
        self.lang, self.block = lang, block

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        code = _EDGE_NEWLINES.sub("", inner.getvalue())
        lang = self.lang
        attrs = f' class="language-{html.escape(lang.replace("+", "-"))}" data-lang="{html.escape(lang)}"'
        blocks = context.resolve("_blocks")
        blocks.append(
            f'<figure class="highlight"><pre><code{attrs}>{html.escape(code.rstrip(chr(10)))}'
            "</code></pre></figure>"
        )
        return buffer.write("\n\n" + PLACEHOLDER.format(len(blocks) - 1) + "\n\n")


class _Highlight(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        words = _argument(stream).split()
        lang = words[0] if words else "text"
        if stream.current.kind == TOKEN_EXPRESSION:
            next(stream)
        block = get_parser(self.env).parse_block(stream, frozenset(("endhighlight", TOKEN_EOF)))
        stream.expect(TOKEN_TAG, value="endhighlight")
        return _HighlightNode(token, lang, block)


class _Include(IncludeTag):
    """``{% include file.html key=value %}`` from ``_includes/``; a file not there shows nothing, warned."""

    name = "include"

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _inline(stream)
        site: Jekyll = self.env.jekyll  # type: ignore[attr-defined]
        return _Text(token, lambda context: _include(site, markup, context))


_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")


def _include(site: Jekyll, markup: str, context: RenderContext) -> str:
    name = markup.split()[0] if markup.split() else ""
    folder = site.includes
    file = (folder / name).resolve() if folder and name else None
    if file is None or folder is None or not file.is_relative_to(folder.resolve()) or not file.is_file():
        log.warning("{%% include %s %%}: not in the site's _includes; left out", name)
        return ""
    params: dict[str, Any] = {}
    for key, double, single, bare in _PARAM.findall(markup[len(name) :]):
        params[key] = double or single if (double or single) else _value(context, bare)
    try:
        text = file.read_text(encoding="utf-8")
        return str(site.env.from_string(text).render(**_scope(context), include=params))
    except (OSError, UnicodeDecodeError, LiquidError, RecursionError) as e:
        log.warning("{%% include %s %%}: cannot be rendered (%s); left out", name, e)
        return ""


def _value(context: RenderContext, expression: str) -> Any:
    value: Any = context.globals
    for part in expression.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value if value is not None else ""


def _scope(context: RenderContext) -> dict[str, Any]:
    return {k: context.globals[k] for k in ("site", "page", "jekyll", "_blocks") if k in context.globals}


def _passthrough(name: str, is_block: bool) -> type[Tag]:
    """A tag this environment does not know: nothing for a single tag; a block's content as it is."""

    class Unknown(Tag):
        end = f"end{name}" if is_block else ""
        block = is_block

        def parse(self, stream: TokenStream) -> Node:
            if not is_block:
                return _Text(_inline(stream)[0], lambda _: "")
            token = stream.eat(TOKEN_TAG)
            if stream.current.kind == TOKEN_EXPRESSION:
                next(stream)
            inner = get_parser(self.env).parse_block(stream, frozenset((f"end{name}", TOKEN_EOF)))
            stream.expect(TOKEN_TAG, value=f"end{name}")
            return _Block(token, inner)

    Unknown.name = name
    return Unknown


class _Block(Node):
    def __init__(self, token: Token, block: BlockNode):
        super().__init__(token)
        self.block = block

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return int(self.block.render(context, buffer))
