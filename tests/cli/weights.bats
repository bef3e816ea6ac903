#!/usr/bin/env bats
# Command-line tests of row weights (fit --weight COL, eval --weight COL) and of fits without
# an intercept (fit --no-intercept). References: R's summary(lm(weights =)) in
# tests/ref/r/wls_NAME.{coef,fit}.csv (made by tests/ref/r/weights.R, see tests/ref/README.md)
# and NIST's certified values for NoInt1 and NoInt2 (tests/ref/nist/noint{1,2}*.csv). R is not
# needed to run these tests. Needs bash, awk and jq.

load helpers

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref
}

# r_wls NAME: R's figures for wls_NAME, one "KEY<tab>VALUE" line each: TERM/estimate,
# TERM/std_error, TERM/t, TERM/p_value, then n (R's nobs: rows of nonzero weight), df, sigma,
# r2, adj_r2, f, f_df1, f_df2, f_p.
r_wls() {
	awk -F, -v OFS='\t' '
	FNR == 1 { file++; for (i = 1; i <= NF; i++) h[i] = $i; next }
	file == 1 { for (i = 2; i <= NF; i++) print $1 "/" (h[i] == "t_value" ? "t" : h[i]), $i; next }
	{ k = $1; if (k == "nobs") k = "n"; else if (k == "n") next
	  if (k == "residual_sd") k = "sigma"; if (k == "r_squared") k = "r2"
	  if (k == "adj_r_squared") k = "adj_r2"
	  if (k ~ /^(n|df|sigma|r2|adj_r2|f|f_df1|f_df2|f_p)$/) print k, $2 }' \
		"$REF/r/wls_$1.coef.csv" "$REF/r/wls_$1.fit.csv"
}

# json_stats FILE: the same keys from fit --stats-only --format json (null as NA).
json_stats() {
	jq -r '(.terms[] as $t | ("estimate", "std_error", "t", "p_value") as $k
	        | "\($t.term)/\($k)\t\($t[$k] // "NA")"),
	       (("n", "df", "sigma", "r2", "adj_r2", "f", "f_df1", "f_df2", "f_p") as $k
	        | "\($k)\t\(.[$k] // "NA")")' "$1"
}

# agree_rel GOT WANT TOL: fail unless every key of WANT is in GOT with a number within TOL
# relative of WANT's; prints the worst relative difference.
agree_rel() {
	awk -F'\t' -v tol="$3" '
	NR == FNR { got[$1] = $2; next }
	{ if (!($1 in got)) { print "missing " $1; bad = 1; next }
	  g = got[$1] + 0; w = $2 + 0; rel = (w == 0 ? (g < 0 ? -g : g) : (g - w) / w)
	  if (rel < 0) rel = -rel
	  if (rel > worst) { worst = rel; at = $1 }
	  if (rel > tol) { print $1 ": " got[$1] ", R " $2 " (relative " rel ")"; bad = 1 } }
	END { printf "worst relative difference %.3g (%s) of %d figures\n", worst, at, FNR
	      exit bad }' "$1" "$2"
}

# weights_rel A B TOL: the weight columns of two weights files agree term by term within
# TOL relative (absolute for a weight of 0).
weights_rel() {
	paste -d, "$1" "$2" | awk -F, -v tol="$3" '
	NR == 1 { next }
	{ a = $2 + 0; b = $(NF / 2 + 2) + 0; rel = (b == 0 ? a : (a - b) / b); if (rel < 0) rel = -rel
	  if (rel > worst) worst = rel
	  if (rel > tol) { print $1 ": " a " against " b " (relative " rel ")"; bad = 1 } }
	END { printf "worst relative difference %.3g\n", worst; exit bad }'
}

# wls NAME ARGS...: fit --solver exact --stats-only --format json with ARGS, and every figure
# of R's summary within 1e-10 relative (what they agree to is printed; 2.3e-13 at worst,
# quakes' intercept p-value, when written).
wls() {
	local name=$1
	shift
	d fit -q --solver exact --stats-only --format json "$@"
	expect_status 0
	json_stats "$T/out" >"$T/got"
	r_wls "$name" >"$T/want"
	agree_rel "$T/got" "$T/want" 1e-10
}

