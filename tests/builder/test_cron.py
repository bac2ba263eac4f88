"""The cron job's view, with real processes: killed builds, concurrent builds, locks, exit codes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from feeds.output.lock import BuildLock

from ..conftest import CORPUS, check_feed

FEEDS = [sys.executable, "-m", "feeds", "build", "--quiet"]


def start(config: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*FEEDS, "--config", str(config), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def edit_titles(src: Path, round_: int) -> None:
    """Change every 7th post's title, so each build rewrites many feeds."""
    for i, path in enumerate(sorted(src.rglob("*.md"))):
        if i % 7 == round_ % 7:
            text = path.read_text(encoding="utf-8")
            text = text.replace("\ntitle: ", f"\ntitle: r{round_} ", 1)
            path.write_text(text, encoding="utf-8")


def all_complete(out: Path) -> int:
    """Every feed file parses as a whole XML document; returns how many there were."""
    count = 0
    for path in out.rglob("*.xml"):
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # removed between listing and reading: fine
            continue
        etree.fromstring(data)  # raises on a truncated or half-written file
        count += 1
    return count


def test_sigkill_at_any_moment_leaves_complete_feeds(
    tmp_path: Path, make_config: Callable[..., Path], atom_schema: etree.RelaxNG
) -> None:
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    config = make_config(source=str(src))
    out = tmp_path / "public"
    assert subprocess.run([*FEEDS, "--config", str(config)], check=False).returncode == 0
    edit_titles(src, 99)
    began = time.monotonic()
    assert subprocess.run([*FEEDS, "--config", str(config)], check=False).returncode == 0
    duration = time.monotonic() - began  # of a build that rewrites many feeds: kill inside that span
    stop = threading.Event()
    problems: list[str] = []
    checks = [0]

    def reader() -> None:
        while not stop.is_set():
            try:
                all_complete(out)
                checks[0] += 1
            except etree.XMLSyntaxError as e:
                problems.append(str(e))

    watcher = threading.Thread(target=reader)
    watcher.start()
    rng = random.Random(4287)
    kills = 0
    try:
        for round_ in range(16):
            edit_titles(src, round_)
            build = start(config)
            time.sleep(rng.uniform(0.05, duration))
            if build.poll() is None:
                build.send_signal(signal.SIGKILL)
                kills += 1
            build.wait()
            all_complete(out)
    finally:
        stop.set()
        watcher.join()
    assert not problems, problems[:3]
    assert kills >= 6 and checks[0] > 10
    done = subprocess.run([*FEEDS, "--config", str(config)], check=False, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert not list(out.rglob("*.tmp")), "temporary files left behind"
    assert not list((tmp_path / "cache").rglob("*.tmp")), "temporary cache files left behind"
    for path in out.rglob("*.xml"):
        check_feed(path, atom_schema)
    manifest = json.loads((out / ".feeds-manifest.json").read_text(encoding="utf-8"))
    written = [p.relative_to(out).as_posix() for p in out.rglob("*.xml")]
    assert manifest["files"]["names"] == sorted([*written, "feeds.html", "feeds.opml"])


def test_a_second_build_waits_then_gives_up_with_75(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    config = make_config(source=str(CORPUS))
    out = tmp_path / "public"
    with BuildLock(out):
        began = time.monotonic()
        blocked = subprocess.run(
            [*FEEDS, "--config", str(config), "--wait", "0.5"], capture_output=True, check=False
        )
        waited = time.monotonic() - began
    assert blocked.returncode == 75
    assert b"another feeds build" in blocked.stderr and f"(pid {os.getpid()})".encode() in blocked.stderr
    assert waited >= 0.5
    assert not (out / "rss.xml").exists()


def test_a_waiting_build_proceeds_when_the_lock_frees(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    config = make_config(source=str(CORPUS))
    out = tmp_path / "public"
    lock = BuildLock(out).__enter__()
    waiting = start(config, "--wait", "20")
    time.sleep(0.8)
    assert waiting.poll() is None  # still waiting
    lock.__exit__(None, None, None)
    assert waiting.wait(timeout=60) == 0
    assert (out / "rss.xml").exists()


def test_the_lock_of_a_dead_build_is_taken_over(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    config = make_config(source=str(CORPUS))
    out = tmp_path / "public"
    script = (
        "import pathlib, time\nfrom feeds.output.lock import BuildLock\n"
        f"with BuildLock(pathlib.Path({str(out)!r})):\n"
        "    print('locked', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert subprocess.run([*FEEDS, "--config", str(config)], check=False).returncode == 0


def test_two_concurrent_builds_both_finish(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    config = make_config(source=str(CORPUS))
    first, second = start(config, "--wait", "60"), start(config, "--wait", "60")
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert all_complete(tmp_path / "public") > 100


@pytest.mark.parametrize(
    ("setup", "code"),
    [("ok", 0), ("bad-post-strict", 1), ("bad-config", 2), ("no-source", 2), ("locked", 75)],
)
def test_exit_codes(tmp_path: Path, make_config: Callable[..., Path], setup: str, code: int) -> None:
    src = tmp_path / "src"
    (src / "x").mkdir(parents=True)
    (src / "x/good.md").write_text("---\ntitle: G\ndate: 2021-01-01\n---\nhi", encoding="utf-8")
    args = ["--strict"] if setup == "bad-post-strict" else []
    if setup == "bad-post-strict":
        (src / "x/bad.md").write_bytes(b"---\ntitle: \xff\n---\n")
    config = make_config(source=str(src if setup != "no-source" else tmp_path / "missing"))
    if setup == "bad-config":
        config.write_text("feeds: {limit: -1}\n", encoding="utf-8")
    if setup == "locked":
        with BuildLock(tmp_path / "public"):
            done = subprocess.run([*FEEDS, "--config", str(config)], capture_output=True, check=False)
    else:
        done = subprocess.run([*FEEDS, "--config", str(config), *args], capture_output=True, check=False)
    assert done.returncode == code, done.stderr
    if code == 0:
        assert done.stdout == b"" and done.stderr == b""  # --quiet: silent when all is well
    else:
        assert done.stderr.strip()  # said why, flushed before the quick exit


def test_json_summary(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    config = make_config(source=str(CORPUS))
    done = subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--config", str(config), "--json"],
        capture_output=True,
        check=True,
    )
    summary = json.loads(done.stdout)
    rules = ("hidden", "protected", "feed_false", "exclude_paths", "exclude_categories", "exclude_tags")
    assert summary["posts"] == {
        "read": 132,
        "skipped": 0,
        "changed": 132,
        "drafts": 0,
        "protected": 0,
        "hidden": 0,
        "excluded": dict.fromkeys(rules, 0),
    }
    assert summary["feeds"]["written"] == 182 and summary["feeds"]["removed"] == 0
    assert set(summary["thumbnails"]) == {"fetched", "cached", "failed"}
    assert {"read", "write", "total"} <= set(summary["seconds"])
    again = json.loads(
        subprocess.run(
            [sys.executable, "-m", "feeds", "build", "--config", str(config), "--json"],
            capture_output=True,
            check=True,
        ).stdout
    )
    none_left = {"depth": 0, "min_posts": 0, "shared_folder": 0, "tags_chosen": 0}
    assert again["feeds"] == {"written": 0, "unchanged": 182, "removed": 0, "not_written": none_left}
    assert again["posts"]["changed"] == 0


def test_verbose_logs_through_logging(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "a/p.md").write_text(
        "---\ntitle: P\ndate: 2021-01-01\ncategories: [Gone]\n---\nhi", encoding="utf-8"
    )
    config = make_config(source=str(src))
    subprocess.run([*FEEDS, "--config", str(config)], check=True)
    (src / "a/p.md").write_text(
        "---\ntitle: P\ndate: 2021-01-01\ncategories: [New]\n---\nhi", encoding="utf-8"
    )
    done = subprocess.run([*FEEDS, "--config", str(config), "-v"], capture_output=True, check=True)
    assert b"removed (its category, tag or author is gone" in done.stderr
