#!/usr/bin/env bats
# Rendering tests of the charts: a `descend plot` of two optimizers' logs and a
# `fit --plot` chart are drawn by headless Chromium (package chromium, through
# tests/plot_render.sh) as they show in a browser, and the screenshot's pixels counted by
# tests/png_colours.py (python3): the picture is 800x500 and not blank, with its frame and ticks
# in black, each curve in its own colour, the title and the legend's text drawn.

load helpers

setup_file() {
	local descend=${DESCEND:-$BATS_TEST_DIRNAME/../../descend} data=$BATS_TEST_DIRNAME/../../data
	"$descend" fit -q -O gd -e 300 --log "$BATS_FILE_TMPDIR/gd.csv" "$data/Boston.csv" >/dev/null
	"$descend" fit -q -O adam -e 300 --validation 0.2 --log "$BATS_FILE_TMPDIR/adam.csv" \
		"$data/Boston.csv" >/dev/null
}

setup() {
	setup_descend .
	ROOT=$BATS_TEST_DIRNAME/../..
}

# render SVG: the screenshot of SVG in $T/chart.png, and its colours in $T/colours
# ("count #rrggbb" lines) after a line "size W H".
render() {
	xmllint --noout "$1"
	sh "$ROOT/tests/plot_render.sh" "$1" "$T/chart.png"
	python3 "$ROOT/tests/png_colours.py" "$T/chart.png" >"$T/colours"
}

# pixels COLOUR: how many pixels of the screenshot are exactly COLOUR (#rrggbb).
pixels() {
	awk -v c="$1" '$2 == c { n = $1 } END { print n + 0 }' "$T/colours"
}

# dark_pixels X0 Y0 X1 Y1: how many pixels of that rectangle of the screenshot are dark (the
# three channels sum to under 384), as text is.
dark_pixels() {
	python3 "$ROOT/tests/png_colours.py" "$T/chart.png" "$@" | awk 'NR > 1 {
		c = substr($2, 2); s = 0
		for (i = 0; i < 3; i++) s += index("0123456789abcdef", substr(c, 2 * i + 1, 1)) - 1
		if (s < 24) n += $1 } END { print n + 0 }'
}

# expect_at_least N WHAT VALUE: fail, saying what, unless VALUE >= N.
expect_at_least() {
	if (($3 < $1)); then
		echo "$2: $3, expected at least $1; the screenshot's commonest colours:"
		head -n 12 "$T/colours"
		return 1
	fi
}

# expect_chart: the screenshot is 800x500, mostly white but not blank, its frame and ticks
# black (the frame alone is 2184 pixels), with a title (dark pixels in the top 40 rows) and
# axis labels and tick labels (dark pixels left of the frame and below it).
expect_chart() {
	[[ $(head -n 1 "$T/colours") == 'size 800 500' ]] || { head -n 1 "$T/colours"; return 1; }
	local white
	white=$(pixels '#ffffff')
	((white > 200000 && white < 390000)) || { echo "$white white pixels of 400000"; return 1; }
	expect_at_least 2184 'black pixels' "$(pixels '#000000')"
	expect_at_least 100 'dark pixels of the title' "$(dark_pixels 0 0 800 40)"
	expect_at_least 300 'dark pixels left of the frame' "$(dark_pixels 0 48 79 444)"
	expect_at_least 300 'dark pixels below the frame' "$(dark_pixels 80 446 800 500)"
}

@test "descend plot of two optimizers: rendered, three curves in three colours, the legend's text" {
	d plot -t 'Boston: gd and adam' -o "$T/chart.svg" "$BATS_FILE_TMPDIR/gd.csv" \
		"$BATS_FILE_TMPDIR/adam.csv"
	expect_status 0
	render "$T/chart.svg"
	expect_chart
	# gd's curve, and adam's two (training, and validation dashed) in one colour
	expect_at_least 300 'pixels of the gd curve (#0072b2)' "$(pixels '#0072b2')"
	expect_at_least 450 'pixels of the adam curves (#d55e00)' "$(pixels '#d55e00')"
	[[ $(pixels '#009e73') == 0 ]]
	# the legend: its box's border, and text inside it, where the SVG puts it
	local box
	box=$(grep -o '<rect x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*" fill="#ffffff" fill-opacity' \
		"$T/chart.svg" | grep -o '"[0-9.]*"' | tr -d '"' | paste -sd ' ')
	[[ -n $box ]]
	expect_at_least 100 'pixels of the legend border (#a0a0a0)' "$(pixels '#a0a0a0')"
	read -r x y w h <<<"$box"
	expect_at_least 100 'dark pixels in the legend' \
		"$(dark_pixels "${x%.*}" "${y%.*}" $((${x%.*} + ${w%.*})) $((${y%.*} + ${h%.*})))"
}

@test "fit --plot with validation: rendered, the training and the validation curve" {
	d fit -q -O adam -m minibatch -l mae -e 200 --validation 0.2 --plot "$T/chart.svg" \
		"$DATA/Boston.csv"
	expect_status 0
	render "$T/chart.svg"
	expect_chart
	# the training and the validation curve, one run: one colour
	expect_at_least 450 'pixels of the two curves (#0072b2)' "$(pixels '#0072b2')"
	# nothing else of the palette
	[[ $(pixels '#d55e00') == 0 && $(pixels '#009e73') == 0 ]]
}

@test "twelve runs: a run's two curves one colour, the legend right of the data area, not on it" {
	local i
	for ((i = 1; i <= 12; i++)); do
		awk -v k="$i" 'BEGIN { print "epoch,train_loss,val_loss,learning_rate,seconds"
		    for (e = 1; e <= 30; e++) printf "%d,%g,%g,0.1,0\n", e, k * 100 / e, k * 130 / e }' \
		    >"$T/run$i.csv"
	done
	d plot -o "$T/chart.svg" "$T"/run{1..12}.csv
	expect_status 0
	render "$T/chart.svg"
	read -r _ w h < <(head -n 1 "$T/colours")
	((w > 800 && h == 500)) || { echo "size $w $h"; false; }
	# run 1's training and validation curves (and run 11's, dotted): blue, both drawn
	expect_at_least 600 'pixels of the blue runs' "$(pixels '#0072b2')"
	# inside the data area, no pixel of the legend's border; right of it, its text
	python3 "$ROOT/tests/png_colours.py" "$T/chart.png" 81 49 775 443 >"$T/area"
	# (a border is hundreds of pixels; blends of the grid's grey may make a few)
	(($(awk '$2 == "#a0a0a0" { n = $1 } END { print n + 0 }' "$T/area") < 20))
	python3 "$ROOT/tests/png_colours.py" "$T/chart.png" 776 0 "$w" 500 >"$T/right"
	(($(awk '$2 == "#a0a0a0" { n = $1 } END { print n + 0 }' "$T/right") > 300))
	expect_at_least 500 'dark pixels of the legend right of the area' "$(dark_pixels 800 48 "$w" 450)"
}

@test "an empty white SVG renders as blank: the checks above can fail" {
	printf '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"><rect width="800" height="500" fill="#ffffff"/></svg>\n' >"$T/blank.svg"
	render "$T/blank.svg"
	[[ $(head -n 1 "$T/colours") == 'size 800 500' ]]
	! expect_chart
}
