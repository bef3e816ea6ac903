#!/usr/bin/env bats
# descend path against R's glmnet (references made by tests/ref/r/path.R, described in
# tests/ref/README.md): the lambda sequence, the coefficients at five lambda values, the
# cross-validated loss and its standard error, and lambda.min and lambda.1se given glmnet's
# folds (--foldid); the fit command it prints reproduces the path's weights; ridge (--alpha 0)
# against the closed form of fit --solver exact; --plot's SVG is well-formed. Error cases are
# rows of errors.tsv (run by fit.bats). Needs python3; the SVG test needs xmllint.

load helpers

setup() {
	setup_descend cases
	REF=$BATS_TEST_DIRNAME/../ref/r/path
	COMPARE=$BATS_TEST_DIRNAME/../path_compare.py
}

# against NAME TARGET ALPHA: run path on data/NAME.csv with glmnet's folds and compare.
against() {
	d path -t "$2" --alpha "$3" --foldid "$REF/$1.foldid.csv" \
		--coefficients "$T/coef.csv" "$DATA/$1.csv"
	expect_status 0
	python3 "$COMPARE" "$REF/$1_a$3" "$T/out" "$T/coef.csv" "$T/err"
}

@test "lasso path of Boston medv equals glmnet's" {
	against Boston medv 1
}

@test "elastic-net path (alpha 0.5) of Boston medv equals glmnet's" {
	against Boston medv 0.5
}

@test "lasso and elastic-net paths of mtcars mpg equal glmnet's" {
	against mtcars mpg 1
	against mtcars mpg 0.5
}

@test "lasso and elastic-net paths of swiss Fertility equal glmnet's" {
	against swiss Fertility 1
	against swiss Fertility 0.5
}

# reproduces WHICH: the fit command printed after lambda.WHICH gives the path's weights there.
reproduces() {
	local line lambda cmd
	line=$(grep -n "^descend: lambda\.$1 " "$T/err" | cut -d: -f1)
	lambda=$(sed -n "${line}p" "$T/err" | awk '{ print $3 }')
	cmd=$(sed -n "$((line + 1))p" "$T/err")
	[[ $cmd == "descend fit "* ]] || { echo "no fit command after lambda.$1"; return 1; }
	(cd "$DATA" && eval "\"\$DESCEND\" ${cmd#descend } -q") >"$T/w.csv"
	python3 - "$T/w.csv" "$T/coef.csv" "$lambda" <<'PY'
import csv, sys
w = {r["term"]: float(r["weight"]) for r in csv.DictReader(open(sys.argv[1]))}
row = [r for r in csv.DictReader(open(sys.argv[2])) if r["lambda"] == sys.argv[3]][0]
bad = [(k, w[k], float(row[k])) for k in w
       if abs(w[k] - float(row[k])) > 1e-9 * max(abs(float(row[k])), 1e-300)]
for b in bad:
    print("%s: fit %r, path %r" % b)
sys.exit(1 if bad else 0)
PY
}

@test "the fit commands of lambda.min and lambda.1se reproduce the path's weights" {
	cd "$DATA"
	d path -t medv --alpha 0.5 --coefficients "$T/coef.csv" Boston.csv
	expect_status 0
	reproduces min
	reproduces 1se
	d path -t Fertility --coefficients "$T/coef.csv" swiss.csv
	expect_status 0
	reproduces min
	reproduces 1se
}

