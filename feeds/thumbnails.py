"""Resolve post thumbnails to what a feed enclosure needs: final URL, type, length, width, height.

A feed's ``<enclosure>`` wants a byte length and ``media:thumbnail`` a pixel
size; neither is in the front matter, and downloading every image to learn
them would be slow and rude.  So each URL costs one ranged GET of its first
64 KiB (the total length comes from Content-Range, the size from the image
header), redirects are followed by hand so each hop can be checked, and the
answers are kept in a cache (``thumbcache``) so that a rebuild sends nothing.

The fetch runs against servers nobody here controls, hence the bounds:
timeouts, a total budget per build, a cap on threads and on requests per host, and
no request to loopback or private addresses unless the config allows it.  A
thumbnail that cannot be resolved is a returned failure, never an exception.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.cookiejar import DefaultCookiePolicy
from itertools import zip_longest
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from . import USER_AGENT, thumbcache
from .config import FetchConfig
from .errors import FetchError
from .imagesize import sniff
from .models import Image
from .thumbcache import Entry

logger = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024  # the most read of any one image
MAX_REDIRECTS = 5
MAX_WAIT = 5.0  # longest single Retry-After pause within a build; a longer one carries over to later builds
FIRST_RETRY_WAIT = 0.25  # pause before the first retry when the server gave no Retry-After; doubles after
_RANGE = {"Range": f"bytes=0-{MAX_BYTES - 1}"}
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_GET_REFUSED = frozenset({405, 501})
_CONTENT_RANGE = re.compile(r"bytes\s+([0-9]+)-[0-9]+/([0-9]+|\*)", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
_ADDRESS_KINDS = ("loopback", "link_local", "multicast", "unspecified", "reserved", "private")

_now: Callable[[], float] = time.time  # wall clock for cache stamps; tests move it


@dataclass(frozen=True)
class FetchReport:
    """What one build's thumbnail pass found.

    Every distinct URL lands in at most one of ``images`` and ``failures``.  A
    URL is in neither when the budget ran out before it was settled (it is
    tried again next build), or in offline mode when the cache knows nothing
    of it: such URLs are counted neither as cached nor as failed.  Offline, a
    URL whose last fetch failed is reported failed with that reason.
    """

    images: Mapping[str, Image]  # original URL -> resolved image, from the network or the cache
    failures: Mapping[str, str]  # original URL -> reason a person can read
    fetched: int  # URLs resolved over the network this run (including a 304 revalidation)
    cached: int  # URLs answered from the cache with no request
    failed: int  # URLs that failed this run or are still backing off
    requests: int  # HTTP requests sent
    seconds: float


def resolve_thumbnails(
    urls: Iterable[str],
    config: FetchConfig,
    cache_file: Path,
    *,
    offline: bool = False,
    progress: Callable[[int], None] | None = None,
) -> FetchReport:
    """Resolve each distinct URL from the cache or the network; never raises for a bad thumbnail.

    ``progress`` is called with 1 exactly once per distinct URL, from this thread.
    """
    started = time.monotonic()
    run = _Run(config, _now(), progress or (lambda _n: None), thumbcache.load(cache_file))
    todo = [url for url in dict.fromkeys(urls) if not run.from_cache(url, offline)]
    fetcher = _Fetcher(config, run.now, deadline=time.monotonic() + config.budget)
    try:
        if todo:
            run.fetch(fetcher, todo)
    finally:
        if run.dirty:
            thumbcache.save(cache_file, run.entries)
    if run.skipped:
        logger.warning(
            "thumbnail fetch budget of %g s ran out: %d URL(s) left for the next build",
            config.budget,
            run.skipped,
        )
    return FetchReport(
        images=run.images,
        failures=run.failures,
        fetched=run.fetched,
        cached=run.cached,
        failed=len(run.failures),
        requests=fetcher.requests,
        seconds=time.monotonic() - started,
    )


@dataclass(frozen=True)
class _Result:
    """How one URL ended in a worker: ``fetched``, ``failed`` or ``skipped`` (out of time)."""

    outcome: str
    entry: Entry | None = None  # what to store in the cache; None leaves it as it was
    reason: str = ""


@dataclass
class _Run:
    """The main thread's tally for one call; only this thread touches it."""

    config: FetchConfig
    now: float
    progress: Callable[[int], None]
    entries: dict[str, Entry]
    images: dict[str, Image] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    fetched: int = 0
    cached: int = 0
    skipped: int = 0
    dirty: bool = False

    def from_cache(self, url: str, offline: bool) -> bool:
        """Settle ``url`` from the cache if that is allowed; False means it needs the network."""
        entry = self.entries.get(url)
        ttl = self.config.ttl
        if entry is not None and entry.ok and (offline or entry.fresh(self.now, ttl)):
            self.images[url] = entry.image()
            self.cached += 1
        elif entry is not None and entry.failing and (offline or entry.backing_off(self.now, ttl)):
            self.failures[url] = entry.reason or "failed"
        elif not offline:
            return False
        self.progress(1)
        return True

    def fetch(self, fetcher: _Fetcher, todo: list[str]) -> None:
        workers = min(self.config.concurrency, len(todo))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feeds-fetch")
        try:
            futures = {
                pool.submit(fetcher.resolve, url, self.entries.get(url)): url for url in _by_host(todo)
            }
            for future in as_completed(futures):
                self.settle(futures[future], future.result())
        finally:
            fetcher.stop()  # only matters on the way out of an interrupt: the workers give up at once
            pool.shutdown(wait=True, cancel_futures=True)
            fetcher.close()

    def settle(self, url: str, result: _Result) -> None:
        old = self.entries.get(url)
        if result.entry is not None:
            self.entries[url] = result.entry
            self.dirty = True
        if result.outcome == "fetched" and result.entry is not None:
            self.images[url] = result.entry.image()
            self.fetched += 1
        elif result.outcome == "failed":
            self.failures[url] = result.reason
        elif old is not None and old.ok:  # out of time while revalidating: the stale answer beats none
            self.images[url] = old.image()
            self.cached += 1
        else:
            self.skipped += 1
        self.progress(1)


