#!/usr/bin/env python3
"""Count the pixels of each colour in a PNG, for the tests of rendered charts.

usage: png_colours.py FILE.png [X0 Y0 X1 Y1]

Prints the image's size as "size W H", then one line "count #rrggbb" per colour,
most frequent first, of the whole image or of the rectangle [X0, X1) x [Y0, Y1).
Decodes 8-bit RGB and RGBA PNGs (what Chromium writes) with zlib alone, so that
no imaging library is needed; alpha is ignored.
"""
import signal
import struct
import sys
import zlib
from collections import Counter


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s: not a PNG" % path)
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if width is None or depth != 8 or colour not in (2, 6) or interlace != 0:
        sys.exit("%s: not an 8-bit, non-interlaced RGB(A) PNG" % path)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([bytes(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    width, height, rows = decode(sys.argv[1])
    x0, y0, x1, y1 = (int(v) for v in sys.argv[2:6]) if len(sys.argv) == 6 else (0, 0, width, height)
    counts = Counter(p for row in rows[y0:y1] for p in row[x0:x1])
    print("size %d %d" % (width, height))
    for rgb, n in counts.most_common():
        print("%d #%s" % (n, rgb.hex()))


main()
