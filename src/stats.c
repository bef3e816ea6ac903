/*
 * stats.c: summary(lm)'s figures from a QR factorization.
 *
 * With A = [1, X'] the scaled design and A = QR, the least-squares weights w' have
 * covariance σ²·(RᵀR)⁻¹, which the solver gives as sol->cov. The weights in input
 * units are a linear map of them, b = T·w' with b_j = w'_j / scale_j and
 * b_0 = w'_0 − Σ_j (shift_j / scale_j)·w'_j (see scaler_unscale), so
 * Cov(b) = T·Cov(w')·Tᵀ: only the intercept's variance needs more than a
 * division. The tail probabilities come from dist.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "linalg.h"
#include "loss.h"
#include "stats.h"

/* The row t of T that gives the intercept: (1, −shift_j / scale_j ...). */
static double
intercept_variance(const struct solution *sol, const struct scaler *sc)
{
	size_t p = sol->p;
	double *t = xcalloc(p, sizeof(double)), var = 0;

	t[0] = 1;
	for (size_t j = 1; j < p; j++)
		t[j] = sc->scale[j - 1] == 0 ? 0 : -sc->shift[j - 1] / sc->scale[j - 1];
	for (size_t a = 0; a < p; a++)
		var += t[a] * linalg_dot(sol->cov + a * p, t, p);
	free(t);
	return var;
}

/* Per-term figures: estimate, standard error, t, p and the interval. */
static void
term_figures(struct fit_stats *st, const struct solution *sol,
    const struct scaler *sc, const double *w)
{
	size_t p = st->p;
	double q = dist_t_quantile((1 + st->conf) / 2, st->df);
	double *weight = xcalloc(p, sizeof(double)), *std = xcalloc(p, sizeof(double));

	scaler_unscale(sc, w, weight, std);
	for (size_t j = 0; j < p; j++) {
		struct term_stats *ts = &st->term[j];
		double var;

		if (sol->aliased[j]) {
			ts->estimate = ts->std_error = ts->t = ts->p = (double)NAN;
			ts->ci_low = ts->ci_high = (double)NAN;
			continue;
		}
		var = j == 0 ? intercept_variance(sol, sc) :
		    sol->cov[j * p + j] / (sc->scale[j - 1] * sc->scale[j - 1]);
		ts->estimate = weight[j];
		ts->std_error = st->sigma * sqrt(fmax(var, 0));
		ts->t = ts->estimate / ts->std_error;
		ts->p = dist_t_two_sided(ts->t, st->df);
		ts->ci_low = ts->estimate - q * ts->std_error;
		ts->ci_high = ts->estimate + q * ts->std_error;
	}
	free(weight);
	free(std);
}

int
stats_compute(const struct solution *sol, const struct scaler *sc, const double *w,
    const struct dataset *ds, double conf, struct fit_stats *st, struct error *e)
{
	/* Σr², Σ(y − ȳ)², Σf and Σf² over the rows of all ranks, if spread. */
	double ybar = dataset_target_mean(ds), sums[4] = { 0, 0, 0, 0 }, tss;
	size_t n = dataset_total(ds);

	memset(st, 0, sizeof(*st));
	st->n = n;
	st->p = sol->p;
	st->rank = sol->rank;
	st->conf = conf;
	if (n <= sol->rank)
		return error_set(e, EXIT_INPUT, "--stats: %zu rows for %zu estimated "
		    "terms leave no degrees of freedom for the residuals", n,
		    sol->rank);
	st->df = (double)(n - sol->rank);
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double fit = loss_predict(w, x, ds->d);
		double r = x[ds->d] - fit, dy = x[ds->d] - ybar;

		sums[0] += r * r;
		sums[1] += dy * dy;
		sums[2] += fit;
		sums[3] += fit * fit;
	}
	dataset_sum(ds, sums, 4);
	st->rss = sums[0];
	tss = sums[1];
	st->sigma = sqrt(st->rss / st->df);
	/* summary.lm's test, resvar < (mean(f)² + var(f))·1e-30, the second moment
	 * of the fitted values f (var with n − 1, as R's). */
	{
		double rows = (double)n, mean = sums[2] / rows;
		double var = rows > 1 ? fmax(sums[3] - rows * mean * mean, 0) /
		    (rows - 1) : 0;

		st->perfect = st->sigma * st->sigma < (mean * mean + var) * 1e-30;
	}
	st->r2 = tss > 0 ? 1 - st->rss / tss : (double)NAN;
	st->adj_r2 = 1 - (1 - st->r2) * (double)(n - 1) / st->df;
	st->f = st->f_df1 = st->f_df2 = st->f_p = (double)NAN;
	if (sol->rank > 1) {
		st->f_df1 = (double)(sol->rank - 1);
		st->f_df2 = st->df;
		st->f = ((tss - st->rss) / st->f_df1) / (st->rss / st->df);
		st->f_p = dist_f_upper(st->f, st->f_df1, st->f_df2);
	}
	st->term = xcalloc(st->p, sizeof(*st->term));
	term_figures(st, sol, sc, w);
	return 0;
}

void
fit_stats_free(struct fit_stats *st)
{
	free(st->term);
	st->term = NULL;
}
