#!/usr/bin/env python3
"""Draws the made-up signature examples/cover-letter.yaml signs with: a
pen stroke in dark blue ink on white, 360 x 120 pixels, written as a PNG
to the given path.  Only the Python standard library is needed."""
import math
import struct
import sys
import zlib

W, H = 360, 120
INK = (28, 42, 96)


def stroke():
    """Points of the pen's path: a looping M, a long rising run of
    loops for the rest of the name, and an underline."""
    pts = []
    for i in range(900):
        t = i / 899
        x = 20 + 300 * t
        k = 0.55 + 0.45 * math.sin(5 * t + 1) ** 2
        y = 68 - 30 * k * math.sin(t * 11 * math.pi) - 16 * t
        x += 11 * math.cos(t * 11 * math.pi + 0.6) - 0.25 * (y - 60)
        pts.append((x, y))
    for i in range(300):
        t = i / 299
        pts.append((40 + 280 * t, 98 - 6 * math.sin(t * math.pi)))
    return pts


def main():
    ink = [[0.0] * W for _ in range(H)]
    for x0, y0 in stroke():
        for y in range(int(y0) - 3, int(y0) + 4):
            for x in range(int(x0) - 3, int(x0) + 4):
                if 0 <= x < W and 0 <= y < H:
                    d = math.hypot(x + 0.5 - x0, y + 0.5 - y0)
                    ink[y][x] = max(ink[y][x], min(1.0, max(0.0, 2.2 - d)))
    rows = []
    for y in range(H):
        row = bytearray([0])
        for x in range(W):
            a = ink[y][x]
            row += bytes(round(255 + (c - 255) * a) for c in INK)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    with open(sys.argv[1], "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
