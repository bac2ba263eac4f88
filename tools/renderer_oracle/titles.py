"""Writes tests/data/titlecase-expected.json: npm titlecase 1.1.3's output for real post titles.

The titles are those of the posts under the folders given (front matter ``title``), each also
lower-cased, upper-cased, capitalised, title-cased by Python, with its case swapped and with its
spaces doubled (runs of spaces stay as written), plus a few written here for the rules'
corners; node runs the package (``oracle.js``).  Only the project's own test posts and the
shared corpus are given: other people's blogs may be measured by hand, never committed.
Run by hand after ``npm install`` in this folder:

    python tools/renderer_oracle/titles.py tests/data ../shared/corpus/posts examples/posts
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from feeds.source.frontmatter import decode, parse

HERE = Path(__file__).parent
OUT = HERE.parent.parent / "tests" / "data" / "titlecase-expected.json"
CORNERS = [
    "csdn-blog-export",
    "NVIDIA GPU 2016",
    "svn",
    "JAVA",
    "the end of the world",
    "war and peace: a novel",
    "step-by-step guide to the-end",
    "in-depth look at vs. code",
    "to be or not to be",
    "hello\u00a0 world  of  spaces",
    "über straße ärger",
    "ßtraße",
    "iPhone and example.com",
    "cafe\u3000of\u3000tokyo",
    "使用 hexo 搭建 blog of mine",
    "a",
    "of",
    "what is a-b",
    "x: the sequel",
    "emoji 😀 of fun",
]


def titles(folders: list[str]) -> list[str]:
    found: set[str] = set()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.md")):
            try:
                meta, _ = parse(decode(path.read_bytes(), path), path)
            except Exception:  # a post the parser refuses has no title to test
                continue
            title = meta.get("title") if isinstance(meta, dict) else None
            if isinstance(title, str) and title.strip():
                variants = (title.lower(), title.upper(), title.capitalize(), title.title(), title.swapcase())
                found.update((title, *variants, title.replace(" ", "  ")))
    return sorted(found) + CORNERS


def main() -> None:
    inputs = titles(sys.argv[1:])
    request = json.dumps({"kind": "titlecase", "inputs": inputs})
    run = subprocess.run(["node", str(HERE / "oracle.js")], input=request, capture_output=True, text=True)
    if run.returncode:
        sys.exit(run.stderr)
    outputs = json.loads(run.stdout)
    OUT.write_text(json.dumps(list(zip(inputs, outputs, strict=True)), ensure_ascii=False, indent=0) + "\n")
    print(f"{len(inputs)} titles -> {OUT}")


if __name__ == "__main__":
    main()
