"""hexo-image-link 0.0.6: the filter some Hexo blogs install to write images as Typora shows them.

Before Hexo renders a post (after its fenced code is taken out), the plugin
rewrites the raw text with two regular expressions, wherever they match, inline
code included: a Markdown image whose path has one folder (``![cat](post/cat.png)``
or ``![cat](./post/cat.png)``) becomes ``{% asset_img "cat.png" "cat" %}``, an image
of the post's asset folder; and every ``<img … src="x/y.png"`` becomes
``<img src="/<post path>y.png" `` (the attributes before ``src`` go with it).  feeds
does the same when the site's ``package.json`` installs the plugin
(``content.filters``), so that the feed shows what the blog's pages show.
"""

from __future__ import annotations

import re

NAME = "hexo-image-link"
# The plugin's expressions: the path runs to the line's last `)`; the label has no brackets.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((.*)\s?(?:\".*\")?\)")
_IMG_SRC = re.compile(r'<img[^>]+src="([^"]+)"')


def rewrite(body: str, path: str) -> str:
    """``body`` as the plugin leaves it for a post whose path on the site is ``path`` (``posts/x/``)."""
    if "![" in body:
        body = _MARKDOWN_IMAGE.sub(_asset_img, body)
    if "<img" in body:
        body = _IMG_SRC.sub(lambda m: f'<img src="/{path}{_segment(m[1], 1)}" ', body)
    return body


def _asset_img(m: re.Match[str]) -> str:
    label, path = m[1], m[2]
    parts = path.split("/")
    if len(parts) == 2:
        return f'{{% asset_img "{parts[1]}" "{label}" %}}'
    if len(parts) == 3 and path.startswith("./"):
        return f'{{% asset_img "{parts[2]}" "{label}" %}}'
    return m[0]


def _segment(path: str, i: int) -> str:
    """The i-th piece of ``path`` split at slashes, as JavaScript joins a missing one: "undefined"."""
    parts = path.split("/")
    return parts[i] if i < len(parts) else "undefined"
