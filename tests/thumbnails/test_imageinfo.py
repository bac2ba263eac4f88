"""imageinfo.sniff: real tiny files of each format, hand-made edge cases, and fuzzing for "never raises"."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.thumbnails.imageinfo import sniff

from ..conftest import DATA

IMAGES = DATA / "images"

EXPECTED = {
    "baseline.jpg": ("image/jpeg", 13, 7),
    "progressive.jpg": ("image/jpeg", 11, 9),
    "exif.jpg": ("image/jpeg", 10, 6),  # APP1 (EXIF) before the frame header
    "image.png": ("image/png", 5, 3),
    "image.gif": ("image/gif", 9, 4),
    "lossy.webp": ("image/webp", 17, 6),  # VP8
    "lossless.webp": ("image/webp", 6, 17),  # VP8L
    "extended.webp": ("image/webp", 21, 10),  # VP8X
    "image.avif": ("image/avif", 12, 5),  # ISO boxes: ftyp, then the ispe property inside meta
    "image.tiff": ("image/tiff", 12, 5),
    "image.bmp": ("image/bmp", 12, 5),
    "image.svg": ("image/svg+xml", 24, 16),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_images(name: str) -> None:
    assert sniff((IMAGES / name).read_bytes()) == EXPECTED[name]


def test_every_test_image_is_checked_and_tiny() -> None:
    files = {p.name: p.stat().st_size for p in IMAGES.iterdir()}
    assert set(files) == set(EXPECTED)
    assert max(files.values()) < 1024


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_truncated_images_never_raise_and_keep_their_type(name: str) -> None:
    data = (IMAGES / name).read_bytes()
    mime, width, height = EXPECTED[name]
    for cut in range(len(data) + 1):
        got = sniff(data[:cut])
        assert got[0] in (None, mime)
        assert got[1:] in ((None, None), (width, height))
    if mime != "image/svg+xml":  # an SVG is known by its <svg> tag, further in
        assert sniff(data[:16])[0] == mime


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10.6" height="4"/>', ("image/svg+xml", 11, 4)),
        (b'\xef\xbb\xbf\n<svg width="100%" height="50%"/>', ("image/svg+xml", None, None)),
        (b'<svg viewBox="0 0 30 20"/>', ("image/svg+xml", None, None)),
        (b'<svg width="-3" height="7"/>', ("image/svg+xml", None, None)),
        (b"<?xml version='1.0'?><html/>", (None, None, None)),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", ("image/heic", None, None)),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1avif", ("image/avif", None, None)),
        (b"\x00\x00\x00\x14ftypisom\x00\x00\x00\x00isom", (None, None, None)),  # an MP4
    ],
)
def test_svg_and_heif_edge_cases(data: bytes, expected: tuple[str | None, int | None, int | None]) -> None:
    assert sniff(data) == expected


def test_progressive_frame_marker_is_recognised() -> None:
    data = (IMAGES / "progressive.jpg").read_bytes()
    assert b"\xff\xc2" in data and b"\xff\xc0" not in data


@pytest.mark.parametrize(
    "data",
    [b"", b"<!doctype html><html>", b"\xff\xd8", b"GIF8", b"RIFF\x00\x00\x00\x00WAVE", b"\x00" * 64],
)
def test_not_images(data: bytes) -> None:
    assert sniff(data) == (None, None, None)


def _jpeg(*segments: bytes) -> bytes:
    return b"\xff\xd8" + b"".join(segments)


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


SOF0 = _segment(0xC0, b"\x08" + struct.pack(">HH", 480, 640) + b"\x03" + b"\x00" * 9)


def test_jpeg_skips_fill_bytes_and_big_app_segments() -> None:
    exif = _segment(0xE1, b"Exif\x00\x00" + b"\x00" * 30000)
    assert sniff(_jpeg(_segment(0xE0, b"JFIF\x00"), b"\xff\xff", exif, SOF0)) == ("image/jpeg", 640, 480)


def test_jpeg_frame_header_beyond_the_bytes_read() -> None:
    exif = _segment(0xE1, b"Exif\x00\x00" + b"\x00" * 40000)
    icc = _segment(0xE2, b"ICC_PROFILE\x00" + b"\x00" * 40000)
    assert sniff(_jpeg(exif, icc, SOF0)) == ("image/jpeg", 640, 480)
    assert sniff(_jpeg(exif, icc, SOF0)[: 64 * 1024]) == ("image/jpeg", None, None)


def test_jpeg_scan_before_frame_or_bad_length_gives_no_size() -> None:
    assert sniff(_jpeg(_segment(0xDA, b"\x00" * 8), SOF0)) == ("image/jpeg", None, None)
    assert sniff(_jpeg(b"\xff\xe0\x00\x01", SOF0)) == ("image/jpeg", None, None)


def test_jpeg_bytes_between_segments_are_skipped_as_libjpeg_does() -> None:
    assert sniff(_jpeg(_segment(0xE0, b"JFIF"), b"\x00\x00garbage", SOF0)) == ("image/jpeg", 640, 480)


def test_jpeg_zero_height_is_unknown_not_zero() -> None:
    sof = _segment(0xC0, b"\x08" + struct.pack(">HH", 0, 640) + b"\x03")
    assert sniff(_jpeg(sof)) == ("image/jpeg", None, None)


def test_dht_is_not_a_frame_header() -> None:
    dht = _segment(0xC4, b"\x00" * 20)
    assert sniff(_jpeg(dht, SOF0)) == ("image/jpeg", 640, 480)


def test_png_without_ihdr_first() -> None:
    data = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"tEXt" + b"\x00" * 13
    assert sniff(data) == ("image/png", None, None)


def test_webp_vp8_ignores_scale_bits() -> None:
    data = (IMAGES / "lossy.webp").read_bytes()
    scaled = data[:26] + struct.pack("<HH", 17 | 0x4000, 6 | 0x8000) + data[30:]
    assert sniff(scaled) == ("image/webp", 17, 6)


def test_unknown_webp_chunk() -> None:
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPXXXX" + b"\x00" * 20) == ("image/webp", None, None)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    _, width, height = sniff(data)
    assert (width is None) == (height is None)
    assert width is None or (width > 0 and height is not None and height > 0)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(EXPECTED)), st.data())
def test_fuzz_mutated_images(name: str, data: st.DataObject) -> None:
    raw = bytearray((IMAGES / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    sniff(bytes(raw[:cut]))  # must not raise
    for prefix in (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 "):
        sniff(prefix + bytes(raw[:cut]))
