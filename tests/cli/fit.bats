#!/usr/bin/env bats
# Command-line tests of `descend fit`, checked against the interface spec: exit status,
# standard output (the weights CSV) and standard error, as a user runs the program.
#
# The binary is $DESCEND if set, else ../../descend.  The error cases are a table,
# errors.tsv, run by the first test; the other tests each check one documented behaviour.
# Needs only bash, awk, cmp and grep (plus localedef, if present, for one locale).

load helpers

setup() {
	setup_descend cases
}

# A small data set with two features and the target last; decimals exercise the number parser.
PLAIN='a,b,y
1.5,2,-2.25
2,1.25,2.5
3.75,5,-7.5
4,3.5,-0.75
5.25,4,-1
6,7.5,-8.125
7,6,0.5
'

# The same with a third feature.
PLAIN3='a,b,c,y
1.5,2,0.3,-2.25
2,1.25,0.1,2.5
3.75,5,0.7,-7.5
4,3.5,0.2,-0.75
5.25,4,0.9,-1
6,7.5,0.4,-8.125
7,6,0.6,0.5
'

# ---------------------------------------------------------------- the error table

@test "errors.tsv: each row exits with its status, prints its message and nothing on stdout" {
	cd "$CASES"
	run_table "$BATS_TEST_DIRNAME/errors.tsv"
}

@test "an unknown option or command prints the usage on stderr after the message" {
	d fit --frobnicate "$CASES/good.csv"
	expect_status 2
	expect_empty "$T/out"
	expect_line 'descend fit'
	d foo
	expect_status 2
	expect_empty "$T/out"
	[[ $(grep -c . "$T/err") -ge 2 ]]
	expect_line 'descend'
}

# ---------------------------------------------------------------- input sources and output

