#!/usr/bin/env bats
# Command-line tests of `descend eval`, checked against the interface spec of predict and eval:
# exit status, standard output (the metrics) and standard error, as a user runs it.
#
# The binary is $DESCEND if set, else ../../descend.  The error cases are a table,
# cases/predict/errors.tsv (its eval rows), run by the first test; the other tests each check
# one documented behaviour.  The metrics are recomputed here with awk from the weights and data.
# Needs only bash, awk, cmp and grep.

load helpers

setup() {
	setup_descend cases/predict
}

METRICS='n mse rmse mae r2 constant_mse constant_rmse constant_mae'

# ---------------------------------------------------------------- helpers

# expect_layout [FILE]: fail unless FILE ($T/out by default) is `metric,value` then exactly the
# rows n, mse, rmse, mae, r2, constant_mse, constant_rmse, constant_mae in that order, n an
# integer and every value a number as num_format writes it or nan, LF line endings.
expect_layout() {
	local f=${1:-$T/out}
	if [[ $(head -n 1 "$f") != metric,value ||
		$(sed 1d "$f" | cut -d, -f1 | tr '\n' ' ') != "$METRICS " ]] ||
		grep -q $'\r' "$f" ||
		! awk -F, 'NR == 1 { next }
			NF != 2 { exit 1 }
			$1 == "n" && $2 !~ /^[0-9]+$/ { exit 1 }
			$2 !~ /^(-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?|nan)$/ { exit 1 }' "$f"; then
		echo "not the metrics CSV of the spec:"
		cat "$f"
		return 1
	fi
}

# value NAME [FILE]: the value of metric NAME in FILE ($T/out by default).
value() {
	awk -F, -v m="$1" '$1 == m { print $2 }' "${2:-$T/out}"
}

# check_metrics WEIGHTS DATA TARGET [TOL]: fail unless the metrics in $T/out agree with those
# computed here from WEIGHTS and DATA (a CSV with a header, numbers unquoted, columns found by
# name with quotes stripped): mse, mae, r2 and the constant metrics to a relative TOL (1e-9), n
# exactly; and within the output, rmse = sqrt(mse), constant_rmse = sqrt(constant_mse) and
# r2 = 1 - mse/constant_mse to 1e-12.
check_metrics() {
	awk -F, -v target="$3" -v tol="${4:-1e-9}" '
		function abs(x) { return x < 0 ? -x : x }
		function near(name, got, want, t) {
			if (!(abs(got - want) <= t * abs(want))) {
				printf "%s: got %.17g, want %.17g\n", name, got, want
				bad = 1
			} else
				printf "%-13s %.17g  (awk %.17g)\n", name, got, want
		}
		FILENAME == ARGV[1] { if (FNR > 1) { term[++nt] = $1; w[nt] = $2 + 0 }; next }
		FILENAME == ARGV[2] {
			if (FNR == 1) {
				for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); col[h] = i }
				yc = col[target]
				next
			}
			p = w[1]
			for (k = 2; k <= nt; k++) p += w[k] * $(col[term[k]])
			y[++n] = $yc + 0
			e = y[n] - p
			sse += e * e; sae += abs(e); sy += y[n]
			next
		}
		FNR > 1 { got[$1] = $2 }
		END {
			mean = sy / n
			for (i = 1; i <= n; i++) sst += (y[i] - mean) * (y[i] - mean)
			for (i = 2; i <= n; i++) {   # insertion sort, for the median
				v = y[i]
				for (j = i - 1; j >= 1 && y[j] > v; j--) y[j + 1] = y[j]
				y[j + 1] = v
			}
			med = n % 2 ? y[(n + 1) / 2] : (y[n / 2] + y[n / 2 + 1]) / 2
			for (i = 1; i <= n; i++) cmae += abs(y[i] - med)
			if (got["n"] != n "") { printf "n: got %s, want %d\n", got["n"], n; bad = 1 }
			near("mse", got["mse"], sse / n, tol)
			near("mae", got["mae"], sae / n, tol)
			near("r2", got["r2"], 1 - sse / sst, tol)
			near("constant_mse", got["constant_mse"], sst / n, tol)
			near("constant_mae", got["constant_mae"], cmae / n, tol)
			near("rmse", got["rmse"], sqrt(got["mse"]), 1e-15)
			near("constant_rmse", got["constant_rmse"], sqrt(got["constant_mse"]), 1e-15)
			near("r2 (output)", got["r2"], 1 - got["mse"] / got["constant_mse"], 1e-12)
			exit bad
		}' "$1" "$2" "$T/out"
}

