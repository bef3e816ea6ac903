#!/usr/bin/env bats
# Command-line tests of input as people have it: files written the way R (write.csv with NA,
# write.csv2 with ';' and decimal commas), pandas (NaN, empty cells, None) and Excel (CRLF, a
# byte-order mark, ';') write them, made here byte for byte; the delimiter detected without -d
# (on a file, a pipe and the threaded reader), --decimal, --na-values, --missing for predict
# and eval; gzip, xz and zstd input from a file and a pipe, for fit, --cache, predict and eval.
# Every fit of the same numbers, however written, gives the same weights as the plain CSV.
# Needs bash, awk, gzip, xz and zstd.

load helpers

setup() {
	setup_descend .
	# mtcars' first 12 rows, mpg from wt and hp: the plain CSV as R's write.csv writes it.
	cat >"$T/mt.csv" <<-'EOF'
		"mpg","wt","hp"
		21,2.62,110
		21,2.875,110
		22.8,2.32,93
		21.4,3.215,110
		18.7,3.44,175
		18.1,3.46,105
		14.3,3.57,245
		24.4,3.19,62
		22.8,3.15,95
		19.2,3.44,123
		17.8,3.44,123
		16.4,4.07,180
	EOF
	d fit -q -t mpg -e 20 "$T/mt.csv"
	expect_status 0
	cp "$T/out" "$T/want"
}

# same_fit FILE ARGS...: fit FILE with ARGS; the weights must be those of mt.csv.
same_fit() {
	local f=$1
	shift
	d fit -t mpg -e 20 "$@" "$f"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

# as_eu: mt.csv as write.csv2 writes it (';' between fields, decimal commas).
as_eu() {
	sed 's/,/;/g; s/\([0-9]\)\.\([0-9]\)/\1,\2/g' "$T/mt.csv"
}

@test "a write.csv2 file: ';' detected and said, --decimal , reads it; without it the error hints --decimal" {
	as_eu >"$T/eu.csv"
	same_fit "$T/eu.csv" --decimal ,
	expect_line "^descend: $T/eu.csv: delimiter ; detected from the first 13 lines \(tried ; tab \|\)$"
	d fit -t mpg -e 20 "$T/eu.csv"
	expect_status 1
	expect_line "^descend: $T/eu.csv: delimiter ; detected from the first 13 lines \(tried , ; tab \|\)$"
	expect_line "^descend: $T/eu.csv:2:2: \"2,62\" in column \"wt\" is not a number \(a decimal comma\? see --decimal\)$"
	# -q: no notice, so the error says how the delimiter was found.
	d fit -q -t mpg -e 20 "$T/eu.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/eu.csv:2:2: \"2,62\" in column \"wt\" is not a number (a decimal comma? see --decimal) (delimiter ; detected from the first 13 lines (tried , ; tab |); -d sets it)" ]] || { cat "$T/err"; false; }
	# From a pipe, and with -d given: no notice.
	as_eu | "$DESCEND" fit -t mpg -e 20 --decimal , >"$T/out" 2>"$T/err"
	expect_same "$T/want" "$T/out"
	expect_line '^descend: <stdin>: delimiter ; detected'
	same_fit "$T/eu.csv" -q -d ';' --decimal ,
	expect_empty "$T/err"
}

@test "Excel's CSV: a byte-order mark, CRLF and ';' give the same weights" {
	{ printf '\xef\xbb\xbf'; sed 's/,/;/g; s/$/\r/' "$T/mt.csv"; } >"$T/excel.csv"
	same_fit "$T/excel.csv"
	expect_line "^descend: $T/excel.csv: delimiter ; detected from the first 13 lines"
}

