#!/usr/bin/env bats
# Command-line tests of the outputs for other programs: --format json for fit's weights
# (and --stats-only's table) and for eval's metrics, and fit's --plot chart.
#
# The JSON is parsed by jq (package jq); every number is compared with the CSV that the same
# run writes with --format csv, as doubles (awk reads both texts with strtod), so the JSON
# round-trips exactly; for the weights also as text, and through Python's json to float.hex. The SVG is checked with xmllint (package libxml2-utils).

load helpers

setup() {
	setup_descend .
	command -v jq >/dev/null || skip "needs jq: apt-get install jq"
	command -v xmllint >/dev/null || skip "needs xmllint: apt-get install libxml2-utils"
}

# json_ok [FILE]: fail unless FILE ($T/out by default) is one JSON object that jq parses, with
# no nan or inf (which jq 1.6 would let through) where a value goes.
json_ok() {
	local f=${1:-$T/out}
	[[ $(jq -r 'type' "$f") == object ]] || { echo "not one JSON object:"; cat "$f"; return 1; }
	if grep -Eiq '[:,[] *-?(nan|inf)' "$f"; then
		echo "nan or inf in the JSON:"
		cat "$f"
		return 1
	fi
}

# same_numbers WANT GOT: fail unless the files hold as many lines, each the same double (NA or
# an empty CSV cell matching JSON's null), showing the lines that differ.
same_numbers() {
	if [[ $(wc -l <"$1") != $(wc -l <"$2") ]] || [[ ! -s $1 ]]; then
		echo "line counts differ (or none): $(wc -l <"$1") and $(wc -l <"$2")"
		paste "$1" "$2"
		return 1
	fi
	paste -d '|' "$1" "$2" | awk -F '|' '
		($1 == "NA" || $1 == "") && $2 == "null" { next }
		$1 !~ /^-?[0-9]/ || $1 + 0 != $2 + 0 { print "line " NR ": " $0; bad = 1 }
		END { exit bad }'
}

# csv_column N FILE: column N of the CSV FILE's data rows (no field holds a comma or quote).
csv_column() {
	awk -F, -v c="$1" 'NR > 1 { print $c }' "$2"
}

@test "fit --format json: regression weights, every number the CSV's to the bit" {
	d fit -q -e 200 "$DATA/Boston.csv"
	expect_status 0
	cp "$T/out" "$T/w.csv"
	d fit -q -e 200 --format json "$DATA/Boston.csv"
	expect_status 0
	expect_empty "$T/err"
	json_ok
	[[ $(jq -r .model "$T/out") == regression ]]
	[[ $(jq -r .target "$T/out") == medv ]]
	[[ $(jq -c '[.terms[] | keys_unsorted] | unique' "$T/out") == '[["term","weight","std_weight"]]' ]]
	[[ $(jq -r '.terms[].term' "$T/out") == "$(csv_column 1 "$T/w.csv")" ]]
	jq -r '.terms[].weight' "$T/out" >"$T/got"
	csv_column 2 "$T/w.csv" >"$T/want"
	same_numbers "$T/want" "$T/got"
	jq -r '.terms[].std_weight' "$T/out" >"$T/got"
	csv_column 3 "$T/w.csv" >"$T/want"
	same_numbers "$T/want" "$T/got"
	# Bit for bit, without jq: the number literals are the CSV's text, and a second parser
	# (Python's json, to float) gives the same doubles as Python's float() of the CSV, down
	# to float.hex (which also tells -0 from 0).
	grep -o '"weight": [^,]*, "std_weight": [^}]*' "$T/out" |
		sed 's/"weight": \(.*\), "std_weight": \(.*\)/\1,\2/' >"$T/got"
	cut -d, -f2,3 "$T/w.csv" | tail -n +2 >"$T/want"
	expect_same "$T/want" "$T/got"
	python3 -m json.tool "$T/out" >/dev/null
	python3 -c '
import csv, json, sys
model = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == len(model["terms"]) > 1
for row, term in zip(rows, model["terms"]):
    for key in ("weight", "std_weight"):
        assert float(row[key]).hex() == term[key].hex(), (key, row[key], term[key])
' "$T/out" "$T/w.csv"
	# The CSV is the default, and --format csv gives it too.
	d fit -q -e 200 --format csv "$DATA/Boston.csv"
	expect_same "$T/w.csv" "$T/out"
}

