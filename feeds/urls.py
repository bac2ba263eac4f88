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


# The site URL as Hexo writes it in every link and id: hexo-util's encodeURL parses ``url`` with
# node's WHATWG URL and prints it back with the host in Unicode.  The pieces of that parser a
# site's ``url`` can meet are below; what they refuse, Hexo's validate_config refuses too.
_C0_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_ESCAPE = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_IPV4_PART = re.compile(r"^(?:0[xX][0-9A-Fa-f]*|[0-9]+)$")
_PATH_KEEP = ";,/:@&=+$!*'()~%"  # encodeURI's reserved and unreserved marks, and escapes kept as they are


def canonical_site_url(value: str) -> str:
    """``value`` as Hexo's links start with it, ending in '/'; ValueError saying why it is no http(s) URL.

    Scheme and host lower case, a default port dropped, an internationalised host in Unicode
    (``xn--`` labels decoded, as encodeURL prints them), a numeric IPv4 host written out, the
    path's dot segments resolved and its Unicode percent-encoded, trailing slashes made one.  A
    query or fragment, which Hexo would glue in front of every path, is dropped.
    """
    text = re.sub(r"[\t\n\r]", "", value.strip(_C0_SPACE))
    m = _SCHEME.match(text)
    scheme = m[1].lower() if m else ""
    if scheme not in _DEFAULT_PORTS:
        raise ValueError("is not an absolute http(s) URL")
    rest = text[m.end() :].lstrip("/\\") if m else text
    end = re.search(r"[/\\?#]", rest)
    authority, tail = (rest[: end.start()], rest[end.start() :]) if end else (rest, "")
    userinfo, _, hostport = authority.rpartition("@")
    host, port = _host_port(hostport, scheme)
    path = re.split(r"[?#]", tail, maxsplit=1)[0].replace("\\", "/")
    userinfo = f"{quote(userinfo, safe=_PATH_KEEP)}@" if userinfo else ""
    return f"{scheme}://{userinfo}{host}{port}{_site_path(path)}"


def _host_port(hostport: str, scheme: str) -> tuple[str, str]:
    bracket = hostport.rfind("]")
    colon = hostport.rfind(":")
    host, port = (hostport[:colon], hostport[colon + 1 :]) if colon > bracket else (hostport, "")
    if port and (not port.isascii() or not port.isdigit() or int(port) > 65535):
        raise ValueError(f"has an invalid port ({port})")
    port = "" if not port or int(port) == _DEFAULT_PORTS[scheme] else f":{int(port)}"
    if host.startswith("[") and host.endswith("]"):
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]", port
        except ValueError as e:
            raise ValueError(f"has an invalid IPv6 host ({host})") from e
    return _domain(host), port


def _domain(host: str) -> str:
    """A domain as encodeURL prints it: UTS #46 mapped (lower case), in Unicode, or an IPv4 address."""
    text = _ESCAPE.sub(lambda m: unquote(m[0]), host)
    labels = []
    for label in text.split("."):
        if not label.isascii():
            import idna  # only for a host that is not ASCII: every cron run reads the site URL

            try:
                label = idna.uts46_remap(label, std3_rules=False, transitional=False)
                label.encode("punycode")
            except (idna.IDNAError, UnicodeError) as e:
                raise ValueError(f"has an invalid host ({host})") from e
        label = label.lower()
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except UnicodeError as e:
                raise ValueError(f"has an invalid host ({host})") from e
        labels.append(label)
    domain = ".".join(labels)
    if not domain or _FORBIDDEN_HOST.search(domain):
        raise ValueError(f"has no valid host ({host or 'none'})")
    return _ipv4(domain) or domain


def _ipv4(domain: str) -> str | None:
    """WHATWG's IPv4 parser: a host whose last label is a number is an address (``127.1``, ``0x7f.1``)."""
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not _IPV4_PART.match(parts[-1]):
        return None
    numbers = []
    for part in parts:
        if not _IPV4_PART.match(part) or len(parts) > 4:
            raise ValueError(f"has an invalid IPv4 host ({domain})")
        base = 16 if part[:2].lower() == "0x" else 8 if len(part) > 1 and part[0] == "0" else 10
        digits = part[2:] if base == 16 else part
        numbers.append(int(digits, base) if digits else 0)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(f"has an invalid IPv4 host ({domain})")
    address = sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1])) + numbers[-1]
    return str(ipaddress.IPv4Address(address))


def _site_path(path: str) -> str:
    """The URL's path, dot segments resolved and escaped as encodeURI would, with one trailing '/'."""
    segments: list[str] = []
    for segment in path.split("/")[1:]:
        if segment.lower() in ("..", ".%2e", "%2e.", "%2e%2e"):
            segments = segments[:-1]
        elif segment.lower() not in (".", "%2e"):
            segments.append(segment)
    text = "/".join(s for s in segments if s)
    text = quote(BAD_PERCENT.sub("%25", text), safe=_PATH_KEEP, errors="surrogateescape")
    return f"/{text}/" if text else "/"
