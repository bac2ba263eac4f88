"""What a body's tags name outside it: the posts and code files whose changes change its entry.

``{% post_link slug %}`` and ``{% post_path %}`` name posts, ``{% include_code %}`` a
file, Butterfly's ``{% series %}`` the posts of a series; the post's own ``series``
joins it to one.  Stored with the post (``Post.refs``), read from the body once.
"""

from __future__ import annotations

import re

from ..content import code_path

# {% post_link slug[#hash] [text] %}, {% post_path slug %}, {% include_code [title] [lang:x] path %}
_REFERENCE = re.compile(r"\{%-?\s*(post_link|post_path|include_code)\s+((?:[^%]|%(?!\}))*?)\s*-?%\}")
_SERIES = re.compile(r"\{%-?\s*series(?:\s+([^\s%]+))?\s*-?%\}")


def refs_of(body: str, series: str) -> tuple[str, ...]:
    found = references(body, series) if "{%" in body else ()
    return (*found, f"in-series:{series}") if series else found


def references(body: str, series: str = "") -> tuple[str, ...]:
    """The other posts and code files the body's tags name: their changes change this post's entry.

    ``series`` is the post's own (Butterfly's ``{% series %}`` without a name lists it)."""
    found = {f"series:{m[1] or series}" for m in _SERIES.finditer(body) if m[1] or series}
    for name, args in _REFERENCE.findall(body):
        words = args.split()
        if not words:
            continue
        if name == "include_code":
            found.add("code:" + code_path(args))
        else:
            found.add("post:" + words[0].strip("'\"").split("#")[0])
    return tuple(sorted(found))