@test "--missing mean and --stats: impute and the statistics, null for NA and for no impute value" {
	awk 'BEGIN { srand(3); print "x,g,z,y"
	    for (i = 0; i < 60; i++) { x = rand() * 10; z = rand(); g = substr("abc", i % 3 + 1, 1)
	        printf "%s,%s,%.5f,%.5f\n", (i % 7 == 3 ? "" : sprintf("%.5f", x)), g, z,
	            3 + 2 * x - z + (g == "b") + rand() } }' >"$T/m.csv"
	d fit -q --solver exact --stats --missing mean --categorical g "$T/m.csv"
	expect_status 0
	cp "$T/out" "$T/w.csv"
	head -n 1 "$T/w.csv" | grep -qx 'term,weight,std_weight,impute,std_error,t,p_value,ci_low,ci_high'
	grep -q '^g=a,.*,NA,NA,NA,NA,NA$' "$T/w.csv"
	d fit -q --solver exact --stats --missing mean --categorical g --format json "$T/m.csv"
	expect_status 0
	json_ok
	[[ $(jq -c '.terms[0] | keys_unsorted' "$T/out") == \
		'["term","weight","std_weight","impute","std_error","t","p_value","ci_low","ci_high"]' ]]
	[[ $(jq -r '.terms[].term' "$T/out") == "$(csv_column 1 "$T/w.csv")" ]]
	[[ $(jq -r '.terms[0].impute' "$T/out") == null ]]
	[[ $(jq -r '.terms[] | select(.term == "g=a") | .p_value' "$T/out") == null ]]
	local c=2 key
	for key in weight std_weight impute std_error t p_value ci_low ci_high; do
		jq -r ".terms[].$key" "$T/out" >"$T/got"
		csv_column $c "$T/w.csv" >"$T/want"
		same_numbers "$T/want" "$T/got" || { echo "in $key"; return 1; }
		c=$((c + 1))
	done
}

@test "logistic: the classes, the positive one, one block of terms; numbers as in the CSV" {
	grep -v setosa "$DATA/iris.csv" >"$T/two.csv"
	for positive in virginica versicolor; do
		d fit -q -l logistic -O lbfgs --positive $positive "$T/two.csv"
		expect_status 0
		grep -v '^(reference),' "$T/out" >"$T/w.csv"
		d fit -q -l logistic -O lbfgs --positive $positive --format json "$T/two.csv"
		expect_status 0
		json_ok
		[[ $(jq -r .model "$T/out") == logistic ]]
		[[ $(jq -r .target "$T/out") == Species ]]
		[[ $(jq -r .positive "$T/out") == $positive ]]
		[[ $(jq -r '.classes[1]' "$T/out") == $positive ]]
		[[ $(jq -r '.classes | length' "$T/out") == 2 ]]
		[[ $(jq -r '.classes[0]' "$T/out") != $positive ]]
		[[ $(jq -r '[.terms[].class] | unique | join(" ")' "$T/out") == $positive ]]
		[[ $(jq -r '.terms[].term' "$T/out") == "$(csv_column 1 "$T/w.csv")" ]]
		jq -r '.terms[] | .weight, .std_weight' "$T/out" >"$T/got"
		awk -F, 'NR > 1 { print $3; print $4 }' "$T/w.csv" >"$T/want"
		same_numbers "$T/want" "$T/got"
	done
}

