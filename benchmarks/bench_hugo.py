"""feeds beside Hugo on the same posts: build times, peak memory and their ratios, from one run.

Usage: python benchmarks/bench_hugo.py [N ...] [--pairs P] [--feeds 'KEY: VALUE' ...]

For each N it makes a corpus with make_corpus.py and the same posts as a Hugo
site with hugo_site.py (an RSS file for the site and each of the same category
nodes, full content, 20 items), then runs the two in turn, P pairs, the order
alternating (feeds first, then Hugo first), each build a whole process as cron
runs it: a cold build into new folders, then a build with nothing changed and
one after the newest post's body changed.  Hugo has no state between runs, so
each of its builds is a full one; feeds's later builds are its incremental ones.
It prints, per figure, the median wall seconds and the largest peak memory of
each, and the median of the per-pair ratios feeds/Hugo, which holds when the
machine's speed drifts during the run.  ``--feeds`` adds keys to feeds'
``feeds:`` section (``--feeds 'archive: true'``); feeds' defaults otherwise (RSS and
Atom for the site and every node, the OPML list and the index page).

Needs the ``hugo`` command (Debian's package: ``apt-get install hugo``, 0.111).
See bench_build.py for why each round builds into new folders.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import CONFIG, newest_post
from hugo_site import convert
from make_corpus import make

STATES = ("cold", "nothing changed", "one post changed")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB (the process or any child it waited for) of one command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command[0]} failed with status {status}: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def bench(n: int, pairs: int, root: Path, extra: str) -> dict[str, dict[str, list[tuple[float, float]]]]:
    posts, site = root / "posts", root / "site"
    make(n, posts)
    convert(posts, site)
    target = newest_post(posts)
    hugo_target = _hugo_copy(site, posts, target)
    os.sync()
    feeds = shutil.which("feeds") or "feeds"
    results: dict[str, dict[str, list[tuple[float, float]]]] = {s: {"feeds": [], "hugo": []} for s in STATES}
    for i in range(pairs):
        config = root / f"config-{i}.yaml"
        text = CONFIG.format(output=f"public-{i}", cache=f"cache-{i}", feeds=f"  limit: 20\n{extra}")
        config.write_text(text, "utf-8")
        build_feeds = [feeds, "build", "--config", str(config), "--quiet"]
        hugo_out = ["--source", str(site), "--destination", str(root / f"hugo-{i}"), "--quiet"]
        build_hugo = ["hugo", *hugo_out, "--cacheDir", str(root / f"hugo-cache-{i}")]
        for state in STATES:
            if state == "one post changed":
                for path in (target, hugo_target):
                    with path.open("a", encoding="utf-8") as f:
                        f.write(f"\n<p>edit {i}</p>\n")
            commands = [("feeds", build_feeds), ("hugo", build_hugo)]
            for name, command in commands if i % 2 == 0 else reversed(commands):
                results[state][name].append(timed(command))
    for pattern in ("public-*", "cache-*", "hugo-*"):
        for folder in root.glob(pattern):
            shutil.rmtree(folder, ignore_errors=True)
    return results


def _hugo_copy(site: Path, posts: Path, target: Path) -> Path:
    """The Hugo content file made from ``target`` (hugo_site.py numbers them in path order)."""
    index = sorted(posts.rglob("*.md")).index(target)
    return site / "content" / "posts" / f"post-{index:06d}.md"


def report(n: int, results: dict[str, dict[str, list[tuple[float, float]]]]) -> None:
    for state, runs in results.items():
        feeds, hugo = runs["feeds"], runs["hugo"]
        ratio = statistics.median(f[0] / h[0] for f, h in zip(feeds, hugo, strict=True))
        memory = max(m for _, m in feeds) / max(m for _, m in hugo)
        print(
            f"{n:>8}  {state:<17} {statistics.median(t for t, _ in feeds):>8.2f} "
            f"{statistics.median(t for t, _ in hugo):>8.2f} {ratio:>7.3f}x "
            f"{max(m for _, m in feeds):>8.0f} {max(m for _, m in hugo):>8.0f} {memory:>7.3f}x",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--feeds", action="append", default=[], metavar="'KEY: VALUE'", help="a feeds: key")
    args = parser.parse_args()
    if shutil.which("hugo") is None:
        raise SystemExit("hugo is not installed (Debian: apt-get install hugo)")
    extra = "".join(f"  {line}\n" for line in args.feeds)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(__file__).parent.parent / "feeds")], check=True
    )
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    print(f"cores: {len(os.sched_getaffinity(0))}, pairs: {args.pairs}, hugo {hugo}, feeds: {args.feeds}")
    heads = ("feeds s", "hugo s", "ratio", "feeds MB", "hugo MB", "ratio")
    print(f"{'posts':>8}  {'state':<17} " + " ".join(f"{h:>8}" for h in heads))
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = args.keep / str(n) if args.keep else Path(tmp)
            root.mkdir(parents=True, exist_ok=True)
            report(n, bench(n, args.pairs, root, extra))


if __name__ == "__main__":
    main()
