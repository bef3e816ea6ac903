#!/usr/bin/env bats
# Command-line tests of reading in blocks of lines on threads (src/blocks.c): fit from
# standard input, and predict from a file or standard input, give the same bytes as one
# reader for any --threads: the same weights, to the bit, as fit of the same bytes in a
# file; the same predictions; the same first error, at the same line. Quoted fields that
# hold newlines, CRLF line ends, a last line without a newline, a byte-order mark and a
# quoted header are read the same. The files are several blocks (of 256 KiB) long. Needs bash
# and awk.

load helpers

setup_file() {
	# 120,000 rows of 8 features and y: about 9 MB.
	linear_csv 11 120000 8 3 >"$BATS_FILE_TMPDIR/big.csv"
	# A text column first, one cell of it a quoted field over two lines (at line 50000).
	awk 'NR == 1 { print "note," $0; next }
	    NR == 50000 { print "\"two\nlines\"," $0; next } { print "n" NR "," $0 }' \
	    "$BATS_FILE_TMPDIR/big.csv" >"$BATS_FILE_TMPDIR/quoted.csv"
}

setup() {
	setup_descend .
	BIG=$BATS_FILE_TMPDIR/big.csv
	QUOTED=$BATS_FILE_TMPDIR/quoted.csv
}

# piped FILE ARGS...: fit ARGS on FILE, and on FILE through a pipe, with --threads 1, 2 and 5:
# the same weights (stdout) every time.
piped() {
	local file=$1 n
	shift
	d fit "$@" --threads 1 "$file"
	expect_status 0
	cp "$T/out" "$T/want"
	for n in 1 2 5; do
		status=0
		cat "$file" | "$DESCEND" fit "$@" --threads "$n" >"$T/out" 2>"$T/err" || status=$?
		expect_status 0
		cmp "$T/want" "$T/out" || { echo "a pipe with --threads $n differs"; return 1; }
		d fit "$@" --threads "$n" "$file"
		cmp "$T/want" "$T/out" || { echo "the file with --threads $n differs"; return 1; }
	done
}

@test "fit from a pipe: the weights of the file, for 1, 2 and 5 threads" {
	piped "$BIG" -q -t y -e 2
	piped "$BIG" -q -t y -l mae -e 2
	piped "$BIG" -q -t y -m minibatch -e 1 --seed 3
}

@test "fit from a pipe: quoted newlines, CRLF, no last newline, a byte-order mark, a quoted header" {
	piped "$QUOTED" -q -t y --drop note -e 2
	sed 's/$/\r/' "$BIG" >"$T/crlf.csv"
	piped "$T/crlf.csv" -q -t y -e 2
	head -c -1 "$BIG" >"$T/nonl.csv"
	piped "$T/nonl.csv" -q -t y -e 2
	{ printf '\357\273\277'; cat "$BIG"; } >"$T/bom.csv"
	piped "$T/bom.csv" -q -t y -e 2
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) $i = "\"" $i "\"" } { print }' OFS=, \
	    "$BIG" >"$T/qhead.csv"
	piped "$T/qhead.csv" -q -t y -e 2
	# A header whose quoted name holds a newline: one reader from the start.
	awk 'NR == 1 { sub(/^a/, "\"a\nb\"") } { print }' "$BIG" >"$T/nlhead.csv"
	piped "$T/nlhead.csv" -q -t y -e 2
	awk 'NR % 1000 == 0 { print "" } { print }' "$BIG" >"$T/blank.csv"
	piped "$T/blank.csv" -q -t y -e 2
	tail -n +2 "$BIG" >"$T/nohead.csv"
	piped "$T/nohead.csv" -q --no-header -e 2
}

@test "fit from a pipe: the first bad cell, at its line, for every thread count" {
	awk 'NR == 20 || NR == 110000 { sub(/^[^,]*/, "x" NR) } { print }' "$BIG" >"$T/two.csv"
	awk 'NR == 100000 { sub(/^[^,]*/, "oops") } { print }' "$BIG" >"$T/bad.csv"
	awk 'NR == 90000 { $0 = $0 ",1" } { print }' "$BIG" >"$T/wide.csv"
	for n in 1 2 5; do
		status=0
		cat "$T/two.csv" | "$DESCEND" fit -t y --threads "$n" 2>"$T/err" >/dev/null ||
		    status=$?
		grep -qx 'descend: <stdin>:20:1: "x20" in column "a" is not a number (a text column: give it as --categorical a, or leave it out with --drop a)' "$T/err"
		cat "$T/bad.csv" | "$DESCEND" fit -t y --threads "$n" 2>"$T/err" >/dev/null || status=$?
		expect_status 1
		grep -qx 'descend: <stdin>:100000:1: "oops" in column "a" is not a number (a text column: give it as --categorical a, or leave it out with --drop a)' "$T/err"
		cat "$T/wide.csv" | "$DESCEND" fit -t y --threads "$n" 2>"$T/err" >/dev/null || status=$?
		grep -qx 'descend: <stdin>:90000: row has 10 fields, expected 9' "$T/err"
	done
}

