#!/usr/bin/env bats
# What a fit claims about its own answer: one stop reason per fit, naming the rule
# that ran; a certificate of how far from the optimum it is, with a remedy that works;
# MAE and L-BFGS at their optimum, checked against independent exact answers
# (R's quantreg::rq in tests/ref/r/mae/, descend's QR solver, NIST's certified values).

load helpers

setup() {
	setup_descend .
	REF=$BATS_TEST_DIRNAME/../ref/r/mae
}

# stop_line: the one "descend: stopped: " line of the last run (fails unless exactly one).
stop_line() {
	local n
	n=$(grep -c '^descend: stopped: ' "$T/err" || true)
	if [[ $n != 1 ]]; then
		echo "expected one stop line, found $n:"
		cat "$T/err"
		return 1
	fi
	grep '^descend: stopped: ' "$T/err"
}

@test "batch MAE at the defaults ends within 1e-6 of R's exact optimum on 13 real data sets" {
	local name target opt got
	while IFS=, read -r name target opt _; do
		d fit -t "$target" -l mae -e 5000 "$REF/$name.csv"
		expect_status 0
		grep -q 'iterations of L-BFGS on mae$' "$T/err"
		got=$(sed -n 's/^descend: final mae \([^;]*\);.*/\1/p' "$T/err")
		echo "$name: final $got, optimum $opt"
		awk -v g="$got" -v o="$opt" 'BEGIN { r = (g - o) / o; exit !(r < 1e-6 && r > -1e-9) }'
	done < <(tail -n +2 "$REF/optimum.csv")
}

@test "batch MAE never claims convergence it did not check, and its rate never underflows" {
	local rule
	for rule in gd momentum adam; do
		d fit -t mpg -l mae -m batch -O "$rule" -e 3000 "$REF/mtcars.csv"
		expect_status 0
		! grep -qi 'converged' "$T/err"
		stop_line | grep -Eq "^descend: stopped: (the epochs ran out \\(-e 3000\\)|the plateau schedule's rate fell below 1e-12 of its start); mae smoothed over [0-9.e+-]+ at the end$"
		# the rate in force is never below the floor
		awk 'NR > 1 && $1 ~ /^[0-9]+$/ && $(NF - 1) + 0 < 1e-300 { bad = 1 } END { exit bad }' "$T/err"
	done
}

@test "every rule and every loss family ends with one stop reason that names the rule that ran" {
	local rule loss args
	for loss in mse mae huber logistic softmax; do
		for rule in gd momentum nesterov adagrad rmsprop adam adamw lbfgs; do
			case $loss in
			logistic) args=(-t am "$REF/mtcars.csv") ;;
			softmax) args=(-t Species "$DATA/iris.csv") ;;
			*) args=(-t medv "$DATA/Boston.csv") ;;
			esac
			d fit -l "$loss" -O "$rule" -e 7 "${args[@]}"
			expect_status 0
			if [[ $rule == lbfgs ]]; then
				grep -q "^descend: .* 7 iterations of L-BFGS on $loss$" "$T/err"
			else
				grep -q "^descend: .* 7 epochs of batch gradient descent.* on $loss," "$T/err"
			fi
			stop_line | grep -Eq '^descend: stopped: the epochs ran out \(-e 7\)'
			! grep -qi 'converged' "$T/err"
		done
	done
}