@test "the ridge path (--alpha 0) equals the closed form of fit --solver exact --l2" {
	d path -t mpg --alpha 0 --nlambda 20 --coefficients "$T/coef.csv" "$DATA/mtcars.csv"
	expect_status 0
	# glmnet's ridge part at lambda is lambda / s_y (s_y the population sd of y)
	python3 - "$T/coef.csv" "$DATA/mtcars.csv" "$DESCEND" <<'PY'
import csv, subprocess, sys, statistics
rows = list(csv.DictReader(open(sys.argv[1])))
y = [float(r["mpg"]) for r in csv.DictReader(open(sys.argv[2]))]
sy = statistics.pstdev(y)
bad = 0
for r in rows[1::6]:
    l2 = float(r["lambda"]) / sy
    out = subprocess.run([sys.argv[3], "fit", "-q", "-t", "mpg", "--solver", "exact",
                          "--l2", repr(l2), sys.argv[2]], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    for line in out[1:]:
        term, weight = line.split(",")[:2]
        want, have = float(weight), float(r[term])
        if abs(have - want) > 1e-9 * abs(want):
            print("lambda %s %s: path %r, exact %r" % (r["lambda"], term, have, want))
            bad += 1
sys.exit(1 if bad else 0)
PY
}

@test "the table goes to -o; the same seed gives the same folds, another seed others" {
	d path -t medv --seed 7 -o "$T/a.csv" "$DATA/Boston.csv"
	expect_status 0
	expect_empty "$T/out"
	expect_line '^lambda,cv_loss,cv_se,nonzero$' "$T/a.csv"
	d path -t medv --seed 7 "$DATA/Boston.csv"
	cmp "$T/out" "$T/a.csv"
	d path -t medv --seed 8 "$DATA/Boston.csv"
	! cmp -s "$T/out" "$T/a.csv"
	[[ $(wc -l <"$T/a.csv") -eq 77 ]]
}

@test "--nlambda and --lambda-min-ratio set the sequence; the first lambda zeroes every weight" {
	d path -t medv --nlambda 3 --lambda-min-ratio 0.01 "$DATA/Boston.csv"
	expect_status 0
	python3 - "$T/out" <<'PY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
lam = [float(x["lambda"]) for x in r]
assert len(lam) == 3, lam
assert abs(lam[2] / lam[0] - 0.01) < 1e-14 and abs(lam[1] / lam[0] - 0.1) < 1e-14, lam
assert r[0]["nonzero"] == "0" and r[1]["nonzero"] != "0", r
PY
}

@test "--plot draws cv loss against log lambda as a well-formed SVG" {
	command -v xmllint >/dev/null || skip "needs xmllint: apt-get install libxml2-utils"
	d path -t medv --plot "$T/p.svg" "$DATA/Boston.csv"
	expect_status 0
	xmllint --noout "$T/p.svg"
	[[ $(xmllint --xpath 'name(/*)' "$T/p.svg") == svg ]]
	grep -q 'lambda.min' "$T/p.svg"
	grep -q 'lambda.1se' "$T/p.svg"
}

@test "fit --solver cd without penalties is least squares, as --solver exact" {
	d fit -q -t medv --solver cd "$DATA/Boston.csv"
	expect_status 0
	mv "$T/out" "$T/cd.csv"
	d fit -q -t medv --solver exact "$DATA/Boston.csv"
	expect_status 0
	paste -d, "$T/cd.csv" "$T/out" | awk -F, 'NR > 1 {
		d = $2 - $5; if (d < 0) d = -d; m = $5 < 0 ? -$5 : $5
		if (d > 1e-8 * m) { print $1 ": cd " $2 ", exact " $5; bad = 1 } }
		END { exit bad }'
}

@test "the folds are fit --cv's: at a lambda, cv_loss is fit --solver cd --cv's mean loss" {
	# 2 folds of 253 rows: the mean of the folds' losses is the loss over all rows
	d path -t medv --cv 2 --seed 3 "$DATA/Boston.csv"
	expect_status 0
	local row lambda
	row=$(sed -n 30p "$T/out")
	lambda=${row%%,*}
	d fit -q -t medv --solver cd --l1 "$(python3 -c "print(repr(2 * $lambda))")" \
		--cv 2 --cv-only --seed 3 "$DATA/Boston.csv"
	expect_status 0
	python3 - "$row" "$T/out" <<'PY'
import csv, math, sys
row = sys.argv[1].split(",")
s = {r["fold"]: float(r["val_loss"]) for r in csv.DictReader(open(sys.argv[2]))}
assert abs(s["mean"] - float(row[1])) <= 1e-10 * float(row[1]), (s, row)
assert abs(s["sd"] / math.sqrt(2) - float(row[2])) <= 1e-9 * float(row[2]), (s, row)
PY
}
