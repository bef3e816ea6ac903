#!/usr/bin/env bats
# Command-line tests of `descend plot`: the loss curves of fit's --log files as one SVG chart.
#
# The logs are made by `descend fit --log` on data/Boston.csv, once for the file: plain gradient
# descent, and adam with a validation set.  The error cases are a table, cases/plot/errors.tsv,
# run by the first test.  The SVG is checked with xmllint (package libxml2-utils) and by
# counting its elements with grep.

load helpers

setup_file() {
	local descend=${DESCEND:-$BATS_TEST_DIRNAME/../../descend}
	LOGS=$BATS_FILE_TMPDIR
	export LOGS
	"$descend" fit -q -O gd -e 150 --log "$LOGS/gd.csv" \
		"$BATS_TEST_DIRNAME/../../data/Boston.csv" >/dev/null
	"$descend" fit -q -O adam -e 150 --validation 0.2 --log "$LOGS/adam.csv" \
		"$BATS_TEST_DIRNAME/../../data/Boston.csv" >/dev/null
}

setup() {
	setup_descend cases/plot
	command -v xmllint >/dev/null || skip "needs xmllint: apt-get install libxml2-utils"
}

# expect_svg [FILE]: fail unless FILE ($T/out by default) is well-formed XML whose root is an
# SVG 1.1 element in the SVG namespace, 500 high and 800 wide (wider with a legend outside),
# with no script and no external reference.
expect_svg() {
	local f=${1:-$T/out}
	xmllint --noout "$f" || { echo "not well-formed XML"; return 1; }
	[[ $(xmllint --xpath 'name(/*)' "$f") == svg ]] || { echo "root is not svg"; return 1; }
	[[ $(xmllint --xpath 'namespace-uri(/*)' "$f") == http://www.w3.org/2000/svg ]] ||
		{ echo "not in the SVG namespace"; return 1; }
	expect_line '<svg [^>]*version="1.1" width="(800|8[0-9][1-9]|9[0-9][0-9]|10[0-9][0-9])" height="500"' "$f"
	if grep -Eiq '<script|href=|@import|url\(' "$f"; then
		echo "a script or an external reference:"
		grep -Ei '<script|href=|@import|url\(' "$f"
		return 1
	fi
}

# count PATTERN [FILE]: how many lines of FILE ($T/out by default) match the ERE PATTERN.
count() {
	grep -Ec -- "$1" "${2:-$T/out}" || true
}

# legend: the legend's labels in $T/out, one line, separated by |.
legend() {
	xmllint --xpath '//*[local-name()="text" and @x=preceding-sibling::*[1]/@x2 + 6]/text()' \
		"$T/out" 2>/dev/null | paste -sd '|'
}

@test "errors.tsv: each row exits with its status, prints its message and nothing on stdout" {
	cd "$CASES"
	run_table "$CASES/errors.tsv"
}

@test "two optimizers, one with validation: valid SVG, three curves, the validation one dashed" {
	d plot "$LOGS/gd.csv" "$LOGS/adam.csv"
	expect_status 0
	expect_empty "$T/err"
	expect_svg
	[[ $(count '<polyline') == 3 ]]
	[[ $(count '<polyline[^>]*stroke-dasharray') == 1 ]]
	[[ $(legend) == 'gd|adam|adam (validation)' ]]
	# one colour per run: adam's validation curve takes adam's
	[[ $(grep -o '<polyline[^>]* stroke="#[0-9a-f]*"' "$T/out" | grep -o '#[0-9a-f]*' |
		paste -sd ' ') == '#0072b2 #d55e00 #d55e00' ]]
	expect_line '<title>Loss by epoch</title>' "$T/out"
	expect_line '>epoch</text>' "$T/out"
	expect_line '>loss \(log scale\)</text>' "$T/out"
}

@test "every curve has one point per epoch, in the order of the log" {
	d plot "$LOGS/adam.csv"
	expect_status 0
	# 150 epochs: 150 coordinate pairs in each polyline, x increasing
	awk '/<polyline/ { on = 1; n = 0; last = -1 }
		on { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+,[0-9.]+("\/>)?$/) {
			split($i, p, ","); if (p[1] + 0 <= last) exit 1; last = p[1] + 0; n++ } }
		on && /\/>/ { on = 0; if (n != 150) exit 1; curves++ }
		END { exit curves != 2 }' <(sed 's/points="/ /' "$T/out")
}

@test "the same logs give the same bytes" {
	d plot "$LOGS/gd.csv" "$LOGS/adam.csv"
	cp "$T/out" "$T/first"
	d plot "$LOGS/gd.csv" "$LOGS/adam.csv"
	expect_same "$T/first" "$T/out"
}

@test "-o writes the file atomically: nothing on stdout, no temporary file left" {
	mkdir "$T/dir"
	d plot -o "$T/dir/chart.svg" "$LOGS/gd.csv"
	expect_status 0
	expect_empty "$T/out"
	expect_empty "$T/err"
	expect_svg "$T/dir/chart.svg"
	no_files_but "$T/dir" chart.svg
	d plot "$LOGS/gd.csv"
	expect_same "$T/out" "$T/dir/chart.svg"
}

@test "-o leaves an existing file untouched when a log is bad" {
	mkdir "$T/dir"
	echo old >"$T/dir/chart.svg"
	d plot -o "$T/dir/chart.svg" "$LOGS/gd.csv" "$CASES/text.csv"
	expect_status 1
	[[ $(cat "$T/dir/chart.svg") == old ]]
	no_files_but "$T/dir" chart.svg
}

@test "-t sets the title, with XML's special characters escaped" {
	d plot -t 'gd & adam <on> "Boston"' "$LOGS/gd.csv"
	expect_status 0
	expect_svg
	expect_line '>gd &amp; adam &lt;on&gt; &quot;Boston&quot;</text>' "$T/out"
	[[ $(xmllint --xpath 'string(//*[local-name()="title"])' "$T/out") == 'gd & adam <on> "Boston"' ]]
}

@test "a file name with special characters and bytes that are not UTF-8 still gives valid XML" {
	cp "$CASES/run.csv" "$T/a&b<c> "$'\xff'".csv"
	d plot "$T/a&b<c> "$'\xff'".csv"
	expect_status 0
	expect_svg
	expect_line '>a&amp;b&lt;c&gt; &#xfffd;</text>' "$T/out"
}

@test "the loss axis is logarithmic, labelled at powers of ten over many decades" {
	awk 'BEGIN { print "epoch,train_loss,val_loss,learning_rate,seconds"
		for (i = 0; i <= 60; i++) printf "%d,%.17g,,0.1,0\n", i, 1000 * 10 ^ (-i / 10) }' >"$T/fall.csv"
	d plot "$T/fall.csv"
	expect_status 0
	[[ $(xmllint --xpath '//*[local-name()="g" and @text-anchor="end"]/*/text()' "$T/out" |
		paste -sd ' ') == '0.001 0.01 0.1 1 10 100 1000' ]]
	# equal steps: the labels' y positions differ by the same amount
	grep -o '<text x="71.00" y="[0-9.]*"' "$T/out" | grep -o '[0-9.]*"$' | tr -d '"' |
		awk 'NR > 1 { d = prev - $1; if (NR > 2 && (d - last > 0.02 || last - d > 0.02)) exit 1; last = d }
			{ prev = $1 }'
}

@test "under two decades the ticks are at 1, 2 and 5 times powers of ten, or 1 to 9" {
	printf 'epoch,train_loss,val_loss,learning_rate,seconds\n1,0.15,,0.1,0\n2,0.9,,0.1,0\n3,3,,0.1,0\n' >"$T/narrow.csv"
	d plot "$T/narrow.csv"
	expect_status 0
	[[ $(xmllint --xpath '//*[local-name()="g" and @text-anchor="end"]/*/text()' "$T/out" |
		paste -sd ' ') == '0.2 0.5 1 2' ]]
}

@test "one notation on an axis: all ticks as powers of ten when one needs it, never 10000 next to 10⁵" {
	awk 'BEGIN { print "epoch,train_loss,val_loss,learning_rate,seconds"
		for (i = 0; i <= 80; i++) printf "%d,%.17g,,0.1,0\n", i, 1e6 * 10 ^ (-i / 10) }' >"$T/wide.csv"
	d plot "$T/wide.csv"
	expect_status 0
	[[ $(xmllint --xpath '//*[local-name()="g" and @text-anchor="end"]/*/text()' "$T/out" |
		paste -sd ' ') == '10⁻² 10⁰ 10² 10⁴ 10⁶' ]]
	# and from 2000 to 200000 at 1, 2 and 5 times powers of ten
	printf 'epoch,train_loss,val_loss,learning_rate,seconds\n1,200000,,0.1,0\n2,2000,,0.1,0\n' >"$T/mid.csv"
	d plot "$T/mid.csv"
	expect_status 0
	[[ $(xmllint --xpath '//*[local-name()="g" and @text-anchor="end"]/*/text()' "$T/out" |
		paste -sd ' ') == '2×10³ 5×10³ 10⁴ 2×10⁴ 5×10⁴ 10⁵ 2×10⁵' ]]
}

