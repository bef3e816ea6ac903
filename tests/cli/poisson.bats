#!/usr/bin/env bats
# Command-line tests of `descend fit -l poisson` (log link, --offset and --exposure) against
# R's glm(family = poisson, control = glm.control(epsilon = 1e-15, maxit = 100)) on MASS's
# Insurance (Claims ~ District + Group + Age, offset = log(Holders)) and warpbreaks
# (breaks ~ wool + tension): R's figures in tests/ref/r/poisson_NAME.{coef,fit,mle,mu}.csv,
# written by tests/ref/r/poisson.R and tests/ref/r/poisson_predict.R (see tests/ref/README.md);
# R is not needed to run these tests. Needs bash, awk and jq.

load helpers

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref/r
	INS=(-l poisson -t Claims --categorical District,Group,Age --exposure Holders "$DATA/Insurance.csv")
	WB=(-l poisson -t breaks --categorical wool,tension "$DATA/warpbreaks.csv")
}

# r_figures NAME: R's figures, "KEY<tab>VALUE" a line: TERM/estimate, TERM/std_error, TERM/z,
# TERM/p_value, then null_deviance, null_df, deviance, df, aic.
r_figures() {
	awk -F, -v OFS='\t' '
	FNR == 1 { file++; for (i = 1; i <= NF; i++) h[i] = $i; next }
	file == 1 { for (i = 2; i <= NF; i++) print $1 "/" (h[i] == "z_value" ? "z" : h[i]), $i; next }
	$1 ~ /^(null_deviance|null_df|deviance|df|aic)$/ { print $1, $2 }' \
		"$REF/poisson_$1.coef.csv" "$REF/poisson_$1.fit.csv"
}

# json_figures FILE: the same keys from --stats-only --format json.
json_figures() {
	jq -r '(.terms[] as $t | ("estimate", "std_error", "z", "p_value") as $k
	        | "\($t.term)/\($k)\t\($t[$k] // "NA")"),
	       (("null_deviance", "null_df", "deviance", "df", "aic") as $k
	        | "\($k)\t\(.[$k] // "NA")")' "$1"
}

# agree GOT WANT [REL]: GOT has exactly WANT's keys, each within REL (default 1e-6) of R's,
# relative (absolute below 1e-300: p-values that underflow).
agree() {
	awk -F'\t' -v rel="${3:-1e-6}" '
	function abs(x) { return x < 0 ? -x : x }
	NR == FNR { got[$1] = $2; n++; next }
	{ m++; if (!($1 in got)) { print "missing " $1; bad = 1; next }
	  g = got[$1] + 0; w = $2 + 0
	  if (abs(g - w) > rel * abs(w) && abs(w) > 1e-300) {
		print $1 ": got " got[$1] ", R " $2; bad = 1 } }
	END { if (n != m) { print n " figures, R has " m; bad = 1 }; exit bad }' "$1" "$2"
}

# weights_agree FILE NAME REL: the weights CSV FILE's weights within REL of R's estimates.
weights_agree() {
	awk -F, -v rel="$3" '
	function abs(x) { return x < 0 ? -x : x }
	NR == FNR { if (FNR > 1) r[$1] = $2; next }
	FNR > 1 && ($1 in r) { n++; if (abs($2 - r[$1]) > rel * abs(r[$1])) {
		print $1 ": " $2 ", R " r[$1]; bad = 1 } }
	END { exit bad || n != length(r) }' "$REF/poisson_$2.coef.csv" "$1"
}

# close FILE COLUMN NAME REL: column COLUMN (eta or mu) of R's NAME.mu.csv against the
# single-column CSV FILE, row by row, within REL relative.
close() {
	paste -d, "$1" "$REF/poisson_$3.mu.csv" | awk -F, -v c="$2" -v rel="$4" '
	function abs(x) { return x < 0 ? -x : x }
	NR == 1 { next }
	{ n++; w = (c == "eta") ? $2 : $3
	  if (abs($1 - w) > rel * abs(w)) { print NR ": " $1 ", R " w; bad = 1 } }
	END { exit bad || n == 0 }'
}