def _by_host(urls: list[str]) -> list[str]:
    """Interleave hosts, so the threads spread over them instead of queueing on one host's limit."""
    groups: dict[str, list[str]] = {}
    for url in urls:
        groups.setdefault(_host(url), []).append(url)
    return [url for row in zip_longest(*groups.values()) for url in row if url is not None]


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


class _OutOfTime(Exception):
    """The budget ran out before this URL was settled: it is left for the next build, not cached."""


class _Refused(FetchError):
    """Refused without asking any server (scheme, address): not cached, since config may change."""


class _Throttled(FetchError):
    """The server asked us to come back later than a build waits; the cache honours it."""

    def __init__(self, message: str, *, url: str, retry_after: float | None):
        super().__init__(message, url=url)
        self.retry_after = retry_after


class _Retryable(FetchError):
    """A connection failure, worth another try within the build."""


@dataclass(frozen=True)
class _Reply:
    """One HTTP response, already closed; ``body`` holds at most MAX_BYTES of a GET's 200 or 206."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    complete: bool = False  # body is the whole entity (EOF seen before the cap)


class _Fetcher:
    """Shared by the worker threads: budget, per-host limits, sessions and the request count."""

    def __init__(self, config: FetchConfig, now: float, *, deadline: float):
        self._config = config
        self._now = now
        self._deadline = deadline
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self.requests = 0

    def resolve(self, url: str, old: Entry | None) -> _Result:
        """Never raises: every ending is a _Result."""
        try:
            return _Result("fetched", self._resolve(url, old))
        except _OutOfTime:
            return _Result("skipped")
        except _Refused as e:
            return _Result("failed", None, e.reason)
        except FetchError as e:
            retry_after = e.retry_after if isinstance(e, _Throttled) else None
            entry = (old or Entry()).failed(e.reason, self._now, self._config.ttl, retry_after)
            return _Result("failed", entry, e.reason)
        except Exception as e:  # a bug here must not cost the build; it is logged with its traceback
            logger.exception("unexpected error resolving thumbnail %s", url)
            return _Result("failed", None, f"internal error: {type(e).__name__}: {e}")

    def stop(self) -> None:
        self._stopped.set()

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def _resolve(self, url: str, old: Entry | None) -> Entry:
        _check_url(url)
        if old is not None and old.ok and old.url is not None and (old.etag or old.last_modified):
            reply = self._follow("GET", old.url, {**_RANGE, **_conditional(old)})
            if reply.status == 304:
                return old.refreshed(self._now)
            # A changed image is read from this reply; a vanished final URL is resolved afresh.
            if reply.status in (200, 206) or (old.url == url and reply.status not in _GET_REFUSED):
                return self._interpret(reply)
        return self._interpret(self._get_or_head(url))

    def _get_or_head(self, url: str) -> _Reply:
        reply = self._follow("GET", url, _RANGE)
        if reply.status in _GET_REFUSED:
            reply = self._follow("HEAD", url, {})
        return reply

    def _follow(self, method: str, url: str, headers: Mapping[str, str]) -> _Reply:
        """Follow redirects by hand, so the scheme and address of every hop are checked."""
        seen = {url}
        for hop in range(MAX_REDIRECTS + 1):
            try:
                reply = self._send_retrying(method, url, headers)
            except _Refused as e:
                if hop == 0:
                    raise
                raise FetchError(f"redirected to a {e.reason}", url=url) from e  # a server said so: cached
            location = reply.headers.get("Location")
            if reply.status not in _REDIRECT_CODES or not location:
                return reply
            target = urljoin(url, location.strip())
            try:
                _check_url(target)
            except _Refused as e:
                raise FetchError(f"redirected to {target}: {e.reason}", url=url) from e
            if target in seen:
                raise FetchError(f"redirect loop back to {target}", url=url)
            if hop == MAX_REDIRECTS:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects", url=url)
            seen.add(target)
            url = target
            headers = {k: v for k, v in headers.items() if not k.startswith("If-")}  # validators are per URL
        raise AssertionError("unreachable")

    def _send_retrying(self, method: str, url: str, headers: Mapping[str, str]) -> _Reply:
        attempt = 0
        while True:
            last = attempt >= self._config.retries
            try:
                reply = self._send(method, url, headers)
            except _Retryable:
                if last:
                    raise
                wait = FIRST_RETRY_WAIT * 2.0**attempt
            else:
                if not _worth_retrying(reply.status) or last:
                    return reply
                asked = _retry_after(reply.headers.get("Retry-After"))
                if asked is not None and asked > MAX_WAIT:
                    return reply  # _interpret turns it into a failure that waits across builds
                wait = FIRST_RETRY_WAIT * 2.0**attempt if asked is None else asked
            self._pause(wait)
            attempt += 1

    def _send(self, method: str, url: str, headers: Mapping[str, str]) -> _Reply:
        """One request: address checked, host slot held, at most MAX_BYTES read, response closed."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not self._config.allow_private:
            _check_address(url, host, parts.port or (443 if parts.scheme.lower() == "https" else 80))
        slot = self._slot(host)
        if not slot.acquire(timeout=max(0.0, self._remaining())):
            raise _OutOfTime
        try:
            timeout = self._timeouts()
            with self._lock:
                self.requests += 1
            return self._exchange(method, url, headers, timeout)
        finally:
            slot.release()

    def _exchange(
        self, method: str, url: str, headers: Mapping[str, str], timeout: tuple[float, float]
    ) -> _Reply:
        """Where requests' exceptions enter; they leave as FetchError, or _OutOfTime if the budget did it."""
        try:
            with self._session().request(
                method,
                url,
                headers=dict(headers),
                stream=True,
                allow_redirects=False,
                timeout=timeout,
                verify=True,
            ) as response:
                if method == "GET" and response.status_code in (200, 206):
                    body, complete = self._read(response)
                    return _Reply(url, response.status_code, response.headers, body, complete)
                return _Reply(url, response.status_code, response.headers)
        except requests.exceptions.SSLError as e:
            raise FetchError(f"TLS failed: {_describe(e)}", url=url) from e
        except requests.exceptions.ConnectionError as e:  # includes connect timeouts and stalls mid-body
            self._check_time()
            raise _Retryable(f"connection failed: {_describe(e)}", url=url) from e
        except requests.exceptions.Timeout as e:  # a read timeout: not retried, it would be as slow again
            self._check_time()
            raise FetchError(f"no answer within {timeout[1]:g} s", url=url) from e
        except requests.exceptions.RequestException as e:
            raise FetchError(f"request failed: {_describe(e)}", url=url) from e

    def _read(self, response: requests.Response) -> tuple[bytes, bool]:
        """Up to MAX_BYTES, and whether that was all; the budget is checked after every read from the socket.

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
                self._check_time()
        except urllib3.exceptions.HTTPError as e:  # what requests' iter_content would have wrapped
            raise requests.exceptions.ConnectionError(e) from e
        return bytes(buf), False

    def _interpret(self, reply: _Reply) -> Entry:
        """Turn a final answer into a cache entry, or a failure whose reason names what was wrong."""
        if reply.status not in (200, 206):
            reason = f"HTTP {reply.status}"
            if reply.status in (429, 503):
                raise _Throttled(
                    reason, url=reply.url, retry_after=_retry_after(reply.headers.get("Retry-After"))
                )
            raise FetchError(reason, url=reply.url)
        start, total = (
            _content_range(reply.headers.get("Content-Range")) if reply.status == 206 else (0, None)
        )
        sniffed, width, height = sniff(reply.body) if start == 0 else (None, None, None)
        header_type = (reply.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if not header_type.startswith("image/") and sniffed is None:
            raise FetchError(f"not an image ({header_type or 'no Content-Type'})", url=reply.url)
        return Entry(
            url=reply.url,
            type=header_type if header_type.startswith("image/") else sniffed,
            length=total if reply.status == 206 else _content_length(reply),
            width=width,
            height=height,
            etag=reply.headers.get("ETag"),
            last_modified=reply.headers.get("Last-Modified"),
            checked=self._now,
        )

    def _slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.Semaphore(self._config.per_host)
            return self._hosts[host]

    def _session(self) -> requests.Session:
        """One session per worker thread: requests does not promise a shared one is thread-safe."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": USER_AGENT, "Accept": "image/*,*/*;q=0.8"})
            # identity: so that Content-Range and the bytes read are the image's own, not a gzip of it
            session.headers["Accept-Encoding"] = "identity"
            session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # no state between URLs
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _remaining(self) -> float:
        return 0.0 if self._stopped.is_set() else self._deadline - time.monotonic()

    def _check_time(self) -> None:
        if self._remaining() <= 0:
            raise _OutOfTime

    def _timeouts(self) -> tuple[float, float]:
        """The configured timeouts, shortened so that no request outlives the budget."""
        left = self._remaining()
        if left <= 0:
            raise _OutOfTime
        return (min(self._config.connect_timeout, left), min(self._config.read_timeout, left))

    def _pause(self, seconds: float) -> None:
        if seconds >= self._remaining() or self._stopped.wait(seconds):
            raise _OutOfTime


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError as e:
        raise _Refused(f"malformed URL ({e})", url=url) from e
    if parts.scheme.lower() not in ("http", "https"):
        raise _Refused(f"not an http(s) URL{f' ({parts.scheme}:)' if parts.scheme else ''}", url=url)
    if not parts.hostname:
        raise _Refused("no host in URL", url=url)


