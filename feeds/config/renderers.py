"""Which Markdown renderer a Hexo site uses, and its options, read as Hexo and the renderer read them.

Hexo loads every ``hexo-*`` package its ``package.json`` names (dependencies,
then devDependencies, in the order written: npm sorts them by name), and each
renderer registers itself for ``.md``; the last registration wins.  So of two
renderers installed, the one listed later renders the posts, and a warning
says so.  Each renderer's options come from its own section of
``_config.yml``: ``markdown:`` (hexo-renderer-markdown-it), ``markdown_it_plus:``
(its -plus fork), ``kramed:``.  Whether formulas render comes from the
renderer's plugins, hexo-filter-mathjax or hexo-math, or the theme's ``math:``.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Put = Callable[[str, Any, str], None]

RENDERERS = {
    "hexo-renderer-marked": "marked",
    "hexo-renderer-markdown-it": "markdown-it",
    "hexo-renderer-markdown-it-plus": "markdown-it-plus",
    "hexo-renderer-kramed": "kramed",
    "hexo-renderer-pandoc": "pandoc",
}
# The plugins hexo-renderer-markdown-it-plus loads unless its config disables one (its katex included).
PLUS_PLUGINS = (
    "markdown-it-emoji",
    "markdown-it-sub",
    "markdown-it-sup",
    "markdown-it-deflist",
    "markdown-it-abbr",
    "markdown-it-footnote",
    "markdown-it-ins",
    "markdown-it-mark",
    "@iktakahiro/markdown-it-katex",
    "markdown-it-toc-and-anchor",
)
# The markdown-it plugins feeds renders (feeds.content.renderers); math plugins are read from their names.
SUPPORTED_PLUGINS = frozenset(
    (
        "markdown-it-abbr",
        "markdown-it-footnote",
        "markdown-it-deflist",
        "markdown-it-sub",
        "markdown-it-sup",
        "markdown-it-ins",
        "markdown-it-mark",
        "markdown-it-emoji",
        "markdown-it-cjk-breaks",
        "markdown-it-expandable",
        "markdown-it-checkbox",
        "markdown-it-task-checkbox",
        "markdown-it-task-lists",
        "markdown-it-toc-and-anchor",
        "markdown-it-toc-done-right",
        "markdown-it-anchor",
    )
)
_MATH_WORDS = ("katex", "mathjax", "texmath", "markdown-it-math")
_RENDER_KEYS = {
    "html": "html",
    "xhtmlOut": "xhtml_out",
    "breaks": "breaks",
    "linkify": "linkify",
    "typographer": "typographer",
    "quotes": "quotes",
    "langPrefix": "lang_prefix",
}
_KRAMED_KEYS = {"gfm": "gfm", "breaks": "breaks", "smartypants": "smartypants"}


def renderer(folder: Path, hexo: dict[str, Any], packages: list[str], put: Put) -> None:
    """Put the site's renderer and its options into feeds' ``content`` settings."""
    installed = [RENDERERS[p] for p in packages if p in RENDERERS]
    name = installed[-1] if installed else "marked"
    if len(installed) > 1:
        log.warning(
            "%s: %s are installed; Hexo renders posts with the last it registers, "
            "hexo-renderer-%s, and so does feeds",
            folder / "package.json",
            " and ".join(f"hexo-renderer-{n}" for n in installed),
            name,
        )
    put("content.renderer", name, "package.json (the Markdown renderer Hexo loads last)")
    math = "none"
    if name in ("markdown-it", "pandoc"):
        math = _markdown_it(hexo.get("markdown"), put)
    elif name == "markdown-it-plus":
        math = _plus(hexo.get("markdown_it_plus"), put)
    elif name == "kramed":
        math = "double"
        section = hexo.get("kramed")
        for key, ours in _KRAMED_KEYS.items():
            if isinstance(section, dict) and isinstance(section.get(key), bool):
                put(f"content.{ours}", section[key], f"kramed.{key}")
    if name == "pandoc":
        math = "none"  # pandoc reads $…$ itself, and writes formulas as its arguments say
        _pandoc(hexo.get("pandoc"), put)
        if shutil.which("pandoc") is None:
            log.warning(
                "the blog renders Markdown with hexo-renderer-pandoc, but no pandoc program is installed "
                "(Debian: apt install pandoc); feeds renders with markdown-it instead, which differs in "
                "places"
            )
    site_math = _site_math(folder, hexo, packages)
    if site_math != "none" and math in ("none", "double") and name != "pandoc":
        math = site_math  # hexo-math, hexo-filter-mathjax or the theme read a lone `$` too
    if math != "none":
        put("content.math", math, "(the blog's math plugin or theme setting)")


def _pandoc(section: Any, put: Put) -> None:
    """hexo-renderer-pandoc's ``pandoc.args``: a list, or one string split at spaces, as it reads them."""
    args = section.get("args") if isinstance(section, dict) else None
    listed = args.split(" ") if isinstance(args, str) else args if isinstance(args, list) else []
    words = [str(a) for a in listed if str(a)]
    if words:
        put("content.pandoc_args", words, "pandoc.args")


