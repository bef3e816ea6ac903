/*
 * solve.h: exact least squares, and ridge, without gradient descent. A
 * Householder QR factorization from LAPACK (through LAPACKE), a tall-skinny QR
 * over row parts fixed by the data's shape, on several threads, each part taken
 * a block of rows at a time, so that it needs memory for a block per thread,
 * not a copy of the data; never the normal equations, which square the
 * condition number.
 */
#ifndef DESCEND_SOLVE_H
#define DESCEND_SOLVE_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"

/*
 * A column counts as aliased when the part of it that the columns before it do
 * not explain is shorter than SOLVE_TOL times the column (|R_jj| ≤ tol·‖x_j‖).
 * R's lm uses 1e-7, which declares the NIST Filip problem (degree-10
 * polynomial, certified by NIST as solvable) rank-deficient; rounding in a QR
 * of n rows leaves parts of about n·1e-16 in a column that is an exact
 * combination of others.
 */
#define SOLVE_TOL 1e-11

/*
 * A QR factorization built a block of rows at a time (see solve.c): the q × q
 * triangle R̃ of the rows so far, and room for up to ld − q new rows under it.
 */
struct qr_stack {
	size_t q;    /* columns */
	size_t ld;   /* rows of a: q for R̃, then the new rows */
	double *a;   /* (ld, q) column-major */
	double *tau; /* (q) Householder scalars */
	double *r;   /* (q, q) column-major: R̃ so far (0 at first) */
};

/*
 * A stack of q columns with room for rows new rows, R̃ = 0 (exits on no
 * memory).
 */
void qr_stack_init(struct qr_stack *s, size_t q, size_t rows);
void qr_stack_free(struct qr_stack *s);

/*
 * Factorize R̃ stacked on the `rows` rows written in s->a below it (rows q to
 * q + rows − 1), and keep the new R̃ in s->r. Returns 0, or -1 with e filled
 * (EXIT_INPUT) if LAPACK fails.
 */
int qr_stack_absorb(struct qr_stack *s, size_t rows, struct error *e);

/*
 * Mark in aliased (p) the columns of the p × p upper triangle R (column-major,
 * leading dimension ld) of a QR factorization that are, within SOLVE_TOL,
 * combinations of the columns before them. Returns the rank (columns kept).
 */
size_t solve_aliased(const double *R, size_t p, size_t ld, int *aliased);

struct solution {
	size_t n;	/* rows */
	size_t p;	/* terms: the intercept, then the d features */
	size_t rank;	/* terms kept */
	int *aliased;	/* (p) 1: the column is (within SOLVE_TOL) a combination
			   of the columns before it, and its weight is 0 */
	double *w;	/* (p) the weights; those of aliased terms 0 */
	int intercept;	/* 1: term 0 is the intercept; 0: fitted without
			   one (term 0 then aliased, its weight 0) */
	size_t nonzero; /* rows of nonzero weight (n without weights) */
	double weight_sum; /* Σ v_i over the rows (n without weights) */
	double rss;	   /* residual sum of squares over the rows, each
			      square times its row's weight v_i */
	double objective;  /* rss / Σv + λ2·‖w‖², what gradient descent
			      minimises (rss / n without weights) */
	double rcond; /* LAPACK's estimate (dtrcon, 1-norm) of the reciprocal
			 condition number of the kept columns' R: 1 for
			 orthogonal columns, near 1e-16 for nearly
			 dependent ones; about -log10(rcond) of the 16
			 digits of a double may be lost to rounding */
	double *cov; /* (p, p) row-major, (R_KᵀR_K)⁻¹ over the kept terms K
			and 0 elsewhere: times σ², the covariance of w */
};

/*
 * Minimise (1/n)·Σ (y_i − w0 − wᵀx_i)² + λ2·‖w‖² over ds's rows (features as
 * they are, target last), the intercept w0 not penalised; for λ2 = 0 the
 * least-squares fit, with aliased columns given weight 0 and left out as R's lm
 * does. The rows are factorized on up to threads threads (0 or 1: the calling
 * one alone); the result is the same bits for any number, given the same BLAS
 * and processor. Collective when ds is spread. Returns 0 with s filled (free
 * with solution_free), or -1 with e filled (EXIT_INPUT) when LAPACK fails or
 * the data hold a non-finite value.
 */
int solve_least_squares(const struct dataset *ds, double l2, unsigned threads,
    struct solution *s, struct error *e);

/*
 * Weighted least squares: minimise (1/Σv)·Σ v_i·(y_i − w0 − wᵀx_i)² + λ2·‖w‖²,
 * v = rw (ds->n of this rank's rows, each finite and ≥ 0, not all 0; NULL: all
 * 1, which is solve_least_squares bit for bit). Each row is multiplied by √v_i
 * before the QR, as R's lm.wfit does; a zero weight leaves a zero row, which
 * changes nothing but counts in n (s->nonzero does not count it). With
 * intercept 0 the model has no intercept: term 0 is aliased, its weight 0,
 * and rank counts the features kept (the features must not be shifted, only
 * scaled, for the model to be the same). Otherwise as solve_least_squares;
 * -1 with e filled also for a negative or non-finite weight.
 */
int solve_weighted(const struct dataset *ds, double l2, const double *rw,
    int intercept, unsigned threads, struct solution *s, struct error *e);

void solution_free(struct solution *s);

/*
 * The minimiser of the mean squared error plus λ2·‖w‖² (intercept unpenalised)
 * from the centred moments m alone (dataset.h): (Cxx + λ2·I)·w = cxy by
 * LAPACK's SVD solver (dgelsd), which takes the shortest of the minimisers when
 * Cxx is singular, and w0 = ȳ − μᵀw. Writes the d + 1 weights into w and
 * returns the objective there, computed from the moments; its relative accuracy
 * is about cond(Cxx)·1e-16 in the weights and the square of that in the
 * objective, which is what a certificate of another fit's objective needs.
 * Returns NaN if LAPACK fails.
 */
double solve_moments(const struct moments *m, double l2, double *w);

/*
 * The smallest and largest eigenvalues of the symmetric p × p matrix a
 * (row-major; LAPACK's dsyev on a copy). Returns 0, or -1 if LAPACK fails.
 */
int solve_eigen_range(const double *a, size_t p, double *lo, double *hi);

#endif
