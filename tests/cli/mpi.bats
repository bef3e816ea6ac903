#!/usr/bin/env bats
# Command-line tests of fit across MPI ranks: mpirun -np K with K = 1, 2, 4 (and 3,
# not a power of two) on this host, against the single-process run of the same binary. With
# K = 1 every reduction is a copy and the weights are byte-identical; with K > 1 the sums are
# added in another order (each rank's own sum, then across ranks), so they agree to 1e-12
# relative, not bit for bit. Mini-batches across ranks draw from the same permutation of all
# rows as one process does, so they agree to the same 1e-12. Also: --shards, what rank 0
# alone writes, options refused with one message, the other commands refused, and ranks that fail (a bad cell, a bad
# shard, a missing file, a rank that stops alone): the job ends with that rank's message and
# a non-zero status, within a timeout, never a hang.
#
# Runs only when descend was built with MPI (make MPI=1; `descend --version` then names the
# library) and mpirun is installed; otherwise every test is skipped, saying why. CI builds
# build/mpi/descend with MPI and runs this file against it (.ci/run). Loopback only: mpirun
# starts every rank on this host.

load helpers

setup_file() {
	# 3,000 rows of 5 features and y, the means far from 0; and the same rows as 4 shards.
	local dir=$BATS_FILE_TMPDIR
	awk 'BEGIN { srand(5); print "a,b,c,d,e,y"
	    for (i = 0; i < 3000; i++) { y = 100; line = ""
	        for (j = 0; j < 5; j++) { x = 50 * j + rand() * 20 - 10; y += (j - 2.5) * x; line = line sprintf("%.6f,", x) }
	        printf "%s%.6f\n", line, y + rand() - 0.5 } }' >"$dir/all.csv"
	cut_shards "$dir/all.csv" "$dir/shards" 800
}

setup() {
	setup_descend .
	if ! "$DESCEND" --version | grep -q '(MPI: '; then
		skip "descend was built without MPI (make MPI=1 gives an MPI build; .ci/run tests one)"
	fi
	command -v mpirun >/dev/null || skip "mpirun is not installed (Debian: openmpi-bin)"
	ALL=$BATS_FILE_TMPDIR/all.csv
	S=$BATS_FILE_TMPDIR/shards
}

# mpi K ARGS...: descend on K ranks of this host; as d, with a minute's timeout (status 124).
mpi() {
	local k=$1
	shift
	mpirun_np "$k" "$DESCEND" "$@"
}

# mpirun_np K COMMAND ARGS...: COMMAND on K ranks of this host, as mpi.
mpirun_np() {
	local k=$1
	shift
	status=0
	timeout 60 mpirun --oversubscribe --allow-run-as-root -np "$k" "$@" \
	    >"$T/out" 2>"$T/err" || status=$?
}

# close WANT GOT COLUMNS TOL: fail unless GOT has WANT's rows and terms, and each number in
# the given columns (e.g. "2 3") is within TOL of WANT's, relative to the larger in size.
close() {
	awk -F, -v cols="$3" -v tol="$4" '
	    NR == FNR { want[FNR] = $0; rows = FNR; next }
	    { split(want[FNR], w, ","); if (w[1] != $1) { print "row " FNR ": " $1 ", expected " w[1]; bad = 1 }
	      n = split(cols, c, " ")
	      for (k = 1; k <= n && FNR > 1; k++) { a = w[c[k]] + 0; b = $(c[k]) + 0
	          m = (a < 0 ? -a : a) > (b < 0 ? -b : b) ? (a < 0 ? -a : a) : (b < 0 ? -b : b)
	          d = a - b; if (d < 0) d = -d
	          if (d > tol * m) { printf "row %d (%s) column %d: %.17g, expected %.17g\n", FNR, $1, c[k], b, a; bad = 1 } } }
	    END { if (FNR != rows) { print FNR " rows, expected " rows; bad = 1 }; exit bad }' "$1" "$2"
}

