#!/usr/bin/env bats
# Command-line tests of the exact solver against NIST's certified values, aliased
# columns, ridge and lasso, Huber, the update rules and schedules, and --gap. Each number is
# checked against an answer from outside descend: NIST StRD certified values
# (tests/ref/nist/, see tests/ref/README.md), R's lm on a rank-deficient file
# (tests/ref/r/aliased.coef.csv), or descend's exact solver where the test is about a
# descent reaching it. Needs bash and awk.

load helpers

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref
}

# lre WEIGHTS CERTIFIED: the smallest number of correct significant digits (log relative
# error, capped at 15; for a certified 0, -log10 |estimate|) over the terms of CERTIFIED.
lre() {
	awk -F, '
	NR == FNR { if (FNR > 1) got[$1] = $2; next }
	FNR > 1 {
		if (!($1 in got)) { print "missing term " $1; exit 1 }
		c = $2 + 0; g = got[$1] + 0
		e = c == 0 ? (g == 0 ? 1e-15 : (g < 0 ? -g : g)) : ((g - c) / c)
		e = e < 0 ? -e : e
		l = e <= 1e-15 ? 15 : -log(e) / log(10)
		if (min == "" || l < min) min = l
	}
	END { printf "%.1f\n", min }' "$1" "$2"
}

@test "--solver exact: at least 7 correct digits on every NIST StRD problem, no fewer than NumPy's and R's less one" {
	# tests/ref/nist/lre.csv: the digits NumPy's lstsq and R's lm get on the same files.
	for p in norris pontius longley filip wampler1 wampler2 wampler3 wampler4 wampler5; do
		d fit -q -t y --solver exact "$DATA/nist/$p.csv"
		expect_status 0
		digits=$(lre "$T/out" "$REF/nist/$p.csv")
		others=$(awk -F, -v p="$p" '$1 == p { printf " %s %s", $2, $3 }' "$REF/nist/lre.csv")
		echo "$p: descend $digits;$others"
		# Wampler5 (large residuals): 6.97 digits, where one step of iterative
		# refinement converges, the least-squares solution of the z-scored
		# columns as rounded to doubles; 7 everywhere else.
		awk -v l="$digits" -v p="$p" 'BEGIN { exit !(l >= (p == "wampler5" ? 6.9 : 7)) }'
		awk -F, -v p="$p" -v l="$digits" '$1 == p && $3 != "NA" && l < $3 - 1 { bad = 1 }
		    END { exit bad }' "$REF/nist/lre.csv"
	done
	# Longley (collinear) and Filip (degree 10), where R declares Filip rank-deficient and
	# NumPy's default cut-off loses every digit.
	grep -qx 'filip,R,NA,NA' "$REF/nist/lre.csv"
	grep -qx 'filip,numpy,0.0,0.0' "$REF/nist/lre.csv"
}

@test "--solver exact: nearly dependent columns get a warning with their condition number, others none" {
	# Filip, a degree-10 polynomial: LAPACK's estimate of the condition number of its
	# scaled columns is about 5e9, so rounding may leave 6 of 16 digits (it leaves 7.3).
	d fit -t y --solver exact "$DATA/nist/filip.csv"
	expect_status 0
	expect_line '^descend: warning: the columns kept are nearly linear combinations of each other \(condition number about 5\.0e\+09, after scaling\): rounding may leave as few as 6 correct digits in the weights$'
	# A column 1e-9 of its spread away from another: not aliased (above 1e-11), but close.
	awk 'BEGIN { srand(2); print "a,b,y"; for (i = 0; i < 200; i++) { a = rand(); e = rand() - 0.5
	    printf "%.17g,%.17g,%.17g\n", a, a + 1e-9 * e, 1 + 2 * a + rand() } }' >"$T/near.csv"
	d fit -t y --solver exact "$T/near.csv"
	expect_status 0
	expect_line '^descend: warning: the columns kept are nearly linear combinations of each other'
	d fit -q -t y --solver exact "$T/near.csv"
	expect_empty err
	# Well-conditioned problems, collinear economic data included: no such warning.
	for f in nist/longley nist/wampler5 Boston homes; do
		d fit --solver exact "$DATA/$f.csv"
		expect_status 0
		expect_no_line 'nearly linear combinations'
	done
}

