"""The renderer a Hexo site renders with, chosen from its package.json and _config.yml as Hexo does,
and formulas as MathML that the sanitiser lets through."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from feeds.builder.postcache import fingerprint
from feeds.config import load_config
from feeds.content import Cleaner
from feeds.errors import ConfigError

from .test_renderers import POST


def blog(folder: Path, packages: list[str], config: dict[str, Any] | None = None, **files: Any) -> Path:
    (folder / "package.json").write_text(json.dumps({"dependencies": dict.fromkeys(packages, "*")}))
    (folder / "_config.yml").write_text(yaml.safe_dump({"url": "https://example.com", **(config or {})}))
    for name, content in files.items():
        (folder / name.replace("__", ".")).write_text(yaml.safe_dump(content))
    return folder / "_config.yml"


def html(hexo: Path, body: str) -> str:
    config = load_config(None, hexo)
    return Cleaner(config.content, config.feeds).render(POST, body).html


def test_the_renderer_hexo_registers_last_wins_and_a_warning_names_both(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """npm writes dependencies in name order and Hexo loads them so: marked after markdown-it."""
    with caplog.at_level(logging.WARNING):
        config = load_config(None, blog(tmp_path, ["hexo-renderer-markdown-it", "hexo-renderer-marked"]))
    assert config.content.renderer == "marked"
    assert "hexo-renderer-markdown-it and hexo-renderer-marked are installed" in caplog.text


def test_no_renderer_installed_is_marked_and_content_renderer_overrides(tmp_path: Path) -> None:
    hexo = blog(tmp_path, [])
    assert load_config(None, hexo).content.renderer == "marked"
    blog(tmp_path, ["hexo-renderer-markdown-it"])
    own = tmp_path / "feeds.yml"
    own.write_text("content:\n  renderer: kramed\n")
    assert load_config(own, hexo).content.renderer == "kramed"
    own.write_text("content:\n  renderer: remarkable\n")
    with pytest.raises(ConfigError, match=r"content\.renderer"):
        load_config(own, hexo)


def test_markdown_it_options_and_plugins_come_from_the_markdown_section(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    section = {
        "render": {"typographer": False, "breaks": False},
        "plugins": [
            "markdown-it-mark",
            "markdown-it-imsize",
            {"name": "markdown-it-container", "options": "tip"},
        ],
    }
    with caplog.at_level(logging.WARNING):
        hexo = blog(tmp_path, ["hexo-renderer-markdown-it"], {"markdown": section})
        out = html(hexo, '==hi== "q"\nnext\n\n::: tip\nTip\n:::')
    assert out == '<p><mark>hi</mark> "q"\nnext</p>\n<div>\n<p>Tip</p>\n</div>'
    assert "markdown-it-imsize" in caplog.text  # a plugin feeds does not render is named


def test_markdown_it_plus_loads_its_plugins_unless_one_is_disabled(tmp_path: Path) -> None:
    hexo = blog(tmp_path, ["hexo-renderer-markdown-it-plus"])
    assert html(hexo, "==m== ++i++ $x$") == (
        '<p><mark>m</mark> <ins>i</ins> <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">'
        '<semantics><mrow><mi>x</mi></mrow><annotation encoding="application/x-tex">x</annotation>'
        "</semantics></math></p>"
    )
    off = {"plugins": [{"plugin": {"name": "markdown-it-mark", "enable": False}}]}
    hexo = blog(tmp_path, ["hexo-renderer-markdown-it-plus"], {"markdown_it_plus": off})
    assert html(hexo, "==m==") == "<p>==m==</p>"


def test_a_dollar_stays_a_dollar_where_the_blog_renders_no_math(tmp_path: Path) -> None:
    for packages in (["hexo-renderer-marked"], ["hexo-renderer-markdown-it"]):
        assert "$x$ and \\(y\\)" in html(blog(tmp_path, packages), "$x$ and \\\\(y\\\\)")


@pytest.mark.parametrize(
    ("packages", "files"),
    [
        (["hexo-renderer-marked", "hexo-filter-mathjax"], {}),
        (["hexo-renderer-marked"], {"_config__next__yml": {"math": {"mathjax": {"enable": True}}}}),
    ],
)
def test_mathjax_on_the_site_reads_dollars_and_brackets(
    tmp_path: Path, packages: list[str], files: dict[str, Any]
) -> None:
    hexo = blog(tmp_path, packages, {"theme": "next"}, **files)
    out = html(hexo, "$a_1 * b_2$ and \\\\(y\\\\) and\n\n$$\nz\n$$")
    assert out.count("<math") == 3 and "<em>" not in out  # marked's emphasis never reaches the TeX
    assert '<annotation encoding="application/x-tex">a_1 * b_2</annotation>' in out


def test_kramed_reads_double_dollars_only(tmp_path: Path) -> None:
    hexo = blog(tmp_path, ["hexo-renderer-kramed"])
    out = html(hexo, "Cost $5, $x$, and $$y^2$$ -- done")
    assert "$x$" in out and out.count("<math") == 1 and "\u2014 done" in out


def test_a_formula_the_library_cannot_convert_stays_as_tex_in_code(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hexo = blog(tmp_path, ["hexo-renderer-markdown-it-plus"])
    with caplog.at_level(logging.WARNING):
        out = html(hexo, r"See $\frac{a}{$ and $\nosuchcommand{x}$ here")
    assert out == r"<p>See <code>\frac{a}{</code> and <code>\nosuchcommand{x}</code> here</p>"
    assert caplog.text.count("a formula stays as TeX") == 2


def test_mathml_passes_the_sanitiser_but_nothing_that_scripts(tmp_path: Path) -> None:
    """Presentation elements and the TeX annotation only: no annotation-xml (it can hold HTML), no
    maction, no href or event handler on a MathML element."""
    hexo = blog(tmp_path, ["hexo-renderer-marked"])
    body = (
        '<math><mi href="javascript:alert(1)" onclick="x()">x</mi><maction actiontype="statusline">'
        "<mn>1</mn></maction><annotation-xml><svg><script>alert(1)</script></svg></annotation-xml>"
        '<annotation encoding="application/x-tex">x</annotation></math>'
    )
    out = Cleaner(load_config(None, hexo).content, load_config(None, hexo).feeds).clean_html(
        body, "https://e.com/"
    )
    assert out == '<math><mi>x</mi><mn>1</mn><annotation encoding="application/x-tex">x</annotation></math>'


def test_pandoc_renders_when_installed_and_markdown_it_stands_in_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    hexo = blog(site, ["hexo-renderer-pandoc"])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with caplog.at_level(logging.WARNING):
        out = html(hexo, "Note[^1] and H~2~O\n\n[^1]: A note.")
    assert "hexo-renderer-pandoc" in caplog.text and "no pandoc program" in caplog.text
    assert "<sub>2</sub>" in out and "A note." in out
    fake = tmp_path / "bin" / "pandoc"  # a stand-in program: what it prints is the body
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "<p>pandoc $*</p>"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    assert html(hexo, "anything") == "<p>pandoc -M pagetitle=dummy -M standalone=True</p>"
    hexo = blog(site, ["hexo-renderer-pandoc"], {"pandoc": {"args": "--mathjax --toc"}})
    assert html(hexo, "anything") == "<p>pandoc -M pagetitle=dummy --mathml --toc -M standalone=True</p>"


def test_the_renderer_is_part_of_the_cache_key(tmp_path: Path) -> None:
    marked = load_config(None, blog(tmp_path, ["hexo-renderer-marked"]))
    plus = load_config(None, blog(tmp_path, ["hexo-renderer-markdown-it-plus"]))
    assert fingerprint(marked) != fingerprint(plus)


def test_hexo_math_reads_dollars_before_version_4_and_only_its_tags_after(tmp_path: Path) -> None:
    """hexo-math 3 handed `$…$` to MathJax; 4 and later render only `{% math %}` tags."""
    (tmp_path / "_config.yml").write_text("url: https://example.com\n")
    for spec, math in (("^3.0.4", "dollars"), ("^5.0.0", "none"), ("latest", "none")):
        (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"hexo-math": spec}}))
        assert load_config(None, tmp_path / "_config.yml").content.math == math