@test "each stop reason is reached, with its message" {
	# the epochs ran out
	d fit -t price -e 3 "$DATA/homes.csv"
	stop_line | grep -qx 'descend: stopped: the epochs ran out (-e 3)'
	# early stopping
	d fit -t price --validation 0.2 --early-stop 2 -O adam -r 5 -e 1000 "$DATA/homes.csv"
	expect_status 0
	stop_line | grep -Eqx 'descend: stopped: early stopping: no lower validation mse since epoch [0-9]+'
	# L-BFGS's gradient test
	d fit -t medv -O lbfgs -e 1000 "$DATA/Boston.csv"
	stop_line | grep -qx "descend: stopped: L-BFGS's gradient test passed (gradient below 1e-13 of its start)"
	d fit -t mpg -l mae -e 5000 "$REF/mtcars.csv"
	stop_line | grep -Eqx "descend: stopped: L-BFGS's gradient test passed \\(gradient below 1e-06 of its start at the last smoothing width\\); mae smoothed over [0-9.e-]+ at the end"
	# L-BFGS's line search: a first step of 1e30 that 60 halvings leave far too long
	d fit -t price -O lbfgs -r 1e30 -e 50 "$DATA/homes.csv"
	expect_status 0
	stop_line | grep -qx "descend: stopped: L-BFGS's line search found no step that lowers the objective"
	grep -q '^descend: not at the optimum: .*; --solver exact solves it directly$' "$T/err"
	d fit -t am -l logistic -O lbfgs -r 1e30 -e 50 "$REF/mtcars.csv"
	stop_line | grep -qx "descend: stopped: L-BFGS's line search found no step that lowers the objective"
	grep -qx "descend: gradient 1 of its size at the start; -r sets L-BFGS's first step: a smaller one lets its line search begin" "$T/err"
	# the rate floor: plateau halves the rate after every 3 epochs without a new best
	printf 'x,y\n' >"$T/s.csv"
	awk 'BEGIN { srand(3); for (i = 0; i < 30; i++) { x = rand() - 0.5; printf "%.6f,%.6f\n", x, 2 * x + rand() - 0.5 } }' >>"$T/s.csv"
	d fit -t y -l mae -m sgd --schedule plateau -e 5000 "$T/s.csv"
	expect_status 0
	stop_line | grep -Eqx "descend: stopped: the plateau schedule's rate fell below 1e-12 of its start; mae smoothed over [0-9.e-]+ at the end"
	n=$(sed -n 's/^descend: 30 rows, 1 feature; \([0-9]*\) epochs of stochastic.*/\1/p' "$T/err")
	[[ $n -lt 5000 ]]
}

# tiny: 40 noisy rows with a number y, a class c that x does not separate, and a class k
# of 3 that nothing predicts, so that sampled steps stall and plateaus come.
tiny() {
	awk 'BEGIN { srand(5); print "x,z,y,c,k"; for (i = 0; i < 40; i++) {
	    x = rand() - 0.5; z = rand() - 0.5; y = 2 * x - z + rand() - 0.5
	    print x "," z "," y "," ((x + rand() - 0.5 > 0) ? "a" : "b") "," int(3 * rand()) } }' >"$T/tiny.csv"
}

# family LOSS: fit's arguments for that loss on tiny.csv.
family() {
	case $1 in
	logistic) echo "-l logistic -t c -x x,z" ;;
	softmax) echo "-l softmax -t k -x x,z" ;;
	*) echo "-l $1 -t y -x x,z" ;;
	esac
}

@test "for every rule and loss family: early stopping, the rate floor, L-BFGS's two tests" {
	local loss rule
	tiny
	for loss in mse mae huber logistic softmax; do
		for rule in gd momentum nesterov adagrad rmsprop adam adamw; do
			# shellcheck disable=SC2046
			d fit $(family "$loss") -O "$rule" -m sgd --validation 0.25 \
			    --early-stop 2 -e 5000 "$T/tiny.csv"
			expect_status 0
			stop_line | grep -Eq '^descend: stopped: early stopping: no lower validation [a-z ]+ since epoch [0-9]+' ||
			    { echo "$loss $rule: early"; cat "$T/err"; return 1; }
			# adagrad's own shrinking steps keep finding lower losses: no plateau
			[[ $rule == adagrad ]] && continue
			# shellcheck disable=SC2046
			d fit $(family "$loss") -O "$rule" -m sgd --schedule plateau -e 20000 "$T/tiny.csv"
			stop_line | grep -q "^descend: stopped: the plateau schedule's rate fell below 1e-12 of its start" ||
			    { echo "$loss $rule: floor"; cat "$T/err"; return 1; }
		done
		# shellcheck disable=SC2046
		d fit $(family "$loss") -O lbfgs -e 5000 "$T/tiny.csv"
		stop_line | grep -q "^descend: stopped: L-BFGS's gradient test passed" ||
		    { echo "$loss lbfgs: gradient"; cat "$T/err"; return 1; }
		# shellcheck disable=SC2046
		d fit $(family "$loss") -O lbfgs -r 1e30 -e 50 "$T/tiny.csv"
		stop_line | grep -q "^descend: stopped: L-BFGS's line search found no step that lowers the objective" ||
		    { echo "$loss lbfgs: line search"; cat "$T/err"; return 1; }
	done
}

@test "a signal's stop reason is the interruption" {
	"$DESCEND" fit -t price -m sgd -e 100000 "$DATA/homes.csv" >"$T/out" 2>"$T/err" &
	local pid=$!
	sleep 1
	kill -INT "$pid"
	wait "$pid" || true
	stop_line | grep -Eqx 'descend: stopped: interrupted in epoch [0-9]+'
}

