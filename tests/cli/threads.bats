#!/usr/bin/env bats
# Command-line tests of --threads: a file read by several threads gives the same
# bytes on stdout and stderr as one thread: the same weights, to the bit, for every loss and
# mode, and the same messages, with the same line numbers, for bad input. Files with quotes
# after the header or lone CRs are read by one thread; their results must not change either.
# The files are above the 4 MiB from which reading is split. The rows of fits whose epochs read
# them again, and only those, are advised onto huge pages. Needs bash and awk.

load helpers

setup_file() {
	# 120,000 rows of 8 features and y: about 7 MB.
	linear_csv 11 120000 8 3 >"$BATS_FILE_TMPDIR/big.csv"
}

setup() {
	setup_descend .
	BIG=$BATS_FILE_TMPDIR/big.csv
}

# same ARGS...: run fit with --threads 1, 2, 3 and 8; stdout and stderr must be byte-identical.
same() {
	d fit "$@" --threads 1
	expect_status 0
	cp "$T/out" "$T/out1"
	# The epoch lines hold wall times; the rest must match.
	{ grep -v '^ *[0-9]' "$T/err" || true; } >"$T/err1"
	for n in 2 3 8; do
		d fit "$@" --threads "$n"
		expect_status 0
		cmp "$T/out1" "$T/out" || { echo "stdout differs with --threads $n"; return 1; }
		{ grep -v '^ *[0-9]' "$T/err" || true; } | cmp "$T/err1" - ||
		    { echo "stderr differs with --threads $n"; return 1; }
	done
}

@test "the same weights for 1, 2, 3 and 8 threads: batch mse (moments), mae, huber, logistic, sgd" {
	same -q -t y -e 3 "$BIG"
	same -q -t y -l mae -e 3 "$BIG"
	same -q -t y -l huber --delta 5 -e 3 "$BIG"
	same -q -t y -m minibatch -e 1 "$BIG"
	same -q -t y --solver exact "$BIG"
	awk -F, 'NR == 1 { print; next } { $9 = ($9 > 0 ? "up" : "down"); print }' OFS=, "$BIG" >"$T/cls.csv"
	same -q -t y -l logistic -e 3 "$T/cls.csv"
}

@test "the weights of a split read equal those of standard input" {
	d fit -q -t y -e 2 --threads 2 "$BIG"
	cp "$T/out" "$T/file"
	d fit -q -t y -e 2 --threads 2 <"$BIG"
	cmp "$T/file" "$T/out"
}

@test "a bad cell late in the file: the same message and line for every thread count" {
	awk 'NR == 100000 { sub(/^[^,]*/, "oops") } { print }' "$BIG" >"$T/bad.csv"
	for n in 1 2 4; do
		d fit -t y --threads "$n" "$T/bad.csv"
		expect_status 1
		grep -qx "descend: $T/bad.csv:100000:1: \"oops\" in column \"a\" is not a number (a text column: give it as --categorical a, or leave it out with --drop a)" "$T/err"
	done
	# Two bad cells: the first in the file is reported, whichever thread meets it.
	awk 'NR == 20 || NR == 110000 { sub(/^[^,]*/, "x" NR) } { print }' "$BIG" >"$T/two.csv"
	d fit -t y --threads 2 "$T/two.csv"
	grep -q ":20:1: \"x20\" in column" "$T/err"
}

@test "blank lines, CRLF, no header and a byte-order mark read the same on any thread count" {
	awk 'NR % 1000 == 0 { print "" } { print }' "$BIG" >"$T/blank.csv"
	same -q -t y -e 2 "$T/blank.csv"
	sed 's/$/\r/' "$BIG" >"$T/crlf.csv"
	same -q -t y -e 2 "$T/crlf.csv"
	tail -n +2 "$BIG" >"$T/nohead.csv"
	same -q --no-header -e 2 "$T/nohead.csv"
	{ printf '\357\273\277'; cat "$BIG"; } >"$T/bom.csv"
	same -q -t y -e 2 "$T/bom.csv"
	d fit -q -t y -e 2 --threads 2 "$T/bom.csv"
	cp "$T/out" "$T/bom.w"
	d fit -q -t y -e 2 --threads 2 "$BIG"
	cmp "$T/bom.w" "$T/out"
}

@test "quoted fields (a newline inside one) and lone CRs fall back to one thread, with the same result" {
	awk 'NR == 50000 { $0 = "\"1.5\n\"" substr($0, index($0, ",")) } { print }' "$BIG" >"$T/quoted.csv"
	d fit -t y --threads 1 "$T/quoted.csv"
	cp "$T/err" "$T/err1"
	d fit -t y --threads 2 "$T/quoted.csv"
	cmp "$T/err1" "$T/err"
	grep -q ':50000:1: ' "$T/err"
	tr '\n' '\r' <"$BIG" >"$T/cr.csv"
	same -q -t y -e 2 "$T/cr.csv"
}

@test "--threads takes 1 to 256" {
	d fit --threads 0 "$BIG"
	expect_status 2
	grep -qx 'descend: --threads: "0" is not a whole number from 1 to 256' "$T/err"
}

# huge_rows ARGS...: run fit ARGS on $BIG for a long time, and once it has logged its second
# epoch print 1 if a mapping of 4 MiB or more of the process is advised onto huge pages (the
# "hg" flag of /proc/PID/smaps), else 0; the fit is then killed.
huge_rows() {
	"$DESCEND" fit "$@" -e 100000000 "$BIG" >/dev/null 2>"$T/err" &
	local pid=$! i
	for ((i = 0; i < 400; i++)); do
		grep -Eq '^ +2 ' "$T/err" && break
		sleep 0.05
	done
	awk '/^[0-9a-f]+-[0-9a-f]+ / { size = 0 } $1 == "Size:" { size = $2 }
	    $1 == "VmFlags:" && size >= 4096 && / hg/ { found = 1 }
	    END { print found ? 1 : 0 }' "/proc/$pid/smaps"
	kill -KILL "$pid"
	wait "$pid" || true
}

@test "rows go on huge pages for the fits whose epochs read them again, not for batch mse" {
	[[ -e /sys/kernel/mm/transparent_hugepage/enabled ]] || skip "no transparent huge pages"
	[[ $(head -c 4 "$DESCEND" | od -An -c | tr -d ' ') == '177ELF' ]] ||
	    skip "DESCEND is a wrapper, not the binary"
	[[ $(huge_rows -m sgd) == 1 ]]
	[[ $(huge_rows -m minibatch) == 1 ]]
	[[ $(huge_rows -l mae -O gd) == 1 ]]
	# Batch mse epochs come from the moments; its rows are read a few times only.
	[[ $(huge_rows) == 0 ]]
	[[ $(huge_rows -l mae -O gd --threads 1) == 1 ]]
}
