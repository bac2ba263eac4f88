"""YAML as Hexo reads it: front matter fast enough for 100,000 posts, and a site's own YAML files.

Hexo parses front matter with js-yaml, a YAML 1.2 parser: ``title: no`` is the
string "no", ``010`` is ten, and timestamps become dates.  yaml-rs (Rust) reads
the same YAML 1.2 and builds the Python values in native code; PyYAML's C
loader still builds them in Python and took 46 µs of a post's 50 µs here
(yaml-rs: 7 µs), which at 100,000 posts is four seconds of a cold build.

What yaml-rs refuses but PyYAML accepts (a tab after ``key:``, which js-yaml
allows too) is read by PyYAML rather than losing the post: leniency over
purity for files a scraper wrote.  Only when both refuse is it an error, with
yaml-rs's message, which names line and column.

A site's YAML files (``_config.yml``, ``_config.<theme>.yml``, ``source/_data/*.yml``) go through
:func:`feeds.siteyaml.load_site_file` instead, with the rules of Hexo's yaml renderer.
"""

from __future__ import annotations

import re
from typing import Any

import yaml_rs

_LAST_WINS = yaml_rs.DuplicateKeyPolicy.LastWins  # js-yaml refuses duplicates; PyYAML keeps the last
_WHERE = re.compile(r"at line (\d+), column (\d+)")


class YAMLProblem(ValueError):
    """The text is not YAML either parser accepts: what is wrong, and the line and column if known."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None):
        super().__init__(problem if line is None else f"{problem} (line {line}, column {column})")
        self.problem, self.line, self.column = problem, line, column


def load(text: str) -> Any:
    """The value of one YAML document; :class:`YAMLProblem` when it cannot be read."""
    try:
        return yaml_rs.loads(text, duplicate_key_policy=_LAST_WINS)
    except Exception as e:  # YAMLDecodeError, and others for odd tags (`!!bool maybe`: KeyError)
        first = e
    import yaml  # PyYAML: only for what yaml-rs refused

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # PyYAML too fails on odd tags with plain Python errors
        raise _problem(first) from first


def _problem(error: Exception) -> YAMLProblem:
    """yaml-rs's message without its excerpt of the text (which may be long, or odd to print)."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    where = _WHERE.search(lines[0]) if lines else None
    if where is None:
        message = " ".join(line.strip() for line in lines)
        if not isinstance(error, yaml_rs.YAMLDecodeError):
            message = f"{type(error).__name__}: {message}" if message else type(error).__name__
        return YAMLProblem(message or type(error).__name__)
    return YAMLProblem(lines[-1].strip(), int(where[1]), int(where[2]))
