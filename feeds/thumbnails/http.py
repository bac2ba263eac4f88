"""One HTTP exchange for the thumbnail fetcher, and reading what came back.

A request is sent without following redirects, to the addresses the caller
checked (see :class:`PinnedAdapter`), at most ``MAX_BYTES`` of a GET's body is
read (checking the caller's budget after every socket read), the response is
closed, and requests' exceptions leave as :class:`FetchError`.  The header
parsers (Content-Range, Content-Length, Retry-After) live here too.  Only this
module and ``resolve`` import requests.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.cookiejar import DefaultCookiePolicy
from typing import Any, cast
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from .. import user_agent
from ..errors import FetchError

MAX_BYTES = 64 * 1024  # the most read of any one image
RANGE = {"Range": f"bytes=0-{MAX_BYTES - 1}"}
_CONTENT_RANGE = re.compile(r"bytes\s+([0-9]+)-[0-9]+/([0-9]+|\*)", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")


class Retryable(FetchError):
    """A connection failure, worth another try within the build."""


@dataclass(frozen=True)
class Reply:
    """One HTTP response, already closed; ``body`` holds at most MAX_BYTES of a GET's 200 or 206."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    complete: bool = False  # body is the whole entity (EOF seen before the cap)


def new_session(trust_env: bool = False) -> tuple[requests.Session, PinnedAdapter]:
    """A session for one worker thread (requests does not promise a shared one is thread-safe).

    ``trust_env`` False (the default) keeps proxies, ``.netrc`` credentials and
    CA bundles named in the environment out of thumbnail fetches: a cron job's
    environment is not a statement about which hosts to send credentials to.
    """
    session = requests.Session()
    session.trust_env = trust_env
    session.headers.update({"User-Agent": user_agent(), "Accept": "image/*,*/*;q=0.8"})
    # identity: so that Content-Range and the bytes read are the image's own, not a gzip of it
    session.headers["Accept-Encoding"] = "identity"
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # no state between URLs
    adapter = PinnedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session, adapter


class PinnedAdapter(HTTPAdapter):
    """Connects to the addresses the fetcher checked for a host, never to a second DNS answer.

    The URL keeps its host name, so the ``Host`` header, TLS SNI and the
    certificate check all use the name; only the socket goes to the checked
    address.  Pools are keyed by the addresses too, so a connection kept alive
    for one answer is not reused for another.  Through a proxy (``fetch.trust_env``
    with a proxy in the environment) the proxy connects, and this adapter steps aside.
    """

    def __init__(self) -> None:
        super().__init__(max_retries=0)
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._pools: dict[tuple[str, str, int, tuple[str, ...]], HTTPConnectionPool] = {}

    def pin(self, url: str, addresses: tuple[str, ...]) -> None:
        self._pins[_host_port(url)] = addresses

    def get_connection_with_tls_context(
        self, request: Any, verify: Any, proxies: Any = None, cert: Any = None
    ) -> HTTPConnectionPool:
        if requests.utils.select_proxy(request.url, proxies):
            return cast(
                HTTPConnectionPool, super().get_connection_with_tls_context(request, verify, proxies, cert)
            )
        host, port = _host_port(request.url)
        addresses = self._pins.get((host, port))
        if not addresses:  # a caller that did not pin: refuse rather than resolve behind its back
            raise requests.exceptions.InvalidURL(f"no checked address for {host}:{port}")
        scheme = urlsplit(request.url).scheme.lower()
        key = (scheme, host, port, addresses)
        pool = self._pools.get(key)
        if pool is None:
            cls = _PinnedHTTPSPool if scheme == "https" else _PinnedHTTPPool
            pool = self._pools[key] = cls(host, port, maxsize=1, pinned=addresses)
        return pool

    def close(self) -> None:
        super().close()
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), parts.port or (443 if parts.scheme.lower() == "https" else 80)


def _connect(conn: HTTPConnection, addresses: tuple[str, ...]) -> socket.socket:
    """What urllib3's ``_new_conn`` does, to each checked address in turn instead of the host's."""
    error: Exception | None = None
    for address in addresses:
        try:
            return create_connection(
                (address, conn.port),
                conn.timeout,
                source_address=conn.source_address,
                socket_options=conn.socket_options,
            )
        except TimeoutError as e:
            raise ConnectTimeoutError(conn, f"timed out connecting to {conn.host} ({address})") from e
        except OSError as e:
            error = e
    raise NewConnectionError(conn, f"cannot connect to {conn.host}: {error}") from error


