#!/usr/bin/env bats
# Command-line tests of fit's derived terms (--poly, --interact, --cross): the fits against
# R's summary(lm()) with the same terms (tests/ref/r/formula_mtcars.* by formula.R and
# tests/ref/r/interact_*.* by interact.R, 17 significant digits; see tests/ref/README.md),
# the names and order of the terms, and predict and eval recomputing them from the raw
# columns. R is not needed to run these tests. Needs bash, awk and jq.

load helpers

# Every figure must be within this relative distance of R's.
TOL=1e-6

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref/r
	MT=$DATA/mtcars.csv
}

# r_figures NAME: R's figures, one "KEY<tab>VALUE" line each: TERM/estimate,
# TERM/std_error, TERM/t, TERM/p_value (TERM as descend names it), then n, sigma, df, r2,
# adj_r2, f, f_df1, f_df2, f_p.
r_figures() {
	awk -F, -v OFS='\t' '
	FNR == 1 { file++; next }
	file == 1 { n = split($0, c, ","); print c[1] "/estimate", c[n - 3]; print c[1] "/std_error", c[n - 2]
	            print c[1] "/t", c[n - 1]; print c[1] "/p_value", c[n]; next }
	{ k = $1; if (k == "residual_sd") k = "sigma"; if (k == "r_squared") k = "r2"
	  if (k == "adj_r_squared") k = "adj_r2"; print k, $2 }' "$REF/$1.coef.csv" "$REF/$1.fit.csv"
}

# json_figures FILE: the same keys from fit --stats-only --format json.
json_figures() {
	jq -r '(.terms[] as $t | ("estimate", "std_error", "t", "p_value") as $k
	        | "\($t.term)/\($k)\t\($t[$k] // "NA")"),
	       (("n", "sigma", "df", "r2", "adj_r2", "f", "f_df1", "f_df2", "f_p") as $k
	        | "\($k)\t\(.[$k] // "NA")")' "$1"
}

# agree GOT WANT: fail unless every key of WANT is in GOT within $TOL relative; the fewest
# digits in common go to $T/digits.
agree() {
	awk -F'\t' -v tol="$TOL" -v out="$T/digits" '
	NR == FNR { got[$1] = $2; next }
	{
		if (!($1 in got)) { print $1 ": missing"; bad = 1; next }
		g = got[$1] + 0; r = $2 + 0; e = g - r; e = e < 0 ? -e : e; m = r < 0 ? -r : r
		if (e > tol * m) { printf "%s: %s, R %s\n", $1, got[$1], $2; bad = 1 }
		l = e == 0 ? 17 : -log(e / m) / log(10)
		if (least == "" || l < least) least = l
	}
	END { printf "%.1f\n", least > out; exit bad }' "$1" "$2"
}

@test "lm(mpg ~ wt * hp + poly(disp, 3, raw = TRUE)): --poly disp:3 --cross 'wt*hp' --solver exact --stats agrees with R" {
	d fit -q -t mpg -x wt,hp,disp --poly disp:3 --cross 'wt*hp' --solver exact --stats-only \
		--format json "$MT"
	expect_status 0
	json_figures "$T/out" >"$T/got"
	r_figures formula_mtcars >"$T/want"
	agree "$T/got" "$T/want"
	# The same with --interact: a:b adds the product alone (the main effects are features).
	d fit -q -t mpg -x wt,hp,disp --poly disp:3 --interact wt:hp --solver exact --stats-only \
		--format json "$MT"
	json_figures "$T/out" | agree /dev/stdin "$T/want"
}

@test "lm(mpg ~ wt * factor(cyl) + hp): a product with a --categorical column is one term per level, as R's model.matrix" {
	d fit -q -t mpg -x wt,cyl,hp --categorical cyl --cross 'wt*cyl' --solver exact \
		--stats-only --format json "$MT"
	expect_status 0
	json_figures "$T/out" >"$T/got"
	r_figures interact_cyl >"$T/want"
	agree "$T/got" "$T/want"
	[[ $(jq -r '[.terms[].term] | join(" ")' "$T/out") == \
		'(intercept) wt cyl=6 cyl=8 hp wt*cyl=6 wt*cyl=8' ]]
}

@test "lm(mpg ~ wt * hp * qsec): --cross of three adds the three pairs and the triple, in R's order" {
	d fit -q -t mpg -x wt,hp,qsec --cross 'wt*hp*qsec' --solver exact --stats-only \
		--format json "$MT"
	expect_status 0
	json_figures "$T/out" >"$T/got"
	agree "$T/got" <(r_figures interact_cross3)
	[[ $(jq -r '[.terms[].term] | join(" ")' "$T/out") == \
		'(intercept) wt hp qsec wt*hp wt*qsec hp*qsec wt*hp*qsec' ]]
}

@test "terms: named a*b and x^k, factors in the order of the features; powers before products" {
	d fit -q -t mpg -x hp,wt,disp --interact wt:hp,disp:hp:wt --poly disp:3,wt:2 --solver exact "$MT"
	expect_status 0
	[[ $(cut -d, -f1 "$T/out" | tr '\n' ' ') == \
		'term (intercept) hp wt disp disp^2 disp^3 wt^2 hp*wt hp*wt*disp ' ]]
	# --poly x:1 adds nothing.
	d fit -q -t mpg -x wt,hp --poly wt:1 --solver exact "$MT"
	[[ $(cut -d, -f1 "$T/out" | tr '\n' ' ') == 'term (intercept) wt hp ' ]]
}

