#!/usr/bin/env bats
# Command-line tests of issue 5, classification: -l logistic and -l softmax in fit, the class
# model file, predict's labels and --proba, eval's classification metrics, checked against
# independent computations (awk over predict's output) and the data's known structure.
# Needs bash and awk.

load helpers

setup() {
	setup_descend .
	# A binary file with text labels: y is "yes" when 2a − b + noise > 1.
	awk 'BEGIN { srand(7); print "a,b,y"
	    for (i = 0; i < 400; i++) { a = rand() * 4 - 2; b = rand() * 4 - 2
	        z = 2 * a - b - 1 + (rand() - 0.5)
	        printf "%.4f,%.4f,%s\n", a, b, (z > 0 ? "yes" : "no") } }' >"$T/yn.csv"
	sed 's/,yes$/,true/; s/,no$/,false/' "$T/yn.csv" >"$T/tf.csv"
	sed 's/,yes$/,1/; s/,no$/,0/' "$T/yn.csv" >"$T/01.csv"
}

@test "softmax on iris: training accuracy at least 0.96, and eval agrees" {
	d fit -t Species -l softmax -O lbfgs -e 300 "$DATA/iris.csv"
	expect_status 0
	acc=$(sed -n 's/^descend: accuracy \([0-9.]*\) on the training rows$/\1/p' "$T/err")
	echo "accuracy $acc"
	awk -v a="$acc" 'BEGIN { exit !(a >= 0.96) }'
	head -n 1 "$T/out" | grep -qx 'term,class,weight,std_weight'
	[[ $(grep -c '^(intercept),' "$T/out") == 3 ]]
	cp "$T/out" "$T/w.csv"
	d eval -w "$T/w.csv" "$DATA/iris.csv"
	expect_status 0
	grep -qx "accuracy,,$(awk -F, '$1 == "accuracy"' "$T/out" | cut -d, -f3)" "$T/out"
	awk -F, -v a="$acc" '$1 == "accuracy" { exit !($3 - a < 5e-5 && a - $3 < 5e-5) }' "$T/out"
}

@test "logistic: text labels, the positive class is the second in sorted order and said so" {
	d fit -t y -l logistic -O lbfgs "$T/yn.csv"
	expect_status 0
	grep -qx 'descend: logistic regression of "y": the positive class is "yes", the other "no" (the second in sorted order; see --positive)' "$T/err"
	head -n 1 "$T/out" | grep -qx 'term,class,weight,std_weight'
	grep -q '^(intercept),yes,' "$T/out"
	tail -n 1 "$T/out" | grep -qx '(reference),no,0,0'
	# The data say y grows with a and falls with b.
	awk -F, '$1 == "a" { exit !($3 > 0) }' "$T/out"
	awk -F, '$1 == "b" { exit !($3 < 0) }' "$T/out"
}

@test "logistic: true/false and 0/1 targets give the same weights as yes/no" {
	d fit -q -t y -l logistic -O lbfgs "$T/yn.csv"
	cut -d, -f1,3,4 "$T/out" | head -n 3 >"$T/yn.w"
	d fit -q -t y -l logistic -O lbfgs "$T/tf.csv"
	cut -d, -f1,3,4 "$T/out" | head -n 3 >"$T/tf.w"
	d fit -q -t y -l logistic -O lbfgs "$T/01.csv"
	cut -d, -f1,3,4 "$T/out" | head -n 3 >"$T/01.w"
	cmp "$T/yn.w" "$T/tf.w"
	cmp "$T/yn.w" "$T/01.w"
	grep -q '^(intercept),1,' "$T/out"
}

@test "--positive chooses the positive class: the weights change sign" {
	d fit -q -t y -l logistic -O lbfgs "$T/yn.csv"
	awk -F, 'NR > 1 && NR < 5 { print $1 "," -$3 }' "$T/out" >"$T/flipped"
	d fit -t y -l logistic -O lbfgs --positive no "$T/yn.csv"
	expect_status 0
	grep -q 'the positive class is "no", the other "yes"$' "$T/err"
	awk -F, 'NR > 1 && NR < 5 { print $1 "," $3 }' "$T/out" >"$T/got"
	# Equal to about 12 digits: the same optimum reached from mirrored starts.
	paste -d, "$T/flipped" "$T/got" | awk -F, '{ d = $2 - $4; d = d < 0 ? -d : d
	    m = $2 < 0 ? -$2 : $2; if (d > 1e-9 * m + 1e-12) { print; bad = 1 } } END { exit bad }'
}

@test "predict: labels, and --proba columns that sum to 1 and agree with the label" {
	d fit -q -t Species -l softmax -O lbfgs -e 300 "$DATA/iris.csv"
	cp "$T/out" "$T/w.csv"
	d predict --proba -w "$T/w.csv" "$DATA/iris.csv"
	expect_status 0
	head -n 1 "$T/out" | grep -qx 'prediction,p(setosa),p(versicolor),p(virginica)'
	awk -F, 'NR > 1 { s = $2 + $3 + $4; if (s < 1 - 1e-12 || s > 1 + 1e-12) bad = 1
	    best = $2 >= $3 && $2 >= $4 ? "setosa" : ($3 >= $4 ? "versicolor" : "virginica")
	    if (best != $1) bad = 1 } END { exit bad || NR != 151 }' "$T/out"
	d predict -w "$T/w.csv" "$DATA/iris.csv"
	head -n 1 "$T/out" | grep -qx prediction
	d predict --proba -w "$DATA/../tests/ref/r/rock.coef.csv" "$DATA/rock.csv"
	expect_status 1
}

