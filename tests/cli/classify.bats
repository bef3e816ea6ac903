#!/usr/bin/env bats
# Command-line tests of classification: -l logistic and -l softmax in fit, the class
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
	# --l2 keeps the probabilities off 0 and 1, within what awk reads.
	d fit -q -t Species -l softmax -O lbfgs --l2 0.001 -e 300 "$DATA/iris.csv"
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
	d fit -t y -l softmax --stats "$T/yn.csv"
	expect_status 2
	grep -qx 'descend: --stats: standard errors and p-values are given for -l mse and -l logistic, not yet for -l softmax' "$T/err"
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
	# The maximum-likelihood fit (L-BFGS, the batch default) nearly
	# separates iris: a held-out row on the wrong side costs much log loss.
	d fit -q -t Species -l softmax --cv 5 --cv-only "$DATA/iris.csv"
	expect_status 0
	[[ $(grep -c '^[1-5],30,' "$T/out") == 5 ]]
	awk -F, '$1 == "mean" { exit !($3 > 0 && $3 < 2) }' "$T/out"
	d fit -q -t Species -l softmax --l2 0.01 --cv 5 --cv-only "$DATA/iris.csv"
	awk -F, '$1 == "mean" { exit !($3 > 0 && $3 < 0.3) }' "$T/out"
	printf 'a,y\n1,x\n2,\n3,z\n' >"$T/gap.csv"
	d fit -t y -l softmax "$T/gap.csv"
	expect_status 1
	grep -qx "descend: $T/gap.csv:3:2: missing class label in column \"y\" (see --missing)" "$T/err"
	d fit -q -t y -l logistic --missing drop "$T/gap.csv"
	expect_status 0
}

@test "eval on iris (softmax): log loss, per-class and macro scores, baselines and confusion match awk over predict --proba" {
	d fit -q -t Species -l softmax -e 200 "$DATA/iris.csv"
	cp "$T/out" "$T/w.csv"
	d predict --proba -w "$T/w.csv" "$DATA/iris.csv"
	expect_status 0
	# prediction,p(setosa),p(versicolor),p(virginica),actual
	tail -n +2 "$T/out" | paste -d, - <(tail -n +2 "$DATA/iris.csv" | awk -F, '{ print $NF }' | tr -d '"') >"$T/rows"
	d eval -w "$T/w.csv" "$DATA/iris.csv"
	expect_status 0
	awk -F, 'NR == FNR {
		n++; col["setosa"] = 2; col["versicolor"] = 3; col["virginica"] = 4
		loss -= log($col[$5]); c[$5 "," $1]++; actual[$5]++; said[$1]++; if ($1 == $5) right++
		next }
	    function near(a, b) { d = a - b; d = d < 0 ? -d : d; m = b < 0 ? -b : b
		return d <= 1e-9 * m + 1e-15 }
	    function check(what, got, want) { checked++
		if (!near(got, want)) { print what ": eval " got ", awk " want; bad = 1 } }
	    FNR == 1 { split("setosa versicolor virginica", k, " ")
		for (i = 1; i <= 3; i++) { K = k[i]; p[K] = c[K "," K] / said[K]; r[K] = c[K "," K] / actual[K]
		    f[K] = 2 * p[K] * r[K] / (p[K] + r[K]); mp += p[K] / 3; mr += r[K] / 3; mf += f[K] / 3
		    closs -= actual[K] / n * log(actual[K] / n); if (actual[K] > most) most = actual[K] } }
	    $1 == "n" { check("n", $3, n) }
	    $1 == "log_loss" { check("log_loss", $3, loss / n) }
	    $1 == "accuracy" { check("accuracy", $3, right / n) }
	    $1 == "precision" { check("precision " $2, $3, p[$2]) }
	    $1 == "recall" { check("recall " $2, $3, r[$2]) }
	    $1 == "f1" { check("f1 " $2, $3, f[$2]) }
	    $1 == "macro_precision" { check($1, $3, mp) }
	    $1 == "macro_recall" { check($1, $3, mr) }
	    $1 == "macro_f1" { check($1, $3, mf) }
	    $1 == "constant_log_loss" { check($1, $3, closs) }
	    $1 == "constant_accuracy" { check($1, $3, most / n) }
	    $1 ~ /^predicted:/ { split($1, q, ":"); check($0, $3, c[$2 "," q[2]] + 0) }
	    END { if (checked != 1 + 1 + 1 + 9 + 3 + 2 + 9) { print checked " metrics checked"; bad = 1 }
		exit bad }' "$T/rows" "$T/out"
	# Not a perfect model, so that precision, recall and the confusion matrix are not trivial.
	awk -F, '$1 == "accuracy" { exit !($3 > 0.9 && $3 < 1) }' "$T/out"
}

