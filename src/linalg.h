/*
 * linalg.h: the few dense kernels training needs. Sums use several accumulators
 * in a fixed order, so the result is the same on every machine and the compiler
 * can keep them in vector registers (-ffp-contract=off keeps a*b+c as two
 * roundings).
 */
#ifndef DESCEND_LINALG_H
#define DESCEND_LINALG_H

#include <stddef.h>

/*
 * A kernel compiled twice, for AVX2 and for any x86-64, the copy chosen when
 * the program starts (GCC's function multiversioning), so the binary runs
 * everywhere. Both do the same operations in the same order (the source fixes
 * it, and -ffp-contract=off forbids fused multiply-adds), so the results are
 * the same bits on every machine.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LINALG_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define LINALG_KERNEL
#endif

/*
 * STEP(j) for j from 0 to n - 1: four at a time, which GCC at -O2 turns into
 * vector operations when the four are alike and the pointers restrict, then
 * the rest one by one.
 */
#define LINALG_BY_FOURS(n, STEP) \
	do { \
		size_t j_ = 0; \
\
		for (; j_ + 4 <= (n); j_ += 4) { \
			STEP(j_); \
			STEP(j_ + 1); \
			STEP(j_ + 2); \
			STEP(j_ + 3); \
		} \
		for (; j_ < (n); j_++) \
			STEP(j_); \
	} while (0)

/* Σ a[i]·b[i] over n values. */
double linalg_dot(const double *a, const double *b, size_t n);

/*
 * The four dot products of a with b, b + stride, b + 2·stride and b + 3·stride
 * (n values each) into out, each the bits linalg_dot gives: the four run side
 * by side, so that their chains of additions overlap instead of one waiting on
 * the next.
 */
void linalg_dot4(const double *a, const double *b, size_t stride, size_t n,
    double *out);

/* y += alpha·x over n values; x and y do not overlap. */
void linalg_axpy(double alpha, const double *restrict x, double *restrict y,
    size_t n);

/* y = A·x for a (p, p) row-major matrix A. */
void linalg_matvec(const double *a, const double *x, double *y, size_t p);

/*
 * Largest eigenvalue of the symmetric positive semi-definite (p, p) matrix a,
 * by power iteration from a fixed start: the Rayleigh quotient, once it changes
 * by less than 1e-9 relative (at most 1000 iterations). It approaches from
 * below, so with two nearly equal top eigenvalues it may fall short by that
 * much. Returns 0 for the zero matrix.
 */
double linalg_max_eigenvalue(const double *a, size_t p);

/*
 * The same for a matrix given as an operator: apply(ctx, x, y) sets y = A·x for
 * vectors of p values.
 */
double linalg_max_eigenvalue_op(void (*apply)(void *ctx, const double *x,
				    double *y),
    void *ctx, size_t p);

#endif
