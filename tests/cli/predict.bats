#!/usr/bin/env bats
# Command-line tests of `descend predict`, checked against the interface spec of predict and
# eval: exit status, standard output (the predictions) and standard error, as a user runs it.
#
# The binary is $DESCEND if set, else ../../descend.  The error cases are a table,
# cases/predict/errors.tsv (its predict rows), run by the first test; the other tests each check
# one documented behaviour.  Weights come from `descend fit` on data/ or from cases/predict/.
# Needs only bash, awk, cmp and grep.

load helpers

setup() {
	setup_descend cases/predict
}

# expect_same shows at most this many bytes of each file (see helpers.bash).
SHOW_BYTES=2000

# The predictions of cases/predict/w.csv (1000 + 150 sqft - 500 age) on cases/predict/data.csv.
WANT_DATA='prediction
148500
221000
166000
300000
'

# ---------------------------------------------------------------- helpers

# check_predictions WEIGHTS DATA OUT: fail unless OUT is the header `prediction` then, for every
# row of DATA (a CSV with a header, numbers unquoted), intercept + sum weight*x computed here
# from WEIGHTS, to a relative 1e-12.  Columns of DATA are found by name (quotes stripped).
check_predictions() {
	awk -F, '
		FILENAME == ARGV[1] {
			if (FNR == 1) { if ($0 !~ /^term,weight,std_weight/) { print "weights header: " $0; bad = 1 } }
			else { term[++nt] = $1; w[nt] = $2 + 0 }
			next
		}
		FILENAME == ARGV[2] {
			if (FNR == 1) {
				if (term[1] != "(intercept)") { print "first term " term[1]; bad = 1 }
				for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); col[h] = i }
				for (k = 2; k <= nt; k++)
					if (!(term[k] in col)) { print "no column " term[k]; bad = 1; exit }
				next
			}
			p = w[1]
			for (k = 2; k <= nt; k++) p += w[k] * $(col[term[k]])
			want[++n] = p
			next
		}
		FNR == 1 { if ($0 != "prediction") { print "header of the predictions: " $0; bad = 1 }; next }
		{
			r = FNR - 1
			if ($0 !~ /^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/) { print "row " r ": not a number: " $0; bad = 1; next }
			e = $0 - want[r]; if (e < 0) e = -e
			m = want[r]; if (m < 0) m = -m
			if (!(e <= 1e-12 * m)) { printf "row %d: got %s, want %.17g\n", r, $0, want[r]; bad = 1 }
			got = r
		}
		END {
			if (got != n) { printf "%d predictions for %d rows\n", got, n; bad = 1 }
			exit bad
		}' "$1" "$2" "$3"
}

# csv_records FILE [DELIM]: parse FILE as RFC 4180 CSV and print one line per record: the field
# values, unquoted, separated by \037, a newline inside a value written as \036.
csv_records() {
	awk -v d="${2:-,}" '
		{ buf = buf $0 "\n" }
		END {
			n = length(buf); f = ""; rec = ""; nf = 0; q = 0
			for (i = 1; i <= n; i++) {
				c = substr(buf, i, 1)
				if (q) {
					if (c != "\"") f = f c
					else if (substr(buf, i + 1, 1) == "\"") { f = f c; i++ }
					else q = 0
				} else if (c == "\"") q = 1
				else if (c == d || c == "\n") {
					gsub(/\n/, "\036", f)
					rec = rec (nf++ ? "\037" : "") f
					f = ""
					if (c == "\n") { print rec; rec = ""; nf = 0 }
				} else f = f c
			}
			if (q) { print "unterminated quoted field" >"/dev/stderr"; exit 1 }
		}' "$1"
}

# csv_minimal [DELIM]: csv_records lines on stdin back to CSV, quoting only the fields that
# RFC 4180 needs quoted (a delimiter, a quote, CR or LF inside), LF line endings.
csv_minimal() {
	awk -v d="${1:-,}" '
		BEGIN { FS = "\037" }
		{
			for (i = 1; i <= NF; i++) {
				f = $i
				gsub(/\036/, "\n", f)
				if (index(f, d) || index(f, "\"") || index(f, "\n") || index(f, "\r")) {
					gsub(/"/, "\"\"", f)
					f = "\"" f "\""
				}
				printf "%s%s", (i > 1 ? d : ""), f
			}
			printf "\n"
		}'
}