@test "eval's log loss is exact at margins of 30 and +-1000 (logistic and softmax), and predict's probabilities stay in (0, 1)" {
	write lm.w $'term,class,weight,std_weight\n(intercept),yes,0,0\nx,yes,1,1\n(reference),no,0,0\n'
	write right.csv $'x,y\n30,yes\n1000,yes\n-30,no\n-1000,no\n'
	write wrong.csv $'x,y\n-1000,yes\n1000,no\n'
	d eval -w "$T/lm.w" "$T/right.csv"
	expect_status 0
	# log1p(e^-30) / 2 = 4.67881148441986838970e-14 (mpmath, 40 digits): within an ulp or two.
	awk -F, '$1 == "log_loss" { d = $3 - 4.6788114844198684e-14; exit !(d < 2e-29 && d > -2e-29) }' "$T/out"
	d eval -w "$T/lm.w" "$T/wrong.csv"
	grep -qx 'log_loss,,1000' "$T/out"
	d predict --proba -w "$T/lm.w" "$T/right.csv"
	# e^-30 / (1 + e^-30) = 9.3576229688393e-14, not 0; margin 1000 is 0 and 1 in doubles.
	sed -n 2p "$T/out" | grep -Eq '^yes,9\.35762296883[0-9]*e-14,0\.9999999999999[0-9]*$'
	sed -n 3p "$T/out" | grep -qx 'yes,0,1'
	write sm.w $'term,class,weight,std_weight\n(intercept),a,0,0\nx,a,1,1\n(intercept),b,0,0\nx,b,0,0\n(intercept),c,0,0\nx,c,-1,-1\n'
	write sm.csv $'x,y\n1000,a\n-1000,c\n1000,c\n1000,b\n'
	d eval -w "$T/sm.w" "$T/sm.csv"
	expect_status 0
	# Losses 0, 0, 2000 and 1000: a mean of exactly 750.
	grep -qx 'log_loss,,750' "$T/out"
}

@test "every update rule in sgd mode, every schedule and --l1 train a classifier; --l1 gives exact zeros" {
	for rule in gd momentum nesterov adagrad rmsprop adam adamw; do
		d fit -t y -l logistic -O "$rule" -m sgd -e 10 "$T/yn.csv"
		expect_status 0
		acc=$(sed -n 's/^descend: accuracy \([0-9.]*\) on the training rows$/\1/p' "$T/err")
		echo "$rule sgd: $acc"
		awk -v a="$acc" 'BEGIN { exit !(a >= 0.85) }'
	done
	for schedule in constant invscaling step exponential cosine plateau stagewise; do
		d fit -t Species -l softmax --schedule "$schedule" -e 50 "$DATA/iris.csv"
		expect_status 0
		acc=$(sed -n 's/^descend: accuracy \([0-9.]*\) on the training rows$/\1/p' "$T/err")
		echo "softmax --schedule $schedule: $acc"
		awk -v a="$acc" 'BEGIN { exit !(a >= 0.85) }'
	done
	# A noise column next to a and b: the lasso sets its weight (and only its) to exactly 0.
	awk -F, 'BEGIN { srand(3) } NR == 1 { print $0 ",noise"; next } { printf "%s,%.4f\n", $0, rand() }' \
		"$T/yn.csv" | awk -F, 'BEGIN { OFS = "," } { print $1, $2, $4, $3 }' >"$T/noise.csv"
	d fit -q -t y -l logistic --l1 0.05 -e 500 "$T/noise.csv"
	expect_status 0
	awk -F, '$1 == "noise" && $3 == 0 { z = 1 } $1 ~ /^[ab]$/ && $3 == 0 { bad = 1 } END { exit bad || !z }' "$T/out"
	d fit -q -t Species -l softmax --l1 0.05 -e 300 "$DATA/iris.csv"
	[[ $(awk -F, 'NR > 1 && $1 != "(intercept)" && $3 == 0' "$T/out" | wc -l) -ge 3 ]]
}

@test "a text feature's level not seen in training is an error in predict and eval of a classifier" {
	awk -F, 'BEGIN { OFS = "," } NR == 1 { print "a,b,colour,y"; next }
	    { print $1, $2, (NR % 2 ? "red" : "blue"), $3 }' "$T/yn.csv" >"$T/colour.csv"
	d fit -q -t y -l logistic --categorical colour -e 20 "$T/colour.csv"
	expect_status 0
	cp "$T/out" "$T/w.csv"
	grep -q '^colour=red,yes,' "$T/w.csv"
	printf 'a,b,colour,y\n1,0,red,yes\n0,1,green,no\n' >"$T/new.csv"
	d predict -w "$T/w.csv" "$T/new.csv"
	expect_status 1
	grep -qx "descend: $T/new.csv:3:3: \"green\" in column \"colour\" is a level not seen in training (see --unseen)" "$T/err"
	d eval -w "$T/w.csv" "$T/new.csv"
	expect_status 1
	grep -qx "descend: $T/new.csv:3:3: \"green\" in column \"colour\" is a level not seen in training (see --unseen)" "$T/err"
}

