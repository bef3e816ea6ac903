#!/usr/bin/env bats
# predict --interval: prediction and confidence intervals of exact least squares
# against R's predict.lm (tests/ref/r/intervals.R), and split-conformal
# intervals and class sets, whose coverage is measured on generated data.

load helpers

setup() {
	setup_descend cases
	REF=$BATS_TEST_DIRNAME/../ref/r
}

# compare NAME KIND LEVEL: predict's lower,upper columns against the
# reference's KIND_LEVEL columns, each within 1e-9 relative.
compare() {
	local name=$1 kind=$2 level=$3
	"$DESCEND" predict -w "$T/$name.w" --interval "$kind" --level "$level" \
	    "$T/$name.csv" >"$T/got" || return 1
	awk -F, -v kind="$kind" -v level="$level" '
	NR == FNR { if (FNR > 1) { lo[FNR] = $2; hi[FNR] = $3 }; n = FNR; next }
	FNR == 1 {
		for (j = 1; j <= NF; j++) {
			if ($j == kind "_" level "_lower") a = j
			if ($j == kind "_" level "_upper") b = j
		}
		next
	}
	function bad(g, w) {
		e = g - w; if (e < 0) e = -e
		s = w < 0 ? -w : w
		return e > 1e-9 * s
	}
	{
		if (bad(lo[FNR], $a) || bad(hi[FNR], $b)) {
			printf "row %d: %s,%s, R %s,%s\n", FNR - 1, lo[FNR], hi[FNR], $a, $b
			fail = 1
		}
		rows++
	}
	END { if (rows != n - 1 || rows == 0) { print "rows " rows " vs " n - 1; fail = 1 }; exit fail }
	' "$T/got" "$REF/$name.intervals.csv"
}

# fit_ref NAME FILE FIT-ARGS...: the exact fit of FILE as $T/NAME.w.
fit_ref() {
	local name=$1 file=$2
	shift 2
	cp "$DATA/$file" "$T/$name.csv"
	"$DESCEND" fit -q --solver exact --intervals "$@" -o "$T/$name.w" "$T/$name.csv"
}

@test "confidence and prediction intervals equal R's predict.lm to 1e-9 (5 data sets, 2 levels)" {
	fit_ref mtcars mtcars.csv -t mpg
	fit_ref stackloss stackloss.csv -t stack.loss
	fit_ref Boston Boston.csv -t medv
	fit_ref Cars93 Cars93.csv -t Price --categorical Origin,Type
	fit_ref airquality airquality.csv -t Ozone --missing mean
	for name in mtcars stackloss Boston Cars93 airquality; do
		for kind in confidence prediction; do
			for level in 0.9 0.95; do
				compare $name $kind $level || {
					echo "$name $kind $level"
					return 1
				}
			done
		done
	done
}

@test "--interval with --append, --threads and the JSON model" {
	fit_ref mtcars mtcars.csv -t mpg
	d predict -w "$T/mtcars.w" --interval prediction --append "$T/mtcars.csv"
	expect_status 0
	[[ $(head -1 "$T/out") == *,prediction,lower,upper ]]
	cut -d, -f12- "$T/out" >"$T/appended"
	d predict -w "$T/mtcars.w" --interval prediction --threads 1 "$T/mtcars.csv"
	expect_same "$T/out" "$T/appended"
	d predict -w "$T/mtcars.w" --interval prediction --threads 2 "$T/mtcars.csv"
	expect_same "$T/out" "$T/appended"
	d fit -q --solver exact --intervals -t mpg --format json "$T/mtcars.csv"
	expect_status 0
	grep -q '"intervals": {"sigma": 2.65019702786' "$T/out"
}

@test "no residual degree of freedom: sigma NA in the file, NaN bounds" {
	printf 'x,y\n1,2\n2,3\n' >"$T/two.csv"
	"$DESCEND" fit -q --solver exact --intervals -o "$T/w" "$T/two.csv"
	grep -q '^(intercept),1,2.5,0,1,[0-9.e-]*,0,NA,0$' "$T/w"
	d predict -w "$T/w" --interval prediction "$T/two.csv"
	expect_status 0
	[[ $(sed -n 2p "$T/out") == 2,nan,nan ]]
}

