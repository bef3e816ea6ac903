#!/usr/bin/env bats
# Output that keeps the work: every output path is checked before the input is read, an
# output that is the input is refused, "-" is standard output (standard input for -w), and the
# small conveniences around them (descend help, -e 1e3, a notice when the terminal is read).

load helpers

setup() {
	setup_descend .
	cp "$DATA/homes.csv" "$T/homes.csv"
	WANT=$(md5sum <"$T/homes.csv")
}

@test "an output in a directory that does not exist fails before the input is read" {
	local flag
	for flag in -o --log --plot; do
		# the input never ends: the check must come before reading it
		d fit -t price "$flag" "$T/no/such/dir/out" /dev/zero
		expect_status 1
		expect_empty "$T/out"
		grep -qx "descend: $flag $T/no/such/dir/out: No such file or directory (checked before reading the input, so that no work is lost)" "$T/err"
	done
	chmod 555 "$T" 2>/dev/null
	if [[ $(id -u) != 0 ]]; then
		d fit -t price -o "$T/w.csv" "$T/homes.csv"
		expect_status 1
	fi
	chmod 755 "$T"
}

@test "an output that is the input is refused, and the input stays as it was" {
	local flag
	for flag in -o --log --plot; do
		d fit -t price "$flag" "$T/homes.csv" "$T/homes.csv"
		expect_status 2
		grep -qx "descend: $flag $T/homes.csv is the input, $T/homes.csv: writing it would replace the data" "$T/err"
		[[ $(md5sum <"$T/homes.csv") == "$WANT" ]]
	done
	# through another name of the same file too
	ln "$T/homes.csv" "$T/link.csv"
	d fit -t price -o "$T/link.csv" "$T/homes.csv"
	expect_status 2
	"$DESCEND" fit -q -t price -e 2 --log "$T/log.csv" "$T/homes.csv" >/dev/null
	cp "$T/log.csv" "$T/log.before"
	d plot -o "$T/log.csv" "$T/log.csv"
	expect_status 2
	cmp -s "$T/log.csv" "$T/log.before"
}

@test "- is standard output for -o, --log and plot -o, and standard input for -w" {
	d fit -q -t price -e 5 -o - "$T/homes.csv"
	expect_status 0
	head -n 1 "$T/out" | grep -qx 'term,weight,std_weight'
	[[ ! -e ./- && ! -e $T/- ]]
	cp "$T/out" "$T/w.csv"
	d fit -q -t price -e 5 --log - -o "$T/w2.csv" "$T/homes.csv"
	expect_status 0
	head -n 1 "$T/out" | grep -qx 'epoch,train_loss,val_loss,learning_rate,seconds'
	[[ $(wc -l <"$T/out") == 6 ]]
	cmp -s "$T/w.csv" "$T/w2.csv"
	d fit -q -t price --log - "$T/homes.csv"
	expect_status 2
	grep -q -- '--log - and the weights would both go to standard output' "$T/err"
	"$DESCEND" fit -q -t price -e 5 --log "$T/log.csv" "$T/homes.csv" >/dev/null
	d plot -o - "$T/log.csv"
	expect_status 0
	head -n 2 "$T/out" | grep -q '<svg '
	"$DESCEND" predict -w "$T/w.csv" "$T/homes.csv" >"$T/want"
	status=0
	"$DESCEND" predict -w - "$T/homes.csv" <"$T/w.csv" >"$T/out" 2>"$T/err" || status=$?
	expect_status 0
	expect_same "$T/want" "$T/out"
	d predict -w - <"$T/w.csv"
	expect_status 2
	grep -q -- '-w - reads the weights from standard input, which then cannot also give the data' "$T/err"
}

