#!/bin/sh
# Render a chart made by `descend plot` in headless Chromium and check that the
# picture is not blank: fits of data/Boston.csv with gd and with adam (the latter
# with a validation curve) are drawn on one chart, screenshot at 800x500, and the
# PNG's distinct colours counted (a blank page has one; the chart has its white,
# black, greys and the series' colours). Prints the PNG's path. Not part of
# `make test`: it needs chromium (apt-get install chromium) and python3 with zlib.
# usage: sh tests/plot_render.sh [OUT.png]    (DESCEND: the binary, ./descend)
set -eu
descend=${DESCEND:-./descend}
png=${1:-${TMPDIR:-/tmp}/descend-plot.png}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	echo "plot_render.sh: needs chromium: apt-get install chromium" >&2
	exit 1
fi
"$descend" fit -q -O gd -e 300 --log "$dir/gd.csv" data/Boston.csv >/dev/null
"$descend" fit -q -O adam -e 300 --validation 0.2 --log "$dir/adam.csv" \
    data/Boston.csv >/dev/null
"$descend" plot -t "Boston: gd and adam" -o "$dir/chart.svg" "$dir/gd.csv" "$dir/adam.csv"
xmllint --noout "$dir/chart.svg"
rm -f "$png"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$dir/profile" --screenshot="$png" --window-size=800,500 \
    "file://$dir/chart.svg" >"$dir/browser.log" 2>&1 || {
	cat "$dir/browser.log" >&2
	exit 1
}
[ -s "$png" ] || { echo "plot_render.sh: no screenshot" >&2; exit 1; }

# Count the distinct colours of the PNG (8-bit RGB or RGBA, as Chromium writes it),
# decoding it with zlib alone so that no imaging library is needed.
/usr/bin/python3 - "$png" <<'PY'
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
assert depth == 8 and colour in (2, 6), "not 8-bit RGB(A)"
bpp = 3 if colour == 2 else 4
raw, stride = zlib.decompress(idat), width * bpp
prev, colours, pixels = bytearray(stride), set(), []
for y in range(height):
    kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if kind == 1: line[i] = (line[i] + a) & 255
        elif kind == 2: line[i] = (line[i] + b) & 255
        elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
    prev = line
nonwhite = len(colours - {b"\xff\xff\xff"})
print("%dx%d, %d distinct colours" % (width, height, len(colours)), file=sys.stderr)
if width != 800 or height != 500 or nonwhite < 10:
    sys.exit("plot_render.sh: the screenshot looks blank")
PY
echo "$png"