@test "tab and | are detected, from a file and a pipe; a comma file says nothing" {
	tr , '\t' <"$T/mt.csv" >"$T/mt.tsv"
	tr , '|' <"$T/mt.csv" >"$T/mt.psv"
	same_fit "$T/mt.tsv"
	expect_line "^descend: $T/mt.tsv: delimiter tab detected from the first 13 lines \(tried , ; tab \|\)$"
	same_fit "$T/mt.psv"
	expect_line "^descend: $T/mt.psv: delimiter \| detected"
	"$DESCEND" fit -q -t mpg -e 20 <"$T/mt.tsv" >"$T/out"
	expect_same "$T/want" "$T/out"
	cat "$T/mt.psv" | "$DESCEND" fit -q -t mpg -e 20 >"$T/out"
	expect_same "$T/want" "$T/out"
	d fit -t mpg -e 20 "$T/mt.csv"
	expect_status 0
	! grep -q detected "$T/err"
	# A quoted field holding another candidate does not mislead the count.
	printf '"a;b",y\n"1;2",1\n"3",2\n"5;6;7",4\n' >"$T/q.csv"
	d fit -q --categorical 'a;b' "$T/q.csv"
	expect_status 0
}

@test "a file with another delimiter: the error says what was tried; -d reads it" {
	tr , : <"$T/mt.csv" >"$T/colon.csv"
	d fit -t mpg "$T/colon.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/colon.csv:1:1: malformed quoted field (no delimiter of , ; tab | is in the first 13 lines: read as one column; -d sets it)" ]] || { cat "$T/err"; false; }
	tr -d '"' <"$T/colon.csv" >"$T/colon2.csv"
	d fit "$T/colon2.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/colon2.csv:1: one column, \"mpg:wt:hp\", and no feature to fit it with (a CSV of the target and at least one feature is needed; is the delimiter -d right?) (no delimiter of , ; tab | is in the first 13 lines: read as one column; -d sets it)" ]] || { cat "$T/err"; false; }
	same_fit "$T/colon.csv" -q -d :
}

@test "the delimiter is detected before the threaded reader cuts a file: 2 threads, 1 thread and the comma file agree" {
	awk 'BEGIN { srand(3); print "a;b;y";
		for (i = 0; i < 200000; i++) { a = rand(); b = rand();
		printf "%.6f;%.6f;%.6f\n", a, b, 2 * a - b + 0.5 } }' >"$T/big.csv"
	tr ';' , <"$T/big.csv" >"$T/big_comma.csv"
	[[ $(stat -c %s "$T/big.csv") -gt $((4 << 20)) ]]
	d fit -q -e 3 --threads 1 "$T/big_comma.csv"
	expect_status 0
	cp "$T/out" "$T/want_big"
	d fit -q -e 3 --threads 2 "$T/big.csv"
	expect_status 0
	expect_same "$T/want_big" "$T/out"
	d fit -q -e 3 --threads 1 "$T/big.csv"
	expect_status 0
	expect_same "$T/want_big" "$T/out"
	# And a pipe read in blocks on 2 threads.
	"$DESCEND" fit -q -e 3 --threads 2 <"$T/big.csv" >"$T/out"
	expect_same "$T/want_big" "$T/out"
}

@test "--decimal , with a comma delimiter, and a bad --decimal, are usage errors" {
	d fit --decimal , -d , "$T/mt.csv"
	expect_status 2
	expect_line '^descend: --decimal , needs another delimiter than the comma \(-d .;., as write.csv2 writes\)$'
	d fit --decimal x "$T/mt.csv"
	expect_status 2
	expect_line '^descend: --decimal: "x" is not \. or ,$'
}

# R's airquality, rows 1-8: NA in Ozone and Solar.R, as write.csv writes it.
airquality() {
	cat <<-'EOF'
		"Ozone","Solar.R","Wind","Temp","Month","Day"
		41,190,7.4,67,5,1
		36,118,8,72,5,2
		12,149,12.6,74,5,3
		18,313,11.5,62,5,4
		NA,NA,14.3,56,5,5
		28,NA,14.9,66,5,6
		23,299,8.6,65,5,7
		19,99,13.8,59,5,8
	EOF
}

