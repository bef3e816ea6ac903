#!/usr/bin/env bats
# Command-line tests of `descend fit --stats`: every figure against R's summary(lm)
# and confint() on the same files. R's figures are in tests/ref/r/NAME.{coef,confint,fit}.csv,
# 17 significant digits, written by tests/ref/r/summary.R (R 4.2.2, `Rscript
# tests/ref/r/summary.R` from the repository root; each test names its R call); see
# tests/ref/README.md. R is not needed to run these tests. Needs bash, awk and jq.

load helpers

# The fewest significant digits every figure must share with R's, well above the 6 that a
# regression table needs; the fits below agree to 11.7 or more (the worst, quakes' p-value
# of 1.25e-302 for stations).
MIN_DIGITS=10

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref/r
}

# r_figures NAME: R's figures for NAME, one "KEY<tab>VALUE" line each: TERM/estimate,
# TERM/std_error, TERM/t, TERM/p_value, TERM/ci_low, TERM/ci_high for every term (NA where R
# has NA), then n, sigma, df, r2, adj_r2, f, f_df1, f_df2, f_p.
r_figures() {
	awk -F, -v OFS='\t' '
	FNR == 1 { file++; for (i = 1; i <= NF; i++) h[i] = $i; next }
	file < 3 { for (i = 2; i <= NF; i++) print $1 "/" (h[i] == "t_value" ? "t" : h[i]), $i; next }
	{ k = $1; if (k == "residual_sd") k = "sigma"; if (k == "r_squared") k = "r2"
	  if (k == "adj_r_squared") k = "adj_r2"; print k, $2 }' \
		"$REF/$1.coef.csv" "$REF/$1.confint.csv" "$REF/$1.fit.csv"
}

# json_figures FILE: the same keys from --stats-only --format json output (null as NA).
json_figures() {
	jq -r '(.terms[] as $t | ("estimate", "std_error", "t", "p_value", "ci_low", "ci_high") as $k
	        | "\($t.term)/\($k)\t\($t[$k] // "NA")"),
	       (("n", "sigma", "df", "r2", "adj_r2", "f", "f_df1", "f_df2", "f_p") as $k
	        | "\($k)\t\(.[$k] // "NA")")' "$1"
}

# csv_figures FILE: the per-term keys from the weights CSV written with --stats (its weight
# column is the estimate).
csv_figures() {
	awk -F, -v OFS='\t' '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split("weight std_error t p_value ci_low ci_high", k, " ")
	          for (j = 1; j <= n; j++) if (!(k[j] in c)) { print "no column " k[j] > "/dev/stderr"; exit 1 }
	          next }
	{ for (j = 1; j <= n; j++) print $1 "/" (k[j] == "weight" ? "estimate" : k[j]), $(c[k[j]]) }' "$1"
}