@test "softmax: every class, and a block of terms per class in the CSV's order" {
	d fit -q -l softmax -O lbfgs "$DATA/iris.csv"
	expect_status 0
	cp "$T/out" "$T/w.csv"
	d fit -q -l softmax -O lbfgs --format json "$DATA/iris.csv"
	expect_status 0
	json_ok
	[[ $(jq -r .model "$T/out") == softmax ]]
	[[ $(jq -r '.classes | join(" ")' "$T/out") == 'setosa versicolor virginica' ]]
	[[ $(jq -r 'has("positive")' "$T/out") == false ]]
	[[ $(jq -r '.terms[] | "\(.term),\(.class)"' "$T/out") == "$(cut -d, -f1,2 "$T/w.csv" | tail -n +2)" ]]
	jq -r '.terms[] | .weight, .std_weight' "$T/out" >"$T/got"
	awk -F, 'NR > 1 { print $3; print $4 }' "$T/w.csv" >"$T/want"
	same_numbers "$T/want" "$T/got"
}

@test "eval --format json, regression: the CSV's metrics, exactly" {
	"$DESCEND" fit -q -e 300 "$DATA/Boston.csv" >"$T/w.csv"
	d eval -w "$T/w.csv" "$DATA/Boston.csv"
	expect_status 0
	cp "$T/out" "$T/metrics.csv"
	d eval -w "$T/w.csv" --format json "$DATA/Boston.csv"
	expect_status 0
	expect_empty "$T/err"
	json_ok
	[[ $(jq -c 'keys_unsorted' "$T/out") == '["n","mse","rmse","mae","r2","constant"]' ]]
	[[ $(jq -c '.constant | keys_unsorted' "$T/out") == '["mse","rmse","mae"]' ]]
	jq -r '.n, .mse, .rmse, .mae, .r2, .constant.mse, .constant.rmse, .constant.mae' "$T/out" >"$T/got"
	csv_column 2 "$T/metrics.csv" >"$T/want"
	same_numbers "$T/want" "$T/got"
	# r2 of a constant target is undefined: null, as NaN cannot be JSON
	printf 'x,y\n1,5\n2,5\n3,5\n' >"$T/flat.csv"
	printf 'term,weight,std_weight\n(intercept),5,0\nx,0,0\n' >"$T/flat_w.csv"
	d eval -w "$T/flat_w.csv" --format json "$T/flat.csv"
	expect_status 0
	json_ok
	[[ $(jq -r .r2 "$T/out") == null ]]
}

# json_path METRIC CLASS: the jq path of eval's CSV line METRIC,CLASS in its JSON.
json_path() {
	case $1 in
	n | log_loss | accuracy | brier) echo ".$1" ;;
	roc_auc | pr_auc) echo ".$1[\$c]" ;;
	precision | recall | f1) echo ".classes[\$c].$1" ;;
	macro_*) echo ".macro.${1#macro_}" ;;
	constant_*) echo ".constant.${1#constant_}" ;;
	predicted:*) echo ".confusion[\$c][\"${1#predicted:}\"]" ;;
	*) echo "no path for $1" >&2; return 1 ;;
	esac
}

@test "eval --format json, classification: per class, macro, constant and confusion, exactly" {
	"$DESCEND" fit -q -l softmax -O lbfgs -e 40 "$DATA/iris.csv" >"$T/w.csv"
	d eval -w "$T/w.csv" "$DATA/iris.csv"
	expect_status 0
	cp "$T/out" "$T/metrics.csv"
	d eval -w "$T/w.csv" --format json "$DATA/iris.csv"
	expect_status 0
	json_ok
	[[ $(jq -c 'keys_unsorted' "$T/out") == '["n","log_loss","accuracy","classes","macro","brier","roc_auc","pr_auc","constant","confusion"]' ]]
	[[ $(jq -r '.classes | keys_unsorted | join(" ")' "$T/out") == 'setosa versicolor virginica' ]]
	[[ $(jq -r '.confusion.versicolor | keys_unsorted | join(" ")' "$T/out") == 'setosa versicolor virginica' ]]
	local metric class value path lines=0
	: >"$T/want"
	: >"$T/got"
	while IFS=, read -r metric class value; do
		path=$(json_path "$metric")
		echo "$value" >>"$T/want"
		jq -r --arg c "$class" "$path" "$T/out" >>"$T/got"
		lines=$((lines + 1))
	done < <(tail -n +2 "$T/metrics.csv")
	[[ $lines == 35 ]]
	same_numbers "$T/want" "$T/got"
	# the counts are whole numbers, as written
	jq -r '.confusion[][]' "$T/out" | grep -vqx '[0-9][0-9]*' && false
	[[ $(jq '[.confusion[][]] | add' "$T/out") == 150 ]]
}

