"""The Hexo side: a cached node_modules with Hexo and plugins, a scratch copy of the blog, the dump.

Nothing here writes into the blog folder: it is copied into the work folder first, and Hexo
(and any plugin that writes back into posts, such as hexo-abbrlink) only ever sees the copy.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import feeds_side

HERE = Path(__file__).resolve().parent
DEFAULT_NODE_DIR = Path("/tmp/hexo-oracle/node")
NODE_DIR_ENV = "HEXO_ORACLE_NODE"

# Installed once into the node folder, at the versions pinned in package.json beside this file.
BASE_PACKAGES = ("hexo", "hexo-generator-feed", "hexo-renderer-marked")

# Blog plugins that cannot change what a post says, where it lives or whether it is published:
# left out (installing them costs time and some need native builds or network at load time).
_SKIP_PATTERNS = [
    r"hexo",  # hexo itself comes from the pinned base
    r"hexo-(cli|util|fs|log|i18n|front-matter|bunyan|pagination)",
    r"hexo-server",
    r"hexo-deployer-.*",
    r"hexo-theme-.*",
    r"hexo-admin.*",
    r"hexo-(browsersync|livereload)",
    r"hexo-generator-(?!feed$).*",  # generators add pages and files, not post content
    r"hexo-helper-.*",
    r"hexo-(clean-css|uglify|html-minifier|neat|all-minifier|minify|minifier|terser|gzip|yam)",
    r"hexo-(url-submission|submit-urls|baidu-url-submit|seo-.*|sitemap.*|offline|pwa|algolia.*)",
    r"hexo-(wordcount|word-counter|symbols-count-time|reading-time)",
    r"hexo-(console-.*|git-backup|douban|bilibili-bangumi|admin-.*|qexo.*)",
    r"hexo-(lazyload-image|lazyload)",
    r"hexo-(inject|cdn-.*|autoprefixer|postcss)",
]
_SKIP = re.compile("^(?:" + "|".join(_SKIP_PATTERNS) + ")$")
# Template and stylesheet renderers serve the theme, which is switched off: needed only when
# the blog's source folder itself holds files of that kind.
_TEMPLATE_RENDERERS = {
    "hexo-renderer-ejs": (".ejs",),
    "hexo-renderer-stylus": (".styl",),
    "hexo-renderer-pug": (".pug",),
    "hexo-renderer-jade": (".jade",),
    "hexo-renderer-sass": (".sass", ".scss"),
    "hexo-renderer-scss": (".scss",),
    "hexo-renderer-dartsass": (".sass", ".scss"),
    "hexo-renderer-less": (".less",),
    "hexo-renderer-swig": (".swig",),
    "hexo-renderer-nunjucks": (".njk", ".j2", ".nunjucks"),
    "hexo-renderer-haml": (".haml",),
}
_MARKDOWN_RENDERERS = re.compile(
    r"^hexo-renderer-(marked|kramed|markdown-it.*|pandoc|markdown.*|unified|remark.*|mdx|md.*|showdown)$"
)
_COPY_IGNORE = {".git", "node_modules", "public", ".deploy_git", ".deploy", "db.json", ".feeds-cache"}


def node_dir() -> Path:
    return Path(os.environ.get(NODE_DIR_ENV) or DEFAULT_NODE_DIR)


def pinned_versions() -> dict[str, str]:
    """Every version package.json pins: the base, and the renderers installed only when needed."""
    pkg = json.loads((HERE / "package.json").read_text())
    return {**pkg.get("optionalDependencies", {}), **pkg["dependencies"]}


@contextmanager
def _locked(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".install.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def installed_version(folder: Path, name: str) -> str | None:
    try:
        return json.loads((folder / "node_modules" / name / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def _npm(folder: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", *args, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ensure_base(log) -> Path:
    """The node folder with the pinned Hexo, feed generator and Markdown renderer; installs once."""
    folder = node_dir()
    pins = pinned_versions()
    with _locked(folder):
        pkg = folder / "package.json"
        if not pkg.exists():
            pkg.write_text(
                json.dumps({"name": "hexo-oracle-node", "private": True, "dependencies": {}}, indent=2)
            )
        wanted = [
            f"{name}@{pins[name]}" for name in BASE_PACKAGES if installed_version(folder, name) != pins[name]
        ]
        if wanted:
            log(f"npm install {' '.join(wanted)} (into {folder})")
            done = _npm(folder, "install", "--save", "--save-exact", *wanted)
            if done.returncode != 0:
                raise RuntimeError(f"npm install failed in {folder}:\n{done.stderr[-2000:]}")
    return folder


def select_plugins(blog: Path, *, keep_theme: bool = False) -> tuple[list[str], list[tuple[str, str]]]:
    """(plugins to load, [(plugin, why it is left out)]) from the blog's package.json; with
    ``keep_theme`` the template and stylesheet renderers the theme's pages need as well."""
    try:
        pkg = json.loads((blog / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], []
    specs = {**pkg.get("devDependencies", {}), **pkg.get("dependencies", {})}
    names = [n for n in specs if re.match(r"^(@[^/]+/)?hexo-", n)]
    source_exts = _source_extensions(blog / "source")
    chosen: list[str] = []
    skipped: list[tuple[str, str]] = []
    for name in names:
        bare = name.split("/", 1)[-1]
        if bare in _TEMPLATE_RENDERERS:
            if keep_theme or source_exts & set(_TEMPLATE_RENDERERS[bare]):
                chosen.append(name)
            else:
                skipped.append((name, "theme renderer, no such file in source/"))
        elif bare == "hexo-generator-feed":
            continue  # the pinned one is always loaded
        elif _SKIP.match(bare):
            skipped.append((name, "cannot change posts"))
        elif re.match(
            r"^(git|github:|gitlab:|bitbucket:|https?:|file:|link:|\.|/)|^[\w.-]+/[\w.-]+(#.*)?$",
            str(specs[name]),
        ):
            skipped.append((name, f"not from the npm registry ({specs[name]})"))
        else:
            chosen.append(name)
    # Hexo 7 moved youtube, vimeo, jsfiddle and gist out into hexo-tag-embed: a blog written for an
    # older Hexo had them built in.
    major = re.match(r"\D*(\d+)", str(specs.get("hexo", "")))
    if major and int(major[1]) < 7 and "hexo-tag-embed" not in names:
        chosen.append("hexo-tag-embed")
    return chosen, skipped


def _source_extensions(source: Path) -> set[str]:
    exts: set[str] = set()
    for _root, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in _COPY_IGNORE]
        exts.update(Path(f).suffix.lower() for f in files)
    return exts


