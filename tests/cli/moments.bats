#!/usr/bin/env bats
# Command-line tests of batch MSE with and without the moments of the data (src/train.c,
# use_moments): DESCEND_MOMENTS=1 or 0 forces each way; the weights must agree to 1e-12
# relative, the moments path must give the same bytes for --threads 1, 2 and 5, and the
# summary must say when the epochs were passes over the rows. 5,000 rows of 70 features:
# the moments are the BLAS's rank-k updates there (src/dataset.c). Needs awk.

load helpers

setup_file() {
	# y = 1 + Σ c_j·x_j + u, c_j = (j mod 5) − 2 + 0.5, x_j uniform on [−j/2, j/2) + j,
	# u uniform on [−0.5, 0.5).
	awk 'BEGIN { srand(11); printf "x1"; for (j = 2; j <= 70; j++) printf ",x%d", j
	    print ",y"
	    for (i = 0; i < 5000; i++) { y = 1
		for (j = 1; j <= 70; j++) { x = (rand() - 0.5) * j + j
		    y += (j % 5 - 1.5) * x; printf "%.6g,", x }
		printf "%.6g\n", y + rand() - 0.5 } }' >"$BATS_FILE_TMPDIR/m.csv"
}

setup() {
	setup_descend .
	M=$BATS_FILE_TMPDIR/m.csv
}

# agree A B: the weight columns of two weight files agree to 1e-12 relative, against
# the largest weight of each file.
agree() {
	awk -F, 'NR == FNR { if (FNR > 1) w[FNR] = $2; next }
	    FNR > 1 { d = $2 - w[FNR]; if (d < 0) d = -d; if (d > diff) diff = d
		a = $2 < 0 ? -$2 : $2; if (a > big) big = a }
	    END { print "largest difference", diff, "largest weight", big
		exit !(diff <= 1e-12 * big) }' "$1" "$2"
}

@test "batch mse: the moments and the passes give the same weights to 1e-12" {
	for opts in "-r 0.1 -e 40" "-e 25" "-O momentum -r 0.05 -e 30"; do
		DESCEND_MOMENTS=1 d fit -q -t y $opts "$M"
		expect_status 0
		cp "$T/out" "$T/with"
		DESCEND_MOMENTS=0 d fit -q -t y $opts "$M"
		expect_status 0
		agree "$T/with" "$T/out"
	done
}

@test "batch mse from the moments: the same bytes for --threads 1, 2 and 5" {
	DESCEND_MOMENTS=1 d fit -q -t y -e 50 --threads 1 "$M"
	expect_status 0
	cp "$T/out" "$T/want"
	for t in 2 5; do
		DESCEND_MOMENTS=1 d fit -q -t y -e 50 --threads "$t" "$M"
		expect_status 0
		cmp "$T/want" "$T/out"
	done
}

@test "the summary says when the epochs were passes over the rows" {
	# 71 terms: 2 epochs at a given rate are cheaper as passes, 100 are not.
	d fit -t y -r 0.1 -e 2 "$M"
	expect_status 0
	grep -q "each epoch a pass over the rows, without the moments" "$T/err"
	d fit -t y -r 0.1 -e 100 "$M"
	expect_status 0
	! grep -q "a pass over the rows" "$T/err"
	# The auto rate needs λmax, which the moments give: they are built.
	d fit -t y -e 2 "$M"
	expect_status 0
	! grep -q "a pass over the rows" "$T/err"
}
