"""The manifest: only names under the output folder are taken from it, whatever was written into it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feeds.output import Manifest, Record, State, load_manifest, save_manifest

KEPT = ["rss.xml", "categories/a..b/atom.xml", "archive/atom/3.xml", "tags/..x/feed.json"]
REFUSED = ["../victim.txt", "/etc/passwd", "a/../../b.xml", "a//b.xml", "a/", "a\\b.xml", "", "..", "a/.."]


def _columns(names: list[str]) -> dict[str, list[object]]:
    return {
        "names": names,
        "fingerprints": ["f"] * len(names),
        "sizes": [1] * len(names),
        "mtimes": [2] * len(names),
    }


@pytest.mark.parametrize("version", [1, 2])
def test_only_names_inside_the_output_are_loaded(tmp_path: Path, version: int) -> None:
    names = [*KEPT, *REFUSED]
    files = {name: ["f", 1, 2] for name in names} if version == 1 else _columns(names)
    (tmp_path / ".feeds-manifest.json").write_text(
        json.dumps({"version": version, "files": files}), encoding="utf-8"
    )
    manifest = load_manifest(tmp_path)
    assert sorted(manifest.files) == sorted(KEPT)
    assert manifest.files["rss.xml"] == Record("f", 1, 2) and manifest.files["rss.xml"].size == 1


def test_a_saved_manifest_loads_as_it_was(tmp_path: Path) -> None:
    files = {
        name: Record(f"fp{i}", i, 10**18 + i) for i, name in enumerate(["b/é.xml", "a.xml", "c/atom.xml"])
    }
    state = State("token", posts=3, errors=(("post.md", "bad date"),), protected=1)
    save_manifest(tmp_path, Manifest(files, state))
    assert load_manifest(tmp_path) == Manifest(files, state)
    raw = json.loads((tmp_path / ".feeds-manifest.json").read_bytes())
    assert raw["version"] == 2 and raw["files"]["names"] == ["a.xml", "b/é.xml", "c/atom.xml"]


def test_columns_of_different_lengths_are_an_unreadable_manifest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files = {**_columns(["a.xml", "b.xml"]), "sizes": [1]}
    (tmp_path / ".feeds-manifest.json").write_text(
        json.dumps({"version": 2, "files": files}), encoding="utf-8"
    )
    assert load_manifest(tmp_path).files == {}
    assert "unreadable manifest" in caplog.text
