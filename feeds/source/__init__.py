"""Stage 1, reading: one post file in, one :class:`~feeds.models.Post` out.

Takes the source folder (``scan`` walks it) and a post's bytes; gives the
post's metadata (title, dates, permalink, categories, tags, thumbnail URL),
never its body, which :func:`read_body` reads again only for the posts that
land in a feed.  A file that cannot be used becomes a ``PostError`` naming it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exported, lazy_exports

if TYPE_CHECKING:
    from .categories import author_paths as author_paths
    from .categories import build_tree as build_tree
    from .categories import category_paths as category_paths
    from .categories import slugger as slugger
    from .categories import slugify as slugify
    from .categories import tag_paths as tag_paths
    from .frontmatter import decode as decode
    from .jekyll import jekyll_page as jekyll_page
    from .jekyll import jekyll_post_name as jekyll_post_name
    from .jekyll_collections import by_collection as by_collection
    from .permalink import full_url as full_url
    from .posts import find_posts as find_posts
    from .posts import parse_text_body as parse_text_body
    from .posts import read_body as read_body
    from .posts import read_posts as read_posts
    from .walk import JEKYLL_FORMATS as JEKYLL_FORMATS
    from .walk import UNKNOWN as UNKNOWN
    from .walk import SourceFile as SourceFile
    from .walk import read_file_stat as read_file_stat
    from .walk import scan as scan
    from .walk import scan_posts as scan_posts
    from .walk import scan_source as scan_source
    from .walk import source_file as source_file
    from .walk import source_path as source_path

_EXPORTS = {
    "categories": ("author_paths", "build_tree", "category_paths", "slugger", "slugify", "tag_paths"),
    "frontmatter": ("decode",),
    "jekyll": ("jekyll_page", "jekyll_post_name"),
    "jekyll_collections": ("by_collection",),
    "permalink": ("full_url",),
    "posts": ("find_posts", "parse_text_body", "read_body", "read_posts"),
    "walk": (
        *("JEKYLL_FORMATS", "UNKNOWN", "SourceFile", "read_file_stat", "scan", "scan_posts"),
        *("scan_source", "source_file", "source_path"),
    ),
}
__all__ = exported(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
