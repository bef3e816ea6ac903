#!/usr/bin/env bats
# Command-line tests of fit's warm start: --init FILE, --keep-scaling and --save-scaling.
# The checks: batch gradient descent run in two parts equals one run of the same epochs;
# -e 0 writes the starting model back; the weights are mapped through a new scaling; terms
# are matched by name; every update rule restarts its state (said once on stderr) and where
# it ends. The exact least-squares fit is the optimum they are measured against.

load helpers

setup() {
	setup_descend .
	MT=$DATA/mtcars.csv
	X=(-t mpg -x wt,hp,disp)
}

# max_rel A B COL: the largest relative difference between column COL of two weights files
# (the same terms in the same rows).
max_rel() {
	paste -d, "$1" "$2" | awk -F, -v c="$3" -v n="$(head -n 1 "$1" | awk -F, '{ print NF }')" '
	NR > 1 { a = $c; b = $(n + c); e = a - b; e = e < 0 ? -e : e; m = a < 0 ? -a : a
	         r = m == 0 ? e : e / m; if (r > worst) worst = r }
	END { printf "%.3g\n", worst }'
}

# below X LIMIT: fail unless X ≤ LIMIT.
below() {
	awk -v x="$1" -v l="$2" 'BEGIN { if (!(x <= l)) { print x " > " l; exit 1 } }'
}

# gap W: the relative excess of the MSE of weights W on mtcars over the exact fit's.
gap() {
	"$DESCEND" eval -w "$1" -t mpg "$MT" | awk -F, -v e="$(cat "$T/exact.mse")" '
	$1 == "mse" { printf "%.3g\n", ($2 - e) / e }'
}

@test "batch gd on mse: 100 epochs, then --init --keep-scaling and 100 more, equal 200 epochs (1e-12)" {
	for rate in 0.1 auto; do
		d fit -q "${X[@]}" -e 200 -r $rate "$MT"
		expect_status 0
		cp "$T/out" "$T/200.csv"
		d fit -q "${X[@]}" -e 100 -r $rate --save-scaling -o "$T/100.csv" "$MT"
		expect_status 0
		[[ $(head -n 1 "$T/100.csv") == term,weight,std_weight,shift,scale,target ]]
		d fit -q "${X[@]}" -e 100 -r $rate --init "$T/100.csv" --keep-scaling "$MT"
		expect_status 0
		cut -d, -f1-3 "$T/out" >"$T/warm.csv"
		below "$(max_rel "$T/200.csv" "$T/warm.csv" 2)" 1e-12
		below "$(max_rel "$T/200.csv" "$T/warm.csv" 3)" 1e-12
		# And after 100 more, not the same as 100: the start was used.
		! cmp -s <(cut -d, -f1-3 "$T/100.csv") "$T/warm.csv"
	done
}

@test "--init FILE -e 0 writes the same model back" {
	d fit -q "${X[@]}" -e 50 -o "$T/w.csv" "$MT"
	d fit -q "${X[@]}" -e 0 --init "$T/w.csv" "$MT"
	expect_status 0
	below "$(max_rel "$T/w.csv" "$T/out" 2)" 1e-13
	below "$(max_rel "$T/w.csv" "$T/out" 3)" 1e-13
	# With a categorical column (its reference level, weight 0, is no feature) and derived terms.
	d fit -q -t mpg -x wt,cyl --categorical cyl --cross 'wt*cyl' -e 50 -o "$T/c.csv" "$MT"
	d fit -q -t mpg -x wt,cyl --categorical cyl --cross 'wt*cyl' -e 0 --init "$T/c.csv" "$MT"
	expect_status 0
	below "$(max_rel "$T/c.csv" "$T/out" 2)" 1e-13
	# A logistic model, and sgd mode.
	d fit -q -l logistic -t am -x wt,hp -e 50 -o "$T/l.csv" "$MT"
	d fit -q -l logistic -t am -x wt,hp -e 0 -m sgd --init "$T/l.csv" "$MT"
	expect_status 0
	below "$(max_rel "$T/l.csv" "$T/out" 3)" 1e-13
	# A softmax model.
	d fit -q -l softmax -e 50 -o "$T/s.csv" "$DATA/iris.csv"
	d fit -q -l softmax -e 0 --init "$T/s.csv" "$DATA/iris.csv"
	expect_status 0
	below "$(max_rel "$T/s.csv" "$T/out" 3)" 1e-13
}