def _npm_reason(stderr: str) -> str:
    """The telling lines of npm's error output (its code and first message), not the log path."""
    lines = [ln.removeprefix("npm error").strip() for ln in stderr.splitlines() if ln.startswith("npm error")]
    lines = [ln for ln in lines if ln and not ln.startswith("A complete log")]
    return " ".join(dict.fromkeys(lines[:3]))[:300] or "npm failed"


def ensure_plugins(names: list[str], log, retry_failed: bool = False) -> dict[str, str]:
    """Install each plugin (latest) into the node folder once; {name: version or 'failed: why'}.

    A plugin that fails to install is remembered (failed-plugins.json) and not tried again on
    later runs unless ``retry_failed``; the comparison goes on without it.
    """
    folder = node_dir()
    pins = pinned_versions()
    status: dict[str, str] = {}
    with _locked(folder):
        failed_file = folder / "failed-plugins.json"
        failed = json.loads(failed_file.read_text()) if failed_file.exists() else {}
        for name in names:
            have = installed_version(folder, name)
            if have and (name not in pins or have == pins[name]):
                status[name] = have
                continue
            if name in failed and not retry_failed:
                status[name] = f"failed: {failed[name]}"
                continue
            spec = f"{name}@{pins[name]}" if name in pins else name
            log(f"npm install {spec} (into {folder})")
            try:
                done = _npm(folder, "install", "--save", "--legacy-peer-deps", spec, timeout=900)
                ok = done.returncode == 0 and installed_version(folder, name)
                why = "" if ok else _npm_reason(done.stderr)
            except subprocess.TimeoutExpired:
                ok, why = False, "npm install timed out"
            if ok:
                status[name] = installed_version(folder, name) or "?"
                failed.pop(name, None)
            else:
                status[name] = f"failed: {why}"
                failed[name] = why
        failed_file.write_text(json.dumps(failed, indent=2, ensure_ascii=False))
    return status


# The page renderers each npm theme's layouts and styles are written for (its tags need none of them:
# they register from the theme's scripts/ even when a page fails to render).
_THEME_RENDERERS = {
    "butterfly": ("hexo-renderer-pug", "hexo-renderer-stylus"),
    "next": ("hexo-renderer-stylus",),
    "fluid": ("hexo-renderer-ejs", "hexo-renderer-stylus"),
    "keep": ("hexo-renderer-ejs", "hexo-renderer-stylus"),
    "icarus": ("hexo-renderer-inferno", "hexo-renderer-stylus"),
}


