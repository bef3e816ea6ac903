#!/usr/bin/env bats
# Command-line tests of `descend tune`: the ranked table on stdout (or -o FILE), the best fit
# command on stderr and the exit status, as a user runs it.  The scores are checked against
# `descend fit --cv K --cv-only` run directly with each combination, an independent run of the
# same folds.
#
# The binary is $DESCEND if set, else ../../descend.  Needs bash, awk, cmp and grep (and pgrep
# for the signal tests, which are skipped without it).

load helpers

setup() {
	setup_descend cases
	cp "$DATA/homes.csv" "$CASES/text.csv" "$T/"
	# Where tune makes its copy of standard input: each test's own, so that it can be checked.
	mkdir "$T/tmp"
	export TMPDIR=$T/tmp
}

teardown() {
	# A background tune of a failed signal test must not outlive it.
	if [[ -n ${pid-} ]]; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
}

# A 2×2 grid on the homes, short enough to be quick: 4 combinations, 4 folds.
GRID=(-t price -e 20 --grid learning-rate=0.01,0.1 --grid mode=batch,minibatch --cv 4)

# fit_scores RATE MODE: the mean and sd that `descend fit --cv-only` prints for one
# combination of $GRID, as "MEAN,SD".
fit_scores() {
	"$DESCEND" fit -q -t price -e 20 --learning-rate "$1" --mode "$2" --cv 4 --cv-only \
		"$T/homes.csv" | awk -F, '$1 == "mean" { m = $3 } $1 == "sd" { s = $3 } END { print m "," s }'
}

# ---------------------------------------------------------------- the table

@test "a 2x2 grid: every combination once, ranked by cv_loss, each the mean fit --cv-only prints" {
	d tune "${GRID[@]}" "$T/homes.csv"
	expect_status 0
	[[ $(head -n 1 "$T/out") == 'rank,learning-rate,mode,cv_loss,cv_sd,status' ]]
	[[ $(wc -l <"$T/out") -eq 5 ]]
	# Ranks 1 to 4 in order, every status ok, cv_loss ascending.
	awk -F, 'NR > 1 && ($1 != NR - 1 || $6 != "ok" || (NR > 2 && $4 + 0 < prev)) { exit 1 }
		{ prev = $4 + 0 }' "$T/out" || { cat "$T/out"; false; }
	local rate mode want got
	for rate in 0.01 0.1; do
		for mode in batch minibatch; do
			want=$(fit_scores "$rate" "$mode")
			got=$(awk -F, -v r="$rate" -v m="$mode" '$2 == r && $3 == m { print $4 "," $5 }' "$T/out")
			[[ $got == "$want" ]] || { echo "$rate $mode: tune $got, fit $want"; cat "$T/out"; false; }
		done
	done
}

@test "a grid of learning rate x optimizer, --cv 5, ranked, best command, the same bytes every run and --threads" {
	local args=(-t price -e 20 --grid learning-rate=0.001,0.01,0.1 --grid optimizer=gd,adam --cv 5)
	d tune "${args[@]}" "$T/homes.csv"
	expect_status 0
	[[ $(head -n 1 "$T/out") == 'rank,learning-rate,optimizer,cv_loss,cv_sd,status' ]]
	[[ $(wc -l <"$T/out") -eq 7 ]]
	awk -F, 'NR > 1 && ($1 != NR - 1 || $6 != "ok" || (NR > 2 && $4 + 0 < prev)) { exit 1 }
		{ prev = $4 + 0 }' "$T/out" || { cat "$T/out"; false; }
	local rate rule want got best
	for rate in 0.001 0.01 0.1; do
		for rule in gd adam; do
			want=$("$DESCEND" fit -q -t price -e 20 -r "$rate" -O "$rule" --cv 5 --cv-only "$T/homes.csv" |
				awk -F, '$1 == "mean" { m = $3 } $1 == "sd" { s = $3 } END { print m "," s }')
			got=$(awk -F, -v r="$rate" -v o="$rule" '$2 == r && $3 == o { print $4 "," $5 }' "$T/out")
			[[ $got == "$want" ]] || { echo "$rate $rule: tune $got, fit $want"; false; }
		done
	done
	best=$(sed -n 2p "$T/out")
	[[ $(sed -n 2p "$T/err") == "descend fit -t price -e 20 --learning-rate $(cut -d, -f2 <<<"$best") --optimizer $(cut -d, -f3 <<<"$best") $T/homes.csv" ]] ||
		{ cat "$T/err"; false; }
	mv "$T/out" "$T/want"
	for threads in 1 2; do
		d tune -q --threads "$threads" "${args[@]}" "$T/homes.csv"
		expect_status 0
		expect_same "$T/want" "$T/out"
	done
	d tune -q "${args[@]}" "$T/homes.csv"
	expect_same "$T/want" "$T/out"
	# sgd is a mode here (-m sgd), not an update rule: said before any fit runs.
	d tune -t price --grid optimizer=sgd,adam --cv 5 "$T/homes.csv"
	expect_status 2
	expect_empty "$T/out"
	expect_line '^descend: -O/--optimizer: "sgd" is a mode, not an update rule: use -m sgd'
}

