#!/usr/bin/env bats
# Command-line tests of issue 10, `descend fit --stats`: every figure against R's summary(lm)
# and confint() on the same files, recorded in tests/ref/r/ by tests/ref/r/summary.R (R 4.2.2;
# see tests/ref/README.md). Needs bash and awk.

load helpers

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref/r
}

# digits A B FILE: the fewest matching significant digits between column A of the weights CSV
# $T/out and column B of R's file FILE (joined on term; NA must meet NA, or a weight of 0).
digits() {
	awk -F, -v a="$1" -v b="$2" '
	NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) ca[$i] = i; next }
		got[$1] = $(ca[a]); next }
	FNR == 1 { for (i = 1; i <= NF; i++) cb[$i] = i; next }
	{
		r = $(cb[b]); g = got[$1]
		# An aliased term: R says NA; its weight, which predict uses, is 0.
		if (r == "NA" && a == "weight") { if (g != 0) { print "weight of " $1 " not 0"; bad = 1 } next }
		if (r == "NA" || g == "NA") { if (r != g) { print "NA mismatch " $1; bad = 1 } next }
		e = (g - r) / r; e = e < 0 ? -e : e
		l = e <= 1e-16 ? 16 : -log(e) / log(10)
		if (min == "" || l < min) min = l
	}
	END { if (bad) exit 1; printf "%.1f\n", min }' "$T/out" "$3"
}

# stat NAME: value of NAME in R's fit file $1.
stat() {
	awk -F, -v s="$2" '$1 == s { print $2 }' "$1"
}

# near PRINTED R REL: fail unless |PRINTED − R| ≤ REL·|R|.
near() {
	awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { d = a - b; d = d < 0 ? -d : d
	    m = b < 0 ? -b : b; if (!(d <= r * m)) { print a " vs R " b; exit 1 } }'
}

check_against_r() {
	local name=$1 target=$2 file=$3
	shift 3
	d fit -t "$target" "$@" --stats "$file"
	expect_status 0
	for pair in weight:estimate std_error:std_error t:t_value p_value:p_value; do
		n=$(digits "${pair%%:*}" "${pair##*:}" "$REF/$name.coef.csv")
		echo "$name ${pair%%:*}: $n digits"
		awk -v n="$n" 'BEGIN { exit !(n >= 9) }'
	done
	for col in ci_low ci_high; do
		n=$(digits "$col" "$col" "$REF/$name.confint.csv")
		echo "$name $col: $n digits"
		awk -v n="$n" 'BEGIN { exit !(n >= 9) }'
	done
	# The summary lines, printed with 6 significant digits.
	fit=$REF/$name.fit.csv
	line=$(grep '^residual standard error ' "$T/err")
	set -- $line
	near "$4" "$(stat "$fit" residual_sd)" 5e-6
	[[ $6 == "$(stat "$fit" df)" ]]
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

@test "--stats matches R's summary(lm) on Boston (exact solver)" {
	check_against_r Boston medv "$DATA/Boston.csv" --solver exact
}

@test "--stats matches R's summary(lm) on quakes, far tails included (p down to 1e-302)" {
	check_against_r quakes mag "$DATA/quakes.csv" --solver exact
}

@test "--stats matches R's summary(lm) on rock" {
	check_against_r rock perm "$DATA/rock.csv" --solver exact
}

@test "--stats matches R's summary(lm) on USJudgeRatings, the text column dropped" {
	check_against_r USJudgeRatings RTEN "$DATA/USJudgeRatings.csv" --drop judge --solver exact
}

@test "--stats after a converged L-BFGS fit matches R too" {
	check_against_r rock perm "$DATA/rock.csv" -O lbfgs -e 1000
}

@test "--stats on a rank-deficient file: the aliased column is NA, the rest as R has it" {
	check_against_r aliased perm "$REF/aliased.csv" --solver exact
	grep -q 'area2 *NA *NA *NA *NA *NA *NA *(aliased)' "$T/err"
	grep -q '^area2,0,0,NA,NA,NA,NA,NA$' "$T/out"
}

@test "--stats with a gradient fit that has not converged says so" {
	d fit -t medv -e 5 --stats "$DATA/Boston.csv"
	expect_status 0
	grep -q '^descend: warning: --stats: the MSE is .* above least squares' "$T/err"
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

@test "the weights file with --stats still predicts: predict ignores the extra columns" {
	d fit -q -t perm --solver exact "$DATA/rock.csv"
	cp "$T/out" "$T/plain.csv"
	d fit -q -t perm --solver exact --stats "$DATA/rock.csv"
	cp "$T/out" "$T/stats.csv"
	d predict -w "$T/plain.csv" "$DATA/rock.csv"
	cp "$T/out" "$T/p1"
	d predict -w "$T/stats.csv" "$DATA/rock.csv"
	expect_status 0
	cmp "$T/p1" "$T/out"
}

@test "--stats refuses penalties and losses the classical formulas do not cover" {
	for flags in "-l mae" "-l huber" "--l1 0.1" "--l2 0.1"; do
		d fit -t perm $flags --stats "$DATA/rock.csv"
		expect_status 2
		grep -q 'descend: --stats: standard errors and p-values hold for least squares (-l mse) without penalties' "$T/err"
	done
	d fit -t perm --stats --conf 1 "$DATA/rock.csv"
	expect_status 2
	grep -q -- '--conf: "1" is not a number from 0 to 1 (both excluded)' "$T/err"
}

@test "the summary ranks the features by the size of their z-scored weights" {
	d fit -t medv --solver exact "$DATA/Boston.csv"
	grep -qx 'descend: importance (|std_weight|): lstat 3.74, dis 3.1, rm 2.67, rad 2.66, tax 2.08, ptratio 2.06, nox 2.06, zn 1.08, crim 0.928, black 0.849, and 3 more' "$T/err"
}
