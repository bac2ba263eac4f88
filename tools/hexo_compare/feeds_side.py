"""The feeds side: a config.yaml mirroring the blog's _config.yml, the build, and its Atom files.

``feeds_config`` is the one place that turns a Hexo _config.yml into a feeds config; when
``feeds build --hexo BLOG_DIR`` exists, ``--hexo-mode`` uses it instead and this function goes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import feedparser
import yaml

FEED_LIMIT = 100000


def read_hexo_config(blog: Path) -> dict[str, Any]:
    """_config.yml as Hexo reads it (tab indentation, !!js/regexp...), so its timezone is the blog's."""
    from feeds.siteyaml import load_site_file
    from feeds.yamltext import YAMLProblem

    try:
        data = load_site_file((blog / "_config.yml").read_text(encoding="utf-8"), "_config.yml")
    except (OSError, UnicodeDecodeError, YAMLProblem):
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: Any, default: str = "") -> str:
    if value is None or value == "":
        return default
    if isinstance(value, list):
        return _text(value[0] if value else None, default)
    return str(value)


def site_url(cfg: dict[str, Any]) -> str:
    """Hexo's url, with ``root`` appended when the url does not already end with it."""
    url = _text(cfg.get("url"), "http://example.com").rstrip("/")
    root = _text(cfg.get("root"), "/")
    path = urlsplit(url).path.rstrip("/")
    root_path = "/" + root.strip("/") if root.strip("/") else ""
    if root_path and not path.endswith(root_path):
        url += root_path
    return url + "/"


def timezone_of(cfg: dict[str, Any]) -> str:
    """The blog's IANA zone; UTC when it has none (Hexo would use the machine's) or a bad one."""
    zone = _text(cfg.get("timezone"))
    if not zone:
        return "UTC"
    try:
        ZoneInfo(zone)
    except Exception:
        return "UTC"
    return zone


def theme_name(cfg: dict[str, Any]) -> str:
    """The blog's theme (`theme:` in _config.yml), or "" for none (`theme: false`, absent)."""
    theme = cfg.get("theme")
    return theme.strip() if isinstance(theme, str) else ""


def feeds_config(
    blog: Path, cfg: dict[str, Any], output: Path, cache: Path, *, theme: bool = False
) -> dict[str, Any]:
    """A feeds config.yaml (as a dict) that mirrors the blog's _config.yml as far as feeds can;
    with ``theme``, the blog's theme too (content.theme), as Hexo loads it with --keep-theme."""
    source_dir = _text(cfg.get("source_dir"), "source")
    author = cfg.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    config: dict[str, Any] = {
        "site": {
            "title": _text(cfg.get("title"), "Hexo"),
            "url": site_url(cfg),
            "description": _text(cfg.get("description")) or _text(cfg.get("subtitle")),
            "language": _text(cfg.get("language"), "en"),
            "author": _text(author) or _text(cfg.get("title"), "Hexo"),
            "timezone": timezone_of(cfg),
        },
        "source": str((blog / source_dir / "_posts").resolve()),
        "output": str(output),
        "cache": str(cache),
        "permalink": _text(cfg.get("permalink"), ":year/:month/:day/:title/"),
        "feeds": {"formats": ["atom"], "limit": FEED_LIMIT, "content": "full"},
    }
    posts = posts_section(cfg)
    if posts:
        config["posts"] = posts
    category_map = cfg.get("category_map")
    if isinstance(category_map, dict) and category_map:
        config["categories"] = {"map": {str(k): str(v) for k, v in category_map.items() if v is not None}}
    if theme and theme_name(cfg):
        config["content"] = {"theme": theme_name(cfg)}
    return config


# Hexo _config.yml keys that feeds reads under `posts:` with the same name (when its config has them)
_HEXO_POST_KEYS = (
    "new_post_name",
    "permalink_defaults",
    "default_category",
    "filename_case",
    "future",
    "render_drafts",
    "post_asset_folder",
    "updated_option",
    "use_slug_as_post_title",
    "titlecase",
)


