"""Which URLs the thumbnail fetcher may ask: http(s) only, and no request to a non-public address.

Thumbnail URLs come from posts and redirects come from servers nobody here
controls, so each hop is checked before it is sent: the URL's scheme and host,
every address its host resolves to (unless the config allows private ones),
and the redirect chain's length and loops.  Nothing here talks HTTP.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError

MAX_REDIRECTS = 5
_ADDRESS_KINDS = ("loopback", "link_local", "multicast", "unspecified", "reserved", "private")

Resolver = Callable[[str, int], list[str]]  # (host, port) -> the addresses a connection could go to


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


def check_address(url: str, resolve: Resolver | None = None) -> None:
    """Refuse a host with any non-public address, before connecting; a DNS failure is a plain failure.

    ``url`` has passed :func:`check_url`.  ``resolve`` defaults to :func:`addresses`.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        found = (resolve or addresses)(host, port)
    except (OSError, UnicodeError) as e:
        raise FetchError(f"cannot resolve {host}: {getattr(e, 'strerror', None) or e}", url=url) from e
    for address in found:
        kind = forbidden(address)
        if kind:
            raise Refused(f"{kind} address {address} refused", url=url)


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
