"""Hexo's ``{% include_code [title] [lang:x] [from:n] [to:m] path %}``: a file of the site's code folder.

The only place a body reaches the disk: the path is the post's, so it is
resolved and must stay inside the code folder (``posts.code_dir``), symbolic
links included, and a file larger than :data:`MAX_CODE` is left out.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

from ..models import Site


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


_CODE_ARGS = re.compile(r"\s*(lang|from|to):(\w+)", re.IGNORECASE)
MAX_CODE = 1 << 20  # bytes of an included file; a larger one is left out


def code_args(args: str) -> tuple[str, str, dict[str, str]]:
    """include_code's arguments as Hexo reads them: (title, path, {lang, from, to})."""
    options: dict[str, str] = {}

    def take(m: re.Match[str]) -> str:
        options.setdefault(m[1].lower(), m[2])
        return ""

    rest = _CODE_ARGS.sub(take, args).strip()
    title, _, path = rest.rpartition(" ")
    return title.strip(), path, options


def code_path(args: str) -> str:
    return code_args(args)[1]


def code_file(site: Site, path: str) -> Path | None:
    """The file ``path`` names in the code folder; None for one outside it (``..``, a link out)."""
    if not path or not site.code_dir:
        return None
    folder = Path(site.code_dir).resolve()
    target = (folder / path.lstrip("/")).resolve()
    return target if target.is_relative_to(folder) else None


def include_code(args: str, site: Site) -> str:
    """The file from the site's code folder, as a code block with a link to it; nothing if it is not there.

    The path comes from the post: it must name a file inside the code folder,
    not a link or ``..`` out of it.
    """
    title, path, options = code_args(args)
    target = code_file(site, path)
    try:
        if target is None or not target.is_file() or target.stat().st_size > MAX_CODE:
            return ""
        code = target.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = code.split("\n")
    first = max(int(options["from"]) - 1, 0) if options.get("from", "").isdigit() else 0
    last = int(options["to"]) if options.get("to", "").isdigit() else len(lines)
    code = "\n".join(lines[first:last]).strip()
    lang = options.get("lang") or Path(path).suffix[1:]
    url = site.code_url + quote(target.relative_to(Path(site.code_dir).resolve()).as_posix(), safe="/")
    caption = f'<span>{_escape(title or Path(path).name)}</span><a href="{_escape(url)}">view raw</a>'
    cls = f' class="{_escape("language-" + lang)}"' if lang else ""
    return f"<figure><figcaption>{caption}</figcaption><pre><code{cls}>{_escape(code)}</code></pre></figure>"
