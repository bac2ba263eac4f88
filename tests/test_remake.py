"""Posts and their records made again from pickled values without their constructors."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, fields
from datetime import UTC, datetime

import pytest

from feeds.builder.postcache import PostRecord
from feeds.models import Post
from feeds.remake import values_maker


@dataclass(frozen=True, slots=True)
class _Pair:
    left: int
    right: str = "r"

    def __post_init__(self) -> None:
        raise AssertionError("__init__ ran")  # made again, the object never passes through it


_pair = values_maker(_Pair, ("left", "right"), "_pair")


def test_the_maker_sets_every_slot_and_skips_init() -> None:
    made = _pair(1, "x")
    assert type(made) is _Pair and (made.left, made.right) == (1, "x")
    with pytest.raises(TypeError):
        _pair(1)  # every value is required, defaults or not: never an object half made
    with pytest.raises(TypeError):
        _pair(1, "x", "extra")
    with pytest.raises(ValueError, match="not a name"):
        values_maker(_Pair, ("left", "right"), "made = 1\ndef f")
    with pytest.raises(ValueError, match="not a name"):
        values_maker(_Pair, ("left", "right"), "class")
    with pytest.raises(ValueError, match="not its slots"):
        values_maker(_Pair, ("left",), "_half")  # a slot left unset would fail later, far away


def _post() -> Post:
    when = datetime(2021, 5, 6, 7, 8, 9, tzinfo=UTC)
    return Post(
        root="/site/source/_posts/",
        rel="a/b.md",
        title="T",
        date=when,
        updated=when,
        permalink="https://example.org/a/b/",
        id="https://example.org/a/b/",
        categories=(("A", "B"),),
        tags=("t",),
        protection="",
    )


def test_posts_and_records_come_back_equal_through_pickle() -> None:
    post = _post()
    record = PostRecord(10, 20, b"digest", post, None)
    back = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == record and back.post == post
    assert all(getattr(back.post, f.name) == getattr(post, f.name) for f in fields(Post))
    assert back.post.path == "/site/source/_posts/a/b.md" and back.post.slug == "a/b"
    draft = PostRecord(1, 2, b"", None, "why")
    assert pickle.loads(pickle.dumps(draft)) == draft