@test "--weight --solver exact --stats: R's summary(lm(weights = Population)) on state" {
	wls state -t Murder -x Illiteracy,Income,HS.Grad,Frost --weight Population "$DATA/state.csv"
}

@test "--weight with zero weights: R's summary on state48 (n and df of the 48 nonzero rows)" {
	wls state48 -t Murder -x Illiteracy,Income,HS.Grad,Frost --weight pop48 "$DATA/state.csv"
	# a zero-weight row changes nothing: the fit of the 48 rows alone
	d fit -q --solver exact -t Murder -x Illiteracy,Income,HS.Grad,Frost --weight pop48 \
		"$DATA/state.csv"
	cp "$T/out" "$T/zero.csv"
	awk -F, 'NR == 1 || $9 != 0' "$DATA/state.csv" >"$T/state48.csv"
	d fit -q --solver exact -t Murder -x Illiteracy,Income,HS.Grad,Frost --weight pop48 \
		"$T/state48.csv"
	weights_rel "$T/zero.csv" "$T/out" 1e-12
}

@test "--weight: R's summary on menarche (prop ~ Age, weights Total) and quakes (stations)" {
	wls menarche -t prop -x Age --weight Total "$DATA/menarche.csv"
	wls quakes -t mag -x lat,long,depth --weight stations "$DATA/quakes.csv"
}

@test "--no-intercept --weight --stats: R's summary(lm(Murder ~ 0 + ..., weights =)) on state" {
	wls state_noint -t Murder -x Illiteracy,Income,HS.Grad,Frost --weight Population \
		--no-intercept "$DATA/state.csv"
	# the intercept is not in the model: NA in the table, 0 in the weights file
	[[ $(jq -r '.terms[0].estimate' "$T/out") == null ]]
	d fit --solver exact --stats -t Murder -x Illiteracy,Income,HS.Grad,Frost \
		--weight Population --no-intercept "$DATA/state.csv"
	expect_status 0
	[[ $(awk -F, '$1 == "(intercept)" { print $2 }' "$T/out") == 0 ]]
	grep -q '(no intercept)' "$T/err"
	grep -q '^R-squared (sums of squares about 0: no intercept) ' "$T/err"
}

# lre GOT CERTIFIED: NIST's log relative error, −log10(|got − c| / |c|), at most 15.
lre() {
	awk -v g="$1" -v c="$2" 'BEGIN { r = (g - c) / c; if (r < 0) r = -r
		print (r == 0 ? 15 : (-log(r) / log(10) > 15 ? 15 : -log(r) / log(10))) }'
}

@test "--no-intercept --solver exact: NIST NoInt1 and NoInt2 to 7 or more correct digits" {
	for name in noint1 noint2; do
		d fit -q --solver exact --stats-only --format json --no-intercept -t y \
			"$DATA/nist/$name.csv"
		expect_status 0
		b1=$(awk -F, '$1 == "x" { print $2 }' "$REF/nist/$name.csv")
		se=$(awk -F, '$1 == "x" { print $3 }' "$REF/nist/$name.csv")
		sd=$(awk -F, '$1 == "residual_sd" { print $2 }' "$REF/nist/$name.stats.csv")
		r2=$(awk -F, '$1 == "r_squared" { print $2 }' "$REF/nist/$name.stats.csv")
		for pair in "$(jq '.terms[1].estimate' "$T/out") $b1" \
			"$(jq '.terms[1].std_error' "$T/out") $se" \
			"$(jq '.sigma' "$T/out") $sd" "$(jq '.r2' "$T/out") $r2"; do
			set -- $pair
			digits=$(lre "$1" "$2")
			echo "$name: $1 against $2: LRE $digits"
			awk -v l="$digits" 'BEGIN { exit !(l >= 7) }'
		done
		[[ $(jq '.terms[0].estimate' "$T/out") == null ]]
		[[ $(jq '.f_df1' "$T/out") == 1 ]]
	done
}

