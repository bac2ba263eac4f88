#!/usr/bin/env python3
"""Compare what `feeds build` writes for a Jekyll site with what Jekyll and jekyll-feed publish.

    python tools/jekyll_compare/compare.py SITE_DIR [--keep DIR] [--json] [--examples N]

Builds SITE_DIR (a folder with _config.yml and _posts/) twice, never writing into it:
with Jekyll 4 and jekyll-feed (Debian's `jekyll` and `ruby-jekyll-feed`) on a scratch copy whose
Gemfile, _plugins and theme are set aside (an override config names jekyll-feed as the only plugin,
every category for a feed, and no limit), and with `feeds build --jekyll` (a config.yaml on top
lifts the limit alike).  Entries of the two site feeds are matched by link and compared field by
field: link, id, title, published, updated, terms (Atom categories: jekyll-feed writes categories
and tags alike), and the visible text of the body (both cleaned by feeds' cleaner, whitespace
collapsed).  Category feeds are compared by the links they list.

Jekyll runs with TZ=UTC: a site that names no timezone is read in the machine's zone by Jekyll,
in UTC by feeds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

HERE = Path(__file__).resolve().parent


def _hexo_tool() -> Any:
    """The Hexo comparison's text helpers (visible text, feeds' cleaner on rendered HTML), shared."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hexo_compare", HERE.parent / "hexo_compare" / "compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_TEXT = _hexo_tool()
collapse, hexo_cleaned, visible_text = _TEXT.collapse, _TEXT.hexo_cleaned, _TEXT.visible_text

ATOM = "{http://www.w3.org/2005/Atom}"
NO_URL = "https://example.com"  # the url both builds are given when the site names none
FIELDS = ("link", "id", "title", "published", "updated", "terms", "text")


def entries(path: Path, raw: bool = False) -> list[dict[str, Any]]:
    """The entries of an Atom file, each field as the comparison reads it (``raw``: URLs as written)."""
    plain = (lambda url: url) if raw else unquote
    # jekyll-feed writes a link's href unescaped: a URL with '&' in it is read as it was meant
    text = _BARE_AMPERSAND.sub("&amp;", path.read_text(encoding="utf-8"))
    root = etree.fromstring(text.encode("utf-8"))
    out = []
    for entry in root.iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        content = entry.findtext(f"{ATOM}content") or ""
        href = link.get("href", "") if link is not None else ""
        out.append(
            {
                "link": plain(href),
                "id": plain(entry.findtext(f"{ATOM}id") or ""),
                "title": collapse(visible_text(entry.findtext(f"{ATOM}title") or "")),
                "published": _instant(entry.findtext(f"{ATOM}published")),
                "updated": _instant(entry.findtext(f"{ATOM}updated")),
                "terms": sorted({c.get("term", "") for c in entry.iter(f"{ATOM}category")}),
                "html": content,
                "base": href,
            }
        )
    return out


def _instant(text: str | None) -> str:
    if not text:
        return ""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()


_BARE_AMPERSAND = re.compile(r"&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)")
_GUTTER = re.compile(r'<td class="(?:rouge-)?gutter[^"]*">.*?</td>', re.DOTALL)
_SPAN = re.compile(r"</?span\b[^>]*>")


def text_of(entry: dict[str, Any]) -> str:
    """Visible text of an entry; Rouge's line-number gutters and highlighting spans go first (the
    cleaner would drop a span that holds only a space, and the space with it)."""
    markup = _GUTTER.sub("", entry["html"])  # Rouge's line numbers (kramdown's line_numbers option)
    return visible_text(hexo_cleaned(_SPAN.sub("", markup), entry["base"]))


