"""Make an N-post corpus from the real posts in tests/data/corpus.

Usage: python benchmarks/make_corpus.py N OUT_DIR

Cycles through the real posts; cycle c gives each post a unique title and file
name (suffix ``#c``), moves its date back 3 hours per cycle, and puts it under
the second-level category variant ``c % 8``, so that 10,000 posts give several
hundred category feeds as a real mirror has.  Bodies are kept byte for byte.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"
VARIANTS = 8


_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)  # the split python-frontmatter made when this was written


def load_sources() -> list[tuple[Path, dict[str, object], str]]:
    """Every corpus post as (path, front matter, body), read as the corpus was always read here:
    PyYAML's YAML 1.1, so the generated corpus stays the same from one version of feeds to the next."""
    sources = []
    for path in sorted(CORPUS.rglob("*.md")):
        text = path.read_text(encoding="utf-8").strip()
        _, fm, body = _BOUNDARY.split(text, 2)
        sources.append((path.relative_to(CORPUS), yaml.safe_load(fm) or {}, body))
    return sources


def shifted(value: object, hours: int) -> object:
    if isinstance(value, datetime):
        return value - timedelta(hours=hours)
    if isinstance(value, str):
        try:
            parsed = datetime.strptime(value, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
        except ValueError:
            return value  # 'Invalid Date' stays invalid
        return (parsed - timedelta(hours=hours)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    return value


def make(n: int, out: Path) -> int:
    sources = load_sources()
    written = 0
    cycle = 0
    while written < n:
        for rel, meta, body in sources:
            if written >= n:
                break
            parts = list(rel.parts)
            variant = f"{parts[1]} {cycle % VARIANTS}" if len(parts) > 2 else parts[0]
            folder = [parts[0], variant, *parts[2:-1]]
            new = dict(meta)
            new["title"] = f"{meta.get('title', '')} #{cycle}"
            new["date"] = shifted(meta.get("date"), 3 * cycle)
            new["categories"] = folder
            stem = rel.name.removesuffix(".md")[:150]  # ".md" itself has an empty stem
            target = out.joinpath(*folder, f"{stem} #{cycle}.md")
            target.parent.mkdir(parents=True, exist_ok=True)
            front = yaml.safe_dump(new, allow_unicode=True, sort_keys=False)
            target.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
            written += 1
        cycle += 1
    return written


if __name__ == "__main__":
    count = make(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} posts in {sys.argv[2]}")
