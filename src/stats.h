/*
 * stats.h: the statistics of a least-squares fit that R's summary(lm) gives —
 * standard errors, t values, p-values, confidence intervals, R², adjusted R²
 * and the F test — from the exact solver's factorization, in the units of the
 * input.
 */
#ifndef DESCEND_STATS_H
#define DESCEND_STATS_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"
#include "glm.h"
#include "scale.h"
#include "solve.h"

/*
 * One term's figures; all NaN for an aliased term (R's NA), and every figure
 * that is undefined NaN too (see stats_compute).
 */
struct term_stats {
	double estimate; /* the weight, in input units */
	double std_error;
	double t;		/* estimate / std_error (logistic: z) */
	double p;		/* two-sided P(|T| ≥ |t|), T ~ Student t(df)
				   (logistic: T standard normal) */
	double ci_low, ci_high; /* estimate ∓ t_{(1+conf)/2}(df)·std_error
				   (logistic: the normal quantile, Wald) */
};

struct fit_stats {
	size_t n;	   /* rows */
	size_t p;	   /* terms, the intercept first */
	size_t rank;	   /* terms estimated */
	double df;	   /* residual degrees of freedom, n − rank */
	double conf;	   /* confidence level of the intervals */
	double rss;	   /* residual sum of squares */
	double sigma;	   /* residual standard error, √(rss / df) */
	double r2, adj_r2; /* 1 − rss/tss; 1 − (1 − R²)(n − 1)/df */
	double f, f_df1, f_df2, f_p; /* F of the model against the intercept
					alone, on rank − 1 and df degrees of
					freedom, and P(F' ≥ F); NaN if rank 1 */
	int perfect;		 /* the residual variance is below 1e-30 of the
				    fitted values' mean square (R's "essentially
				    perfect fit"): the figures are rounding "
					"noise */
	struct term_stats *term; /* (p) */
	/* logistic regression (stats_compute_logistic) only: */
	int logistic; /* 1: the figures below; rss, sigma, r2, adj_r2
			 and the F test NaN; df = n − rank */
	double deviance, null_deviance, null_df, aic;
	unsigned iterations; /* Newton steps */
};

/*
 * The statistics of weights w (p = d + 1, on ds's features as scaled by sc, ds
 * scaled too) whose residuals are those over ds's rows, with the covariance
 * factor of sol (the exact least-squares solution of the same ds): standard
 * errors σ·√((RᵀR)⁻¹)_jj mapped to input units through the scaler, never by
 * inverting XᵀX. conf in (0, 1). Undefined figures are NaN (NA), never a
 * number: with no residual degrees of freedom (n = rank) σ, adjusted R², F and
 * every standard error, t, p and interval; for a constant target R², adjusted
 * R² and F; t and p where a standard error is 0. Returns 0 with st filled
 * (free with fit_stats_free); e is not used.
 */
int stats_compute(const struct solution *sol, const struct scaler *sc,
    const double *w, const struct dataset *ds, double conf,
    struct fit_stats *st, struct error *e);

/*
 * summary(glm(family = binomial))'s figures from g, a Newton fit on features
 * scaled by sc: estimates and standard errors in input units (Cov = T·C·Tᵀ as
 * for least squares), z values, normal two-sided p-values and Wald intervals
 * estimate ∓ z_{(1+conf)/2}·std_error; the deviances and AIC. Returns 0.
 */
int stats_compute_logistic(const struct glm_fit *g, const struct scaler *sc,
    double conf, struct fit_stats *st);

/*
 * The sums that summary(lm(weights = v)) takes from the rows, for a fit with
 * or without an intercept; with no weights (v = 1) they are the unweighted
 * ones. R drops a row of zero weight from the fit and from the degrees of
 * freedom, n − rank with n the rows of nonzero weight (nobs(fit)), and it adds
 * 0 to every sum below.
 */
struct wls_sums {
	double nonzero;	   /* rows of nonzero weight */
	double weight_sum; /* Σ v */
	double ybar;	   /* Σ v·y / Σ v */
	double fbar;	   /* Σ v·f / Σ v, f the fitted values */
	double rss;	   /* Σ v·(y − f)² */
	double mss;	   /* Σ v·(f − fbar)² with an intercept, Σ v·f²
			      without (R's mss) */
	double fsquare;	   /* mean(f)² + var(f), unweighted over all the
			      rows: R's scale for "essentially perfect fit" */
};

/*
 * Fill out from the rows of ds (features and w in the same units: both
 * scaled, or both not), row weights rw (ds->n, NULL for none), and whether
 * w[0] is an intercept. Collective when ds is spread.
 */
void stats_weighted_sums(const struct dataset *ds, const double *w,
    const double *rw, int intercept, struct wls_sums *out);

/*
 * summary(lm(weights = v))'s figures, with or without an intercept
 * (sol->intercept), from sol (solve_weighted on ds scaled by sc; without an
 * intercept sc must not shift) and the sums of stats_weighted_sums at w:
 *   n = nonzero, df = n − rank, σ² = rss / df,
 *   R² = mss / (mss + rss), adjusted 1 − (1 − R²)(n − i) / df,
 *   F = (mss / (rank − i)) / σ² on rank − i and df degrees of freedom,
 * i = 1 with an intercept and 0 without (R's df.int), and each term's
 * standard error σ·√((RᵀR)⁻¹)_jj in input units, t and p as stats_compute.
 * Without an intercept term 0's figures are NaN (it is not in the model).
 * Undefined figures are NaN. Returns 0 with st filled (fit_stats_free).
 */
int stats_compute_weighted(const struct solution *sol, const struct scaler *sc,
    const double *w, const struct wls_sums *sums, double conf,
    struct fit_stats *st);

void fit_stats_free(struct fit_stats *st);

#endif