def _markdown_it(section: Any, put: Put) -> str:
    """hexo-renderer-markdown-it's ``markdown:`` section (a preset name alone in old versions)."""
    if isinstance(section, str):
        section = {"preset": section}
    if not isinstance(section, dict):
        return "none"
    if isinstance(section.get("preset"), str):
        put("content.preset", section["preset"], "markdown.preset")
    render = section.get("render")
    if isinstance(render, dict):
        _render_options(render, "markdown.render", put)
    for key in ("enable_rules", "disable_rules"):
        rules = section.get(key)
        listed = [rules] if isinstance(rules, str) else rules if isinstance(rules, list) else []
        if listed:
            put(f"content.{key}", [str(r) for r in listed], f"markdown.{key}")
    plugins = []
    for entry in section.get("plugins") or []:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if not isinstance(name, str):
            continue
        if name == "markdown-it-container" and isinstance(entry, dict):
            name += f":{entry.get('options')}"
        plugins.append(name)
    return _plugins(plugins, "markdown.plugins", put)


def _render_options(render: dict[str, Any], where: str, put: Put) -> None:
    for key, ours in _RENDER_KEYS.items():
        value = render.get(key)
        if key in ("quotes", "langPrefix"):
            if isinstance(value, str):
                put(f"content.{ours}", value, f"{where}.{key}")
        elif isinstance(value, bool):
            put(f"content.{ours}", value, f"{where}.{key}")


def _plus(section: Any, put: Put) -> str:
    """hexo-renderer-markdown-it-plus' ``markdown_it_plus:`` section: an option left empty is on, and its
    default plugins are on unless an entry names one without ``enable: true``."""
    section = section if isinstance(section, dict) else {}
    for key, ours in _RENDER_KEYS.items():
        value = section.get(key)
        if key == "quotes":
            quotes = value if isinstance(value, str) and value else "\u201c\u201d\u2018\u2019"
            put("content.quotes", quotes, "markdown_it_plus.quotes")
        elif key == "langPrefix":
            put("content.lang_prefix", value if isinstance(value, str) else "", "markdown_it_plus.langPrefix")
        else:
            put(f"content.{ours}", value is None or value is True, f"markdown_it_plus.{key}")
    enabled = dict.fromkeys(PLUS_PLUGINS, True)
    for entry in section.get("plugins") or []:
        plugin = entry.get("plugin") if isinstance(entry, dict) else None
        if isinstance(plugin, dict) and isinstance(plugin.get("name"), str):
            enabled[plugin["name"]] = plugin.get("enable") is True
    return _plugins([n for n, on in enabled.items() if on], "markdown_it_plus.plugins", put)


def supported(plugin: str) -> bool:
    """Whether feeds renders what ``plugin`` adds (``markdown-it-container:NAME`` for containers)."""
    return plugin in SUPPORTED_PLUGINS or plugin.startswith("markdown-it-container:")


def _plugins(names: list[str], where: str, put: Put) -> str:
    for name in names:
        if not supported(name) and not any(w in name for w in _MATH_WORDS):
            log.warning("%s: feeds does not render what %s adds; its syntax shows as written", where, name)
    put("content.plugins", [n for n in names if supported(n)], where)
    return "dollars" if any(any(w in n for w in _MATH_WORDS) for n in names) else "none"


def _site_math(folder: Path, hexo: dict[str, Any], packages: list[str]) -> str:
    """Math the site renders besides its Markdown renderer: hexo-filter-mathjax (also ``\\(…\\)``),
    hexo-math, or the theme's ``math:`` setting (NexT, Butterfly, Fluid…)."""
    if "hexo-filter-mathjax" in packages:
        return "brackets"
    if "hexo-katex" in packages or ("hexo-math" in packages and _major(folder, "hexo-math") < 4):
        return "dollars"  # hexo-math 4 and later read only their {% math %} tags
    theme = hexo.get("theme")
    if not isinstance(theme, str) or not theme.strip():
        return "none"
    for path in (folder / f"_config.{theme.strip()}.yml", folder / "themes" / theme.strip() / "_config.yml"):
        if _theme_math(path):
            return "brackets"
    return "none"


_VERSION = re.compile(r"[\s^~=v<>]*(\d+)")  # ^3.0.4, ~3, >=3, v3, 3.x
_NEWEST = 1_000_000


def _major(folder: Path, package: str) -> int:
    """The major version ``package.json`` asks for (``^3.0.4``: 3); ``latest``, ``*`` or a range npm
    cannot read as a number installs the newest, counted as higher than any."""
    try:
        manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        spec = {**manifest.get("devDependencies", {}), **manifest.get("dependencies", {})}[package]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return _NEWEST
    m = _VERSION.match(str(spec))
    return int(m[1]) if m else _NEWEST


def _theme_math(path: Path) -> bool:
    from ..yamltext import YAMLProblem, load

    try:
        settings = load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLProblem):
        return False
    if not isinstance(settings, dict):
        return False
    for section in (settings.get("math"), settings.get("mathjax"), settings.get("katex")):
        if _enabled(section):
            return True
    post = settings.get("post")
    return isinstance(post, dict) and _enabled(post.get("math"))


def _enabled(section: Any, depth: int = 0) -> bool:
    """An ``enable: true`` anywhere in a theme's math section, or Butterfly's ``use: mathjax``."""
    if not isinstance(section, dict) or depth > 2:
        return section is True
    if section.get("enable") is True or isinstance(section.get("use"), str):
        return True
    return any(_enabled(v, depth + 1) for v in section.values() if isinstance(v, dict))
