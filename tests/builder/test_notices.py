"""Warnings of one kind are grouped: the first few in full, then one line that counts the rest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from feeds.cli import main

from ..conftest import write_post

UNDATED = "---\ntitle: P{i}\ndate: Invalid Date\n---\n<p>body</p>\n"
UNTITLED = "---\ntitle: ''\ndate: 2021-01-0{i}\n---\n<p>body text</p>\n"
BROKEN = "---\ntitle: [oops\n---\nhi\n"


@pytest.fixture
def config(make_config: Callable[..., Path], tmp_path: Path) -> str:
    src = tmp_path / "src"
    for i in range(12):
        write_post(src, f"d/{i:02d}.md", UNDATED.format(i=i))
    for i in range(1, 3):
        write_post(src, f"t/{i}.md", UNTITLED.format(i=i))
    for i in range(7):
        write_post(src, f"x/{i}.md", BROKEN)
    return str(make_config(source=str(src)))


def _lines(text: str, needle: str) -> list[str]:
    return [line for line in text.splitlines() if needle in line]


@pytest.mark.parametrize("quiet", [[], ["--quiet"]])
def test_the_first_five_of_a_kind_then_a_count(config: str, quiet: list[str]) -> None:
    result = CliRunner().invoke(main, ["build", "--config", config, *quiet])
    assert result.exit_code == 0, result.output
    dated = _lines(result.stderr, "is not a date")
    assert [line.split("/src/")[1].split(":")[0] for line in dated] == [f"d/{i:02d}.md" for i in range(5)]
    assert _lines(result.stderr, "… and") == [
        "… and 7 more posts with an unparseable date (feeds build -v lists them all)"
    ]
    assert len(_lines(result.stderr, "title is blank")) == 2  # fewer than five: all of them, no count
    assert len(_lines(result.stderr, "front matter is not valid YAML")) == 7  # unusable: one by one


def test_verbose_lists_them_all(config: str) -> None:
    result = CliRunner().invoke(main, ["build", "--config", config, "-v"])
    assert len(_lines(result.stderr, "is not a date")) == 12
    assert not _lines(result.stderr, "… and")


def test_json_carries_the_full_list(config: str) -> None:
    result = CliRunner().invoke(main, ["build", "--config", config, "--json"])
    summary = json.loads(result.stdout)
    kinds = [w["kind"] for w in summary["warnings"]]
    assert kinds.count("date") == 12 and kinds.count("title") == 2 and len(kinds) == 14
    first = summary["warnings"][0]
    assert first["path"].endswith("d/00.md") and first["message"].startswith("date 'Invalid Date'")
    assert len(summary["errors"]) == 7


def test_a_warning_is_given_once_not_on_every_run(config: str) -> None:
    CliRunner().invoke(main, ["build", "--config", config])
    again = CliRunner().invoke(main, ["build", "--config", config])
    assert not _lines(again.stderr, "is not a date")
    assert len(_lines(again.stderr, "front matter is not valid YAML")) == 7