@test "the weights file alone tells a logistic from a two-class softmax model: predict and eval agree on each" {
	d fit -q -t y -l logistic -O lbfgs --l2 0.01 "$T/yn.csv"
	cp "$T/out" "$T/logistic.w"
	d fit -q -t y -l softmax -O lbfgs --l2 0.02 "$T/yn.csv"
	cp "$T/out" "$T/softmax.w"
	[[ $(grep -c '^(intercept),' "$T/logistic.w") == 1 ]]
	grep -qx '(reference),no,0,0' "$T/logistic.w"
	[[ $(grep -c '^(intercept),' "$T/softmax.w") == 2 ]]
	! grep -q '^(reference)' "$T/softmax.w"
	# Two score blocks with λ2 doubled: the softmax optimum has w_no = −w_yes, so it is the
	# logistic regression of z = z_yes − z_no and the same probabilities.
	d predict --proba -w "$T/logistic.w" "$T/yn.csv"
	expect_status 0
	head -n 1 "$T/out" | grep -qx 'prediction,p(no),p(yes)'
	mv "$T/out" "$T/logistic.p"
	d predict --proba -w "$T/softmax.w" "$T/yn.csv"
	expect_status 0
	head -n 1 "$T/out" | grep -qx 'prediction,p(no),p(yes)'
	paste -d, "$T/logistic.p" "$T/out" | awk -F, 'NR > 1 { d = $3 - $6; d = d < 0 ? -d : d
	    if ($1 != $4 || d > 1e-7) { print; bad = 1 } } END { exit bad }'
	d eval -w "$T/logistic.w" "$T/yn.csv"
	awk -F, '$1 == "log_loss" || $1 == "accuracy" { print $3 }' "$T/out" >"$T/logistic.e"
	d eval -w "$T/softmax.w" "$T/yn.csv"
	awk -F, '$1 == "log_loss" || $1 == "accuracy" { print $3 }' "$T/out" |
		paste -d, "$T/logistic.e" - | awk -F, '{ d = $1 - $2; d = d < 0 ? -d : d; if (d > 1e-7) bad = 1 } END { exit bad }'
}

@test "a malformed class weights file is an error naming the file (and line) and what is wrong" {
	cd "$T"
	printf 'a,b,y\n1,2,yes\n' >in.csv
	H='term,class,weight,std_weight'
	printf '%s\n' "$H" '(intercept),yes,0,0' 'a,yes,1,1' 'b,yes,1,1' >noref.w
	printf '%s\n' "$H" '(intercept),yes,0,0' 'a,yes,1,1' 'b,yes,1,1' '(reference),no,0,0' 'b,no,1,1' >afterref.w
	printf '%s\n' "$H" '(intercept),yes,0,0' 'a,yes,1,1' 'b,yes,1,1' '(reference),yes,0,0' >ownref.w
	printf '%s\n' "$H" '(intercept),p,0,0' 'a,p,1,1' 'b,p,1,1' '(intercept),q,0,0' 'a,q,1,1' 'b,q,1,1' '(reference),r,0,0' >refsm.w
	printf '%s\n' "$H" '(intercept),p,0,0' 'a,p,1,1' 'b,p,1,1' '(intercept),q,0,0' 'a,q,1,1' >short.w
	printf '%s\n' "$H" '(intercept),p,0,0' 'a,p,1,1' 'b,p,1,1' '(intercept),q,0,0' 'b,q,1,1' 'a,q,1,1' >order.w
	printf '%s\n' "$H" '(intercept),p,0,0' 'a,p,1,1' '(intercept),q,0,0' 'a,q,1,1' '(intercept),p,0,0' 'a,p,1,1' >apart.w
	printf '%s\n' "$H" '(intercept),p,0,0' 'a,p,x,1' '(intercept),q,0,0' 'a,q,1,1' >badnum.w
	printf '%s\n' "$H" '(intercept),,0,0' 'a,,1,1' '(intercept),q,0,0' 'a,q,1,1' >empty.w
	printf '%s\n' "$H" '(intercept),p,0' >narrow.w
	cat >table <<-'EOF'
	predict -w noref.w in.csv	1	=	descend: noref.w: one class and no (reference) row: not a classification model
	predict -w afterref.w in.csv	1	=	descend: afterref.w:6: a row after the (reference) row
	predict -w ownref.w in.csv	1	=	descend: ownref.w: the (reference) class is the model's own class "yes"
	predict -w refsm.w in.csv	1	=	descend: refsm.w: a (reference) row with 2 classes; only a logistic model (one class) has one
	predict -w short.w in.csv	1	=	descend: short.w: class "q" has 2 terms, class "p" 3
	predict -w order.w in.csv	1	=	descend: order.w:6: term "b" of class "q" is not the term the first class has there
	predict -w apart.w in.csv	1	=	descend: apart.w:6: the rows of class "p" are not together
	predict -w badnum.w in.csv	1	=	descend: badnum.w:3:3: "x" in column "weight" is not a number
	predict -w empty.w in.csv	1	=	descend: empty.w:2:2: empty class label
	predict -w narrow.w in.csv	1	=	descend: narrow.w:2: row has 3 fields, expected 4
	eval -w order.w in.csv	1	=	descend: order.w:6: term "b" of class "q" is not the term the first class has there
	EOF
	run_table table
}
