#!/usr/bin/env bats
# Command-line tests of `descend fit -l logistic --stats` against R's
# summary(glm(family = binomial, control = glm.control(epsilon = 1e-15, maxit = 100))) and
# confint.default() on the same files: R's figures are in tests/ref/r/glm_NAME.{coef,confint,fit}.csv,
# written by tests/ref/r/glm.R (see tests/ref/README.md); R is not needed to run these tests.
# And the warnings of separated classes, which every class fit gives. Needs bash, awk and jq.

load helpers

# Every figure within 10^-MIN_DIGITS of R's, relative (an interval's end relative to its
# standard error when it is nearer 0). R's standard errors come from the QR of its last
# iteration, whose weights are those of the iterate before the last; descend's from the
# information at the final estimate, so they agree to 7.3 digits or more, not 15 (the unit
# test compares them with the information at R's estimate, tests/ref/r/glm_NAME.mle.csv).
MIN_DIGITS=6

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref/r
}

# r_figures NAME: R's figures, one "KEY<tab>VALUE" line each: TERM/estimate, TERM/std_error,
# TERM/z, TERM/p_value, TERM/ci_low, TERM/ci_high, then n, null_deviance, null_df,
# deviance, df, aic.
r_figures() {
	awk -F, -v OFS='\t' '
	FNR == 1 { file++; for (i = 1; i <= NF; i++) h[i] = $i; next }
	file < 3 { for (i = 2; i <= NF; i++) print $1 "/" (h[i] == "z_value" ? "z" : h[i]), $i; next }
	$1 != "iterations" && $1 != "converged" { print $1, $2 }' \
		"$REF/glm_$1.coef.csv" "$REF/glm_$1.confint.csv" "$REF/glm_$1.fit.csv"
}

# json_figures FILE: the same keys from --stats-only --format json output.
json_figures() {
	jq -r '(.terms[] as $t | ("estimate", "std_error", "z", "p_value", "ci_low", "ci_high") as $k
	        | "\($t.term)/\($k)\t\($t[$k] // "NA")"),
	       (("n", "null_deviance", "null_df", "deviance", "df", "aic") as $k
	        | "\($k)\t\(.[$k] // "NA")")' "$1"
}