def posts_section(cfg: dict[str, Any]) -> dict[str, Any]:
    """feeds' `posts:` settings from the blog's, for each key the installed feeds knows.

    feeds refuses unknown keys, and its `posts:` section is still growing: the keys are taken
    from its PostsConfig, so an older or newer feeds gets only what it understands.
    """
    try:
        from dataclasses import fields

        from feeds.config import PostsConfig
    except ImportError:
        return {}
    known = {f.name: str(f.type) for f in fields(PostsConfig)}
    pretty = cfg.get("pretty_urls") if isinstance(cfg.get("pretty_urls"), dict) else {}
    values: dict[str, Any] = {k: cfg.get(k) for k in _HEXO_POST_KEYS}
    values["trailing_index"] = pretty.get("trailing_index")
    values["trailing_html"] = pretty.get("trailing_html")
    values["hexo_hidden"] = True
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known or value is None:
            continue
        kind = known[key]
        if kind.startswith("dict"):
            if isinstance(value, dict):
                out[key] = {str(k): str(v) for k, v in value.items() if v is not None}
        elif kind == "bool":
            out[key] = bool(value)
        elif kind == "int":
            try:
                out[key] = int(value)
            except (TypeError, ValueError):
                continue
        else:
            out[key] = str(value)
    return out


def unlimit_hexo_feed(config: Path) -> None:
    """Set hexo-generator-feed's `feed.limit` to 0 (every post) in a copy's _config.yml, by text.

    A text edit, not a YAML round trip: every other line stays exactly as the blog wrote it.
    """
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    start = next((i for i, ln in enumerate(lines) if re.match(r"^feed:\s*(#.*)?$", ln)), None)
    if start is None:
        if any(re.match(r"^feed:", ln) for ln in lines):
            return  # a flow mapping (feed: {…}); left as it is
        lines += ["", "feed:", "  limit: 0"]
    else:
        end = start + 1
        while end < len(lines) and (
            not lines[end].strip() or lines[end][:1] in " \t" or lines[end].startswith("#")
        ):
            end += 1
        children = [
            i for i in range(start + 1, end) if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ]
        indent = re.match(r"^\s*", lines[children[0]]).group(0) if children else "  "
        limit = next((i for i in children if re.match(rf"^{indent}limit\s*:", lines[i])), None)
        if limit is not None:
            lines[limit] = f"{indent}limit: 0"
        else:
            lines.insert(start + 1, f"{indent}limit: 0")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def no_theme(config: Path) -> None:
    """`theme: false` in a copy's _config.yml (a text edit), as Hexo's side has it without --keep-theme."""
    try:
        text = config.read_text(encoding="utf-8")
    except OSError:
        return
    config.write_text(re.sub(r"(?m)^theme:.*$", "theme: false", text), encoding="utf-8")


def run_feeds(
    blog: Path, work: Path, *, hexo_mode: bool, feeds_cmd: list[str], log, theme: bool = False
) -> dict[str, Any]:
    """Build with feeds into ``work/feeds-out``; the --json summary, stderr and command."""
    output = work / "feeds-out"
    cache = work / "feeds-cache"
    if hexo_mode:
        # feeds reads the blog as Hexo would; it gets a pristine copy, so nothing it writes
        # (a cache, say) can land in the blog folder.
        pristine = work / "feeds-blog"
        if not pristine.exists():
            shutil.copytree(
                blog,
                pristine,
                symlinks=True,
                ignore=shutil.ignore_patterns(".git", "node_modules", "public", ".deploy_git", "themes"),
            )
            unlimit_hexo_feed(pristine / "_config.yml")
            if not theme:
                no_theme(pristine / "_config.yml")
        cmd = [*feeds_cmd, "build", "--hexo", str(pristine), "--output", str(output), "--json"]
        config_used: dict[str, Any] | None = None
    else:
        config_used = feeds_config(blog, read_hexo_config(blog), output, cache, theme=theme)
        path = work / "feeds-config.yaml"
        path.write_text(yaml.safe_dump(config_used, allow_unicode=True, sort_keys=False))
        cmd = [*feeds_cmd, "build", "--config", str(path), "--json"]
    log(f"feeds: {' '.join(cmd)}")
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, env=dict(os.environ, TZ="UTC"))
    summary: Any = None
    for line in reversed(done.stdout.strip().splitlines()):
        try:
            summary = json.loads(line)
            break
        except ValueError:
            continue
    if summary is None and done.stdout.strip():
        try:
            summary = json.loads(done.stdout)
        except ValueError:
            summary = None
    return {
        "command": " ".join(cmd),
        "exit": done.returncode,
        "summary": summary,
        "stderr": done.stderr[-4000:],
        "seconds": round(time.monotonic() - started, 1),
        "config": config_used,
        "output": str(output),
    }