# fit_homes: weights of `fit -t price data/homes.csv` in $T/w.csv.
fit_homes() {
	"$DESCEND" fit -q -t price -o "$T/w.csv" "$DATA/homes.csv"
}

# ---------------------------------------------------------------- the error table

@test "errors.tsv (predict rows): each exits with its status, prints its message and nothing on stdout" {
	cp -R "$CASES" "$T/cases"
	cd "$T/cases"
	run_table "$CASES/errors.tsv" predict
}

@test "-w missing or an unknown option: exit 2, the message, then the usage of predict on stderr" {
	cd "$CASES"
	expect_usage_errors predict
}

@test "--help and -h exit 0 and print the synopsis of predict on stdout" {
	expect_help predict
}

# ---------------------------------------------------------------- the predictions

@test "hand-written weights: each prediction is intercept + sum weight*x, header prediction, shortest" {
	cd "$CASES"
	write want "$WANT_DATA"
	d predict -w w.csv data.csv
	expect_status 0
	expect_same "$T/want" "$T/out"
	d predict --weights=w.csv data.csv
	expect_status 0
	expect_same "$T/want" "$T/out"
	# Fractions print shortest: 0.1 + 0.2 * 5 is the double nearest 1.1, and
	# 0.1 + 0.04 * 5 is 0.1 + 0.2, one step above the double nearest 0.3.
	printf 'term,weight,std_weight\n(intercept),0.1,0\nsqft,0,0\nage,0.2,0\n' >"$T/w3.csv"
	d predict -w "$T/w3.csv" data.csv
	expect_status 0
	[[ $(sed -n 2p "$T/out") == 1.1 ]] || { cat "$T/out"; false; }
	printf 'term,weight,std_weight\n(intercept),0.1,0\nsqft,0,0\nage,0.04,0\n' >"$T/w4.csv"
	d predict -w "$T/w4.csv" data.csv
	expect_status 0
	[[ $(sed -n 2p "$T/out") == 0.30000000000000004 ]] || { cat "$T/out"; false; }
	expect_shortest "$T/out" 1
}

@test "a weights file may have more columns after term,weight,std_weight" {
	cd "$CASES"
	write want "$WANT_DATA"
	d predict -w w_extra_columns.csv data.csv
	expect_status 0
	expect_same "$T/want" "$T/out"
}

@test "fit -> predict on homes.csv: predictions equal intercept + sum weight*x computed by awk (relative 1e-12)" {
	fit_homes
	d predict -w "$T/w.csv" "$DATA/homes.csv"
	expect_status 0
	check_predictions "$T/w.csv" "$DATA/homes.csv" "$T/out"
}

@test "fit -> predict on USJudgeRatings.csv (quoted header, 11 terms, text column): awk agrees (relative 1e-12)" {
	"$DESCEND" fit -q --drop judge -o "$T/w.csv" "$DATA/USJudgeRatings.csv"
	d predict -w "$T/w.csv" "$DATA/USJudgeRatings.csv"
	expect_status 0
	# awk -F, cannot split the quoted judge names; they are not used, so drop that column first.
	sed 's/^"[^"]*",//' "$DATA/USJudgeRatings.csv" >"$T/numbers.csv"
	check_predictions "$T/w.csv" "$T/numbers.csv" "$T/out"
}