@test "--init without --keep-scaling: the weights are mapped onto the new data's scaling" {
	# Fit on the first 20 cars; start from it on all 32: with -e 0, the same weights.
	head -n 21 "$MT" >"$T/part.csv"
	d fit -q "${X[@]}" -e 50 -o "$T/w.csv" "$T/part.csv"
	d fit -q "${X[@]}" -e 0 --init "$T/w.csv" "$MT"
	expect_status 0
	below "$(max_rel "$T/w.csv" "$T/out" 2)" 1e-13
	# --keep-scaling writes the file's shift and scale back, not those of the new data.
	d fit -q "${X[@]}" -e 50 --save-scaling -o "$T/ws.csv" "$T/part.csv"
	d fit -q "${X[@]}" -e 0 --init "$T/ws.csv" --keep-scaling "$MT"
	[[ $(cut -d, -f4,5 "$T/out") == "$(cut -d, -f4,5 "$T/ws.csv")" ]]
	d fit -q "${X[@]}" -e 0 --init "$T/ws.csv" --save-scaling "$MT"
	[[ $(cut -d, -f4,5 "$T/out") != "$(cut -d, -f4,5 "$T/ws.csv")" ]]
}

@test "--init: a term the file lacks starts at 0; terms are matched by name, not position" {
	d fit -q -t mpg -x hp,wt -e 50 -o "$T/w.csv" "$MT"
	d fit -q -t mpg -x wt,hp,disp -e 0 --init "$T/w.csv" "$MT"
	expect_status 0
	[[ $(grep '^disp,' "$T/out" | cut -d, -f2) == 0 ]]
	[[ $(grep '^wt,' "$T/out" | cut -d, -f2) == $(grep '^wt,' "$T/w.csv" | cut -d, -f2) ]]
	[[ $(grep '^hp,' "$T/out" | cut -d, -f2) == $(grep '^hp,' "$T/w.csv" | cut -d, -f2) ]]
}

@test "--init: a model of another kind is an error naming the file" {
	d fit -q "${X[@]}" -e 5 -o "$T/w.csv" "$MT"
	d fit -q -l logistic -t am -x wt,hp --init "$T/w.csv" "$MT"
	expect_status 1
	grep -qx "descend: $T/w.csv: --init: the file is a regression model, not one of this fit's classes, with the same labels (-l logistic)" "$T/err"
}

@test "every update rule restarts its state, said once on stderr; where each ends" {
	d fit -q "${X[@]}" --solver exact -o "$T/exact.w" "$MT"
	"$DESCEND" eval -w "$T/exact.w" -t mpg "$MT" | awk -F, '$1 == "mse" { print $2 }' >"$T/exact.mse"
	for rule in momentum nesterov adagrad rmsprop adam adamw lbfgs; do
		d fit -q "${X[@]}" -O $rule -e 400 --save-scaling -o "$T/400.csv" "$MT"
		d fit "${X[@]}" -O $rule -e 400 --init "$T/400.csv" --keep-scaling -o "$T/warm.csv" "$MT"
		expect_status 0
		[[ $(grep -c "^descend: --init: the weights start from $T/400.csv; the state of -O $rule (.*) starts afresh, as does the schedule$" "$T/err") == 1 ]]
		d fit -q "${X[@]}" -O $rule -e 800 -o "$T/800.csv" "$MT"
		# The restart changes the path: 400 + 400 is not 800.
		! cmp -s <(cut -d, -f1-3 "$T/warm.csv") "$T/800.csv"
		g=$(gap "$T/warm.csv")
		echo "$rule: 400 $(gap "$T/400.csv"), 400 + 400 $g, 800 $(gap "$T/800.csv")"
		case $rule in
		# These reach the optimum from the warm start (measured: ≤ 1.2e-7 for adamw).
		momentum | nesterov | adam | adamw | lbfgs) below "$g" 1e-6 ;;
		# These take steps about the rate in size whatever the gradient, afresh: from
		# near the optimum they first move away (measured: 1.9e-3 and 9.8e-3); a smaller
		# -r brings them back.
		adagrad | rmsprop) below 1e-4 "$g" ;;
		esac
	done
	d fit -q "${X[@]}" -O adagrad -e 400 --save-scaling -o "$T/400.csv" "$MT"
	d fit -q "${X[@]}" -O adagrad -r 0.01 -e 400 --init "$T/400.csv" --keep-scaling -o "$T/slow.csv" "$MT"
	below "$(gap "$T/slow.csv")" 1e-9
	d fit -q "${X[@]}" -O rmsprop -e 400 --save-scaling -o "$T/400.csv" "$MT"
	d fit -q "${X[@]}" -O rmsprop -r 0.0001 -e 400 --init "$T/400.csv" --keep-scaling -o "$T/slow.csv" "$MT"
	below "$(gap "$T/slow.csv")" 1e-7
	# gd at a constant rate keeps no state: no note.
	d fit "${X[@]}" -e 5 --init "$T/exact.w" "$MT"
	! grep -q -- '--init' "$T/err"
}