# repeated: $T/qw.csv, quakes with a column w of whole weights 0 to 3 (the row number mod 4),
# and $T/qr.csv, each of its rows repeated w times (w left as a column, not used).
repeated() {
	awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," (NR % 4) }' \
		"$DATA/quakes.csv" >"$T/qw.csv"
	awk -F, 'NR == 1 { print; next } { for (i = 0; i < $NF; i++) print }' \
		"$T/qw.csv" >"$T/qr.csv"
}

@test "whole weights fit as repeated rows: exact solver to 1e-12, lbfgs batch mse to 1e-8" {
	repeated
	d fit -q --solver exact -t mag -x lat,long,depth --weight w "$T/qw.csv"
	cp "$T/out" "$T/a.csv"
	d fit -q --solver exact -t mag -x lat,long,depth "$T/qr.csv"
	# the same sums in another order: the last digits may differ
	weights_rel "$T/a.csv" "$T/out" 1e-12
	d fit -q -O lbfgs -e 1000 -t mag -x lat,long,depth --weight w "$T/qw.csv"
	cp "$T/out" "$T/c.csv"
	d fit -q -O lbfgs -e 1000 -t mag -x lat,long,depth "$T/qr.csv"
	weights_rel "$T/c.csv" "$T/out" 1e-8
}

@test "gradient fits with --weight reach weighted least squares (lbfgs; adam; sgd nearby)" {
	args=(-t Murder -x Illiteracy,Income,HS.Grad,Frost --weight Population "$DATA/state.csv")
	d fit -q --solver exact "${args[@]}"
	cp "$T/out" "$T/exact.csv"
	d fit -q -O lbfgs -e 1000 "${args[@]}"
	weights_rel "$T/out" "$T/exact.csv" 1e-8
	d fit -q --solver exact --no-intercept "${args[@]}"
	cp "$T/out" "$T/exact0.csv"
	d fit -q -O lbfgs -e 1000 --no-intercept "${args[@]}"
	weights_rel "$T/out" "$T/exact0.csv" 1e-8
	repeated
	d fit -q --solver exact -t mag -x lat,long,depth --weight w "$T/qw.csv"
	cp "$T/out" "$T/qexact.csv"
	d fit -q -O adam -e 500 -t mag -x lat,long,depth --weight w "$T/qw.csv"
	weights_rel "$T/out" "$T/qexact.csv" 1e-8
	d fit -q -m minibatch -e 100 -t mag -x lat,long,depth --weight w "$T/qw.csv"
	weights_rel "$T/out" "$T/qexact.csv" 0.05
}

@test "--weight with --stats after gradient descent: the weighted summary, as the exact one" {
	args=(-t prop -x Age --weight Total "$DATA/menarche.csv")
	d fit -q -O lbfgs -e 1000 --stats-only --format json "${args[@]}"
	expect_status 0
	json_stats "$T/out" >"$T/got"
	r_wls menarche >"$T/want"
	agree_rel "$T/got" "$T/want" 1e-6
}

@test "--no-intercept scales without a shift: a constant column acts as the intercept" {
	awk -F, 'NR == 1 { print "one," $0; next } { print "1," $0 }' "$DATA/quakes.csv" \
		>"$T/one.csv"
	d fit -q --solver exact -t mag -x lat,long,depth "$DATA/quakes.csv"
	cut -d, -f1-3 "$T/out" >"$T/with.csv" # not the target column
	d fit -q -O lbfgs -e 1000 --no-intercept -t mag -x one,lat,long,depth "$T/one.csv"
	expect_status 0
	[[ $(awk -F, 'NR == 2 { print $2 }' "$T/out") == 0 ]]
	# the column of ones takes the intercept's place
	awk -F, 'NR > 2' "$T/out" | cut -d, -f1,2 | sed 's/^one,/(intercept),/' \
		| sed '1i term,weight' >"$T/moved.csv"
	weights_rel "$T/moved.csv" "$T/with.csv" 1e-8
}

