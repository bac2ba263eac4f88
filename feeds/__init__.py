"""feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds for every category of a Hexo blog."""

from __future__ import annotations

# The one source of the version: pyproject.toml reads it, and it is part of the caches' keys, so a new
# version starts every post and content cache afresh.
__version__ = "0.2.0"

# The project's home page, as pyproject.toml's [project.urls] Homepage names it (a test holds the two
# equal), or None while it names none.  Feeds carry it in their generator element and requests in
# their User-Agent, so it must be an address the project owns: none is better than a guess.  A
# constant, not read from the installed metadata: importing importlib.metadata and searching the
# path took 56 to 94 ms of every build that wrote a feed (0.9 s when one post changed at 10,000).
HOME_PAGE: str | None = None


def home_page() -> str | None:
    """:data:`HOME_PAGE`, looked up when called, so that a test may stand another in its place."""
    return HOME_PAGE


def user_agent() -> str:
    home = home_page()
    return f"feeds/{__version__}" + (f" (+{home})" if home else "")
