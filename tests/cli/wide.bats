#!/usr/bin/env bats
# Command-line tests of the exact solver on a wide file: 20,000 rows of 60 features, which
# the solver cuts into 16 row parts (see src/solve.c). The weights and the --stats table must
# be the same bytes whatever --threads and whatever the BLAS thread variables say, and close
# to the model the file was drawn from. Needs awk.

load helpers

setup_file() {
	# y = 1 + Σ c_j·x_j + u, c_j = (j mod 7) − 3, x_j uniform on [−j/2, j/2), u uniform
	# on [−0.5, 0.5): about 10 MB.
	awk 'BEGIN { srand(7); printf "x1"; for (j = 2; j <= 60; j++) printf ",x%d", j
	    print ",y"
	    for (i = 0; i < 20000; i++) { y = 1
		for (j = 1; j <= 60; j++) { x = (rand() - 0.5) * j; y += (j % 7 - 3) * x
		    printf "%.6g,", x }
		printf "%.6g\n", y + rand() - 0.5 } }' >"$BATS_FILE_TMPDIR/wide.csv"
}

setup() {
	setup_descend .
	WIDE=$BATS_FILE_TMPDIR/wide.csv
}

# same ARGS...: fit --solver exact with --threads 1, 2 and 5, and with OPENBLAS_NUM_THREADS
# and BLIS_NUM_THREADS at 1 and 2; standard output must be byte-identical each time.
same() {
	d fit -q -t y --solver exact "$@" --threads 1 "$WIDE"
	expect_status 0
	cp "$T/out" "$T/want"
	for n in 2 5; do
		d fit -q -t y --solver exact "$@" --threads "$n" "$WIDE"
		expect_status 0
		expect_same "$T/want" "$T/out"
	done
	for n in 1 2; do
		OPENBLAS_NUM_THREADS=$n BLIS_NUM_THREADS=$n OMP_NUM_THREADS=$n \
		    d fit -q -t y --solver exact "$@" --threads 2 "$WIDE"
		expect_status 0
		expect_same "$T/want" "$T/out"
	done
}

@test "--solver exact on a wide file: the same weights for any --threads and BLAS threads" {
	same
	# And near the model's: the standard error of c_j is about 0.0071 / j (the noise's sd
	# over x_j's sd over √n), that of the intercept 0.002; at most about 5 of them off.
	awk -F, 'NR > 1 { j = NR - 2; c = j == 0 ? 1 : j % 7 - 3; e = $2 - c
	    if (e < 0) e = -e; if (e > (j == 0 ? 0.01 : 0.036 / j)) { print $1, $2, c; bad = 1 } }
	    END { exit bad }' "$T/want"
}

@test "--solver exact --stats on a wide file: the same table for any --threads and BLAS threads" {
	same --stats-only
	# One line per term, under a header; every slope's t far from 0.
	[[ $(grep -c '^x[0-9]' "$T/want") == 60 ]]
}

@test "--stats with --solver exact gives the weights of --solver exact alone" {
	d fit -q -t y --solver exact --threads 2 "$WIDE"
	expect_status 0
	cp "$T/out" "$T/alone"
	d fit -q -t y --solver exact --stats --threads 2 "$WIDE"
	expect_status 0
	# --stats adds its columns to the weights file; the weights themselves are the same.
	cut -d, -f1,2 "$T/alone" >"$T/want"
	cut -d, -f1,2 "$T/out" >"$T/got"
	expect_same "$T/want" "$T/got"
}

@test "the binary loads its BLAS from its own directory, not the libblas.so.3 alternative" {
	# (Skipped when DESCEND is a wrapper script, as under make valgrind.)
	ldd "$DESCEND" >"$T/ldd" 2>&1 || skip "ldd cannot read $DESCEND"
	grep -q 'blis-serial/libblis\.so' "$T/ldd"
	if grep -E 'lib(blas|lapack|lapacke|openblas)\.so' "$T/ldd"; then
		return 1
	fi
}
