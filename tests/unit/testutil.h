/*
 * testutil.h: small helpers shared by the cmocka unit tests
 * (tests/unit/test_*.c): number comparisons that print both values and the
 * tolerance, input given to the readers through a file descriptor, a random
 * generator of the tests' own (so that test data do not depend on the module
 * under test), and an independent dense linear solver for the normal equations,
 * and the DESCEND_TEST filter of the cases run. Everything is static (inline);
 * include after <cmocka.h>.
 */
#ifndef DESCEND_TESTUTIL_H
#define DESCEND_TESTUTIL_H

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Running one case                                                          */
/* ------------------------------------------------------------------------ */

/*
 * DESCEND_TEST=PATTERN in the environment runs only the cases whose names match
 * it (cmocka's filter: * and ? wildcards), in every test binary that includes
 * this file: set before main, so the binaries' mains need nothing of their own.
 */
__attribute__((constructor)) static void
tu_filter_from_environment(void)
{
	const char *pattern = getenv("DESCEND_TEST");

	if (pattern != NULL && *pattern != '\0')
		cmocka_set_test_filter(pattern);
}

/* ------------------------------------------------------------------------ */
/* Comparing numbers                                                         */
/* ------------------------------------------------------------------------ */

/*
 * Fail unless |got − want| <= tol. NaN in either fails. Prints the expressions,
 * both values with 17 digits, the difference and the tolerance.
 */
#define assert_near(got, want, tol) \
	do { \
		double got_ = (got), want_ = (want), tol_ = (tol); \
		if (!(fabs(got_ - want_) <= tol_)) { \
			print_error("%s = %.17g\nexpected %s = %.17g\n" \
				    "|difference| %.3g > tolerance %.3g\n", \
			    #got, got_, #want, want_, fabs(got_ - want_), \
			    tol_); \
			fail(); \
		} \
	} while (0)

/* Relative comparison: |got − want| <= rel·|want| (so want = 0 asks for exact
 * 0). */
#define assert_rel(got, want, rel) \
	do { \
		double wr_ = (want); \
		assert_near((got), wr_, (rel)*fabs(wr_)); \
	} while (0)