@test "--weight in --validation and --cv: weights all 2 score as no weights" {
	awk -F, 'NR == 1 { print $0 ",two"; next } { print $0 ",2" }' "$DATA/quakes.csv" \
		>"$T/two.csv"
	d fit --solver exact --cv 4 --cv-only -t mag -x lat,long,depth "$T/two.csv"
	cp "$T/out" "$T/plain.csv"
	d fit --solver exact --cv 4 --cv-only -t mag -x lat,long,depth --weight two "$T/two.csv"
	weights_rel "$T/out" "$T/plain.csv" 1e-12
	d fit -O lbfgs -e 200 --validation 0.3 -t mag -x lat,long,depth "$T/two.csv"
	grep 'validation mse' "$T/err" >"$T/plain.txt"
	d fit -O lbfgs -e 200 --validation 0.3 -t mag -x lat,long,depth --weight two \
		"$T/two.csv"
	grep 'validation mse' "$T/err" >"$T/two.txt"
	diff "$T/plain.txt" "$T/two.txt"
}

@test "eval --weight: weighted MSE, MAE, R² and constants, as computed by hand" {
	d fit -q --solver exact -t Murder -x Illiteracy,Income,HS.Grad,Frost \
		--weight Population "$DATA/state.csv"
	cp "$T/out" "$T/w.csv"
	d eval -w "$T/w.csv" -t Murder --weight Population "$DATA/state.csv"
	expect_status 0
	awk -F, '
	NR == FNR { if (FNR > 1) w[$1] = $2; next }
	FNR == 1 { gsub(/"/, ""); for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ v = $c["Population"]; y = $c["Murder"]
	  f = w["(intercept)"] + w["Illiteracy"] * $c["Illiteracy"] + w["Income"] * $c["Income"] \
	      + w["HS.Grad"] * $c["HS.Grad"] + w["Frost"] * $c["Frost"]
	  n++; V[n] = v; Y[n] = y; sv += v; sy += v * y; sse += v * (y - f) ^ 2
	  sae += v * ((y - f) < 0 ? f - y : y - f) }
	END { m = sy / sv; for (i = 1; i <= n; i++) sst += V[i] * (Y[i] - m) ^ 2
	      printf "n\t%d\nmse\t%.17g\nmae\t%.17g\nr2\t%.17g\nconstant_mse\t%.17g\nweight_sum\t%.17g\n",
	          n, sse / sv, sae / sv, 1 - sse / sst, sst / sv, sv }' \
		"$T/w.csv" "$DATA/state.csv" >"$T/want"
	tr , '\t' <"$T/out" >"$T/got"
	agree_rel "$T/got" "$T/want" 1e-12
	# R's figure: the weighted R² of the fit is summary's
	[[ $(awk -F, '$1 == "r2" { printf "%.10f", $2 }' "$T/out") == \
	   $(awk -F, '$1 == "r_squared" { printf "%.10f", $2 }' "$REF/r/wls_state.fit.csv") ]]
}

@test "eval --weight on a class model: weighted log loss and accuracy by hand" {
	awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," (NR % 3) }' "$DATA/mtcars.csv" \
		>"$T/cars.csv"
	d fit -q -l logistic -t am -x wt,hp "$T/cars.csv"
	cp "$T/out" "$T/w.csv"
	d eval -w "$T/w.csv" -t am --weight w "$T/cars.csv"
	expect_status 0
	awk -F, '
	NR == FNR { if (FNR > 1) w[$1] = $3; next }
	FNR == 1 { gsub(/"/, ""); for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ v = $c["w"]; y = $c["am"]; z = w["(intercept)"] + w["wt"] * $c["wt"] + w["hp"] * $c["hp"]
	  p = 1 / (1 + exp(-z)); sv += v; n++
	  ll += v * -log(y == 1 ? p : 1 - p); right += v * ((z > 0) == (y == 1)); pos += v * y }
	END { q = pos / sv
	      printf "n\t%d\nweight_sum\t%.17g\nlog_loss\t%.17g\naccuracy\t%.17g\n", n, sv, ll / sv, right / sv
	      printf "constant_accuracy\t%.17g\n", (q > 1 - q ? q : 1 - q)
	      printf "constant_log_loss\t%.17g\n", -(q * log(q) + (1 - q) * log(1 - q)) }' \
		"$T/w.csv" "$T/cars.csv" >"$T/want"
	awk -F, 'NR > 1 { print $1 "\t" $3 }' "$T/out" >"$T/got"
	agree_rel "$T/got" "$T/want" 1e-9
}