@test "--solver exact: an aliased column is named, gets weight 0, and the rest match R's lm" {
	d fit -t perm --solver exact "$REF/r/aliased.csv"
	expect_status 0
	grep -qx 'descend: warning: column "area2" is a linear combination of the columns before it (aliased); its weight is 0' "$T/err"
	grep -q 'rank 4 of 5 terms' "$T/err"
	grep -qx 'area2,0,0' "$T/out"
	grep -v ',NA,' "$REF/r/aliased.coef.csv" | cut -d, -f1,2 >"$T/r.csv"
	digits=$(lre "$T/out" "$T/r.csv")
	echo "$digits digits against R"
	awk -v l="$digits" 'BEGIN { exit !(l >= 12) }'
}

@test "--solver exact: every aliased column of a rank-deficient Boston is named; the fit is Boston's" {
	# rm2 = 2·rm (exact), combo = crim + zn − 3·nox (to the rounding of awk's doubles), and a
	# constant column: rank 14 of 17 terms, and the least squares fit of Boston itself.
	awk -F, 'NR == 1 { print $0 ",rm2,const,combo"; next }
	    { printf "%s,%.17g,7,%.17g\n", $0, 2 * $6, $1 + $2 - 3 * $5 }' "$DATA/Boston.csv" >"$T/aliased.csv"
	d fit -q -t medv --solver exact "$DATA/Boston.csv"
	cp "$T/out" "$T/boston.w"
	d fit -t medv --solver exact "$T/aliased.csv"
	expect_status 0
	grep -qx 'descend: warning: column "const" is constant; its weight is 0' "$T/err"
	grep -qx 'descend: warning: column "rm2" is a linear combination of the columns before it (aliased); its weight is 0' "$T/err"
	grep -qx 'descend: warning: column "combo" is a linear combination of the columns before it (aliased); its weight is 0' "$T/err"
	[[ $(grep -c 'aliased' "$T/err") == 2 ]]
	grep -q 'exact least squares by QR, rank 14 of 17 terms$' "$T/err"
	grep -qx 'rm2,0,0,medv' "$T/out"
	grep -qx 'combo,0,0,medv' "$T/out"
	digits=$(lre <(grep -v '^rm2,\|^const,\|^combo,' "$T/out") "$T/boston.w")
	echo "$digits digits against Boston's own fit"
	awk -v l="$digits" 'BEGIN { exit !(l >= 10) }'
}

@test "every update rule reaches the exact least-squares MSE on Boston in batch mode" {
	d fit -q -t medv --solver exact "$DATA/Boston.csv"
	for rule in gd momentum nesterov adagrad rmsprop adam adamw lbfgs; do
		[[ $rule == adamw ]] && set -- --weight-decay 0 || set --
		d fit -t medv -O "$rule" "$@" -e 3000 --gap --log "$T/log.csv" "$DATA/Boston.csv"
		expect_status 0
		gap=$(tail -n 1 "$T/log.csv" | cut -d, -f7)
		echo "$rule: final relative gap $gap"
		awk -v g="$gap" 'BEGIN { exit !(g < 1e-9 && g > -1e-12) }'
	done
}

@test "every update rule trains in sgd and minibatch modes, to within 5% of the exact optimum" {
	# 200 epochs with --schedule stagewise, which lowers the rate as the noise of single
	# rows stalls the loss; the gap is measured against --solver exact by --gap.
	# rmsprop, adam and adamw take steps of about the rate in weight units: in sgd mode
	# at their default rate 0.1 the noise of single rows leaves them 1% to 19% away,
	# as the seed falls (seeds 1-5), so they get -r 0.01 there (0.005% to 3%).
	local rate
	for mode in sgd minibatch; do
		for rule in gd momentum nesterov adagrad rmsprop adam adamw; do
			rate=()
			[[ $mode == sgd && $rule =~ ^(rmsprop|adam|adamw)$ ]] && rate=(-r 0.01)
			d fit -t medv -O "$rule" -m "$mode" "${rate[@]}" --schedule stagewise -e 200 --gap \
				--log "$T/log.csv" "$DATA/Boston.csv"
			expect_status 0
			name=stochastic
			[[ $mode == minibatch ]] && name=mini-batch
			grep -q "epochs of $name gradient descent" "$T/err"
			gap=$(tail -n 1 "$T/log.csv" | cut -d, -f7)
			echo "$rule $mode: final relative gap $gap"
			awk -v g="$gap" 'BEGIN { exit !(g < 0.05 && g > -1e-12) }'
		done
	done
}