def _check_address(url: str, host: str, port: int) -> None:
    """Refuse a host with any non-public address, before connecting; a DNS failure is a plain failure."""
    try:
        addresses = _addresses(host, port)
    except (OSError, UnicodeError) as e:
        raise FetchError(f"cannot resolve {host}: {getattr(e, 'strerror', None) or e}", url=url) from e
    for address in addresses:
        kind = _forbidden(address)
        if kind:
            raise _Refused(f"{kind} address {address} refused", url=url)


def _addresses(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _forbidden(address: str) -> str | None:
    """The kind of a non-public address ("loopback", "private", …), or None for a public one."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "unrecognised"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in _ADDRESS_KINDS:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-public"


def _conditional(entry: Entry) -> dict[str, str]:
    headers = {}
    if entry.etag:
        headers["If-None-Match"] = entry.etag
    if entry.last_modified:
        headers["If-Modified-Since"] = entry.last_modified
    return headers


def _worth_retrying(status: int) -> bool:
    return status == 429 or (500 <= status < 600 and status not in _GET_REFUSED)


def _retry_after(value: str | None) -> float | None:
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
    return max(0.0, when.timestamp() - _now())


def _content_range(value: str | None) -> tuple[int | None, int | None]:
    """(first byte, total length) from ``bytes 0-65535/123456``; total None for ``*``."""
    m = _CONTENT_RANGE.search(value or "")
    if not m:
        return None, None
    return int(m.group(1)), int(m.group(2)) if m.group(2).isdigit() else None


def _content_length(reply: _Reply) -> int | None:
    """The entity's length on a 200: Content-Length, else what was read if it all was, else unknown."""
    value = (reply.headers.get("Content-Length") or "").strip()
    if _DIGITS.fullmatch(value):
        return int(value)
    return len(reply.body) if reply.complete else None


def _describe(e: Exception) -> str:
    """requests' messages nest urllib3's; keep the innermost, minus object reprs."""
    inner: object = e
    while isinstance(inner, Exception) and inner.args and isinstance(inner.args[0], Exception):
        inner = inner.args[0]
    reason = getattr(inner, "reason", None)
    text = str(reason if isinstance(reason, Exception) else inner)
    text = re.sub(r"<[^>]*>:?\s*|\b\w*Connection\(host=[^)]*\):\s*", "", text)  # object reprs say nothing
    return text.strip() or type(e).__name__
