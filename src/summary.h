/*
 * summary.h: the statistics of fit --stats for weights a fit has trained (R's
 * summary of lm, and of glm with the binomial family), and the checks that
 * decide whether they can be given: weight spread over aliased columns, and
 * classes that some hyperplane separates. What is to be told comes back as
 * data (figures, flags, findings) for the command to word; nothing here
 * prints. stats.h computes the figures themselves.
 */
#ifndef DESCEND_SUMMARY_H
#define DESCEND_SUMMARY_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"
#include "glm.h"
#include "scale.h"
#include "solve.h"
#include "stats.h"

/*
 * summary(lm)'s figures (stats_compute) for the weights w trained on train
 * (scaled by scaler), whose mean loss is loss, at confidence level conf: from
 * the exact solver's factorization of the same rows, into sol (freed by the
 * caller with solution_free on success): that of exact when it holds one
 * (exact->w not NULL; the fit's own, with no penalty, then taken and exact
 * zeroed), else solved here on up to threads threads. *gap is the relative
 * excess of loss over least squares' MSE (loss itself when that is 0), and *off
 * the bound on how many standard errors any estimate may be from the
 * least-squares one: with Δ = RSS(w) − RSS(least squares) = δᵀAᵀAδ (δ the
 * weights' error, A the design), Cauchy–Schwarz gives δ_j² ≤ ((AᵀA)⁻¹)_jj·Δ,
 * so every estimate is within √(Δ/σ²) = √(gap·df) of its own standard errors
 * (infinite when least squares fits exactly and w does not). Returns 0, or -1
 * with e filled (sol then freed).
 */
int summary_least_squares(const struct dataset *train,
    const struct scaler *scaler, const double *w, double loss, double conf,
    unsigned threads, struct solution *exact, struct solution *sol,
    struct fit_stats *st, double *gap, double *off, struct error *e);

/*
 * The same with row weights (train->rw) or without an intercept: R's
 * summary(lm(weights = v)) or summary(lm(y ~ 0 + ...)) (stats_compute_weighted
 * on the sums of stats_weighted_sums at w), sol from solve_weighted (or
 * exact's, taken as above); loss is the weighted mean loss, *gap and *off as
 * above.
 */
int summary_weighted(const struct dataset *train, const struct scaler *scaler,
    const double *w, double loss, double conf, int intercept, unsigned threads,
    struct solution *exact, struct solution *sol, struct fit_stats *st,
    double *gap, double *off, struct error *e);

/*
 * A gradient fit that has given weight to an aliased column of sol: the
 * least-squares weights are not unique there, and the fit has spread the
 * effect over the column and those it is a combination of, so the others'
 * estimates are not R's and have no standard error of their own. Returns 0,
 * or -1 with e filled (EXIT_INPUT) naming the first such column of train. (A
 * constant column keeps weight 0 and is left out just as the exact solver
 * does.)
 */
int summary_spread_weight(const struct solution *sol, const double *w,
    const struct dataset *train, struct error *e);

/*
 * summary(glm(family = binomial))'s figures (stats_compute_logistic) of the
 * Newton fit g of train, at confidence level conf, refused (-1, e filled,
 * EXIT_INPUT) when the classes are separated; the maximum-likelihood weights
 * replace the descent's in w (g->p of them), so that the weights written are
 * the estimates. Returns 0 then.
 */
int summary_logistic(int separated, const struct glm_fit *g,
    const struct scaler *scaler, double conf, double *w, struct fit_stats *st,
    struct error *e);

/*
 * glm_poisson (log link) on train's rows, with train's row weights (train->rw)
 * as R's prior weights and an intercept unless intercept is 0: with
 * train->offset, its last feature is the offset and not a term, so g has
 * train->d terms (the intercept, then the other features); else d + 1.
 * Returns 0, or -1 with e filled (glm_poisson's failures).
 */
int summary_poisson_fit(const struct dataset *train, int intercept,
    struct glm_fit *g, struct error *e);

/*
 * summary(glm(family = poisson))'s figures (stats_compute_logistic: z values,
 * normal p-values, deviances, AIC) of g, a summary_poisson_fit on features
 * scaled by scaler (whose offset, if any, is its last feature); the
 * maximum-likelihood weights replace w's first g->p (the offset's weight
 * after them stays 1). Returns 0.
 */
int summary_poisson(const struct glm_fit *g, const struct scaler *scaler,
    double conf, double *w, struct fit_stats *st);

/*
 * Work of one Newton step, n·(d + 1)², up to which every logistic fit also runs
 * Newton's method to look for separation that no single feature shows: a bound
 * that keeps the search to a fraction of a second for data that overlap (a
 * separated fit takes about three times the steps; tests/bench/README.md,
 * notes from the code).
 */
#define SEPARATION_NEWTON_WORK 2e7

/* Findings of glm_feature_splits kept to be told, at most this many. */
#define SPLITS_SHOWN 5

/* What summary_separation found. */
struct separation {
	struct glm_split split[SPLITS_SHOWN]; /* the first found */
	size_t found;  /* features that alone separate a class, in all */
	int newton;    /* 1: Newton's method ran; g holds its fit (see
			  g->separated, g->edge), free it */
	int separated; /* 1: the classes are shown to be separated */
};

/*
 * Separated classes, for which the likelihood has no maximum: features that
 * alone separate a class (every class fit; glm_feature_splits), and, for
 * logistic regression (binary) with a Newton fit into g — run when
 * need_newton, or when no feature separates and the work is within
 * SEPARATION_NEWTON_WORK — its end (glm.h's GLM_COMPLETE and GLM_QUASI). Fills
 * s; returns 0, or -1 with e filled when Newton's method fails and need_newton
 * (else its failure leaves s->newton 0).
 */
int summary_separation(const struct dataset *train, int binary, int need_newton,
    struct glm_fit *g, struct separation *s, struct error *e);

#endif
