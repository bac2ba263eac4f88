"""Each Hexo Markdown renderer as the blog installs it, against that renderer's own output.

tests/data/renderer-expected.json holds what node made of samples with the
JavaScript renderers (tools/renderer_oracle/samples.py); here feeds picks the
renderer from the site's package.json and _config.yml as a build does, renders
the same samples, and both go through the cleaner: what a feed shows must match.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from feeds.config import load_config
from feeds.content import Cleaner
from feeds.models import Post

DATA = Path(__file__).parent.parent / "data"
SETUPS = json.loads((DATA / "renderer-expected.json").read_text(encoding="utf-8"))
WHEN = datetime(2024, 1, 1, tzinfo=UTC)
POST = Post(
    root="",
    rel="p.md",
    title="t",
    date=WHEN,
    updated=WHEN,
    permalink="https://example.com/p/",
    id="p",
    body_format="markdown",
)
_BETWEEN = re.compile(r"\n*(<[^>]+>)\n*")


def shown(html: str) -> str:
    """HTML as a reader sees it: a line break next to a tag does not show (a renderer's "\\n" after
    "<br>" or between blocks)."""
    return _BETWEEN.sub(r"\1", html).strip()


def site(folder: Path, packages: list[str], config: dict[str, Any]) -> Cleaner:
    """A Hexo site with these renderers installed and this _config.yml, as a build reads it."""
    (folder / "package.json").write_text(json.dumps({"dependencies": dict.fromkeys(packages, "*")}))
    (folder / "_config.yml").write_text(yaml.safe_dump({"url": "https://example.com", **config}))
    loaded = load_config(None, folder / "_config.yml")
    return Cleaner(loaded.content, loaded.feeds)


CASES = [
    pytest.param(setup["renderer"], setup["config"], source, expected, id=f"{setup['renderer']}-{n}-{i}")
    for n, setup in enumerate(SETUPS)
    for i, (source, expected) in enumerate(setup["cases"])
]
TEXT = [c for c in CASES if "$" not in c.values[2]]


@pytest.mark.parametrize(("renderer", "config", "source", "expected"), TEXT)
def test_a_feed_shows_what_the_blogs_renderer_renders(
    tmp_path: Path, renderer: str, config: dict[str, Any], source: str, expected: str
) -> None:
    cleaner = site(tmp_path, [renderer], config)
    assert shown(cleaner.render(POST, source).html) == shown(cleaner.clean_html(expected, POST.permalink))


_FORMULA = re.compile(
    r'<annotation encoding="application/x-tex">(.*?)</annotation>'
    r'|<script type="math/tex[^"]*">(.*?)</script>',
    re.DOTALL,
)


def formulas(html: str) -> list[str]:
    """Each formula's TeX, its white space collapsed (KaTeX drops a list item's indent from its lines)."""
    return [" ".join(unescape(a or b).split()) for a, b in _FORMULA.findall(html)]


MATH = [c for c in CASES if "$" in c.values[2]]


@pytest.mark.parametrize(("renderer", "config", "source", "expected"), MATH)
def test_formulas_are_those_the_blogs_math_plugin_reads(
    tmp_path: Path, renderer: str, config: dict[str, Any], source: str, expected: str
) -> None:
    """The same `$…$` are formulas as for KaTeX's plugin or kramed (whose <script type="math/tex">
    MathJax renders in the page), each MathML with its TeX; the rest reads the same."""
    html = site(tmp_path, [renderer], config).render(POST, source).html
    assert formulas(html) == formulas(expected)
    if not formulas(expected):
        assert "<math" not in html and "$" in html


def mathml_text(html: str) -> list[str]:
    """Each formula's MathML as text, element by element (the TeX annotation left out): what KaTeX's
    MathML copy and feeds' MathML say, whichever way each groups the elements. A styled letter is a
    character of its own in feeds (ℝ, as MathML Core has it) and an attribute in KaTeX
    (``mathvariant="double-struck"`` R): both read as the plain letter."""
    from lxml import etree
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(html, create_parent="div")
    etree.strip_elements(root, "annotation", with_tail=False)
    texts = ("".join(math.itertext()).replace("\u2061", "") for math in root.iter("math"))
    return [unicodedata.normalize("NFKC", text) for text in texts]


KATEX = [c for c in MATH if "katex" in c.values[0] + str(c.values[1])]


@pytest.mark.parametrize(("renderer", "config", "source", "expected"), KATEX)
def test_formulas_say_what_katex_says(
    tmp_path: Path, renderer: str, config: dict[str, Any], source: str, expected: str
) -> None:
    """Each formula's MathML reads as KaTeX's own MathML copy: texvc's short names (``\\empty``,
    ``\\R``), which KaTeX knows, are formulas too, not TeX left in a ``code``."""
    html = site(tmp_path, [renderer], config).render(POST, source).html
    assert mathml_text(html) == mathml_text(expected)
