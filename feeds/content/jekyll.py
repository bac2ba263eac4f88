"""A Jekyll post's body as Jekyll renders it: Liquid first, then kramdown, then the cleaner as for any body.

Jekyll renders a post's Liquid (with ``site``, ``page`` and its tags) and then
its Markdown; its excerpt is the part before ``excerpt_separator`` (a blank
line by default), rendered alike, and is what jekyll-feed summarises when the
post has no ``description``.  The result goes through the same
:class:`~feeds.content.clean.Cleaner` as a Hexo body, as HTML: no Hexo tag or
fence rule touches it (its braces are entities by then).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..models import Content, Post, Site
from ..urls import site_root
from .clean import Cleaner

if TYPE_CHECKING:
    from . import kramdown
    from .liquid import Jekyll


class JekyllCleaner(Cleaner):
    """A :class:`Cleaner` for a Jekyll site's posts; any other body is cleaned as the plain cleaner does."""

    def __init__(self, config: Config, site: Site):
        super().__init__(config.content, config.feeds, site)
        self.rules = config.jekyll_site
        self.options: kramdown.Options = (self.rules.hard_wrap, self.rules.smart_quotes)
        self.root = site_root(config.site.url)
        self.includes = config.source / "_includes"
        self.tz = config.tz

    @cached_property
    def liquid(self) -> Jekyll:
        from .liquid import Jekyll  # python-liquid, only for a Jekyll site's posts that show

        values: dict[str, Any] = json.loads(self.rules.site)
        values["time"] = datetime.now(UTC).astimezone(self.tz)  # site.time: when the site is built
        return Jekyll(values, self.root, self.site.posts, self.includes, self.markdownify)

    def warm(self) -> None:
        """kramdown's renderer and python-liquid, loaded before the workers fork (see Cleaner.warm)."""
        from . import kramdown

        kramdown.to_html("", self.options)
        from . import liquid  # noqa: F401

    def markdownify(self, text: str) -> str:
        from . import kramdown  # only for a Jekyll site's posts: a Hexo build never loads it

        return kramdown.to_html(text, self.options)

    def render(self, post: Post, body: str) -> Content:
        from ..source import JEKYLL_FORMATS, jekyll_page  # the source stage reads the front matter

        if post.body_format not in JEKYLL_FORMATS:
            return super().render(post, body)
        data, text = jekyll_page(post.rel, body, self.rules)
        page = self._page(post, data)
        html = self._render(text, page, post)
        description = post.description
        separator = str(data.get("excerpt_separator", self.rules.excerpt_separator))
        if not description and separator and separator in text.strip("\n"):
            description = self._render(text.strip("\n").partition(separator)[0], page, post)
        shown = replace(post, body_format="html", description=description or None)
        return super().render(shown, _braces(html))

    def _render(self, text: str, page: dict[str, Any], post: Post) -> str:
        from .liquid import PLACEHOLDER

        rendered, blocks = self.liquid.render(text, page, post.path)
        if post.body_format == "jekyll:markdown":
            rendered = self.markdownify(rendered)
        for i, block in enumerate(blocks):
            mark = PLACEHOLDER.format(i)
            rendered = rendered.replace(f"<p>{mark}</p>", block).replace(mark, block)
        return rendered

    def _page(self, post: Post, data: dict[str, Any]) -> dict[str, Any]:
        """Liquid's ``page``: the front matter with defaults, and what Jekyll works out for a post."""
        path = (
            post.permalink[len(self.root) - 1 :] if post.permalink.startswith(self.root) else post.permalink
        )
        return {
            **data,
            "title": post.title,
            "url": path,
            "date": post.date,
            "id": post.id,
            "categories": [c[0] for c in post.categories],
            "tags": list(post.tags),
            "path": post.rel,
            "slug": data.get("slug") or post.slug,
        }


def _braces(html: str) -> str:
    """Braces as character references: the text Liquid left (``{% raw %}`` examples) is shown as it is,
    and no Hexo rule downstream takes it for a tag."""
    return html.replace("{", "&#123;").replace("}", "&#125;") if "{" in html or "}" in html else html


def make_cleaner(config: Config, site: Site) -> Cleaner:
    """The cleaner for the configured site's bodies: the Jekyll dialect's, or the plain one."""
    if config.posts.dialect == "jekyll":
        return JekyllCleaner(config, site)
    return Cleaner(config.content, config.feeds, site)
