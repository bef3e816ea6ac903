#!/usr/bin/env bats
# Command-line tests of fit's progress meter: drawn on standard error when it is a
# terminal and -q is not given, while the input loads (for more than half a second) and while
# an epoch runs (for more than a second); never in a file or a pipe, and never with -q; and
# erased, so that what is left on the terminal is what a file would get.
#
# The terminal is a pseudo-terminal made by util-linux script(1) (package bsdutils). A slow
# load is a pipe from a writer that pauses (its size unknown), or a regular file read through
# lib/slowread.c, an LD_PRELOAD library that makes its reads pause (its size known); a slow
# epoch is sgd over 700,000 rows of 100 classes (softmax), about 3 seconds here.

load helpers

setup_file() {
	awk 'BEGIN { srand(2); print "a,b,c,y"
	    for (i = 0; i < 700000; i++) { a = rand(); b = rand(); c = rand()
	        printf "%.3f,%.3f,%.3f,k%d\n", a, b, c, int(a * 60 + b * 40) } }' \
		>"$BATS_FILE_TMPDIR/classes.csv"
	awk 'BEGIN { srand(1); print "a,b,y"
	    for (i = 0; i < 20000; i++) { a = rand(); b = rand()
	        printf "%.6f,%.6f,%.6f\n", a, b, 2 * a - b + 0.1 * rand() } }' \
		>"$BATS_FILE_TMPDIR/rows.csv"
	${CC:-cc} -shared -fPIC -o "$BATS_FILE_TMPDIR/slowread.so" "$BATS_TEST_DIRNAME/lib/slowread.c" -ldl
}

setup() {
	setup_descend .
	command -v script >/dev/null || skip "needs script(1): apt-get install bsdutils"
	CLASSES=$BATS_FILE_TMPDIR/classes.csv
	ROWS=$BATS_FILE_TMPDIR/rows.csv
	# A load of more than half a second: the first 30000 bytes, a pause, the rest.
	SLOW="(head -c 30000 $ROWS; sleep 1; tail -c +30001 $ROWS) |"
	# An epoch of more than a second.
	EPOCH="$(printf %q "$DESCEND") fit -l softmax -m sgd -e 1 $CLASSES"
	# Reads of a regular file that pause (the sanitizers' runtime need not be loaded first).
	SLOW_FILE="LD_PRELOAD=$BATS_FILE_TMPDIR/slowread.so ASAN_OPTIONS=verify_asan_link_order=0"
}

# on_tty COMMAND: run the shell command COMMAND with a pseudo-terminal as its standard input,
# output and error; what it wrote to the terminal goes to $T/tty, its status to $status.
on_tty() {
	status=0
	script -qfec "$1" /dev/null </dev/null >"$T/tty" 2>&1 || status=$?
}

# screen FILE: what a terminal shows once FILE's bytes were written to it: the terminal's CR LF
# as LF, and of each line the text after its last CR (what overwrote it), less trailing spaces.
screen() {
	sed 's/\r$//' "$1" | awk -F '\r' '{ sub(/ +$/, "", $NF); print $NF }'
}

# timeless FILE: FILE without the seconds that end each line of the epoch table.
timeless() {
	sed -E 's/ +[0-9]+\.[0-9]{3}$//' "$1"
}

# expect_meter TEXT: fail unless the terminal got the progress line (a CR, then TEXT).
expect_meter() {
	if ! grep -aqF $'\r'"$1" "$T/tty"; then
		echo "no progress line starting \"$1\" on the terminal; it got:"
		od -c "$T/tty" | head -n 20
		return 1
	fi
}

# expect_no_meter FILE: fail if FILE holds a CR that is not part of a CR LF (a redrawn line).
expect_no_meter() {
	if sed 's/\r$//' "$1" | grep -aq $'\r'; then
		echo "a progress line in ${1##*/}:"
		od -c "$1" | head -n 20
		return 1
	fi
}

@test "a slow load draws its meter on the terminal, then erases it: the screen is the file's text" {
	local d
	d=$(printf %q "$DESCEND")
	status=0
	eval "$SLOW $d fit -e 5" >"$T/want.out" 2>"$T/want.err" || status=$?
	expect_status 0
	on_tty "$SLOW $d fit -e 5 >$T/out"
	expect_status 0
	expect_meter 'reading <stdin> '
	grep -aqE $'\r''reading <stdin> [0-9.]+ KiB [0-9]+ rows [0-9.]+k? rows/s' "$T/tty"
	screen "$T/tty" | timeless /dev/stdin >"$T/got"
	timeless "$T/want.err" >"$T/want"
	expect_same "$T/want" "$T/got"
	expect_same "$T/want.out" "$T/out"
}

@test "a slow load with stderr a file or a pipe, or with -q: no meter, the same bytes on stderr" {
	local d
	d=$(printf %q "$DESCEND")
	status=0
	eval "$SLOW $d fit -e 5" >/dev/null 2>"$T/want.err" || status=$?
	expect_status 0
	on_tty "$SLOW $d fit -e 5 >/dev/null 2>$T/err"
	expect_status 0
	expect_empty "$T/tty"
	expect_same <(timeless "$T/want.err") <(timeless "$T/err")
	on_tty "$SLOW $d fit -e 5 2>&1 >/dev/null | cat"
	expect_status 0
	expect_no_meter "$T/tty"
	! grep -aq 'reading' "$T/tty"
	expect_same <(timeless "$T/want.err") <(sed 's/\r$//' "$T/tty" | timeless /dev/stdin)
	on_tty "$SLOW $d fit -q -e 5 >$T/out"
	expect_status 0
	expect_empty "$T/tty"
}