@test "eval: accuracy, precision, recall, F1 and the confusion matrix match a count of predict's labels" {
	d fit -q -t y -l logistic -e 20 "$T/yn.csv"
	cp "$T/out" "$T/w.csv"
	d predict -w "$T/w.csv" "$T/yn.csv"
	tail -n +2 "$T/out" | paste -d, - <(tail -n +2 "$T/yn.csv" | cut -d, -f3) >"$T/pairs"
	d eval -w "$T/w.csv" "$T/yn.csv"
	expect_status 0
	head -n 1 "$T/out" | grep -qx 'metric,class,value'
	awk -F, 'NR == FNR { n++; c[$2 "," $1]++; next }
	    function near(a, b) { return (a - b < 1e-12 && b - a < 1e-12) }
	    $1 == "n" && $3 != n { bad = 1 }
	    $1 == "accuracy" && !near($3, (c["yes,yes"] + c["no,no"]) / n) { bad = 1 }
	    $1 == "precision" && $2 == "yes" && !near($3, c["yes,yes"] / (c["yes,yes"] + c["no,yes"])) { bad = 1 }
	    $1 == "recall" && $2 == "yes" && !near($3, c["yes,yes"] / (c["yes,yes"] + c["yes,no"])) { bad = 1 }
	    $1 ~ /^predicted:/ { split($1, p, ":"); if ($3 != c[$2 "," p[2]] + 0) bad = 1 }
	    END { exit bad }' "$T/pairs" "$T/out"
	grep -q '^macro_f1,,' "$T/out"
	grep -q '^constant_accuracy,,' "$T/out"
	d eval --pretty -w "$T/w.csv" "$T/yn.csv"
	grep -q '^confusion: rows actual, columns predicted$' "$T/out"
}

@test "eval: a label the model has not seen is an error naming file, line, column and classes" {
	d fit -q -t y -l logistic -e 5 "$T/yn.csv"
	cp "$T/out" "$T/w.csv"
	printf 'a,b,y\n1,2,yes\n0,1,maybe\n' >"$T/new.csv"
	d eval -w "$T/w.csv" "$T/new.csv"
	expect_status 1
	grep -qx "descend: $T/new.csv:3:3: \"maybe\" in column \"y\" is not a class of the model (it knows 2: \"no\" to \"yes\")" "$T/err"
}

@test "bad class targets: one class, three for logistic, --positive unknown or without logistic" {
	printf 'a,y\n1,x\n2,x\n3,x\n' >"$T/one.csv"
	d fit -t y -l softmax "$T/one.csv"
	expect_status 1
	grep -qx "descend: $T/one.csv: the target \"y\" has one class, \"x\"; classification needs two or more" "$T/err"
	d fit -t Species -l logistic "$DATA/iris.csv"
	expect_status 1
	grep -q 'has 3 classes; -l logistic needs two (-l softmax takes any number)$' "$T/err"
	d fit -t y -l logistic --positive maybe "$T/yn.csv"
	expect_status 2
	grep -qx 'descend: --positive: "maybe" is not a class of "y" (its classes: "no", "yes")' "$T/err"
	d fit -t y --positive yes "$T/01.csv"
	expect_status 2
	grep -qx 'descend: --positive needs -l logistic' "$T/err"
	d fit -t y -l logistic --stats "$T/yn.csv"
	expect_status 2
}

@test "every update rule and mode trains a classifier, with the accuracy in each epoch line" {
	for rule in gd momentum nesterov adagrad rmsprop adam adamw; do
		for mode in batch minibatch; do
			d fit -t y -l logistic -O "$rule" -m "$mode" -e 30 "$T/yn.csv"
			expect_status 0
			acc=$(sed -n 's/^descend: accuracy \([0-9.]*\) on the training rows$/\1/p' "$T/err")
			echo "$rule $mode: $acc"
			awk -v a="$acc" 'BEGIN { exit !(a >= 0.85) }'
		done
	done
	d fit -t Species -l softmax --validation 0.2 --l2 0.01 -e 5 "$DATA/iris.csv"
	head -n 1 "$T/err" | grep -Eq '^ +epoch +loss +val_loss +accuracy +val_accuracy +rate +seconds$'
	grep -q '^descend: accuracy [0-9.]* on the validation rows$' "$T/err"
}

@test "softmax with --cv scores every fold (log loss), and a missing label is an error" {
	d fit -q -t Species -l softmax --cv 5 --cv-only "$DATA/iris.csv"
	expect_status 0
	[[ $(grep -c '^[1-5],30,' "$T/out") == 5 ]]
	awk -F, '$1 == "mean" { exit !($3 > 0 && $3 < 0.3) }' "$T/out"
	printf 'a,y\n1,x\n2,\n3,z\n' >"$T/gap.csv"
	d fit -t y -l softmax "$T/gap.csv"
	expect_status 1
	grep -qx "descend: $T/gap.csv:3:2: missing class label in column \"y\" (see --missing)" "$T/err"
	d fit -q -t y -l logistic --missing drop "$T/gap.csv"
	expect_status 0
}
