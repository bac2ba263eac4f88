#!/usr/bin/env python3
"""Record what Jekyll 4 and jekyll-feed write for the test sites, as the tests' expectations.

    python tools/jekyll_compare/expectations.py [blog|permalinks|collections ...]

Run by hand (Jekyll is not part of the test run): for tests/data/jekyll-blog it stores every
entry of jekyll-feed's site feed and the links each category and tag feed lists; for
tests/data/jekyll-permalinks, each entry's link and id under every permalink style the tests
name; for tests/data/jekyll-collections, every feed's entries (feed.collections).  Written to
tests/data/jekyll-expected/*.json; visible text is kept whitespace-collapsed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from compare import entries, text_of  # noqa: E402

DATA = ROOT / "tests" / "data"
OUT = DATA / "jekyll-expected"
STYLES = (
    "date",
    "pretty",
    "ordinal",
    "weekdate",
    "none",
    "/:categories/:year/:short_year/:month/:i_month/:day/:i_day/:hour-:minute-:second/:y_day/:title:output_ext",
    "/:slug/",
    "/:year/:name",
)


def jekyll(site: Path, work: Path, extra: dict[str, Any]) -> Path:
    copy, out = work / "site", work / "out"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(site, copy)
    override = work / "override.yml"
    override.write_text(json.dumps(extra), encoding="utf-8")
    cmd = [
        "jekyll",
        "build",
        "-s",
        str(copy),
        "-d",
        str(out),
        "--config",
        f"{copy / '_config.yml'},{override}",
    ]
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "TZ": "UTC"})
    return out


def blog(work: Path) -> dict[str, Any]:
    out = jekyll(DATA / "jekyll-blog", work, {})
    found = []
    for e in entries(out / "feed.xml", raw=True):
        found.append({k: e[k] for k in ("link", "id", "title", "published", "updated", "terms")})
        found[-1]["text"] = text_of(e)
    feeds = {
        str(p.relative_to(out)): sorted(e["link"] for e in entries(p, raw=True))
        for p in sorted(out.glob("feed/**/*.xml"))
    }
    return {"entries": found, "feeds": feeds}


def permalinks(work: Path) -> dict[str, Any]:
    result = {}
    for style in STYLES:
        out = jekyll(DATA / "jekyll-permalinks", work, {"permalink": style})
        result[style] = sorted(
            [e["link"], e["id"], e["published"]] for e in entries(out / "feed.xml", raw=True)
        )
    return result


def collections(work: Path) -> dict[str, Any]:
    """tests/data/jekyll-collections: every feed jekyll-feed writes, entry by entry (no posts limit)."""
    out = jekyll(DATA / "jekyll-collections", work, {"feed": _feed_settings()})
    found = {}
    for path in sorted([out / "feed.xml", *out.glob("feed/**/*.xml")]):
        rows = []
        for e in entries(path, raw=True):
            rows.append({k: e[k] for k in ("link", "id", "title", "published", "updated", "terms")})
            rows[-1]["text"] = text_of(e)
        found[str(path.relative_to(out))] = rows
    return found


def _feed_settings() -> Any:
    import yaml

    config = yaml.safe_load((DATA / "jekyll-collections" / "_config.yml").read_text(encoding="utf-8"))
    return {**config["feed"], "posts_limit": 1000}


def main(argv: list[str] | None = None) -> int:
    wanted = set(sys.argv[1:] if argv is None else argv)  # names to re-record; none: all
    OUT.mkdir(exist_ok=True)
    makers = (("blog", blog), ("permalinks", permalinks), ("collections", collections))
    with tempfile.TemporaryDirectory() as work:
        for name, make in ((n, m) for n, m in makers if not wanted or n in wanted):
            data = make(Path(work))
            (OUT / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