# meter_lines: the progress lines drawn on the terminal ($T/tty), one per line, without the
# padding that erased a longer one.
meter_lines() {
	tr '\r' '\n' <"$T/tty" | grep -a '^reading ' | sed 's/ *$//'
}

@test "a slow load of a regular file: bar, percentage, bytes read of the total, rows/s and time left" {
	local d kib
	d=$(printf %q "$DESCEND")
	cd "$BATS_FILE_TMPDIR"
	status=0
	"$DESCEND" fit -e 5 rows.csv >"$T/want.out" 2>"$T/want.err" || status=$?
	expect_status 0
	on_tty "$SLOW_FILE $d fit -e 5 rows.csv >$T/out"
	expect_status 0
	kib=$(wc -c <rows.csv | awk '{ printf "%.1f", $1 / 1024 }')
	meter_lines >"$T/lines"
	# drawn again and again as the file loads, each line whole: nothing cut off its end
	[[ $(wc -l <"$T/lines") -ge 3 ]] || { echo "drawn $(wc -l <"$T/lines") times:"; cat "$T/lines"; false; }
	if grep -avE "^reading rows\.csv \[[# ]{16}\] [0-9]{1,3}% [0-9.]+/$kib KiB [0-9.]+k? rows/s ETA [0-9]+:[0-9]{2}\$" "$T/lines"; then
		echo "(not a whole progress line of a $kib KiB file)"
		false
	fi
	# the percentage grows, and the bar with it; before the end, time is left
	awk '{ match($0, /\] [0-9]+%/); p = substr($0, RSTART + 2, RLENGTH - 3) + 0
		if (NR > 1 && p <= last) exit 1; last = p }' "$T/lines"
	head -n 1 "$T/lines" | grep -qE '\[#{1,8} +\] [0-9]{1,2}% .* ETA 0:0[1-9]$'
	# erased: the screen is what a file gets
	screen "$T/tty" | timeless /dev/stdin >"$T/got"
	timeless "$T/want.err" >"$T/want"
	expect_same "$T/want" "$T/got"
	expect_same "$T/want.out" "$T/out"
	# with one thread the same
	on_tty "$SLOW_FILE $d fit --threads 1 -e 5 rows.csv >$T/out"
	expect_status 0
	[[ $(meter_lines | wc -l) -ge 3 ]]
	expect_same "$T/want.out" "$T/out"
}

@test "a slow load of a file whose name is too long for the line: the name's start gives way" {
	local d dir=$BATS_FILE_TMPDIR/a-directory-with-a-rather-long-name/and-another-one
	d=$(printf %q "$DESCEND")
	mkdir -p "$dir"
	cp "$ROWS" "$dir/rows.csv"
	on_tty "$SLOW_FILE $d fit -e 5 $dir/rows.csv >/dev/null"
	expect_status 0
	tr '\r' '\n' <"$T/tty" | grep -a ' rows/s ' | sed 's/ *$//' >"$T/lines"
	[[ -s $T/lines ]]
	if grep -avE '^reading \.\.\.[^ ]*s\.csv \[[# ]{16}\] .* ETA [0-9]+:[0-9]{2}$' "$T/lines"; then
		echo "(not a line that begins with ... and ends with the time left)"
		false
	fi
	awk '{ if (length($0) > 79) exit 1 }' "$T/lines"
}

@test "a slow load of a regular file, stderr a pipe or -q: no meter" {
	local d
	d=$(printf %q "$DESCEND")
	cd "$BATS_FILE_TMPDIR"
	on_tty "$SLOW_FILE $d fit -e 5 rows.csv 2>&1 >/dev/null | cat"
	expect_status 0
	expect_no_meter "$T/tty"
	! grep -aq 'reading' "$T/tty"
	expect_line '^ +5 ' "$T/tty"
	on_tty "$SLOW_FILE $d fit -q -e 5 rows.csv >$T/out"
	expect_status 0
	expect_empty "$T/tty"
}

@test "a slow epoch draws its meter on the terminal, then erases it: the screen is the file's text" {
	status=0
	eval "$EPOCH" >"$T/want.out" 2>"$T/want.err" || status=$?
	expect_status 0
	on_tty "$EPOCH >$T/out"
	expect_status 0
	expect_meter 'epoch 1/1 ['
	grep -aqE $'\r''epoch 1/1 \[#* *\] [0-9]+% ETA [0-9]+:[0-9]{2}' "$T/tty"
	screen "$T/tty" | timeless /dev/stdin >"$T/got"
	timeless "$T/want.err" >"$T/want"
	expect_same "$T/want" "$T/got"
	expect_same "$T/want.out" "$T/out"
}

@test "a slow epoch with -q, or with stderr a pipe: no meter" {
	on_tty "$EPOCH -q >$T/out"
	expect_status 0
	expect_empty "$T/tty"
	on_tty "$EPOCH --validation 0.1 2>&1 >/dev/null | cat"
	expect_status 0
	expect_no_meter "$T/tty"
	! grep -aq 'ETA' "$T/tty"
	expect_line '^ +1 ' "$T/tty"
}
