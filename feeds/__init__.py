"""feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds for every category of a Hexo blog."""

from __future__ import annotations

from functools import lru_cache

# The one source of the version: pyproject.toml reads it, and it is part of the caches' keys, so a new
# version starts every post and content cache afresh.
__version__ = "0.2.0"

_HOME_LABELS = ("homepage", "home", "source", "repository")


@lru_cache(maxsize=1)
def home_page() -> str | None:
    """The project's home page from its installed metadata (``project.urls``), or None if it names none.

    Feeds carry it in their generator element and requests in their User-Agent,
    so it must be an address the project owns: none is better than a guess.
    Looked up on first use: importlib.metadata is not needed by a build that
    writes and fetches nothing.
    """
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("feeds")
    except PackageNotFoundError:
        return None
    urls = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip().lower().replace(" ", "").replace("-", "")] = url.strip()
    found = next((urls[label] for label in _HOME_LABELS if urls.get(label)), None)
    return found or next(iter(meta.get_all("Home-page") or []), None) or None


def user_agent() -> str:
    home = home_page()
    return f"feeds/{__version__}" + (f" (+{home})" if home else "")
