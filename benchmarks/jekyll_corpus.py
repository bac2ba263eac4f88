"""The benchmark's corpus as a Jekyll site: the same posts, renamed as Jekyll names them.

Usage: python benchmarks/jekyll_corpus.py POSTS_DIR SITE_DIR

make_corpus.py writes Hexo posts (``<category folders>/<title> #<cycle>.md``,
dated in their front matter, some with an unreadable date); Jekyll wants
``_posts/YYYY-MM-DD-<slug>.md``.  Each post keeps its front matter and body
byte for byte and goes under ``<its category folders>/_posts/`` (Jekyll reads
those folders as its categories, besides the front matter's), named by its
date; a post whose date Jekyll cannot read is named by the date of its
cycle's first post.  bench_jekyll.py builds both, alternately.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from dateutil.parser import parse

CONFIG = """title: Mirror
url: https://mirror.example.org
timezone: Asia/Shanghai
"""
_DATE = re.compile(r"^date: (.+)$", re.MULTILINE)
_SLUG = re.compile(r"[^\w-]+")


def convert(posts: Path, site: Path) -> int:
    (site / "_posts").mkdir(parents=True, exist_ok=True)
    (site / "_config.yml").write_text(CONFIG, encoding="utf-8")
    count = 0
    for i, path in enumerate(sorted(posts.rglob("*.md"))):
        text = path.read_text(encoding="utf-8")
        day = _day(text) or datetime(2020, 1, 1 + i % 28, tzinfo=UTC)
        slug = _SLUG.sub("-", path.stem).strip("-")[:80] or "post"
        folder = site.joinpath(*path.parent.relative_to(posts).parts, "_posts")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{day:%Y-%m-%d}-{slug}-{i}.md").write_text(text, encoding="utf-8")
        count += 1
    return count


def _day(text: str) -> datetime | None:
    found = _DATE.search(text.split("---", 2)[1] if text.startswith("---") else "")
    if found is None:
        return None
    try:
        return parse(found[1].strip().strip("'\""))
    except (ValueError, OverflowError):  # 'Invalid Date'
        return None


if __name__ == "__main__":
    print(f"{convert(Path(sys.argv[1]), Path(sys.argv[2]))} posts in {sys.argv[2]}")
