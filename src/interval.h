/*
 * interval.h: what a model keeps for intervals around its predictions, and
 * the intervals themselves.
 *
 * Prediction and confidence intervals of an exact least-squares fit, as R's
 * predict.lm gives them: for a new row with terms x (1 for the intercept, the
 * indicators of a level, the impute value of a missing cell), z_0 = 1 and
 * z_k = (x_k − center_k) / scale_k (0 when scale_k is 0: a column the fit
 * zeroed), the standard error of the fitted value is se = σ̂·√(zᵀ·C·z), with
 * C = (ZᵀZ)⁻¹ over the design Z of the training rows in the same coordinates
 * (0 in the rows and columns of terms the fit left out: aliased, constant, a
 * categorical reference level). The confidence interval is fit ∓ t·se, the
 * prediction interval fit ∓ t·√(se² + σ̂²), t the (1 + level)/2 quantile of
 * Student's t on df = n − rank degrees of freedom. Keeping C in the fit's
 * centred and scaled coordinates, rather than in input units, keeps zᵀCz from
 * cancelling when a column's mean is large against its spread.
 *
 * Split-conformal intervals (Vovk et al. 2005; Lei et al. 2018): scores of
 * rows held out of training, sorted. With n scores and level 1 − α the
 * ⌈(n + 1)(1 − α)⌉-th smallest, q, gives the interval fit ∓ q (regression,
 * score |y − ŷ|) or the set of classes c with 1 − p̂_c ≤ q (classification,
 * score 1 − p̂ of the true class); when that rank exceeds n, q is +∞. If the
 * calibration rows and a new row are exchangeable, the new row's target falls
 * in its interval or set with probability at least 1 − α.
 */
#ifndef DESCEND_INTERVAL_H
#define DESCEND_INTERVAL_H

#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "failure.h"

struct model;
struct solution;
struct scaler;
struct dataset;

/* Scores kept at most; more are thinned to ranks ⌈j·n / INTERVAL_MAX_SCORES⌉.
 */
#define INTERVAL_MAX_SCORES 10000

/*
 * Terms up to which an exact fit keeps C (INTERVAL_MAX_TERMS² numbers, about
 * 1.3 MB of text at most); a wider model keeps none.
 */
#define INTERVAL_MAX_TERMS 256

struct model_iv {
	double sigma;	/* σ̂ = √(rss / df) */
	double df;	/* residual degrees of freedom, n − rank */
	double *center; /* (nterms) */
	double *scale;	/* (nterms) 0: the term carries nothing */
	double *xtx;	/* (nterms, nterms) row-major: C */
};

struct model_conformal {
	size_t n;      /* calibration rows */
	size_t m;      /* scores kept: n, or INTERVAL_MAX_SCORES */
	double *score; /* (m) ascending; score[j − 1] has rank ⌈j·n/m⌉ */
};

enum interval_kind {
	INTERVAL_NONE,
	INTERVAL_CONFIDENCE,
	INTERVAL_PREDICTION,
	INTERVAL_CONFORMAL
};

/* The words of --interval, in the order of enum interval_kind from 1. */
extern const char *const interval_words[];

/* Which columns of a weights CSV hold what this module keeps. */
struct interval_columns {
	size_t center, scale, sigma, df; /* 0: absent */
	size_t xtx;			 /* the first xtx_ column, or 0 */
	size_t nxtx;			 /* xtx_1, xtx_2, ... */
	size_t conf_n, conf;		 /* 0: absent */
};

/*
 * Note the interval columns among the header's fields (from the field at on).
 * Returns 0, or -1 with e filled when some but not all of a group are there or
 * the xtx_ columns are out of order.
 */
int interval_header(struct interval_columns *c, const struct csv_record *rec,
    size_t at, const char *name, struct error *e);

/*
 * Read term k's cells of the interval columns into m (k is the row of the first
 * block). Returns 0, or -1 with e filled naming the cell that is wrong.
 */
int interval_read_row(const struct interval_columns *c, struct model *m,
    size_t k, const struct csv_record *rec, const char *name, struct error *e);

/* After the last row: the xtx_ columns match the terms. */
int interval_finish(const struct interval_columns *c, struct model *m,
    const char *name, struct error *e);

/* The header's interval columns (",xtx_center,...") for m, or nothing. */
void interval_write_header(const struct model *m, FILE *f);

/* Row k's interval cells (k ≥ nterms: a row of empty cells). */
void interval_write_cells(const struct model *m, size_t k, FILE *f);

/* The JSON members ",\n  \"intervals\": {...}" and "conformal", or nothing. */
void interval_write_json(const struct model *m, FILE *f);

/* Free and forget m's interval data. */
void interval_free(struct model *m);

/*
 * Keep the n scores s (sorted here in place) as m's conformal scores.
 */
void interval_set_scores(struct model *m, double *s, size_t n);

/*
 * The conformal quantile for level (0, 1): the ⌈(n + 1)·level⌉-th smallest
 * score (the next kept one above it when thinned), or +∞ when that rank
 * exceeds n.
 */
double interval_conformal_q(const struct model_conformal *c, double level);

/*
 * The interval of kind confidence or prediction around fit for a row of terms
 * x (m->nterms, x[0] = 1) at level. NaN bounds when df is 0.
 */
void interval_lm(const struct model *m, enum interval_kind kind, double level,
    const double *x, double fit, double *lo, double *hi);

/*
 * Give m (built by model_build from ds's features) the interval data of sol,
 * the exact least-squares solution on ds's rows as scaled by sc: C = sol's
 * (RᵀR)⁻¹ over the scaled features, each feature's term found by its name,
 * σ̂ and df from sol's residuals and rank.
 */
void interval_from_fit(struct model *m, const struct solution *sol,
    const struct scaler *sc, const struct dataset *ds);

#endif
