#!/usr/bin/env python3
"""Reads 8-bit RGB(A) PNGs with zlib alone, for the tests of cvpdf's PNG
pages.

  pngcheck.py info FILE          width, height and the share of pixels
                                 that are not white
  pngcheck.py diff A B           the mean difference of the two pictures'
                                 channels (0-255) over the area they share
"""
import struct
import sys
import zlib


def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: expected a PNG signature")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
            sys.exit(f"{path}: bad CRC in a {kind!r} chunk")
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                sys.exit(f"{path}: expected 8-bit RGB or RGBA, found depth {depth} type {ctype}")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line[j] for j in range(stride) if bpp == 3 or j % 4 != 3))
        prev = line
    return w, h, rows


def main():
    if sys.argv[1] == "info":
        w, h, rows = read(sys.argv[2])
        ink = sum(1 for r in rows for i in range(0, len(r), 3) if r[i:i + 3] != b"\xff\xff\xff")
        print(w, h, "%.4f" % (ink / (w * h)))
    elif sys.argv[1] == "diff":
        wa, ha, ra = read(sys.argv[2])
        wb, hb, rb = read(sys.argv[3])
        w, h = min(wa, wb), min(ha, hb)
        total = sum(abs(x - y) for a, b in zip(ra[:h], rb[:h]) for x, y in zip(a[:3 * w], b[:3 * w]))
        print("%.3f" % (total / (3 * w * h)))


main()