# across ARGS...: one process, then 1, 2, 3 and 4 ranks on FILE: byte-identical on one rank,
# within 1e-12 on more.
across() {
	d fit -q "$@" "$ALL"
	expect_status 0
	cp "$T/out" "$T/want"
	mpi 1 fit -q "$@" "$ALL"
	expect_status 0
	expect_same "$T/want" "$T/out"
	for k in 2 3 4; do
		mpi "$k" fit -q "$@" "$ALL"
		expect_status 0
		close "$T/want" "$T/out" "2 3" 1e-12 || { echo "with $k ranks: $*"; return 1; }
	done
}

@test "batch mse (from the moments): 1 rank byte-identical, 2 to 4 ranks within 1e-12" {
	across -e 50
	across -e 30 --scale minmax --l2 0.01
}

@test "the exact solver (TSQR over ranks) and ridge: 1 rank byte-identical, 2 to 4 within 1e-12" {
	across --solver exact
	across --solver exact --l2 0.5
}

@test "--stats across ranks: the weights and standard errors within 1e-12" {
	d fit -q --solver exact --stats "$ALL"
	expect_status 0
	cp "$T/out" "$T/want"
	for k in 2 4; do
		mpi "$k" fit -q --solver exact --stats "$ALL"
		expect_status 0
		close "$T/want" "$T/out" "2 3 4 5" 1e-12
	done
}

@test "mae, whose start is the median of all ranks' targets, and huber, from passes over the rows" {
	across -l mae -e 30
	across -l huber -e 20 --delta 5
	across -l quantile --tau 0.8 -e 30
}

@test "minibatch and sgd across ranks: the same global batches as one process, within 1e-12" {
	across -m minibatch -b 50 -e 5
	across -m minibatch -b 7 -e 2 -O momentum --seed 9
	across -m sgd -e 1
}

@test "--shards on 2 to 4 ranks (a rank may get no shard): within 1e-12 of the whole file" {
	d fit -q -e 40 "$ALL"
	expect_status 0
	cp "$T/out" "$T/want"
	for k in 1 2 3 4 6; do
		mpi "$k" fit -q -e 40 --shards "$S/part-*.csv"
		expect_status 0
		close "$T/want" "$T/out" "2 3" 1e-12 || { echo "with $k ranks"; return 1; }
	done
	mpi 1 fit -q -e 40 --shards "$S/part-*.csv"
	expect_same "$T/want" "$T/out"
}

@test "rank 0 alone writes: the weights once, -o, --log, the epoch table and the summary" {
	mpi 3 fit -e 4 -o "$T/w.csv" --log "$T/log.csv" "$ALL"
	expect_status 0
	expect_empty "$T/out"
	[[ $(grep -c '^term,' "$T/w.csv") -eq 1 ]]
	[[ $(grep -c '^epoch,' "$T/log.csv") -eq 1 && $(wc -l <"$T/log.csv") -eq 5 ]]
	[[ $(grep -c 'epochs of batch gradient descent' "$T/err") -eq 1 ]]
	[[ $(grep -cE '^ +4 ' "$T/err") -eq 1 ]]
	expect_line '^descend: 3 ranks of 99[0-9] to 100[0-9] rows; 0 bytes allreduced a rank per epoch, [0-9]+ in all$'
	mpi 2 fit -l mae -O gd -e 4 "$ALL"
	expect_status 0
	# mae by gd: the gradient, the loss and the smoothed loss (8 doubles), once: the pass
	# for the loss at the end of an epoch gives the next step its gradient.
	expect_line '^descend: 2 ranks of 1[45][0-9][0-9] to 1[45][0-9][0-9] rows; 64 bytes allreduced a rank per epoch'
	# L-BFGS (batch mae's default): one more pass for each point its line search tries.
	mpi 2 fit -l mae -e 4 "$ALL"
	expect_status 0
	expect_line '^descend: 2 ranks of 1[45][0-9][0-9] to 1[45][0-9][0-9] rows; [0-9]+ bytes allreduced a rank per epoch'
}

@test "options that cannot work across ranks are refused once, by rank 0, with status 2" {
	for opt in "--validation 0.2" "--cv 3" "--drop-duplicates" "--missing mean" \
	    "--categorical a" "-l logistic" "--cache $T/c.bin" \
	    "-l mae --solver exact" "-l quantile --gap"; do
		mpi 2 fit -q $opt "$ALL"
		expect_status 2
		expect_line "^descend: .* cannot be used across 2 ranks \(" ||
		    { echo "with $opt"; return 1; }
		[[ $(grep -c '^descend:' "$T/err") -eq 1 ]] || { cat "$T/err"; return 1; }
	done
	mpi 2 fit -q <"$ALL"
	expect_status 2
	expect_line '^descend: 2 ranks read parts of one file: give it as a file, not standard input'
}

