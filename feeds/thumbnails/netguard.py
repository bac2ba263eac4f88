"""Which URLs the thumbnail fetcher may ask: http(s) only, and no request to a non-public address.

Thumbnail URLs come from posts and redirects come from servers nobody here
controls, so each hop is checked before it is sent: the URL's scheme and host,
every address its host resolves to (unless the config allows private ones),
and the redirect chain's length and loops.  The host is resolved once, and
the addresses checked are the ones the connection is then made to
(:mod:`.http` pins them): a name whose DNS answer changes between a check
and a connect (DNS rebinding) cannot reach an internal address.  Nothing
here talks HTTP.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError

MAX_REDIRECTS = 5
_ADDRESS_KINDS = ("loopback", "link_local", "multicast", "unspecified", "reserved", "private")

Resolver = Callable[[str, int], list[str]]  # (host, port) -> the addresses a connection could go to
Classifier = Callable[[str], str | None]  # an address -> the kind of non-public address it is, or None


class Refused(FetchError):
    """Refused without asking any server (scheme, address): not cached, since config may change."""


def check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError as e:
        raise Refused(f"malformed URL ({e})", url=url) from e
    if parts.scheme.lower() not in ("http", "https"):
        raise Refused(f"not an http(s) URL{f' ({parts.scheme}:)' if parts.scheme else ''}", url=url)
    if not parts.hostname:
        raise Refused("no host in URL", url=url)


def checked_addresses(
    url: str, resolve: Resolver, classify: Classifier | None, timeout: float
) -> tuple[str, ...]:
    """The addresses to connect to for ``url``'s host, each one checked; resolved once, within ``timeout``.

    ``url`` has passed :func:`check_url`.  ``classify`` None allows every address
    (``fetch.allow_private``).  A host with any non-public address is refused
    whole, since which of them a connection would use is not ours to know.
    A DNS failure or a lookup slower than ``timeout`` is a plain failure.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        found = _within(timeout, resolve, host, port)
    except TimeoutError as e:
        raise FetchError(f"cannot resolve {host}: no answer within {timeout:g} s", url=url) from e
    except (OSError, UnicodeError) as e:
        raise FetchError(f"cannot resolve {host}: {getattr(e, 'strerror', None) or e}", url=url) from e
    if not found:
        raise FetchError(f"cannot resolve {host}: no address", url=url)
    for address in found:
        kind = classify(address) if classify is not None else None
        if kind:
            raise Refused(f"{kind} address {address} refused", url=url)
    return tuple(dict.fromkeys(found))


def _within(timeout: float, resolve: Resolver, host: str, port: int) -> list[str]:
    """``resolve(host, port)``, or TimeoutError after ``timeout`` seconds.

    getaddrinfo takes no timeout and cannot be interrupted, so it runs in a
    daemon thread that is left to finish on its own when it is too slow.
    """
    answer: list[list[str] | BaseException] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            answer.append(resolve(host, port))
        except BaseException as e:  # handed to the caller, who converts what it knows
            answer.append(e)
        finally:
            done.set()

    threading.Thread(target=lookup, name="feeds-dns", daemon=True).start()
    if not done.wait(max(timeout, 0.0)):
        raise TimeoutError(host)
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


def addresses(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def forbidden(address: str) -> str | None:
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


def redirect_target(url: str, location: str, seen: set[str], hop: int) -> str:
    """Where redirect number ``hop`` (from 0) leads from ``url``, if it may be followed.

    ``seen`` holds the URLs already asked in this chain.  A refused target is a
    FetchError rather than :class:`Refused`: a server said so, so it is cached.
    """
    target = urljoin(url, location.strip())
    try:
        check_url(target)
    except Refused as e:
        raise FetchError(f"redirected to {target}: {e.reason}", url=url) from e
    if target in seen:
        raise FetchError(f"redirect loop back to {target}", url=url)
    if hop == MAX_REDIRECTS:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", url=url)
    return target