@test "R's NA: the error names --missing, not --drop; --missing drop leaves the rows out" {
	airquality >"$T/aq.csv"
	d fit -t Wind -x Solar.R,Temp "$T/aq.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/aq.csv:6:2: \"NA\" in column \"Solar.R\" is a missing value (see --missing)" ]] || { cat "$T/err"; false; }
	d fit -t Wind -x Solar.R,Temp --missing drop -e 5 "$T/aq.csv"
	expect_status 0
	expect_line '^descend: left out 2 rows with missing values$'
}

@test "pandas' NaN, None and empty cells are missing values; --na-values changes the words" {
	printf 'a,b,y\n1,NaN,3\n2,3,4\n3,None,5\n4,,6\n5,6,8\n6,1,7\n' >"$T/pd.csv"
	d fit "$T/pd.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/pd.csv:2:2: \"NaN\" in column \"b\" is a missing value (see --missing)" ]] || { cat "$T/err"; false; }
	d fit -e 5 --missing drop "$T/pd.csv"
	expect_status 0
	expect_line '^descend: left out 3 rows with missing values$'
	# An empty list: only the empty cell is missing.
	d fit --na-values '' "$T/pd.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/pd.csv:2:2: \"NaN\" in column \"b\" is not a number (leave it out with --drop b)" ]] || { cat "$T/err"; false; }
	d fit --missing drop --na-values 'NaN,#N/A' "$T/pd.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/pd.csv:4:2: \"None\" in column \"b\" is not a number (leave it out with --drop b)" ]] || { cat "$T/err"; false; }
	printf 'a,y\n1,2\n,3\n' >"$T/empty.csv"
	d fit "$T/empty.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/empty.csv:3:1: empty cell in column \"a\": a missing value (see --missing)" ]] || { cat "$T/err"; false; }
}

@test "predict --missing drop: an empty prediction, rows aligned with --append and threads; error by default" {
	airquality >"$T/aq.csv"
	d fit -q -t Wind -x Solar.R,Temp --missing drop -e 50 -o "$T/w.csv" "$T/aq.csv"
	expect_status 0
	d predict -w "$T/w.csv" "$T/aq.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/aq.csv:6:2: \"NA\" in column \"Solar.R\" is a missing value (see --missing)" ]] || { cat "$T/err"; false; }
	d predict -w "$T/w.csv" --missing drop "$T/aq.csv"
	expect_status 0
	expect_line '^descend: 2 rows with missing values: an empty prediction$'
	[[ $(wc -l <"$T/out") == 9 ]]
	[[ $(sed -n 6p "$T/out") == "" && $(sed -n 7p "$T/out") == "" ]]
	[[ $(sed -n 5p "$T/out") != "" && $(sed -n 8p "$T/out") != "" ]]
	cp "$T/out" "$T/p1"
	d predict -w "$T/w.csv" --missing drop --threads 3 "$T/aq.csv"
	expect_same "$T/p1" "$T/out"
	d predict -w "$T/w.csv" --missing drop --append "$T/aq.csv"
	expect_status 0
	[[ $(sed -n 7p "$T/out") == "28,NA,14.9,66,5,6," ]] || { cat "$T/out"; false; }
}

@test "eval --missing drop leaves the rows out and counts them; a missing target too" {
	airquality >"$T/aq.csv"
	d fit -q -t Day -x Solar.R,Temp --missing drop -e 50 -o "$T/w.csv" "$T/aq.csv"
	expect_status 0
	d eval -w "$T/w.csv" "$T/aq.csv"
	expect_status 1
	expect_line 'is a missing value \(see --missing\)$'
	d eval -w "$T/w.csv" --missing drop "$T/aq.csv"
	expect_status 0
	expect_line '^descend: left out 2 rows with missing values$'
	grep -qx 'n,6' "$T/out"
	printf 'Solar.R,Temp,Day\n1,2,NA\n3,4,5\n6,7,8\n' >"$T/t.csv"
	d eval -w "$T/w.csv" --missing drop "$T/t.csv"
	expect_status 0
	expect_line '^descend: left out 1 row with missing values$'
	grep -qx 'n,2' "$T/out"
}

