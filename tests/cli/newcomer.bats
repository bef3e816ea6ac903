#!/usr/bin/env bats
# What a newcomer meets, item by item: files as R (write.csv, write.csv2), pandas (to_csv) and
# Excel ("CSV UTF-8") write them, and the messages, outputs and tools around them.  The files
# are in cases/newcomer/ (see its README.md; the R ones made by its make.R); the others are
# made here.  A test of a feature this binary does not have yet is skipped, saying what it
# needs, and runs as soon as the feature is there.

load helpers

setup() {
	setup_descend cases/newcomer
	cd "$T"
	cp "$CASES"/*.csv "$CASES"/*.tsv "$DATA/mtcars.csv" "$DATA/Cars93.csv" .
}

# has CMD OPTION: whether `descend CMD --help` lists OPTION.
has() {
	"$DESCEND" "$1" --help 2>/dev/null | grep -q -- "$2"
}

# err_is TEXT: standard error is exactly the one line TEXT.
err_is() {
	if [[ $(cat "$T/err") != "$1" ]]; then
		echo "stderr was:"
		cat "$T/err"
		echo "expected:"
		echo "$1"
		return 1
	fi
}

# ---------------------------------------------------------------- input as people have it

@test "missing values: R's NA in a feature names --missing, not --drop" {
	has fit --na-values || skip "needs --na-values (missing values)"
	d fit -q -t Ozone airquality_r.csv
	expect_status 1
	expect_line 'missing'
	expect_no_line 'leave it out with --drop'
}

@test "missing values: an empty cell names --missing" {
	has fit --na-values || skip "needs --na-values (missing values)"
	d fit -q -t target --drop 1 pandas.csv
	expect_status 1
	expect_line '^descend: pandas.csv:7:3: .*--missing'
}

@test "missing values: NaN, nan, N/A, #N/A, NULL, null, None are missing with --missing drop" {
	has fit --na-values || skip "needs --na-values (missing values)"
	for na in NaN nan N/A '#N/A' NULL null None; do
		printf 'a,y\n1,2\n2,%s\n3,5\n4,9\n' "$na" >na.csv
		d fit -q --missing drop -e 5 na.csv
		expect_status 0
	done
}

@test "missing values: Excel's #N/A with --missing drop" {
	has fit --na-values || skip "needs --na-values (missing values)"
	d fit -e 5 --missing drop excel.csv
	expect_status 0
	expect_line 'left out 1 row'
}

@test "missing values: eval and predict take --missing drop|error" {
	has eval --missing || skip "needs eval --missing (missing values)"
	has predict --missing || skip "needs predict --missing (missing values)"
	d fit -q -t Ozone --missing drop -e 20 -o w.csv airquality_r.csv
	expect_status 0
	d eval --missing drop -w w.csv airquality_r.csv
	expect_status 0
	expect_line 'rows?'
	d eval -w w.csv airquality_r.csv
	expect_status 1
	expect_line '--missing'
	d predict --missing drop -w w.csv airquality_r.csv
	expect_status 0
}

@test "delimiters: write.csv2's ; and decimal commas, and a TSV, read without -d" {
	has fit --decimal || skip "needs --decimal and delimiter detection (delimiters)"
	d fit -q -t mpg --drop 1 --decimal , -e 5 mtcars_eu.csv
	expect_status 0
	d fit -t mpg -e 5 mtcars_r.tsv
	expect_status 0
	expect_line 'tab'
}

@test "compressed input: gzip, xz and zstd, from a file and from a pipe" {
	gzip -c mtcars.csv >mtcars.csv.gz
	d fit -q -t mpg -e 5 mtcars.csv
	mv "$T/out" want
	d fit -q -t mpg -e 5 mtcars.csv.gz
	if [[ $status != 0 ]] && grep -q 'malformed\|not a number' "$T/err"; then
		skip "needs compressed input"
	fi
	expect_status 0
	expect_same want "$T/out"
	d fit -q -t mpg -e 5 <mtcars.csv.gz
	expect_status 0
	expect_same want "$T/out"
	for z in xz zstd; do
		command -v $z >/dev/null || continue
		$z -c mtcars.csv >mtcars.csv.$z
		d fit -q -t mpg -e 5 mtcars.csv.$z
		expect_status 0
		expect_same want "$T/out"
	done
}

@test "text in a feature: the message suggests --categorical, and --drop" {
	d fit -q -t Petal.Width iris_r.csv
	expect_status 1
	expect_empty "$T/out"
	err_is 'descend: iris_r.csv:2:5: "setosa" in column "Species" is not a number (a text column: give it as --categorical Species, or leave it out with --drop Species)'
	d fit -q -t Petal.Width --categorical Species -e 50 iris_r.csv
	expect_status 0
	grep -q '^Species=versicolor,' "$T/out"
	# a broken number is not text: --drop only
	printf 'a,y\n1,2\n1.5x,3\n2,4\n' >junk.csv
	d fit -q junk.csv
	err_is 'descend: junk.csv:3:1: "1.5x" in column "a" is not a number (leave it out with --drop a)'
}

@test "text in the target: the loss that fits the number of classes" {
	d fit -q iris_r.csv
	expect_status 1
	err_is 'descend: iris_r.csv:2:5: "setosa" in column "Species" is not a number (the target has 3 classes: fit them with -l softmax)'
	d fit -q -t am mtcars_am_r.csv
	expect_status 1
	err_is 'descend: mtcars_am_r.csv:2:9: "manual" in column "am" is not a number (the target has 2 classes: fit them with -l logistic)'
	d fit -q -t am -l logistic -e 50 mtcars_am_r.csv
	expect_status 0
	# standard input cannot be read twice: both losses
	d fit -q < <(cat iris_r.csv)
	err_is 'descend: <stdin>:2:5: "setosa" in column "Species" is not a number (text in the target: class labels are fitted with -l logistic, two classes, or -l softmax, more)'
	# a numeric target with one stray text: no class hint
	printf 'a,y\n1,2\n2,lots\n3,4\n' >stray.csv
	d fit -q stray.csv
	err_is 'descend: stray.csv:3:2: "lots" in column "y" is not a number'
}

@test "a continuous target under a class loss: not a class column, use mse" {
	d fit -q -t mpg -l logistic mtcars.csv
	expect_status 1
	err_is 'descend: mtcars.csv: the target "mpg" has 25 distinct numbers, not class labels: it is a measurement, not a class column (for a numeric target use -l mse, the default, or another loss for numbers)'
	expect_no_line 'softmax'
	# a column of codes can be classes
	d fit -q -t cyl -l logistic mtcars.csv
	expect_status 1
	expect_line 'softmax takes any number'
	d fit -q -t cyl -l softmax -e 20 mtcars.csv
	expect_status 0
}

@test "column names: -t MPG suggests mpg and lists the columns; a long list is counted" {
	d fit -q -t MPG mtcars.csv
	expect_status 2
	err_is 'descend: mtcars.csv: target column "MPG" not found; did you mean "mpg"? (the columns: "mpg", "cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am", "gear", "carb")'
	d fit -q -t mgp mtcars.csv
	expect_line 'did you mean "mpg"\?'
	d fit -q -t Prize Cars93.csv
	expect_status 2
	expect_line '^descend: Cars93.csv: target column "Prize" not found; did you mean "Price"\? \(the columns: '
	awk 'BEGIN { for (i = 1; i <= 25; i++) printf "c%d%s", i, i < 25 ? "," : "\n"
		for (r = 0; r < 3; r++) for (i = 1; i <= 25; i++) printf "%d%s", r + i, i < 25 ? "," : "\n" }' >wide.csv
	d fit -q -x c1,zz wide.csv
	err_is 'descend: wide.csv: feature column "zz" not found (the input has 25 columns)'
	d fit -q --drop CYL -t mpg mtcars.csv
	expect_line '^descend: mtcars.csv: column "CYL" in --drop not found; did you mean "cyl"\?'
	d fit -q --categorical Species -t mpg mtcars.csv
	expect_line '^descend: mtcars.csv: --categorical column "Species" not found \(the columns'
}

@test "column lists: spaces around commas, ranges of numbers and of names" {
	d fit -q -t mpg -x cyl,disp -e 5 mtcars.csv
	mv "$T/out" want
	d fit -q -t mpg -x 'cyl, disp' -e 5 mtcars.csv
	expect_status 0
	expect_same want "$T/out"
	d fit -q -t mpg -x ' cyl ,disp ' -e 5 mtcars.csv
	expect_same want "$T/out"
	d fit -q -t mpg -x 2-5 -e 5 mtcars.csv
	expect_status 0
	[[ $(terms) == '(intercept) cyl disp hp drat' ]] || { terms; false; }
	d fit -q -t mpg -x 2,4-5 -e 5 mtcars.csv
	[[ $(terms) == '(intercept) cyl hp drat' ]] || { terms; false; }
	d fit -q -t mpg -x cyl-hp -e 5 mtcars.csv
	[[ $(terms) == '(intercept) cyl disp hp' ]] || { terms; false; }
	# a range passes over the target
	d fit -q -t disp -x 2-4 -e 5 mtcars.csv
	[[ $(terms) == '(intercept) cyl hp' ]] || { terms; false; }
	d fit -q -t mpg --drop 2-9 -e 5 mtcars.csv
	[[ $(terms) == '(intercept) gear carb' ]] || { terms; false; }
	d fit -q -t mpg -x 5-2 mtcars.csv
	expect_status 2
	err_is 'descend: mtcars.csv: the range "5-2" goes backwards (column 5 to 2)'
}

@test "R's row names (an empty header name) and duplicate names: the message names --drop N" {
	d fit -q -t mpg mtcars_r.csv
	expect_status 1
	err_is "descend: mtcars_r.csv:1: column 1 has an empty name (row names, as R's write.csv and pandas' to_csv write them? leave it out with --drop 1, or name it in the header)"
	d fit -q -t mpg --drop 1 -e 5 mtcars_r.csv
	expect_status 0
	d fit -q -t target pandas.csv
	expect_line 'leave it out with --drop 1'
	printf 'a,b,a,y\n1,2,3,4\n2,3,1,5\n3,1,2,7\n' >dup.csv
	d fit -q dup.csv
	expect_status 1
	err_is 'descend: dup.csv:1: column name "a" appears twice (columns 1 and 3; leave one out with --drop 3, or rename one in the header)'
	d fit -q --drop 3 -e 5 dup.csv
	expect_status 0
}

@test "a one-column file is an error, not a fit of 0 features" {
	printf 'y\n1\n2\n3\n' >one.csv
	d fit one.csv
	expect_status 1
	expect_empty "$T/out"
	err_is 'descend: one.csv:1: one column, "y", and no feature to fit it with (a CSV of the target and at least one feature is needed; is the delimiter -d right?) (no delimiter of , ; tab | is in the first 4 lines: read as one column; -d sets it)'
}

@test "the target: fit -t mpg records it, eval needs no -t, -t overrides; the summary names it" {
	d fit -t mpg -e 50 -o w.csv mtcars.csv
	expect_status 0
	expect_line '^descend: target "mpg", modelled from 10 features$'
	[[ $(head -n 1 w.csv) == term,weight,std_weight,target ]]
	[[ $(cut -d, -f4 w.csv | sed 1d | sort -u) == mpg ]]
	d eval -w w.csv mtcars.csv
	expect_status 0
	mv "$T/out" want
	d eval -w w.csv -t mpg mtcars.csv
	expect_same want "$T/out"
	d eval -w w.csv -t 1 mtcars.csv
	expect_same want "$T/out"
	# -t overrides: another column is then a feature of the model
	d eval -w w.csv -t carb mtcars.csv
	expect_status 2
	expect_line 'the target "carb" is a feature of the model'
	# the recorded name not in the input
	sed '1s/"mpg"/"MPG"/' mtcars.csv >upper.csv
	d eval -w w.csv upper.csv
	expect_status 2
	err_is 'descend: upper.csv: target column "mpg" (named by the weights file) not found; did you mean "MPG"? (the columns: "MPG", "cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am", "gear", "carb")'
	# predict passes over the column: the same as without it
	d predict -w w.csv mtcars.csv
	expect_status 0
	mv "$T/out" with
	cut -d, -f1-3 w.csv >w3.csv
	d predict -w w3.csv mtcars.csv
	expect_same with "$T/out"
	# the default target (the last column) spelled out changes nothing
	d fit -q -e 5 mtcars.csv
	mv "$T/out" dflt
	d fit -q -e 5 -t carb mtcars.csv
	expect_same dflt "$T/out"
}

@test "no file on a terminal: a notice that standard input is read" {
	python3 - "$DESCEND" >"$T/pty" <<'EOF'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], 'fit', '-t', 'mpg'])
out, end = b'', time.time() + 10
while time.time() < end and b'standard input' not in out:
    if select.select([fd], [], [], 0.2)[0]:
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
os.kill(pid, 9)
sys.stdout.write(out.decode(errors='replace'))
EOF
	expect_line 'reading the CSV from standard input, the terminal \(end it with Ctrl-D, or name a file\)' "$T/pty"
}

@test "descend help fit, and -e 1e3" {
	d help fit
	expect_status 0
	expect_line '^usage: descend fit' "$T/out"
	d fit -q -t mpg -e 1e3 mtcars.csv
	expect_status 0
	d fit -q -t mpg -e 1.5e3 mtcars.csv
	expect_status 0
	d fit -q -e 1.5 mtcars.csv
	expect_status 2
}

# ---------------------------------------------------------------- output that keeps the work

@test "output paths are checked before the input is read" {
	d fit -o /no/such/dir/w.csv mtcars.csv
	expect_status 1
	err_is 'descend: -o /no/such/dir/w.csv: No such file or directory (checked before reading the input, so that no work is lost)'
	d fit --plot /no/such/p.svg mtcars.csv
	expect_line 'checked before reading the input'
	d fit --log /no/such/log.csv mtcars.csv
	expect_line 'checked before reading the input'
}

@test "an output that is the input is refused" {
	cp mtcars.csv keep.csv
	d fit -q -o mtcars.csv mtcars.csv
	expect_status 2
	err_is 'descend: -o mtcars.csv is the input, mtcars.csv: writing it would replace the data'
	d fit -q --log mtcars.csv mtcars.csv
	expect_status 2
	cmp mtcars.csv keep.csv
	d fit -q -t mpg -e 3 --log log.csv -o w.csv mtcars.csv
	d plot -o log.csv log.csv
	expect_status 2
	err_is 'descend: -o log.csv is the input, log.csv: writing it would replace the data'
}

@test "- is standard output (and standard input for -w)" {
	d fit -q -t mpg -e 3 -o - mtcars.csv
	expect_status 0
	[[ ! -e - ]]
	mv "$T/out" w.csv
	d fit -q -t mpg -e 3 --log - -o w2.csv mtcars.csv
	expect_line '^epoch,' "$T/out"
	d plot -o - w2.csv
	d fit -q -t mpg -e 3 --log log.csv -o w2.csv mtcars.csv
	d plot -o - log.csv
	expect_status 0
	expect_line '<svg' "$T/out"
	"$DESCEND" predict -w - mtcars.csv <w.csv >p1
	"$DESCEND" predict -w w.csv mtcars.csv >p2
	cmp p1 p2
	[[ ! -e - ]]
}

@test "class labels reach the terminal escaped" {
	printf 'a,y\n1,\033[31mred\n2,\033[31mred\n' >esc.csv
	d fit -q -l logistic esc.csv
	expect_status 1
	err_is 'descend: esc.csv: the target "y" has one class, "\x1b[31mred"; classification needs two or more'
	printf 'a,y\n1,\033[31mred\n2,blue\n3,\033[31mred\n4,blue\n5,blue\n' >esc2.csv
	d fit -l logistic -e 20 esc2.csv
	expect_status 0
	! grep -q $'\033' "$T/err"
	expect_line '\\x1b\[31mred'
}

# ---------------------------------------------------------------- output people can read

@test "the epoch log: --log-every N and auto; --log keeps every epoch" {
	d fit -t mpg -e 100 --log-every 25 mtcars.csv
	expect_status 0
	[[ $(grep -cE '^ +[0-9]+ ' "$T/err") == 5 ]] || cat "$T/err"
	d fit -t mpg -e 1000 --log-every auto --log log.csv mtcars.csv
	expect_status 0
	n=$(grep -cE '^ +[0-9]+ ' "$T/err")
	((n >= 20 && n <= 60)) || { echo "$n epoch lines"; false; }
	[[ $(sed 1d log.csv | wc -l) == 1000 ]]
}

@test "charts: a run's validation curve has its training curve's colour, dashed" {
	d fit -q -t mpg -e 30 --validation 0.25 --log lv.csv -o w.csv mtcars.csv
	d plot -o p.svg lv.csv
	expect_status 0
	c1=$(grep -o '<polyline[^>]*stroke="#[0-9a-f]*"' p.svg | sed -n 1p | grep -o '#[0-9a-f]*')
	c2=$(grep '<polyline' p.svg | grep 'stroke-dasharray' | sed -n 1p | grep -o 'stroke="#[0-9a-f]*"' | grep -o '#[0-9a-f]*')
	[[ -n $c1 && $c1 == "$c2" ]] || { echo "training $c1, validation $c2"; false; }
}

@test "tables pad by display width: --stats with Größe (cm)" {
	d fit --stats --solver exact -t Preis --missing drop excel.csv
	if [[ $status != 0 ]]; then
		printf 'Gr\303\266\303\237e (cm),v\303\251rsicol\303\266r,y\n1,2,3\n2,1,5\n3,5,4\n4,3,8\n5,7,9\n' >wide.csv
		d fit --stats --solver exact wide.csv
	fi
	expect_status 0
	# the numbers are right-aligned: every row of the table ends at the same display column
	awk '/^term / { on = 1 } on && NF == 0 { exit } on' "$T/err" >table
	grep -q 'Größe (cm)' table
	python3 - table <<'EOF'
import sys, unicodedata
rows = [l.rstrip('\n') for l in open(sys.argv[1], encoding='utf-8')]
widths = {sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in r) for r in rows}
sys.exit(0 if len(rows) > 2 and len(widths) == 1 else 1)
EOF
}

@test "summary wording: share of the positive class, log loss, stochastic, no empty importance" {
	d fit -t Origin -l logistic -x Horsepower,Weight -e 300 Cars93.csv
	expect_status 0
	expect_line 'best constant \(share of "non-USA"\)'
	expect_line '^descend: final log loss '
	d fit -t mpg -m sgd -e 5 mtcars.csv
	expect_line 'epochs of stochastic gradient descent'
	expect_no_line 'sgd gradient descent'
	expect_no_line '^descend: importance.*: *$'
}

# ---------------------------------------------------------------- tools around it

# complete WORD...: what bash's completion offers for the last word, on one line.
complete_last() {
	"$DESCEND" completion bash >c.bash
	bash -c 'source c.bash; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_descend && printf "%s\n" "${COMPREPLY[@]}"' _ "$@" | paste -sd ' '
}

# complete_at I WORD...: the same for word I.
complete_at() {
	local i=$1
	shift
	"$DESCEND" completion bash >c.bash
	bash -c 'source c.bash; i=$1; shift; COMP_WORDS=("$@"); COMP_CWORD=$i
		_descend && printf "%s\n" "${COMPREPLY[@]}"' _ "$i" "$@" | paste -sd ' '
}

@test "completion: column names after -t, -x, --drop, --categorical; tune --grid's keys" {
	[[ $(complete_last descend fit mtcars.csv -t '') == 'mpg cyl disp hp drat wt qsec vs am gear carb' ]]
	[[ $(complete_at 3 descend fit -t m mtcars.csv) == mpg ]]
	[[ $(complete_last descend fit mtcars.csv -x cyl,d) == 'cyl,disp cyl,drat' ]]
	[[ $(complete_last descend fit iris_r.csv --categorical S) == 'Sepal.Length Sepal.Width Species' ]]
	[[ $(complete_at 5 descend eval -w w.csv -t '' mtcars.csv) == 'mpg cyl disp hp drat wt qsec vs am gear carb' ]]
	[[ $(complete_last descend fit -d $'\t' mtcars_r.tsv --drop a) == am ]]
	# tune --grid: only keys tune grids
	local keys
	keys=$(complete_last descend tune --grid '')
	[[ $keys == *learning-rate=* && $keys == *l2=* ]]
	for k in target= loss= validation= cv= missing= output=; do
		[[ " $keys " != *" $k "* ]] || { echo "offers $k"; false; }
	done
	for k in $keys; do
		"$DESCEND" tune --grid "${k}x" --help >/dev/null 2>err || true
		! grep -q 'cannot be tuned' err || { echo "$k"; cat err; false; }
	done
}

@test "completion: zsh offers column names too" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
	mkdir fpath
	"$DESCEND" completion zsh >fpath/_descend
	run timeout 20 zsh -f -c '
		zmodload zsh/zpty
		zpty z zsh -f -i
		zpty -w z "cd $2; PS1=\"> \"; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; descend() { :; }"
		zpty -w -n z "descend fit mtcars.csv -x cyl,di"$'"'"'\t'"'"'
		out=
		for i in {1..50}; do
			while zpty -r -t z line; do out+=$line; done
			[[ $out == *cyl,disp* ]] && break
			sleep 0.2
		done
		zpty -d z
		print -r -- "$out"' _ "$T/fpath" "$T"
	[[ $output == *cyl,disp* ]] || { echo "$output" | cat -v | tail -3; false; }
}

@test "tune: an invalid combination is ranked invalid with its reason; edge warning; --cv 5; r= hint" {
	d tune --grid optimizer=gd,lbfgs --grid mode=batch,sgd -e 20 -t mpg mtcars.csv
	expect_status 0
	grep -q '^4,lbfgs,sgd,,,invalid$' "$T/out"
	expect_line '^descend: invalid: --optimizer lbfgs --mode sgd: -O lbfgs needs -m batch and no --l1$'
	d tune --grid l2=0,0.001,0.01 -e 30 -t mpg mtcars.csv
	expect_line '^descend: warning: the best --l2, 0.01, is the largest of its grid'
	"$DESCEND" tune --help | grep -q -- '--cv.*5'
	d tune --grid r=0.1 -e 5 -t mpg mtcars.csv
	expect_status 2
	expect_line 'learning-rate=0.1'
}

@test "predict: the JSON weights, every missing column at once, --append --name" {
	d fit -q -t mpg -e 50 -o w.csv mtcars.csv
	d fit -q -t mpg -e 50 --format json -o w.json mtcars.csv
	d predict -w w.json mtcars.csv
	expect_status 0
	mv "$T/out" from_json
	d predict -w w.csv mtcars.csv
	expect_same from_json "$T/out"
	d eval -w w.json mtcars.csv
	expect_status 0
	# classification from JSON: the same predictions and probabilities
	d fit -q -t am -l logistic -e 50 -o wl.csv mtcars_am_r.csv
	d fit -q -t am -l logistic -e 50 --format json -o wl.json mtcars_am_r.csv
	"$DESCEND" predict --proba -w wl.csv mtcars_am_r.csv >a
	"$DESCEND" predict --proba -w wl.json mtcars_am_r.csv >b
	cmp a b
	d fit -q -t Species -l softmax -e 50 --format json -o ws.json iris_r.csv
	d eval -w ws.json iris_r.csv
	expect_status 0
	echo '{"model": ' >bad.json
	d predict -w bad.json mtcars.csv
	expect_status 1
	err_is 'descend: bad.json: byte 12: not valid JSON (the weights file fit --format json writes)'
	# every column the input lacks, at once
	cut -d, -f1-5 mtcars.csv >few.csv
	d predict -w w.csv few.csv
	expect_status 1
	err_is 'descend: few.csv: 6 columns of the model are not in the input: "wt", "qsec", "vs", "am", "gear", "carb"'
	sed '1s/"wt"/"WT"/' mtcars.csv >upper.csv
	d predict -w w.csv upper.csv
	err_is 'descend: upper.csv: column "wt" of the model is not in the input; did you mean "WT"? (the columns: "mpg", "cyl", "disp", "hp", "drat", "WT", "qsec", "vs", "am", "gear", "carb")'
	# --append: the column named by --name; a second prediction column is refused
	d predict -w w.csv --append -o p.csv mtcars.csv
	expect_status 0
	[[ $(head -n 1 p.csv) == *,carb,prediction ]]
	d predict -w w.csv --append p.csv
	expect_status 2
	expect_empty "$T/out"
	err_is 'descend: p.csv:1: the input has a column "prediction" already (column 12): name the prediction'"'"'s column with --name'
	d predict -w w.csv --append --name mpg_hat p.csv
	expect_status 0
	[[ $(head -n 1 "$T/out") == *,prediction,mpg_hat ]]
	d predict -w w.csv --name fitted mtcars.csv
	[[ $(head -n 1 "$T/out") == fitted ]]
}

@test "eval of a classifier: ROC AUC, PR AUC and the Brier score" {
	d fit -q -t Origin -l logistic -x Horsepower,Weight -e 300 -o wl.csv Cars93.csv
	d eval -w wl.csv -t Origin Cars93.csv
	expect_status 0
	expect_line '^roc_auc,non-USA,0\.' "$T/out"
	expect_line '^pr_auc,non-USA,0\.' "$T/out"
	expect_line '^brier,,0\.' "$T/out"
}
