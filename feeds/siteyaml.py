"""A Hexo site's own YAML files read as Hexo's yaml renderer reads them, so a config Hexo loads loads here.

Hexo reads ``_config.yml``, ``_config.<theme>.yml`` and ``source/_data/*.yml`` with js-yaml's
default schema extended by js-yaml-js-types, after hexo-front-matter's ``escape``.  Blogs rely on
all three differences from plain YAML 1.2 (front matter has its own reader in ``yamltext.py``):

- a tab that starts a line counts as two spaces (a plugin's section indented with tabs);
- ``!!js/regexp /re/flags`` is a pattern (markdown-it's ``ignoreCustomComments``): here a
  :class:`JSRegExp`, a string of its source that keeps its flags; ``!!js/undefined`` is a
  value that is not there (a mapping's key left out, ``None`` in a list), as JSON sees it;
- ``!!js/function`` is code Hexo would run: refused, for that key only, with a warning naming
  the file and the key, rather than the whole site;

and js-yaml's types: ``yes`` and ``on`` are words, ``010`` is ten, ``0o10`` eight, ``<<`` merges,
and every mapping key is a string, as in a JavaScript object.  PyYAML parses (its resolvers
replaced by js-yaml's): a config is read once, and yaml-rs knows neither these tags nor ``<<``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from typing import Any, ClassVar

import yaml

from .yamltext import YAMLProblem

log = logging.getLogger(__name__)

_TAG = "tag:yaml.org,2002:"
_LEADING_TABS = re.compile(r"\n(\t+)")  # hexo-front-matter's escape: not the first line's
# js-yaml 4's default schema, in its order: null, bool, int, float, then timestamp and merge.
_IMPLICIT = (
    ("null", r"^(?:~|null|Null|NULL|)$"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$"),
    ("int", r"^[-+]?(?:0b[01]+|0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$"),
    (
        "float",
        r"^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    ),
    (
        "timestamp",
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}"
        r":[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
    ),
    ("merge", r"^<<$"),
)
_REGEXP_TAIL = re.compile(r"/([gim]*)$")
_INT_BASES = {"0b": 2, "0x": 16, "0o": 8}


class JSRegExp(str):
    """A ``!!js/regexp``: the pattern's source as a string, and its flags (``g``, ``i``, ``m``)."""

    flags: str

    def __new__(cls, source: str, flags: str = "") -> JSRegExp:
        value = super().__new__(cls, source)
        value.flags = flags
        return value


class _Undefined:
    """``!!js/undefined``: removed from the result once it is read."""


class _Function:
    """``!!js/function``: removed, with a warning, once the keys around it are known."""


_UNDEFINED = _Undefined()
_FUNCTION = _Function()
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """PyYAML with js-yaml's implicit types and js-yaml-js-types' three tags."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {
        None: [(_TAG + name, re.compile(pattern)) for name, pattern in _IMPLICIT]
    }
    yaml_constructors: ClassVar[dict[Any, Any]] = dict(_Base.yaml_constructors)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        """Keys as JavaScript strings (``1`` is ``"1"``, a list ``"a,b"``), the last of a repeated key."""
        self.flatten_mapping(node)
        return {
            _js_key(self.construct_object(key, deep=True)): self.construct_object(value, deep=deep)
            for key, value in node.value
        }


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    base = _INT_BASES.get(digits[:2], 10)
    return sign * int(digits[2:] if base != 10 else digits, base)  # "010" is ten, as parseInt reads it


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(".nan"):
        return math.nan
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    return float(text)


def _construct_regexp(loader: _Loader, node: yaml.ScalarNode) -> JSRegExp:
    """js-yaml-js-types' rule: ``/source/flags`` (at most three of g, i, m), or a bare source."""
    text = str(loader.construct_scalar(node))
    if not text.startswith("/"):
        if not text:
            raise yaml.constructor.ConstructorError(None, None, "an empty !!js/regexp", node.start_mark)
        return JSRegExp(text)
    tail = _REGEXP_TAIL.search(text)
    flags = tail[1] if tail else ""
    if len(flags) > 3 or len(text) < len(flags) + 2 or text[-len(flags) - 1] != "/":
        raise yaml.constructor.ConstructorError(
            None, None, f"not a /pattern/flags !!js/regexp: {text!r}", node.start_mark
        )
    return JSRegExp(text[1 : len(text) - len(flags) - 1], flags)


_Loader.add_constructor(_TAG + "int", _construct_int)
_Loader.add_constructor(_TAG + "float", _construct_float)
_Loader.add_constructor(_TAG + "js/regexp", _construct_regexp)
_Loader.add_constructor(_TAG + "js/undefined", lambda loader, node: _UNDEFINED)
_Loader.add_constructor(_TAG + "js/function", lambda loader, node: _FUNCTION)


def load_site_file(text: str, name: str) -> Any:
    """The value of a site's YAML file named ``name`` (for warnings), or :class:`YAMLProblem`."""
    escaped = _LEADING_TABS.sub(lambda m: "\n" + "  " * len(m[1]), text) if "\n\t" in text else text
    try:
        value = yaml.load(escaped, Loader=_Loader)  # a SafeLoader: no Python objects
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(p for p in (e.context, e.problem) if p) or "not YAML"
        raise YAMLProblem(problem, *((mark.line + 1, mark.column + 1) if mark else ())) from e
    except (yaml.YAMLError, ValueError, OverflowError) as e:  # a date that is no date, say
        raise YAMLProblem(f"{type(e).__name__}: {e}") from e
    except RecursionError as e:
        raise YAMLProblem("nested too deeply to read") from e
    return _clean(value, name, "", {})


def _clean(value: Any, name: str, where: str, seen: dict[int, Any]) -> Any:
    """``value`` without its undefined and function values; each container once (aliases share)."""
    if not isinstance(value, dict | list):
        return value
    if id(value) in seen:
        return seen[id(value)]
    if isinstance(value, list):
        out: Any = seen.setdefault(id(value), [])
        for i, item in enumerate(value):
            _warn_function(item, name, f"{where}[{i}]")
            out.append(None if isinstance(item, _Undefined | _Function) else _clean(item, name, where, seen))
        return out
    out = seen.setdefault(id(value), {})
    for key, item in value.items():
        dotted = f"{where}.{key}" if where else key
        _warn_function(item, name, dotted)
        if not isinstance(item, _Undefined | _Function):
            out[key] = _clean(item, name, dotted, seen)
    return out


def _warn_function(value: Any, name: str, where: str) -> None:
    if isinstance(value, _Function):
        log.warning(
            "%s: %s is a JavaScript function (!!js/function), which feeds never runs; ignored", name, where
        )


def _js_key(key: Any) -> str:
    """A mapping key as JavaScript's ``String()`` writes it, since Hexo's objects have string keys."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        if math.isnan(key):
            return "NaN"
        if math.isinf(key):
            return "Infinity" if key > 0 else "-Infinity"
        return str(int(key)) if key.is_integer() and abs(key) < 1e21 else repr(key)
    if isinstance(key, list | tuple):
        return ",".join("" if k is None else _js_key(k) for k in key)
    if isinstance(key, dict):
        return "[object Object]"
    if isinstance(key, dt.datetime | dt.date):
        return key.isoformat()
    return str(key)
