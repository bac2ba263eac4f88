"""WebSub publish notifications, against a real HTTP server on 127.0.0.1 playing the hub."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feeds.builder import build
from feeds.cli import main
from feeds.config import FetchConfig, load_config
from feeds.websub import publish

from ..conftest import DATA

BLOG = DATA / "listing-blog"
FEEDS = 18  # the blog's site feed and 8 categories, in RSS and Atom


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("feeds.websub.notify._sleep", lambda _s: None)


@pytest.fixture
def hub(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    yield httpserver
    httpserver.clear()


def pings(server: HTTPServer) -> list[dict[str, list[str]]]:
    return [parse_qs(request.get_data(as_text=True)) for request, _ in server.log]


def url_of(name: str) -> str:
    return "https://blog.example.org/" + "/".join(quote(part, safe="") for part in name.split("/"))


def blog(tmp_path: Path, make_config: Callable[..., Path], hubs: list[str], **fetch: object) -> Path:
    source = tmp_path / "posts"
    source.mkdir()
    for post in BLOG.iterdir():
        (source / post.name).write_bytes(post.read_bytes())
    return make_config(source=str(source), websub={"hubs": hubs}, fetch={"retries": 2, **fetch})


def test_a_build_that_changed_feeds_notifies_the_hub_of_exactly_those(
    hub: HTTPServer, tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    hub.expect_request("/hub", method="POST").respond_with_data("", status=204)
    config = load_config(blog(tmp_path, make_config, [hub.url_for("/hub")]))
    first = build(config)
    assert (first.pings_sent, first.pings_failed) == (1, 0)
    [ping] = pings(hub)
    assert ping["hub.mode"] == ["publish"]
    written = {p.relative_to(config.output).as_posix() for p in config.output.rglob("*.xml")}
    assert sorted(ping["hub.url"]) == sorted(url_of(name) for name in written)
    assert len(ping["hub.url"]) == FEEDS
    request = hub.log[0][0]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["User-Agent"].startswith("feeds/")

    hub.clear_log()
    assert build(config).pings_sent == 0 and not hub.log  # nothing changed: nothing to say
    post = config.source / "python-tips.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Some tips.", "More tips."), encoding="utf-8")
    third = build(config)
    assert third.pings_sent == 1
    assert sorted(pings(hub)[0]["hub.url"]) == sorted(
        f"https://blog.example.org/{folder}{fmt}.xml"
        for folder in ("", "categories/Tech/", "categories/Tech/Python/")
        for fmt in ("rss", "atom")
    )


def test_offline_sends_nothing(hub: HTTPServer, tmp_path: Path, make_config: Callable[..., Path]) -> None:
    hub.expect_request("/hub").respond_with_data("", status=204)
    report = build(load_config(blog(tmp_path, make_config, [hub.url_for("/hub")])), offline=True)
    assert report.feeds_written == FEEDS and report.pings_sent == 0 and not hub.log


def test_a_failing_hub_is_a_warning_and_counted(
    hub: HTTPServer, tmp_path: Path, make_config: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    hub.expect_request("/broken").respond_with_data("no", status=503)
    hub.expect_request("/good").respond_with_data("", status=202)
    config = blog(tmp_path, make_config, [hub.url_for("/broken"), hub.url_for("/good")])
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["websub"] == {"sent": 1, "failed": 1}
    assert summary["feeds"]["written"] == FEEDS
    assert len([r for r in hub.log if r[0].path == "/broken"]) == 3  # one try and two retries
    assert "/broken: answered HTTP 503" in result.stderr


def test_retries_after_a_busy_answer(hub: HTTPServer) -> None:
    answers = iter([Response("busy", status=429, headers={"Retry-After": "1"}), Response("", status=204)])
    hub.expect_request("/hub").respond_with_handler(lambda _r: next(answers))
    done = publish([hub.url_for("/hub")], ["https://a.example/atom.xml"], FetchConfig(retries=2))
    assert (done.sent, done.failed) == (1, 0) and len(hub.log) == 2


def test_a_refused_or_redirecting_hub_is_not_retried(hub: HTTPServer) -> None:
    hub.expect_request("/gone").respond_with_data("", status=404)
    hub.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/gone"})
    done = publish([hub.url_for("/gone"), hub.url_for("/moved")], ["https://a.example/x"], FetchConfig())
    assert (done.sent, done.failed) == (0, 2) and len(hub.log) == 2
    assert "answered HTTP 301" in done.failures[1]


def test_urls_go_in_batches(hub: HTTPServer) -> None:
    hub.expect_request("/hub").respond_with_data("", status=204)
    urls = [f"https://a.example/{i}/atom.xml" for i in range(120)]
    done = publish([hub.url_for("/hub")], urls + urls[:5], FetchConfig())
    assert (done.sent, done.failed, done.urls) == (3, 0, 120)
    batches = [ping["hub.url"] for ping in pings(hub)]
    assert [len(b) for b in batches] == [50, 50, 20]
    assert sorted(u for b in batches for u in b) == sorted(urls)


def test_a_silent_hub_costs_the_read_timeout_and_no_connection_costs_the_retries(hub: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response("", status=204)

    hub.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    done = publish([hub.url_for("/slow")], ["https://a.example/x"], FetchConfig(read_timeout=0.3))
    assert done.failed == 1 and "request failed" in done.failures[0] and time.monotonic() - started < 1.0
    closed = f"http://127.0.0.1:{_free_port()}/hub"
    done = publish([closed], ["https://a.example/x"], FetchConfig(retries=1))
    assert done.failed == 1 and "connection failed" in done.failures[0]


def test_the_budget_bounds_every_hub(hub: HTTPServer) -> None:
    hub.expect_request("/hub").respond_with_data("", status=204)
    done = publish([hub.url_for("/hub")], ["https://a.example/x"], FetchConfig(budget=0))
    assert done.failed == 1 and "budget ran out" in done.failures[0] and not hub.log


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_new_hub_rewrites_every_feed(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    config = load_config(blog(tmp_path, make_config, []))
    build(config)
    make_config(source=str(config.source), websub={"hubs": ["https://hub.example/"]})
    report = build(load_config(tmp_path / "config.yaml"), offline=True)
    assert report.feeds_written == FEEDS
    assert b'<atom:link href="https://hub.example/" rel="hub"/>' in (config.output / "rss.xml").read_bytes()


def test_archive_pages_name_no_hub_and_are_not_announced(
    hub: HTTPServer, tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    hub.expect_request("/archive-hub", method="POST").respond_with_data("", status=204)
    path = blog(tmp_path, make_config, [hub.url_for("/archive-hub")])
    make_config(
        source=str(tmp_path / "posts"),
        websub={"hubs": [hub.url_for("/archive-hub")]},
        feeds={"archive": True, "limit": 1, "formats": ["atom", "json"]},
    )
    config = load_config(path)
    build(config)
    assert list(config.output.glob("archive/atom/*.xml"))  # the site feed has pages
    # Only this test's requests: an earlier test's slow hub may log its request late.
    mine = [parse_qs(r.get_data(as_text=True)) for r, _ in hub.log if r.path == "/archive-hub"]
    announced = sorted(url for ping in mine for url in ping["hub.url"])
    assert announced == sorted(
        url_of(p.relative_to(config.output).as_posix())
        for p in config.output.rglob("*")
        if p.name in ("atom.xml", "feed.json") and "archive" not in p.parts
    )
    page = json.loads((config.output / "archive/feed/1.json").read_bytes())
    site = json.loads((config.output / "feed.json").read_bytes())
    assert "hubs" not in page and site["hubs"] == [{"type": "WebSub", "url": hub.url_for("/archive-hub")}]
    assert b'rel="hub"' not in (config.output / "archive/atom/1.xml").read_bytes()  # a page: no hub