@test "--solver exact --stats -l poisson --exposure matches R's summary(glm) on Insurance" {
	d fit "${INS[@]}" --solver exact --stats-only --format json
	expect_status 0
	json_figures "$T/out" >"$T/got"
	r_figures insurance >"$T/want"
	agree "$T/got" "$T/want"
	[[ $(jq .n "$T/out") == 64 ]]
}

@test "--weight gives R's prior weights: summary(glm(weights = w)) on Insurance" {
	# w = 1, 2, 3, 0, 2 repeating, as tests/ref/r/poisson.R's insurance_w
	awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next }
		{ print $0, substr("12302", (NR - 2) % 5 + 1, 1) }' "$DATA/Insurance.csv" >"$T/ins_w.csv"
	d fit -l poisson -t Claims --categorical District,Group,Age --exposure Holders \
		--weight w --solver exact --stats-only --format json "$T/ins_w.csv"
	expect_status 0
	json_figures "$T/out" >"$T/got"
	r_figures insurance_w >"$T/want"
	agree "$T/got" "$T/want"
}

@test "--offset takes the log exposure itself, the same fit as --exposure" {
	awk -F, -v OFS=, 'NR == 1 { print $0, "logH"; next } { printf "%s,%.17g\n", $0, log($4) }' \
		"$DATA/Insurance.csv" >"$T/ins.csv"
	d fit -l poisson -t Claims --categorical District,Group,Age --drop Holders --offset logH \
		--solver exact --stats-only --format json "$T/ins.csv"
	expect_status 0
	json_figures "$T/out" >"$T/got"
	r_figures insurance >"$T/want"
	agree "$T/got" "$T/want"
	d fit -q -l poisson -t Claims --categorical District,Group,Age --drop Holders --offset logH \
		--solver exact "$T/ins.csv"
	expect_line '^\(offset\) logH,1,1,Claims$' "$T/out"
}

@test "--stats -l poisson matches R on warpbreaks (no offset), and prints R's table" {
	d fit "${WB[@]}" --stats-only --format json
	expect_status 0
	json_figures "$T/out" >"$T/got"
	r_figures warpbreaks >"$T/want"
	agree "$T/got" "$T/want"
	d fit -q "${WB[@]}" --stats-only
	expect_line '^term +estimate +std_error +z_value +p_value' "$T/out"
	expect_line '^null deviance 297.372 on 53 degrees of freedom$' "$T/out"
	expect_line '^residual deviance 210.392 on 50 degrees of freedom$' "$T/out"
	expect_line '^AIC 493.056$' "$T/out"
}

@test "the weights file of -l poisson: its terms, then (poisson) and the offset's row" {
	d fit -q "${INS[@]}" --solver exact
	expect_status 0
	[[ $(tail -n 2 "$T/out") == $'(poisson),0,0\n(exposure) Holders,1,1' ]]
	weights_agree "$T/out" insurance 1e-12
	! grep -q '^Holders,' "$T/out"
}

# The default rule for batch -l poisson is L-BFGS (its curvature has no bound, so no fixed
# rate is safe everywhere); plain gd at the auto rate gets there too.
@test "gradient fits of -l poisson reach R's estimates: lbfgs (default) and gd, batch" {
	d fit -q "${INS[@]}"
	expect_status 0
	weights_agree "$T/out" insurance 1e-9
	d fit -q "${INS[@]}" -O gd -e 2000
	expect_status 0
	weights_agree "$T/out" insurance 1e-9
	d fit -q "${WB[@]}" -O lbfgs -e 100
	expect_status 0
	weights_agree "$T/out" warpbreaks 1e-9
}