# fit_boston: weights of `fit -q -e 3000 -t medv data/Boston.csv` in $T/w.csv.
fit_boston() {
	"$DESCEND" fit -q -e 3000 -t medv -o "$T/w.csv" "$DATA/Boston.csv"
}

# ---------------------------------------------------------------- the error table

@test "errors.tsv (eval rows): each exits with its status, prints its message and nothing on stdout" {
	cp -R "$CASES" "$T/cases"
	cd "$T/cases"
	run_table "$CASES/errors.tsv" eval
}

@test "-w missing or an unknown option: exit 2, the message, then the usage of eval on stderr" {
	cd "$CASES"
	expect_usage_errors eval
}

@test "--help and -h exit 0 and print the synopsis of eval on stdout" {
	expect_help eval
}

# ---------------------------------------------------------------- the metrics

@test "output: metric,value then n, mse, rmse, mae, r2, constant_mse, constant_rmse, constant_mae" {
	cd "$CASES"
	d eval -w w.csv data.csv
	expect_status 0
	expect_empty "$T/err"
	expect_layout
	# By hand: predictions 148500 221000 166000 300000 for 200000 260000 190000 330000.
	[[ $(value n) == 4 ]]
	awk -F, '
		BEGIN { w["mse"] = 1412312500; w["mae"] = 36125; w["r2"] = 0.54806
		        w["constant_mse"] = 3125000000; w["constant_mae"] = 50000
		        w["rmse"] = sqrt(1412312500); w["constant_rmse"] = sqrt(3125000000) }
		$1 in w { e = ($2 - w[$1]) / w[$1]; if (e < 0) e = -e
		          printf "%-13s %s  relative error %.2g\n", $1, $2, e
		          if (!(e <= 1e-12)) bad = 1; seen++ }
		END { exit bad || seen != 7 }' "$T/out"
	check_metrics w.csv data.csv price
}

@test "Boston.csv with a fitted model: the metrics equal an awk computation (relative 1e-9)" {
	fit_boston
	d eval -w "$T/w.csv" "$DATA/Boston.csv"
	expect_status 0
	expect_empty "$T/err"
	expect_layout
	[[ $(value n) == 506 ]]
	check_metrics "$T/w.csv" "$DATA/Boston.csv" medv
	# The model beats the best constant.
	awk -F, '$1 == "mse" { m = $2 } $1 == "constant_mse" { c = $2 } END { exit !(m < c) }' "$T/out"
}

@test "homes.csv with a fitted model: the metrics equal an awk computation (relative 1e-9)" {
	"$DESCEND" fit -q -t price -o "$T/w.csv" "$DATA/homes.csv"
	d eval -w "$T/w.csv" "$DATA/homes.csv"
	expect_status 0
	expect_layout
	[[ $(value n) == 1000 ]]
	check_metrics "$T/w.csv" "$DATA/homes.csv" price
}

@test "--pretty exits 0 and prints a table naming every metric on stdout" {
	local m
	fit_boston
	d eval --pretty -w "$T/w.csv" "$DATA/Boston.csv"
	expect_status 0
	expect_empty "$T/err"
	[[ $(head -n 1 "$T/out") != metric,value ]] || { echo "--pretty printed the CSV"; cat "$T/out"; false; }
	for m in n mse rmse mae r2; do
		grep -Eq "(^|[^[:alnum:]_])$m([^[:alnum:]_]|$)" "$T/out" || { echo "no $m in:"; cat "$T/out"; false; }
	done
	grep -qi 'constant' "$T/out" || { echo "no best constant in:"; cat "$T/out"; false; }
	grep -q '506' "$T/out" || { echo "no n = 506 in:"; cat "$T/out"; false; }
}

