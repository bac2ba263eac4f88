"""resolve_thumbnails against real HTTP servers on 127.0.0.1, never the internet.

Most tests use one threaded pytest-httpserver; the large-body test has its own
raw http.server so it can count what it managed to send before the client hung up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feeds import user_agent
from feeds.config import FetchConfig
from feeds.models import Image
from feeds.thumbnails import FetchReport, netguard, resolve_thumbnails
from feeds.thumbnails import resolve as thumbnails
from feeds.thumbnails.imageinfo import Sniffed, sniff

from ..conftest import DATA

IMAGES = DATA / "images"
JPEG = (IMAGES / "baseline.jpg").read_bytes()
PNG = (IMAGES / "image.png").read_bytes()
T0 = 1_700_000_000.0

Handler = Callable[[Request], Response]


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    """A fresh server per test: a slow handler still running from one test cannot log into the next."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Freeze the cache's wall clock at T0; call the fixture to move it."""
    now = [T0]
    monkeypatch.setattr(thumbnails, "_now", lambda: now[0])

    def move(seconds: float) -> None:
        now[0] += seconds

    return move


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "thumbnails.json"


def config(**changes: Any) -> FetchConfig:
    base = FetchConfig(
        enabled=True, connect_timeout=1.0, read_timeout=2.0, budget=5.0, retries=2, allow_private=True
    )
    return replace(base, **changes)


def image(data: bytes, content_type: str, *, etag: str | None = None, ranges: bool = True) -> Handler:
    """Serve ``data`` like a static file server: Range gives 206, a matching If-None-Match gives 304."""

    def handle(request: Request) -> Response:
        headers = {"ETag": etag} if etag else {}
        if etag and request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers=headers)
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("Range", ""))
        if ranges and m:
            start, end = int(m.group(1)), int(m.group(2))
            part = data[start : end + 1]
            headers["Content-Range"] = f"bytes {start}-{start + len(part) - 1}/{len(data)}"
            return Response(part, 206, headers=headers, content_type=content_type)
        return Response(data, 200, headers=headers, content_type=content_type)

    return handle


def redirect(to: str, status: int = 302) -> Response:
    return Response(status=status, headers={"Location": to})


def requested(server: HTTPServer) -> list[str]:
    return [f"{req.method} {req.path}" for req, _ in server.log]


def run(urls: list[str], cache: Path, **changes: Any) -> FetchReport:
    offline = changes.pop("offline", False)
    return resolve_thumbnails(urls, config(**changes), cache, offline=offline)


# --- the happy path and what it records -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mime", "width", "height"),
    [
        ("baseline.jpg", "image/jpeg", 13, 7),
        ("progressive.jpg", "image/jpeg", 11, 9),
        ("exif.jpg", "image/jpeg", 10, 6),
        ("image.png", "image/png", 5, 3),
        ("image.gif", "image/gif", 9, 4),
        ("lossy.webp", "image/webp", 17, 6),
        ("lossless.webp", "image/webp", 6, 17),
        ("extended.webp", "image/webp", 21, 10),
    ],
)
def test_size_type_and_length_of_real_images(
    server: HTTPServer, cache: Path, name: str, mime: str, width: int, height: int
) -> None:
    data = (IMAGES / name).read_bytes()
    server.expect_request(f"/{name}").respond_with_handler(image(data, "application/octet-stream"))
    url = server.url_for(name)
    report = run([url], cache)
    assert report.images[url] == Image(url, mime, len(data), width, height)
    assert (report.fetched, report.cached, report.failed, report.requests) == (1, 0, 0, 1)


