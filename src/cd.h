/*
 * cd.h: least squares with the elastic-net penalty by cyclic coordinate descent
 * (Friedman, Hastie and Tibshirani, "Regularization paths for generalized
 * linear models via coordinate descent", J. Stat. Softw. 33(1), 2010), with
 * their covariance updates and active set. The problem is held as the centred
 * moments of the rows, so that the intercept drops out and one pass over the
 * data serves every penalty of a path.
 */
#ifndef DESCEND_CD_H
#define DESCEND_CD_H

#include <stddef.h>

#include "dataset.h"

/*
 * The centred moments of n rows of p features x and target y:
 *   gram = (1/n) Σ (x_i − x̄)(x_i − x̄)ᵀ,  cov = (1/n) Σ (x_i − x̄)(y_i − ȳ),
 *   yvar = (1/n) Σ (y_i − ȳ)².
 * With scale set (cd_standardize), the features are (x_j − x̄_j) / scale_j,
 * the population z-score; scale_j = 0 marks a constant feature, whose weight
 * stays 0.
 */
struct cd_problem {
	size_t p, n;
	double *gram;  /* (p, p) */
	double *cov;   /* (p) */
	double *xbar;  /* (p) */
	double *scale; /* (p) 1 each, or the sd after cd_standardize */
	double ybar, yvar;
};

/*
 * The moments of the rows of ds listed in rows[0..nrows) (all of ds's rows,
 * in order, when rows is NULL), nrows ≥ 1, in two passes (the means, then the
 * centred products). Allocates; free with cd_free.
 */
void cd_moments(struct cd_problem *pb, const struct dataset *ds,
    const size_t *rows, size_t nrows);

/*
 * Rewrite the moments as those of the features divided by their population
 * sd, √gram_jj, kept in scale; a feature whose sd is 0, or below 1e-13 of its
 * mean's size (constant up to rounding), gets scale 0 and a zero row and
 * column.
 */
void cd_standardize(struct cd_problem *pb);

void cd_free(struct cd_problem *pb);

/* What one cd_solve did. */
struct cd_stats {
	unsigned long sweeps; /* passes over all or the active features */
	int converged;	      /* 0: stopped at max_sweeps */
};

/*
 * Minimize over β (p), from β as given (a warm start):
 *
 *   1/(2n) Σ (y_i − ȳ − (x_i − x̄)ᵀβ)² + a·‖β‖₁ + (b/2)·‖β‖₂²,   a, b ≥ 0,
 *
 * in the moments' units (standardized ones after cd_standardize), a + b > 0 or
 * gram of full rank. Each step solves for one β_j with the others fixed:
 *
 *   β_j ← S(cov_j − Σ_{k≠j} gram_jk β_k, a) / (gram_jj + b),
 *   S(z, t) = sign(z)·max(|z| − t, 0),
 *
 * keeping q = gram·β up to date (the covariance updates). A full sweep over
 * every feature is followed by sweeps over the nonzero ones until they settle,
 * then a full sweep again, until a full sweep moves no β_j by more than
 * gram_jj·Δβ_j² ≤ 1e-24·yvar (about 12 digits of β) or max_sweeps is reached.
 * The intercept is ȳ − Σ x̄_j β_j (in the units of the moments).
 */
void cd_solve(const struct cd_problem *pb, double a, double b, double *beta,
    unsigned long max_sweeps, struct cd_stats *st);

/* The fraction of yvar that β explains: (2 covᵀβ − βᵀ gram β) / yvar. */
double cd_rsq(const struct cd_problem *pb, const double *beta);

#endif