@test "--init runs in every mode, with --validation and --cv, and says --solver exact ignores it" {
	d fit -q "${X[@]}" -e 20 -o "$T/w.csv" "$MT"
	for args in "-m sgd" "-m minibatch -b 8" "--validation 0.25" "--cv 4"; do
		d fit -q "${X[@]}" -e 5 --init "$T/w.csv" $args "$MT"
		expect_status 0
	done
	d fit "${X[@]}" --solver exact --init "$T/w.csv" "$MT"
	expect_status 0
	grep -qx 'descend: warning: --init has no effect with --solver exact (it solves exactly)' "$T/err"
}

@test "--init reads the JSON of --format json as the CSV; a broken file is an error naming its line" {
	d fit -q "${X[@]}" -e 50 --save-scaling -o "$T/w.csv" "$MT"
	d fit -q "${X[@]}" -e 50 --save-scaling --format json -o "$T/w.json" "$MT"
	d fit -q "${X[@]}" -e 0 --init "$T/w.json" --keep-scaling "$MT"
	expect_status 0
	expect_same "$T/w.csv" "$T/out"
	d fit -q -l logistic -t am -x wt,hp -e 30 -o "$T/l.csv" "$MT"
	d fit -q -l logistic -t am -x wt,hp -e 30 --format json -o "$T/l.json" "$MT"
	d fit -q -l logistic -t am -x wt,hp -e 0 --init "$T/l.json" "$MT"
	below "$(max_rel "$T/l.csv" "$T/out" 3)" 1e-13
	d fit -q -l softmax -e 30 -o "$T/s.csv" "$DATA/iris.csv"
	d fit -q -l softmax -e 30 --format json -o "$T/s.json" "$DATA/iris.csv"
	d fit -q -l softmax -e 0 --init "$T/s.json" "$DATA/iris.csv"
	below "$(max_rel "$T/s.csv" "$T/out" 3)" 1e-13
	# 100 + 100 through JSON equals 200, as through the CSV.
	d fit -q "${X[@]}" -e 200 -o "$T/200.csv" "$MT"
	d fit -q "${X[@]}" -e 100 --save-scaling --format json -o "$T/100.json" "$MT"
	d fit -q "${X[@]}" -e 100 --init "$T/100.json" --keep-scaling "$MT"
	cut -d, -f1-3 "$T/out" >"$T/warm.csv"
	below "$(max_rel "$T/200.csv" "$T/warm.csv" 2)" 1e-12
	printf '{"model": "regression",\n "terms": [{"term": "(intercept)", "weight": 1, "std_weight": 0},\n  {"term": "wt", "weight": "a", "std_weight": 0}]}\n' >"$T/bad.json"
	d fit -q "${X[@]}" --init "$T/bad.json" "$MT"
	expect_status 1
	grep -qx "descend: $T/bad.json: term 2 of \"terms\" lacks numbers \"weight\" and \"std_weight\" (the weights file fit --format json writes)" "$T/err"
	printf '{"model": "regression", "terms": [{"term": "wt", "weight": 1, "std_weight": 0}]}' >"$T/bad.json"
	d fit -q "${X[@]}" --init "$T/bad.json" "$MT"
	expect_status 1
	grep -qx "descend: $T/bad.json: term 1 of \"terms\": the first term is \"wt\", expected (intercept)" "$T/err"
}