@test "from two to three decades the ticks are at 1, 2 and 5 times powers of ten" {
	printf 'epoch,train_loss,val_loss,learning_rate,seconds\n1,100,,0.1,0\n2,10,,0.1,0\n3,0.9,,0.1,0\n' >"$T/two.csv"
	d plot "$T/two.csv"
	expect_status 0
	[[ $(xmllint --xpath '//*[local-name()="g" and @text-anchor="end"]/*/text()' "$T/out" |
		paste -sd ' ') == '1 2 5 10 20 50 100' ]]
}

# legend_box: the legend's rectangle in $T/out as "left top right bottom".
legend_box() {
	grep -o '<rect x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*" fill="#ffffff" fill-opacity' \
		"$T/out" | grep -o '"[0-9.]*"' | tr -d '"' | paste -sd ' ' |
		awk '{ print $1 + 0, $2 + 0, $1 + $3, $2 + $4 }'
}

# points_in_box LEFT TOP RIGHT BOTTOM: how many points of the polylines in $T/out lie in the box.
points_in_box() {
	sed 's/points="/\n/' "$T/out" | awk -v l="$1" -v t="$2" -v r="$3" -v b="$4" '
		/<polyline/ { on = 1; next }
		on { for (i = 1; i <= NF; i++) if (split($i, p, ",") == 2) {
			x = p[1] + 0; y = p[2] + 0; if (x >= l && x <= r && y >= t && y <= b) n++ } }
		on && /\/>/ { on = 0 }
		END { print n + 0 }'
}