@test "-O lbfgs stops by itself at the optimum and says so" {
	d fit -t medv -O lbfgs -e 1000 "$DATA/Boston.csv"
	expect_status 0
	grep -q 'iterations of L-BFGS on mse' "$T/err"
	grep -qx "descend: stopped: L-BFGS's gradient test passed (gradient below 1e-13 of its start)" "$T/err"
	grep -Eqx 'descend: at the optimum: (objective equal to it to rounding|objective within [0-9.e-]+ of it \(relative\))' "$T/err"
	grep -q 'final mse 21.89483118;' "$T/err"
}

@test "--gap prints the gap to the exact optimum, which falls to 0 and is never negative" {
	d fit -t medv --gap -e 300 --log "$T/log.csv" "$DATA/Boston.csv"
	expect_status 0
	head -n 1 "$T/err" | grep -Eq '^ +epoch +loss +gap +rel_gap +rate +seconds$'
	head -n 1 "$T/log.csv" | grep -qx 'epoch,train_loss,val_loss,learning_rate,seconds,gap,rel_gap'
	# Batch GD at 1/L never raises the objective: gaps fall and stay ≥ 0 (to rounding).
	awk -F, 'NR > 1 { if ($6 < -1e-12 || (NR > 2 && $6 > prev * (1 + 1e-12))) bad = 1; prev = $6 }
	    END { exit bad }' "$T/log.csv"
}

@test "--l2: the exact ridge solution, and gradient descent and L-BFGS reach it" {
	d fit -q -t medv --l2 0.1 --solver exact "$DATA/Boston.csv"
	expect_status 0
	cp "$T/out" "$T/exact.csv"
	d fit -t medv --l2 0.1 --solver exact "$DATA/Boston.csv"
	grep -q '^descend: objective with the penalties 25.907086' "$T/err"
	for rule in gd lbfgs; do
		d fit -q -t medv --l2 0.1 -O "$rule" -e 2000 "$DATA/Boston.csv"
		digits=$(lre "$T/out" "$T/exact.csv")
		echo "$rule: $digits digits"
		awk -v l="$digits" 'BEGIN { exit !(l >= 8) }'
	done
	# --gap with --l2 measures against the ridge optimum.
	d fit -t medv --l2 0.1 -O lbfgs --gap --log "$T/log.csv" "$DATA/Boston.csv"
	awk -F, 'END { exit !($7 < 1e-12) }' "$T/log.csv"
}

@test "--l1: a large penalty sets weights to exactly 0 and never the intercept" {
	d fit -q -t medv --l1 1 -e 2000 "$DATA/Boston.csv"
	expect_status 0
	zeros=$(awk -F, 'NR > 2 && $2 == 0' "$T/out" | wc -l)
	echo "$zeros weights are 0"
	[[ $zeros -ge 3 ]]
	awk -F, 'NR == 2 { exit !($2 != 0) }' "$T/out"
	# A penalty so large that every weight is 0 leaves the mean.
	d fit -q -t medv --l1 1000 -e 200 "$DATA/Boston.csv"
	[[ $(awk -F, 'NR > 2 && $2 != 0' "$T/out" | wc -l) -eq 0 ]]
	awk -F, 'NR == 2 { exit !($2 > 22.5328 && $2 < 22.5329) }' "$T/out"
}

