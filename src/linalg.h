/*
 * linalg.h: the few dense kernels training needs. Sums use several accumulators in a
 * fixed order, so the result is the same on every machine and the compiler can keep
 * them in vector registers (-ffp-contract=off keeps a*b+c as two roundings).
 */
#ifndef DESCEND_LINALG_H
#define DESCEND_LINALG_H

#include <stddef.h>

/* Σ a[i]·b[i] over n values. */
double linalg_dot(const double *a, const double *b, size_t n);

/* y += alpha·x over n values. */
void linalg_axpy(double alpha, const double *x, double *y, size_t n);

/* y = A·x for a (p, p) row-major matrix A. */
void linalg_matvec(const double *a, const double *x, double *y, size_t p);

/*
 * Largest eigenvalue of the symmetric positive semi-definite (p, p) matrix a, by
 * power iteration from a fixed start: the Rayleigh quotient, once it changes by less
 * than 1e-9 relative (at most 1000 iterations). It approaches from below, so with
 * two nearly equal top eigenvalues it may fall short by that much. Returns 0 for the
 * zero matrix.
 */
double linalg_max_eigenvalue(const double *a, size_t p);

/*
 * The same for a matrix given as an operator: apply(ctx, x, y) sets y = A·x for
 * vectors of p values.
 */
double linalg_max_eigenvalue_op(void (*apply)(void *ctx, const double *x,
    double *y), void *ctx, size_t p);

#endif
