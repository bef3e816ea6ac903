/*
 * model_build.h: the model a fit writes, assembled from what it trained: the
 * terms (the intercept, the features, each categorical column's reference
 * level), and the weights trained on scaled features mapped back to the units
 * of the input (scaler_unscale) and to z-scored features.
 */
#ifndef DESCEND_MODEL_BUILD_H
#define DESCEND_MODEL_BUILD_H

#include <stddef.h>

#include "category.h"
#include "dataset.h"
#include "failure.h"
#include "model.h"
#include "scale.h"
#include "stats.h"

/*
 * Build m (freed by the caller with model_free, even on failure): its terms,
 * the intercept then a term per feature of ds, each of the ncats categorical
 * columns cats (their order among ds's features) preceded by its reference
 * level, so that the file lists every level predict may meet; and for each of
 * the outputs blocks of w (d + 1 weights on the features as scaler scaled
 * them) the weights in the units of the input and on z-scored features (the
 * reference levels' 0). labels (or NULL for regression, of one
 * output) are the classes: for one output (logistic) the negative and the
 * positive one, else one per output (softmax). impute (d values,
 * or NULL) gives the values for a missing cell; a reference level's is one
 * minus its other levels'. st (or NULL) gives the statistics columns (NaN for
 * a reference level). Returns 0, or -1 with e filled (EXIT_INPUT) when a weight
 * overflows a double in the input's units.
 */
int model_build(struct model *m, const struct dataset *ds,
    const struct category *cats, size_t ncats, const struct scaler *scaler,
    const double *w, size_t outputs, const struct category *labels,
    const double *impute, const struct fit_stats *st, struct error *e);

/*
 * Make m, built by model_build for -l poisson, a Poisson model (model.h): the
 * mean is e^(linear predictor). With ds->offset, its last term, ds's offset
 * column, is taken off the terms and recorded as m's offset, named offset (an
 * exposure whose log is the offset when exposure is 1).
 */
void model_build_poisson(struct model *m, const struct dataset *ds,
    const char *offset, int exposure);

/*
 * The importance of each of the scaler->d features for the outputs blocks of
 * w (d + 1 weights on the scaled features each): the largest size of its
 * weight on z-scored features over the outputs (a softmax model's classes),
 * into top (d).
 */
void model_importance(const struct scaler *scaler, const double *w,
    size_t outputs, double *top);

#endif