@test "columns are matched by name: shuffled columns, extra columns and no target give the same bytes" {
	local failed=0
	fit_homes
	d predict -w "$T/w.csv" "$DATA/homes.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	# variant NAME AWK-PROGRAM: predict on homes.csv rewritten by AWK-PROGRAM (fields $1..$5 are
	# sqft,age,rooms,distance,price); stdout must equal the predictions of homes.csv.
	variant() {
		awk -F, -v OFS=, "$2" "$DATA/homes.csv" >"$T/variant.csv"
		d predict -w "$T/w.csv" "$T/variant.csv"
		if [[ $status != 0 ]] || ! cmp -s "$T/want" "$T/out"; then
			failed=$((failed + 1))
			echo "FAIL: $1: exit $status"
			head -n 3 "$T/variant.csv"
			cat "$T/err"
			head -n 3 "$T/out"
		fi
	}
	variant shuffled           '{ print $5, $3, $1, $4, $2 }'
	variant reversed           '{ print $4, $3, $2, $1 }'
	variant no-target          '{ print $1, $2, $3, $4 }'
	variant target-first       '{ print $5, $1, $2, $3, $4 }'
	# Columns the model does not use are not parsed: text there is no error.
	variant extra-text         '{ print (NR == 1 ? "note" : "\"row " NR ", \"\"ok\"\"\""), $2, $4, "n/a", $1, $3 }'
	variant text-in-target     '{ $5 = NR == 1 ? $5 : "lots"; print }'
	variant empty-extra        '{ print $1, $2, $3, $4, (NR == 1 ? "blank" : "") }'
	((failed == 0))
}

