"""Split a post into front matter and body as hexo-front-matter does, and read the front matter.

Hexo accepts more than the ``---``-fenced YAML most tools know, and its users
write all of it (Hexo's own theme test blog has no opening ``---``):

- ``---`` (three or more dashes) on the first line, the data, then the same
  separator again; whatever follows is the body;
- no opening line: the data, then a line of three or more dashes; the text
  before it is front matter if it reads as a YAML mapping (a paragraph above
  a ``---`` rule reads as a string, and the file stays whole), and, as in
  Hexo, a post whose text there is not YAML at all cannot be read;
- ``;;;`` instead of dashes: the data is JSON, the members of an object
  without its braces;
- tabs that start a YAML line count as two spaces each.

Before that, the text is decoded as UTF-8 with a BOM dropped and line ends
made LF (as Hexo's file reader does), and stripped, so the blank lines a
scraper left before ``---`` do not hide the front matter (Hexo would read
those posts as the second form, to the same result).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import PostError
from ..yamltext import YAMLProblem, load

# hexo-front-matter 4.2.1's three patterns (lib/front_matter.ts; Hexo 8 depends on ^4.2.1), on text
# whose line ends are LF.  A closing separator need not end its line: what follows starts the body.
# The first, r"^(-{3,}|;{3,})\n([\s\S]+?)\n\1\n?([\s\S]*)", is done by hand in split().
_OPENING = re.compile(r"^(?:-{3,}|;{3,})")
_CLOSED = re.compile(r"^([\s\S]+?)\n(-{3,}|;{3,})\n?([\s\S]*)")
_LEADING_TABS = re.compile(r"\n(\t+)")
_BLANK_LINES = re.compile(r"^(?:[^\S\n]*\n)+")
_BOM = b"\xef\xbb\xbf"


def _body(text: str) -> str:
    """The body without blank lines around it; its first line keeps its indentation, which makes
    a Markdown code block in Hexo (a body that opens with an indented line shows it as code)."""
    return _BLANK_LINES.sub("", text, count=1).rstrip()


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 text with any BOM dropped, line ends made LF, and the ends stripped."""
    bom = 3 if data.startswith(_BOM) else 0
    try:
        # "utf-8", not "utf-8-sig": the one is C all the way, the other a codec written in Python
        # (4 of the 9 µs a corpus post took to decode).  A byte's place counts the BOM, as it did.
        text = data[bom:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as e:
        at = e.start + bom
        raise PostError(f"not UTF-8 (byte {at}: {data[at : at + 1]!r})", path=Path(path)) from e
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def split(text: str) -> tuple[str | None, str, str]:
    """(front matter text or None, body, separator): the split alone, before the data is read.

    The fenced form is the first of hexo-front-matter's patterns done with
    ``str.find``: the same first closing separator, in half the time python-frontmatter's
    split took (1.35 against 2.78 µs on a corpus post).
    """
    m = _OPENING.match(text)
    if m:
        separator, start = m[0], m.end()
        end = text.find("\n" + separator, start + 2) if text.startswith("\n", start) else -1
        if end == -1:
            return None, text, ""  # an opening separator that never closes: all body, as in Hexo
        body = end + 1 + len(separator)
        return text[start + 1 : end], _body(text[body + text.startswith("\n", body) :]), separator
    m = _CLOSED.match(text)
    if m:
        return m[1], _body(m[3] or ""), m[2]
    return None, text, ""


def parse(text: str, path: Path | str) -> tuple[dict[Any, Any], str]:
    """(front matter, body); a file with no front matter Hexo would take is all body.

    Raises PostError for front matter that is fenced but cannot be read, or
    reads as something other than a mapping: Hexo fails on the one and makes
    a post of nothing on the other, and either is worth a look.
    """
    raw, body, separator = split(text)
    if raw is None:
        return {}, text
    fenced = text.startswith(separator)  # the unfenced form never starts with its separator
    try:
        data = _read(raw, separator, fenced)
    except json.JSONDecodeError:
        return {}, text  # hexo-front-matter drops JSON it cannot read: the file is all body
    except RecursionError as e:  # nested past what the reader will go (JSON or YAML)
        raise PostError("front matter is nested too deeply to read", path=Path(path)) from e
    except YAMLProblem as e:
        raise PostError(f"front matter is not valid YAML: {e}", path=Path(path)) from e
    if isinstance(data, list):  # Hexo makes a post of nothing from it; a person should look
        raise PostError("front matter is a list, not a mapping of keys", path=Path(path))
    if not isinstance(data, dict):
        return {}, text  # nothing, or a scalar (a paragraph above a `---` rule): all body
    return data, body


def body_of(text: str, whole: bool) -> str:
    """The body of a post read before: all of ``text`` when :func:`parse` took no front matter from it.

    ``whole`` saves reading the YAML again for the few posts that show.
    """
    return text if whole else split(text)[1]


def _read(raw: str, separator: str, fenced: bool) -> Any:
    if separator.startswith(";"):
        return json.loads("{" + raw + "}")
    yaml = _LEADING_TABS.sub(lambda m: "\n" + "  " * len(m[1]), raw) if "\n\t" in raw else raw
    # Fenced data starts on the file's second line: a blank first line makes the lines an error
    # names those an editor shows.
    return load("\n" + yaml if fenced else yaml)
