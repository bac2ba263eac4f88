"""Build times and peak memory for an N-post corpus made from the real posts in tests/data/corpus.

Usage: python benchmarks/bench_build.py [N ...] [--rounds R] [--keep DIR] [--feeds 'KEY: VALUE' ...]

``--feeds`` adds keys to the config's ``feeds:`` section, e.g. the issue-14 set:
``--feeds 'formats: [rss, atom, json]' --feeds 'tags: true' --feeds 'authors: true'``.
The ``feeds`` command on PATH is the one measured, so two installations (the code
before a change and after it) can be measured alternately with the same script.

For each N it makes a corpus with make_corpus.py, then runs ``feeds build``
(the installed command, as cron would) R times in each of three states and
prints medians: a cold build (no output, no cache: each round builds into new
folders), a build with nothing changed, and a build with one post changed (the
body of the newest post, which shows in the site feed and in each level of its
category), and a build after one new post in that category (the files it wrote
are printed by kind).  Peak memory is the largest resident set of the build process or
any worker it forked (``ru_maxrss`` from wait4), as /usr/bin/time reports it.

On ext4 without a journal (as on the machine this project is built on), a
file system that freed many inodes in the last few minutes (a test run's
temporary folders, the previous benchmark's cleanup) makes every file a cold
build creates skip past them one by one: ``recently_deleted`` took a quarter
of a cold build's samples in ``perf``, and medians rose from 1.86 s to 2.46 s
over four benchmarks run back to back.  Leave the file system alone for six
minutes (the kernel's window for a freed inode whose table block is dirty)
before a run whose figures you keep.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import yaml
from make_corpus import make

CONFIG = """site:
  title: Mirror
  url: https://mirror.example.org/
  timezone: Asia/Shanghai
source: posts
output: {output}
cache: {cache}
feeds:
{feeds}"""
FEEDS = {"formats": "[rss, atom]", "limit": "20", "content": "full"}


def run(config: Path, counts: dict[str, int] | None = None) -> tuple[float, float]:
    """Wall seconds and peak MB of one ``feeds build``; with ``counts``, files written by kind into it."""
    feeds = shutil.which("feeds") or "feeds"
    start = time.perf_counter()
    command = [feeds, "build", "--config", str(config), "--json" if counts is not None else "--quiet"]
    child = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.PIPE)
    out = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"feeds build failed with status {status}")
    if counts is not None:
        files = json.loads(out).get("files", {})
        counts.update({kind: n["written"] for kind, n in files.items() if n["written"]})
    return elapsed, usage.ru_maxrss / 1024


def newest_post(posts: Path) -> Path:
    """The post with the latest date: cycle 0's newest dated post."""
    return max(
        (p for p in posts.rglob("* #0.md") if "Invalid Date" not in p.read_text(encoding="utf-8")[:600]),
        key=lambda p: p.stat().st_size,
    )


def bench(n: int, rounds: int, root: Path, extra: str = "") -> dict[str, tuple[float, float]]:
    posts = root / "posts"
    make(n, posts)
    os.sync()  # the corpus just written is flushed now, not while the first build runs
    target = newest_post(posts)
    category = category_of(target)
    written: dict[str, int] = {}  # files written by the last "one post added" build, by kind
    states = ("cold", "nothing changed", "one post changed", "one post added")
    results: dict[str, list[tuple[float, float]]] = {state: [] for state in states}
    for i in range(rounds):
        # Each round builds into new folders; the old ones go only at the end.  Deleting thousands
        # of files just before a cold build makes ext4 skip the recently freed inodes one by one
        # when the build creates its files (find_inode_bit/recently_deleted were 16% of a cold
        # 10,000-post build's samples in perf): a cost of the harness, not of the build.
        config = root / f"config-{i}.yaml"
        text = CONFIG.format(output=f"public-{i}", cache=f"cache-{i}", feeds=extra)
        config.write_text(text, encoding="utf-8")
        results["cold"].append(run(config))
        results["nothing changed"].append(run(config))
        with target.open("a", encoding="utf-8") as f:
            f.write(f"\n<p>edit {i}</p>\n")
        results["one post changed"].append(run(config))
        added = posts / f"added {i}.md"
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())  # newer than every post, even mtime-dated
        added.write_text(f"---\ntitle: Added {i}\ndate: {now}\ncategories: [{category}]\n---\nNew.\n")
        results["one post added"].append(run(config, written))
        added.unlink()
    for i in range(rounds):
        shutil.rmtree(root / f"public-{i}", ignore_errors=True)
        shutil.rmtree(root / f"cache-{i}", ignore_errors=True)
    print(f"{n:>8}  one post added wrote: {', '.join(f'{k} {v}' for k, v in sorted(written.items()))}")
    return {state: (statistics.median(t for t, _ in r), max(m for _, m in r)) for state, r in results.items()}


def category_of(post: Path) -> str:
    """The newest post's categories as a YAML flow list, so the added post lands in the same feeds."""
    text = post.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---", 2)[1]) or {}
    names = front.get("categories") or []
    names = names if isinstance(names, list) else [names]
    return ", ".join(json.dumps(str(n), ensure_ascii=False) for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--feeds", action="append", default=[], metavar="'KEY: VALUE'", help="a feeds: key")
    args = parser.parse_args()
    feeds = {**FEEDS, **dict(tuple(part.strip() for part in line.split(":", 1)) for line in args.feeds)}
    extra = "".join(f"  {key}: {value}\n" for key, value in feeds.items())
    # Bytecode for the package, as `pip install` compiles it: an editable checkout run with
    # PYTHONDONTWRITEBYTECODE (as on this machine) would otherwise compile every module on every
    # run, 30-40 ms that no installed copy pays.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(__file__).parent.parent / "feeds")], check=True
    )
    print(f"cores: {len(os.sched_getaffinity(0))}, rounds: {args.rounds}")
    print(f"{'posts':>8}  {'state':<17} {'median s':>9} {'peak MB':>8}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = args.keep / str(n) if args.keep else Path(tmp)
            root.mkdir(parents=True, exist_ok=True)
            for state, (seconds, peak) in bench(n, args.rounds, root, extra).items():
                print(f"{n:>8}  {state:<17} {seconds:>9.2f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
