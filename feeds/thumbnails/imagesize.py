"""Tell an image's type and pixel size from its first bytes, without decoding it.

The thumbnail fetcher reads at most 64 KiB of each image; every format handled
here puts its size in a header near the start (JPEG's frame header comes after
its EXIF and colour profile, which is why JPEG walks its segments).  Input is
whatever a server sent, so nothing here trusts a length field or raises: on
garbage or a cut-off header the answer is simply less complete.
"""

from __future__ import annotations

import struct

Sniffed = tuple[str | None, int | None, int | None]

_NOTHING: Sniffed = (None, None, None)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers that stand alone, without a length: TEM, RST0-7, SOI.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8), 0xD8})


def sniff(data: bytes) -> Sniffed:
    """(MIME type, width, height) of the image ``data`` starts; None for what cannot be told."""
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return _png(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _gif(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    return _NOTHING


def _size(mime: str, width: int, height: int) -> Sniffed:
    """A zero size means "not given here" (e.g. JPEG's DNL), so it is reported as unknown."""
    if width <= 0 or height <= 0:
        return (mime, None, None)
    return (mime, width, height)


def _jpeg(data: bytes) -> Sniffed:
    mime = "image/jpeg"
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return (mime, None, None)  # lost sync: not a segment where one should be
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _JPEG_STANDALONE:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data: no frame header before it
            return (mime, None, None)
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if marker in _JPEG_SOF:
            if pos + 9 > len(data) or length < 7:
                return (mime, None, None)
            height, width = struct.unpack_from(">HH", data, pos + 5)
            return _size(mime, width, height)
        if length < 2:
            return (mime, None, None)
        pos += 2 + length
    return (mime, None, None)


def _png(data: bytes) -> Sniffed:
    mime = "image/png"
    if len(data) < 24 or data[12:16] != b"IHDR":
        return (mime, None, None)
    width, height = struct.unpack_from(">II", data, 16)
    return _size(mime, width, height)


def _gif(data: bytes) -> Sniffed:
    mime = "image/gif"
    if len(data) < 10:
        return (mime, None, None)
    width, height = struct.unpack_from("<HH", data, 6)
    return _size(mime, width, height)


def _webp(data: bytes) -> Sniffed:
    mime = "image/webp"
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", data, 26)
        return _size(mime, width & 0x3FFF, height & 0x3FFF)  # top two bits are the upscale factor
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        (bits,) = struct.unpack_from("<I", data, 21)
        return _size(mime, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _size(mime, width, height)
    return (mime, None, None)
