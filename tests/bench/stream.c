/*
 * stream.c: the time of one pass over a matrix of doubles in memory, the
 * yardstick for an epoch (an sgd or mini-batch epoch reads every row once).
 *
 *     stream ROWS COLS            rows in order: a streaming read
 *     stream ROWS COLS shuffled   rows in a new random order each pass, as an
 * sgd or mini-batch epoch visits them stream ROWS COLS touch      only write
 * the matrix once, into memory fresh stream ROWS COLS touch-huge from the
 * kernel, on small pages or on huge ones; run under a timer, the cost of the
 * first touch that a load pays for its rows (where the machine is a virtual one
 * whose host takes back freed memory, it can be most of it)
 *
 * Prints the fastest of 7 passes, in ms. A pass adds up every value with four
 * accumulators, as descend's kernels do, so it is bound by memory, not by the
 * chain of additions. The shuffled pass is the floor of a shuffled epoch: it
 * gets what descend's epochs get (the matrix on transparent huge pages where
 * the kernel gives them when asked, rows asked for 8 ahead of use), and its
 * time includes the shuffle of the row order (Fisher-Yates with xorshift64,
 * each swap's place asked for 16 swaps ahead), which an epoch also pays.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define AHEAD 8
#define SHUFFLE_AHEAD 16

static uint64_t state = 88172645463325252u;

static uint64_t
xorshift(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static void
shuffle(size_t *perm, size_t n)
{
	size_t drawn[SHUFFLE_AHEAD];

	for (size_t m = 0; m + 1 < n && m < SHUFFLE_AHEAD; m++) {
		drawn[m] = (size_t)(xorshift() % (n - m));
		__builtin_prefetch(perm + drawn[m], 1);
	}
	for (size_t m = 0; m + 1 < n; m++) {
		size_t j = drawn[m % SHUFFLE_AHEAD], i = n - 1 - m, t = perm[i];

		if (m + SHUFFLE_AHEAD + 1 < n) {
			drawn[m % SHUFFLE_AHEAD] =
			    (size_t)(xorshift() % (n - m - SHUFFLE_AHEAD));
			__builtin_prefetch(perm + drawn[m % SHUFFLE_AHEAD], 1);
		}
		perm[i] = perm[j];
		perm[j] = t;
	}
}

static void
ask(const double *row, size_t cols)
{
	const char *p = (const char *)row;

	for (size_t b = 0; b < cols * sizeof(double); b += 64)
		__builtin_prefetch(p + b);
	__builtin_prefetch(p + cols * sizeof(double) - 1);
}

/* Write n doubles into a fresh mapping, asking for huge pages if huge. */
static int
first_touch(size_t n, int huge)
{
	size_t bytes = n * sizeof(double);
	double *x = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile double sink;

	if (x == MAP_FAILED) {
		fputs("stream: out of memory\n", stderr);
		return 1;
	}
	(void)madvise(x, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)i;
	sink = x[n / 2];
	(void)sink;
	munmap(x, bytes);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t rows, cols, n, *perm = NULL;
	double *x, best = 1e300, total = 0;
	int shuffled = argc == 4 && strcmp(argv[3], "shuffled") == 0;
	int touch = argc == 4 && strncmp(argv[3], "touch", 5) == 0;

	if ((argc != 3 && !shuffled && !touch) ||
	    (rows = strtoul(argv[1], NULL, 10)) == 0 ||
	    (cols = strtoul(argv[2], NULL, 10)) == 0) {
		fputs(
		    "usage: stream ROWS COLS [shuffled | touch | touch-huge]\n",
		    stderr);
		return 2;
	}
	if (touch)
		return first_touch(rows * cols,
		    strcmp(argv[3], "touch-huge") == 0);
	n = (rows * cols + 3) / 4 * 4;
	if (posix_memalign((void **)&x, (size_t)2 << 20, n * sizeof(*x)) != 0 ||
	    (shuffled && (perm = malloc(rows * sizeof(*perm))) == NULL)) {
		fputs("stream: out of memory\n", stderr);
		return 1;
	}
	(void)madvise(x, n * sizeof(*x), MADV_HUGEPAGE);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)(i % 7);
	for (size_t i = 0; shuffled && i < rows; i++)
		perm[i] = i;
	for (int r = 0; r < 7; r++) {
		struct timespec a, b;
		double s0 = 0, s1 = 0, s2 = 0, s3 = 0, ms;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (!shuffled) {
			for (size_t i = 0; i < n; i += 4) {
				s0 += x[i];
				s1 += x[i + 1];
				s2 += x[i + 2];
				s3 += x[i + 3];
			}
		} else {
			shuffle(perm, rows);
			for (size_t k = 0; k < AHEAD && k < rows; k++)
				ask(x + perm[k] * cols, cols);
			for (size_t k = 0; k < rows; k++) {
				const double *row = x + perm[k] * cols;
				size_t j = 0;

				if (k + AHEAD < rows)
					ask(x + perm[k + AHEAD] * cols, cols);
				for (; j + 4 <= cols; j += 4) {
					s0 += row[j];
					s1 += row[j + 1];
					s2 += row[j + 2];
					s3 += row[j + 3];
				}
				for (; j < cols; j++)
					s0 += row[j];
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		total += (s0 + s1) + (s2 + s3);
		ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		best = ms < best ? ms : best;
	}
	printf("%.2f\n", best);
	free(x);
	free(perm);
	return total <
	    0; /* uses the sums, so the passes are not optimized away */
}
