"""A Jekyll site beside a Hexo blog of the same posts: cold builds alternated, with their ratio.

Usage: python benchmarks/bench_jekyll.py [N ...] [--pairs P]

For each N it makes the benchmark's corpus (make_corpus.py), and the same posts
as a Jekyll site (jekyll_corpus.py), then runs cold ``feeds build``s of the two in
turn, P pairs, the order alternating, each into new folders.  The Hexo side reads
the posts as a Hexo site does, every body as Markdown (``posts.sniff_html: false``),
as Jekyll renders every ``.md`` post with kramdown: both render the same bodies.
It prints the median wall seconds and peak memory of each and the median of the
per-pair ratios Jekyll/Hexo.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hugo import timed
from jekyll_corpus import convert
from make_corpus import make

HEXO = """site: {{title: Mirror, url: https://mirror.example.org/, timezone: Asia/Shanghai}}
source: {posts}
output: {out}/public
cache: {out}/cache
posts: {{sniff_html: false}}
"""
JEKYLL = """jekyll: {site}/_config.yml
output: {out}/public
cache: {out}/cache
"""


def bench(n: int, pairs: int, root: Path) -> dict[str, list[tuple[float, float]]]:
    make(n, root / "posts")
    convert(root / "posts", root / "site")
    os.sync()
    feeds = shutil.which("feeds") or "feeds"
    results: dict[str, list[tuple[float, float]]] = {"hexo": [], "jekyll": []}
    for i in range(pairs):
        runs = []
        for name, text in (("hexo", HEXO), ("jekyll", JEKYLL)):
            out = root / f"{name}-{i}"
            out.mkdir()
            config = out / "config.yaml"
            config.write_text(text.format(posts=root / "posts", site=root / "site", out=out), "utf-8")
            runs.append((name, [feeds, "build", "--config", str(config), "--quiet"]))
        for name, command in runs if i % 2 == 0 else reversed(runs):
            results[name].append(timed(command))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(__file__).parent.parent / "feeds")], check=True
    )
    print(f"cores: {len(os.sched_getaffinity(0))}, pairs: {args.pairs}")
    print(f"{'posts':>8}  {'hexo s':>8} {'jekyll s':>8} {'ratio':>8} {'hexo MB':>8} {'jekyll MB':>9}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            found = bench(n, args.pairs, Path(tmp))
        hexo, jekyll = found["hexo"], found["jekyll"]
        ratio = statistics.median(j[0] / h[0] for h, j in zip(hexo, jekyll, strict=True))
        print(
            f"{n:>8}  {statistics.median(t for t, _ in hexo):>8.2f} "
            f"{statistics.median(t for t, _ in jekyll):>8.2f} {ratio:>7.3f}x "
            f"{max(m for _, m in hexo):>8.0f} {max(m for _, m in jekyll):>9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
