/*
 * summary.c: the statistics of fit --stats and the checks before them (see
 * summary.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

int
summary_least_squares(const struct dataset *train, const struct scaler *scaler,
    const double *w, double loss, double conf, unsigned threads,
    struct solution *exact, struct solution *sol, struct fit_stats *st,
    double *gap, double *off, struct error *e)
{
	double best;

	if (exact->w != NULL) {
		*sol = *exact;
		memset(exact, 0, sizeof(*exact));
	} else if (solve_least_squares(train, 0, threads, sol, e) != 0) {
		return -1;
	}
	if (stats_compute(sol, scaler, w, train, conf, st, e) != 0) {
		solution_free(sol);
		return -1;
	}
	best = sol->rss / (double)sol->n;
	*gap = best > 0 ? fmax(loss - best, 0) / best : loss;
	*off = best > 0 ? sqrt(*gap * st->df) : loss > 0 ? HUGE_VAL : 0;
	return 0;
}

int
summary_weighted(const struct dataset *train, const struct scaler *scaler,
    const double *w, double loss, double conf, int intercept, unsigned threads,
    struct solution *exact, struct solution *sol, struct fit_stats *st,
    double *gap, double *off, struct error *e)
{
	struct wls_sums sums;
	double best;

	if (exact->w != NULL) {
		*sol = *exact;
		memset(exact, 0, sizeof(*exact));
	} else if (solve_weighted(train, 0, train->rw, intercept, threads, sol,
		       e) != 0) {
		return -1;
	}
	stats_weighted_sums(train, w, train->rw, intercept, &sums);
	stats_compute_weighted(sol, scaler, w, &sums, conf, st);
	best = sol->rss / sol->weight_sum;
	*gap = best > 0 ? fmax(loss - best, 0) / best : loss;
	*off = best > 0 ? sqrt(*gap * st->df) : loss > 0 ? HUGE_VAL : 0;
	return 0;
}

int
summary_spread_weight(const struct solution *sol, const double *w,
    const struct dataset *train, struct error *e)
{
	for (size_t j = 1; j < sol->p; j++)
		if (sol->aliased[j] && w[j] != 0)
			return error_set(e, EXIT_INPUT,
			    "--stats: column \"%s\" is "
			    "a linear combination of the columns before it, "
			    "and "
			    "gradient descent shares the weight among them, so "
			    "their estimates have no standard errors; --solver "
			    "exact leaves it out as R's lm does, or --drop it",
			    train->names[j - 1]);
	return 0;
}

int
summary_logistic(int separated, const struct glm_fit *g,
    const struct scaler *scaler, double conf, double *w, struct fit_stats *st,
    struct error *e)
{
	if (separated)
		return error_set(e, EXIT_INPUT,
		    "--stats: the classes are "
		    "separated (see the warnings without -q), so the "
		    "maximum-likelihood weights are infinite and have no "
		    "standard "
		    "errors; leave out the separating columns (--drop)");
	stats_compute_logistic(g, scaler, conf, st);
	memcpy(w, g->beta, g->p * sizeof(double));
	return 0;
}

int
summary_poisson_fit(const struct dataset *train, int intercept,
    struct glm_fit *g, struct error *e)
{
	struct dataset x;
	double *offset = NULL;
	size_t d = train->d - (train->offset ? 1 : 0);
	int status;

	if (!train->offset)
		return glm_poisson(train, NULL, train->rw, intercept, g, e);
	/* The rows without the offset column, which goes to its own array. */
	x = (struct dataset){ .d = d, .names = train->names };
	x.x = xcalloc(train->n ? train->n : 1, (d + 1) * sizeof(double));
	offset = xcalloc(train->n ? train->n : 1, sizeof(double));
	x.n = x.capacity = train->n;
	for (size_t i = 0; i < train->n; i++) {
		const double *row = dataset_row(train, i);
		double *to = dataset_row(&x, i);

		memcpy(to, row, d * sizeof(double));
		to[d] = row[d + 1];
		offset[i] = row[d];
	}
	status = glm_poisson(&x, offset, train->rw, intercept, g, e);
	free(x.x);
	free(offset);
	return status;
}

int
summary_poisson(const struct glm_fit *g, const struct scaler *scaler,
    double conf, double *w, struct fit_stats *st)
{
	struct scaler terms = *scaler;

	terms.d = g->p - 1; /* without the offset */
	stats_compute_logistic(g, &terms, conf, st);
	memcpy(w, g->beta, g->p * sizeof(double));
	return 0;
}

int
summary_separation(const struct dataset *train, int binary, int need_newton,
    struct glm_fit *g, struct separation *s, struct error *e)
{
	size_t p = train->d + 1;
	double work = (double)train->n * (double)p * (double)p;

	s->newton = 0;
	s->found =
	    glm_feature_splits(train, train->classes, s->split, SPLITS_SHOWN);
	s->separated = s->found > 0;
	if (!binary ||
	    (!need_newton && (s->found > 0 || work > SEPARATION_NEWTON_WORK)))
		return 0;
	if (glm_logistic(train, g, e) != 0)
		return need_newton ? -1 : 0;
	s->newton = 1;
	s->separated |=
	    g->separated == GLM_COMPLETE || g->separated == GLM_QUASI;
	return 0;
}