@test "a constant target: r2 is nan with the warning on stderr, exit 0" {
	cd "$CASES"
	d eval -w w.csv constant_target.csv
	expect_status 0
	[[ $(cat "$T/err") == 'descend: warning: the target is constant; r2 is undefined' ]] || { cat "$T/err"; false; }
	expect_layout
	[[ $(value r2) == nan ]]
	[[ $(value constant_mse) == 0 && $(value constant_rmse) == 0 && $(value constant_mae) == 0 ]] || { cat "$T/out"; false; }
	[[ $(value n) == 4 ]]
	# Errors 51500 -21000 34000 -100000.
	awk -F, '$1 == "mae" { exit !($2 == 51625) }' "$T/out" || { cat "$T/out"; false; }
	d eval --pretty -w w.csv constant_target.csv
	expect_status 0
	expect_line 'target is constant'
	expect_line 'nan' "$T/out"
}

# ---------------------------------------------------------------- choosing the target

@test "-t by name and by number equal the default (last column)" {
	fit_boston
	d eval -w "$T/w.csv" "$DATA/Boston.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	d eval -t medv -w "$T/w.csv" "$DATA/Boston.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d eval --target=14 -w "$T/w.csv" "$DATA/Boston.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	# Columns reversed, medv first: by name, by number; the last column is now a model term.
	awk -F, '{ s = $NF; for (i = NF - 1; i >= 1; i--) s = s "," $i; print s }' "$DATA/Boston.csv" >"$T/rev.csv"
	d eval -t medv -w "$T/w.csv" "$T/rev.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d eval -t 1 -w "$T/w.csv" "$T/rev.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d eval -w "$T/w.csv" "$T/rev.csv"
	expect_status 2
	expect_empty "$T/out"
	[[ $(cat "$T/err") == "descend: $T/rev.csv: the target \"crim\" is a feature of the model" ]] || { cat "$T/err"; false; }
}