@test "a bad cell in another rank's part stops the job with its file:line:column, status 1" {
	sed '2900s/^[^,]*,/oops,/' "$ALL" >"$T/bad.csv"
	mpi 4 fit -q "$T/bad.csv"
	expect_status 1
	expect_line "^descend: $T/bad.csv:2900:1: \"oops\" in column \"a\" is not a number"
	[[ $(grep -c '^descend:' "$T/err") -eq 1 ]]
	expect_empty "$T/out"
}

@test "commands other than fit are refused under mpirun, once, with status 2" {
	d fit -q -o "$T/w.csv" "$ALL"
	expect_status 0
	mpi 3 predict -w "$T/w.csv" "$ALL"
	((status != 0)) || { echo "mpirun exited 0"; cat "$T/err"; false; }
	expect_empty "$T/out"
	[[ $(grep -c 'descend: predict does not use MPI: under mpirun each of the 3 processes would run it whole' "$T/err") -eq 1 ]] ||
	    { cat "$T/err"; false; }
	# One rank is one process: predict runs.
	mpi 1 predict -w "$T/w.csv" "$ALL"
	expect_status 0
	[[ $(wc -l <"$T/out") -eq 3001 ]]
}

@test "a bad shard on rank 2 of 3 stops the job naming it; so does a header that differs" {
	mkdir "$T/s"
	cp "$S"/part-0[012].csv "$T/s"
	sed '7s/,[^,]*$/,NaNa/' "$S/part-03.csv" >"$T/s/part-03.csv"
	mpi 3 fit -q --shards "$T/s/part-*.csv"
	expect_status 1
	expect_line "^descend: $T/s/part-03.csv:7:6: \"NaNa\" in column \"y\" is not a number \(text in the target: class labels are fitted with -l logistic, two classes, or -l softmax, more\)$"
	{ echo "a,b,c,d,z,y"; tail -n +2 "$S/part-03.csv"; } >"$T/s/part-03.csv"
	mpi 3 fit -q --shards "$T/s/part-*.csv"
	expect_status 1
	expect_line "^descend: $T/s/part-03.csv:1: the header differs from the first shard's \($T/s/part-00.csv\): column 5 is \"z\", not \"e\"$"
}

@test "a rank that cannot open its input, or stops alone before the others, ends the job with its message" {
	# Rank 1 of 3 is given a file that is not there: the ranks agree, and stop at once.
	mpirun_np 3 sh -c 'f=$1; [ "$OMPI_COMM_WORLD_RANK" = 1 ] && f=$2; exec "$0" fit -q "$f"' \
	    "$DESCEND" "$ALL" "$T/missing.csv"
	expect_status 1
	expect_line "^descend: $T/missing.csv: No such file or directory$"
	# Rank 1 of 2 stops at a usage error while rank 0 reads: it waits for the others to stop
	# too (10 s), then shows its message and ends the job (MPI_Abort) with its status.
	mpirun_np 2 sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then exec "$0" fit --bogus "$1"; fi; exec "$0" fit -q "$1"' \
	    "$DESCEND" "$ALL"
	[[ $status -ne 0 && $status -ne 124 ]] || { echo "status $status"; cat "$T/err"; return 1; }
	expect_line '^descend: unknown option "--bogus"$'
}

@test "a file with quoted fields cannot be cut at newlines: rank 0 reads it all, with a warning" {
	awk -F, 'NR == 1 { print; next } { $1 = "\"" $1 "\""; print }' OFS=, "$ALL" >"$T/quoted.csv"
	d fit -q -e 20 "$T/quoted.csv"
	cp "$T/out" "$T/want"
	mpi 2 fit -e 20 "$T/quoted.csv"
	expect_status 0
	expect_line "^descend: warning: $T/quoted.csv has a quoted field or CR line ends"
	expect_line '^descend: 2 ranks of 0 to 3000 rows'
	close "$T/want" "$T/out" "2 3" 1e-12
}
