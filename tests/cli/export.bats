#!/usr/bin/env bats
# descend export: the model as SQL (run in sqlite3), a C function (compiled), a Python
# function and an awk program, each run on the rows predict is run on, must give predict's
# output to 1e-12 relative (labels exactly), missing cells and text levels included.

load helpers

setup() {
	setup_descend .
	MTCARS=$BATS_TEST_DIRNAME/../ref/r/mae/mtcars.csv
}

# want KIND: predict's answer for $T/data.csv with $T/w.csv, one per line, into $T/want:
# the prediction (regression, softmax's label) or logistic's probability of its class.
want() {
	if [[ $1 == logistic ]]; then
		"$DESCEND" predict --proba -w "$T/w.csv" "$T/data.csv" | cut -d, -f3 | tail -n +2 >"$T/want"
	else
		"$DESCEND" predict -w "$T/w.csv" "$T/data.csv" | tail -n +2 >"$T/want"
	fi
	[[ -s $T/want ]]
}

# same FILE: FILE's lines equal $T/want's, numbers within 1e-12 relative.
same() {
	[[ $(wc -l <"$1") == $(wc -l <"$T/want") ]] || {
		echo "$(wc -l <"$1") lines, expected $(wc -l <"$T/want")"
		return 1
	}
	paste -d'|' "$T/want" "$1" | awk -F'|' '
	    function abs(v) { return v < 0 ? -v : v }
	    { a = $1; b = $2; gsub(/"/, "", a); gsub(/"/, "", b) }
	    a ~ /^[a-zA-Z]/ || b ~ /^[a-zA-Z]/ || a == "" || b == "" {
	        if (a != b) { print NR ": " a " against " b; bad = 1 }; next }
	    abs(a - b) > 1e-12 * abs(a) + 1e-300 { print NR ": " a " against " b; bad = 1 }
	    END { exit bad }'
}

# run_sql: the exported SELECT over data.csv in sqlite3, empty and NA cells NULL.
run_sql() {
	"$DESCEND" export --sql --table cars -w "$T/w.csv" >"$T/model.sql"
	local cols
	cols=$(head -n 1 "$T/data.csv" | tr -d '"' | tr ',' '\n')
	{
		echo ".import --csv $T/data.csv cars"
		while read -r c; do
			echo "UPDATE cars SET \"$c\" = NULL WHERE \"$c\" = '' OR \"$c\" = 'NA';"
		done <<<"$cols"
		echo "CREATE VIEW v AS $(sed -e '/^--/d' -e 's/;$//' "$T/model.sql");"
		echo "SELECT CASE typeof(prediction) WHEN 'real' THEN printf('%!.17g', prediction)"
		echo "    ELSE prediction END FROM v;"
	} | sqlite3 >"$T/got"
}

# run_c: the exported function compiled with a driver that reads the columns it takes.
run_c() {
	"$DESCEND" export --c -w "$T/w.csv" >"$T/model.c"
	python3 - "$T/model.c" "$T/data.csv" "$T/driver.c" "$T/rows.tsv" <<'EOF'
import csv, re, sys
src, data, driver, rows = sys.argv[1:]
found = re.findall(r'^ \*   (\S+) +"(.*?)"(, its text| \(NaN)', open(src).read(), re.M)
params = [(p, c) for p, c, _ in found]
text = [kind == ', its text' for _, _, kind in found]
label = 'const char *\ndescend_predict' in open(src).read()
with open(rows, 'w') as out:
    for r in csv.DictReader(open(data)):
        out.write('\t'.join(r[c] if r[c] not in ('', 'NA') else '\\N' for _, c in params) + '\n')
args = []
for i, t in enumerate(text):
    args.append('f[%d]' % i if t else 'num(f[%d])' % i)
with open(driver, 'w') as d:
    d.write('#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n')
    d.write(open(src).read())
    d.write('static double num(const char *s) { return s ? strtod(s, NULL) : NAN; }\n')
    d.write('int main(void) { char line[65536];\n while (fgets(line, sizeof line, stdin)) {\n')
    d.write('  char *f[%d]; char *p = line; line[strcspn(line, "\\n")] = 0;\n' % max(1, len(params)))
    d.write('  for (int i = 0; i < %d; i++) { f[i] = p; p = strchr(p, 9); if (p) *p++ = 0;\n' % len(params))
    d.write('   if (strcmp(f[i], "\\\\N") == 0) f[i] = NULL; }\n')
    if label:
        d.write('  const char *v = descend_predict(%s); puts(v ? v : ""); }\n return 0; }\n' % ', '.join(args))
    else:
        d.write('  double v = descend_predict(%s); if (isnan(v)) puts(""); else printf("%%.17g\\n", v); }\n return 0; }\n' % ', '.join(args))
EOF
	cc -std=c11 -Wall -Werror -ffp-contract=off -o "$T/driver" "$T/driver.c" -lm
	"$T/driver" <"$T/rows.tsv" >"$T/got"
}

