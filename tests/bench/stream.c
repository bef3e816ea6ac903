/*
 * stream.c: the time of one streaming pass over a matrix of doubles in memory, the
 * yardstick of issue 6 for an epoch (an sgd or mini-batch epoch reads every row once).
 *
 *     stream ROWS COLS        (prints the fastest of 7 passes, in ms)
 *
 * The pass adds up every value with four accumulators, as descend's kernels do, so it
 * is bound by memory, not by the chain of additions.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	size_t rows, cols, n;
	double *x, best = 1e300, total = 0;

	if (argc != 3 || (rows = strtoul(argv[1], NULL, 10)) == 0 ||
	    (cols = strtoul(argv[2], NULL, 10)) == 0) {
		fputs("usage: stream ROWS COLS\n", stderr);
		return 2;
	}
	n = (rows * cols + 3) / 4 * 4;
	if ((x = malloc(n * sizeof(*x))) == NULL) {
		fputs("stream: out of memory\n", stderr);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		x[i] = (double)(i % 7);
	for (int r = 0; r < 7; r++) {
		struct timespec a, b;
		double s0 = 0, s1 = 0, s2 = 0, s3 = 0, ms;

		clock_gettime(CLOCK_MONOTONIC, &a);
		for (size_t i = 0; i < n; i += 4) {
			s0 += x[i];
			s1 += x[i + 1];
			s2 += x[i + 2];
			s3 += x[i + 3];
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		total += (s0 + s1) + (s2 + s3);
		ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		best = ms < best ? ms : best;
	}
	printf("%.2f\n", best);
	free(x);
	return total < 0;	/* uses the sums, so the passes are not optimized away */
}