def feeds_version(feeds_cmd: list[str]) -> str:
    """`feeds --version`, and the commit of the source it runs from (with uncommitted changes)."""
    try:
        version = subprocess.run([*feeds_cmd, "--version"], capture_output=True, text=True, timeout=60)
        text = version.stdout.strip().splitlines()[-1] if version.stdout.strip() else "?"
    except OSError:
        return "feeds not found"
    try:
        import importlib.util

        spec = importlib.util.find_spec("feeds")
        repo = Path(spec.origin).resolve().parent.parent if spec and spec.origin else None
    except (ImportError, ValueError):
        repo = None
    if repo and (repo / ".git").exists():
        head = subprocess.run(
            ["git", "-C", str(repo), "log", "-1", "--format=%h %s"], capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--", "feeds"], capture_output=True, text=True
        )
        changed = len(dirty.stdout.splitlines())
        text += f" at {head.stdout.strip()[:70]}" + (
            f" (+{changed} uncommitted files in feeds/)" if changed else ""
        )
    return text


def parse_time(value: str | None) -> float | None:
    """Seconds since the epoch of an Atom/RSS date as written, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    parsed = feedparser._parse_date(value)  # RFC 822 and friends
    if parsed is None:
        return None
    import calendar

    return float(calendar.timegm(parsed))


def read_atom(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(feed head, entries) of one feed file, read with feedparser."""
    parsed = feedparser.parse(str(path), sanitize_html=False, resolve_relative_uris=False)
    head = {
        "title": parsed.feed.get("title", ""),
        "bozo": bool(parsed.bozo),
        "bozo_exception": str(parsed.get("bozo_exception", "")) if parsed.bozo else "",
    }
    entries = []
    for e in parsed.entries:
        content = e.get("content") or []
        entries.append(
            {
                "id": e.get("id", ""),
                "link": e.get("link", ""),
                "title": e.get("title", ""),
                "published": e.get("published", ""),
                "published_ts": parse_time(e.get("published")),
                "updated": e.get("updated", ""),
                "updated_ts": parse_time(e.get("updated")),
                "terms": [t.get("term", "") for t in e.get("tags", []) or []],
                "content_html": content[0].get("value", "") if content else e.get("summary", ""),
            }
        )
    return head, entries


_ATOM = "{http://www.w3.org/2005/Atom}"


def _title_and_links(path: Path) -> tuple[str, list[str]]:
    """A category feed's title and its entries' alternate links (feedparser is slow for this)."""
    root = ElementTree.parse(path).getroot()
    title = root.findtext(f"{_ATOM}title") or ""
    links = []
    for entry in root.iter(f"{_ATOM}entry"):
        for link in entry.findall(f"{_ATOM}link"):
            if link.get("rel", "alternate") == "alternate":
                links.append(link.get("href", ""))
                break
    return title, links


def _site_feed(output: Path) -> Path | None:
    for name in ("atom.xml", "rss.xml", "rss2.xml", "feed.xml"):
        if (output / name).exists():
            return output / name
    others = sorted(p for p in output.glob("*.xml") if "sitemap" not in p.name)
    return others[0] if others else None


def read_output(output: Path) -> dict[str, Any]:
    """The site feed's entries, each with the category paths whose feeds list it.

    The site feed is `atom.xml` at the top of the output (else another feed file there); a
    category feed is every file of the same name below it, its category path read from its
    title (`<site title> · A / B`).
    """
    site = _site_feed(output)
    if site is None:
        return {"entries": [], "error": f"no feed file in {output}", "category_feeds": 0}
    head, entries = read_atom(site)
    prefix = f"{head['title']} · "
    by_link: dict[str, list[tuple[str, ...]]] = {e["link"]: [] for e in entries}
    count = 0
    for feed in sorted(output.rglob(site.name)):
        if feed == site:
            continue
        count += 1
        if site.suffix == ".xml" and site.name.startswith("atom"):
            title, links = _title_and_links(feed)
        else:
            cat_head, cat_entries = read_atom(feed)
            title, links = cat_head["title"], [e["link"] for e in cat_entries]
        label = title[len(prefix) :] if title.startswith(prefix) else title
        path = tuple(label.split(" / "))
        for link in links:
            by_link.setdefault(link, []).append(path)
    for e in entries:
        e["category_paths"] = sorted(set(by_link.get(e["link"], [])))
    return {"entries": entries, "head": head, "category_feeds": count, "site_feed": site.name}