@test "terms are scaled like any feature: gradient descent (lbfgs) reaches the exact fit" {
	d fit -q -t mpg -x wt,hp,disp --poly disp:3 --interact wt:hp --solver exact "$MT"
	cp "$T/out" "$T/exact.csv"
	d fit -q -t mpg -x wt,hp,disp --poly disp:3 --interact wt:hp -O lbfgs -e 2000 "$MT"
	expect_status 0
	paste -d, "$T/exact.csv" "$T/out" | awk -F, 'NR > 1 {
		e = $2 - $6; e = e < 0 ? -e : e; m = $2 < 0 ? -$2 : $2
		if (e > 1e-6 * m) { print $1 ": " $6 ", exact " $2; bad = 1 } } END { exit bad }'
}

@test "predict and eval recompute the terms from the raw columns by name" {
	d fit -q -t mpg -x wt,hp,disp --poly disp:3 --interact wt:hp --solver exact -o "$T/w.csv" "$MT"
	expect_status 0
	d predict -w "$T/w.csv" "$MT"
	expect_status 0
	# By hand, from the weights and the columns (disp 3rd, hp 4th, wt 6th).
	awk -F, 'NR == FNR { if (FNR > 1) b[FNR - 2] = $2; next } FNR > 1 {
		x = $3; h = $4; w = $6
		printf "%.17g\n", b[0] + b[1] * w + b[2] * h + b[3] * x + b[4] * (x * x) + b[5] * (x * x * x) + b[6] * (h * w) }' \
		"$T/w.csv" "$MT" >"$T/want"
	tail -n +2 "$T/out" | paste -d, - "$T/want" | awk -F, '{
		e = $1 - $2; e = e < 0 ? -e : e; m = $2 < 0 ? -$2 : $2
		if (e > 1e-12 * m) { print NR ": " $1 ", by hand " $2; bad = 1 } } END { exit bad }'
	# Columns in another order and the target absent: the same predictions.
	cut -d, -f6,3,4 "$MT" | awk -F, -v OFS=, '{ print $3, $1, $2 }' >"$T/moved.csv"
	d predict -w "$T/w.csv" "$T/moved.csv"
	tail -n +2 "$T/out" >"$T/moved"
	d predict -w "$T/w.csv" "$MT"
	tail -n +2 "$T/out" | cmp - "$T/moved"
	# eval's R² is R's.
	d eval -w "$T/w.csv" -t mpg "$MT"
	expect_status 0
	r2=$(awk -F, '$1 == "r2" { print $2 }' "$T/out")
	awk -v g="$r2" -v r=0.90689723370804032 'BEGIN { e = g - r; exit !((e < 0 ? -e : e) < 1e-12) }'
	# A factor's column missing: an error naming the term.
	cut -d, -f1-5 "$MT" >"$T/no_wt.csv"
	d predict -w "$T/w.csv" "$T/no_wt.csv"
	expect_status 1
	grep -q "^descend: $T/no_wt.csv: column \"wt\" of the model is not in the input (the columns: " "$T/err"
}

@test "predict recomputes a product with a level of a text column" {
	d fit -q -t mpg -x wt,cyl,hp --categorical cyl --cross 'wt*cyl' --solver exact -o "$T/w.csv" "$MT"
	expect_status 0
	d eval -w "$T/w.csv" -t mpg "$MT"
	expect_status 0
	r2=$(awk -F, '$1 == "r2" { print $2 }' "$T/out")
	awk -v g="$r2" -v r=0.87976261790196286 'BEGIN { e = g - r; exit !((e < 0 ? -e : e) < 1e-12) }'
}

@test "--missing mean: a product of a missing cell takes the product's training mean, in fit and predict" {
	printf 'a,b,y\n1,2,3\n2,,5\n3,1,4\n4,3,9\n5,2,8\n' >"$T/m.csv"
	d fit -q --missing mean --interact a:b --solver exact -o "$T/w.csv" "$T/m.csv"
	expect_status 0
	[[ $(awk -F, '$1 == "a*b" { print $4 }' "$T/w.csv") == 6.75 ]]
	printf 'a,b\n2,\n' >"$T/new.csv"
	d predict -w "$T/w.csv" "$T/new.csv"
	expect_status 0
	want=$(awk -F, 'NR > 1 { w[$1] = $2; m[$1] = $4 } END {
		printf "%.17g", w["(intercept)"] + w["a"] * 2 + w["b"] * m["b"] + w["a*b"] * m["a*b"] }' "$T/w.csv")
	awk -v g="$(tail -n 1 "$T/out")" -v r="$want" 'BEGIN { e = g - r; exit !((e < 0 ? -e : e) <= 1e-12 * (r < 0 ? -r : r)) }'
}

@test "export refuses a model with a product term, naming it, and writes nothing" {
	d fit -q -t mpg -x wt,hp --interact wt:hp --solver exact -o "$T/w.csv" "$MT"
	for lang in --sql --c --python --awk; do
		d export $lang -w "$T/w.csv" -o "$T/out.code"
		expect_status 1
		grep -qx "descend: $T/w.csv: the term \"wt\\*hp\" is a product (fit --interact, --poly or --cross), which export cannot write yet: use descend predict" "$T/err"
		[[ ! -e $T/out.code ]]
	done
}
