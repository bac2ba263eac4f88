"""URL hygiene for every stage: escaping, resolving, and refusing what no feed may carry.

Names here are Unicode (Chinese titles, emoji), so paths are percent-encoded:
feed readers and the W3C validator want URIs, not IRIs, in RSS.  A post's own
address is Hexo's business and lives in ``source/permalink.py``.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

_PLAIN_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$")
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a '%' that starts no escape
# Characters RFC 3986 allows in a URI as they are; everything else gets escaped.
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"


@lru_cache(maxsize=65536)
def quote_segment(text: str) -> str:
    """Percent-encode one path segment (a '/' inside it is data, not a separator).

    Escapes already in the name are decoded first, as Hexo's encodeURL does,
    so a file named ``%E7%BB%A7.md`` links to the page Hexo actually made.
    """
    return quote(unquote(text), safe="", errors="surrogateescape")  # a non-UTF-8 file name's own bytes


def site_root(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def clean_url(url: str) -> str:
    """Make a URL from front matter or a body valid as a URI: escape spaces, Unicode, stray '%'."""
    url = url.strip()
    if _PLAIN_URL.match(url) and not BAD_PERCENT.search(url):
        return url  # the common case, already a valid URI
    url = BAD_PERCENT.sub("%25", url)
    parts = urlsplit(url)
    netloc = parts.netloc
    if netloc and not netloc.isascii():
        try:
            netloc = netloc.encode("idna").decode("ascii")
        except UnicodeError:
            netloc = quote(netloc, safe=":@[]")
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URI_SAFE),
            quote(parts.query, safe=_URI_SAFE),
            quote(parts.fragment, safe=_URI_SAFE),
        )
    )


def fragment(text: str) -> str:
    """Any text as a URI fragment: what RFC 3986 allows there stays, escapes stay, the rest is escaped.

    '/' is escaped too, so a name never reads as a path under the page.
    """
    return quote(BAD_PERCENT.sub("%25", text), safe="!$&'()*+,;=:@?%")


def absolute(url: str, base: str) -> str:
    """Resolve against ``base``; protocol-relative ``//host/x`` becomes https."""
    url = url.strip()
    if url.startswith(("http://", "https://")):
        return clean_url(url)
    if url.startswith("//"):
        return clean_url("https:" + url)
    return clean_url(urljoin(base, url))


class UnsafeURL(ValueError):
    """A URL taken from a post that no feed may carry; the message says why, for a warning."""


# Control characters, and the backslash, which a browser reads as '/' and Python's URL parser does
# not: the two would disagree on the host of a URL such as "http://a.example<backslash>@b.example/".
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
# DNS labels; '_' too, which some CDNs' host names carry and every browser accepts.
_HOST = re.compile(r"^(?:[\w-]+\.)*[\w-]+\.?$", re.ASCII)


# An absolute http(s) URL whose host is DNS labels and whose rest holds only what a URI may: taken as is.
_SAFE_HTTP = re.compile(
    r"^https?://(?:[\w-]+\.)*[\w-]+\.?(?::\d+)?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$", re.ASCII
)


def http_url(value: str, base: str) -> str:
    """``value`` as an absolute http(s) URL, or :class:`UnsafeURL`.

    For URLs a post names outside its body (a thumbnail, an id): the body goes
    through nh3, which drops any other scheme, but these go straight into
    ``href``, ``url`` and ``src`` attributes.  Browsers drop tabs and newlines
    inside a URL (``java\tscript:`` runs), so control characters refuse it
    rather than being cleaned away.  A relative URL is resolved against
    ``base`` (the post's permalink), and ``//host/x`` becomes https.
    """
    text = value.strip()  # as browsers do at the ends; inside, a control character refuses it
    if _SAFE_HTTP.match(text) and not BAD_PERCENT.search(text):
        return text  # nearly every thumbnail: an absolute http(s) URL with nothing to clean or refuse
    if _CONTROL.search(text):
        raise UnsafeURL("has control characters or a backslash")
    if not text:
        raise UnsafeURL("is empty")
    try:
        parts = urlsplit(text)
    except ValueError as e:
        raise UnsafeURL(f"does not parse ({e})") from e
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURL(f"is not an http(s) URL ({parts.scheme.lower()}:)")
    url = absolute(text, base)
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number raises here
    except ValueError as e:
        raise UnsafeURL(f"does not parse ({e})") from e
    host = parts.hostname or ""
    if not (_HOST.match(host) or _is_ip_literal(parts.netloc, host)):
        raise UnsafeURL(f"has no valid host ({host or 'none'})")
    return url


def _is_ip_literal(netloc: str, host: str) -> bool:
    """An IPv6 literal in brackets, the one host form ``_HOST`` does not cover (IPv4 it does)."""
    if "[" not in netloc:
        return False
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def is_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def host(url: str) -> str:
    """An absolute URL's host, lower case ("" for none): one urlsplit per host and port, not per link
    (the cleaner asks it of every link in every body)."""
    return _netloc_host(url.split("/", 3)[2] if url.count("/") >= 2 else "")


@lru_cache(maxsize=1024)
def _netloc_host(netloc: str) -> str:
    return urlsplit(f"//{netloc}").hostname or ""
