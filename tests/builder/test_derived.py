"""feeds.opml and feeds.html as build outputs: tracked, rewritten only when their bytes change, removed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from feeds.builder import build
from feeds.cli import main
from feeds.config import load_config

from ..conftest import DATA

BLOG = DATA / "listing-blog"


def copy_blog(tmp_path: Path) -> Path:
    source = tmp_path / "posts"
    source.mkdir()
    for post in BLOG.iterdir():
        (source / post.name).write_bytes(post.read_bytes())
    return source


def stamps(out: Path) -> dict[str, int]:
    return {name: os.stat(out / name).st_mtime_ns for name in ("feeds.opml", "feeds.html")}


def test_rewritten_only_when_their_bytes_change(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    source = copy_blog(tmp_path)
    config = load_config(make_config(source=str(source)))
    first = build(config)
    assert first.files["opml"] == first.files["index"] == {"written": 1, "unchanged": 0}
    before = stamps(config.output)
    again = build(config)
    assert "read" not in again.seconds  # with both on, a build with nothing to do still stops early
    assert again.files["opml"] == {"written": 0, "unchanged": 1} and again.feeds_unchanged == 18
    os.utime(source / "travel.md", ns=(10**18, 10**18))  # a post looked at again, its bytes the same
    third = build(config)
    assert "read" in third.seconds and third.files["index"] == {"written": 0, "unchanged": 1}
    assert stamps(config.output) == before
    (source / "more.md").write_text(
        "---\ntitle: Older\ndate: 2020-01-01\ncategories: [Tech]\n---\nx\n", encoding="utf-8"
    )
    fourth = build(config)
    assert fourth.files["index"]["written"] == 1  # Tech has one more post
    assert fourth.files["opml"]["written"] == 0  # the same feeds, the same newest date: the same list
    assert "4 posts" in (config.output / "feeds.html").read_text(encoding="utf-8")


def test_turned_off_they_are_removed(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    source = copy_blog(tmp_path)
    out = load_config(make_config(source=str(source))).output
    build(load_config(tmp_path / "config.yaml"))
    assert (out / "feeds.opml").is_file() and (out / "feeds.html").is_file()
    make_config(source=str(source), feeds={"opml": False, "index": False})
    report = build(load_config(tmp_path / "config.yaml"))
    assert not (out / "feeds.opml").exists() and not (out / "feeds.html").exists()
    assert report.feeds_removed == 2 and set(report.files) == {"rss", "atom"}
    manifest = json.loads((out / ".feeds-manifest.json").read_text(encoding="utf-8"))
    assert "rss.xml" in manifest["files"]["names"] and "feeds.opml" not in manifest["files"]["names"]


def test_json_lists_every_kind_of_file(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    config = make_config(source=str(copy_blog(tmp_path)))
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert files == {
        "atom": {"written": 9, "unchanged": 0},
        "rss": {"written": 9, "unchanged": 0},
        "index": {"written": 1, "unchanged": 0},
        "opml": {"written": 1, "unchanged": 0},
    }
    again = CliRunner().invoke(main, ["build", "--config", str(config), "--json"])
    assert json.loads(again.stdout)["files"]["opml"] == {"written": 0, "unchanged": 1}


def test_a_build_with_nothing_to_do_loads_none_of_their_writers(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    config = make_config(source=str(copy_blog(tmp_path)))
    build(load_config(config))
    code = (
        "import sys\nfrom feeds.cli import main\n"
        f"try:\n    main(['build', '--config', {str(config)!r}, '--quiet'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('feeds.output.opml', 'feeds.output.index', 'feeds.output.autodiscovery', 'xml', 'email')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_index_offers_the_opml_list_only_when_there_is_one(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    source = copy_blog(tmp_path)
    out = load_config(make_config(source=str(source))).output
    build(load_config(tmp_path / "config.yaml"))
    assert 'href="feeds.opml"' in (out / "feeds.html").read_text(encoding="utf-8")
    make_config(source=str(source), feeds={"opml": False})
    build(load_config(tmp_path / "config.yaml"))
    assert "feeds.opml" not in (out / "feeds.html").read_text(encoding="utf-8")


def test_an_edit_that_changes_no_count_or_date_does_not_make_them_again(
    tmp_path: Path, make_config: Callable[..., Path], monkeypatch: object
) -> None:
    import feeds.builder.derived as derived

    made: list[int] = []
    render = derived.render_derived

    def counted(*args: object) -> dict[str, bytes]:
        made.append(1)
        return render(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(derived, "render_derived", counted)  # type: ignore[attr-defined]
    source = copy_blog(tmp_path)
    config = load_config(make_config(source=str(source)))
    build(config)
    post = source / "python-tips.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Some tips.", "Other tips."), encoding="utf-8")
    edited = build(config)
    assert edited.feeds_written > 0 and len(made) == 1  # made once, by the first build
    (config.output / "feeds.html").unlink()  # gone from the output: made again
    post.write_text(post.read_text(encoding="utf-8").replace("Other", "More"), encoding="utf-8")
    again = build(config)
    assert (
        len(made) == 2 and (config.output / "feeds.html").is_file() and again.files["index"]["written"] == 1
    )
