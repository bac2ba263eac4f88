"""Cleaning time per post over the corpus copy in tests/data/corpus.

Usage: python benchmarks/bench_clean.py [--rounds N] [--markdown] [--renderer NAME] [--math MODE]

Each post's body is read once, then cleaned N times; the figure per post is
the median of its rounds, and the report gives the median, p95 and max of
those over all posts (target: median at or under 1 ms on a 2-core machine).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from feeds.config import Config, with_overrides
from feeds.config.renderers import PLUS_PLUGINS
from feeds.content import Cleaner
from feeds.source.posts import read_body, read_posts

# markdown-it-plus's own plugins, less its formulas: the corpus has none.
PLUS = tuple(p for p in PLUS_PLUGINS if "katex" not in p)
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="every .md body is Markdown, as in a Hexo site (posts.sniff_html off)",
    )
    parser.add_argument("--renderer", help="content.renderer: the same posts through another renderer")
    parser.add_argument("--math", help="content.math (none, dollars, brackets, double)")
    args = parser.parse_args()
    config = with_overrides(Config(), source=CORPUS)
    wanted = {k: v for k, v in (("renderer", args.renderer), ("math", args.math)) if v}
    if args.renderer == "markdown-it-plus":  # its default plugins, katex formulas among them
        wanted["plugins"] = PLUS
    if wanted:
        config = with_overrides(config, content=replace(config.content, **wanted))
    if args.markdown:  # the corpus' bodies are HTML, which sniffing leaves to the cleaner alone
        config = with_overrides(config, posts=replace(config.posts, sniff_html=False))
    cleaner = Cleaner(config.content, config.feeds)
    posts = [(p, read_body(p)) for p in read_posts(config).posts]
    per_post = []
    for post, body in posts:
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            cleaner.render(post, body)
            times.append(time.perf_counter() - start)
        per_post.append(statistics.median(times) * 1000)
    per_post.sort()
    p95 = per_post[int(len(per_post) * 0.95) - 1]
    print(f"posts: {len(per_post)}, rounds: {args.rounds}")
    print(
        f"cleaning ms/post: median {statistics.median(per_post):.3f}, p95 {p95:.3f}, max {per_post[-1]:.3f}"
    )
    print(f"total for the corpus once: {sum(per_post):.1f} ms")


if __name__ == "__main__":
    main()
