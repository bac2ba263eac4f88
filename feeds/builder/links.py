"""What a body names outside its own file: other posts (``post_link``) and code files (``include_code``).

An entry with ``{% post_link other %}`` changes when the other post's address
or title does, and one with ``{% include_code x.js %}`` when that file does,
though the post's own bytes do not.  Reading a post records what its tags
name (``Post.refs``); here those names are resolved once per build, and the
answers go into the keys of the content cache and the feeds' fingerprints,
so an edit to the other post or file reaches every entry that shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..config import Config
from ..content import code_file
from ..models import Post, Site
from ..urls import quote_segment, site_root
from .inputs import code_folder


def make_site(config: Config, posts: Sequence[Post], shown: Sequence[Post]) -> Site:
    """The site as the bodies of ``shown`` see it; only the posts they link to are looked up.

    Hexo finds a post_link's post by slug, else by title; the first of several wins.
    """
    names = {ref[5:] for post in shown for ref in post.refs if ref.startswith("post:")}
    found: dict[str, tuple[str, str]] = {}
    if names:
        by_title: dict[str, tuple[str, str]] = {}
        for post in posts:
            if post.slug in names:
                found.setdefault(post.slug, (post.permalink, post.title))
            if post.title in names:
                by_title.setdefault(post.title, (post.permalink, post.title))
        found = {**by_title, **found}
    root = site_root(config.site.url)
    folder = code_folder(config)
    series = _series({ref[7:] for post in shown for ref in post.refs if ref.startswith("series:")}, posts)
    return Site(
        root=root,
        asset_folder=config.posts.post_asset_folder,
        prepend_root=config.content.prepend_root,
        posts=found,
        code_dir=str(folder) if folder else "",
        code_url=root + "".join(quote_segment(s) + "/" for s in config.posts.code_dir.split("/") if s),
        series=series,
    )


def _series(names: set[str], posts: Sequence[Post]) -> dict[str, tuple[tuple[str, str, float], ...]]:
    """The posts of each series named, as Butterfly collects them (by front matter ``series``)."""
    found: dict[str, list[tuple[str, str, float]]] = {}
    if names:
        for post in posts:
            for ref in post.refs:
                if ref.startswith("in-series:") and ref[10:] in names:
                    found.setdefault(ref[10:], []).append((post.permalink, post.title, post.date.timestamp()))
    return {name: tuple(found.get(name, ())) for name in names}


def ref_stamp(post: Post, site: Site) -> bytes:
    """What the post's tags name, as found now: part of its entry's key."""
    if not post.refs:
        return b""
    parts = []
    for ref in post.refs:
        kind, _, name = ref.partition(":")
        if kind == "post":
            parts.append(f"{ref}={site.posts.get(name)!r}")
        elif kind == "series":
            parts.append(f"{ref}={site.series.get(name)!r}")
        elif kind in ("in-series", "collection"):
            continue  # the post's own front matter (its Jekyll collection's name), in its key already
        else:
            parts.append(f"{ref}={_file_stamp(code_file(site, name))}")
    return ("\0".join(parts) + "\0").encode("utf-8", "surrogateescape")


def _file_stamp(path: Path | None) -> str:
    """Size and mtime: what tells a changed file; "-" for none (missing, or outside the folder)."""
    if path is None:
        return "-"
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return "-"
    return f"{stat.st_size}:{stat.st_mtime_ns}"
