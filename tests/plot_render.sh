#!/bin/sh
# Render an SVG file in headless Chromium to a PNG of its size (800x500, or wider with
# the legend right of the chart), as a browser shows it.
# usage: sh tests/plot_render.sh FILE.svg OUT.png
#        sh tests/plot_render.sh DIR    (make plot-check: draw DIR/compare.png, a descend plot
#                                        of gd and adam on data/Boston.csv, and DIR/fit.png, a
#                                        fit --plot with validation, to look at)
# Needs chromium (apt-get install chromium). DESCEND: the binary, ./descend by default.
set -eu

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	echo "plot_render.sh: needs chromium: apt-get install chromium" >&2
	exit 1
fi

# render SVG PNG: the screenshot, with a profile of its own, removed after.
render() {
	profile=$(mktemp -d)
	rm -f "$2"
	case $1 in /*) url=file://$1 ;; *) url=file://$PWD/$1 ;; esac
	width=$(sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="500".*/\1/p' "$1")
	if ! "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --user-data-dir="$profile" --screenshot="$2" --window-size="${width:-800},500" \
	    "$url" >"$profile.log" 2>&1 || [ ! -s "$2" ]; then
		cat "$profile.log" >&2
		rm -rf "$profile" "$profile.log"
		echo "plot_render.sh: no screenshot of $1" >&2
		exit 1
	fi
	rm -rf "$profile" "$profile.log"
}

if [ $# -eq 2 ]; then
	render "$1" "$2"
	exit 0
fi
[ $# -eq 1 ] || { echo "usage: sh tests/plot_render.sh FILE.svg OUT.png | DIR" >&2; exit 2; }
descend=${DESCEND:-./descend}
mkdir -p "$1"
"$descend" fit -q -O gd -e 300 --log "$1/gd.csv" data/Boston.csv >/dev/null
"$descend" fit -q -O adam -e 300 --validation 0.2 --log "$1/adam.csv" data/Boston.csv >/dev/null
"$descend" plot -t "Boston: gd and adam" -o "$1/compare.svg" "$1/gd.csv" "$1/adam.csv"
"$descend" fit -q -O adam -m minibatch -l mae -e 200 --validation 0.2 --plot "$1/fit.svg" \
    data/Boston.csv >/dev/null
for chart in compare fit; do
	xmllint --noout "$1/$chart.svg"
	render "$1/$chart.svg" "$1/$chart.png"
	echo "$1/$chart.png"
done
