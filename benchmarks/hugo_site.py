"""Turn a corpus of Hexo posts (make_corpus.py's) into a Hugo site that builds the same feeds Hugo can.

Usage: python benchmarks/hugo_site.py POSTS_DIR SITE_DIR

Hugo is the yardstick of bench_hugo.py: on the same posts it writes an RSS file
for the site and one for every category node, with every post's full content in
the newest 20 of each, as feeds does by default.  Hugo's categories are flat
terms, so each post is given every node of its category path ("News",
"News / Tech") and Hugo writes one feed per node, as many as feeds writes.
Pages are listed but not rendered, and sitemaps and term lists are off: Hugo is asked for feeds
only.
A post whose date Hugo cannot read keeps none (Hugo dates it 0001-01-01).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import yaml

CONFIG = """baseURL: https://mirror.example.org/
title: Mirror
languageCode: zh-CN
timeZone: Asia/Shanghai
disableKinds: [section, taxonomy, sitemap, robotsTXT, "404"]
ignoreErrors: [error-disable-taxonomy]
cascade: [{_target: {kind: page}, _build: {render: never}}]
taxonomies: {category: categories}
outputs: {home: [RSS], term: [RSS]}
services: {rss: {limit: 20}}
markup: {goldmark: {renderer: {unsafe: true}}}
"""
# Hugo's own RSS template gives each item its summary; this one gives the full content, as feeds does.
RSS = """{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<rss version="2.0"><channel>
<title>{{ .Title }} - {{ .Site.Title }}</title><link>{{ .Permalink }}</link>
<description>{{ .Site.Title }}</description>
{{- $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{- range first 20 $pages }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Content | html }}</description></item>
{{- end }}
</channel></rss>
"""


def convert(posts: Path, site: Path) -> int:
    """Write the Hugo site for every post under ``posts``; the number of posts written."""
    content = site / "content" / "posts"
    content.mkdir(parents=True, exist_ok=True)
    (site / "hugo.yaml").write_text(CONFIG, encoding="utf-8")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "rss.xml").write_text(RSS, encoding="utf-8")
    count = 0
    for i, path in enumerate(sorted(posts.rglob("*.md"))):
        front, body = _split(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(front) or {}
        levels = [str(c) for c in meta.get("categories") or []]
        out = {
            "title": str(meta.get("title", "")),
            "categories": [" / ".join(levels[: n + 1]) for n in range(len(levels))],
        }
        date = meta.get("date")
        if isinstance(date, datetime):
            out["date"] = date.isoformat()
        elif isinstance(date, str) and "GMT" in date:
            out["date"] = datetime.strptime(date, "%a, %d %b %Y %H:%M:%S GMT").isoformat() + "Z"
        text = yaml.safe_dump(out, allow_unicode=True, sort_keys=False)
        (content / f"post-{i:06d}.md").write_text(f"---\n{text}---\n{body}", encoding="utf-8")
        count += 1
    return count


def _split(text: str) -> tuple[str, str]:
    """make_corpus.py writes ``---\\nfront---\\n\\nbody``."""
    _, front, body = text.split("---\n", 2)
    return front, body


if __name__ == "__main__":
    print(f"{convert(Path(sys.argv[1]), Path(sys.argv[2]))} posts in {sys.argv[2]}")
