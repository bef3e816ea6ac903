#!/usr/bin/env bats
# Command-line tests of quantile regression: -l quantile and --tau, --solver exact
# with -l mae and -l quantile (src/quantile.c), its summary lines, and --gap
# measured from its optimum. The objectives are R's quantreg::rq figures in
# tests/ref/r/quantile/objective.csv (made by tests/ref/r/quantile.R).

load helpers

setup() {
	setup_descend cases
	REF=$BATS_TEST_DIRNAME/../ref/r/quantile
}

# ref NAME TAU: R's objective (mean pinball loss) for NAME at TAU.
ref() {
	awk -F, -v n="$1" -v t="$2" '$1 == n && $3 == t { print $5 }' \
	    "$REF/objective.csv"
}

# coef NAME TAU TERM: R's coefficient.
coef() {
	awk -F, -v n="$1" -v t="$2" -v term="$3" \
	    '$1 == n && $2 == t && $3 == term { print $4 }' "$REF/coef.csv"
}

# close A B REL: succeed if |A − B| ≤ REL·|B|, else say both.
close() {
	awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
		if (d <= r * m) exit 0
		printf "%.17g and %.17g differ by more than %g relative\n", a, b, r
		exit 1 }'
}

# weight TERM: the weight of TERM in $T/out.
weight() {
	awk -F, -v t="$1" '$1 == t { print $2 }' "$T/out"
}

@test "--solver exact -l quantile: R's objective and weights at tau 0.1, 0.5, 0.9 (Boston)" {
	for tau in 0.1 0.5 0.9; do
		d fit -l quantile --tau "$tau" --solver exact -t medv "$DATA/Boston.csv"
		expect_status 0
		expect_line "^descend: 506 rows, 13 features; exact quantile regression \(tau $tau\) by interior point, [0-9]+ iterations, and [0-9]+ simplex steps?; rank 14 of 14 terms$"
		want=$(ref Boston "$tau")
		got=$(sed -n 's/^descend: final quantile \([^;]*\);.*/\1/p' "$T/err")
		close "$got" "$want" 1e-9
		for term in '(intercept)' crim rm lstat; do
			close "$(weight "$term")" "$(coef Boston "$tau" "$term")" 1e-7
		done
		expect_line "^descend: optimal and unique: the dual certificate holds"
	done
}

@test "--solver exact -l mae: the mean absolute error, twice R's pinball loss at 0.5" {
	d fit -l mae --solver exact -t mag "$DATA/quakes.csv"
	expect_status 0
	expect_line "exact quantile regression \(tau 0.5\)"
	got=$(sed -n 's/^descend: final mae \([^;]*\);.*/\1/p' "$T/err")
	want=$(awk -v r="$(ref quakes 0.5)" 'BEGIN { printf "%.17g", 2 * r }')
	close "$got" "$want" 1e-9
	expect_line "best constant \(median\)"
	cp "$T/out" "$T/mae.csv"
	d fit -l quantile --solver exact -t mag "$DATA/quakes.csv"
	expect_status 0
	expect_same "$T/mae.csv" "$T/out"
}

@test "-l quantile: the best constant is the tau-quantile of the target" {
	d fit -l quantile --tau 0.9 -e 1 -t medv "$DATA/Boston.csv"
	expect_status 0
	got=$(sed -n 's/.*best constant (quantile) \([^;]*\);.*/\1/p' "$T/err")
	# 506 rows: the 0.9-quantile is the 456th smallest (⌈455.4⌉).
	want=$(awk -F, 'NR > 1 { print $14 }' "$DATA/Boston.csv" | sort -g |
	    awk '{ y[NR] = $1 } END { q = y[456]
		for (i = 1; i <= NR; i++) s += y[i] > q ? 0.9 * (y[i] - q) : 0.1 * (q - y[i])
		printf "%.17g", s / NR }')
	close "$got" "$want" 1e-9
}

@test "a degenerate fit: four of five points on the line" {
	write line.csv 'x,y
1,3
2,5
3,7
4,9
5,100
'
	d fit -l mae --solver exact "$T/line.csv"
	expect_status 0
	expect_line "^descend: final mae 17.8; "
	expect_line "^descend: degenerate solution: 4 rows are fitted exactly, more than the 2 terms$"
	close "$(weight '(intercept)')" 1 1e-12
	close "$(weight x)" 2 1e-12
}

@test "a fit that may not be unique says so" {
	# x = 0 rows: y 0 and 1; x = 1 rows: y 0 and 1: any line through the
	# square [0, 1] × [0, 1] at both x has the same absolute error.
	write square.csv 'x,y
0,0
0,1
1,0
1,1
'
	d fit -l mae --solver exact "$T/square.csv"
	expect_status 0
	expect_line "^descend: final mae 0.5; "
	expect_line "^descend: the solution may be non-unique: "
	expect_no_line "unique: the dual"
}

@test "--gap with -l mae and -l quantile: the distance to the exact optimum" {
	d fit -l mae --gap -e 20 -t medv "$DATA/Boston.csv"
	expect_status 0
	best=$(awk -v r="$(ref Boston 0.5)" 'BEGIN { printf "%.17g", 2 * r }')
	awk -v best="$best" '$1 == 20 { d = $2 - $3 - best; if (d < 0) d = -d
		seen = d < 1e-3 } END { exit !seen }' "$T/err"
	d fit -l quantile --tau 0.1 --gap -e 20 -t medv "$DATA/Boston.csv"
	expect_status 0
	awk -v best="$(ref Boston 0.1)" '$1 == 20 { d = $2 - $3 - best
		if (d < 0) d = -d; seen = d < 1e-3 } END { exit !seen }' "$T/err"
}

@test "--tau: only with -l quantile, and in (0, 1)" {
	d fit --tau 0.5 -t medv "$DATA/Boston.csv"
	expect_status 2
	expect_line '^descend: --tau needs -l quantile \(-l mse has no τ\)$'
	d fit -l quantile --tau 1.5 -t medv "$DATA/Boston.csv"
	expect_status 2
	expect_line '^descend: --tau: "1.5" is not a number from 0 to 1 \(both excluded\)$'
	expect_empty "$T/out"
}

@test "-q: the exact fit says nothing" {
	d fit -q -l quantile --tau 0.25 --solver exact -t perm "$DATA/rock.csv"
	expect_status 0
	expect_empty "$T/err"
	[[ $(terms) == "(intercept) area peri shape" ]]
}

@test "--shards in one process: the exact fit of all the shards' rows" {
	cut_shards "$DATA/quakes.csv" "$T/shards" 300
	d fit -q -l quantile --tau 0.1 --solver exact -t mag --shards "$T/shards/part-*.csv"
	expect_status 0
	cp "$T/out" "$T/shards.csv"
	d fit -q -l quantile --tau 0.1 --solver exact -t mag "$DATA/quakes.csv"
	expect_status 0
	expect_same "$T/out" "$T/shards.csv"
}