@test "columns not in the model are ignored, text included" {
	fit_boston
	d eval -w "$T/w.csv" "$DATA/Boston.csv"
	mv "$T/out" "$T/want"
	awk -F, -v OFS=, '{ print (NR == 1 ? "\"note\"" : "\"row " NR ", ok\""), $0, (NR == 1 ? "id" : "n/a") }' \
		"$DATA/Boston.csv" >"$T/extra.csv"
	d eval -t medv -w "$T/w.csv" "$T/extra.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

@test "--no-header: columns x1..xd,y as in fit, the target y by default" {
	sed 1d "$DATA/homes.csv" >"$T/rows.csv"
	{ echo x1,x2,x3,x4,y; cat "$T/rows.csv"; } >"$T/named.csv"
	"$DESCEND" fit -q --no-header -o "$T/w.csv" "$T/rows.csv"
	d eval -w "$T/w.csv" "$T/named.csv"
	expect_status 0
	check_metrics "$T/w.csv" "$T/named.csv" y
	mv "$T/out" "$T/want"
	d eval --no-header -w "$T/w.csv" "$T/rows.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d eval --no-header -t y -w "$T/w.csv" "$T/rows.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d eval --no-header -t 5 -w "$T/w.csv" "$T/rows.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

# ---------------------------------------------------------------- input sources and formats

@test "standard input (no FILE, and -) gives the same stdout bytes as FILE" {
	fit_boston
	d eval -w "$T/w.csv" "$DATA/Boston.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	d eval -w "$T/w.csv" <"$DATA/Boston.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d eval -w "$T/w.csv" - <"$DATA/Boston.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

@test "-d ';', -d tab and CRLF input give the same metrics" {
	cd "$CASES"
	d eval -w w.csv data.csv
	mv "$T/out" "$T/want"
	tr , ';' <data.csv >"$T/semi.csv"
	d eval -d ';' -w w.csv "$T/semi.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	tr , '\t' <data.csv >"$T/tab.csv"
	d eval -d tab -w w.csv "$T/tab.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	sed 's/$/\r/' data.csv >"$T/crlf.csv"
	d eval -w w.csv "$T/crlf.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

# ranking_reference PROBA LABELS CLASS: ROC AUC by counting every (positive, negative) pair
# (ties one half), average precision from its definition over the distinct thresholds, and
# the Brier score, in Python, from predict --proba's columns and the true labels.
ranking_reference() {
	python3 - "$@" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
head, rows = rows[0], rows[1:]
labels = [l.strip().strip('"') for l in open(sys.argv[2]).read().split()]
classes = [h[2:-1] for h in head[1:]]
k = classes.index(sys.argv[3])
p = [float(r[1 + k]) for r in rows]
pos = [l == sys.argv[3] for l in labels]
P = [i for i in range(len(p)) if pos[i]]
N = [i for i in range(len(p)) if not pos[i]]
u = sum(1.0 if p[i] > p[j] else 0.5 if p[i] == p[j] else 0.0 for i in P for j in N)
ap, prev = 0.0, 0.0
for t in sorted(set(p), reverse=True):
    sel = [i for i in range(len(p)) if p[i] >= t]
    tp = sum(pos[i] for i in sel)
    ap += (tp / len(P) - prev) * tp / len(sel)
    prev = tp / len(P)
if len(classes) == 2:
    brier = sum((float(r[2]) - (l == classes[1])) ** 2 for r, l in zip(rows, labels)) / len(rows)
else:
    brier = sum(sum((float(r[1 + c]) - (l == classes[c])) ** 2 for c in range(len(classes)))
                for r, l in zip(rows, labels)) / len(rows)
print('%.17g %.17g %.17g' % (u / (len(P) * len(N)), ap, brier))
PY
}

# close A B: within 1e-12 relative.
close() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; d = d < 0 ? -d : d; m = a < 0 ? -a : a; exit !(d <= 1e-12 * m) }' ||
	    { echo "$1 against $2"; return 1; }
}

@test "classifiers: ROC AUC, PR AUC (average precision) and the Brier score, against a pairwise count" {
	local mtcars=$BATS_TEST_DIRNAME/../ref/r/mae/mtcars.csv ref roc pr br
	# two classes: the positive one's
	"$DESCEND" fit -q -t am -x mpg,wt -l logistic "$mtcars" >"$T/w.csv"
	"$DESCEND" predict --proba -w "$T/w.csv" "$mtcars" >"$T/proba.csv"
	awk -F, 'NR > 1 { print $9 }' "$mtcars" >"$T/labels"
	d eval -t am -w "$T/w.csv" "$mtcars"
	expect_status 0
	read -r roc pr br < <(ranking_reference "$T/proba.csv" "$T/labels" 1)
	close "$(awk -F, '$1 == "roc_auc" && $2 == "1" { print $3 }' "$T/out")" "$roc"
	close "$(awk -F, '$1 == "pr_auc" && $2 == "1" { print $3 }' "$T/out")" "$pr"
	close "$(awk -F, '$1 == "brier" { print $3 }' "$T/out")" "$br"
	[[ $(grep -c '^roc_auc,' "$T/out") == 1 ]]
	# three classes: one against the rest, each, and their means; ties in the scores
	"$DESCEND" fit -q -t Species -l softmax --l2 0.01 "$DATA/iris.csv" >"$T/w.csv"
	"$DESCEND" predict --proba -w "$T/w.csv" "$DATA/iris.csv" >"$T/proba.csv"
	awk -F, 'NR > 1 { print $5 }' "$DATA/iris.csv" >"$T/labels"
	d eval --format json -w "$T/w.csv" "$DATA/iris.csv"
	expect_status 0
	local sum=0 c
	for c in setosa versicolor virginica; do
		read -r roc pr br < <(ranking_reference "$T/proba.csv" "$T/labels" "$c")
		close "$(jq -r ".roc_auc.$c" "$T/out")" "$roc"
		close "$(jq -r ".pr_auc.$c" "$T/out")" "$pr"
	done
	close "$(jq -r .brier "$T/out")" "$br"
	jq -e '.macro.roc_auc > 0.99 and .macro.pr_auc > 0.99' "$T/out" >/dev/null
	# a class absent from the rows: its scores are undefined, NA and null
	head -n 51 "$DATA/iris.csv" >"$T/setosa.csv"
	d eval -w "$T/w.csv" "$T/setosa.csv"
	expect_status 0
	grep -qx 'roc_auc,setosa,NA' "$T/out"
	d eval --format json -w "$T/w.csv" "$T/setosa.csv"
	jq -e '.roc_auc.setosa == null' "$T/out" >/dev/null
}