@test "the table is the same bytes whatever -j, also with more jobs than combinations" {
	d tune -q -j 1 "${GRID[@]}" "$T/homes.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	for j in 2 3 16; do
		d tune -q -j "$j" "${GRID[@]}" "$T/homes.csv"
		expect_status 0
		expect_same "$T/want" "$T/out"
	done
}

@test "equal scores keep the order of the combinations, the first grid varying slowest" {
	# --batch-size means nothing in batch mode, so every combination scores the same.
	d tune -q -t price --grid batch-size=8,4 --grid epochs=10,10 --cv 3 "$T/homes.csv"
	expect_status 0
	[[ $(cut -d, -f1-3 "$T/out" | tr '\n' ' ') == 'rank,batch-size,epochs 1,8,10 2,8,10 3,4,10 4,4,10 ' ]] ||
		{ cat "$T/out"; false; }
}

# ---------------------------------------------------------------- the best command

@test "stderr gives the best score and its fit command, which runs as printed" {
	cp "$T/homes.csv" "$T/my homes's.csv"
	d tune "${GRID[@]}" "$T/my homes's.csv"
	expect_status 0
	[[ $(wc -l <"$T/err") -eq 2 ]] || { cat "$T/err"; false; }
	local best cmd
	best=$(awk -F, 'NR == 2' "$T/out")
	expect_line "^descend: best of 4 combinations \\(cv [0-9.e+]+ ± [0-9.e+]+\\):\$"
	cmd=$(sed -n 2p "$T/err")
	[[ $cmd == "descend fit -t price -e 20 --learning-rate $(cut -d, -f2 <<<"$best") --mode $(cut -d, -f3 <<<"$best") '$T/my homes'\\''s.csv'" ]] ||
		{ echo "command: $cmd"; echo "best: $best"; false; }
	# The shell reads it back as the same arguments: it runs, and fits.
	eval "\"\$DESCEND\" ${cmd#descend } -q" >"$T/w.csv"
	[[ $(head -n 1 "$T/w.csv") == 'term,weight,std_weight' ]]
}

@test "fit options after FILE and abbreviated ones are passed on, in full" {
	d tune --grid learning-rate=0.1 --cv 3 "$T/homes.csv" -t price --epo 5
	expect_status 0
	[[ $(sed -n 2p "$T/err") == "descend fit -t price --epochs 5 --learning-rate 0.1 $T/homes.csv" ]] ||
		{ cat "$T/err"; false; }
}

@test "-q prints nothing on stderr, and the same table" {
	d tune "${GRID[@]}" "$T/homes.csv"
	mv "$T/out" "$T/want"
	d tune -q "${GRID[@]}" "$T/homes.csv"
	expect_status 0
	expect_empty "$T/err"
	expect_same "$T/want" "$T/out"
}

@test "--help prints the usage on stdout and exits 0" {
	for h in --help -h; do
		d tune "$h"
		expect_status 0
		expect_empty "$T/err"
		expect_line 'usage: descend tune' "$T/out"
		expect_line '--grid' "$T/out"
	done
}

# ---------------------------------------------------------------- input

@test "standard input (no FILE, and -) and a pipe give the table of FILE and leave no temporary file" {
	d tune -q "${GRID[@]}" "$T/homes.csv"
	mv "$T/out" "$T/want"
	d tune "${GRID[@]}" <"$T/homes.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	[[ $(sed -n 2p "$T/err") == *' --mode '*' -' ]] || { cat "$T/err"; false; }
	expect_line '^descend: \(standard input was read once'
	d tune -q "${GRID[@]}" - <"$T/homes.csv"
	expect_same "$T/want" "$T/out"
	d tune -q "${GRID[@]}" <(cat "$T/homes.csv")
	expect_status 0
	expect_same "$T/want" "$T/out"
	no_files_but "$T/tmp"
}

