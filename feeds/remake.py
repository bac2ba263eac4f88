"""Objects of a frozen, slotted dataclass made again from their pickled values, without ``__init__``.

A build after one edit unpickles the record of every post (10,000 in 51 ms,
100,000 in half a second), each with its post: most of that is setting fields.
A frozen dataclass's ``__init__`` sets each through ``object.__setattr__``,
and a loop over the slots' setters pays for the loop; the function made here
calls each setter on a line of its own, as ``dataclasses`` writes ``__init__``.
Measured on the records of 10,000 posts: 51 ms to load with a loop for the
post and ``__init__`` for the record, 41 ms with both made here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def values_maker(cls: type[T], names: Sequence[str], name: str) -> Callable[..., T]:
    """A function of the values of ``names`` (positional, all of them) that makes a ``cls`` holding
    them; a wrong count raises TypeError, as the constructor would.  ``name`` is the module-level
    name it will be bound to, which pickle looks it up by (``cls``'s module)."""
    if not name.isidentifier():
        raise ValueError(f"not a name: {name!r}")
    params = ", ".join(f"v{i}" for i in range(len(names)))
    lines = [f"def {name}({params}):", "    made = new(cls)"]
    lines += [f"    set{i}(made, v{i})" for i in range(len(names))]
    lines.append("    return made")
    scope: dict[str, object] = {"new": object.__new__, "cls": cls}
    scope.update((f"set{i}", getattr(cls, field).__set__) for i, field in enumerate(names))
    exec("\n".join(lines), scope)  # made only of this module's words, ``name`` and counts
    made: Callable[..., T] = scope[name]  # type: ignore[assignment]
    made.__module__ = cls.__module__
    made.__qualname__ = name
    return made