@test "a model without intervals: an error that says which fit makes them" {
	cp "$DATA/mtcars.csv" "$T/m.csv"
	"$DESCEND" fit -q -t mpg -e 50 -o "$T/w" "$T/m.csv"
	d predict -w "$T/w" --interval prediction "$T/m.csv"
	expect_status 2
	grep -q "fit --solver exact --intervals" "$T/err"
	"$DESCEND" fit -q -t mpg --solver exact -o "$T/w" "$T/m.csv"
	d predict -w "$T/w" --interval confidence "$T/m.csv"
	expect_status 2
	grep -q "fit --solver exact --intervals" "$T/err"
	d predict -w "$T/w" --interval conformal "$T/m.csv"
	expect_status 2
	grep -q "fit --conformal F stores them" "$T/err"
	"$DESCEND" fit -q -t mpg --solver exact --intervals -o "$T/w" "$T/m.csv"
	d predict -w "$T/w" --level 0.9 "$T/m.csv"
	expect_status 2
	d predict -w "$T/w" --interval confidence --proba "$T/m.csv"
	expect_status 2
}

# gen SEED ROWS [1]: rows of y = 1 + 2·x1 − x2 + N(0, 1), x1, x2 standard
# normal (with 1, y the class b when that exceeds 1, else a), from awk's
# seeded generator.
gen() {
	awk -v seed="$1" -v n="$2" -v cls="${3:-0}" \
	    -f "$BATS_TEST_DIRNAME/lib/conformal_gen.awk"
}

# Each repetition: 300 rows (150 trained on, 150 calibrating), 50 new rows.
# At level 0.9 with n = 150 scores the quantile has rank ⌈151·0.9⌉ = 136, so
# the coverage is 136/151 = 0.9007 in expectation (Lei et al. 2018). Over
# R = 200 repetitions and N = 10,000 new rows the band is 0.9 ± 3·s with
# s² = 0.9·0.1/N (binomial) + 0.9·0.1/(152·R) (the coverage given one
# calibration set is Beta(136, 15), whose variance is ≈ 0.9·0.1/152): ±0.0104.
REPS=200
NEW=50

@test "conformal intervals cover 90% within the binomial band, and are as wide as the prediction intervals of a well-specified model" {
	for ((s = 1; s <= REPS; s++)); do
		gen $s 300 >"$T/train.csv"
		gen $((s + 100000)) $NEW >"$T/new.csv"
		"$DESCEND" fit -q --solver exact --intervals --conformal 0.5 --seed $s \
		    -o "$T/w" "$T/train.csv"
		"$DESCEND" predict -w "$T/w" --interval conformal --level 0.9 \
		    "$T/new.csv" | paste -d, "$T/new.csv" - | sed 1d
		"$DESCEND" predict -w "$T/w" --interval prediction --level 0.9 \
		    "$T/new.csv" | sed 1d | sed 's/^/pi,/'
	done >"$T/all"
	awk -F, -v reps=$REPS -v new=$NEW '
	$1 == "pi" { piw += $4 - $3; npi++; next }
	{ n++; cov += $5 <= $3 && $3 <= $6; w += $6 - $5 }
	END {
		c = cov / n
		s = sqrt(0.09 / n + 0.09 / (152 * reps))
		r = w / piw
		printf "coverage %.4f of %d rows, band 0.9 +- %.4f; width ratio %.4f\n", c, n, 3 * s, r
		if (n != reps * new || npi != n) exit 1
		if (c < 0.9 - 3 * s || c > 0.9 + 3 * s) exit 1
		# the mean conformal width against the mean prediction interval:
		# within 3% (the sd of a mean of 200 empirical 0.9 quantiles of
		# |N(0,1)| from 150 scores is about 0.6% of it)
		if (r < 0.97 || r > 1.03) exit 1
	}' "$T/all"
}

@test "conformal class sets (logistic) cover 90% within the same band" {
	for ((s = 1; s <= REPS; s++)); do
		gen $s 300 1 >"$T/train.csv"
		gen $((s + 100000)) $NEW 1 >"$T/new.csv"
		"$DESCEND" fit -q -l logistic --conformal 0.5 --seed $s \
		    -o "$T/w" "$T/train.csv"
		"$DESCEND" predict -w "$T/w" --interval conformal --level 0.9 \
		    "$T/new.csv" | paste -d, "$T/new.csv" - | sed 1d
	done >"$T/all"
	awk -F, -v reps=$REPS '
	{ n++; k = split($5, set, "|"); for (i = 1; i <= k; i++) cov += set[i] == $3 }
	END {
		c = cov / n
		s = sqrt(0.09 / n + 0.09 / (152 * reps))
		printf "coverage %.4f of %d rows, band 0.9 +- %.4f\n", c, n, 3 * s
		if (c < 0.9 - 3 * s || c > 0.9 + 3 * s) exit 1
	}' "$T/all"
}
