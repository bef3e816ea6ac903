/*
 * scale.h: feature scaling. Fits per-feature statistics, rewrites the data in
 * place for training, and maps weights learned on the scaled features back to
 * the units of the input.
 */
#ifndef DESCEND_SCALE_H
#define DESCEND_SCALE_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"

/* How training sees the features. */
enum scaling {
	SCALE_NONE,   /* as they are */
	SCALE_ZSCORE, /* (x − mean) / sd */
	SCALE_MINMAX  /* (x − min) / (max − min), in [0, 1] */
};

struct scaler {
	size_t d;      /* features */
	double *mean;  /* (d) population mean of each feature */
	double *sd;    /* (d) population standard deviation; 0 if constant */
	double *shift; /* (d) subtracted before training */
	double *scale; /* (d) divided by before training; 0: column zeroed */
};

/*
 * Compute the statistics of ds's features (two passes, so the variance does not
 * cancel; deviations are scaled by the largest, so values near the top of the
 * double range do not overflow when squared). Training then sees the features
 * as the scaling says; whatever the scaling, a constant feature (all values
 * equal, or varying only at the level of rounding) is zeroed, so its weight
 * stays 0. An offset (ds->offset: the last feature) is left as it is. Returns
 * 0, or -1 with e filled (EXIT_INPUT) when a feature's spread exceeds the
 * double range. Allocates either way; free with scaler_free. The passes run on
 * up to threads threads; the statistics are the same bits for any number
 * (dataset_parts).
 */
int scaler_fit(struct scaler *s, const struct dataset *ds, enum scaling scaling,
    unsigned threads, struct error *e);

/*
 * For a model without an intercept, where a shift would change the model (a
 * shifted column carries a constant, which no intercept takes back): no
 * feature is shifted, and with zscore or minmax each is divided by its root
 * mean square √(mean² + sd²), with none by 1; a column of zeros stays
 * zeroed, and a constant column that is not zero is kept (it acts as an
 * intercept).
 */
void scaler_no_shift(struct scaler *s, enum scaling scaling);

/* Whether feature j is constant (and so carries weight 0). */
int scaler_is_constant(const struct scaler *s, size_t j);

/* Rewrite the features of ds in place as training sees them, on up to threads.
 */
void scaler_apply(const struct scaler *s, struct dataset *ds, unsigned threads);

/*
 * From weights w on the scaled features ((d + 1): intercept, then features) to
 * weights in input units (weight) and on z-scored features (std_weight), each
 * (d + 1). The std intercept is the prediction at the feature means.
 */
void scaler_unscale(const struct scaler *s, const double *w, double *weight,
    double *std_weight);

/*
 * The inverse of scaler_unscale's first map: from weights in input units
 * (weight, d + 1: intercept, then features) to weights on the features as s
 * scales them, into w (d + 1): w_j = weight_j·scale_j, w_0 = weight_0 +
 * Σ weight_j·shift_j; a zeroed (constant) feature's weight goes into the
 * intercept. Equal to scaler_unscale's input up to rounding.
 */
void scaler_rescale(const struct scaler *s, const double *weight, double *w);

void scaler_free(struct scaler *s);

#endif
