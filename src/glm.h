/*
 * glm.h: binary logistic regression by maximum likelihood, with Newton's method
 * (iteratively reweighted least squares, each step a Householder QR), as R's
 * glm.fit does for family = binomial; and the checks for separated classes, for
 * which the maximum-likelihood weights do not exist (they grow without bound).
 */
#ifndef DESCEND_GLM_H
#define DESCEND_GLM_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"

/*
 * Convergence as R's glm.fit with glm.control(epsilon = GLM_EPSILON, maxit =
 * GLM_MAXIT): stop when |D − D_old| / (|D| + 0.1) < GLM_EPSILON, D the
 * deviance.
 */
#define GLM_EPSILON 1e-15
#define GLM_MAXIT 100

/* A fitted probability this close to 0 or 1 counts as numerically 0 or 1 (R's).
 */
#define GLM_EDGE (10 * 2.220446049250313e-16)

/* What the end of Newton's iterations shows of separated classes. */
enum glm_separation {
	GLM_OVERLAP = 0, /* no fitted probability numerically 0 or 1 */
	GLM_EDGES,	 /* some are (R's warning), no more is shown */
	GLM_QUASI,	 /* some are, and the last Newton step d moves
			    the log-odds of every row at an edge out, to
			    its class's side, by GLM_GROWTH at least, and
			    of no other row in by more than GLM_ROUNDING
			    of the largest move: the classes are
			    quasi-completely separated (up to that
			    rounding) */
	GLM_COMPLETE	 /* beta gives every row log-odds of its class's
			    sign: beta is a separating hyperplane, and
			    the classes are completely separated */
};

/* The tolerances of GLM_QUASI: relative to the largest move, and absolute. */
#define GLM_ROUNDING 1e-6
#define GLM_GROWTH 0.1

struct glm_fit {
	size_t n;	      /* rows */
	size_t p;	      /* terms: the intercept, then the d features */
	size_t rank;	      /* terms estimated */
	int *aliased;	      /* (p) 1: a combination of the columns before it
				 (solve.h's test on the first step's QR); its
				 weight is 0 */
	double *beta;	      /* (p) the weights: log-odds of class 1 */
	double *cov;	      /* (p, p) row-major: the inverse of the Fisher
				 information XᵀWX at beta over the kept
				 terms, 0 in the rows and columns of aliased
				 ones */
	double deviance;      /* −2·log-likelihood at beta */
	double null_deviance; /* the same for the intercept alone */
	double df, null_df;   /* n − rank, n − 1 */
	double aic;	      /* deviance + 2·rank (0/1 targets) */
	unsigned iterations;  /* Newton steps taken */
	int converged;	      /* 1: the deviance settled within GLM_MAXIT */
	size_t edge[2];	      /* rows of class 0 fitted numerically 0
				 (edge[0]) and of class 1 fitted
				 numerically 1 (edge[1]) */
	enum glm_separation separated;
};

/*
 * Fit P(y = 1) = 1 / (1 + e^{−(β0 + βᵀx)}) to ds's rows (features as they are,
 * target last, each 0 or 1) by Newton's method from R's start (fitted
 * probabilities (y + 0.5) / 2), halving a step while it raises the deviance.
 * After R's test stops the iterations, one more Newton step is taken when it
 * does not raise the deviance (not counted in iterations).
 * The information XᵀWX is never formed: each step is the QR factorization of
 * W^½[X, z] over fixed blocks of rows, one after the other, so the result does
 * not depend on threads. Returns 0 with g filled (free with glm_fit_free), or
 * -1 with e filled (EXIT_INPUT) for a target other than 0/1, a non-finite
 * value, rows spread over ranks, or a LAPACK failure.
 */
int glm_logistic(const struct dataset *ds, struct glm_fit *g, struct error *e);

void glm_fit_free(struct glm_fit *g);

/*
 * Poisson regression, log link, by maximum likelihood as R's glm(family =
 * poisson, offset =, weights =): log μ = β0 + βᵀx + o, o the offset (log
 * exposure; coefficient fixed at 1), each row's log-likelihood times its
 * prior weight v. ds's target holds counts (finite, ≥ 0; R's AIC assumes
 * integers); offset and prior have ds->n values each, NULL for 0 and 1. With
 * intercept 0 there is no β0: term 0 aliased, its weight 0. Newton's method
 * from R's start (μ = y + 0.1), as glm_logistic, with one more step at the
 * end. Fills g as glm_logistic does, with
 *   deviance  2 Σ v·[y log(y/μ) − (y − μ)],
 *   null_deviance  the same for the intercept alone with the offset (μ =
 *             e^o·Σvy / Σv·e^o; μ = e^o without intercept), R's,
 *   df, null_df  m − rank, m − 1 (m without intercept), m the rows of
 *             nonzero weight (R drops the others from the fit and the df),
 *   aic       −2 Σ v·(y log μ − μ − log y!) + 2·rank (poisson()$aic),
 *   cov       the inverse information (XᵀVMX)⁻¹ at beta (dispersion 1),
 *   separated GLM_OVERLAP (not examined), edge 0.
 * Returns 0, or -1 with e filled (EXIT_INPUT) for a negative or non-finite
 * count, a non-finite feature or offset, a negative or non-finite weight, no
 * nonzero weight, an overflow, rows spread over ranks or a LAPACK failure.
 */
int glm_poisson(const struct dataset *ds, const double *offset,
    const double *prior, int intercept, struct glm_fit *g, struct error *e);

/*
 * The Poisson deviance of predicted means mu (> 0) for counts y, n rows,
 * prior weights prior (NULL: 1): 2 Σ v·[y log(y/μ) − (y − μ)]; the mean
 * Poisson deviance Σ v·d_i / Σ v (rows of weight 0 left out) into *mean when
 * not NULL.
 */
double glm_poisson_deviance(const double *y, const double *mu,
    const double *prior, size_t n, double *mean);

/*
 * The Poisson loss of a linear predictor z = log μ for count y, e^z − y·z
 * (the negative log-likelihood less log y!), and its derivative in z,
 * e^z − y. The unit deviance is 2·(loss + glm_poisson_constant(y)),
 * constant y log y − y (0 for y = 0), so that it is 0 at z = log y.
 */
double glm_poisson_loss(double z, double y);
double glm_poisson_gradient(double z, double y);
double glm_poisson_constant(double y);

/* One feature that alone separates a class from the rest. */
struct glm_split {
	size_t feature; /* 0-based column */
	size_t class;	/* the class (0..classes − 1) */
	int above;	/* 1: the class's rows have the larger values */
	int complete;	/* 1: strictly (no value shared with the rest);
			   0: quasi-completely (they meet at one value) */
};

/*
 * For each class k of a class target with `classes` labels (for 2, class 1
 * only: class 0 is its mirror), each feature j whose values alone separate
 * class k's rows from the others': max over one side ≤ min over the other, with
 * equality only for quasi-complete separation, and the feature not constant. Up
 * to max findings into out, classes then features in order; returns how many
 * there are in all. Collective over the ranks when ds is spread. NaN cells are
 * skipped.
 */
size_t glm_feature_splits(const struct dataset *ds, size_t classes,
    struct glm_split *out, size_t max);

#endif
