"""The manifest: only names under the output folder are taken from it, whatever was written into it."""

from __future__ import annotations

import json
from pathlib import Path

from feeds.output import Record, load_manifest

KEPT = ["rss.xml", "categories/a..b/atom.xml", "archive/atom/3.xml", "tags/..x/feed.json"]
REFUSED = ["../victim.txt", "/etc/passwd", "a/../../b.xml", "a//b.xml", "a/", "a\\b.xml", "", "..", "a/.."]


def test_only_names_inside_the_output_are_loaded(tmp_path: Path) -> None:
    files = {name: ["f", 1, 2] for name in [*KEPT, *REFUSED]}
    (tmp_path / ".feeds-manifest.json").write_text(
        json.dumps({"version": 1, "files": files}), encoding="utf-8"
    )
    manifest = load_manifest(tmp_path)
    assert sorted(manifest.files) == sorted(KEPT)
    assert manifest.files["rss.xml"] == Record("f", 1, 2) and manifest.files["rss.xml"].size == 1
