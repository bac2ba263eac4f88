"""The commands as a person and a cron job use them: output, exit codes, help."""

from __future__ import annotations

import platform
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from feeds import __version__
from feeds.cli import main

from .conftest import EXAMPLES, TAGGED, check_json_feed, write_post


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_prints_one_summary_line(runner: CliRunner, make_config: Callable[..., Path]) -> None:
    config = make_config(source=str(EXAMPLES))
    result = runner.invoke(main, ["build", "--config", str(config)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("12 posts read, 0 skipped, ") and "feeds written" in lines[0]
    again = runner.invoke(main, ["build", "--config", str(config)])
    assert "0 feeds written" in again.stdout and "unchanged" in again.stdout


def test_quiet_is_silent_on_success(
    runner: CliRunner, make_config: Callable[..., Path], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write_post(src, "a.md", "---\ntitle: A\ndate: 2021-01-01\ncategories: [X]\n---\nhi")
    result = runner.invoke(main, ["build", "--config", str(make_config(source=str(src))), "--quiet"])
    assert result.exit_code == 0 and result.output == ""


def test_strict_exits_1_when_a_post_is_skipped(
    runner: CliRunner, make_config: Callable[..., Path], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    write_post(src, "good.md", "---\ntitle: A\ndate: 2021-01-01\n---\nhi")
    write_post(src, "bad.md", "---\ntitle: [oops\n---\nhi")
    config = str(make_config(source=str(src)))
    lenient = runner.invoke(main, ["build", "--config", config])
    assert lenient.exit_code == 0
    assert f"{src / 'bad.md'}: front matter is not valid YAML" in lenient.stderr
    assert "1 posts read, 1 skipped" in lenient.stdout
    strict = runner.invoke(main, ["build", "--config", config, "--strict"])
    assert strict.exit_code == 1


def test_bad_config_and_missing_source_exit_2(
    runner: CliRunner, make_config: Callable[..., Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  limt: 3\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--config", str(bad)])
    assert result.exit_code == 2 and "feeds.limt" in result.stderr and "feeds.limit" in result.stderr
    missing = runner.invoke(main, ["build", "--config", str(make_config(source=str(tmp_path / "nope")))])
    assert missing.exit_code == 2 and str(tmp_path / "nope") in missing.stderr
    no_config = runner.invoke(main, ["build", "--config", str(tmp_path / "absent.yaml")])
    assert no_config.exit_code == 2 and "absent.yaml" in no_config.stderr


def test_convert_to_stdout_and_file(runner: CliRunner, tmp_path: Path) -> None:
    post = EXAMPLES / "新媒体/ZAKER/source/进一步提升为群众办实事的质量水平.md"
    result = runner.invoke(main, ["convert", str(post), "--format", "rss", "--url", "https://me.example/"])
    assert result.exit_code == 0, result.stderr
    parsed = feedparser.parse(result.stdout_bytes)
    assert not parsed.bozo and parsed.version == "rss20"
    assert [e.title for e in parsed.entries] == ["进一步提升为群众办实事的质量水平"]
    assert parsed.entries[0].link.startswith("https://me.example/2021/10/11/")
    out = tmp_path / "all.atom"
    result = runner.invoke(main, ["convert", str(EXAMPLES), "-o", str(out), "--title", "All"])
    assert result.exit_code == 0
    parsed = feedparser.parse(out.read_bytes())
    assert parsed.feed.title == "All" and len(parsed.entries) == 12


def test_categories_lists_counts_slugs_files(runner: CliRunner, make_config: Callable[..., Path]) -> None:
    result = runner.invoke(main, ["categories", "--config", str(make_config(source=str(EXAMPLES)))])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    by_label = {row[0]: row for row in rows}
    zaker = by_label["新媒体 / ZAKER / source"]
    assert zaker[1] == "2" and zaker[2] == "新媒体/ZAKER/source"
    assert zaker[3] == "categories/新媒体/ZAKER/source/rss.xml  categories/新媒体/ZAKER/source/atom.xml"
    assert int(by_label["新媒体"][1]) == 3


COMMANDS = ["build", "convert", "categories", "config"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_summary_and_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    example = result.output.split("Example:\n", 1)[1].split("\nOptions:", 1)[0]
    assert f"feeds {command}" in example, result.output


def test_the_command_list_shows_each_summary_whole(runner: CliRunner) -> None:
    """``feeds --help`` cuts a long first sentence with "..."; each must fit, on 80 columns."""
    result = runner.invoke(main, ["--help"], terminal_width=80)
    listed = dict(
        line.split(None, 1) for line in result.output.split("Commands:\n", 1)[1].splitlines() if line.strip()
    )
    assert sorted(listed) == sorted(COMMANDS)
    for command, summary in listed.items():
        assert not summary.endswith("..."), command
        assert summary == main.commands[command].get_short_help_str(limit=1000), command
    assert "Example:" in result.output


def test_build_help_lists_what_a_cron_job_needs_first(runner: CliRunner) -> None:
    text = runner.invoke(main, ["build", "--help"]).output
    options = text.split("Options:\n", 1)[1]
    cron = [options.index(name) for name in ("--config", "--quiet", "--wait", "--strict")]
    rest = [options.index(name) for name in ("--hexo", "--source", "--output", "--fetch", "--offline")]
    assert max(cron) < min(rest)
    assert "feeds build --quiet --wait" in text and "* * * *" in text  # a crontab line


def test_version_names_the_python_it_runs_on(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"feeds {__version__} (Python {platform.python_version()})\n"
    done = subprocess.run(
        [sys.executable, "-m", "feeds", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout == result.output


def test_the_version_has_one_source() -> None:
    """The installed metadata is read from feeds.__version__ (pyproject's dynamic version)."""
    assert metadata.version("feeds") == __version__
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "feeds.__version__"}


def test_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "feeds", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "build" in done.stdout


@pytest.mark.parametrize("given", ["posts", "posts/a/b.md", "./posts/a/b.md"])
def test_convert_names_files_as_given_on_the_command_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    write_post(tmp_path / "posts", "a/b.md", "---\ntitle: T\ndate: Invalid Date\n---\nhi")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["convert", given, "-o", "feed.xml"])
    assert result.exit_code == 0, result.output
    expected = "posts/a/b.md"  # relative as given ("./" is the same path to pathlib)
    assert result.stderr.startswith(f"{expected}: date 'Invalid Date' is not a date"), result.stderr
    assert str(tmp_path) not in result.stderr


def test_convert_reads_one_post_from_stdin(runner: CliRunner, tmp_path: Path, json_schema: object) -> None:
    text = (TAGGED / "hello-世界.md").read_bytes()
    result = runner.invoke(
        main, ["convert", "-", "--format", "json", "--url", "https://me.example/"], input=text
    )
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "feed.json"
    out.write_bytes(result.stdout_bytes)
    doc = check_json_feed(out, json_schema)
    [item] = doc["items"]
    assert item["title"] == "Hello 世界" and item["url"].startswith("https://me.example/2024/03/01/")
    assert item["tags"] == ["Tech", "Python", "編程", "C++"]  # categories, then tags, each once
    assert item["date_published"] == "2024-03-01T10:00:00+00:00" and item["authors"] == [{"name": "Ann Lee"}]


def test_convert_stdin_errors_name_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["convert", "-"], input=b"---\ntitle: [oops\n---\nbody")
    assert result.exit_code == 1
    assert result.stderr.startswith("<stdin>: front matter is not valid YAML"), result.stderr
    assert "no post to convert in standard input" in result.stderr and result.stdout_bytes == b""


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_convert_with_no_post_exits_1_and_writes_nothing(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    empty = tmp_path / "empty"
    write_post(empty, "notes.txt", "not a post")
    write_post(empty, "hidden.md", "---\ntitle: H\nfeed: false\n---\nx")  # in no feed, this one neither
    out = tmp_path / "feed.out"
    result = runner.invoke(main, ["convert", str(empty), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert f"no post to convert in {empty}" in result.stderr and "1970" not in result.output


def test_categories_lists_tags_and_authors_with_what_is_filtered_out(
    runner: CliRunner, make_config: Callable[..., Path]
) -> None:
    config = make_config(
        source=str(TAGGED),
        feeds={"formats": ["json"], "tags": True, "min_posts": 2},
        filters={"exclude_tags": ["food"]},
        categories={"depth": 1},
    )

    def rows(kind: str) -> dict[str, list[str]]:
        result = runner.invoke(main, ["categories", "--config", str(config), "--kind", kind])
        assert result.exit_code == 0, result.output
        return {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()}

    tags = rows("tag")
    assert tags["Python"][1:] == ["2", "Python", "tags/Python/feed.json"]  # secret.md has feed: false
    assert tags["food"][3:] == ["-", "excluded by filters.exclude_tags"]
    assert tags["Drafty"][3:] == ["-", "every post is excluded (feed: false or filters)"]
    assert tags["C#"][1:] == ["1", "C#", "-", "fewer posts than feeds.min_posts (2)"]
    categories = rows("category")
    assert categories["Tech"][3] == "categories/Tech/feed.json"
    assert categories["Tech / Python"][3:] == ["-", "deeper than categories.depth (1)"]
    authors = rows("author")
    assert authors["Ann Lee"][3:] == ["-", "feeds.authors is false"]
    assert set(authors) == {"Ann Lee", "Bob", "Chloé"}