@test "every mse fit says how far it is from the optimum the moments give, with a remedy that works" {
	d fit -t price -e 100 "$DATA/homes.csv"
	expect_line '^descend: not at the optimum: objective [0-9.e-]+ above it \(relative\); at most [0-9]+ more epochs of gd reach 1e-06; --solver exact solves it directly$'
	# the bound holds: that many more epochs do reach it
	more=$(sed -n 's/.*at most \([0-9]*\) more epochs.*/\1/p' "$T/err")
	d fit -t price -e $((100 + more)) "$DATA/homes.csv"
	expect_line '^descend: at the optimum: objective (within [0-9.e-]+ of it \(relative\)|equal to it to rounding)$'
	d fit -t price -m sgd -e 5 "$DATA/homes.csv"
	expect_line '^descend: (not at the optimum|at the optimum)'
	d fit -t price --l2 0.1 -O lbfgs -e 500 "$DATA/homes.csv"
	expect_line '^descend: at the optimum'
	d fit -t price --l1 100 -e 5 "$DATA/homes.csv"
	expect_line '^descend: distance to the optimum unknown: the optimum with --l1 has no closed form$'
	# an exact fit: the gap is measured against the best constant, not against 0
	d fit -t y -O lbfgs -e 3000 "$DATA/nist/wampler2.csv"
	expect_line '^descend: at the optimum'
}

@test "other smooth losses give the gradient against its start" {
	d fit -t am -l logistic -x mpg,wt "$REF/mtcars.csv"
	expect_status 0
	grep -q 'iterations of L-BFGS on logistic$' "$T/err"
	expect_line '^descend: gradient [0-9.e-]+ of its size at the start$'
	d fit -t am -l logistic -O gd -x mpg,wt "$REF/mtcars.csv"
	expect_line '^descend: gradient [0-9.e-]+ of its size at the start; -O lbfgs reaches it$'
	d fit -t am -l logistic -m sgd -x mpg,wt "$REF/mtcars.csv"
	expect_line '^descend: gradient [0-9.e-]+ of its size at the start; -m batch -O lbfgs reaches it$'
}

# weights_close A B TOL: every weight of the two weights files within TOL relative.
weights_close() {
	paste -d, <(cut -d, -f1-3 "$1") <(cut -d, -f1-3 "$2") | awk -F, -v tol="$3" 'NR > 1 { a = $2; b = $5
	    d = a - b; d = d < 0 ? -d : d; m = a < 0 ? -a : a
	    if (d > tol * m) { print "term " $1 ": " a " against " b; bad = 1 } } END { exit bad }'
}

@test "L-BFGS reaches the exact least-squares weights to 1e-8 relative on ill-conditioned data" {
	local args
	for args in "-t RTEN --drop judge $DATA/USJudgeRatings.csv" \
	    "-t Price --categorical Origin,Type $DATA/Cars93.csv" \
	    "-t y $DATA/nist/longley.csv" "-t y $DATA/nist/norris.csv" "-t y $DATA/nist/pontius.csv"; do
		# shellcheck disable=SC2086
		d fit -q --solver exact $args
		expect_status 0
		cp "$T/out" "$T/exact.csv"
		# shellcheck disable=SC2086
		d fit -q -O lbfgs -e 3000 $args
		expect_status 0
		weights_close "$T/exact.csv" "$T/out" 1e-8
	done
}

@test "the default rule of a batch class target reaches glm's maximum-likelihood weights to 1e-6" {
	# tests/ref/r/glm.R: glm(family = binomial, epsilon = 1e-15) on four real data sets
	local ref=$BATS_TEST_DIRNAME/../ref/r name args
	for name in mtcars_vs mtcars_am biopsy iris_vv; do
		case $name in
		mtcars_vs) args=(-t vs -x mpg,disp "$DATA/mtcars.csv") ;;
		mtcars_am) args=(-t am -x hp,wt "$DATA/mtcars.csv") ;;
		biopsy) args=(-t class --missing drop "$DATA/biopsy.csv") ;;
		iris_vv) args=(-t Species "$DATA/iris_vv.csv") ;;
		esac
		d fit -q -l logistic "${args[@]}"
		expect_status 0
		cut -d, -f1,2 "$ref/glm_$name.coef.csv" >"$T/want.csv"
		grep -v '^(reference),' "$T/out" | cut -d, -f1,3 >"$T/got.csv"
		echo "$name"
		paste -d, "$T/want.csv" "$T/got.csv" | awk -F, 'NR > 1 { d = $2 - $4; d = d < 0 ? -d : d
		    m = $2 < 0 ? -$2 : $2; if ($1 != $3 || d > 1e-6 * m) { print; bad = 1 } } END { exit bad }'
	done
}
