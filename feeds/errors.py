"""One exception family for everything feeds raises on purpose.

Outside errors (YAML, OS, HTTP, lxml) are converted where they enter, so a
caller only ever needs to catch :class:`FeedsError` and can print it as is:
every message already names the file, config key or URL at fault.
"""

from __future__ import annotations

from pathlib import Path


class FeedsError(Exception):
    """Base class: the message is meant for a person and is complete."""

    def __reduce__(self) -> tuple[object, ...]:
        """Errors travel back from worker processes; keep the keyword arguments on the way."""
        fields = {k: v for k, v in vars(self).items() if k in ("key", "path", "url")}
        return (_rebuild, (type(self), getattr(self, "reason", str(self)), fields))


def _rebuild(cls: type[FeedsError], message: str, fields: dict[str, object]) -> FeedsError:
    return cls(message, **fields)


class ConfigError(FeedsError):
    """The config file is missing, unreadable or wrong; ``key`` names the culprit."""

    def __init__(self, message: str, *, key: str | None = None, path: Path | None = None):
        self.key = key
        self.path = path
        self.reason = message
        where = f"{path}: " if path else ""
        what = f"{key}: " if key else ""
        super().__init__(f"{where}{what}{message}")


class SourceError(FeedsError):
    """The source folder cannot be read at all (as opposed to one bad post)."""

    def __init__(self, message: str, *, path: Path):
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")


class PostError(FeedsError):
    """One post cannot be used; the build skips it and goes on."""

    def __init__(self, message: str, *, path: Path):
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")


class FetchError(FeedsError):
    """A thumbnail could not be resolved; the entry keeps its original URL."""

    def __init__(self, message: str, *, url: str):
        self.url = url
        self.reason = message
        super().__init__(f"{url}: {message}")


class LockError(FeedsError):
    """Another build holds the output folder."""

    def __init__(self, message: str, *, path: Path):
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")


class OutputError(FeedsError):
    """A feed file could not be written."""

    def __init__(self, message: str, *, path: Path):
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")