class _PinnedHTTPConnection(HTTPConnection):
    def __init__(self, *args: Any, pinned: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pinned = pinned

    def _new_conn(self) -> socket.socket:
        return _connect(self, self._pinned)


class _PinnedHTTPSConnection(_PinnedHTTPConnection, HTTPSConnection):
    """TLS over the pinned socket: HTTPSConnection.connect wraps what ``_new_conn`` gives."""


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


def exchange(
    session: requests.Session,
    method: str,
    url: str,
    headers: Mapping[str, str],
    timeout: tuple[float, float],
    check_time: Callable[[], None],
) -> Reply:
    """Where requests' exceptions enter; they leave as FetchError, or as whatever ``check_time`` raises
    when the budget did it.
    """
    try:
        with session.request(
            method,
            url,
            headers=dict(headers),
            stream=True,
            allow_redirects=False,
            timeout=timeout,
            verify=True,
        ) as response:
            if method == "GET" and response.status_code in (200, 206):
                body, complete = _read(response, check_time)
                return Reply(url, response.status_code, response.headers, body, complete)
            return Reply(url, response.status_code, response.headers)
    except requests.exceptions.SSLError as e:
        raise FetchError(f"TLS failed: {describe(e)}", url=url) from e
    except requests.exceptions.ConnectionError as e:  # includes connect timeouts and stalls mid-body
        check_time()
        raise Retryable(f"connection failed: {describe(e)}", url=url) from e
    except requests.exceptions.Timeout as e:  # a read timeout: not retried, it would be as slow again
        check_time()
        raise FetchError(f"no answer within {timeout[1]:g} s", url=url) from e
    except requests.exceptions.RequestException as e:
        raise FetchError(f"request failed: {describe(e)}", url=url) from e


def _read(response: requests.Response, check_time: Callable[[], None]) -> tuple[bytes, bool]:
    """Up to MAX_BYTES, and whether that was all; ``check_time`` is called after every socket read.

    ``read1`` returns what one socket read gives, where ``iter_content``
    waits for a whole chunk: a server dripping a byte at a time, each within
    the read timeout, could otherwise hold a thread far past the budget.
    """
    buf = bytearray()
    try:
        while len(buf) < MAX_BYTES:
            chunk = response.raw.read1(MAX_BYTES - len(buf), decode_content=True)
            if not chunk:
                return bytes(buf), True  # EOF: urllib3 has returned the connection to the pool
            buf += chunk
            check_time()
    except urllib3.exceptions.HTTPError as e:  # what requests' iter_content would have wrapped
        raise requests.exceptions.ConnectionError(e) from e
    return bytes(buf), False


def retry_after(value: str | None, now: Callable[[], float]) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now())


def content_range(value: str | None) -> tuple[int | None, int | None]:
    """(first byte, total length) from ``bytes 0-65535/123456``; total None for ``*``."""
    m = _CONTENT_RANGE.search(value or "")
    if not m:
        return None, None
    return int(m.group(1)), int(m.group(2)) if m.group(2).isdigit() else None


def content_length(reply: Reply) -> int | None:
    """The entity's length on a 200: Content-Length, else what was read if it all was, else unknown."""
    value = (reply.headers.get("Content-Length") or "").strip()
    if _DIGITS.fullmatch(value):
        return int(value)
    return len(reply.body) if reply.complete else None


def describe(e: Exception) -> str:
    """requests' messages nest urllib3's; keep the innermost, minus object reprs."""
    inner: object = e
    while isinstance(inner, Exception) and inner.args and isinstance(inner.args[0], Exception):
        inner = inner.args[0]
    reason = getattr(inner, "reason", None)
    text = str(reason if isinstance(reason, Exception) else inner)
    text = re.sub(r"<[^>]*>:?\s*|\b\w*Connection\(host=[^)]*\):\s*", "", text)  # object reprs say nothing
    return text.strip() or type(e).__name__
