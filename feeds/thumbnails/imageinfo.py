"""Tell an image's type and pixel size from its first bytes, without decoding it.

The sizes come from the imagesize package (the one Sphinx uses), which reads
JPEG, PNG, GIF, WebP, AVIF and HEIC, SVG, TIFF, BMP, JPEG 2000 and Netpbm
headers from a file-like object: here, the at most 64 KiB the fetcher read.
It does not say which format it found, so the MIME type comes from the
file's signature, a few lines below.  The bytes are whatever a server sent:
nothing here raises on garbage or a cut-off header, the answer is simply
less complete.  (This module was a hand-written parser of four formats.)
"""

from __future__ import annotations

import io
import logging
import math

import imagesize

log = logging.getLogger(__name__)

Sniffed = tuple[str | None, int | None, int | None]

_NOTHING: Sniffed = (None, None, None)
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "image/jp2"),
    (b"BM", "image/bmp"),
)
# ISO base media (HEIF) brands: AVIF's own, then HEIC's; mif1 alone is plain HEIF.
_BRANDS = {b"avif": "image/avif", b"avis": "image/avif", b"heic": "image/heic", b"heix": "image/heic"}
_SVG_HEAD = 1024  # bytes in which an SVG must show its <svg> tag


def sniff(data: bytes) -> Sniffed:
    """(MIME type, width, height) of the image ``data`` starts; None for what cannot be told."""
    mime = _mime(data)
    if mime is None:
        return _NOTHING
    width, height = _size(data)
    if width and height and data[12:16] == b"VP8 ":
        # A lossy WebP's top two bits of each dimension are an upscaling hint, which imagesize 2.0.1
        # counts as size (a 17-pixel image with the hint set came out 16,401 pixels wide).
        width, height = width & 0x3FFF, height & 0x3FFF
    return (mime, width, height) if width and height else (mime, None, None)


def _mime(data: bytes) -> str | None:
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return _heif(data)
    head = data[:_SVG_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in head:
        return "image/svg+xml"
    return None


def _heif(data: bytes) -> str | None:
    """The ftyp box's major brand, else the first compatible brand that names a still image type."""
    size = int.from_bytes(data[:4], "big")
    brands = [data[8:12]] + [data[i : i + 4] for i in range(16, min(size, len(data), 64) - 3, 4)]
    for brand in brands:
        if brand in _BRANDS:
            return _BRANDS[brand]
    return "image/heif" if b"mif1" in brands else None


def _size(data: bytes) -> tuple[int | None, int | None]:
    """Pixel size as imagesize reads it (EXIF rotation applied, as browsers show it); None if unknown."""
    try:
        width, height = imagesize.get(io.BytesIO(data))
    except Exception as e:  # a third-party parser on hostile bytes: no failure of it may cost the build
        log.debug("imagesize could not read %d bytes: %s: %s", len(data), type(e).__name__, e)
        return None, None
    if not all(isinstance(n, int | float) and math.isfinite(n) for n in (width, height)):
        return None, None
    width, height = round(width), round(height)  # an SVG's size is in CSS pixels, maybe fractional
    if width <= 0 or height <= 0:
        return None, None  # -1: not found; 0: "given later" (JPEG's DNL) or an SVG without a size
    return width, height
