#!/usr/bin/env bats
# Command-line tests of fit --shards in one process (the input of a fit across machines): the files of a
# glob, read one after the other, train to the same bytes as the one file they were cut from,
# for every kind of pass over the rows. In one process the rows are "spread" over one rank, so
# these runs take the code paths of an MPI job (sums over ranks, the median by counting, the
# mini-batches drawn from a permutation of all rows) with reductions that leave their
# arguments as they are: any arithmetic they did differently would show here. The same
# checks across 2 to 4 ranks are in mpi.bats. Also: headers that differ, globs that match
# nothing, and the options --shards refuses. Needs bash, awk and split.

load helpers

setup_file() {
	# 2,500 rows of 4 features and y, cut into shards of 700 rows, each with the header.
	local dir=$BATS_FILE_TMPDIR
	linear_csv 11 2500 4 3 >"$dir/all.csv"
	cut_shards "$dir/all.csv" "$dir/shards" 700
}

setup() {
	setup_descend .
	S=$BATS_FILE_TMPDIR/shards
	ALL=$BATS_FILE_TMPDIR/all.csv
}

# same ARGS...: fit the whole file, then its shards: the same weights, bit for bit.
same() {
	d fit -q "$@" "$ALL"
	expect_status 0
	cp "$T/out" "$T/want"
	d fit -q "$@" --shards "$S/part-*.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

@test "the shards train to the bytes of the whole file: batch mse, mae (median by counting), huber, sgd, minibatch, lbfgs, exact, stats" {
	[[ $(ls "$S" | wc -l) -eq 4 ]]
	same -e 20
	same -l mae -e 20
	same -l huber -e 20
	same -m sgd -e 2
	same -m minibatch -b 64 -e 5 -O adam
	same -O lbfgs -e 10
	same --solver exact
	same --solver exact --stats --l2 0 -x a,b,c
	same -e 10 --scale minmax --gap
	same -e 10 -t c --drop d --l2 0.1
	same -e 10 --missing drop
}

@test "an even number of rows: the median of mae's start is the mean of the middle two, as sorting gives" {
	# 2,500 rows less one shard of 700: 1,800 rows, even.
	mkdir "$T/even"
	cp "$S"/part-0[012].csv "$T/even"
	{ cat "$S/part-00.csv"; tail -n +2 "$S/part-01.csv"; tail -n +2 "$S/part-02.csv"; } >"$T/even.csv"
	d fit -q -l mae -e 1 -r 1e-300 "$T/even.csv"
	expect_status 0
	cp "$T/out" "$T/want"
	d fit -q -l mae -e 1 -r 1e-300 --shards "$T/even/part-*.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
	# The intercept after a step of 1e-300 is the median of y, computed here by sort(1).
	median=$(tail -n +2 "$T/even.csv" | cut -d, -f5 | sort -g | awk '{ v[NR] = $1 } END { printf "%.17g", v[NR / 2] / 2 + v[NR / 2 + 1] / 2 }')
	got=$(awk -F, '$1 == "(intercept)" { print $3 }' "$T/out")
	awk -v a="$median" -v b="$got" 'BEGIN { d = a - b; exit !(d < 1e-12 && d > -1e-12) }' ||
	    { echo "std intercept $got, median $median"; return 1; }
}

@test "shards of one row, or of none, are no error; the glob is read in sorted order" {
	mkdir "$T/odd"
	head -1 "$ALL" >"$T/odd/p-0.csv"
	head -2 "$ALL" >"$T/odd/p-1.csv"
	{ head -1 "$ALL"; sed -n '3,800p' "$ALL"; } >"$T/odd/p-2.csv"
	d fit -q -e 10 -m minibatch "$T/odd/p-1.csv"
	expect_status 1
	d fit -q -e 10 -m minibatch --shards "$T/odd/p-*.csv"
	expect_status 0
	cp "$T/out" "$T/got"
	head -800 "$ALL" >"$T/first.csv"
	d fit -q -e 10 -m minibatch "$T/first.csv"
	expect_status 0
	expect_same "$T/out" "$T/got"
}

@test "a shard whose header differs, or whose width differs without a header, is an error naming it" {
	mkdir "$T/bad"
	cp "$S/part-00.csv" "$S/part-01.csv" "$T/bad"
	{ echo "a,b,x,d,y"; tail -n +2 "$S/part-02.csv"; } >"$T/bad/part-02.csv"
	d fit -q --shards "$T/bad/part-*.csv"
	expect_status 1
	expect_line "^descend: $T/bad/part-02.csv:1: the header differs from the first shard's \($T/bad/part-00.csv\): column 3 is \"x\", not \"c\"$"
	expect_empty "$T/out"
	for k in 0 1; do tail -n +2 "$S/part-0$k.csv" >"$T/bad/part-0$k.csv"; done
	tail -n +2 "$S/part-02.csv" | cut -d, -f1-4 >"$T/bad/part-02.csv"
	d fit -q --no-header --shards "$T/bad/part-*.csv"
	expect_status 1
	expect_line "^descend: $T/bad/part-02.csv:1: 4 fields, but 5 in the first shard, $T/bad/part-00.csv$"
}

@test "a bad cell in a shard names the shard, its line and column" {
	mkdir "$T/cell"
	cp "$S/part-00.csv" "$T/cell"
	sed '5s/^[^,]*,/oops,/' "$S/part-01.csv" >"$T/cell/part-01.csv"
	d fit -q --shards "$T/cell/part-*.csv"
	expect_status 1
	expect_line "^descend: $T/cell/part-01.csv:5:1: \"oops\" in column \"a\" is not a number"
}

@test "--shards refuses a glob that matches nothing, a file operand, and what it cannot share out" {
	d fit -q --shards "$T/none-*.csv"
	expect_status 2
	expect_line "^descend: --shards: no file matches \"$T/none-\*.csv\"$"
	d fit -q --shards "$S/part-*.csv" "$ALL"
	expect_status 2
	expect_line "^descend: --shards names the input files: give no file operand with it$"
	d fit -q --shards "$S/part-*.csv" --categorical a
	expect_status 2
	expect_line "^descend: --shards cannot be used with --categorical"
	d fit -q --shards "$S/part-*.csv" -l logistic
	expect_status 2
	expect_line "^descend: --shards cannot be used with -l logistic and -l softmax"
	d fit -q --shards "$S/part-*.csv" --cache "$T/c.bin"
	expect_status 2
	expect_line "^descend: --shards cannot be used with --cache"
}

@test "in one process --shards keeps the options that need all rows at hand: --validation, --cv" {
	same -e 10 --validation 0.2
	same -e 5 --cv 3
}

@test "started by mpirun as several processes, commands that do not use MPI refuse, once" {
	d fit -q -o "$T/w.csv" "$ALL"
	expect_status 0
	# The variables mpirun gives its processes (Open MPI's; MPICH's and Slurm's PMI_*).
	local cmd
	for cmd in "predict -w $T/w.csv $ALL" "eval -w $T/w.csv $ALL" \
	    "tune --grid learning-rate=0.1,0.2 $ALL" "completion bash"; do
		OMPI_COMM_WORLD_SIZE=4 OMPI_COMM_WORLD_RANK=0 d $cmd
		expect_status 2
		expect_empty "$T/out"
		expect_line "^descend: ${cmd%% *} does not use MPI: under mpirun each of the 4 processes would run it whole \(only fit is spread across ranks\)$"
		# The other processes exit with the same status, saying nothing.
		PMI_SIZE=3 PMI_RANK=2 d $cmd
		expect_status 2
		expect_empty "$T/out"
		expect_empty "$T/err"
	done
	# fit is refused too when descend was built without MPI; an MPI build runs it (mpi.bats).
	if ! "$DESCEND" --version | grep -q '(MPI: '; then
		OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0 d fit -q "$ALL"
		expect_status 2
		expect_line '^descend: this descend was built without MPI \(make MPI=1 builds it with Open MPI\): under mpirun each of the 2 processes would fit alone$'
	fi
	# One process, or variables that are not a job's, change nothing.
	OMPI_COMM_WORLD_SIZE=1 OMPI_COMM_WORLD_RANK=0 d predict -w "$T/w.csv" "$ALL"
	expect_status 0
	PMI_SIZE=x PMI_RANK=0 d predict -w "$T/w.csv" "$ALL"
	expect_status 0
}