# agree GOT WANT MODE: fail unless every key of WANT (R's figures) is in GOT with a number
# that matches R's to $MIN_DIGITS significant digits (|got − R| ≤ 10^−MIN_DIGITS·|R|), or NA
# where R has NA; prints the worst figure. MODE json: GOT must hold no other key. MODE csv:
# only the per-term keys; an aliased term's estimate is its weight, 0 (what predict uses);
# GOT may hold more terms
# only as a categorical column's reference level (COLUMN=LEVEL), weight 0 and every
# statistic NA.
agree() {
	awk -F'\t' -v min="$MIN_DIGITS" -v mode="$3" '
	function isnum(s) { return s ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/ }
	NR == FNR { got[$1] = $2; next }
	{
		k = $1; r = $2
		if (mode == "csv" && k !~ /\//) next	# the fit figures are not in the CSV
		want[k] = 1; figures++
		if (!(k in got)) { print k ": missing"; bad = 1; next }
		g = got[k]
		if (r == "NA" && mode == "csv" && k ~ /\/estimate$/) {
			if (g != "0") { print k ": weight " g " of an aliased term, not 0"; bad = 1 }
			next
		}
		if (r == "NA" || g == "NA") { if (r != g) { print k ": " g ", R " r; bad = 1 } next }
		if (!isnum(g) || !isnum(r)) { print k ": " g " or R " r " is not a number"; bad = 1; next }
		e = g - r; e = e < 0 ? -e : e; m = r < 0 ? -r : r
		l = e == 0 ? 17 : m == 0 ? 0 : -log(e / m) / log(10)
		if (l < min) { printf "%s: %s, R %s: %.2f digits\n", k, g, r, l; bad = 1 }
		if (worst == "" || l < least) { worst = k; least = l }
	}
	END {
		for (k in got) {
			if (k in want) continue
			term = k; sub(/\/[^\/]*$/, "", term); fig = substr(k, length(term) + 2)
			if (mode == "csv" && term ~ /=/ && (fig == "estimate" ? got[k] == "0" : got[k] == "NA"))
				continue
			print k ": " got[k] " is not in R"; bad = 1
		}
		if (figures == 0) { print "no figures from R"; bad = 1 }
		printf "%d figures, the worst %s with %.2f digits\n", figures, worst, least
		exit bad
	}' "$1" "$2"
}

# against_r NAME TARGET FILE FLAGS...: fit FILE with --stats and FLAGS; the weights CSV's
# columns and the --stats-only --format json figures must agree with R's NAME, and the
# table's summary lines with R's figures at the digits they are printed with.
against_r() {
	local name=$1 target=$2 file=$3
	shift 3
	r_figures "$name" >"$T/r"
	d fit -q -t "$target" "$@" --stats-only --format json "$file"
	expect_status 0
	json_figures "$T/out" >"$T/json"
	echo "$name, --stats-only --format json:"
	agree "$T/json" "$T/r" json
	d fit -t "$target" "$@" --stats "$file"
	expect_status 0
	csv_figures "$T/out" >"$T/csv"
	echo "$name, the weights CSV:"
	agree "$T/csv" "$T/r" csv
	printed_summary "$name"
}

# printed_summary NAME: the summary lines of the table on $T/err hold R's figures as printed,
# 6 significant digits (4 for the F test's p-value).
printed_summary() {
	local fit=$REF/$1.fit.csv line
	line=$(grep '^residual standard error ' "$T/err")
	set -- $line
	near "$4" "$(stat "$fit" residual_sd)" 5e-6
	[[ $6 == "$(stat "$fit" df)" && ${10} == "($(stat "$fit" n)" ]]
	line=$(grep '^R-squared ' "$T/err" | tr -d ,)
	set -- $line
	near "$2" "$(stat "$fit" r_squared)" 5e-6
	near "$5" "$(stat "$fit" adj_r_squared)" 5e-6
	line=$(grep '^F statistic ' "$T/err" | tr -d ,)
	set -- $line
	near "$3" "$(stat "$fit" f)" 5e-6
	[[ $5 == "$(stat "$fit" f_df1)" && $7 == "$(stat "$fit" f_df2)" ]]
	near "${12}" "$(stat "$fit" f_p)" 5e-4
}

# stat FILE NAME: value of NAME in R's fit file FILE.
stat() {
	awk -F, -v s="$2" '$1 == s { print $2 }' "$1"
}

# near PRINTED R REL: fail unless |PRINTED − R| ≤ REL·|R|.
near() {
	awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { d = a - b; d = d < 0 ? -d : d
	    m = b < 0 ? -b : b; if (!(d <= r * m)) { print a " vs R " b; exit 1 } }'
}

@test "the comparison with R fails on a figure 1.5e-10 off (relative), a missing term, NA for a number" {
	r_figures rock >"$T/r"
	awk -F'\t' -v OFS='\t' '$1 == "shape/t" { $2 = sprintf("%.17g", $2 * (1 + 1.5e-10)) } 1' "$T/r" >"$T/got"
	! agree "$T/got" "$T/r" json
	grep -v '^peri/' "$T/r" >"$T/got"
	! agree "$T/got" "$T/r" json
	awk -F'\t' -v OFS='\t' '$1 == "f_p" { $2 = "NA" } 1' "$T/r" >"$T/got"
	! agree "$T/got" "$T/r" json
	awk -F'\t' -v OFS='\t' '$1 == "r2" { $2 = "nan" } 1' "$T/r" >"$T/got"
	! agree "$T/got" "$T/r" json
	{ cat "$T/r"; printf 'x/t\t1\n'; } >"$T/got"
	! agree "$T/got" "$T/r" json
	awk -F'\t' -v OFS='\t' '$1 == "shape/t" { $2 = sprintf("%.17g", $2 * (1 + 5e-11)) } 1' "$T/r" >"$T/got"
	agree "$T/got" "$T/r" json
}

# R: summary(lm(medv ~ ., read.csv("data/Boston.csv"))), confint() of the same
@test "--stats matches R's summary(lm) on Boston (exact solver)" {
	against_r Boston medv "$DATA/Boston.csv" --solver exact
}

# R: summary(lm(mag ~ ., read.csv("data/quakes.csv"))); F's p-value 1.97e-317, subnormal
@test "--stats matches R's summary(lm) on quakes, far tails included (p down to 1e-302)" {
	against_r quakes mag "$DATA/quakes.csv" --solver exact
	[[ $(stat "$REF/quakes.fit.csv" f_p) == 1.9744192244403525e-317 ]]
}

# R: summary(lm(perm ~ ., read.csv("data/rock.csv")))
@test "--stats matches R's summary(lm) on rock" {
	against_r rock perm "$DATA/rock.csv" --solver exact
}

# R: summary(lm(RTEN ~ ., read.csv("data/USJudgeRatings.csv")[-1]))
@test "--stats matches R's summary(lm) on USJudgeRatings, the text column dropped" {
	against_r USJudgeRatings RTEN "$DATA/USJudgeRatings.csv" --drop judge --solver exact
}

# R: summary(lm(Ozone ~ ., read.csv("data/airquality.csv"))), na.action = na.omit
@test "--stats with --missing drop matches R's lm, which leaves out the rows with an NA" {
	against_r airquality Ozone "$DATA/airquality.csv" --missing drop --solver exact
	expect_line '^descend: left out 42 rows with missing values$'
}

# R: summary(lm(Price ~ ., d)), d = read.csv("data/Cars93.csv") with Origin and Type factors
# (levels in byte order, so USA and Compact are the references)
@test "--stats with --categorical matches R's lm(Price ~ ... + Origin + Type) on Cars93" {
	against_r Cars93 Price "$DATA/Cars93.csv" --categorical Origin,Type --solver exact
	grep -qx 'Origin=USA,0,0,NA,NA,NA,NA,NA,Price' "$T/out"
	grep -qx 'Type=Compact,0,0,NA,NA,NA,NA,NA,Price' "$T/out"
}

# R: the rock and Boston fits again; the figures are mapped to the input's units through
# whatever scaling the fit used
@test "--stats in the input's units whatever --scale: minmax and none match R too" {
	against_r rock perm "$DATA/rock.csv" --solver exact --scale minmax
	against_r Boston medv "$DATA/Boston.csv" --solver exact --scale none
}

# R: the rock fit again
@test "--stats after a converged L-BFGS fit matches R too" {
	against_r rock perm "$DATA/rock.csv" -O lbfgs -e 1000
	! grep -q 'warning' "$T/err"
}

# R: summary(lm(perm ~ ., read.csv("tests/ref/r/aliased.csv"))), area2 = 2·area
@test "--stats on a rank-deficient file: the aliased column is NA, the rest as R has it" {
	against_r aliased perm "$REF/aliased.csv" --solver exact
	grep -q 'area2 *NA *NA *NA *NA *NA *NA *(aliased)' "$T/err"
	grep -q '^area2,0,0,NA,NA,NA,NA,NA$' "$T/out"
	grep -q '^descend: warning: column "area2" is a linear combination' "$T/err"
}

# R: summary(lm(medv ~ ., read.csv("tests/ref/r/Boston_aliased.csv"))), taxrad = tax + 10·rad
@test "--stats with a column that combines two others: NA for it, R's figures for the rest" {
	against_r Boston_aliased medv "$REF/Boston_aliased.csv" --solver exact
	grep -q '^taxrad,0,0,NA,NA,NA,NA,NA$' "$T/out"
	# and in R, leaving out the aliased column leaves Boston's own fit
	r_figures Boston_aliased | grep -v '^taxrad/' >"$T/ra"
	r_figures Boston >"$T/r"
	agree "$T/ra" "$T/r" json
}

@test "--stats with a gradient fit that has weighted an aliased column refuses, naming it" {
	d fit -t perm -O lbfgs -e 1000 --stats "$REF/aliased.csv"
	expect_status 1
	expect_empty "$T/out"
	expect_line '^descend: --stats: column "area2" is a linear combination of the columns before it, and gradient descent shares the weight among them, so their estimates have no standard errors; --solver exact leaves it out as R.s lm does, or --drop it$'
	# A constant column keeps weight 0 in gradient descent, as the exact solver leaves it
	# out: the rest is rock's fit.
	awk -F, -v OFS=, '{ print $0, NR == 1 ? "\"k\"" : 7 }' "$DATA/rock.csv" >"$T/k.csv"
	d fit -q -t perm -O lbfgs -e 1000 --stats-only --format json "$T/k.csv"
	expect_status 0
	json_figures "$T/out" | grep -v '^k/' >"$T/json"
	r_figures rock >"$T/r"
	agree "$T/json" "$T/r" json
	[[ $(jq -r '.terms[-1] | [.term, .std_error, .p_value] | @csv' "$T/out") == '"k",,' ]]
}

# The bound: with Δ the excess of the residual sum of squares over least squares, each
# estimate is within √(Δ/σ²) = √(gap·df) of its standard errors of R's (Cauchy–Schwarz).
@test "--stats with a gradient fit that has not converged says how far its estimates may be" {
	d fit -t medv -e 300 --stats "$DATA/Boston.csv"
	expect_status 0
	expect_line '^descend: warning: --stats: the MSE is .* above least squares, which the statistics assume, so the estimates may be up to [0-9.e-]+ standard errors from it'
	bound=$(sed -n 's/.*may be up to \([0-9.e-]*\) standard errors.*/\1/p' "$T/err")
	# the largest |estimate − R's| / R's standard error, which the bound must cover
	off=$(awk -F, 'NR == FNR { if (FNR > 1) { b[$1] = $2; se[$1] = $3 } next }
	    FNR > 1 { x = ($2 - b[$1]) / se[$1]; x = x < 0 ? -x : x; if (x > m) m = x }
	    END { print m }' "$REF/Boston.coef.csv" "$T/out")
	echo "off by up to $off standard errors, bound $bound"
	awk -v o="$off" -v b="$bound" 'BEGIN { exit !(o > 0.01 && o <= b && b < 2 * o) }'
}

@test "--stats-only prints the table to stdout (or -o) and no weights; --conf sets the level" {
	d fit -q -t perm --solver exact --stats-only --conf 0.9 "$DATA/rock.csv"
	expect_status 0
	head -n 1 "$T/out" | grep -Eq '^term +estimate +std_error +t_value +p_value +5 % +95 %$'
	grep -q '^R-squared ' "$T/out"
	! grep -q '^term,weight' "$T/out"
	d fit -q -t perm --solver exact --stats-only -o "$T/table.txt" "$DATA/rock.csv"
	expect_empty "$T/out"
	grep -q '^F statistic ' "$T/table.txt"
}

# R: d <- read.csv("data/rock.csv"); format(confint(lm(perm ~ ., d), level = 0.9)["area", ],
#    digits = 17) gives 0.049338137898360099 0.133329440360773210
@test "--conf 0.9 gives R's 90% interval, in the input's units" {
	d fit -q -t perm --solver exact --stats --conf 0.9 "$DATA/rock.csv"
	expect_status 0
	set -- $(awk -F, '$1 == "area" { print $7, $8 }' "$T/out")
	near "$1" 0.049338137898360099 1e-12
	near "$2" 0.133329440360773210 1e-12
}

@test "the weights file with --stats still predicts: predict and eval ignore the extra columns" {
	d fit -q -t perm --solver exact "$DATA/rock.csv"
	cp "$T/out" "$T/plain.csv"
	d fit -q -t perm --solver exact --stats "$DATA/rock.csv"
	cp "$T/out" "$T/stats.csv"
	head -n 1 "$T/stats.csv" | grep -qx 'term,weight,std_weight,std_error,t,p_value,ci_low,ci_high'
	d predict -w "$T/plain.csv" "$DATA/rock.csv"
	expect_status 0
	[[ -s $T/out ]]
	cp "$T/out" "$T/p1"
	d predict -w "$T/stats.csv" "$DATA/rock.csv"
	expect_status 0
	cmp "$T/p1" "$T/out"
	# and with rows of NA statistics, the reference levels of categorical columns
	d fit -q -t Price --categorical Origin,Type --solver exact --stats "$DATA/Cars93.csv"
	cp "$T/out" "$T/cars.csv"
	cut -d, -f1-3 "$T/cars.csv" >"$T/cars_plain.csv"
	d predict -w "$T/cars_plain.csv" "$DATA/Cars93.csv"
	expect_status 0
	[[ -s $T/out ]]
	cp "$T/out" "$T/p1"
	d predict -w "$T/cars.csv" "$DATA/Cars93.csv"
	expect_status 0
	cmp "$T/p1" "$T/out"
	# eval too
	d eval -t Price -w "$T/cars_plain.csv" "$DATA/Cars93.csv"
	expect_status 0
	[[ -s $T/out ]]
	cp "$T/out" "$T/e1"
	d eval -t Price -w "$T/cars.csv" "$DATA/Cars93.csv"
	expect_status 0
	cmp "$T/e1" "$T/out"
}

# R: summary(lm(y ~ x, data.frame(x = 1:3, y = c(3, 5, 7)))) warns "essentially perfect fit:
# summary may be unreliable" (its test: residual variance < 1e-30·(mean(f)² + var(f)))
@test "--stats on an exact fit warns, as R does, that the figures are rounding noise" {
	write exact.csv $'x,y\n1,3\n2,5\n3,7\n'
	d fit --solver exact --stats-only "$T/exact.csv"
	expect_status 0
	expect_line "^descend: warning: --stats: essentially perfect fit \(the residual variance is below 1e-30 of the fitted values' mean square\), so the standard errors, t and p-values are rounding noise$"
	# NIST's Wampler1 is an exact polynomial, on which R warns the same
	d fit -t y --solver exact --stats-only "$DATA/nist/wampler1.csv"
	expect_status 0
	expect_line '^descend: warning: --stats: essentially perfect fit'
	d fit -t perm --solver exact --stats-only "$DATA/rock.csv"
	! grep -q 'perfect fit' "$T/err"
}

# R: summary(lm(y ~ x + z, data.frame(x = 1:3, z = c(2, 1, 5), y = c(3, 5, 4)))) gives the
# estimates, NaN standard errors, t and p, R² 1, adjusted R² and F NaN ("ALL 3 residuals are 0:
# no residual degrees of freedom!").
@test "--stats with no degree of freedom left for the residuals gives NA, never a number, for σ, SE, t, p, F" {
	write tiny.csv $'x,z,y\n1,2,3\n2,1,5\n3,5,4\n'
	d fit --solver exact --stats-only --format json "$T/tiny.csv"
	expect_status 0
	[[ $(jq -c '[.df, .sigma, .adj_r2, .f, .f_p, ([.terms[] | .std_error, .t, .p_value, .ci_low, .ci_high] | unique)]' "$T/out") == '[0,null,null,null,null,[null]]' ]]
	jq -e '(.r2 - 1 | fabs) < 1e-9 and ([.terms[].estimate | type] | unique) == ["number"]' "$T/out"
	# R's estimates: 2.8, 1.4, -0.6
	jq -e '[.terms[].estimate] as $e | ($e[0] - 2.8 | fabs) < 1e-9 and ($e[1] - 1.4 | fabs) < 1e-9 and ($e[2] + 0.6 | fabs) < 1e-9' "$T/out"
	d fit --solver exact --stats-only "$T/tiny.csv"
	expect_status 0
	expect_line '^residual standard error NA on 0 degrees of freedom \(3 rows\)$' "$T/out"
	expect_line '^R-squared 1, adjusted R-squared NA$' "$T/out"
	! grep -q 'F statistic\|nan\|inf' "$T/out"
	d fit --solver exact --stats "$T/tiny.csv"
	expect_status 0
	expect_line '^\(intercept\),2\.[0-9]*,[-0-9.e]*,NA,NA,NA,NA,NA$' "$T/out"
}

# R: y constant has no variance to explain: summary(lm(y ~ x + z, d)) with y = 0.1 gives R² NaN
# (or rounding noise) and warns "essentially perfect fit"; here they are NA.
@test "--stats on a constant target: R², adjusted R² and F are NA (null), never numbers" {
	write c.csv $'x,z,y\n1,4,0.1\n2,1,0.1\n3,7,0.1\n4,2,0.1\n5,9,0.1\n6,3,0.1\n7,3,0.1\n'
	for solver in exact gd; do
		d fit -t y --solver "$solver" --stats-only --format json "$T/c.csv"
		expect_status 0
		[[ $(jq -c '[.r2, .adj_r2, .f, .f_p, .df]' "$T/out") == '[null,null,null,null,4]' ]]
		d fit -t y --solver "$solver" --stats-only "$T/c.csv"
		expect_status 0
		expect_line '^R-squared NA, adjusted R-squared NA$' "$T/out"
		! grep -q 'F statistic\|nan' "$T/out"
	done
	# x = 1..5 and y = 3: the exact solver's weights are exact, their standard errors 0, so
	# t = 0/0 and 3/0: NA
	write c1.csv $'x,y\n1,3\n2,3\n3,3\n4,3\n5,3\n'
	d fit --solver exact --stats-only --format json "$T/c1.csv"
	expect_status 0
	[[ $(jq -c '[.terms[] | .t, .p_value] + [.r2, .f]' "$T/out") == '[null,null,null,null,null,null]' ]]
	d fit --solver exact --stats "$T/c1.csv"
	expect_status 0
	! grep -q 'inf\|nan' "$T/out"
}

@test "--stats refuses penalties and losses the classical formulas do not cover" {
	for flags in "-l mae" "-l huber" "--l1 0.1" "--l2 0.1"; do
		d fit -t perm $flags --stats "$DATA/rock.csv"
		expect_status 2
		expect_empty "$T/out"
		grep -q 'descend: --stats: standard errors and p-values hold for least squares (-l mse), logistic (-l logistic) and Poisson regression (-l poisson) without penalties; with .* the classical formulas do not apply' "$T/err"
	done
	d fit -t perm --stats --conf 1 "$DATA/rock.csv"
	expect_status 2
	grep -q -- '--conf: "1" is not a number from 0 to 1 (both excluded)' "$T/err"
}

@test "--stats with --missing mean warns that the imputed cells count as observations" {
	d fit -t Ozone --missing mean --solver exact --stats-only "$DATA/airquality.csv"
	expect_status 0
	expect_line '^descend: warning: --stats: with --missing mean the imputed cells count as observations, so the standard errors are too small; --missing drop leaves those rows out, as R.s lm does$'
}

# R: d <- read.csv("data/Boston.csv"); b <- coef(lm(medv ~ ., d))[-1]
#    s <- sqrt(sapply(d[-14], function(x) mean((x - mean(x))^2)))  # the z-score's sd (1/n)
#    signif(sort(abs(b * s), decreasing = TRUE), 3)
# gives lstat 3.74 dis 3.1 rm 2.67 rad 2.66 tax 2.08 ptratio 2.06 nox 2.06 zn 1.08 crim 0.928
# black 0.849 chas 0.682 indus 0.141 age 0.0195: the first ten, then 3 more.
@test "the summary ranks the features by the size of their z-scored weights" {
	d fit -t medv --solver exact "$DATA/Boston.csv"
	grep -qx 'descend: importance (|std_weight|): lstat 3.74, dis 3.1, rm 2.67, rad 2.66, tax 2.08, ptratio 2.06, nox 2.06, zn 1.08, crim 0.928, black 0.849, and 3 more' "$T/err"
}
