"""Shared fixtures: the corpus copy, a config factory, and validators every feed must pass."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from hypothesis import settings
from lxml import etree

# Property tests draw the same examples on every run, so that CI never fails on an example a
# previous run did not try; HYPOTHESIS_PROFILE=explore draws new ones, to look for bugs.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
TAGGED = DATA / "tagged"  # posts with tags, authors, odd names and `feed: false`, for the feed sets
EXAMPLES = Path(__file__).parent.parent / "examples" / "posts"
ATOM = "{http://www.w3.org/2005/Atom}"

_OUTSIDE: list[str] = []  # connections the guard below stopped, for the test that made them to fail


def _loopback_only(event: str, args: tuple[Any, ...]) -> None:
    """Tests never touch the network: a socket may connect to a loopback address and nowhere else.

    An audit hook sees every connect in this process (and in the workers it forks),
    whatever library makes it, before any packet is sent.
    """
    if event != "socket.connect" or not isinstance(args[1], tuple):
        return  # a Unix socket's path
    try:
        loopback = ipaddress.ip_address(str(args[1][0]).split("%")[0]).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        _OUTSIDE.append(str(args[1]))
        raise PermissionError(f"the test suite allows no connection outside loopback: {args[1]}")


sys.addaudithook(_loopback_only)


@pytest.fixture(autouse=True)
def _no_connection_outside_loopback() -> Iterator[None]:
    _OUTSIDE.clear()
    yield
    assert not _OUTSIDE, f"connections outside loopback were attempted: {_OUTSIDE}"


@pytest.fixture(scope="session")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(DATA / "atom.rng")))


def check_feed(path: Path, schema: etree.RelaxNG) -> feedparser.FeedParserDict:
    """Well-formed XML, RFC 4287 for Atom, no bozo, and title/link/id/date on every entry."""
    data = path.read_bytes()
    doc = etree.fromstring(data)
    if doc.tag == f"{ATOM}feed":
        assert schema.validate(doc), f"{path}: {schema.error_log}"
    parsed = feedparser.parse(data)
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    count = len(doc.findall(f"{ATOM}entry")) + len(doc.findall("channel/item"))
    assert len(parsed.entries) == count
    for entry in parsed.entries:
        for key in ("title", "link", "id"):
            assert entry.get(key), f"{path}: entry without {key}: {entry.get('link')}"
        assert entry.get("published_parsed") or entry.get("updated_parsed"), f"{path}: entry without date"
    return parsed


@pytest.fixture(scope="session")
def json_schema() -> Any:
    """A validator of JSON Feed 1.1 (``tests/data/jsonfeed-1.1.schema.json``, written from the spec)."""
    from jsonschema import Draft202012Validator

    schema = json.loads((DATA / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check_json_feed(path: Path, schema: Any) -> dict[str, Any]:
    """Valid against the 1.1 schema, UTF-8 and not ASCII-escaped, and read back by the reader library.

    Returns the parsed document; every item the reader saw has its id, link, title and date.
    """
    from reader import make_reader

    data = path.read_bytes()
    # Only control characters, which JSON must escape, may be written as \\u escapes.
    assert not re.search(rb"\\u(?!00[01])[0-9a-fA-F]{4}", data.replace(b"\\\\", b"")), (
        f"{path}: ASCII-escaped"
    )
    doc = json.loads(data.decode("utf-8"))
    errors = sorted(schema.iter_errors(doc), key=str)
    assert not errors, f"{path}: {errors[0]}"
    reader = make_reader(":memory:", feed_root=str(path.parent))
    try:
        url = f"file:{path.name}"
        reader.add_feed(url)
        reader.update_feed(url)  # raises on a feed it cannot parse
        feed = reader.get_feed(url)
        assert feed.version == "json11" and feed.title == doc["title"]
        entries = {e.id: e for e in reader.get_entries(feed=url)}
    finally:
        reader.close()
    assert set(entries) == {item["id"] for item in doc["items"]}, path
    for entry in entries.values():
        assert entry.link and entry.title and entry.published, f"{path}: {entry.id}"
    return doc


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a config.yaml in tmp_path; keyword arguments become top-level keys."""

    def make(**overrides: Any) -> Path:
        config: dict[str, Any] = {
            "site": {
                "title": "Test site",
                "url": "https://blog.example.org/",
                "language": "zh-CN",
                "timezone": "Asia/Shanghai",
            },
            "source": str(CORPUS),
            "output": str(tmp_path / "public"),
            "cache": str(tmp_path / "cache"),
        }
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key] = {**config[key], **value}
            else:
                config[key] = value
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return path

    return make


def write_post(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path
