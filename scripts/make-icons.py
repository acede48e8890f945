#!/usr/bin/env python3
"""Draws Huddle's app icons (a white H on teal) as PNGs with the standard library only:
web/static/icon-192.png, icon-512.png and icon-maskable-512.png (full bleed, the H inside
the maskable safe zone). Run: python3 scripts/make-icons.py"""
import struct
import zlib
from pathlib import Path

TEAL = (15, 118, 110)
WHITE = (255, 255, 255)
CLEAR = (0, 0, 0, 0)


def png(path, size, pixel):
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    Path(path).write_bytes(data)


def letter(x, y, size, scale):
    """The H: two posts and a bar, centred, `scale` of the icon wide."""
    u = size * scale / 5
    left = (size - 5 * u) / 2
    top = (size - 5 * u) / 2
    fx, fy = (x - left) / u, (y - top) / u
    if not (0 <= fx < 5 and 0 <= fy < 5):
        return False
    return fx < 1.3 or fx >= 3.7 or 2.0 <= fy < 3.0


def rounded(size):
    radius = size * 0.2

    def pixel(x, y, s):
        cx = min(max(x, radius), s - 1 - radius)
        cy = min(max(y, radius), s - 1 - radius)
        if (x - cx) ** 2 + (y - cy) ** 2 > radius**2:
            return CLEAR
        return (*(WHITE if letter(x, y, s, 0.55) else TEAL), 255)

    return pixel


def maskable(x, y, s):
    return (*(WHITE if letter(x, y, s, 0.42) else TEAL), 255)


static = Path(__file__).resolve().parent.parent / "web" / "static"
png(static / "icon-192.png", 192, rounded(192))
png(static / "icon-512.png", 512, rounded(512))
png(static / "icon-maskable-512.png", 512, maskable)