@test "the legend goes in the corner its box hides no line in: top right, else another" {
	# falling curves leave the top right corner clear
	d plot "$LOGS/gd.csv" "$LOGS/adam.csv"
	expect_status 0
	read -r l t r b <<<"$(legend_box)"
	[[ $r == 766 && $t == 58 ]] || { echo "legend at $l $t $r $b"; false; }
	[[ $(points_in_box $l $t $r $b) == 0 ]]
	# a flat curve along the top and one falling to the bottom right: only bottom left is clear
	awk 'BEGIN { print "epoch,train_loss,val_loss,learning_rate,seconds"
		for (i = 1; i <= 100; i++) printf "%d,%.6f,,0.1,0\n", i, 100 - i / 100 }' >"$T/flat.csv"
	awk 'BEGIN { print "epoch,train_loss,val_loss,learning_rate,seconds"
		for (i = 1; i <= 100; i++) printf "%d,%.6f,,0.1,0\n", i, 50 * exp(-i / 25) }' >"$T/drop.csv"
	d plot "$T/flat.csv" "$T/drop.csv"
	expect_status 0
	expect_svg
	read -r l t r b <<<"$(legend_box)"
	[[ $l == 90 && $b == 434 ]] || { echo "legend at $l $t $r $b"; false; }
	[[ $(points_in_box $l $t $r $b) == 0 ]]
	[[ $(legend) == 'flat|drop' ]]
}

@test "a title or a name too long for the chart is squeezed to fit it (textLength)" {
	local long
	long=$(printf 'a run with a long name %.0s' 1 2 3 4 5)
	cp "$LOGS/gd.csv" "$T/$long.csv"
	d plot -t "$(printf 'A very long title %.0s' 1 2 3 4 5 6)" "$T/$long.csv"
	expect_status 0
	expect_svg
	expect_line '<text x="400.00" y="30.00" text-anchor="middle" font-size="16" textLength="780.00" lengthAdjust="spacingAndGlyphs">A very long title' "$T/out"
	expect_line 'textLength="[0-9.]*" lengthAdjust="spacingAndGlyphs">a run with a long name' "$T/out"
	# a short title is left as it is
	d plot -t short "$LOGS/gd.csv"
	! grep -q textLength "$T/out"
}

@test "losses that are zero, negative, nan or inf are gaps, said in a comment" {
	printf 'epoch,train_loss,val_loss,learning_rate,seconds\n1,4,,0.1,0\n2,3,,0.1,0\n3,nan,,0.1,0\n4,2,,0.1,0\n5,1.5,,0.1,0\n6,-1,,0.1,0\n7,0,,0.1,0\n8,inf,,0.1,0\n9,1,,0.1,0\n' >"$T/gaps.csv"
	d plot "$T/gaps.csv"
	expect_status 0
	expect_svg
	[[ $(count '<polyline') == 2 ]]
	[[ $(count '<circle') == 1 ]]
	expect_line '<!-- series gaps: 4 of 9 points left out, their y not positive or not finite' "$T/out"
}

@test "a curve with no positive value is still in the legend, saying so" {
	printf 'epoch,train_loss,val_loss,learning_rate,seconds\n1,0,,0.1,0\n2,nan,,0.1,0\n' >"$T/zero.csv"
	d plot "$CASES/run.csv" "$T/zero.csv"
	expect_status 0
	expect_svg
	[[ $(legend) == 'run|run (validation)|zero (no positive values)' ]]
}