def test_request_headers(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    run([server.url_for("a.jpg")], cache)
    (req, _), *_ = server.log
    assert req.headers["User-Agent"] == user_agent() == "feeds/0.2.0"  # no home page: no address
    assert req.headers["Range"] == "bytes=0-65535"
    assert req.headers["Accept-Encoding"] == "identity"


def test_header_type_wins_unless_generic(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/svg").respond_with_data(b"<svg/>", content_type="image/svg+xml")
    url = server.url_for("svg")
    assert run([url], cache).images[url] == Image(url, "image/svg+xml", 6, None, None)


def test_redirect_chain_records_final_url(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/start.jpg").respond_with_response(redirect(server.url_for("/hop"), 301))
    server.expect_request("/hop").respond_with_response(redirect("/stable/photo.jpg", 307))  # relative
    server.expect_request("/stable/photo.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    url = server.url_for("start.jpg")
    report = run([url], cache)
    assert report.images[url] == Image(server.url_for("/stable/photo.jpg"), "image/jpeg", len(JPEG), 13, 7)
    assert report.requests == 3


def test_redirect_loop_fails_bounded(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/loop1").respond_with_response(redirect("/loop2"))
    server.expect_request("/loop2").respond_with_response(redirect("/loop1"))
    url = server.url_for("loop1")
    report = run([url], cache)
    assert "redirect loop" in report.failures[url]
    assert report.requests == 2 and not report.images


def test_endless_redirects_stop_after_five(server: HTTPServer, cache: Path) -> None:
    def onward(request: Request) -> Response:
        return redirect(f"/r/{int(request.path.rsplit('/', 1)[1]) + 1}")

    server.expect_request(re.compile(r"/r/\d+")).respond_with_handler(onward)
    url = server.url_for("r/0")
    report = run([url], cache)
    assert report.failures[url] == "more than 5 redirects"
    assert report.requests == 6


def test_redirect_to_another_scheme_fails(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/ftp").respond_with_response(redirect("ftp://files.example/x.jpg"))
    url = server.url_for("ftp")
    assert "not an http(s) URL (ftp:)" in run([url], cache).failures[url]


# --- failures ---------------------------------------------------------------------------------------


def test_404_fails_without_retry(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/missing/undefined").respond_with_data("no", status=404)
    url = server.url_for("missing/undefined")
    report = run([url], cache)
    assert report.failures == {url: "HTTP 404"}
    assert (report.failed, report.requests) == (1, 1)


def test_500_then_200_is_retried(server: HTTPServer, cache: Path) -> None:
    server.expect_oneshot_request("/flaky.jpg").respond_with_data("oops", status=500)
    server.expect_request("/flaky.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    url = server.url_for("flaky.jpg")
    report = run([url], cache)
    assert report.images[url].width == 13
    assert report.requests == 2 and not report.failures


def test_5xx_gives_up_after_the_retries(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/down.jpg").respond_with_data("down", status=502)
    url = server.url_for("down.jpg")
    report = run([url], cache, retries=1)
    assert report.failures == {url: "HTTP 502"}
    assert report.requests == 2


def test_429_retry_after_is_honoured(server: HTTPServer, cache: Path) -> None:
    stamps: list[float] = []

    def busy(request: Request) -> Response:
        stamps.append(time.monotonic())
        return Response("slow down", 429, headers={"Retry-After": "1"})

    def ok(request: Request) -> Response:
        stamps.append(time.monotonic())
        return image(JPEG, "image/jpeg")(request)

    server.expect_oneshot_request("/busy.jpg").respond_with_handler(busy)
    server.expect_request("/busy.jpg").respond_with_handler(ok)
    url = server.url_for("busy.jpg")
    report = run([url], cache)
    assert url in report.images
    assert stamps[1] - stamps[0] >= 0.95


def test_long_retry_after_carries_over_to_later_builds(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/busy.jpg").respond_with_data("later", 429, headers={"Retry-After": "86400"})
    url = server.url_for("busy.jpg")
    started = time.monotonic()
    report = run([url], cache)
    assert time.monotonic() - started < 1
    assert report.failures == {url: "HTTP 429"} and report.requests == 1
    entry = json.loads(cache.read_text())["entries"][url]
    assert entry["retry_at"] == T0 + 86400  # beyond the first hour of backoff, within the 7-day ttl


def test_retry_after_as_http_date() -> None:
    assert thumbnails._retry_after("Tue, 14 Nov 2023 22:13:40 GMT") == 20.0
    assert thumbnails._retry_after("Tue, 14 Nov 2023 22:00:00 GMT") == 0.0
    assert thumbnails._retry_after("soon") is None
    assert thumbnails._retry_after("120") == 120.0


def test_head_fallback_when_get_is_refused(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/nohead.png", method="GET").respond_with_data("no", status=405)
    server.expect_request("/nohead.png", method="HEAD").respond_with_data(PNG, content_type="image/png")
    url = server.url_for("nohead.png")
    report = run([url], cache)
    assert report.images[url] == Image(url, "image/png", len(PNG), None, None)
    assert requested(server) == ["GET /nohead.png", "HEAD /nohead.png"]


def test_server_ignoring_range_gives_length_from_content_length(server: HTTPServer, cache: Path) -> None:
    big = JPEG + b"\x00" * 100_000
    server.expect_request("/full.jpg").respond_with_handler(image(big, "image/jpeg", ranges=False))
    url = server.url_for("full.jpg")
    assert run([url], cache).images[url] == Image(url, "image/jpeg", len(big), 13, 7)


def test_no_content_length(server: HTTPServer, cache: Path) -> None:
    def streamed(data: bytes) -> Handler:
        return lambda request: Response(iter([data[:100], data[100:]]), 200, content_type="image/jpeg")

    server.expect_request("/big.jpg").respond_with_handler(streamed(JPEG + b"\x00" * 100_000))
    server.expect_request("/small.jpg").respond_with_handler(streamed(JPEG))
    big, small = server.url_for("big.jpg"), server.url_for("small.jpg")
    report = run([big, small], cache)
    assert report.images[big] == Image(big, "image/jpeg", None, 13, 7)  # never guessed
    assert report.images[small].length == len(JPEG)  # the whole body was read: known, not guessed


def test_html_posing_as_image_is_rejected(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/photo.jpg").respond_with_data("<!doctype html><p>login", content_type="text/html")
    url = server.url_for("photo.jpg")
    assert run([url], cache).failures == {url: "not an image (text/html)"}


def test_slow_response_fails_fast(server: HTTPServer, cache: Path) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return image(JPEG, "image/jpeg")(request)

    server.expect_request("/slow.jpg").respond_with_handler(slow)
    url = server.url_for("slow.jpg")
    started = time.monotonic()
    report = run([url], cache, read_timeout=0.2)
    assert time.monotonic() - started < 0.8
    assert report.failures == {url: "no answer within 0.2 s"}


def test_connection_refused_is_retried_then_fails(cache: Path) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]  # bound, then closed on leaving: nothing listens there
    url = f"http://127.0.0.1:{port}/x.jpg"
    report = run([url], cache, retries=1)
    assert report.failures[url].startswith("connection failed:")
    assert report.requests == 2


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL (javascript:)"),
        ("/images/relative.jpg", "not an http(s) URL"),
        ("http://", "no host in URL"),
        ("http://[::1/x.jpg", "malformed URL"),
        ("http://example.com:99999/x.jpg", "malformed URL"),
    ],
)
def test_unusable_urls_fail_without_a_request(cache: Path, url: str, reason: str) -> None:
    report = run([url], cache)
    assert report.failures[url].startswith(reason)
    assert report.requests == 0


# --- size cap ---------------------------------------------------------------------------------------


class _Huge(BaseHTTPRequestHandler):
    """Offers 64 MiB and records how much of it the client let it send."""

    total = 64 * 1024 * 1024
    sent = 0
    done = threading.Event()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(self.total))
        self.end_headers()
        chunk = JPEG + b"\x00" * (65536 - len(JPEG))
        try:
            while _Huge.sent < self.total:
                self.wfile.write(chunk)
                _Huge.sent += len(chunk)
                chunk = b"\x00" * 65536
        except OSError:
            pass
        finally:
            _Huge.done.set()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_huge_body_reads_at_most_64k(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _Huge.sent = 0
    _Huge.done.clear()
    seen: list[int] = []
    real_sniff = sniff

    def spy(data: bytes) -> Sniffed:
        seen.append(len(data))
        return real_sniff(data)

    monkeypatch.setattr(thumbnails, "sniff", spy)
    with ThreadingHTTPServer(("127.0.0.1", 0), _Huge) as huge:
        threading.Thread(target=huge.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        url = f"http://127.0.0.1:{huge.server_address[1]}/huge.jpg"
        try:
            report = run([url], cache)
            assert _Huge.done.wait(5)
        finally:
            huge.shutdown()
    assert report.images[url] == Image(url, "image/jpeg", _Huge.total, 13, 7)
    assert seen == [65536]
    assert _Huge.sent < _Huge.total // 4  # the rest was never sent: the client hung up


def test_dripping_server_cannot_outlast_the_budget(cache: Path) -> None:
    """A byte every 50 ms keeps each read within the timeout; only the budget stops it."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n")
            with contextlib.suppress(OSError):
                while not stop.wait(0.05):
                    conn.sendall(b"\xff")

    worker = threading.Thread(target=drip, daemon=True)
    worker.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/drip.jpg"
    started = time.monotonic()
    try:
        report = run([url], cache, budget=0.4, read_timeout=1.0)
    finally:
        stop.set()
        worker.join(2)
        listener.close()
    assert time.monotonic() - started < 0.8
    assert not report.images and not report.failures  # left for the next build, not cached as failed
    assert not cache.exists()


# --- private addresses ------------------------------------------------------------------------------


def test_private_address_refused(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/x.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    urls = [server.url_for("x.jpg"), server.url_for("x.jpg").replace("127.0.0.1", "localhost")]
    report = run(urls, cache, allow_private=False)
    assert report.failures[urls[0]] == "loopback address 127.0.0.1 refused"
    assert re.fullmatch(r"loopback address (127\.0\.0\.1|::1) refused", report.failures[urls[1]])
    assert server.log == [] and report.requests == 0
    assert not cache.exists() or urls[0] not in cache.read_text()  # a policy refusal is not remembered


def test_every_redirect_hop_is_checked(
    server: HTTPServer, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pretend 127.0.0.1 is public: the first hop is let through, the second (localhost) not."""
    fake = {"127.0.0.1": ["127.0.0.1"], "localhost": ["127.0.0.1", "10.1.2.3"]}  # 10.1.2.3: checked only
    monkeypatch.setattr(thumbnails, "_addresses", lambda host, port: fake[host])
    monkeypatch.setattr(thumbnails, "_forbidden", _public_loopback)
    server.expect_request("/out.jpg").respond_with_response(
        redirect(server.url_for("in.jpg").replace("127.0.0.1", "localhost"))
    )
    url = server.url_for("out.jpg")
    report = run([url], cache, allow_private=False)
    assert report.failures[url] == "redirected to a private address 10.1.2.3 refused"
    assert requested(server) == ["GET /out.jpg"]


def _public_loopback(address: str) -> str | None:
    """The real classifier, except that 127.0.0.1 counts as public (the tests' stand-in for a site)."""
    return None if address == "127.0.0.1" else netguard.forbidden(address)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_forbidden_addresses(address: str, kind: str | None) -> None:
    assert thumbnails._forbidden(address) == kind


# --- the cache --------------------------------------------------------------------------------------


def test_second_run_makes_no_request(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    server.expect_request("/b.png").respond_with_handler(image(PNG, "image/png"))
    server.expect_request("/gone").respond_with_data("no", status=404)
    urls = [server.url_for("a.jpg"), server.url_for("b.png"), server.url_for("gone"), server.url_for("a.jpg")]
    first = run(urls, cache)
    assert (first.fetched, first.failed, first.requests) == (2, 1, 3)
    logged = len(server.log)
    second = run(urls, cache)
    assert second.requests == 0 and len(server.log) == logged
    assert (second.fetched, second.cached, second.failed) == (0, 2, 1)
    assert second.images == first.images and second.failures == first.failures
    assert json.loads(cache.read_text())["version"] == 1


def test_stale_entry_revalidated_by_304(
    server: HTTPServer, cache: Path, clock: Callable[[float], None]
) -> None:
    server.expect_request("/e.jpg").respond_with_handler(image(JPEG, "image/jpeg", etag='"v1"'))
    url = server.url_for("e.jpg")
    first = run([url], cache)
    clock(8 * 86400)  # older than the 7-day ttl
    second = run([url], cache)
    assert second.images == first.images
    assert (second.fetched, second.cached, second.requests) == (1, 0, 1)
    req, resp = server.log[-1]
    assert req.headers["If-None-Match"] == '"v1"' and resp.status_code == 304
    assert json.loads(cache.read_text())["entries"][url]["checked"] == T0 + 8 * 86400
    assert run([url], cache).requests == 0  # refreshed: fresh again


def test_entries_no_post_used_for_four_ttls_are_pruned(
    server: HTTPServer, cache: Path, clock: Callable[[float], None]
) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    server.expect_request("/b.png").respond_with_handler(image(PNG, "image/png"))
    a, b = server.url_for("a.jpg"), server.url_for("b.png")
    run([a, b], cache)
    day = 86400.0
    for _ in range(4):  # a wants its thumbnail every week, b no longer
        clock(7 * day)
        run([a], cache)
        assert set(json.loads(cache.read_text())["entries"]) == {a, b}
    clock(1)  # b: unused for just over four ttls
    run([a], cache)
    entries = json.loads(cache.read_text())["entries"]
    assert set(entries) == {a} and entries[a]["used"] == T0 + 28 * day


def test_a_build_that_wants_the_same_thumbnails_does_not_rewrite_the_cache(
    server: HTTPServer, cache: Path, clock: Callable[[float], None]
) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    url = server.url_for("a.jpg")
    run([url], cache)
    before = cache.stat().st_mtime_ns
    clock(3600)
    time.sleep(0.01)
    assert run([url], cache).cached == 1
    assert cache.stat().st_mtime_ns == before


def test_stale_entry_with_a_changed_image(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/c.img").respond_with_handler(image(JPEG, "image/jpeg", etag='"v1"'))
    url = server.url_for("c.img")
    run([url], cache, ttl=0)
    server.clear()
    server.expect_request("/c.img").respond_with_handler(image(PNG, "image/png", etag='"v2"'))
    report = run([url], cache, ttl=0)
    assert report.images[url] == Image(url, "image/png", len(PNG), 5, 3)
    assert report.requests == 1


def test_vanished_final_url_is_resolved_afresh(
    server: HTTPServer, cache: Path, clock: Callable[[float], None]
) -> None:
    modified = "Tue, 14 Nov 2023 22:13:20 GMT"
    server.expect_request("/orig").respond_with_response(redirect("/v1.jpg"))
    server.expect_request("/v1.jpg").respond_with_data(JPEG, headers={"Last-Modified": modified})
    url = server.url_for("orig")
    run([url], cache)
    server.clear()
    server.expect_request("/v1.jpg").respond_with_data("gone", status=404)
    server.expect_request("/orig").respond_with_response(redirect("/v2.png"))
    server.expect_request("/v2.png").respond_with_handler(image(PNG, "image/png"))
    clock(8 * 86400)
    report = run([url], cache)
    assert report.images[url] == Image(server.url_for("v2.png"), "image/png", len(PNG), 5, 3)
    assert requested(server) == ["GET /v1.jpg", "GET /orig", "GET /v2.png"]
    assert server.log[0][0].headers["If-Modified-Since"] == modified


def test_offline_uses_only_the_cache(server: HTTPServer, cache: Path, clock: Callable[[float], None]) -> None:
    server.expect_request("/known.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    server.expect_request("/broken.jpg").respond_with_data("no", status=404)
    known, broken, unknown = (server.url_for(p) for p in ("known.jpg", "broken.jpg", "unknown.jpg"))
    run([known, broken], cache)
    logged = len(server.log)
    clock(30 * 86400)  # stale and past backoff: offline still makes no request
    report = run([known, broken, unknown], cache, offline=True)
    assert report.requests == 0 and len(server.log) == logged
    assert set(report.images) == {known} and report.failures == {broken: "HTTP 404"}
    assert (report.cached, report.failed, report.fetched) == (1, 1, 0)  # unknown: counted neither way


def test_backoff_keeps_a_failed_url_quiet(
    server: HTTPServer, cache: Path, clock: Callable[[float], None]
) -> None:
    server.expect_request("/nope.jpg").respond_with_data("no", status=404)
    url = server.url_for("nope.jpg")
    run([url], cache)
    clock(1800)
    report = run([url], cache)
    assert report.requests == 0 and report.failures == {url: "HTTP 404"} and report.failed == 1
    assert len(server.log) == 1
    clock(1801)  # past the first hour
    assert run([url], cache).requests == 1
    entry = json.loads(cache.read_text())["entries"][url]
    assert entry["failures"] == 2 and entry["retry_at"] == T0 + 3601 + 7200  # the wait doubled
    assert entry["reason"] == "HTTP 404"


def test_recovered_url_forgets_its_failures(
    server: HTTPServer, cache: Path, clock: Callable[[float], None]
) -> None:
    server.expect_oneshot_request("/back.jpg").respond_with_data("no", status=404)
    server.expect_request("/back.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    url = server.url_for("back.jpg")
    run([url], cache)
    clock(3600)
    assert run([url], cache).images[url].width == 13
    entry = json.loads(cache.read_text())["entries"][url]
    assert entry["failures"] == 0 and "reason" not in entry


@pytest.mark.parametrize(
    "damage", [b"{not json", b'{"version": 1, "entries": {"http://a": {"u', b"\xff\xfe", b"[]"]
)
def test_corrupt_cache_is_set_aside(
    server: HTTPServer, cache: Path, caplog: pytest.LogCaptureFixture, damage: bytes
) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    cache.parent.mkdir(parents=True)
    cache.write_bytes(damage)
    url = server.url_for("a.jpg")
    with caplog.at_level(logging.WARNING):
        report = run([url], cache)
    assert url in report.images
    assert cache.with_name("thumbnails.json.corrupt").read_bytes() == damage
    assert any("damaged" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert url in json.loads(cache.read_text())["entries"]


def test_unknown_version_or_bad_entries_start_fresh(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    url = server.url_for("a.jpg")
    cache.parent.mkdir(parents=True)
    cache.write_text(json.dumps({"version": 99, "entries": {url: {"url": url, "checked": T0}}}))
    assert run([url], cache).requests == 1
    assert not cache.with_name("thumbnails.json.corrupt").exists()
    doc = json.loads(cache.read_text())
    doc["entries"][url]["width"] = "wide"  # one bad entry is refetched; the rest of the file stays
    cache.write_text(json.dumps(doc))
    assert run([url], cache).requests == 1


def test_unwritable_cache_is_a_warning(
    server: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    (tmp_path / "file").write_text("")
    url = server.url_for("a.jpg")
    with caplog.at_level(logging.WARNING):
        report = run([url], tmp_path / "file" / "thumbnails.json")
    assert url in report.images
    assert any("not saved" in r.getMessage() for r in caplog.records)


# --- bounds -----------------------------------------------------------------------------------------


def test_budget_leaves_the_rest_for_next_time(
    server: HTTPServer, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return image(JPEG, "image/jpeg")(request)

    server.expect_request("/fast.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    server.expect_request(re.compile(r"/slow\d\.jpg")).respond_with_handler(slow)
    fast, slow1, slow2 = (server.url_for(p) for p in ("fast.jpg", "slow1.jpg", "slow2.jpg"))
    ticks: list[int] = []
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        report = resolve_thumbnails([fast, slow1, slow2], config(budget=0.4), cache, progress=ticks.append)
    assert time.monotonic() - started < 0.9
    assert set(report.images) == {fast} and report.failures == {}
    assert ticks == [1, 1, 1]
    assert any("budget" in r.getMessage() for r in caplog.records)
    assert set(json.loads(cache.read_text())["entries"]) == {fast}  # saved, and no failure cached


def test_per_host_limit(server: HTTPServer, cache: Path) -> None:
    lock = threading.Lock()
    now_in, most = [0], [0]

    def counted(request: Request) -> Response:
        with lock:
            now_in[0] += 1
            most[0] = max(most[0], now_in[0])
        time.sleep(0.05)
        with lock:
            now_in[0] -= 1
        return image(JPEG, "image/jpeg")(request)

    server.expect_request(re.compile(r"/p/\d+\.jpg")).respond_with_handler(counted)
    urls = [server.url_for(f"p/{n}.jpg") for n in range(8)]
    report = run(urls, cache, per_host=2, concurrency=8)
    assert len(report.images) == 8
    assert most[0] == 2


def test_progress_once_per_distinct_url(server: HTTPServer, cache: Path) -> None:
    server.expect_request("/a.jpg").respond_with_handler(image(JPEG, "image/jpeg"))
    url = server.url_for("a.jpg")
    ticks: list[int] = []
    resolve_thumbnails([url, url, "ftp://x/y", url], config(), cache, progress=ticks.append)
    assert ticks == [1, 1]
    assert len(server.log) == 1
