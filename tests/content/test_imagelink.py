"""hexo-image-link, a filter a blog installs: feeds rewrites a post's images as the plugin does."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import yaml

from feeds.config import load_config
from feeds.content import Cleaner
from feeds.content.imagelink import rewrite
from feeds.models import Post, Site

POST_TEXT = (
    "![cat](post/cat.png)\n\n![dog](./post/dog.png)\n\n![far](a/b/c.png)\n\n"
    '`<img src="path/image.jpg">` and <img alt="A" src="one.png">\n'
)


def test_the_plugins_rewrites() -> None:
    # hexo-image-link 0.0.6's filter, run in node on POST_TEXT for a post at posts/x/
    expected = (
        '{% asset_img "cat.png" "cat" %}\n\n{% asset_img "dog.png" "dog" %}\n\n![far](a/b/c.png)\n\n'
        '`<img src="/posts/x/image.jpg" >` and <img src="/posts/x/undefined" >\n'
    )
    assert rewrite(POST_TEXT, "posts/x/") == expected
    # the path runs to the line's last parenthesis, so two images on a line have many folders
    line = '![cat](post/cat.png) and ![dog](./post/dog.png "Dog") (see)'
    assert rewrite(line, "posts/x/") == line


def test_a_blog_that_installs_it_gets_its_images(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"hexo-image-link": "^0.0.6"}}))
    (tmp_path / "_config.yml").write_text(
        yaml.safe_dump({"url": "https://b.example", "post_asset_folder": True})
    )
    config = load_config(None, tmp_path / "_config.yml")
    assert config.content.filters == ("hexo-image-link",)
    when = datetime(2024, 1, 1, tzinfo=UTC)
    link = "https://b.example/posts/x/"
    post = Post("", "x.md", "X", when, when, link, link, body_format="markdown")
    site = Site(root="https://b.example/", asset_folder=True)
    html = Cleaner(config.content, config.feeds, site).render(post, POST_TEXT).html
    assert '<img src="https://b.example/posts/x/cat.png"' in html, html
    assert '<img src="https://b.example/posts/x/dog.png"' in html, html
    assert '<code>&lt;img src="/posts/x/image.jpg" &gt;</code>' in html, (
        html
    )  # in code too, as the plugin does
    assert '<img src="https://b.example/posts/x/undefined">' in html, html
    plain = load_config(None, _without_plugin(tmp_path)).content
    assert plain.filters == ()


def _without_plugin(folder: Path) -> Path:
    (folder / "package.json").write_text(json.dumps({"dependencies": {}}))
    return folder / "_config.yml"