@test "logs whose file names are alike are named by their paths" {
	mkdir -p "$T/a" "$T/b"
	cp "$LOGS/gd.csv" "$T/a/log.csv"
	cp "$LOGS/gd.csv" "$T/b/log.csv"
	cd "$T"
	d plot a/log.csv b/log.csv
	expect_status 0
	[[ $(legend) == 'a/log|b/log' ]]
}

@test "- reads a log from standard input" {
	status=0
	"$DESCEND" plot - <"$LOGS/adam.csv" >"$T/out" 2>"$T/err" || status=$?
	expect_status 0
	[[ $(legend) == 'stdin|stdin (validation)' ]]
}

@test "--help and -h print the usage and options on stdout and exit 0" {
	for h in --help -h; do
		d plot "$h"
		expect_status 0
		expect_empty "$T/err"
		expect_line '^usage: descend plot ' "$T/out"
		expect_line '-o, --output' "$T/out"
		expect_line '-t, --title' "$T/out"
	done
}

# runs N: N logs of falling losses, run1.csv ... runN.csv, with validation; and their names.
runs() {
	local i
	for ((i = 1; i <= $1; i++)); do
		awk -v k="$i" 'BEGIN { print "epoch,train_loss,val_loss,learning_rate,seconds"
		    for (e = 1; e <= 20; e++) printf "%d,%g,%g,0.1,0\n", e, k * 100 / e, k * 110 / e }' \
		    >"$T/run$i.csv"
	done
}

@test "many runs: ten colours, then dotted lines; a run's two curves share one; the legend stands right of the chart" {
	runs 12
	d plot "$T"/run{1..12}.csv
	expect_status 0
	expect_svg
	[[ $(count '<polyline') == 24 ]]
	# training and validation of each run: one colour, solid and dashed
	grep -o '<polyline[^>]*' "$T/out" | grep -o 'stroke="#[0-9a-f]*"' | paste - - |
	    awk '$1 != $2 { bad = 1 } END { exit bad }'
	[[ $(grep -o '<polyline[^>]* stroke="#[0-9a-f]*"' "$T/out" | grep -o '#[0-9a-f]*' |
		sort -u | wc -l) == 10 ]]
	# runs 11 and 12 take the first colours again, dotted (validation: dash-dot-dotted)
	[[ $(grep -c 'stroke-dasharray="2 3"' "$T/out") -ge 2 ]]
	[[ $(grep -c 'stroke-dasharray="7 3 2 3 2 3"' "$T/out") -ge 2 ]]
	# the legend: right of the data area (x from 776), the chart wider than 800
	local box
	box=$(grep -o '<rect x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*" fill="#ffffff" fill-opacity' \
		"$T/out" | grep -o '"[0-9.]*"' | tr -d '"' | head -n 1)
	awk -v x="$box" 'BEGIN { exit !(x >= 776) }'
	expect_line '<svg [^>]*width="(8[0-9][0-9]|9[0-9][0-9]|10[0-9][0-9])" height="500"' "$T/out"
	# six series or fewer keep it inside, and 800 wide
	d plot "$T"/run{1..3}.csv
	expect_line '<svg [^>]*width="800" height="500"' "$T/out"
}

@test "a diverged run does not stretch the axis: its points above are left out, a cross marks it, the legend says so" {
	runs 2
	printf 'epoch,train_loss,val_loss,learning_rate,seconds\n1,2.3e23,2.4e23,1e6,0\n' >"$T/huge.csv"
	awk 'BEGIN { print "epoch,train_loss,val_loss,learning_rate,seconds"
	    for (e = 1; e <= 6; e++) printf "%d,%g,,1,0\n", e, 100 * 10 ^ e }' >"$T/rising.csv"
	d plot "$T/run1.csv" "$T/run2.csv" "$T/huge.csv" "$T/rising.csv"
	expect_status 0
	expect_svg
	# the axis ends below 10^3: no tick label of 10^4 or more
	! grep -Eq '>(10000|[0-9]×10[⁴-⁹]+|10[⁴-⁹]+)<' "$T/out"
	[[ $(legend) == 'run1|run1 (validation)|run2|run2 (validation)|huge (diverged)|huge (validation) (diverged)|rising (diverged)' ]]
	[[ $(grep -c '<path d="M[0-9.]* 48 l-5 -5' "$T/out") == 3 ]]
	expect_line '<!-- series rising; diverged: [0-9]+ points above the axis left out -->' "$T/out"
	# alone, a diverged run sets the axis itself
	d plot "$T/rising.csv"
	expect_line '<polyline' "$T/out"
}
