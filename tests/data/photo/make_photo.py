#!/usr/bin/env python3
"""Draws the illustrated portrait the photo examples and tests use (no
real person): a head and shoulders on a soft background, 240 x 300 pixels.
Writes a PNG (with --png) or a binary PPM (with --ppm) to the given path;
the example's JPEG is the PPM through libjpeg-turbo's cjpeg -quality 85.
Only the Python standard library is needed."""
import math
import struct
import sys
import zlib

W, H = 240, 300


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def inside_ellipse(x, y, cx, cy, rx, ry):
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0


def pixel(x, y):
    # Background: a vertical gradient with a light halo behind the head.
    bg = mix((196, 214, 232), (120, 150, 184), y / H)
    d = math.hypot(x - 120, y - 120) / 160
    if d < 1:
        bg = mix((236, 242, 248), bg, d)
    # Shoulders and shirt: the top of a wide ellipse, a collar.
    if inside_ellipse(x, y, 120, 330, 125, 105):
        if inside_ellipse(x, y, 120, 226, 26, 22) and y > 214:
            return (226, 190, 160)  # neck
        if abs(x - 120) < 30 - (y - 228) * 0.9 and y > 226:
            return (240, 240, 236)  # collar
        return mix((48, 70, 112), (30, 44, 74), (y - 225) / 75)
    # Hair behind and on top of the head.
    if inside_ellipse(x, y, 120, 128, 60, 70) and (y < 112 or abs(x - 120) > 48):
        return (74, 52, 38)
    if inside_ellipse(x, y, 120, 140, 54, 66):
        # Face, with eyes, brows and a smile.
        for ex in (98, 142):
            if inside_ellipse(x, y, ex, 136, 6, 4):
                return (52, 40, 36)
            if inside_ellipse(x, y, ex, 124, 11, 2.5):
                return (90, 64, 46)
        r = math.hypot(x - 120, y - 158)
        if 16 <= r <= 19 and y > 164:
            return (176, 96, 92)
        shade = max(0.0, (x - 120) / 140)
        return mix((238, 204, 176), (206, 166, 138), shade)
    if inside_ellipse(x, y, 120, 214, 22, 30):
        return (214, 176, 146)  # neck, in the face's shadow
    return bg


def rows():
    return [[pixel(x, y) for x in range(W)] for y in range(H)]


def png(path):
    raw = b"".join(b"\0" + bytes(c for p in row for c in p) for row in rows())

    def chunk(kind, data):
        body = kind + data
        return (struct.pack(">I", len(data)) + body +
                struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def ppm(path):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (W, H))
        for row in rows():
            f.write(bytes(c for p in row for c in p))


if __name__ == "__main__":
    {"--png": png, "--ppm": ppm}[sys.argv[1]](sys.argv[2])