/* Bit-identical doubles (so −0 differs from 0 and NaN payloads count). */
#define assert_same_double(got, want) \
	do { \
		double gb_ = (got), wb_ = (want); \
		if (memcmp(&gb_, &wb_, sizeof gb_) != 0) { \
			print_error( \
			    "%s = %.17g (%a)\nexpected %s = %.17g (%a), bit for bit\n", \
			    #got, gb_, gb_, #want, wb_, wb_); \
			fail(); \
		} \
	} while (0)

/* Fail unless the string hay contains needle; prints both. */
#define assert_contains(hay, needle) \
	do { \
		const char *h_ = (hay), *n_ = (needle); \
		if (strstr(h_, n_) == NULL) { \
			print_error("\"%s\"\ndoes not contain \"%s\"\n", h_, \
			    n_); \
			fail(); \
		} \
	} while (0)

/* ------------------------------------------------------------------------ */
/* Input through a file descriptor                                           */
/* ------------------------------------------------------------------------ */

/*
 * A file descriptor open for reading on a copy of the len bytes at s: an
 * unlinked temporary file, positioned at its start. Close it when done.
 */
static inline int
tu_tmpfd(const char *s, size_t len)
{
	char path[] = "/tmp/descend-test-XXXXXX";
	int fd = mkstemp(path);
	size_t off = 0;

	if (fd == -1)
		return -1;
	unlink(path);
	while (off < len) {
		ssize_t k = write(fd, s + off, len - off);
		if (k <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)k;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The read end of a pipe fed with the len bytes at s by a child process, in
 * pieces of chunk bytes (so the reader sees short reads of odd sizes). Store
 * the child's pid in *pid; call tu_pipe_finish afterwards. Works for any size.
 */
static inline int
tu_pipefd(const char *s, size_t len, size_t chunk, pid_t *pid)
{
	int p[2];

	*pid = -1;
	if (pipe(p) == -1)
		return -1;
	*pid = fork();
	if (*pid == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (*pid == 0) {
		size_t off = 0;
		close(p[0]);
		while (off < len) {
			size_t want = len - off < chunk ? len - off : chunk;
			ssize_t k = write(p[1], s + off, want);
			if (k <= 0)
				_exit(1);
			off += (size_t)k;
		}
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

/* Close the pipe's read end and reap the writer. */
static inline void
tu_pipe_finish(int fd, pid_t pid)
{
	int status;

	close(fd);
	if (pid <= 0)
		return;
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

/* Read all of a (small) file into a malloc'd NUL-terminated string, or NULL. */
static inline char *
tu_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int c;

	if (f == NULL)
		return NULL;
	while ((c = getc(f)) != EOF) {
		if (len + 1 >= cap) {
			cap = cap ? 2 * cap : 256;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
		buf[len++] = (char)c;
	}
	fclose(f);
	if (buf == NULL)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

/* ------------------------------------------------------------------------ */
/* The tests' own random numbers (xorshift64*), independent of rng.c          */
/* ------------------------------------------------------------------------ */

static inline uint64_t
tu_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* Uniform in [0, 1). */
static inline double
tu_unif(uint64_t *s)
{
	return (double)(tu_rand(s) >> 11) * 0x1p-53;
}

/* Uniform integer in [0, n). The slight modulo bias does not matter for test
 * data. */
static inline unsigned
tu_below(uint64_t *s, unsigned n)
{
	return (unsigned)(tu_rand(s) % n);
}

/* Standard normal deviate (Box-Muller). */
static inline double
tu_normal(uint64_t *s)
{
	double u1 = 1.0 - tu_unif(s), u2 = tu_unif(s);

	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ------------------------------------------------------------------------ */
/* Dense linear algebra, written independently of linalg.c                   */
/* ------------------------------------------------------------------------ */

/*
 * Solve a·x = b for the (p, p) row-major matrix a by Gaussian elimination with
 * partial pivoting. a and b are overwritten; the solution is left in b.
 * Returns 0, or -1 if a pivot is exactly zero.
 */
static inline int
tu_solve(double *a, double *b, size_t p)
{
	for (size_t k = 0; k < p; k++) {
		size_t piv = k;
		for (size_t i = k + 1; i < p; i++)
			if (fabs(a[i * p + k]) > fabs(a[piv * p + k]))
				piv = i;
		if (a[piv * p + k] == 0.0)
			return -1;
		if (piv != k) {
			for (size_t j = 0; j < p; j++) {
				double t = a[k * p + j];
				a[k * p + j] = a[piv * p + j];
				a[piv * p + j] = t;
			}
			double t = b[k];
			b[k] = b[piv];
			b[piv] = t;
		}
		for (size_t i = k + 1; i < p; i++) {
			double f = a[i * p + k] / a[k * p + k];
			for (size_t j = k; j < p; j++)
				a[i * p + j] -= f * a[k * p + j];
			b[i] -= f * b[k];
		}
	}
	for (size_t k = p; k-- > 0;) {
		double s = b[k];
		for (size_t j = k + 1; j < p; j++)
			s -= a[k * p + j] * b[j];
		b[k] = s / a[k * p + k];
	}
	return 0;
}

/*
 * Ridge with an unpenalised intercept by the normal equations, given x (n,
 * stride) row-major whose first d values of a row are the features and y at
 * offset d: the minimiser (d + 1 values in w: intercept, then features) of
 * (1/n)·Σ(y − w0 − Σ wj xj)² + lambda·Σ wj², from
 * (A1ᵀA1/n + lambda·diag(0, 1, …, 1))·w = A1ᵀy/n. Returns 0, or -1 if singular.
 */
static inline int
tu_ridge(const double *x, size_t n, size_t d, size_t stride, double lambda,
    double *w)
{
	size_t p = d + 1;
	double *a = calloc(p * p, sizeof *a);
	int rc;

	if (a == NULL)
		abort();
	for (size_t k = 0; k < p; k++)
		w[k] = 0.0;
	for (size_t i = 0; i < n; i++) {
		const double *row = x + i * stride;
		for (size_t r = 0; r < p; r++) {
			double xr = r == 0 ? 1.0 : row[r - 1];
			for (size_t c = 0; c < p; c++)
				a[r * p + c] += xr *
				    (c == 0 ? 1.0 : row[c - 1]) / (double)n;
			w[r] += xr * row[d] / (double)n;
		}
	}
	for (size_t k = 1; k < p; k++)
		a[k * p + k] += lambda;
	rc = tu_solve(a, w, p);
	free(a);
	return rc;
}

/*
 * Least squares with an intercept by the normal equations: given x (n, stride)
 * row-major whose first d values of a row are the features and y at offset d,
 * put into w (d + 1: intercept, then features) the minimiser of Σ(y − w0 − Σ wj
 * xj)²: ridge with λ = 0. Returns 0, or -1 if XᵀX is singular.
 */
static inline int
tu_least_squares(const double *x, size_t n, size_t d, size_t stride, double *w)
{
	return tu_ridge(x, n, d, stride, 0, w);
}

#endif