@test "fit from a pipe: a short input, one row, an empty one" {
	for n in 1 2 5; do
		printf 'a,y\n1,2\n2,4.5\n3,6\n' | "$DESCEND" fit -q --threads "$n" -e 3 >"$T/out.$n"
		cmp "$T/out.1" "$T/out.$n"
		status=0
		printf 'a,y\n1,2\n' | "$DESCEND" fit -q --threads "$n" 2>"$T/err" || status=$?
		expect_status 1
		grep -qx 'descend: <stdin>: only 1 data row; at least 2 are needed' "$T/err"
		status=0
		"$DESCEND" fit -q --threads "$n" </dev/null 2>"$T/err" || status=$?
		expect_status 1
		grep -qx 'descend: <stdin>: empty input' "$T/err"
	done
}

# predicted ARGS...: predict ARGS with --threads 1, 2 and 5, from the last argument (a file)
# and from it through a pipe: the same stdout (what comes before an error too), stderr and
# status every time. $T/want.err is the stderr of the file with one thread.
predicted() {
	local file=${!#} n
	d predict "$@" --threads 1
	cp "$T/out" "$T/want"
	cp "$T/err" "$T/want.err"
	local want_status=$status
	for n in 2 5; do
		d predict "$@" --threads "$n"
		expect_status "$want_status"
		cmp "$T/want" "$T/out" || { echo "--threads $n differs"; return 1; }
		cmp "$T/want.err" "$T/err" || { echo "--threads $n: stderr differs"; return 1; }
	done
	for n in 1 2 5; do
		status=0
		cat "$file" | "$DESCEND" predict "${@:1:$#-1}" --threads "$n" >"$T/out" \
		    2>"$T/err" || status=$?
		expect_status "$want_status"
		cmp "$T/want" "$T/out" || { echo "standard input, --threads $n differs"; return 1; }
		sed "s|<stdin>|$file|" "$T/err" | cmp "$T/want.err" - ||
		    { echo "standard input, --threads $n: stderr differs"; return 1; }
	done
}

@test "predict: the same bytes for 1, 2 and 5 threads, from a file and from standard input" {
	"$DESCEND" fit -q -t y -e 20 "$BIG" >"$T/w.csv"
	predicted -w "$T/w.csv" "$BIG"
	[[ $(wc -l <"$T/out") == 120001 ]]
	predicted -w "$T/w.csv" --append "$BIG"
	cmp "$BIG" <(cut -d, -f1-9 "$T/out")
	predicted -w "$T/w.csv" "$QUOTED"
	predicted -w "$T/w.csv" --append "$QUOTED"
	grep -q '^"two$' "$T/out"
	sed 's/$/\r/' "$BIG" >"$T/crlf.csv"
	predicted -w "$T/w.csv" "$T/crlf.csv"
	head -c -1 "$BIG" >"$T/nonl.csv"
	predicted -w "$T/w.csv" --append "$T/nonl.csv"
	tail -n +2 "$BIG" >"$T/nohead.csv"
	"$DESCEND" fit -q --no-header -e 20 "$T/nohead.csv" >"$T/wn.csv"
	predicted -w "$T/wn.csv" --no-header "$T/nohead.csv"
	predicted -w "$T/wn.csv" --no-header --append "$T/nohead.csv"
}

@test "predict: the first error, with its line, for every thread count" {
	"$DESCEND" fit -q -t y -e 20 "$BIG" >"$T/w.csv"
	awk 'NR == 30000 || NR == 110000 { sub(/^[^,]*/, "x" NR) } { print }' "$BIG" >"$T/bad.csv"
	predicted -w "$T/w.csv" "$T/bad.csv"
	expect_status 1
	grep -qx "descend: $T/bad.csv:30000:1: \"x30000\" in column \"a\" is not a number" "$T/want.err"
	# After the quoted field: read by one reader, the same message.
	awk 'NR == 90000 { sub(/,[^,]*$/, "") } { print }' "$QUOTED" >"$T/short.csv"
	predicted -w "$T/w.csv" "$T/short.csv"
	expect_status 1
	grep -qx "descend: $T/short.csv:90000: row has 9 fields, expected 10" "$T/want.err"
	cut -d, -f2- "$BIG" >"$T/noa.csv"
	predicted -w "$T/w.csv" "$T/noa.csv"
	expect_status 1
	grep -q "^descend: $T/noa.csv: column \"a\" of the model is not in the input (the columns: " "$T/want.err"
}

@test "predict --threads takes 1 to 256" {
	"$DESCEND" fit -q -t y -e 2 "$BIG" >"$T/w.csv"
	d predict -w "$T/w.csv" --threads 0 "$BIG"
	expect_status 2
	grep -qx 'descend: --threads: "0" is not a whole number from 1 to 256' "$T/err"
}

@test "predict on threads: a failed write says why, as one thread does, and exits 1" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	"$DESCEND" fit -q -t y -e 2 "$BIG" >"$T/w.csv"
	for n in 1 2 5; do
		status=0
		"$DESCEND" predict -w "$T/w.csv" --threads "$n" "$BIG" >/dev/full 2>"$T/err" ||
		    status=$?
		expect_status 1
		grep -qx 'descend: standard output: No space left on device' "$T/err"
	done
}