def build_jekyll(site: Path, work: Path, categories: list[str], stubs: list[str]) -> Path:
    copy = work / "jekyll-site"
    _copy_posts(site, copy)
    if stubs:  # plugins' tags that are not installed and show no text (gist: a script)
        (copy / "_plugins").mkdir()
        names = " ".join(stubs)
        (copy / "_plugins" / "compare_stubs.rb").write_text(
            f"%w({names}).each {{ |n| Liquid::Template.register_tag(n, Class.new(Liquid::Tag) "
            '{ def render(_c) = "" }) }\n',
            encoding="utf-8",
        )
    feed = dict(_site_config(site).get("feed") or {})
    feed.update(posts_limit=1_000_000, categories=categories)
    settings: dict[str, Any] = {"plugins": ["jekyll-feed"], "feed": feed}
    if not _site_config(site).get("url"):  # feeds needs an absolute URL; so both are given the same
        settings["url"] = NO_URL
    override = work / "override.json"
    override.write_text(json.dumps(settings), encoding="utf-8")
    config = work / "jekyll-config.yml"
    # The site's config read as Ruby reads it, less its theme, merged with the override, as JSON (a
    # config Debian's Psych refuses, with a :symbol in it, is read all the same).
    script = (
        "require 'yaml'; require 'json'; c = YAML.unsafe_load_file(ARGV[0]) || {}; "
        "%w(theme remote_theme).each { |k| c.delete(k) }; c.merge!(JSON.parse(File.read(ARGV[1]))); "
        "File.write(ARGV[2], JSON.parse(JSON.generate(c)).to_yaml)"
    )
    subprocess.run(["ruby", "-e", script, str(copy / "_config.yml"), str(override), str(config)], check=True)
    out = work / "jekyll-out"
    cmd = ["jekyll", "build", "-s", str(copy), "-d", str(out), "--config", str(config)]
    run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}, check=False)
    if run.returncode != 0:
        raise SystemExit(f"jekyll failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return out


def _copy_posts(site: Path, copy: Path) -> None:
    """What a feed is made of, and nothing else: the config, _data, _includes, and every _posts and
    _drafts folder where it is (the folders above are categories).  Pages, layouts and the site's own
    feed template are left behind: they use the theme's and plugins' tags, which are not installed,
    and jekyll-feed writes nothing where the site has a feed of its own."""
    copy.mkdir(parents=True)
    shutil.copy2(site / "_config.yml", copy / "_config.yml")
    if (site / "_includes").is_dir():
        shutil.copytree(site / "_includes", copy / "_includes")
    for data in sorted((site / "_data").glob("authors.*")):  # what jekyll-feed reads of _data
        (copy / "_data").mkdir(exist_ok=True)
        shutil.copy2(data, copy / "_data" / data.name)
    for folder in sorted(site.rglob("*")):
        rel = folder.relative_to(site)
        outer = any(p.name in ("_posts", "_drafts") for p in rel.parents if p.name)  # inside another
        if folder.is_dir() and folder.name in ("_posts", "_drafts") and ".git" not in rel.parts and not outer:
            shutil.copytree(folder, copy / rel, dirs_exist_ok=True)
    config = _site_config(site)
    feed = config.get("feed") if isinstance(config.get("feed"), dict) else {}
    listed = feed.get("collections") if isinstance(feed, dict) else None
    holder = str(config.get("collections_dir") or "").strip("/")
    for name in listed or ():  # feed.collections: a list of names or a mapping of them
        folder = Path(holder) / f"_{name}"
        if name != "posts" and (site / folder).is_dir():
            shutil.copytree(site / folder, copy / folder, dirs_exist_ok=True)


def _site_config(site: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load((site / "_config.yml").read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def build_feeds(site: Path, work: Path) -> tuple[Path, str]:
    out = work / "feeds-out"
    config = work / "config.yaml"
    settings = {"jekyll": str(site / "_config.yml"), "output": str(out), "cache": str(work / "cache")}
    settings["feeds"] = {"limit": 1_000_000}
    if not _site_config(site).get("url"):
        base = str(_site_config(site).get("baseurl") or "").strip("/")
        settings["site"] = {"url": NO_URL + "/" + (base + "/" if base else "")}
    config.write_text(json.dumps(settings), encoding="utf-8")
    cmd = [sys.executable, "-m", "feeds", "build", "--config", str(config)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        raise SystemExit(f"feeds failed:\n{run.stderr[-3000:]}")
    return out, run.stderr


def compare(
    site: Path, work: Path, examples: int, stubs: list[str], jekyll_out: Path | None = None
) -> dict[str, Any]:
    feeds_out, log = build_feeds(site, work)
    ours = {e["link"]: e for e in entries(feeds_out / _feed_path(site))}
    listed = subprocess.run(
        [sys.executable, "-m", "feeds", "categories", "--config", str(work / "config.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    categories = sorted({line.split("\t")[0] for line in listed.stdout.splitlines() if line.strip()})
    if jekyll_out is None:
        jekyll_out = build_jekyll(site, work, categories, stubs)
    theirs = {e["link"]: e for e in entries(jekyll_out / _feed_path(site))}
    report: dict[str, Any] = {"site": str(site), "jekyll": len(theirs), "feeds": len(ours)}
    report["only_jekyll"] = sorted(set(theirs) - set(ours))[:examples]
    report["only_feeds"] = sorted(set(ours) - set(theirs))[:examples]
    report["only_counts"] = [len(set(theirs) - set(ours)), len(set(ours) - set(theirs))]
    same: Counter[str] = Counter()
    shown: dict[str, list[Any]] = {f: [] for f in FIELDS}
    both = sorted(set(theirs) & set(ours))
    for link in both:
        j, f = theirs[link], ours[link]
        j["text"], f["text"] = text_of(j), text_of(f)
        for field in FIELDS:
            if j[field] == f[field]:
                same[field] += 1
            elif len(shown[field]) < examples:
                a, b = _around(j[field], f[field]) if field == "text" else (_clip(j[field]), _clip(f[field]))
                shown[field].append({"link": link, "jekyll": a, "feeds": b})
    report["matched"] = len(both)
    report["same"] = {f: same[f] for f in FIELDS}
    report["differences"] = {f: v for f, v in shown.items() if v}
    report["category_feeds"] = _category_feeds(jekyll_out, feeds_out)
    report["warnings"] = log.strip().splitlines()[-examples:]
    return report


def _feed_path(site: Path) -> str:
    feed = _site_config(site).get("feed") or {}
    return str(feed.get("path") or "feed.xml").lstrip("/") if isinstance(feed, dict) else "feed.xml"


def _category_feeds(jekyll_out: Path, feeds_out: Path) -> dict[str, Any]:
    """Each category feed jekyll-feed wrote: does feeds write it, listing the same entries?"""
    folder = jekyll_out / "feed"
    result = {"jekyll": 0, "same": 0, "missing": [], "differ": []}
    if not folder.is_dir():
        return result
    for path in sorted(folder.rglob("*.xml")):  # feed/<category>.xml, feed/<collection>[/<category>].xml
        name = path.relative_to(folder).as_posix()
        mine = feeds_out / "feed" / name
        if not mine.is_file() and not entries(path):
            continue  # a category only a collection's documents have: listed for jekyll-feed, empty
        result["jekyll"] += 1
        if not mine.is_file():
            result["missing"].append(name)
            continue
        a, b = ({e["link"] for e in entries(p)} for p in (path, mine))
        if a == b:
            result["same"] += 1
        else:
            result["differ"].append(f"{name}: {len(a - b)} only in Jekyll's, {len(b - a)} only in feeds'")
    return result


def _around(a: str, b: str, width: int = 160) -> tuple[str, str]:
    """The two texts from a little before where they first differ."""
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, at - 40)
    return f"@{at}: …{a[start : start + width]}", f"@{at}: …{b[start : start + width]}"


def _clip(value: Any, width: int = 400) -> Any:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def render(report: dict[str, Any]) -> str:
    lines = [
        f"{report['site']}: Jekyll {report['jekyll']} entries, feeds {report['feeds']}, "
        f"matched by link {report['matched']} (only Jekyll {report['only_counts'][0]}, "
        f"only feeds {report['only_counts'][1]})"
    ]
    n = report["matched"] or 1
    for field, count in report["same"].items():
        lines.append(f"  {field:<10} same {count}/{report['matched']} ({100 * count / n:.1f}%)")
    cats = report["category_feeds"]
    lines.append(
        f"  category feeds: jekyll-feed {cats['jekyll']}, same entries {cats['same']}, "
        f"missing {len(cats['missing'])}, differ {len(cats['differ'])}"
    )
    for key in ("only_jekyll", "only_feeds"):
        for link in report[key]:
            lines.append(f"  {key}: {link}")
    for field, items in report["differences"].items():
        for item in items:
            lines.append(
                f"  [{field}] {item['link']}\n    jekyll: {item['jekyll']}\n    feeds:  {item['feeds']}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument(
        "--stub", action="append", default=["gist"], help="a plugin's tag Jekyll renders as nothing"
    )
    parser.add_argument(
        "--jekyll-out",
        type=Path,
        help="Jekyll's output of an earlier run (its --keep DIR/jekyll-out): no build",
    )
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        report = compare(site, args.keep.resolve(), args.examples, args.stub, args.jekyll_out)
    else:
        with tempfile.TemporaryDirectory() as work:
            report = compare(site, Path(work), args.examples, args.stub, args.jekyll_out)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