# agree GOT WANT: fail unless GOT has exactly WANT's keys, each within 10^-MIN_DIGITS of R's
# (relative); prints the fewest digits in common, for each kind of figure, to stderr.
agree() {
	awk -F'\t' -v min="$MIN_DIGITS" '
	function abs(x) { return x < 0 ? -x : x }
	NR == FNR { got[$1] = $2; n++; next }
	{ m++; k = $1; if (!(k in got)) { print "missing " k; bad = 1; next }
	  g = got[k] + 0; w = $2 + 0; t = k; sub(/\/[^\/]*$/, "", t)
	  if (k ~ /\/std_error$/) se[t] = abs(w)
	  # an interval end near 0 is relative to the standard error
	  scale = (k ~ /\/ci_(low|high)$/ && se[t] > abs(w)) ? se[t] : abs(w)
	  d = (g == w) ? 17 : -log(abs(g - w) / scale) / log(10)
	  kind = k; sub(/.*\//, "", kind)
	  if (!(kind in worst) || d < worst[kind]) worst[kind] = d
	  if (d < min) { print k ": got " got[k] ", R " $2 " (" d " digits)"; bad = 1 } }
	END { if (n != m) { print n " figures, R has " m; bad = 1 }
	      for (kind in worst) printf "%s %.1f; ", kind, worst[kind] > "/dev/stderr"
	      print "" > "/dev/stderr"; exit bad }' "$1" "$2"
}

# check NAME ARGS...: fit with ARGS, --stats-only as JSON, against R's glm_NAME.
check() {
	local name=$1
	shift
	d fit -l logistic "$@" --stats-only --format json
	expect_status 0
	json_figures "$T/out" >"$T/got"
	r_figures "$name" >"$T/want"
	agree "$T/got" "$T/want"
	# the standard errors against the information at R's estimate, to 10 digits (11 to 15
	# with the reference BLAS; BLIS rounds the QR of --scale minmax to 10.4)
	jq -r '.terms[] | "\(.term),\(.std_error)"' "$T/out" |
		awk -F, 'NR == FNR { if (FNR > 1) r[$1] = $2; next }
		{ n++; e = ($2 - r[$1]) / r[$1]; if (e * e > 1e-20) { print $1 ": " $2 ", R " r[$1]; bad = 1 } }
		END { exit bad || n != length(r) }' "$REF/glm_$name.mle.csv" -
}

# R: glm(vs ~ mpg + disp, binomial, mtcars, control = glm.control(epsilon = 1e-15, maxit = 100))
@test "--stats -l logistic matches R's summary(glm) on mtcars, vs ~ mpg + disp" {
	check mtcars_vs -t vs -x mpg,disp "$DATA/mtcars.csv"
}

# R: glm(am ~ hp + wt, binomial, mtcars, control = ...)
@test "--stats -l logistic matches R's summary(glm) on mtcars, am ~ hp + wt" {
	check mtcars_am -t am -x hp,wt "$DATA/mtcars.csv"
}

# R: glm(class ~ ., binomial, MASS::biopsy[-1], control = ...): 683 complete rows of 699
@test "--stats -l logistic with --missing drop matches R's glm on MASS's biopsy" {
	check biopsy -t class --missing drop "$DATA/biopsy.csv"
	[[ $(jq .n "$T/out") == 683 ]]
}

# R: glm(Species ~ ., binomial, iris[51:150, ], control = ...): virginica the success
@test "--stats -l logistic matches R's glm on iris, versicolor against virginica" {
	check iris_vv -t Species "$DATA/iris_vv.csv"
	# whatever the scaling and the descent: the figures are the Newton fit's
	check iris_vv -t Species --scale none -e 3 "$DATA/iris_vv.csv"
	check iris_vv -t Species --scale minmax -O adam "$DATA/iris_vv.csv"
}

@test "--stats -l logistic prints R's table: z values, Wald intervals, deviances, AIC" {
	d fit -q -l logistic -t vs -x mpg,disp --stats-only "$DATA/mtcars.csv"
	expect_status 0
	expect_line '^term +estimate +std_error +z_value +p_value +2.5 % +97.5 %$' "$T/out"
	expect_line '^disp +-0.01610865 +0.0105129 +-1.532 +0.1255 +-0.03671347 +0.004496165$' "$T/out"
	expect_line "^maximum likelihood by Newton's method: 7 iterations \(32 rows\)$" "$T/out"
	expect_line '^null deviance 43.8601 on 31 degrees of freedom$' "$T/out"
	expect_line '^residual deviance 22.2831 on 29 degrees of freedom$' "$T/out"
	expect_line '^AIC 28.2831$' "$T/out"
	! grep -q 'R-squared\|residual standard error\|F statistic' "$T/out"
	# --conf: qnorm(0.95) = 1.6448536269514722 standard errors either side
	d fit -q -l logistic -t vs -x mpg,disp --stats-only --format json --conf 0.9 "$DATA/mtcars.csv"
	jq -e '.terms[] | ((.estimate + 1.6448536269514722 * .std_error) - .ci_high | fabs) < 1e-12 * (.ci_high | fabs) + 1e-15' "$T/out"
}

@test "--stats -l logistic writes the maximum-likelihood weights and their statistics, and says so" {
	d fit -l logistic -t am -x hp,wt --stats "$DATA/mtcars.csv"
	expect_status 0
	cp "$T/out" "$T/weights"
	expect_line "^descend: --stats: the weights are the maximum-likelihood estimate by Newton's method \(8 iterations\), not gradient descent's$"
	expect_line '^wt +-8.083475' "$T/err"
	head -n 1 "$T/out" | grep -qx 'term,class,weight,std_weight,std_error,t,p_value,ci_low,ci_high,target'
	grep -qx '(reference),0,0,0,NA,NA,NA,NA,NA,am' "$T/out"
	# the statistics columns against R's (z in the t column), and predict still reads the file
	awk -F, 'NR == FNR { if (FNR > 1) { se[$1] = $3; z[$1] = $4; p[$1] = $5 } next }
	FNR > 1 && $1 != "(reference)" { n++; if (($5 / se[$1] - 1)^2 > 1e-12 || ($6 / z[$1] - 1)^2 > 1e-12 || ($7 / p[$1] - 1)^2 > 1e-12) bad = 1 }
	END { exit bad || n != 3 }' "$REF/glm_mtcars_am.coef.csv" "$T/out"
	cp "$T/out" "$T/w.csv"
	d predict -w "$T/w.csv" "$DATA/mtcars.csv"
	expect_status 0
	[[ $(wc -l <"$T/out") == 33 ]]
	# the weight column against R's estimates (tests/ref/r/glm_mtcars_am.coef.csv)
	awk -F, 'NR == FNR { if (FNR > 1) r[$1] = $2; next }
	FNR > 1 && $1 != "(reference)" { n++; e = ($3 - r[$1]) / r[$1]; if (e * e > 1e-24) bad = 1 }
	END { exit bad || n != 3 }' "$REF/glm_mtcars_am.coef.csv" "$T/weights"
}

# R: glm(vs ~ mpg + disp + d2, binomial, d) with d2 = 2·disp gives NA for d2 and the figures
# of vs ~ mpg + disp for the rest; a constant column is NA too.
@test "--stats -l logistic: an aliased or constant column is NA, the rest as without it" {
	awk -F, -v OFS=, 'NR == 1 { print $0, "\"d2\"", "\"k\"" } NR > 1 { print $0, 2 * $3, 5 }' \
		"$DATA/mtcars.csv" >"$T/wide.csv"
	d fit -q -l logistic -t vs -x mpg,disp --stats-only --format json "$T/wide.csv"
	jq -c 'del(.terms)' "$T/out" >"$T/base"
	jq -c '.terms' "$T/out" >"$T/base_terms"
	d fit -l logistic -t vs -x mpg,d2,disp,k --stats-only --format json "$T/wide.csv"
	expect_status 0
	expect_line '^descend: warning: column "disp" is a linear combination of the columns before it \(aliased\); its statistics are NA$'
	[[ $(jq -c '[.terms[] | select(.term == "disp" or .term == "k") | [.estimate, .std_error, .z, .p_value]] | flatten | unique' "$T/out") == '[null]' ]]
	[[ $(jq -c '.rank' "$T/out") == 3 ]]
	# d2 = 2·disp: its estimate is half disp's, its standard error too, z and p the same
	jq -e --slurpfile b "$T/base_terms" '(.terms[] | select(.term == "d2")) as $t | ($b[0][] | select(.term == "disp")) as $u
		| (($t.estimate * 2 / $u.estimate - 1) | fabs) < 1e-12 and (($t.std_error * 2 / $u.std_error - 1) | fabs) < 1e-10
		  and (($t.z / $u.z - 1) | fabs) < 1e-10' "$T/out"
	[[ $(jq -c 'del(.terms) | del(.rank)' "$T/out") == $(jq -c 'del(.rank)' "$T/base") ]]
}

@test "--stats -l logistic gives the same figures whatever --threads" {
	d fit -q -l logistic -t class --missing drop --stats-only --format json --threads 1 "$DATA/biopsy.csv"
	cp "$T/out" "$T/one"
	d fit -q -l logistic -t class --missing drop --stats-only --format json --threads 2 "$DATA/biopsy.csv"
	expect_status 0
	cmp "$T/one" "$T/out"
}

@test "--stats refuses -l logistic with penalties, -l softmax, and separated classes" {
	for flags in "--l1 0.1" "--l2 0.1"; do
		d fit -t vs -x mpg,disp -l logistic $flags --stats "$DATA/mtcars.csv"
		expect_status 2
		expect_empty "$T/out"
		expect_line "^descend: --stats: standard errors and p-values hold for least squares \(-l mse\), logistic \(-l logistic\) and Poisson regression \(-l poisson\) without penalties; with --l[12] the classical formulas do not apply$"
	done
	d fit -t Species -l softmax --stats "$DATA/iris.csv"
	expect_status 2
	expect_line '^descend: --stats: standard errors and p-values are given for -l mse and -l logistic, not yet for -l softmax$'
	d fit -q -t am -l logistic --stats "$DATA/mtcars.csv"
	expect_status 1
	expect_empty "$T/out"
	expect_line '^descend: --stats: the classes are separated \(see the warnings without -q\), so the maximum-likelihood weights are infinite and have no standard errors; leave out the separating columns \(--drop\)$'
}

# R: glm(y ~ x, binomial, data.frame(y = c(0,0,0,0,1,1,1,1), x = 1:8)) warns "glm.fit: fitted
# probabilities numerically 0 or 1 occurred" (tests/ref/r/glm_separation.txt) and exits 0.
@test "complete separation by one feature is warned of, naming it and the class; exit 0" {
	write comp.csv $'x,y\n1,0\n2,0\n3,0\n4,0\n5,1\n6,1\n7,1\n8,1\n'
	d fit -t y -l logistic -e 20 "$T/comp.csv"
	expect_status 0
	expect_line '^descend: warning: "x" separates the classes completely: every row of class "1" has a larger x than every row of class "0", so no finite weights maximize the likelihood$'
	d fit -q -t y -l logistic -e 20 "$T/comp.csv"
	expect_status 0
	expect_empty "$T/err"
	# the mirror image, with text labels: the positive class has the smaller values
	write mirror.csv $'x,y\n1,yes\n2,yes\n3,yes\n4,no\n5,no\n6,no\n'
	d fit -t y -l logistic -e 20 "$T/mirror.csv"
	expect_status 0
	expect_line '^descend: warning: "x" separates the classes completely: every row of class "yes" has a smaller x than every row of class "no"'
}

# R: the same y on x = c(1,2,3,4,4,5,6,7) warns the same; the deviance stays 4·log 2 = 2.77
@test "quasi-complete separation (a tie where the classes meet) is warned of; exit 0" {
	write quasi.csv $'x,y\n1,0\n2,0\n3,0\n4,0\n4,1\n5,1\n6,1\n7,1\n'
	d fit -t y -l logistic -e 20 "$T/quasi.csv"
	expect_status 0
	expect_line '^descend: warning: "x" separates the classes quasi-completely: no row of class "1" has a smaller x than a row of class "0" \(they meet at one value\), so no finite weights maximize the likelihood$'
}

# R: glm(am ~ ., binomial, mtcars) warns "fitted probabilities numerically 0 or 1"; gear
# alone separates quasi-completely (am 0: gears 3, 4; am 1: gears 4, 5); without gear no
# column alone does, and Newton's method finds the separating hyperplane.
@test "separation by several features together is found by Newton's method" {
	d fit -t am -l logistic -e 20 "$DATA/mtcars.csv"
	expect_status 0
	expect_line '^descend: warning: "gear" separates the classes quasi-completely: no row of class "1" has a smaller gear than a row of class "0"'
	d fit -t am -l logistic -e 20 --drop gear "$DATA/mtcars.csv"
	expect_status 0
	expect_line "^descend: warning: the classes are completely separated: Newton's method fits 13 rows of class \"1\" with probability numerically 1 and 19 of class \"0\" numerically 0 \(within 2.2e-15, as R's glm.fit warns\), and puts every row on its class's side of a hyperplane, so no finite weights maximize the likelihood$"
	# R's quasi2 (glm_separation.txt): x1 + x2 = 0 separates, (0, 0) is in both classes, neither column alone does
	write quasi2.csv $'x1,x2,y\n-2,1,0\n1,-2,0\n-1,0,0\n0,0,0\n0,0,1\n-1,2,1\n2,-1,1\n1,1,1\n'
	d fit -t y -l logistic -e 20 "$T/quasi2.csv"
	expect_status 0
	expect_line "^descend: warning: the classes are quasi-completely separated: Newton's method fits 3 rows of class \"1\" with probability numerically 1 and 3 of class \"0\" numerically 0 \(within 2.2e-15, as R's glm.fit warns\), and its last step moves those rows out and no other row across a hyperplane \(within rounding\), so no finite weights maximize the likelihood$"
	d fit -q -t y -l logistic --stats "$T/quasi2.csv"
	expect_status 1
	# R's far (tests/ref/r/glm_separation.txt): x = 1..8 (classes overlapping) and a far row
	# x = 1000 of class 1 warns too, but the estimate exists (-2.67337962, 0.59408436): a
	# warning, and --stats gives the figures
	write far.csv $'x,y\n1,0\n2,0\n3,1\n4,0\n5,1\n6,0\n7,1\n8,1\n1000,1\n'
	d fit -t y -l logistic -e 20 "$T/far.csv"
	expect_status 0
	expect_line "^descend: warning: Newton's method fits 1 row of class \"1\" with probability numerically 1 and 0 of class \"0\" numerically 0 \(within 2.2e-15\), as R's glm.fit warns, but finds no direction that separates the classes: far outliers, or a separation it cannot show$"
	d fit -q -t y -l logistic --stats-only --format json "$T/far.csv"
	expect_status 0
	jq -e '(.terms[0].estimate / -2.6733796 - 1 | fabs) < 1e-7 and (.terms[1].estimate / 0.5940844 - 1 | fabs) < 1e-7' "$T/out"
	# overlapping classes: no warning
	d fit -t vs -x mpg,disp -l logistic -e 20 "$DATA/mtcars.csv"
	expect_status 0
	! grep -q separat "$T/err"
}

# R: glm(setosa ~ ., binomial, iris with setosa = Species == "setosa") warns the same.
@test "iris: setosa is separated from the rest, by logistic and by softmax" {
	awk -F, 'NR > 1 && $5 != "\"setosa\"" { $5 = "other" } 1' OFS=, "$DATA/iris.csv" >"$T/setosa.csv"
	d fit -t Species -l logistic -e 20 "$T/setosa.csv"
	expect_status 0
	expect_line '^descend: warning: "Petal.Length" separates the classes completely: every row of class "setosa" has a smaller Petal.Length than every row of class "other"'
	expect_line '^descend: warning: "Petal.Width" separates the classes completely'
	d fit -t Species -l softmax -e 20 "$DATA/iris.csv"
	expect_status 0
	expect_line '^descend: warning: "Petal.Length" separates class "setosa" from the others completely: every row of class "setosa" has a smaller Petal.Length than every other row, so no finite weights maximize the likelihood$'
	[[ $(grep -c separates "$T/err") == 2 ]]
}
