"""The fetcher connects to the address it checked, with the host's name for Host, SNI and the certificate.

Every server here listens on a loopback address.  To play a public host,
127.0.0.2 is counted public by a stand-in classifier; 127.0.0.1 stays
loopback, the internal address a rebinding attacker wants to reach.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests.adapters
import trustme

from feeds.config import FetchConfig
from feeds.thumbnails import netguard, resolve_thumbnails
from feeds.thumbnails import resolve as thumbnails

from ..conftest import DATA

JPEG = (DATA / "images" / "baseline.jpg").read_bytes()
SITE, INSIDE = "127.0.0.2", "127.0.0.1"  # "public" and internal
NAME = "img.test"


class _Server:
    """A one-image HTTP(S) server on one address that records each request's path and headers."""

    def __init__(self, address: str, port: int = 0, tls: ssl.SSLContext | None = None):
        hits: list[dict[str, str]] = []
        self.hits = hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(JPEG)))
                self.end_headers()
                self.wfile.write(JPEG)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((address, port), Handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def servers(tls: ssl.SSLContext | None = None) -> Iterator[tuple[_Server, _Server]]:
    """The site on 127.0.0.2 and a sentinel on 127.0.0.1, on the same port, so one URL can reach either."""
    for _ in range(20):
        site = _Server(SITE, tls=tls)
        try:
            inside = _Server(INSIDE, site.port, tls=tls)
        except OSError:  # that port is taken on 127.0.0.1: try another
            site.close()
            continue
        try:
            yield site, inside
        finally:
            site.close()
            inside.close()
        return
    pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")


def _site_is_public(address: str) -> str | None:
    return None if address == SITE else netguard.forbidden(address)


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A DNS that answers the public address first and 127.0.0.1 ever after, at the socket level."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        return real(SITE if len(asked) == 1 else INSIDE, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(thumbnails, "_forbidden", _site_is_public)
    return asked


def fetch(url: str, cache: Path, **changes: Any) -> Any:
    config = FetchConfig(enabled=True, connect_timeout=1.0, read_timeout=2.0, budget=5.0, retries=0)
    return resolve_thumbnails([url], replace(config, **changes), cache)


def test_a_rebinding_dns_cannot_reach_the_local_server(rebinding: list[str], tmp_path: Path) -> None:
    with servers() as (site, inside):
        url = f"http://{NAME}:{site.port}/a.jpg"
        report = fetch(url, tmp_path / "thumbnails.json")
        assert inside.hits == []
        assert report.images[url].width == 13 and not report.failures
        assert [hit["host"] for hit in site.hits] == [f"{NAME}:{site.port}"]  # the name, not the address
    assert rebinding == [NAME]  # resolved once


def test_every_redirect_hop_is_pinned_too(
    rebinding: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A redirect to a second name resolves that name once more, checks it, and connects there."""
    answers = {NAME: [SITE], "cdn.test": [SITE]}
    monkeypatch.setattr(thumbnails, "_addresses", lambda host, port: answers[host])
    with servers() as (site, inside):
        first = f"http://{NAME}:{site.port}/first.jpg"
        report = fetch(first, tmp_path / "thumbnails.json")
        assert report.images  # plain, no redirect: the stub answered
        answers["cdn.test"] = [SITE, INSIDE]
        hop = f"http://cdn.test:{site.port}/b.jpg"
        site.httpd.RequestHandlerClass.do_GET = _redirect_to(hop)  # type: ignore[method-assign]
        report = fetch(f"http://{NAME}:{site.port}/a.jpg", tmp_path / "other.json")
        assert "redirected to a loopback address 127.0.0.1 refused" in report.failures.values()
        assert inside.hits == []


def _redirect_to(target: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def do_get(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return do_get


@pytest.fixture
def ca(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A throwaway certificate authority that the fetcher (and only this test) trusts."""
    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setattr(requests.adapters, "DEFAULT_CA_BUNDLE_PATH", str(bundle))
    return authority


def test_tls_uses_the_host_name_for_sni_and_the_certificate(
    rebinding: list[str], tmp_path: Path, ca: trustme.CA
) -> None:
    context = _context_for(ca, NAME)
    names: list[str | None] = []

    def sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = sni
    with servers(tls=context) as (site, inside):
        url = f"https://{NAME}:{site.port}/a.jpg"
        report = fetch(url, tmp_path / "thumbnails.json")
        assert report.images[url].type == "image/jpeg", report.failures
        assert names == [NAME] and inside.hits == []


def test_a_certificate_for_another_name_is_refused(
    rebinding: list[str], tmp_path: Path, ca: trustme.CA
) -> None:
    """The certificate is checked against the name asked for, not the address connected to."""
    with servers(tls=_context_for(ca, "other.test", SITE)) as (site, inside):
        url = f"https://{NAME}:{site.port}/b.jpg"
        report = fetch(url, tmp_path / "thumbnails.json")
        assert report.failures[url].startswith("TLS failed"), report.failures
        assert site.hits == [] and inside.hits == []


def _context_for(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(*names).configure_cert(context)
    return context


def test_a_slow_dns_lookup_is_bounded_by_the_connect_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(thumbnails, "_addresses", lambda host, port: time.sleep(5) or [SITE])
    started = time.monotonic()
    report = fetch("http://slow.test/a.jpg", tmp_path / "t.json", connect_timeout=0.3, allow_private=True)
    assert time.monotonic() - started < 1.5
    assert report.failures["http://slow.test/a.jpg"] == "cannot resolve slow.test: no answer within 0.3 s"
    assert report.requests == 0


def test_the_environment_is_not_trusted_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy and .netrc credentials in the environment reach thumbnail fetches only with trust_env."""
    proxy, site = _Server(INSIDE), _Server(INSIDE)
    try:
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine {INSIDE} login user password secret\n")
        netrc.chmod(0o600)
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://{INSIDE}:{proxy.port}")
        monkeypatch.setenv("NETRC", str(netrc))
        url = f"http://{INSIDE}:{site.port}/a.jpg"
        report = fetch(url, tmp_path / "a.json", allow_private=True)
        assert report.images and proxy.hits == []
        assert [hit.get("authorization") for hit in site.hits] == [None]
        report = fetch(url, tmp_path / "b.json", allow_private=True, trust_env=True)
        assert report.images and [hit["path"] for hit in proxy.hits] == [url]
        assert proxy.hits[0].get("authorization", "").startswith("Basic ")
    finally:
        proxy.close()
        site.close()
