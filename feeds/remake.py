"""Objects of a frozen, slotted dataclass made again from their pickled values, without ``__init__``.

A build after one edit unpickles the record of every post, each with its post,
and much of that time goes to setting fields. A frozen dataclass's
``__init__`` sets each through ``object.__setattr__``, and a loop over the
slots' setters pays for the loop; the function made here calls each setter on
a line of its own, as ``dataclasses`` writes ``__init__``. The records of
10,000 posts load in about three quarters of the time (see
``docs/performance.md``, *Less held*).
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

T = TypeVar("T")


def values_maker(cls: type[T], names: Sequence[str], name: str) -> Callable[..., T]:
    """A function of the values of ``names`` (positional, every one required: no defaults) that
    makes a ``cls`` holding them.  ``names`` must be ``cls``'s slots in order, so that none is
    left unset; ``name`` is the module-level name the function will be bound to in ``cls``'s
    module, which pickle finds it by."""
    if tuple(names) != getattr(cls, "__slots__", None):
        raise ValueError(f"{cls.__name__}: {tuple(names)} are not its slots in order")
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_remake_"):
        raise ValueError(f"not a name for the function: {name!r}")
    params = ", ".join(f"v{i}" for i in range(len(names)))
    lines = [f"def {name}({params}):", "    made = _remake_new(_remake_cls)"]
    lines += [f"    _remake_set{i}(made, v{i})" for i in range(len(names))]
    lines.append("    return made")
    scope: dict[str, object] = {"_remake_new": object.__new__, "_remake_cls": cls}
    scope.update((f"_remake_set{i}", getattr(cls, field).__set__) for i, field in enumerate(names))
    exec("\n".join(lines), scope)  # made only of this module's words, ``name`` and counts
    made = cast("Callable[..., T]", scope[name])
    made.__module__ = cls.__module__
    made.__qualname__ = name
    return made
