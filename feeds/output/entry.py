"""One entry as every format sees it: the post, its cleaned content, its image and how much to show.

Kept apart from the writers so that the JSON Feed serialiser, which needs no
XML library, does not load feedgen and lxml to learn what an entry is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ..models import Content, Image, Post
from ..text import summary_html

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Fragment = bytes | memoryview  # one serialised entry; a view into the document it was serialised in


@dataclass(frozen=True)
class Entry:
    post: Post
    content: Content
    image: Image | None = None  # resolved by the fetcher; None: original thumbnail URL only
    include: str = "full"  # full | summary | none: what goes into content

    @property
    def title(self) -> str:
        return self.post.title or self.content.first_text or self.post.rel


def body(entry: Entry) -> str:
    """The HTML that goes into an entry's content, by ``feeds.content``; empty: no content."""
    if entry.include == "full":
        return entry.content.html
    if entry.include == "summary":
        return summary_html(entry.content.summary)
    return ""


def terms(post: Post) -> list[str]:
    """Every category name (each level) and tag, once each, in order: the entry's categories/tags."""
    return list(dict.fromkeys([name for path in post.categories for name in path] + list(post.tags)))


def newest(entries: Sequence[Entry]) -> datetime:
    return max((e.post.updated for e in entries), default=EPOCH)
