/*
 * model_build.c: the model file's contents from a fit: its terms, and the
 * weights mapped from the scaled features back to the units of the input (see
 * model_build.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_build.h"

/* Term t's statistics columns from ts, or NA (NaN) for NULL; none without
 * stats. */
static void
set_stats(struct model *m, size_t t, const struct term_stats *ts)
{
	double *row = m->stats + t * MODEL_STATS;

	if (m->stats == NULL)
		return;
	if (ts == NULL) {
		for (size_t c = 0; c < MODEL_STATS; c++)
			row[c] = (double)NAN;
		return;
	}
	row[0] = ts->std_error;
	row[1] = ts->t;
	row[2] = ts->p;
	row[3] = ts->ci_low;
	row[4] = ts->ci_high;
}

/*
 * The model's terms: the intercept, then a term per feature. Each categorical
 * column's indicators are preceded by its reference level, so that the file
 * lists every level predict may meet. impute (d values, or NULL) gives the
 * values for a missing cell; the reference level's is one minus the others',
 * its own mean. st (or NULL) gives the statistics. Returns the model term of
 * each weight of a block (d + 1: the intercept, then the features); the weights
 * are left 0.
 */
static size_t *
build_terms(struct model *m, const struct dataset *ds,
    const struct category *cats, size_t ncats, const double *impute,
    const struct fit_stats *st)
{
	size_t nterms = ds->d + 1, t = 1, c = 0;
	size_t *term_of = xcalloc(ds->d + 1, sizeof(size_t));
	const char *intercept = MODEL_INTERCEPT;

	for (size_t k = 0; k < ncats; k++)
		nterms += cats[k].nlevels > 0;
	model_init(m, 1, &intercept);
	m->nterms = nterms;
	m->term = xreallocarray(m->term, nterms, sizeof(*m->term));
	free(m->weight);
	free(m->std_weight);
	m->weight = xcalloc(nterms, sizeof(double));
	m->std_weight = xcalloc(nterms, sizeof(double));
	m->impute = xreallocarray(m->impute, nterms, sizeof(double));
	if (st != NULL)
		m->stats = xcalloc(nterms * MODEL_STATS, sizeof(double));
	set_stats(m, 0, st ? &st->term[0] : NULL);
	m->has_impute = impute != NULL;
	for (size_t j = 0; j <= ds->d; j++) {
		while (
		    c < ncats && (cats[c].nlevels == 0 || cats[c].first == j)) {
			if (cats[c].nlevels > 0) {
				size_t len = strlen(cats[c].name) +
				    strlen(cats[c].level[0]) + 2;
				double rest = 0;

				for (size_t l = 1;
				     impute && l < cats[c].nlevels; l++)
					rest += impute[cats[c].first + l - 1];
				m->term[t] = xmalloc(len);
				snprintf(m->term[t], len, "%s=%s", cats[c].name,
				    cats[c].level[0]);
				set_stats(m, t, NULL);
				m->impute[t++] =
				    impute ? 1 - rest : (double)NAN;
			}
			c++;
		}
		if (j == ds->d)
			break;
		m->term[t] = xstrdup(ds->names[j]);
		set_stats(m, t, st && j + 1 < st->p ? &st->term[j + 1] : NULL);
		term_of[j + 1] = t;
		m->impute[t++] = impute ? impute[j] : (double)NAN;
	}
	return term_of;
}

/* See model_build.h. */
int
model_build(struct model *m, const struct dataset *ds,
    const struct category *cats, size_t ncats, const struct scaler *scaler,
    const double *w, size_t outputs, const struct category *labels,
    const double *impute, const struct fit_stats *st, struct error *e)
{
	size_t d = ds->d,
	       *term_of = build_terms(m, ds, cats, ncats, impute, st);
	double *weight = xcalloc(d + 1, sizeof(double));
	double *std_weight = xcalloc(d + 1, sizeof(double));

	m->target = xstrdup(ds->names[d]);
	if (labels != NULL)
		model_set_classes(m, (const char *const *)labels->level,
		    labels->nlevels, outputs);
	for (size_t b = 0; b < outputs; b++) {
		scaler_unscale(scaler, w + b * (d + 1), weight, std_weight);
		for (size_t j = 0; j <= d; j++) {
			m->weight[b * m->nterms + term_of[j]] = weight[j];
			m->std_weight[b * m->nterms + term_of[j]] =
			    std_weight[j];
		}
	}
	free(term_of);
	free(weight);
	free(std_weight);
	/* The features first: an infinite weight makes the intercept infinite
	 * too. */
	for (size_t k = 1; k <= outputs * m->nterms; k++) {
		size_t at = k % (outputs * m->nterms);

		if (isfinite(m->weight[at]) && isfinite(m->std_weight[at]))
			continue;
		return error_set(e, EXIT_INPUT,
		    "the weight of \"%s\" overflows "
		    "a double in the input's units; rescale that column",
		    m->term[at % m->nterms]);
	}
	return 0;
}

void
model_build_poisson(struct model *m, const struct dataset *ds,
    const char *offset, int exposure)
{
	m->poisson = 1;
	if (!ds->offset)
		return;
	/* The offset is the last feature, so the last term: not a term. */
	free(m->term[--m->nterms]);
	m->offset = xstrdup(offset);
	m->exposure = exposure;
}

void
model_importance(const struct scaler *scaler, const double *w, size_t outputs,
    double *top)
{
	size_t d = scaler->d;
	double *weight = xcalloc(d + 1, sizeof(double));
	double *std = xcalloc(d + 1, sizeof(double));

	for (size_t j = 0; j < d; j++)
		top[j] = 0;
	for (size_t b = 0; b < outputs; b++) {
		scaler_unscale(scaler, w + b * (d + 1), weight, std);
		for (size_t j = 1; j <= d; j++)
			top[j - 1] = fmax(top[j - 1], fabs(std[j]));
	}
	free(weight);
	free(std);
}