# run_python: predict(row) over csv.DictReader's rows.
run_python() {
	"$DESCEND" export --python -w "$T/w.csv" >"$T/model.py"
	python3 - "$T/model.py" "$T/data.csv" >"$T/got" <<'EOF'
import csv, importlib.util, sys
spec = importlib.util.spec_from_file_location('model', sys.argv[1])
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
for row in csv.DictReader(open(sys.argv[2])):
    v = model.predict(row)
    print('' if v is None else v if isinstance(v, str) else '%.17g' % v)
EOF
}

# run_awk: the exported program on the CSV itself.
run_awk() {
	"$DESCEND" export --awk -w "$T/w.csv" >"$T/model.awk"
	awk -F, -f "$T/model.awk" "$T/data.csv" | tail -n +2 >"$T/got"
}

# every KIND: the four languages against predict.
every() {
	local lang
	want "$1"
	for lang in sql c python awk; do
		"run_$lang"
		echo "$lang:"
		same "$T/got"
	done
}

@test "regression on 1000 rows: SQL, C, Python and awk give predict's numbers" {
	cp "$DATA/homes.csv" "$T/data.csv"
	"$DESCEND" fit -q -t price -O lbfgs "$T/data.csv" >"$T/w.csv"
	every regression
}

@test "missing cells take the model's impute value (--missing mean), in every language" {
	cp "$DATA/airquality.csv" "$T/data.csv"
	"$DESCEND" fit -q -t Ozone -x Solar.R,Wind,Temp --missing mean "$T/data.csv" >"$T/w.csv"
	grep -q ',,' "$T/data.csv"
	every regression
	grep -q 'COALESCE(CAST("Solar.R" AS REAL), ' "$T/model.sql"
}

@test "text levels are indicators, as CASE in SQL, with missing numbers imputed" {
	cp "$DATA/Cars93.csv" "$T/data.csv"
	"$DESCEND" fit -q -t Price --categorical Origin,Type --missing mean "$T/data.csv" >"$T/w.csv"
	every regression
	grep -q "WHEN \"Type\" = 'Small' THEN 1 ELSE 0 END" "$T/model.sql"
}

@test "logistic: the probability of the positive class, 1 / (1 + EXP(-z))" {
	cp "$MTCARS" "$T/data.csv"
	"$DESCEND" fit -q -t am -x mpg,wt,hp -l logistic "$T/data.csv" >"$T/w.csv"
	every logistic
	grep -q '^SELECT 1.0 / (1.0 + EXP(-(' "$T/model.sql"
}

@test "softmax: the label of the highest score" {
	cp "$DATA/iris.csv" "$T/data.csv"
	"$DESCEND" fit -q -t Species -l softmax --l2 0.01 "$T/data.csv" >"$T/w.csv"
	every softmax
	grep -q "THEN 'setosa'" "$T/model.sql"
}

@test "every weight reads back to the same double" {
	"$DESCEND" fit -q -t price -O lbfgs "$DATA/homes.csv" >"$T/w.csv"
	"$DESCEND" export --python -w "$T/w.csv" >"$T/model.py"
	cut -d, -f2 "$T/w.csv" | tail -n +2 >"$T/weights"
	# the numbers of the exported code, signs put back, are the weights' doubles
	grep -Eo '(= |[-+] )[0-9][0-9.e+-]* \*|^    z0 = \([0-9.e+-]+' "$T/model.py" |
	    sed -E 's/^(= |    z0 = \()//; s/ \*$//; s/^\+ //; s/^- /-/' >"$T/exported"
	python3 -c 'import sys
a = [float(l) for l in open(sys.argv[1])]
b = [float(l) for l in open(sys.argv[2])]
assert a == b, (a, b)' "$T/weights" "$T/exported"
}

@test "export's usage errors say what is wrong" {
	d export -w "$T/none.csv"
	expect_status 2
	grep -q 'export needs a language: --sql, --c, --python or --awk' "$T/err"
	d export --sql --c -w x.csv
	expect_status 2
	grep -q -- '--sql and --c: export writes one language at a time' "$T/err"
	d export --sql
	expect_status 2
	grep -q 'export needs -w' "$T/err"
	d export --sql -w "$T/none.csv"
	expect_status 1
	d export --sql -w "$DATA/homes.csv"
	expect_status 1
	expect_empty "$T/out"
}