# ---------------------------------------------------------------- errors

@test "usage errors: each exits 2 with its message and nothing on stdout" {
	cd "$T"
	cat >"$T/table" <<-'EOF'
	tune --grid foo=1,2 --cv 3 homes.csv	2	=	descend: --grid: "foo" is not a long option of fit
	tune --grid learn=1,2 --cv 3 homes.csv	2	=	descend: --grid: "learn" is not a long option of fit
	tune --grid learning-rate --cv 3 homes.csv	2	=	descend: --grid: "learning-rate" is not KEY=VALUE,VALUE,...
	tune --grid learning-rate= --cv 3 homes.csv	2	=	descend: --grid: --learning-rate has no values
	tune --grid learning-rate=0.1,,1 --cv 3 homes.csv	2	=	descend: --grid: --learning-rate: "0.1,,1" has an empty value
	tune --grid learning-rate=0.1, --cv 3 homes.csv	2	=	descend: --grid: --learning-rate: "0.1," has an empty value
	tune --grid learning-rate=0.1 --grid mode=sgd --grid learning-rate=1 --cv 3 homes.csv	2	=	descend: --grid: --learning-rate is given twice
	tune --grid no-header=1 --cv 3 homes.csv	2	=	descend: --grid: --no-header takes no value
	tune --grid output=a.csv,b.csv --cv 3 homes.csv	2	=	descend: --grid: --output cannot be tuned (-o names tune's table)
	tune --grid cv=2,3 --cv 3 homes.csv	2	=	descend: --grid: --cv cannot be tuned (the folds must be the same for every combination)
	tune --grid seed=1,2 --cv 3 homes.csv	2	=	descend: --grid: --seed cannot be tuned (it chooses the folds, which must be the same for every combination)
	tune --grid loss=mse,mae --cv 3 homes.csv	2	=	descend: --grid: --loss cannot be tuned (scores in different losses cannot be ranked; give -l once)
	tune --grid target=price,age --cv 3 homes.csv	2	=	descend: --grid: --target cannot be tuned (each value would predict another column)
	tune --grid validation=0.1 --cv 3 homes.csv	2	=	descend: --grid: --validation cannot be tuned (tune scores by --cv)
	tune -r 0.1 --grid learning-rate=0.01,0.1 --cv 3 homes.csv	2	=	descend: -r/--learning-rate is given both as an option and in --grid
	tune --grid learning-rate=0.01,0.1 --cv 3 --learning-rate 0.1 homes.csv	2	=	descend: -r/--learning-rate is given both as an option and in --grid
	tune --grid r=0.01,0.1 homes.csv	2	=	descend: --grid: "r" is fit's short option -r: a grid takes the long name, learning-rate=0.01,0.1
	tune --grid O=gd,adam homes.csv	2	=	descend: --grid: "O" is fit's short option -O: a grid takes the long name, optimizer=gd,adam
	tune --cv 3 homes.csv	2	^	descend: tune: --grid is required
	tune --grid learning-rate=0.1 --cv 1 homes.csv	2	=	descend: --cv: "1" is not a whole number from 2 to 1000000
	tune --grid learning-rate=0.1 --cv 3 -j 0 homes.csv	2	=	descend: -j/--jobs: "0" is not a whole number from 1 to 4096
	tune --grid learning-rate=0.1 --cv 3 --cv-only homes.csv	2	=	descend: --cv-only cannot be used with tune (tune gives it to every fit)
	tune --grid learning-rate=0.1 --cv 3 --validation 0.2 homes.csv	2	=	descend: --validation cannot be used with tune (tune scores by --cv)
	tune --grid learning-rate=0.1 --cv 3 --early-stop 5 homes.csv	2	=	descend: --early-stop cannot be used with tune (tune scores by --cv)
	tune --grid learning-rate=0.1 --cv 3 --log log.csv homes.csv	2	=	descend: --log cannot be used with tune (tune writes no epoch log)
	tune --grid learning-rate=0.1 --cv 3 --version homes.csv	2	=	descend: --version cannot be used with tune (try descend --version)
	tune --grid learning-rate=0.1 --cv 3 --frobnicate homes.csv	2	^	descend: unknown option "--frobnicate"
	tune --grid learning-rate=0.1 --cv 3 homes.csv -e	2	^	descend: option -e needs an argument
	tune --grid learning-rate=0.1 --cv 3 homes.csv text.csv	2	^	descend: one input file at most; "text.csv" is one too many
	tune -t price --grid mode=batch,foo,bar --cv 3 homes.csv	2	=	descend: -m/--mode: "foo" is not one of batch, sgd, minibatch
	tune -t price -e 0 --grid mode=batch,sgd --cv 3 homes.csv	2	=	descend: -e/--epochs: 0 trains nothing; it needs --init FILE (whose model is then written back)
	tune -t nope --grid mode=batch,sgd --cv 3 homes.csv	2	=	descend: homes.csv: target column "nope" not found (the columns: "sqft", "age", "rooms", "distance", "price")
	tune --grid learning-rate=0.1,1 --cv 3 text.csv	1	=	descend: text.csv:3:1: "abc" in column "sqft" is not a number (a text column: give it as --categorical sqft, or leave it out with --drop sqft)
	tune --grid learning-rate=0.1,1 --cv 3 < text.csv	1	=	descend: <stdin>:3:1: "abc" in column "sqft" is not a number (a text column: give it as --categorical sqft, or leave it out with --drop sqft)
	tune --grid learning-rate=0.1,1 --cv 3 missing.csv	1	=	descend: missing.csv: No such file or directory
	tune -t price --grid learning-rate=0.1,1 --cv 3 -o no/such/dir.csv homes.csv	1	=	descend: no/such/dir.csv: No such file or directory
	tune -t price --grid learning-rate=0.1,1 --cv 2000 homes.csv	1	=	descend: homes.csv: 1000 rows are too few for 2000 folds
	EOF
	run_table "$T/table"
	no_files_but "$T/tmp"
}

@test "the failure reported is the first combination's whatever -j" {
	for j in 1 2 3; do
		d tune -j "$j" -t price --grid mode=batch,foo,bar --cv 3 "$T/homes.csv"
		expect_status 2
		expect_empty "$T/out"
		[[ $(cat "$T/err") == 'descend: -m/--mode: "foo" is not one of batch, sgd, minibatch' ]] ||
			{ cat "$T/err"; false; }
	done
}

@test "a diverging combination is ranked last, with status diverged and no scores" {
	d tune -t price --grid learning-rate=1e6,0.01 --cv 3 "$T/homes.csv"
	expect_status 0
	[[ $(sed -n 2p "$T/out") == 1,0.01,*,ok ]] || { cat "$T/out"; false; }
	[[ $(sed -n 3p "$T/out") == '2,1e6,,,diverged' ]] || { cat "$T/out"; false; }
	expect_line '^descend: 1 of 2 combinations diverged$'
	expect_line "^descend fit -t price --learning-rate 0.01 $T/homes.csv\$"
}

@test "--cv defaults to 5 folds: the same table as --cv 5" {
	d tune -q -t price -e 20 --grid learning-rate=0.01,0.1 "$T/homes.csv"
	expect_status 0
	mv "$T/out" "$T/default"
	d tune -q -t price -e 20 --grid learning-rate=0.01,0.1 --cv 5 "$T/homes.csv"
	expect_same "$T/default" "$T/out"
}

@test "a combination fit refuses is ranked last as invalid, with its reason, and the rest go on" {
	for j in 1 3; do
		d tune -j "$j" -t price -e 20 --grid optimizer=gd,lbfgs --grid mode=batch,sgd "$T/homes.csv"
		expect_status 0
		[[ $(wc -l <"$T/out") == 5 ]]
		[[ $(tail -n 1 "$T/out") == '4,lbfgs,sgd,,,invalid' ]] || { cat "$T/out"; false; }
		[[ $(grep -c ',ok$' "$T/out") == 3 ]]
		expect_line '^descend: invalid: --optimizer lbfgs --mode sgd: -O lbfgs needs -m batch and no --l1$'
		expect_line '^descend: best of 4 combinations'
	done
	# a value refused in every combination is a mistake in the grid: tune stops, status 2
	d tune -t price --grid mode=batch,foo "$T/homes.csv"
	expect_status 2
	expect_empty "$T/out"
	[[ $(cat "$T/err") == 'descend: -m/--mode: "foo" is not one of batch, sgd, minibatch' ]]
}

@test "the best value on the edge of a numeric grid of three or more is warned about" {
	d tune -t price -e 20 --grid learning-rate=0.001,0.01,0.1 "$T/homes.csv"
	expect_status 0
	expect_line '^descend: warning: the best --learning-rate, 0.1, is the largest of its grid: a value above it may do better$'
	d tune -t price -e 20 --grid learning-rate=0.01,0.1,1e6 "$T/homes.csv"
	expect_status 0
	! grep -q 'of its grid' "$T/err"
	d tune -q -t price -e 20 --grid learning-rate=0.001,0.01,0.1 "$T/homes.csv"
	expect_empty "$T/err"
}

@test "every combination diverging exits 3 with fit's message and writes no table" {
	d tune -t price --grid learning-rate=1e5,1e6 --cv 3 -o "$T/t.csv" "$T/homes.csv"
	expect_status 3
	expect_empty "$T/out"
	expect_line '^descend: training diverged at epoch [0-9]+ .*; try a smaller learning rate \(-r\)$'
	expect_line '^descend: all 2 combinations diverged$'
	[[ ! -e $T/t.csv ]]
	d tune -q -t price --grid learning-rate=1e6 --cv 3 "$T/homes.csv"
	expect_status 3
	expect_line '^descend: the only combination diverged$'
}

# ---------------------------------------------------------------- -o

@test "-o writes the table's bytes to FILE, nothing to stdout, and no temporary file" {
	mkdir "$T/o"
	d tune -q "${GRID[@]}" "$T/homes.csv"
	mv "$T/out" "$T/want"
	d tune "${GRID[@]}" -o "$T/o/t.csv" "$T/homes.csv"
	expect_status 0
	expect_empty "$T/out"
	expect_same "$T/want" "$T/o/t.csv"
	expect_line '^descend: best of 4 combinations'
	no_files_but "$T/o" t.csv
}

@test "-o on an error writes nothing and leaves an existing FILE untouched" {
	mkdir "$T/o"
	d tune -o "$T/o/t.csv" --grid learning-rate=0.1,1 --cv 3 "$T/text.csv"
	expect_status 1
	no_files_but "$T/o"
	echo old >"$T/o/t.csv"
	d tune -o "$T/o/t.csv" -t price --grid learning-rate=1e6 --cv 3 "$T/homes.csv"
	expect_status 3
	[[ $(cat "$T/o/t.csv") == old ]]
	no_files_but "$T/o" t.csv
}

# ---------------------------------------------------------------- signals

# start_slow: start, in the background, a tune whose fits take seconds, with standard input as
# its data; its pid in $pid, once it has children (their pids in $kids).
start_slow() {
	command -v pgrep >/dev/null || skip "needs pgrep"
	[[ $(head -c 4 "$DESCEND" | od -An -c | tr -d ' ') == '177ELF' ]] ||
		skip "DESCEND is not a binary but a wrapper: its pid is not tune's"
	"$DESCEND" tune -t price -m sgd -e 1000000 --grid learning-rate=0.001,0.002,0.003 --cv 3 \
		-j 2 <"$T/homes.csv" >"$T/out" 2>"$T/err" &
	pid=$!
	for ((i = 0; i < 400; i++)); do
		kids=$(pgrep -P "$pid" | tr '\n' ' ')
		[[ $(wc -w <<<"$kids") -eq 2 ]] && return 0
		sleep 0.05
	done
	echo "tune has no two children after 20 s"
	return 1
}

# finish_slow: wait for $pid; its exit status in $status; fail if any of $kids still runs.
finish_slow() {
	status=0
	wait "$pid" || status=$?
	pid=
	for k in $kids; do
		if kill -0 "$k" 2>/dev/null; then
			echo "child $k outlived tune"
			return 1
		fi
	done
}

@test "SIGTERM and SIGINT stop the fits and exit 143 and 130, with no table and no temporary file" {
	start_slow
	kill -TERM "$pid"
	finish_slow
	expect_status 143
	expect_empty "$T/out"
	expect_line '^descend: interrupted by SIGTERM; nothing written$'
	no_files_but "$T/tmp"
	start_slow
	kill -INT "$pid"
	finish_slow
	expect_status 130
	no_files_but "$T/tmp"
}

@test "a fit killed by a signal stops tune with exit 1, naming its combination" {
	start_slow
	kill -KILL ${kids%% *}
	finish_slow
	expect_status 1
	expect_empty "$T/out"
	expect_line '^descend: fit with --learning-rate 0.00[12] was killed by signal 9 '
	no_files_but "$T/tmp"
}