@test "gzip, xz and zstd input from a file and a pipe: the same weights, predictions and scores" {
	gzip -c "$T/mt.csv" >"$T/mt.csv.gz"
	xz -c "$T/mt.csv" >"$T/mt.csv.xz"
	zstd -q -c "$T/mt.csv" >"$T/mt.csv.zst"
	# Two gzip members one after the other, as cat of two .gz files makes.
	{ head -5 "$T/mt.csv" | gzip -c; tail -n +6 "$T/mt.csv" | gzip -c; } >"$T/two.gz"
	d predict -w "$T/want" "$T/mt.csv"
	cp "$T/out" "$T/want_p"
	d eval -w "$T/want" -t mpg "$T/mt.csv"
	cp "$T/out" "$T/want_e"
	for f in mt.csv.gz mt.csv.xz mt.csv.zst two.gz; do
		same_fit "$T/$f" -q
		"$DESCEND" fit -q -t mpg -e 20 <"$T/$f" >"$T/out"
		expect_same "$T/want" "$T/out"
		cat "$T/$f" | "$DESCEND" fit -q -t mpg -e 20 >"$T/out"
		expect_same "$T/want" "$T/out"
		d predict -w "$T/want" "$T/$f"
		expect_same "$T/want_p" "$T/out"
		cat "$T/$f" | "$DESCEND" predict -w "$T/want" --threads 2 >"$T/out"
		expect_same "$T/want_p" "$T/out"
		d eval -w "$T/want" -t mpg "$T/$f"
		expect_same "$T/want_e" "$T/out"
	done
	# A write.csv2 file, compressed: decompressed, then its delimiter detected.
	as_eu | zstd -q -c >"$T/eu.csv.zst"
	same_fit "$T/eu.csv.zst" -q --decimal ,
}

@test "a corrupt or cut compressed input is an error that names the format" {
	gzip -c "$T/mt.csv" >"$T/mt.csv.gz"
	head -c 60 "$T/mt.csv.gz" >"$T/cut.gz"
	d fit -t mpg "$T/cut.gz"
	expect_status 1
	expect_line "^descend: $T/cut.gz: gzip input: the stream is cut short$"
	xz -c "$T/mt.csv" | head -c 40 >"$T/cut.xz"
	d fit -t mpg "$T/cut.xz"
	expect_status 1
	expect_line "^descend: $T/cut.xz: xz input: "
	zstd -q -c "$T/mt.csv" | head -c 30 >"$T/cut.zst"
	d fit -t mpg "$T/cut.zst"
	expect_status 1
	expect_line "^descend: $T/cut.zst: zstd input: "
	{ printf '\x1f\x8b'; head -c 100 /dev/zero; } >"$T/bad.gz"
	d fit -t mpg "$T/bad.gz"
	expect_status 1
	expect_line "^descend: $T/bad.gz: gzip input: "
	d predict -w "$T/want" "$T/cut.gz"
	expect_status 1
	expect_line "^descend: $T/cut.gz: gzip input: the stream is cut short$"
	expect_empty "$T/out"
}

@test "--cache from a .gz file: built, then used, the same weights" {
	gzip -c "$T/mt.csv" >"$T/mt.csv.gz"
	d fit -t mpg -e 20 --cache "$T/c.bin" "$T/mt.csv.gz"
	expect_status 0
	expect_line "^descend: wrote the cache $T/c.bin \(12 rows, 2 features\)$"
	expect_same "$T/want" "$T/out"
	d fit -t mpg -e 20 --cache "$T/c.bin" "$T/mt.csv.gz"
	expect_status 0
	expect_line "^descend: using the cache $T/c.bin \(12 rows, 2 features\)$"
	expect_same "$T/want" "$T/out"
	d fit -t mpg --cache "$T/c2.bin" --na-values NA "$T/mt.csv.gz"
	expect_status 2
	expect_line '^descend: --cache cannot be used with --na-values and --decimal \(the cache does not record them\)$'
}