@test "--no-header names the columns x1..xd (all fields counted); a target column is ignored" {
	"$DESCEND" fit -q --no-header -o "$T/w.csv" <(sed 1d "$DATA/homes.csv")
	[[ $(cut -d, -f1 "$T/w.csv" | tr '\n' ' ') == 'term (intercept) x1 x2 x3 x4 ' ]]
	{ echo x1,x2,x3,x4,x5; sed 1d "$DATA/homes.csv"; } >"$T/named.csv"
	d predict -w "$T/w.csv" "$T/named.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	check_predictions "$T/w.csv" "$T/named.csv" "$T/want"
	sed 1d "$DATA/homes.csv" >"$T/rows.csv"
	d predict --no-header -w "$T/w.csv" "$T/rows.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	# Without the target (4 fields) the same.
	cut -d, -f1-4 "$T/rows.csv" >"$T/rows4.csv"
	d predict --no-header -w "$T/w.csv" "$T/rows4.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

# ---------------------------------------------------------------- --append

@test "--append: every input row as it was (quoted comma, quote, newline) plus the prediction last" {
	# USJudgeRatings.csv with one judge name that also holds a quote and a newline.
	awk '/^"DALY,J\.J\."/ { sub(/^"DALY,J\.J\."/, "\"DALY \"\"Jack\"\",\nJ.J.\"") } 1' \
		"$DATA/USJudgeRatings.csv" >"$T/judges.csv"
	grep -q '^J\.J\.",' "$T/judges.csv"
	"$DESCEND" fit -q --drop judge -o "$T/w.csv" "$DATA/USJudgeRatings.csv"
	d predict -w "$T/w.csv" "$T/judges.csv"
	expect_status 0
	mv "$T/out" "$T/pred"
	[[ $(grep -c '' "$T/pred") == 44 ]]
	d predict --append -w "$T/w.csv" "$T/judges.csv"
	expect_status 0
	mv "$T/out" "$T/app"
	# Field by field: each record of the output is the input's record plus its prediction (the
	# header record gets `prediction`).
	csv_records "$T/judges.csv" >"$T/in.rec"
	[[ $(grep -c '' "$T/in.rec") == 44 ]]
	awk 'NR == FNR { p[FNR] = $0; next } { print $0 "\037" p[FNR] }' "$T/pred" "$T/in.rec" >"$T/want.rec"
	csv_records "$T/app" >"$T/app.rec"
	expect_same "$T/want.rec" "$T/app.rec"
	# Byte by byte: quoted only where RFC 4180 needs it, LF line endings.
	csv_minimal <"$T/app.rec" >"$T/minimal"
	expect_same "$T/minimal" "$T/app"
	[[ $(head -n 1 "$T/app") == judge,CONT,INTG,DMNR,DILG,CFMG,DECI,PREP,FAMI,ORAL,WRIT,PHYS,RTEN,prediction ]]
	grep -q '^"AARONSON,L.H.",5.7,7.9,7.7,7.3,7.1,7.4,7.1,7.1,7.1,7,8.3,7.8,' "$T/app"
	grep -q '^"DALY ""Jack"",$' "$T/app"
}

@test "--append on simple rows: each output line is the input line, the delimiter, the prediction" {
	cd "$CASES"
	d predict --append -w w.csv data.csv
	expect_status 0
	printf 'sqft,age,price,prediction\n1000,5,200000,148500\n1500,10,260000,221000\n1200,30,190000,166000\n2000,2,330000,300000\n' >"$T/want"
	expect_same "$T/want" "$T/out"
	# With -d ';' the output keeps ';'; a field holding a comma needs no quotes there.
	tr , ';' <"$T/want" >"$T/want.semi"
	tr , ';' <data.csv >"$T/semi.csv"
	d predict --append -d ';' -w w.csv "$T/semi.csv"
	expect_status 0
	expect_same "$T/want.semi" "$T/out"
	printf 'note;sqft;age\n"a,b";1000;5\n"c;d";1500;10\n' >"$T/semi2.csv"
	d predict --append -d ';' -w w.csv "$T/semi2.csv"
	expect_status 0
	printf 'note;sqft;age;prediction\na,b;1000;5;148500\n"c;d";1500;10;221000\n' >"$T/want.semi2"
	expect_same "$T/want.semi2" "$T/out"
	# And with -d tab.
	tr , '\t' <"$T/want" >"$T/want.tab"
	tr , '\t' <data.csv >"$T/tab.csv"
	d predict --append -d tab -w w.csv "$T/tab.csv"
	expect_status 0
	expect_same "$T/want.tab" "$T/out"
}

@test "CRLF input, a BOM and no final newline give the same LF output, with and without --append" {
	local flags
	cd "$CASES"
	for flags in "" --append; do
		d predict $flags -w w.csv data.csv
		expect_status 0
		mv "$T/out" "$T/want"
		sed 's/$/\r/' data.csv >"$T/crlf.csv"
		d predict $flags -w w.csv "$T/crlf.csv"
		expect_status 0
		expect_same "$T/want" "$T/out"
		{ printf '\xef\xbb\xbf'; head -c -1 data.csv; } >"$T/bom.csv"
		d predict $flags -w w.csv "$T/bom.csv"
		expect_status 0
		expect_same "$T/want" "$T/out"
	done
}

# ---------------------------------------------------------------- input sources and output

@test "standard input (no FILE, and -) gives the same stdout bytes as FILE, also with --append" {
	local flags
	fit_homes
	for flags in "" --append; do
		d predict $flags -w "$T/w.csv" "$DATA/homes.csv"
		expect_status 0
		mv "$T/out" "$T/want"
		d predict $flags -w "$T/w.csv" <"$DATA/homes.csv"
		expect_status 0
		expect_same "$T/want" "$T/out"
		d predict $flags -w "$T/w.csv" - <"$DATA/homes.csv"
		expect_status 0
		expect_same "$T/want" "$T/out"
	done
}

@test "-o FILE writes the bytes of stdout to FILE, nothing to stdout, and no temporary file" {
	local flags
	fit_homes
	mkdir "$T/o"
	for flags in "" --append; do
		d predict $flags -w "$T/w.csv" "$DATA/homes.csv"
		mv "$T/out" "$T/want"
		d predict $flags -w "$T/w.csv" -o "$T/o/p.csv" "$DATA/homes.csv"
		expect_status 0
		expect_empty "$T/out"
		expect_same "$T/want" "$T/o/p.csv"
		no_files_but "$T/o" p.csv
		# An existing FILE is replaced; the long form does the same.
		echo old >"$T/o/p.csv"
		d predict $flags -w "$T/w.csv" --output="$T/o/p.csv" "$DATA/homes.csv"
		expect_status 0
		expect_empty "$T/out"
		expect_same "$T/want" "$T/o/p.csv"
		no_files_but "$T/o" p.csv
	done
}

@test "-o on a failing input leaves an existing FILE byte-identical, creates no new FILE, no temporary file" {
	local bad
	mkdir "$T/o"
	echo 'prediction
1' >"$T/o/p.csv"
	cp "$T/o/p.csv" "$T/keep"
	for bad in bad_middle.csv fields_middle.csv quote_middle.csv no_age.csv; do
		d predict -w "$CASES/w.csv" -o "$T/o/p.csv" "$CASES/$bad"
		expect_status 1
		expect_empty "$T/out"
		expect_line "$bad"
		expect_same "$T/keep" "$T/o/p.csv"
		d predict --append -w "$CASES/w.csv" -o "$T/o/p.csv" "$CASES/$bad"
		expect_status 1
		expect_same "$T/keep" "$T/o/p.csv"
		d predict -w "$CASES/w.csv" -o "$T/o/new.csv" "$CASES/$bad"
		expect_status 1
		no_files_but "$T/o" p.csv
	done
	# A bad weights file, too.
	d predict -w "$CASES/w_twice.csv" -o "$T/o/p.csv" "$CASES/data.csv"
	expect_status 1
	expect_same "$T/keep" "$T/o/p.csv"
	no_files_but "$T/o" p.csv
}

# ---------------------------------------------------------------- a bad row in the middle

@test "a bad row in the middle: exit 1, FILE:LINE:COLUMN, stdout is the header and the rows before it" {
	cd "$CASES"
	# "abc" in the used column age, line 5 (the 4th data row): 3 predictions were written.
	d predict -w w.csv bad_middle.csv
	expect_status 1
	printf 'prediction\n148500\n221000\n166000\n' >"$T/want"
	expect_same "$T/want" "$T/out"
	[[ $(grep -c '' "$T/err") == 1 ]]
	grep -q '^descend: bad_middle\.csv:5:2: "abc" in column "age" is not a number' "$T/err" || { cat "$T/err"; false; }
	# The same from standard input.
	d predict -w w.csv <bad_middle.csv
	expect_status 1
	expect_same "$T/want" "$T/out"
	grep -q '^descend: <stdin>:5:2: "abc" in column "age" is not a number' "$T/err" || { cat "$T/err"; false; }
	# Malformed quoting in age on line 4: 2 predictions.
	printf 'prediction\n148500\n221000\n' >"$T/want"
	d predict -w w.csv quote_middle.csv
	expect_status 1
	expect_same "$T/want" "$T/out"
	[[ $(cat "$T/err") == 'descend: quote_middle.csv:4:2: malformed quoted field' ]] || { cat "$T/err"; false; }
	# A row with 2 fields of 3 on line 4: 2 predictions (the message has FILE:LINE as in fit).
	d predict -w w.csv fields_middle.csv
	expect_status 1
	expect_same "$T/want" "$T/out"
	expect_line '^descend: fields_middle\.csv:4(:[0-9]+)?: row has 2 fields, expected 3$'
	# With --append, the rows before it with their predictions.
	d predict --append -w w.csv bad_middle.csv
	expect_status 1
	printf 'sqft,age,price,prediction\n1000,5,200000,148500\n1500,10,260000,221000\n1200,30,190000,166000\n' >"$T/want"
	expect_same "$T/want" "$T/out"
}

@test "a bad row late in a long input: exit 1, and every prediction before it is on stdout" {
	fit_homes
	d predict -w "$T/w.csv" "$DATA/homes.csv"
	head -n 901 "$T/out" >"$T/want"
	{ head -n 901 "$DATA/homes.csv"; echo '1000,NA,3,2.5,1'; sed 1d "$DATA/homes.csv"; } >"$T/long.csv"
	d predict -w "$T/w.csv" "$T/long.csv"
	expect_status 1
	expect_same "$T/want" "$T/out"
	expect_line '^descend: .*long\.csv:902:2: "NA" in column "age" is a missing value \(see --missing\)'
}
