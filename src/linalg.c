/*
 * linalg.c: dense kernels with a fixed order of additions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "linalg.h"

LINALG_KERNEL double
linalg_dot(const double *a, const double *b, size_t n)
{
	/* Four independent chains, so the adds pipeline; summed in a fixed
	 * order. */
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		s0 += a[i] * b[i];
		s1 += a[i + 1] * b[i + 1];
		s2 += a[i + 2] * b[i + 2];
		s3 += a[i + 3] * b[i + 3];
	}
	for (; i < n; i++)
		s0 += a[i] * b[i];
	return (s0 + s1) + (s2 + s3);
}

/*
 * Four doubles that GCC and Clang add and multiply lane by lane, each lane an
 * IEEE operation of its own (the same bits as scalar code): one 256-bit
 * register in the AVX2 clone, two 128-bit ones otherwise.
 */
typedef double lanes4 __attribute__((vector_size(4 * sizeof(double))));

LINALG_KERNEL void
linalg_dot4(const double *a, const double *b, size_t stride, size_t n,
    double *out)
{
	/*
	 * Lane l of sk is linalg_dot's chain l of product k. Written with
	 * vectors, since GCC does not find them in sixteen scalar chains.
	 */
	const double *b0 = b, *b1 = b + stride, *b2 = b + 2 * stride;
	const double *b3 = b + 3 * stride;
	lanes4 s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 }, x, y;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		memcpy(&x, a + i, sizeof(x));
#define CHAIN(sk, bk) (memcpy(&y, (bk) + i, sizeof(y)), (sk) += x * y)
		CHAIN(s0, b0);
		CHAIN(s1, b1);
		CHAIN(s2, b2);
		CHAIN(s3, b3);
#undef CHAIN
	}
	for (; i < n; i++) {
		s0[0] += a[i] * b0[i];
		s1[0] += a[i] * b1[i];
		s2[0] += a[i] * b2[i];
		s3[0] += a[i] * b3[i];
	}
	out[0] = (s0[0] + s0[1]) + (s0[2] + s0[3]);
	out[1] = (s1[0] + s1[1]) + (s1[2] + s1[3]);
	out[2] = (s2[0] + s2[1]) + (s2[2] + s2[3]);
	out[3] = (s3[0] + s3[1]) + (s3[2] + s3[3]);
}

LINALG_KERNEL void
linalg_axpy(double alpha, const double *restrict x, double *restrict y,
    size_t n)
{
#define AXPY(i) (y[i] += alpha * x[i])
	LINALG_BY_FOURS(n, AXPY);
#undef AXPY
}

void
linalg_matvec(const double *a, const double *x, double *y, size_t p)
{
	for (size_t i = 0; i < p; i++)
		y[i] = linalg_dot(a + i * p, x, p);
}

double
linalg_max_eigenvalue_op(void (*apply)(void *ctx, const double *x, double *y),
    void *ctx, size_t p)
{
	double *v = xcalloc(p, sizeof(double)),
	       *av = xcalloc(p, sizeof(double));
	double lambda = 0, norm;

	/* A fixed, dense start vector: not orthogonal to any eigenvector in
	 * practice. */
	for (size_t i = 0; i < p; i++)
		v[i] = 1.0 + (double)i / (double)p;
	for (int it = 0; it < 1000; it++) {
		double previous = lambda;

		norm = sqrt(linalg_dot(v, v, p));
		if (norm == 0)
			break;
		for (size_t i = 0; i < p; i++)
			v[i] /= norm;
		apply(ctx, v, av);
		lambda = linalg_dot(v, av,
		    p); /* Rayleigh quotient, v of unit length */
		memcpy(v, av, p * sizeof(double));
		if (it > 0 && fabs(lambda - previous) <= 1e-9 * fabs(lambda))
			break;
	}
	free(v);
	free(av);
	return lambda;
}

/* The operator of a dense matrix. */
struct dense {
	const double *a;
	size_t p;
};

static void
apply_dense(void *ctx, const double *x, double *y)
{
	const struct dense *d = ctx;

	linalg_matvec(d->a, x, y, d->p);
}

double
linalg_max_eigenvalue(const double *a, size_t p)
{
	struct dense d = { a, p };

	return linalg_max_eigenvalue_op(apply_dense, &d, p);
}