@test "names with quotes, commas, backslashes, newlines, control bytes and non-ASCII are escaped" {
	printf '"q""uote","com,ma",back\\slash,"new\nline","ctl\001\tx","é😀","\377bad",y\n' >"$T/names.csv"
	awk 'BEGIN { srand(5); for (i = 0; i < 30; i++) { s = 0
	    for (j = 1; j <= 7; j++) { v = rand(); s += j * v; printf "%.4f,", v }
	    printf "%.4f\n", s } }' >>"$T/names.csv"
	d fit -q --solver exact --format json "$T/names.csv"
	expect_status 0
	json_ok
	printf '%s\n' '(intercept)' 'q"uote' 'com,ma' 'back\slash' 'new' 'line' $'ctl\001\tx' 'é😀' \
		$'\xef\xbf\xbdbad' >"$T/want"
	jq -r '.terms[].term' "$T/out" >"$T/got"
	expect_same "$T/want" "$T/got"
	grep -qF '"q\"uote"' "$T/out"
	grep -qF '"back\\slash"' "$T/out"
	grep -qF '"new\u000aline"' "$T/out"
	grep -qF '"ctl\u0001\u0009x"' "$T/out"
	grep -qF '"é😀"' "$T/out"
	grep -qF '"\ufffdbad"' "$T/out"
	# labels: in the weights and as keys of eval's JSON
	printf 'x,label\n' >"$T/labels.csv"
	awk 'BEGIN { srand(6); for (i = 0; i < 90; i++) { x = rand() * 3
	    printf "%.4f,%s\n", x, (x < 1 ? "\"a\"\"b\"" : x < 2 ? "\"c,d\\e\"" : "ü\001") } }' \
		>>"$T/labels.csv"
	"$DESCEND" fit -q -l softmax -O lbfgs -e 50 "$T/labels.csv" >"$T/w.csv"
	d fit -q -l softmax -O lbfgs -e 50 --format json "$T/labels.csv"
	expect_status 0
	json_ok
	printf '%s\n' 'a"b' 'c,d\e' $'ü\001' >"$T/want"
	jq -r '.classes[]' "$T/out" >"$T/got"
	expect_same "$T/want" "$T/got"
	d eval -w "$T/w.csv" --format json "$T/labels.csv"
	expect_status 0
	json_ok
	jq -r '.classes | keys_unsorted[]' "$T/out" >"$T/got"
	expect_same "$T/want" "$T/got"
	jq -r '.confusion["a\"b"] | keys_unsorted[]' "$T/out" >"$T/got"
	expect_same "$T/want" "$T/got"
}