@test "-l huber: fits, reports its loss by name, and takes --delta" {
	d fit -t medv -l huber --delta 2 -O lbfgs -e 500 "$DATA/Boston.csv"
	expect_status 0
	grep -q 'L-BFGS on huber' "$T/err"
	grep -q '^descend: final huber ' "$T/err"
	d fit -q -t medv -l huber --delta 1e9 -O lbfgs -e 500 "$DATA/Boston.csv"
	cp "$T/out" "$T/huge_delta.csv"
	d fit -q -t medv --solver exact "$DATA/Boston.csv"
	# With δ beyond every residual, Huber is half the squared loss: least squares.
	digits=$(lre "$T/huge_delta.csv" "$T/out")
	awk -v l="$digits" 'BEGIN { exit !(l >= 8) }'
}

@test "--schedule: the epoch line shows the rate in force" {
	d fit -t medv --schedule step --step-size 2 --decay 0.5 -r 0.08 -e 5 "$DATA/Boston.csv"
	expect_status 0
	awk 'NR > 1 && NR <= 6 { print $3 }' "$T/err" >"$T/rates"
	printf '%s\n' 0.08 0.08 0.04 0.04 0.02 | cmp - "$T/rates"
	d fit -t medv --schedule exponential --decay 0.5 -r 0.08 -e 3 "$DATA/Boston.csv"
	awk 'NR > 1 && NR <= 4 { print $3 }' "$T/err" | paste -sd' ' | grep -qx '0.08 0.04 0.02'
	d fit -t medv --schedule invscaling --power-t 0.5 -r 0.08 -e 4 "$DATA/Boston.csv"
	awk 'NR == 5 { exit !($3 == 0.04) }' "$T/err"
	d fit -t medv --schedule cosine -r 0.08 -e 4 "$DATA/Boston.csv"
	awk 'NR == 4 { exit !($3 == 0.04) }' "$T/err"
}

@test "--schedule: every schedule's epoch lines show its formula's rate in every epoch" {
	# schedule, its flags, and the rate of epoch e (1-based) from base 0.08 over 12 epochs.
	while IFS='|' read -r schedule flags formula; do
		d fit -t medv --schedule "$schedule" $flags -r 0.08 -e 12 "$DATA/Boston.csv"
		expect_status 0
		head -n 1 "$T/err" | grep -Eq '^ +epoch +loss +rate +seconds$'
		awk -v s="$schedule" 'function rate(e) { return '"$formula"' }
		    NR > 1 && NR <= 13 { e = NR - 1; want = rate(e); d = $3 - want; d = d < 0 ? -d : d
			if ($1 != e || d > 1e-5 * want) { print s ", epoch " e ": " $3 ", want " want; bad = 1 }
			n++ }
		    END { exit bad || n != 12 }' "$T/err"
	done <<-'EOF'
	constant||0.08
	invscaling|--power-t 0.25|0.08 / e ^ 0.25
	step|--step-size 5 --decay 0.3|0.08 * 0.3 ^ int((e - 1) / 5)
	exponential|--decay 0.9|0.08 * 0.9 ^ (e - 1)
	cosine||0.08 * (1 + cos(3.141592653589793 * (e - 1) / 12)) / 2
	plateau||0.08
	stagewise||0.08
	EOF
}

@test "settings that do nothing with the chosen rule are warned about, and -q silences that" {
	d fit -t medv --beta1 0.5 -e 2 "$DATA/Boston.csv"
	expect_status 0
	grep -qx 'descend: warning: --beta1 has no effect without -O adam or adamw' "$T/err"
	d fit -t medv --delta 3 -e 2 "$DATA/Boston.csv"
	grep -qx 'descend: warning: --delta has no effect without -l huber' "$T/err"
	d fit -q -t medv --momentum 0.5 -e 2 "$DATA/Boston.csv"
	expect_empty "$T/err"
}

@test "the optimizers are deterministic: the same flags give byte-identical weights" {
	for rule in adam rmsprop nesterov; do
		d fit -q -t medv -O "$rule" -m minibatch -e 5 --seed 3 "$DATA/Boston.csv"
		cp "$T/out" "$T/first"
		d fit -q -t medv -O "$rule" -m minibatch -e 5 --seed 3 "$DATA/Boston.csv"
		cmp "$T/first" "$T/out"
	done
}
