"""The fetcher inside a build: enclosures and media metadata in real feeds, served from 127.0.0.1."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feeds.builder import build
from feeds.cli import main
from feeds.config import load_config

from ..conftest import ATOM, DATA, check_feed, write_post

JPEG = (DATA / "images" / "baseline.jpg").read_bytes()
MEDIA = "{http://search.yahoo.com/mrss/}"


def serve_jpeg(request: Request) -> Response:
    m = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("Range", ""))
    if m:
        part = JPEG[int(m.group(1)) : int(m.group(2)) + 1]
        headers = {"Content-Range": f"bytes 0-{len(part) - 1}/{len(JPEG)}"}
        return Response(part, 206, headers=headers, content_type="image/jpeg")
    return Response(JPEG, 200, content_type="image/jpeg")


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    server.expect_request("/img/a.jpg").respond_with_handler(serve_jpeg)
    server.expect_request("/random").respond_with_response(
        Response(status=302, headers={"Location": "/img/a.jpg"})
    )
    server.expect_request("/missing.jpg").respond_with_data("no", status=404)
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def site(tmp_path: Path, server: HTTPServer, make_config: Callable[..., Path]) -> Path:
    src = tmp_path / "src"
    posts = [("a.md", "/random", 3), ("b.md", "/missing.jpg", 2), ("c.md", "/img/a.jpg", 1)]
    for name, thumb, day in posts:
        url = server.url_for(thumb)
        text = f"---\ntitle: {name}\ndate: 2021-01-0{day}\ncategories: [X]\nthumbnail: '{url}'\n---\nhi"
        write_post(src, name, text)
    return make_config(source=str(src), fetch={"enabled": True, "allow_private": True, "budget": 10})


def one_post_with_thumbnail(tmp_path: Path, server: HTTPServer) -> Path:
    """A source folder with one post whose thumbnail is the server's JPEG."""
    src = tmp_path / "src"
    url = server.url_for("/img/a.jpg")
    write_post(src, "p.md", f"---\ntitle: P\ndate: 2021-01-01\nthumbnail: '{url}'\n---\nhi")
    return src


def requests_made(server: HTTPServer) -> int:
    return len(server.log)


def test_resolved_thumbnails_become_enclosures_and_media(
    site: Path, server: HTTPServer, atom_schema: etree.RelaxNG, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(site)
    with caplog.at_level(logging.WARNING):
        report = build(config)
    assert (report.thumbnails_fetched, report.thumbnails_cached, report.thumbnails_failed) == (2, 0, 1)
    assert "b.md: thumbnail " in caplog.text and "/missing.jpg" in caplog.text
    final = server.url_for("/img/a.jpg")
    for path in config.output.rglob("*.xml"):
        check_feed(path, atom_schema)
    rss = etree.parse(str(config.output / "categories/X/rss.xml")).getroot()
    items = {item.findtext("title"): item for item in rss.iter("item")}
    for name in ("a.md", "c.md"):
        item = items[name]
        (enclosure,) = item.findall("enclosure")
        assert enclosure.attrib == {"url": final, "length": str(len(JPEG)), "type": "image/jpeg"}
        content = item.find(f"{MEDIA}content")
        assert content is not None and content.attrib == {
            "url": final, "medium": "image", "width": "13", "height": "7", "type": "image/jpeg",
            "fileSize": str(len(JPEG)),
        }  # fmt: skip
        thumb = item.find(f"{MEDIA}thumbnail")
        assert thumb is not None and thumb.attrib == {"url": final, "width": "13", "height": "7"}
    failed = items["b.md"]
    assert failed.find("enclosure") is None and failed.find(f"{MEDIA}content") is None
    assert failed.find(f"{MEDIA}thumbnail").attrib == {"url": server.url_for("/missing.jpg")}
    assert b"media:group" not in (config.output / "categories/X/rss.xml").read_bytes()
    atom = etree.parse(str(config.output / "categories/X/atom.xml")).getroot()
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "a.md")
    links = [dict(link.attrib) for link in entry.findall(f"{ATOM}link")]
    assert links[0].get("rel", "alternate") == "alternate" and links[0]["href"].endswith("/a/")
    assert {"href": final, "rel": "enclosure", "type": "image/jpeg", "length": str(len(JPEG))} in links
    parsed = feedparser.parse((config.output / "categories/X/atom.xml").read_bytes())
    by_title = {e.title: e for e in parsed.entries}
    assert by_title["a.md"].link.endswith("/a/")  # the enclosure did not become the alternate link
    assert by_title["a.md"].enclosures[0]["href"] == final
    assert not by_title["b.md"].get("enclosures")


def test_second_build_makes_no_request_and_offline_none_at_all(site: Path, server: HTTPServer) -> None:
    config = load_config(site)
    build(config)
    before = requests_made(server)
    second = build(config)
    assert requests_made(server) == before
    assert second.thumbnails_cached == 2 and second.thumbnails_fetched == 0
    assert second.feeds_written == 0
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--config", str(site), "--offline"])
    assert result.exit_code == 0 and "thumbnails: 0 fetched, 2 cached" in result.stdout
    assert requests_made(server) == before


def test_fetch_is_off_by_default_and_on_with_the_flag(
    tmp_path: Path, server: HTTPServer, make_config: Callable[..., Path]
) -> None:
    src = one_post_with_thumbnail(tmp_path, server)
    path = make_config(source=str(src), fetch={"allow_private": True})
    runner = CliRunner()
    plain = runner.invoke(main, ["build", "--config", str(path)])
    assert plain.exit_code == 0 and requests_made(server) == 0 and "thumbnails" not in plain.stdout
    rss = (tmp_path / "public/rss.xml").read_bytes()
    assert b"<enclosure" not in rss and b"media:thumbnail" in rss
    fetched = runner.invoke(main, ["build", "--config", str(path), "--fetch"])
    assert fetched.exit_code == 0 and "thumbnails: 1 fetched, 0 cached, 0 failed" in fetched.stdout
    assert b"<enclosure" in (tmp_path / "public/rss.xml").read_bytes()


def test_private_addresses_are_refused_by_default(
    tmp_path: Path, server: HTTPServer, make_config: Callable[..., Path]
) -> None:
    src = one_post_with_thumbnail(tmp_path, server)
    config = load_config(make_config(source=str(src), fetch={"enabled": True}))
    report = build(config)
    assert report.thumbnails_failed == 1 and requests_made(server) == 0
    assert b"<enclosure" not in (config.output / "rss.xml").read_bytes()