@test "sgd and minibatch fits of -l poisson, every rule, lower the deviance without diverging" {
	for rule in gd momentum nesterov adagrad rmsprop adam adamw; do
		for mode in sgd minibatch; do
			d fit -O $rule -m $mode -e 30 "${INS[@]}"
			expect_status 0
			# final mean Poisson deviance below half the best constant's (3.69)
			awk '/final mean Poisson deviance/ { f = $6 + 0 } END { exit !(f > 0 && f < 1.85) }' \
				"$T/err" || { echo "$rule $mode"; cat "$T/err"; false; }
		done
	done
}

@test "predict of a Poisson model: R's fitted means, and --link the linear predictor" {
	d fit -q "${INS[@]}" --solver exact -o "$T/w.csv"
	d predict -w "$T/w.csv" "$DATA/Insurance.csv"
	expect_status 0
	close "$T/out" mu insurance 1e-12
	d predict --link -w "$T/w.csv" "$DATA/Insurance.csv"
	close "$T/out" eta insurance 1e-12
	d fit -q "${WB[@]}" --solver exact -o "$T/w.csv"
	d predict -w "$T/w.csv" "$DATA/warpbreaks.csv"
	close "$T/out" mu warpbreaks 1e-12
}

@test "eval of a Poisson model: R's deviance and mean Poisson deviance" {
	d fit -q "${INS[@]}" --solver exact -o "$T/w.csv"
	d eval -w "$T/w.csv" -t Claims "$DATA/Insurance.csv"
	expect_status 0
	awk -F, 'NR == FNR { r[$1] = $2; next }
	$1 == "deviance" || $1 == "mean_deviance" { n++; e = ($2 - r[$1]) / r[$1]
		if (e * e > 1e-24) { print $1 ": " $2 ", R " r[$1]; bad = 1 } }
	END { exit bad || n != 2 }' "$REF/poisson_insurance.fit.csv" "$T/out"
}

@test "errors: negative and fractional counts, a missing offset column, options without -l poisson" {
	printf 'x,y\n1,2\n2,-1\n3,4\n' >"$T/neg.csv"
	printf 'x,y\n1,2\n2,1.5\n3,4\n' >"$T/frac.csv"
	d fit -l poisson "$T/neg.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/neg.csv:3:2: target \"y\" is -1; -l poisson needs counts, whole numbers >= 0 (rates: --allow-fractional; a count over an exposure: the count with --exposure)" ]]
	d fit -l poisson "$T/frac.csv"
	expect_status 1
	grep -q 'frac.csv:3:2: target "y" is 1.5; -l poisson needs counts' "$T/err"
	d fit -q -l poisson --allow-fractional "$T/frac.csv"
	expect_status 0
	d fit -l poisson --allow-fractional "$T/neg.csv"
	expect_status 1
	grep -q 'neg.csv:3:2: target "y" is -1; -l poisson needs values >= 0' "$T/err"
	d fit -q "${INS[@]}" -o "$T/w.csv"
	cut -d, -f1-3,5 "$DATA/Insurance.csv" >"$T/no_holders.csv"
	d predict -w "$T/w.csv" "$T/no_holders.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/no_holders.csv: the model's exposure column \"Holders\" (fit --exposure) is not in the input; the mean of each row needs it" ]]
	d fit --offset x "$T/frac.csv"
	expect_status 2
	d fit -l poisson --offset nope -t Claims --drop District,Group,Age "$DATA/Insurance.csv"
	expect_status 2
	d predict --link -w "$T/w.csv" "$DATA/Insurance.csv"
	expect_status 0
}

@test "--save-scaling: the Poisson rows have empty shift and scale cells, and predict reads the file" {
	d fit -q "${INS[@]}" -e 20 --save-scaling -o "$T/w.csv"
	expect_status 0
	[[ $(tail -n 2 "$T/w.csv") == $'(poisson),0,0,,\n(exposure) Holders,1,1,,' ]]
	d predict -w "$T/w.csv" "$DATA/Insurance.csv"
	expect_status 0
	[[ $(wc -l <"$T/out") == 65 ]]
}