@test "standard input (no FILE, and -) gives the same stdout bytes as FILE" {
	write plain.csv "$PLAIN"
	d fit -q "$T/plain.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	d fit -q <"$T/plain.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d fit -q - <"$T/plain.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

@test "-o FILE writes the bytes of stdout to FILE, nothing to stdout, and no temporary file" {
	write plain.csv "$PLAIN"
	mkdir "$T/o"
	d fit -q "$T/plain.csv"
	mv "$T/out" "$T/want"
	d fit -q -o "$T/o/w.csv" "$T/plain.csv"
	expect_status 0
	expect_empty "$T/out"
	expect_same "$T/want" "$T/o/w.csv"
	no_files_but "$T/o" w.csv
	# An existing FILE is replaced; the long form does the same.
	echo old >"$T/o/w.csv"
	d fit -q --output="$T/o/w.csv" "$T/plain.csv"
	expect_status 0
	expect_empty "$T/out"
	expect_same "$T/want" "$T/o/w.csv"
	no_files_but "$T/o" w.csv
}

@test "-o on bad data leaves an existing FILE byte-identical and no temporary file" {
	mkdir "$T/o"
	printf 'term,weight,std_weight\n(intercept),1,1\n' >"$T/o/w.csv"
	cp "$T/o/w.csv" "$T/keep"
	d fit -q -o "$T/o/w.csv" "$CASES/text.csv"
	expect_status 1
	expect_empty "$T/out"
	expect_same "$T/keep" "$T/o/w.csv"
	no_files_but "$T/o" w.csv
}

@test "-o on a diverged run leaves an existing FILE byte-identical, creates no new FILE, no temporary file" {
	write plain.csv "$PLAIN"
	mkdir "$T/o"
	printf 'term,weight,std_weight\n(intercept),1,1\n' >"$T/o/w.csv"
	cp "$T/o/w.csv" "$T/keep"
	d fit -q -r 1e6 -o "$T/o/w.csv" "$T/plain.csv"
	expect_status 3
	expect_empty "$T/out"
	expect_same "$T/keep" "$T/o/w.csv"
	d fit -q -r 1e6 -o "$T/o/new.csv" "$T/plain.csv"
	expect_status 3
	no_files_but "$T/o" w.csv
}

@test "a diverged run (-r 1e6) exits 3 with the message and nothing on stdout" {
	local re='^descend: training diverged at epoch [0-9]+ \(loss [^ ]+\); try a smaller learning rate \(-r\)$'
	write plain.csv "$PLAIN"
	d fit -q -r 1e6 "$T/plain.csv"
	expect_status 3
	expect_empty "$T/out"
	[[ $(grep -c '' "$T/err") == 1 ]]
	expect_line "$re"
	# Without -q the epoch log may come first; the message is the last line.
	d fit -r 1e6 "$T/plain.csv"
	expect_status 3
	expect_empty "$T/out"
	tail -n 1 "$T/err" | grep -Eq "$re"
}

@test "a failed write of the weights (stdout is /dev/full) exits 1" {
	write plain.csv "$PLAIN"
	status=0
	"$DESCEND" fit -q "$T/plain.csv" >/dev/full 2>"$T/err" || status=$?
	expect_status 1
	expect_line '^descend: '
}

# ---------------------------------------------------------------- standard error

@test "-q gives an empty stderr on success, warnings included" {
	write k.csv $'a,k,y\n1,3,2\n2,3,5\n4,3,7\n5,3,11\n'
	for mode in batch sgd minibatch; do
		d fit -q -m "$mode" "$T/k.csv"
		expect_status 0
		expect_empty "$T/err"
	done
}

@test "without -q: an epoch header, one line per epoch, then the summary on stderr" {
	write plain.csv "$PLAIN"
	d fit -e 5 "$T/plain.csv"
	expect_status 0
	[[ $(grep -Ec '^ *[1-5] +[0-9]' "$T/err") == 5 ]] || { cat "$T/err"; false; }
	# The summary's wording is an example in the spec; these are the facts it must give.
	expect_line '^descend: .*5 epochs.*batch.*mse.*learning rate [^ ]+ \(auto\)$'
	expect_line '^descend: final mse [^ ]+; best constant \(mean\) [^ ]+'
	# The header line of the log is fixed by the spec.
	head -n 1 "$T/err" | grep -Eq '^ *epoch +loss +rate +seconds$' || { echo "epoch header:"; head -n 1 "$T/err"; false; }
}

# ---------------------------------------------------------------- the weights CSV

@test "weights: header term,weight,std_weight; (intercept) first; features in column order; LF; numbers" {
	write mid.csv $'b,y,a\n2,-2.25,1.5\n1.25,2.5,2\n5,-7.5,3.75\n3.5,-0.75,4\n4,-1,5.25\n'
	d fit -q -t y "$T/mid.csv"
	expect_status 0
	# a target that is not the last column is recorded in a last column
	[[ $(head -n 1 "$T/out") == term,weight,std_weight,target ]]
	[[ $(cut -d, -f4 "$T/out" | sed 1d | sort -u) == y ]]
	[[ $(terms) == '(intercept) b a' ]]
	[[ $(grep -c '' "$T/out") == 4 ]]
	[[ $(grep -c $'\r' "$T/out") == 0 ]]
	# Every weight is a finite number printed in C's %g style.
	awk -F, 'NR > 1 && !($2 ~ /^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/ && $3 ~ /^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/) { bad = 1; print "bad number: " $0 } NF != 4 { bad = 1; print "bad row: " $0 } END { exit bad }' "$T/out"
}

@test "every mode and loss runs and writes an intercept plus one weight per feature" {
	write plain.csv "$PLAIN"
	for mode in batch sgd minibatch; do
		for loss in mse mae; do
			d fit -q -m "$mode" -l "$loss" -b 3 "$T/plain.csv"
			expect_status 0
			[[ $(terms) == '(intercept) a b' ]] || { echo "mode $mode loss $loss"; cat "$T/out"; false; }
		done
	done
	d fit -q --no-standardize -r 0.001 "$T/plain.csv"
	expect_status 0
	[[ $(terms) == '(intercept) a b' ]]
}

@test "spelling out the defaults changes nothing" {
	write plain.csv "$PLAIN"
	d fit -q "$T/plain.csv"
	mv "$T/out" "$T/want"
	d fit -q -e 100 -l mse -m batch -r auto -b 32 --seed 1 -d , -t y -x a,b "$T/plain.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d fit -q --epochs=100 --loss=mse --mode=batch --learning-rate=auto --batch-size=32 \
		--seed=1 --delimiter=, --target=y --features=a,b "$T/plain.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

# ---------------------------------------------------------------- determinism and seeds

@test "the same --seed gives identical stdout in sgd and minibatch modes" {
	write plain.csv "$PLAIN"
	for mode in sgd minibatch; do
		d fit -q -m "$mode" -b 3 --seed 7 "$T/plain.csv"
		mv "$T/out" "$T/first"
		d fit -q -m "$mode" -b 3 --seed 7 "$T/plain.csv"
		expect_status 0
		expect_same "$T/first" "$T/out"
	done
}

@test "different seeds give different weights in sgd mode" {
	write plain.csv "$PLAIN"
	d fit -q -m sgd --seed 1 "$T/plain.csv"
	mv "$T/out" "$T/one"
	d fit -q -m sgd --seed 2 "$T/plain.csv"
	expect_status 0
	if cmp -s "$T/one" "$T/out"; then
		echo "seeds 1 and 2 gave the same weights:"
		cat "$T/out"
		return 1
	fi
}

@test "--seed accepts 0 and 2^64-1" {
	write plain.csv "$PLAIN"
	d fit -q -m sgd --seed 0 "$T/plain.csv"
	expect_status 0
	d fit -q -m sgd --seed 18446744073709551615 "$T/plain.csv"
	expect_status 0
}

@test "batch mode ignores --seed and -b; sgd mode ignores -b" {
	write plain.csv "$PLAIN"
	d fit -q "$T/plain.csv"
	mv "$T/out" "$T/want"
	d fit -q --seed 99 -b 1 "$T/plain.csv"
	expect_same "$T/want" "$T/out"
	d fit -q -m sgd -b 1 "$T/plain.csv"
	mv "$T/out" "$T/want"
	d fit -q -m sgd -b 5 "$T/plain.csv"
	expect_same "$T/want" "$T/out"
}

# ---------------------------------------------------------------- input formats

@test "CRLF, BOM, no final newline, blank lines, spaces, quotes, -d ';' and -d tab give the plain weights" {
	local lf=$'\n' crlf=$'\r\n' bom=$'\xef\xbb\xbf' tab=$'\t' nonl=${PLAIN%$'\n'} failed=0
	local quoted padded tabbed=${PLAIN//,/$tab}
	quoted=$(printf %s "$PLAIN" | awk -F, -v OFS=, '{ for (i = 1; i <= NF; i++) $i = "\"" $i "\"" } 1')$lf
	padded=$(printf %s "$PLAIN" | awk -F, -v OFS=' \t,  ' '{ $1 = $1; print "  " $0 " \t" }')$lf
	write plain.csv "$PLAIN"
	d fit -q "$T/plain.csv"
	expect_status 0
	mv "$T/out" "$T/want"

	# variant NAME OPTIONS INPUT: OPTIONS are split at spaces only.
	variant() {
		local -a opts
		IFS=' ' read -ra opts <<<"$2"
		printf %s "$3" >"$T/variant.csv"
		d fit -q "${opts[@]}" "$T/variant.csv"
		if [[ $status != 0 ]] || ! cmp -s "$T/want" "$T/out"; then
			failed=$((failed + 1))
			echo "FAIL: $1 (options: $2): exit $status"
			cat "$T/err" "$T/out"
		fi
	}
	#       name                        options       input
	variant crlf                        ''            "${PLAIN//$lf/$crlf}"
	variant bom                         ''            "$bom$PLAIN"
	variant no-final-newline            ''            "$nonl"
	variant crlf-no-final-newline       ''            "${nonl//$lf/$crlf}"
	variant bom+crlf+no-final-newline   ''            "$bom${nonl//$lf/$crlf}"
	variant blank-lines                 ''            "${PLAIN/$lf/$lf$lf}$lf$lf"
	variant blank-crlf-lines            ''            "${PLAIN//$lf/$crlf$crlf}"
	variant spaces-and-tabs             ''            "$padded"
	variant all-quoted                  ''            "$quoted"
	variant semicolon                   '-d ;'        "${PLAIN//,/;}"
	variant tab-word                    '-d tab'      "$tabbed"
	variant tab-character               "-d $tab"     "$tabbed"
	variant tab-with-spaces             '-d tab'      "${PLAIN//,/  $tab }"
	variant tab+crlf                    '-d tab'      "${tabbed//$lf/$crlf}"
	variant number-spellings            ''            $'a,b,y\n15e-1,2.0,-2.25\n2,1.25E0,+2.5\n3.75,5,-7.50\n4,3.5,-.75\n5.25,4.,-1\n6,7.5,-8.125\n7,6,0.5\n'
	variant quoted-numbers-semicolon    '-d ;'        $'"a";"b";"y"\n"1.5";2;-2.25\n2;1.25;2.5\n3.75;5;-7.5\n4;3.5;-0.75\n5.25;4;-1\n6;7.5;-8.125\n7;6;0.5\n'
	((failed == 0))
}

@test "quoted header names with commas, quotes and newlines parse, and are quoted in the weights" {
	local want
	write plain.csv "$PLAIN"
	d fit -q "$T/plain.csv"
	want=$(<"$T/out")
	want=${want/$'\na,'/$'\n"a,1",'}
	want=${want/$'\nb,'/$'\n"b ""q""\nz",'}
	printf '%s\n' "$want" >"$T/want"
	write names.csv "$(printf '"a,1","b ""q""\nz",y\n')${PLAIN#a,b,y}"
	d fit -q "$T/names.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	# -t and -x take such names as they are.
	d fit -q -t y -x "$(printf 'b "q"\nz')" "$T/names.csv"
	expect_status 0
	[[ $(head -n 3 "$T/out" | tail -n 1) == '"b ""q""' ]]
}

@test "--no-header names the columns x1..xd and y, with the weights of the same data with that header" {
	write rows.csv "${PLAIN#*$'\n'}"
	write named.csv "x1,x2,y"$'\n'"${PLAIN#*$'\n'}"
	d fit -q "$T/named.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	d fit -q --no-header "$T/rows.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	[[ $(terms) == '(intercept) x1 x2' ]]
}

@test "--no-header reads the first row as data" {
	d fit -q --no-header "$CASES/good.csv"
	expect_status 1
	expect_empty "$T/out"
	expect_line 'good.csv:1:1: "sqft" in column "x1" is not a number'
}

# ---------------------------------------------------------------- choosing columns

@test "-t by number equals -t by name and the default (last column)" {
	d fit -q "$DATA/rock.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	d fit -q -t perm "$DATA/rock.csv"
	expect_same "$T/want" "$T/out"
	d fit -q -t 4 "$DATA/rock.csv"
	expect_same "$T/want" "$T/out"
	# A target in the middle, by name and by number.
	write mid.csv $'b,y,a\n2,-2.25,1.5\n1.25,2.5,2\n5,-7.5,3.75\n3.5,-0.75,4\n4,-1,5.25\n'
	d fit -q -t y "$T/mid.csv"
	mv "$T/out" "$T/want"
	d fit -q -t 2 "$T/mid.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

@test "-t tries a name before a number" {
	write num.csv $'2,a,y\n1,2,3\n2,1,5\n4,4,6\n3,7,9\n'
	d fit -q -t 1 "$T/num.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	d fit -q -t 2 "$T/num.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	[[ $(terms) == '(intercept) a y' ]]
}

@test "-x selects a subset; by name, by number and with --drop alike" {
	write p3.csv "$PLAIN3"
	d fit -q "$T/p3.csv"
	[[ $(terms) == '(intercept) a b c' ]]
	d fit -q -x a,c "$T/p3.csv"
	expect_status 0
	[[ $(terms) == '(intercept) a c' ]]
	mv "$T/out" "$T/want"
	d fit -q -x 1,3 "$T/p3.csv"
	expect_same "$T/want" "$T/out"
	d fit -q --drop b "$T/p3.csv"
	expect_same "$T/want" "$T/out"
	d fit -q -x b "$T/p3.csv"
	[[ $(terms) == '(intercept) b' ]]
}

@test "USJudgeRatings: the text column judge fails naming it and --drop; with --drop judge it fits" {
	cd "$DATA"
	d fit USJudgeRatings.csv
	expect_status 1
	expect_empty "$T/out"
	[[ $(cat "$T/err") == 'descend: USJudgeRatings.csv:2:1: "AARONSON,L.H." in column "judge" is not a number (a text column: give it as --categorical judge, or leave it out with --drop judge)' ]]
	d fit -q --drop judge USJudgeRatings.csv
	expect_status 0
	[[ $(terms) == '(intercept) CONT INTG DMNR DILG CFMG DECI PREP FAMI ORAL WRIT PHYS' ]]
	d fit -q --drop judge -t RTEN USJudgeRatings.csv
	expect_status 0
}

@test "a duplicate or empty column name is no error when that column is not used" {
	d fit -q -x age "$CASES/dup_name.csv"
	expect_status 0
	[[ $(terms) == '(intercept) age' ]]
	d fit -q -x sqft "$CASES/empty_name.csv"
	expect_status 0
	[[ $(terms) == '(intercept) sqft' ]]
}

# ---------------------------------------------------------------- the numbers

@test "a constant feature warns and gets weight 0" {
	write k.csv $'a,k,b,y\n1.5,3,2,-2.25\n2,3,1.25,2.5\n3.75,3,5,-7.5\n4,3,3.5,-0.75\n5.25,3,4,-1\n'
	d fit "$T/k.csv"
	expect_status 0
	expect_line '^descend: warning: column "k" is constant; its weight is 0$'
	grep -qx 'k,0,0' "$T/out" || { cat "$T/out"; false; }
	[[ $(terms) == '(intercept) a k b' ]]
}

@test "homes_exact.csv: batch fit with -e 3000 recovers the generating coefficients to 1e-6 relative" {
	d fit -q -e 3000 -t price "$DATA/homes_exact.csv"
	expect_status 0
	awk -F, '
		BEGIN { w["(intercept)"] = 50000; w["sqft"] = 120; w["age"] = -800
		        w["rooms"] = 4000; w["distance"] = -1500 }
		NR > 1 { seen++; e = ($2 - w[$1]) / w[$1]; if (e < 0) e = -e
		         printf "%-12s %20.10f  relative error %.2g\n", $1, $2, e
		         if (!($1 in w) || !(e <= 1e-6)) bad = 1 }
		END { exit bad || seen != 5 }' "$T/out"
}

@test "homes.csv: batch fit with -e 3000 matches the least-squares reference of data/README.md" {
	d fit -q -e 3000 "$DATA/homes.csv"
	expect_status 0
	awk -F, '
		BEGIN { w["(intercept)"] = 50670.63507; w["sqft"] = 119.6252635; w["age"] = -806.3720211
		        w["rooms"] = 4043.258677; w["distance"] = -1514.863325 }
		NR > 1 { seen++; e = ($2 - w[$1]) / w[$1]; if (e < 0) e = -e
		         printf "%-12s %20.10f  relative error %.2g\n", $1, $2, e
		         if (!($1 in w) || !(e <= 1e-7)) bad = 1 }
		END { exit bad || seen != 5 }' "$T/out"
}

@test "Boston.csv: in batch MSE the standardized intercept stays at mean(medv)" {
	d fit -q "$DATA/Boston.csv"
	expect_status 0
	[[ $(terms) == '(intercept) crim zn indus chas nox rm age dis rad tax ptratio black lstat' ]]
	awk -F, '
		FNR == 1 { next }
		FILENAME != out { s += $NF; n++; next }
		$1 == "(intercept)" { m = s / n; e = ($3 - m) / m; if (e < 0) e = -e
		                      printf "std intercept %.17g, mean %.17g\n", $3, m; ok = e <= 1e-9 }
		END { exit !ok }' out="$T/out" "$DATA/Boston.csv" "$T/out"
}

@test "the locale does not change the output (de_DE with a decimal comma, and every installed locale)" {
	local loc locales=(de_DE.UTF-8 fr_FR.UTF-8) failed=0
	write plain.csv "$PLAIN"
	LC_ALL=C d fit -q -m sgd "$T/plain.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	# Only C locales may be installed: build de_DE in a private directory if the sources exist.
	if command -v localedef >/dev/null && [[ -e /usr/share/i18n/locales/de_DE ]]; then
		mkdir "$T/locales"
		localedef -i de_DE -f UTF-8 "$T/locales/de_DE.UTF-8" 2>/dev/null || true
		export LOCPATH=$T/locales
	fi
	while read -r loc; do locales+=("$loc"); done < <(locale -a 2>/dev/null || true)
	for loc in "${locales[@]}"; do
		LC_ALL=$loc LANG=$loc d fit -q -m sgd "$T/plain.csv"
		if [[ $status != 0 ]] || ! cmp -s "$T/want" "$T/out"; then
			echo "FAIL: LC_ALL=$loc"; cat "$T/err" "$T/out"; failed=1
		fi
	done
	((failed == 0))
}

# ---------------------------------------------------------------- help and version

@test "--help exits 0 and prints the synopsis on stdout" {
	d --help
	expect_status 0
	expect_empty "$T/err"
	expect_line 'fit' "$T/out"
	for h in --help -h; do
		d fit "$h"
		expect_status 0
		expect_empty "$T/err"
		expect_line 'descend fit' "$T/out"
	done
}

@test "descend --help and every command's --help fit an 80x24 screen and point to the man page" {
	local cmd commands width
	d --help
	expect_status 0
	commands=$(awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }' "$T/out")
	[[ $(wc -w <<<"$commands") == 8 ]] || { echo "commands: $commands"; false; }
	for cmd in '' $commands; do
		d $cmd --help
		expect_status 0
		expect_empty "$T/err"
		# columns are characters, not bytes: the help may hold UTF-8
		width=$(LC_ALL=C.UTF-8 awk '{ if (length($0) > w) w = length($0) } END { print w }' "$T/out")
		if (($(wc -l <"$T/out") > 24 || width > 80)); then
			echo "descend $cmd --help: $(wc -l <"$T/out") lines, $width columns"
			false
		fi
		grep -Eq 'descend(-[a-z]+)?\(1\)' "$T/out" || { echo "descend $cmd --help names no man page"; false; }
		! grep -q $'\t' "$T/out"
	done
}

@test "--version prints descend and a version" {
	d --version
	expect_status 0
	[[ $(grep -c '' "$T/out") == 1 ]]
	expect_line '^descend [0-9][^ ]*$' "$T/out"
	mv "$T/out" "$T/want"
	d fit --version
	expect_status 0
	expect_same "$T/want" "$T/out"
}
