/*
 * path.h: the lasso, ridge or elastic-net path of least squares over a
 * decreasing sequence of λ, as glmnet computes it (Friedman, Hastie and
 * Tibshirani, J. Stat. Softw. 33(1), 2010), each λ solved by coordinate descent
 * (cd.h) from the previous one's weights, and scored by K-fold
 * cross-validation on the same folds for every λ, with the λ of the least
 * cross-validated loss and that of the one-standard-error rule.
 *
 * The objective at λ, on the features z-scored with the population sd and
 * mixing α ∈ [0, 1], is glmnet's for the gaussian family:
 *
 *   1/(2n) Σ (y_i − β₀ − z_iᵀβ)² + λ·α·‖β‖₁ + (λ/s_y)·(1 − α)/2·‖β‖₂²
 *
 * with s_y the population sd of y: glmnet standardizes y for the gaussian
 * family and reports λ in y's units, which leaves its ridge part divided by
 * s_y (measured against glmnet 4.1 on Boston: the optimality conditions hold
 * with λ/s_y, not λ). Twice this is fit's objective (mse + l1·‖β‖₁ +
 * l2·‖β‖₂²) with l1 = 2λα and l2 = λ(1 − α)/s_y.
 */
#ifndef DESCEND_PATH_H
#define DESCEND_PATH_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"

struct path_options {
	double alpha;		  /* the mix, in [0, 1]: 1 lasso, 0 ridge */
	size_t nlambda;		  /* the most λ values, ≥ 1 */
	double min_ratio;	  /* λ_min / λ_max in (0, 1), or 0 for
				     glmnet's: 1e-4, or 1e-2 when the rows
				     are fewer than the features */
	unsigned long max_sweeps; /* cd_solve's, per λ */
};

struct path {
	size_t n, p;	   /* rows and features of the data */
	size_t nlambda;	   /* the λ values computed (see path_fit) */
	double *lambda;	   /* (nlambda) decreasing */
	double *intercept; /* (nlambda) in the input's units */
	double *beta;	   /* (nlambda, p) in the input's units */
	size_t *nonzero;   /* (nlambda) nonzero weights */
	double *rsq;	   /* (nlambda) fraction of the variance explained */
	double ysd;	   /* population sd of y (fit's --l2 uses it) */
	double alpha;
	/* cross-validation, when folds were given (else NULL) */
	size_t K;
	double *cv_loss; /* (nlambda) held-out mse over all rows */
	double *cv_se;	 /* (nlambda) its standard error */
	size_t imin;	 /* the λ of the least cv_loss (the largest of
			    ties) */
	size_t i1se;	 /* the largest λ whose cv_loss ≤ that least one
			    plus its standard error */
	int converged;	 /* 0: some λ stopped at max_sweeps */
};

/*
 * The path of ds (number target, d features, n ≥ 2 rows) under o, and, when
 * fold is not NULL, cross-validated over its K ≥ 2 folds: fold (n) holds each
 * row's fold in [0, K), each fold held out once while the others are fitted at
 * every λ of the path (standardized anew on them, from the weights of the
 * previous λ), and scored by the mean squared error of its rows.
 *
 * The sequence is glmnet's: λ_max = max_j |z_jᵀ(y − ȳ)| / (n·max(α, 0.001)),
 * the least λ that makes every weight 0 (for α > 0), then o->nlambda values
 * log-spaced down to λ_max·ratio; the weights at λ_max are 0 (for α = 0 as
 * well, as glmnet reports them). As glmnet does, the path stops early, after
 * the fifth λ at least, at the first λ whose fraction of the variance
 * explained grows by less than 1e-5 of itself, or exceeds 0.999.
 *
 * cv_loss is glmnet's cvm: the squared errors of all held-out rows over n;
 * cv_se its cvsd, √(Σ_k n_k·(m_k − cv_loss)² / n / (K − 1)) with m_k fold k's
 * mean squared error and n_k its rows.
 *
 * Returns 0, or -1 with e filled: EXIT_INPUT when every weight is 0 at every
 * λ (the target or every feature is constant), or a fold has no rows or
 * leaves fewer than 2 to fit. Free with path_free.
 */
int path_fit(const struct dataset *ds, const struct path_options *o,
    const size_t *fold, size_t K, struct path *out, struct error *e);

void path_free(struct path *pt);

#endif