@test "--stats-only --format json: the statistics as JSON, equal to the --stats weights' columns" {
	d fit -q -t perm --solver exact --stats "$DATA/rock.csv"
	expect_status 0
	cp "$T/out" "$T/w.csv"
	d fit -q -t perm --solver exact --stats-only --format json "$DATA/rock.csv"
	expect_status 0
	json_ok
	[[ $(jq -c 'keys_unsorted' "$T/out") == \
		'["terms","conf","n","rank","df","sigma","r2","adj_r2","f","f_df1","f_df2","f_p"]' ]]
	[[ $(jq -r '.terms[].term' "$T/out") == "$(csv_column 1 "$T/w.csv")" ]]
	[[ $(jq -r '.n' "$T/out") == $(($(wc -l <"$DATA/rock.csv") - 1)) ]]
	[[ $(jq -r '.conf' "$T/out") == 0.95 ]]
	jq -r '.terms[] | .estimate, .std_error, .t, .p_value, .ci_low, .ci_high' "$T/out" >"$T/got"
	awk -F, 'NR > 1 { print $2; for (c = 4; c <= 8; c++) print $c }' "$T/w.csv" >"$T/want"
	same_numbers "$T/want" "$T/got"
	# the table's R² to its six digits
	"$DESCEND" fit -q -t perm --solver exact --stats-only "$DATA/rock.csv" >"$T/table"
	[[ $(sed -n 's/^R-squared \([^,]*\),.*/\1/p' "$T/table") == $(jq -r '.r2' "$T/out" | awk '{ printf "%.6g", $1 }') ]]
}

@test "-o with --format json writes the file atomically: the bytes of stdout, no temporary file" {
	mkdir "$T/dir"
	d fit -q -e 50 --format json -o "$T/dir/w.json" "$DATA/Boston.csv"
	expect_status 0
	expect_empty "$T/out"
	no_files_but "$T/dir" w.json
	d fit -q -e 50 --format json "$DATA/Boston.csv"
	expect_same "$T/out" "$T/dir/w.json"
}

@test "predict and eval read a JSON weights file as they read the CSV" {
	"$DESCEND" fit -q -e 50 --format json "$DATA/Boston.csv" >"$T/w.json"
	"$DESCEND" fit -q -e 50 "$DATA/Boston.csv" >"$T/w.csv"
	jq -c . "$T/w.json" >"$T/compact.json"
	cd "$T"
	for command in predict eval; do
		"$DESCEND" $command -w w.csv "$DATA/Boston.csv" >"$T/want"
		for w in w.json compact.json; do
			d $command -w $w "$DATA/Boston.csv"
			expect_status 0
			expect_same "$T/want" "$T/out"
		done
	done
}

@test "--format: usage errors" {
	d fit --format xml "$DATA/Boston.csv"
	expect_status 2
	[[ $(head -n 1 "$T/err") == 'descend: --format: "xml" is not one of csv, json' ]]
	d fit --cv 3 --cv-only --format json "$DATA/Boston.csv"
	expect_status 2
	[[ $(head -n 1 "$T/err") == "descend: --format json writes the weights or the --stats-only table; --cv-only writes the folds' scores as CSV" ]]
	d eval --format yaml -w w.csv "$DATA/Boston.csv"
	expect_status 2
	[[ $(head -n 1 "$T/err") == 'descend: --format: "yaml" is not one of csv, json' ]]
	d eval --pretty --format json -w w.csv "$DATA/Boston.csv"
	expect_status 2
	[[ $(head -n 1 "$T/err") == 'descend: --pretty and --format json cannot be combined' ]]
	expect_empty "$T/out"
}

# points [N]: how many points the N-th polyline (1 by default) of the SVG $T/plot.svg has.
points() {
	xmllint --xpath "string((//*[local-name()='polyline'])[${1:-1}]/@points)" "$T/plot.svg" |
		wc -w
}

@test "--plot: valid SVG, the title, the axes, one point per epoch; the weights as before" {
	d fit -q -e 120 "$DATA/Boston.csv"
	cp "$T/out" "$T/w.csv"
	d fit -q -e 120 --plot "$T/plot.svg" "$DATA/Boston.csv"
	expect_status 0
	expect_same "$T/w.csv" "$T/out"
	xmllint --noout "$T/plot.svg"
	[[ $(xmllint --xpath 'name(/*)' "$T/plot.svg") == svg ]]
	[[ $(xmllint --xpath 'string(//*[local-name()="title"])' "$T/plot.svg") == "descend fit $DATA/Boston.csv: mse, gd, batch" ]]
	expect_line '>epoch</text>' "$T/plot.svg"
	expect_line '>mse \(log scale\)</text>' "$T/plot.svg"
	[[ $(grep -c '<polyline' "$T/plot.svg") == 1 ]]
	[[ $(points) == 120 ]]
	! grep -q 'stroke-dasharray' "$T/plot.svg"
	# the same run, the same bytes
	cp "$T/plot.svg" "$T/first.svg"
	d fit -q -e 120 --plot "$T/plot.svg" "$DATA/Boston.csv"
	expect_same "$T/first.svg" "$T/plot.svg"
}

