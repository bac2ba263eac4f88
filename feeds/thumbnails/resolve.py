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
Which URLs and addresses may be asked is ``netguard``'s business; sending one
request and reading its answer is ``httpreply``'s.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from urllib.parse import urlsplit

import requests

from ..config import FetchConfig
from ..errors import FetchError
from ..models import Image
from . import cache, http, netguard
from .cache import Entry
from .http import RANGE, Reply, Retryable
from .imageinfo import sniff
from .netguard import MAX_REDIRECTS, Refused, check_url

logger = logging.getLogger(__name__)

MAX_WAIT = 5.0  # longest single Retry-After pause within a build; a longer one carries over to later builds
FIRST_RETRY_WAIT = 0.25  # pause before the first retry when the server gave no Retry-After; doubles after
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_GET_REFUSED = frozenset({405, 501})

_now: Callable[[], float] = time.time  # wall clock for cache stamps; tests move it
_addresses = netguard.addresses  # the DNS lookup, done once per host and build; tests fake it here
_forbidden = netguard.forbidden  # the address classifier; tests may call an address public here


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
    run = _Run(config, _now(), progress or (lambda _n: None), cache.load(cache_file))
    wanted = list(dict.fromkeys(urls))
    run.dirty = cache.use(run.entries, wanted, run.now, config.ttl)
    todo = [url for url in wanted if not run.from_cache(url, offline)]
    fetcher = _Fetcher(config, run.now, deadline=time.monotonic() + config.budget)
    try:
        if todo:
            run.fetch(fetcher, todo)
    finally:
        if run.dirty:
            cache.save(cache_file, run.entries)
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


class _Throttled(FetchError):
    """The server asked us to come back later than a build waits; the cache honours it."""

    def __init__(self, message: str, *, url: str, retry_after: float | None):
        super().__init__(message, url=url)
        self.retry_after = retry_after


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
        self._resolved: dict[str, tuple[str, ...]] = {}  # scheme://host:port -> the checked addresses
        self.requests = 0

    def resolve(self, url: str, old: Entry | None) -> _Result:
        """Never raises: every ending is a _Result."""
        try:
            return _Result("fetched", self._resolve(url, old))
        except _OutOfTime:
            return _Result("skipped")
        except Refused as e:
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
        check_url(url)
        if old is not None and old.ok and old.url is not None and (old.etag or old.last_modified):
            reply = self._follow("GET", old.url, {**RANGE, **_conditional(old)})
            if reply.status == 304:
                return old.refreshed(self._now)
            # A changed image is read from this reply; a vanished final URL is resolved afresh.
            if reply.status in (200, 206) or (old.url == url and reply.status not in _GET_REFUSED):
                return self._interpret(reply)
        return self._interpret(self._get_or_head(url))

    def _get_or_head(self, url: str) -> Reply:
        reply = self._follow("GET", url, RANGE)
        if reply.status in _GET_REFUSED:
            reply = self._follow("HEAD", url, {})
        return reply

    def _follow(self, method: str, url: str, headers: Mapping[str, str]) -> Reply:
        """Follow redirects by hand, so the scheme and address of every hop are checked."""
        seen = {url}
        for hop in range(MAX_REDIRECTS + 1):
            try:
                reply = self._send_retrying(method, url, headers)
            except Refused as e:
                if hop == 0:
                    raise
                raise FetchError(f"redirected to a {e.reason}", url=url) from e  # a server said so: cached
            location = reply.headers.get("Location")
            if reply.status not in _REDIRECT_CODES or not location:
                return reply
            target = netguard.redirect_target(url, location, seen, hop)
            seen.add(target)
            url = target
            headers = {k: v for k, v in headers.items() if not k.startswith("If-")}  # validators are per URL
        raise AssertionError("unreachable")

    def _send_retrying(self, method: str, url: str, headers: Mapping[str, str]) -> Reply:
        attempt = 0
        while True:
            last = attempt >= self._config.retries
            try:
                reply = self._send(method, url, headers)
            except Retryable:
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

    def _send(self, method: str, url: str, headers: Mapping[str, str]) -> Reply:
        """One request to the checked addresses, host slot held, at most MAX_BYTES read, response closed."""
        slot = self._slot(urlsplit(url).hostname or "")
        if not slot.acquire(timeout=max(0.0, self._remaining())):
            raise _OutOfTime
        try:  # the slot first, then the lookup: URLs take a host's slots in the order they were given
            addresses = self._addresses_of(url)
            timeout = self._timeouts()
            with self._lock:
                self.requests += 1
            session, adapter = self._session()
            adapter.pin(url, addresses)
            return http.exchange(session, method, url, headers, timeout, self._check_time)
        finally:
            slot.release()

    def _addresses_of(self, url: str) -> tuple[str, ...]:
        """The host's addresses, resolved once per build within the connect timeout and the budget."""
        parts = urlsplit(url)
        key = f"{parts.scheme.lower()}://{parts.hostname}:{parts.port}"
        with self._lock:
            known = self._resolved.get(key)
        if known is not None:
            return known
        classify = None if self._config.allow_private else _forbidden
        try:
            found = netguard.checked_addresses(url, _addresses, classify, self._timeouts()[0])
        except Refused:
            raise
        except FetchError:
            self._check_time()  # a lookup the budget cut short is left for the next build
            raise
        with self._lock:
            self._resolved[key] = found
        return found

    def _interpret(self, reply: Reply) -> Entry:
        """Turn a final answer into a cache entry, or a failure whose reason names what was wrong."""
        if reply.status not in (200, 206):
            reason = f"HTTP {reply.status}"
            if reply.status in (429, 503):
                raise _Throttled(
                    reason, url=reply.url, retry_after=_retry_after(reply.headers.get("Retry-After"))
                )
            raise FetchError(reason, url=reply.url)
        start, total = (
            http.content_range(reply.headers.get("Content-Range")) if reply.status == 206 else (0, None)
        )
        sniffed, width, height = sniff(reply.body) if start == 0 else (None, None, None)
        header_type = (reply.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if not header_type.startswith("image/") and sniffed is None:
            raise FetchError(f"not an image ({header_type or 'no Content-Type'})", url=reply.url)
        return Entry(
            url=reply.url,
            type=header_type if header_type.startswith("image/") else sniffed,
            length=total if reply.status == 206 else http.content_length(reply),
            width=width,
            height=height,
            etag=reply.headers.get("ETag"),
            last_modified=reply.headers.get("Last-Modified"),
            checked=self._now,
            used=self._now,
        )

    def _slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.Semaphore(self._config.per_host)
            return self._hosts[host]

    def _session(self) -> tuple[requests.Session, http.PinnedAdapter]:
        """One session per worker thread: requests does not promise a shared one is thread-safe."""
        pair: tuple[requests.Session, http.PinnedAdapter] | None = getattr(self._local, "session", None)
        if pair is None:
            pair = http.new_session(self._config.trust_env)
            self._local.session = pair
            with self._lock:
                self._sessions.append(pair[0])
        return pair

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
    """Seconds to wait from a Retry-After header; an HTTP date is counted from ``_now``."""
    return http.retry_after(value, lambda: _now())