@test "-e takes 1e3 when it is whole; descend help COMMAND is COMMAND --help" {
	d fit -q -t price -e 1000 "$T/homes.csv"
	cp "$T/out" "$T/want"
	d fit -q -t price -e 1e3 "$T/homes.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d fit -q -t price -e 1.5 "$T/homes.csv"
	expect_status 2
	grep -qx 'descend: -e/--epochs: "1.5" is not a whole number from 0 to 1000000000' "$T/err"
	d fit -q -t price -e 1e10 "$T/homes.csv"
	expect_status 2
	"$DESCEND" fit --help >"$T/want"
	d help fit
	expect_status 0
	expect_same "$T/want" "$T/out"
	d help
	expect_status 0
	grep -q '^commands:' "$T/out"
	d help nope
	expect_status 2
	grep -qx 'descend: help: unknown command "nope"' "$T/err"
}

@test "reading standard input from a terminal says so, unless -q" {
	command -v script >/dev/null
	printf '' | script -qec "$DESCEND fit -t price" /dev/null >"$T/screen" || true
	grep -q 'descend: reading the CSV from standard input, the terminal (end it with Ctrl-D, or name a file)' "$T/screen"
	printf '' | script -qec "$DESCEND fit -q -t price" /dev/null >"$T/screen" || true
	! grep -q 'reading the CSV' "$T/screen"
	# not a terminal: nothing
	d fit -t price <"$T/homes.csv"
	! grep -q 'reading the CSV' "$T/err"
}

@test "--log-every N and auto thin the epoch table on stderr; --log keeps every epoch" {
	d fit -t price -e 25 --log-every 10 --log "$T/log.csv" "$T/homes.csv"
	expect_status 0
	[[ $(awk '$1 ~ /^[0-9]+$/ { printf "%s ", $1 }' "$T/err") == '1 10 20 25 ' ]]
	[[ $(wc -l <"$T/log.csv") == 26 ]]
	local e n
	for e in 1000 100000; do
		d fit -t price -O gd -r 0.001 -e "$e" --log-every auto "$T/homes.csv"
		expect_status 0
		n=$(awk '$1 ~ /^[0-9]+$/' "$T/err" | wc -l)
		echo "-e $e: $n lines"
		((n >= 30 && n <= 50))
		[[ $(awk '$1 ~ /^[0-9]+$/ { print $1 }' "$T/err" | head -n 10 | paste -sd ' ') == '1 2 3 4 5 6 7 8 9 10' ]]
		[[ $(awk '$1 ~ /^[0-9]+$/ { k = $1 } END { print k }' "$T/err") == "$e" ]]
	done
	d fit -t price --log-every 0 "$T/homes.csv"
	expect_status 2
	grep -qx 'descend: --log-every: "0" is not a whole number from 1 to 1000000000' "$T/err"
}

@test "tables pad names by the columns a terminal gives them, not by bytes" {
	printf 'Größe (cm),x,y\n1,2,3\n2,1,5\n3,5,6\n4,3,9\n5,8,10\n6,2,12\n' >"$T/u.csv"
	d fit -t y --solver exact --stats "$T/u.csv"
	expect_status 0
	# the header and the three terms: as many characters each (Latin letters: one column each)
	grep -A3 '^term ' "$T/err" | python3 -c 'import sys
lines = [l.rstrip("\n") for l in sys.stdin.buffer.read().decode("utf-8").splitlines()]
assert len(lines) == 4 and len({len(l) for l in lines}) == 1, lines'
	sed 's/"versicolor"/"vérsicolör"/' "$DATA/iris.csv" >"$T/iu.csv"
	"$DESCEND" fit -q -t Species -l softmax --l2 0.01 "$T/iu.csv" >"$T/w.csv"
	d eval --pretty -w "$T/w.csv" "$T/iu.csv"
	expect_status 0
	# the confusion matrix's rows: as many characters each
	grep -A4 '^confusion' "$T/out" | tail -n 4 | python3 -c 'import sys
lines = sys.stdin.buffer.read().decode("utf-8").splitlines()
assert len({len(l) for l in lines}) == 1, lines'
}
