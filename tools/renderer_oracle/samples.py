"""Writes tests/data/renderer-expected.json: what each Hexo renderer makes of Markdown samples written here.

For every (renderer, _config.yml section) below, node loads the renderer as Hexo
does (``oracle.js``) and renders each sample; the test renders the same samples
with feeds' setup of that renderer and compares both after the cleaner, which
is what a feed shows.  Run by hand after ``npm install`` in this folder:

    python tools/renderer_oracle/samples.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parent.parent / "tests" / "data" / "renderer-expected.json"

COMMON = [
    'Plain *emphasis*, **strong**, `code "q"` and "quotes" -- dashes --- and ... dots',
    "It's a 'single' quote, (c) (tm) (r) +- and ?!!!",
    "Line one\nline two\n\nA bare link https://example.com/path and example.com and www.example.org",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "~~struck~~ and ~one~",
    '<b>inline html</b> and <span class="x">span</span>',
    '# Title\n\n## Sub "heading"\n\n### Third',
    "- item\n- [ ] todo\n- [x] done",
    "1. one\n2. two\n\n> quote\n> more",
    "    indented code\n\nafter",
    '![alt](/img/a.png) and [link](https://hexo.io "title")',
    "Hard  \nbreak and a\\\nbackslash break",
]
PLUGINS = [
    "Water is H~2~O and x^2^ here",
    "++inserted++ and ==marked== text",
    "*[HTML]: Hyper Text Markup Language\n\nHTML and XHTML and HTML5",
    "Text with a note[^1] and another[^n].\n\n[^1]: First note.\n[^n]: Second *note*.",
    "Term\n: Definition one\n\nOther term\n:   Definition two",
    "Smile :smile: and :+1: and :not_an_emoji: here, :dog: :cat: :kiss:",
    "Faces :) and :-( here, (;)) <3 x:) http://a.example/:D, [:D](/x) and 8-) B-) :'D :|",
    "::: warning\nBe *careful*\n:::\n\n::: info\nFYI\n:::",
    "中文第一行\n中文第二行\nEnglish line\n中文",
    "方案）\n【利用**github**】\n**粗体**\n한국어\n한국어 and zero\u200b\nwidth",
]
MARKDOWN_IT_PLUGINS = [
    "markdown-it-abbr",
    "markdown-it-footnote",
    "markdown-it-ins",
    "markdown-it-sub",
    "markdown-it-sup",
    "markdown-it-deflist",
    "markdown-it-mark",
    "markdown-it-emoji",
    "markdown-it-cjk-breaks",
    "markdown-it-task-lists",
    {"name": "markdown-it-container", "options": "warning"},
    {"name": "markdown-it-container", "options": "info"},
]
KRAMED = [
    "a * b * c and 3.14 * r * r",
    "x = pow(x,y/2) * pow(x,y -y/2) and 2 * 3",
    "snake_case_name and _em_ and __strong__",
    "**bold**text and *it*text and a ** b ** c",
    "<b>*x*</b> `*y*` and 1. item *a",
    "- item *a\n- item b*",
    "Map<Character,Integer> and <key,value> and <stdio.h> and a < b > c",
    "##第七章 并发\n\ntext\n#No space\n###  Two spaces ###",
    "before <!-- c --> after and <b>bold</b>",
    "|a|b|c|\n|:-|--:|\n|1|2|3|\n|4|\n\ntext",
    "x | y\n--|--\n1 | 2",
    "1) item\n2) two\n\n1. one\n2. two",
    "|h|\n|-|\ntext after",
]
MATH = [
    "Inline $x^2 + y_1$ and $\\frac{a}{b}$ here",
    "Prices $5 and $6 stay, as does $ x $ with spaces",
    "$$\nE = mc^2\n$$",
    "Display $$\\sum_{i=1}^n i$$ inline",
    "Escaped \\$x\\$ and `$code$`",
    "a$x$b and $a_1 * b_2$",
    "- transform(a): x\n  $$\n  \\begin{matrix}\n     m & n \\\\\n  \\end{matrix}\n  $$\n",
    "text\n$$\nx^2\n$$\nafter",
    "texvc names: $A \\cap B = \\empty$, $x \\isin \\R$, $\\Alpha \\larr \\infin$",
    "Negated: $v_i \\not= v_j$, $a \\not< b$, $x \\not\\in A$ and $a \\ast b * c$",
    "Dots: $x_1,\\dots,x_n$, $X_1 \\le \\dots \\le X_n$, $a + \\dots + b$;"
    " signs: $a \\cdot b$, $\\bar{\\delta}$, $\\vec{k}$, $X \\sim f$, $P^{\\perp}$",
    "$$\n\\begin{aligned}\nf(x) &= x^2 \\\\\n     &\\approx 1 \\\\\n\\end{aligned}\n$$",
]
EXPANDABLE = [
    "+++ Open *section*\nHidden text\n\n- one\n- two\n+++\n\nafter",
    ">>> Closed one\nbody\n>>>>\n\n>>> Never closed\nto the end",
    "+++ inline +++ stays text\n\n+++\nno title\n+++",
    "Paragraph\n+++ interrupts it\ninside\n+++",
    "- item\n  +++ In a list\n  nested\n  +++\n- next",
    "+++ Empty\n\n+++\n\n++ two pluses\n\n> quote >>> here",
    "+++ Outer\n>>> Inner\ndeep\n>>>\n+++ trailing\nstill outer\n+++",
    "- one\n- two\n\ntext\n- three\n  - four\n  - five\n- six\n\n1. a\n2. b",
]
SETUPS = [
    ("hexo-renderer-markdown-it", {}, COMMON),
    ("hexo-renderer-markdown-it", {"markdown": {"plugins": MARKDOWN_IT_PLUGINS}}, COMMON + PLUGINS),
    (
        "hexo-renderer-markdown-it",
        {"markdown": {"preset": "commonmark", "render": {"breaks": False, "typographer": False}}},
        COMMON,
    ),
    ("hexo-renderer-markdown-it-plus", {}, COMMON + PLUGINS),
    ("hexo-renderer-markdown-it", {"markdown": {"plugins": ["markdown-it-expandable"]}}, EXPANDABLE),
    ("hexo-renderer-kramed", {}, COMMON + KRAMED),
    ("hexo-renderer-markdown-it-plus", {}, MATH),
    ("hexo-renderer-markdown-it", {"markdown": {"plugins": ["@iktakahiro/markdown-it-katex"]}}, MATH),
    ("hexo-renderer-kramed", {}, MATH),
]


def main() -> None:
    results = []
    for renderer, config, inputs in SETUPS:
        request = json.dumps({"kind": "render", "renderer": renderer, "config": config, "inputs": inputs})
        run = subprocess.run(
            ["node", str(HERE / "oracle.js")], input=request, capture_output=True, text=True, check=False
        )
        if run.returncode:
            sys.exit(run.stderr)
        outputs = json.loads(run.stdout)
        results.append(
            {"renderer": renderer, "config": config, "cases": list(zip(inputs, outputs, strict=True))}
        )
    OUT.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{sum(len(r['cases']) for r in results)} samples -> {OUT}")


if __name__ == "__main__":
    main()
