"""The package's layout is a contract: stages never reach up into the driver or the command line."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "feeds"
STAGES = ("source", "content", "thumbnails", "output", "websub")


def _imports(path: Path) -> set[str]:
    """Every feeds module ``path`` imports, as absolute dotted names."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = ".".join(parts[:-1])  # what a leading dot means, in a package's __init__ and in a module
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "feeds" or name.startswith("feeds.")}


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_the_import_rules_see_relative_imports() -> None:
    assert "feeds.builder.pipeline" in _imports(PACKAGE / "builder" / "__init__.py")
    assert "feeds.output" in _imports(PACKAGE / "builder" / "pipeline.py")
    assert "feeds.config" in _imports(PACKAGE / "source" / "posts.py")
    assert "feeds.errors" in _imports(PACKAGE / "config" / "__init__.py")
    assert "feeds.config.model" in _imports(PACKAGE / "config" / "load.py")


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_never_imports_the_driver_or_the_command_line(stage: str) -> None:
    for path in _modules(PACKAGE / stage):
        wrong = {
            name
            for name in _imports(path)
            if name.startswith(("feeds.builder", "feeds.cli", "feeds.__main__"))
        }
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_nothing_below_the_command_line_imports_it() -> None:
    for path in _modules(PACKAGE):
        if path.name in ("cli.py", "__main__.py"):
            continue
        assert not {n for n in _imports(path) if n.startswith("feeds.cli")}, path


def test_the_core_imports_no_stage() -> None:
    core = [p for p in PACKAGE.glob("*.py") if p.name not in ("cli.py", "__main__.py")]
    core += _modules(PACKAGE / "config")  # the config is core too, a package of its own
    for path in core:
        stages = {n for n in _imports(path) if n.split(".")[1:2] and n.split(".")[1] in (*STAGES, "builder")}
        assert not stages, f"{path.relative_to(PACKAGE)} imports {sorted(stages)}"


def test_outside_a_stage_code_imports_what_the_stage_exports() -> None:
    """``from ..output import Batch``, not ``from ..output.atomic import Batch``: the stage's face."""
    for path in _modules(PACKAGE):
        own = path.relative_to(PACKAGE).parts[0] if path.parent != PACKAGE else ""
        for name in _imports(path):
            parts = name.split(".")
            if len(parts) >= 3 and parts[1] in STAGES and parts[1] != own:
                package = importlib.import_module(f"feeds.{parts[1]}")
                assert parts[2] in package.__all__, f"{path.relative_to(PACKAGE)} reaches into {name}"


@pytest.mark.parametrize("stage", (*STAGES, "builder"))
def test_every_exported_name_resolves(stage: str) -> None:
    package = importlib.import_module(f"feeds.{stage}")
    assert package.__all__
    for name in package.__all__:
        assert getattr(package, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        package.nonesuch  # noqa: B018


def test_loading_the_command_loads_no_heavy_library() -> None:
    """Exports are lazy: a cron run that changes nothing must not pay for lxml, feedgen or requests."""
    code = (
        "import sys, feeds.cli, feeds.builder, feeds.source, feeds.output\n"
        "from feeds.source import scan, build_tree\n"
        "from feeds.output import BuildLock, load_manifest\n"
        "heavy = ('lxml', 'feedgen', 'requests', 'frontmatter', 'dateutil', 'markdown_it', 'nh3')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
