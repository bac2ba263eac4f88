"""Package exports that load their module on first use (PEP 562).

Each stage package names, in its ``__init__``, the few things the rest of the
code imports from it.  Importing all of them up front would load the heavy
libraries of every stage into a cron run that changes nothing: lxml, nh3 and
the Markdown renderers, requests (78 ms, measured on import), against 0.14 s for
the whole nothing-changed build of 10,000 posts.
So a name is looked up in its module only when someone asks for it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, modules: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` serving ``{module: names}`` from its inner modules."""
    home = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # the next lookup is a plain attribute
        return value

    return __getattr__


def exported(modules: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every name a package exports, sorted: its ``__all__``."""
    return sorted(name for names in modules.values() for name in names)