@test "--plot with --validation: a dashed validation curve, the title says so" {
	d fit -q -O adam -m minibatch -e 60 --validation 0.2 -l mae --plot "$T/plot.svg" "$DATA/Boston.csv"
	expect_status 0
	xmllint --noout "$T/plot.svg"
	[[ $(xmllint --xpath 'string(//*[local-name()="title"])' "$T/plot.svg") == "descend fit $DATA/Boston.csv: mae, adam, minibatch (validation)" ]]
	expect_line '>mae \(log scale\)</text>' "$T/plot.svg"
	[[ $(grep -c '<polyline' "$T/plot.svg") == 2 ]]
	[[ $(grep -c '<polyline[^>]*stroke-dasharray' "$T/plot.svg") == 1 ]]
	grep '<polyline' "$T/plot.svg" | tail -n 1 | grep -q stroke-dasharray
	[[ $(points 1) == 60 && $(points 2) == 60 ]]
	expect_line '>train</text>' "$T/plot.svg"
	expect_line '>validation</text>' "$T/plot.svg"
}

@test "--plot: usage errors with --solver exact and --cv-only; an unwritable file exits 1 naming it" {
	d fit --solver exact --plot "$T/plot.svg" "$DATA/Boston.csv"
	expect_status 2
	[[ $(head -n 1 "$T/err") == 'descend: --solver exact runs no epochs: --plot cannot be used with it' ]]
	d fit --cv 3 --cv-only --plot "$T/plot.svg" "$DATA/Boston.csv"
	expect_status 2
	[[ $(head -n 1 "$T/err") == 'descend: --cv-only trains no final model: --plot cannot be used with it' ]]
	[[ ! -e $T/plot.svg ]]
	d fit -q -e 5 --plot "$T/no/such/dir/plot.svg" "$DATA/Boston.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: --plot $T/no/such/dir/plot.svg: No such file or directory (checked before reading the input, so that no work is lost)" ]]
	expect_empty "$T/out"
	if [[ -w /dev/full ]]; then
		d fit -q -e 5 --plot /dev/full "$DATA/Boston.csv"
		expect_status 1
		[[ $(cat "$T/err") == 'descend: /dev/full: No space left on device' ]]
	fi
}

@test "--plot after SIGINT: the epochs that ran are drawn, and their weights written" {
	awk 'BEGIN { srand(9); print "a,b,y"; for (i = 0; i < 20000; i++) { a = rand(); b = rand()
	    printf "%.6f,%.6f,%.6f\n", a, b, 2 * a - b + rand() } }' >"$T/d.csv"
	"$DESCEND" fit -m sgd -e 100000000 --log "$T/log.csv" --plot "$T/plot.svg" "$T/d.csv" \
		>"$T/out" 2>"$T/err" &
	local pid=$! tries=0
	while [[ $(cat "$T/log.csv" 2>/dev/null | wc -l) -lt 4 ]] && ((tries++ < 300)); do
		sleep 0.1
	done
	kill -INT $pid
	status=0
	wait $pid || status=$?
	expect_status 130
	local epochs
	epochs=$(sed -n 's/.*the weights are those of epoch \([0-9]*\)$/\1/p' "$T/err")
	[[ $epochs -ge 3 ]]
	xmllint --noout "$T/plot.svg"
	[[ $(points) == "$epochs" ]]
	[[ $(($(wc -l <"$T/log.csv") - 1)) == "$epochs" ]]
	head -n 1 "$T/out" | grep -qx 'term,weight,std_weight'
}