def ensure_theme(blog: Path, log, retry_failed: bool = False) -> dict[str, str]:
    """The blog's theme, so that Hexo registers its tags: the copy in the blog's themes/ folder, else
    the npm package hexo-theme-<name> (latest) in the node folder, where Hexo looks for it too.

    {"name", "from", "version"} (version "failed: why" when npm could not install it); {} for none.
    """
    theme = feeds_side.theme_name(feeds_side.read_hexo_config(blog))
    if not theme:
        return {}
    copy = blog / "themes" / theme
    if _has_files(copy):
        try:
            version = str(json.loads((copy / "package.json").read_text(encoding="utf-8")).get("version", "?"))
        except (OSError, ValueError):
            version = "?"
        return {"name": theme, "from": f"themes/{theme} (the blog's copy)", "version": version}
    package = f"hexo-theme-{theme}"
    status = ensure_plugins([package, *_THEME_RENDERERS.get(theme.lower(), ())], log, retry_failed)
    return {"name": theme, "from": f"npm {package}", "version": status[package]}


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def copy_blog(blog: Path, dest: Path, *, keep_theme: bool) -> None:
    """A scratch copy of the blog (mtimes kept), without git data, node_modules, output or themes."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        drop = {n for n in names if n in _COPY_IGNORE}
        if not keep_theme and Path(folder) == blog:
            drop |= {"themes"} & set(names)
        if Path(folder) == blog / "themes":  # an empty one (a submodule not cloned) would hide npm's
            drop |= {n for n in names if not _has_files(Path(folder) / n)}
        return drop

    shutil.copytree(blog, dest, symlinks=True, ignore=ignore)


def hexo_overrides(*, keep_theme: bool) -> str:
    """Our _config override, merged by Hexo itself after the blog's _config.yml."""
    lines = [
        "# written by tools/hexo_compare: merged after the blog's _config.yml",
        "feed:",
        "  enable: true",
        "  type: [atom, rss2]",
        "  path: [atom.xml, rss2.xml]",
        "  limit: 0",
        "  content: true",
        "  order_by: -date",
        "  template: ''",
        "deploy: []",
    ]
    if not keep_theme:
        lines.insert(1, "theme: false")
    return "\n".join(lines) + "\n"


def run_hexo(
    blog: Path, work: Path, *, keep_theme: bool, generate: bool, retry_failed: bool, log
) -> dict[str, Any]:
    """Build the blog with Hexo in ``work/hexo-site``; the dump (dict) plus what was installed."""
    folder = ensure_base(log)
    plugins, skipped = select_plugins(blog, keep_theme=keep_theme)
    theme = ensure_theme(blog, log, retry_failed) if keep_theme else {}
    if theme.get("from", "").startswith("npm"):
        plugins += [
            p
            for p in (f"hexo-theme-{theme['name']}", *_THEME_RENDERERS.get(theme["name"].lower(), ()))
            if p not in plugins
        ]
    status = ensure_plugins(plugins, log, retry_failed=retry_failed)
    loaded = [p for p in plugins if not status[p].startswith("failed")]
    if not any(_MARKDOWN_RENDERERS.match(p.split("/", 1)[-1]) for p in loaded):
        loaded.insert(0, "hexo-renderer-marked")
    site = work / "hexo-site"
    copy_blog(blog, site, keep_theme=keep_theme)
    original_pkg: dict[str, Any] = {}
    if (site / "package.json").exists():
        try:
            original_pkg = json.loads((site / "package.json").read_text(encoding="utf-8"))
        except ValueError:
            original_pkg = {}
    deps = {name: "*" for name in ["hexo", "hexo-generator-feed", *loaded]}
    (site / "package.json").write_text(
        json.dumps(
            {
                "name": "hexo-compare-scratch",
                "private": True,
                "hexo": original_pkg.get("hexo", {}),
                "dependencies": deps,
            },
            indent=2,
        )
    )
    link = site / "node_modules"
    if link.is_symlink() or link.exists():
        shutil.rmtree(link) if link.is_dir() and not link.is_symlink() else link.unlink()
    link.symlink_to(folder / "node_modules", target_is_directory=True)
    (site / "_hexo_compare.yml").write_text(hexo_overrides(keep_theme=keep_theme))
    config_files = "_config.yml,_hexo_compare.yml" if (site / "_config.yml").exists() else "_hexo_compare.yml"
    out = work / "hexo-dump.json"
    cmd = ["node", str(HERE / "hexo_dump.js"), str(site), str(out), config_files]
    if generate:
        cmd.append("--generate")
    # Hexo's dates depend on the machine's zone as well as on `timezone` (a date with an explicit
    # offset is shifted by the difference of the two): run it as on the author's machine, in the
    # blog's own zone; UTC when the blog names none (feeds' default too).
    zone = feeds_side.timezone_of(feeds_side.read_hexo_config(blog))
    env = dict(os.environ, TZ=zone, HEXO_COMPARE_NODE_MODULES=str(folder / "node_modules"))
    log(f"hexo: {' '.join(cmd)}")
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
        stderr = done.stderr
    except subprocess.TimeoutExpired as exc:
        stderr = f"timed out after {exc.timeout} s"
    seconds = time.monotonic() - started
    try:
        dump = json.loads(out.read_text())
    except (OSError, ValueError):
        dump = {"fatal": f"no dump written; node stderr:\n{stderr[-3000:]}"}
    dump["seconds"] = round(seconds, 1)
    dump["node_stderr"] = stderr[-3000:]
    dump["plugins_status"] = status
    dump["plugins_loaded"] = ["hexo-generator-feed", *loaded]
    dump["plugins_skipped"] = skipped
    dump["theme"] = theme
    dump["command"] = " ".join(cmd)
    dump["site_dir"] = str(site)
    return dump
