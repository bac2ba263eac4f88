"""WebSub publish notifications: tell each hub which feeds changed, so subscribers hear at once.

One POST per hub and batch, ``hub.mode=publish`` with a ``hub.url`` for each
changed feed (WebSub leaves the publish request to the hub; the common hubs,
Google's and Superfeedr's among them, take ``hub.url`` repeated), at most
:data:`BATCH` URLs a request so a cold build of a large site sends a few
dozen requests, not thousands, nor one body a hub refuses.

The bounds are the thumbnail fetcher's (``fetch.*``): connect and read
timeouts, retries on 429, 5xx and connection errors honouring
``Retry-After``, and one time budget for all of it; a hub may not redirect
(a publish ping is a POST, and a hub that moved should be configured anew).
Hubs are named by the site's owner, not by posts, so they are not held to the
fetcher's public-address rule; they must be http(s) (the config checks that).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import requests

from .. import user_agent
from ..config import FetchConfig
from ..errors import FetchError
from ..thumbnails import describe, retry_after

log = logging.getLogger(__name__)

BATCH = 50  # hub.url values per request
FIRST_RETRY_WAIT = 0.25  # seconds before the first retry when the hub gave no Retry-After; doubles after
MAX_WAIT = 5.0  # the longest pause between tries

_sleep: Callable[[float], None] = time.sleep  # tests make waiting free


@dataclass(frozen=True)
class PublishReport:
    """Requests the hubs accepted and those that failed (after retries, or for want of time)."""

    sent: int = 0
    failed: int = 0
    urls: int = 0  # distinct feed URLs announced
    failures: tuple[str, ...] = ()  # one message a person can read per failed request


def publish(hubs: Sequence[str], urls: Iterable[str], config: FetchConfig) -> PublishReport:
    """Announce ``urls`` to every hub; never raises for a hub that fails, reports it instead."""
    wanted = sorted(set(urls))
    if not hubs or not wanted:
        return PublishReport()
    batches = [wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH)]
    deadline = time.monotonic() + config.budget
    sent = 0
    failures: list[str] = []
    with _session(config) as session:
        for hub in hubs:
            for batch in batches:
                try:
                    _notify(session, hub, batch, config, deadline)
                    sent += 1
                except FetchError as e:
                    failures.append(f"WebSub hub {e}")
    for message in failures:
        log.warning("%s", message)
    return PublishReport(sent, len(failures), len(wanted), tuple(failures))


def _session(config: FetchConfig) -> requests.Session:
    session = requests.Session()
    session.trust_env = config.trust_env  # proxies and .netrc only when the fetcher may use them
    session.headers["User-Agent"] = user_agent()
    return session


def _notify(
    session: requests.Session, hub: str, batch: Sequence[str], config: FetchConfig, deadline: float
) -> None:
    """One publish request, retried as the fetcher retries; FetchError when the hub did not take it."""
    body = [("hub.mode", "publish"), *(("hub.url", url) for url in batch)]
    wait = FIRST_RETRY_WAIT
    for attempt in range(config.retries + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"not notified of {len(batch)} feed(s): the fetch budget ran out", url=hub)
        timeout = (min(config.connect_timeout, left), min(config.read_timeout, left))
        try:
            response = session.post(hub, data=body, timeout=timeout, allow_redirects=False)
        except requests.exceptions.ConnectionError as e:  # connect timeouts too: worth another try
            problem, pause = f"connection failed: {describe(e)}", None
        except requests.exceptions.RequestException as e:  # a read timeout: as slow again
            raise FetchError(f"request failed: {describe(e)}", url=hub) from e
        else:
            with response:
                status = response.status_code
                if 200 <= status < 300:
                    return
                problem = f"answered HTTP {status}"
                if status != 429 and status < 500:
                    raise FetchError(problem, url=hub)
                pause = retry_after(response.headers.get("Retry-After"), time.time)
        if attempt == config.retries:
            raise FetchError(problem, url=hub)
        pause = wait if pause is None else pause
        if pause > MAX_WAIT or time.monotonic() + pause >= deadline:
            raise FetchError(f"{problem}; no time left to try again", url=hub)
        _sleep(pause)
        wait *= 2
    raise AssertionError("unreachable")  # the last attempt returns or raises
