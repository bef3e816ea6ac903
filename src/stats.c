/*
 * stats.c: summary(lm)'s figures from a QR factorization.
 *
 * With A = [1, X'] the scaled design and A = QR, the least-squares weights w'
 * have covariance σ²·(RᵀR)⁻¹, which the solver gives as sol->cov. The weights
 * in input units are a linear map of them, b = T·w' with b_j = w'_j / scale_j
 * and b_0 = w'_0 − Σ_j (shift_j / scale_j)·w'_j (see scaler_unscale), so Cov(b)
 * = T·Cov(w')·Tᵀ: only the intercept's variance needs more than a division. The
 * tail probabilities come from dist.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "linalg.h"
#include "loss.h"
#include "stats.h"

static int target_constant(const struct dataset *ds);

/*
 * The intercept's variance tᵀCt from the (p, p) covariance cov of the weights
 * on the scaled features, t the row of T that gives the intercept: (1, −shift_j
 * / scale_j ...).
 */
static double
intercept_variance(const double *cov, size_t p, const struct scaler *sc)
{
	double *t = xcalloc(p, sizeof(double)), var = 0;

	t[0] = 1;
	for (size_t j = 1; j < p; j++)
		t[j] = sc->scale[j - 1] == 0
		    ? 0
		    : -sc->shift[j - 1] / sc->scale[j - 1];
	for (size_t a = 0; a < p; a++)
		var += t[a] * linalg_dot(cov + a * p, t, p);
	free(t);
	return var;
}

/*
 * Per-term figures: estimate, standard error, t (or z), p and the interval,
 * from the covariance cov of the weights w on the scaled features, times σ²
 * (σ = 1 for logistic regression), with df degrees of freedom (+inf: the
 * normal). Undefined figures are NaN: all but the estimate when σ is (no
 * residual degrees of freedom), t and p when the standard error is 0 (exact
 * fit: t would be ±inf or 0/0).
 */
static void
term_figures(struct fit_stats *st, const int *aliased, const double *cov,
    const struct scaler *sc, const double *w)
{
	size_t p = st->p;
	double df = st->logistic ? HUGE_VAL : st->df;
	double sigma = st->logistic ? 1 : st->sigma;
	double q =
	    df > 0 ? dist_t_quantile((1 + st->conf) / 2, df) : (double)NAN;
	double *weight = xcalloc(p, sizeof(double)),
	       *std = xcalloc(p, sizeof(double));

	scaler_unscale(sc, w, weight, std);
	for (size_t j = 0; j < p; j++) {
		struct term_stats *ts = &st->term[j];
		double var;

		if (aliased[j]) {
			ts->estimate = ts->std_error = ts->t = ts->p =
			    (double)NAN;
			ts->ci_low = ts->ci_high = (double)NAN;
			continue;
		}
		var = j == 0
		    ? intercept_variance(cov, p, sc)
		    : cov[j * p + j] / (sc->scale[j - 1] * sc->scale[j - 1]);
		ts->estimate = weight[j];
		ts->std_error = sigma * sqrt(fmax(var, 0));
		ts->t = ts->std_error > 0 ? ts->estimate / ts->std_error
					  : (double)NAN;
		ts->p = dist_t_two_sided(ts->t, df);
		ts->ci_low = ts->estimate - q * ts->std_error;
		ts->ci_high = ts->estimate + q * ts->std_error;
	}
	free(weight);
	free(std);
}

int
stats_compute(const struct solution *sol, const struct scaler *sc,
    const double *w, const struct dataset *ds, double conf,
    struct fit_stats *st, struct error *e)
{
	/* Σr², Σ(y − ȳ)², Σf and Σf² over the rows of all ranks, if spread. */
	double ybar = dataset_target_mean(ds), sums[4] = { 0, 0, 0, 0 }, tss;
	size_t n = dataset_rows_across_ranks(ds);
	int constant;

	memset(st, 0, sizeof(*st));
	st->n = n;
	st->p = sol->p;
	st->rank = sol->rank;
	st->conf = conf;
	(void)e;
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
	dataset_sum_across_ranks(ds, sums, 4);
	st->rss = sums[0];
	tss = sums[1];
	/* No residual degrees of freedom: σ, and all that divides by it, NaN.
	 */
	st->sigma = st->df > 0 ? sqrt(st->rss / st->df) : (double)NAN;
	/* summary.lm's test, resvar < (mean(f)² + var(f))·1e-30, the second
	 * moment of the fitted values f (var with n − 1, as R's). */
	{
		double rows = (double)n, mean = sums[2] / rows;
		double var = rows > 1
		    ? fmax(sums[3] - rows * mean * mean, 0) / (rows - 1)
		    : 0;

		st->perfect =
		    st->sigma * st->sigma < (mean * mean + var) * 1e-30;
	}
	/* A constant target has no variance to explain: R², adjusted R² and F
	 * are 0/0, whatever rounding leaves in tss. */
	constant = target_constant(ds);
	st->r2 = tss > 0 && !constant ? 1 - st->rss / tss : (double)NAN;
	st->adj_r2 = st->df > 0 ? 1 - (1 - st->r2) * (double)(n - 1) / st->df
				: (double)NAN;
	st->f = st->f_df1 = st->f_df2 = st->f_p = (double)NAN;
	if (sol->rank > 1) {
		st->f_df1 = (double)(sol->rank - 1);
		st->f_df2 = st->df;
		if (!isnan(st->r2) && st->df > 0) {
			st->f =
			    ((tss - st->rss) / st->f_df1) / (st->rss / st->df);
			st->f_p = dist_f_upper(st->f, st->f_df1, st->f_df2);
		}
	}
	st->term = xcalloc(st->p, sizeof(*st->term));
	term_figures(st, sol->aliased, sol->cov, sc, w);
	return 0;
}

/* Whether every row's target (of all ranks) is the same. */
static int
target_constant(const struct dataset *ds)
{
	double lo[1] = { HUGE_VAL }, hi[1] = { -HUGE_VAL };

	for (size_t i = 0; i < ds->n; i++) {
		lo[0] = fmin(lo[0], dataset_target(ds, i));
		hi[0] = fmax(hi[0], dataset_target(ds, i));
	}
	dataset_min_across_ranks(ds, lo, 1);
	dataset_max_across_ranks(ds, hi, 1);
	return lo[0] == hi[0];
}

int
stats_compute_logistic(const struct glm_fit *g, const struct scaler *sc,
    double conf, struct fit_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->logistic = 1;
	st->n = g->n;
	st->p = g->p;
	st->rank = g->rank;
	st->conf = conf;
	st->df = g->df;
	st->rss = st->sigma = st->r2 = st->adj_r2 = (double)NAN;
	st->f = st->f_df1 = st->f_df2 = st->f_p = (double)NAN;
	st->deviance = g->deviance;
	st->null_deviance = g->null_deviance;
	st->null_df = g->null_df;
	st->aic = g->aic;
	st->iterations = g->iterations;
	st->term = xcalloc(st->p, sizeof(*st->term));
	term_figures(st, g->aliased, g->cov, sc, g->beta);
	return 0;
}

void
fit_stats_free(struct fit_stats *st)
{
	free(st->term);
	st->term = NULL;
}

/*
 * summary.lm's sums for row weights v and for a fit with or without an
 * intercept, in two passes over the rows: the weighted mean of the fitted
 * values f first, then the sums of squares about it,
 *   rss = Σ v·(y − f)²,  mss = Σ v·(f − f̄_v)² (Σ v·f² without intercept),
 * so that no large sum cancels.
 */
void
stats_weighted_sums(const struct dataset *ds, const double *w, const double *rw,
    int intercept, struct wls_sums *out)
{
	/* Σv, Σv·f, Σv·y, nonzero rows, Σf, Σf² (unweighted, all rows). */
	double a[6] = { 0, 0, 0, 0, 0, 0 }, b[2] = { 0, 0 }, rows, fmean;

	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double v = rw ? rw[i] : 1, f = loss_predict(w, x, ds->d);

		a[0] += v;
		a[1] += v * f;
		a[2] += v * x[ds->d];
		a[3] += v != 0;
		a[4] += f;
	}
	dataset_sum_across_ranks(ds, a, 5);
	out->weight_sum = a[0];
	out->nonzero = a[3];
	out->ybar = a[2] / a[0];
	out->fbar = a[1] / a[0];
	rows = (double)dataset_rows_across_ranks(ds);
	fmean = a[4] / rows;
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double v = rw ? rw[i] : 1, f = loss_predict(w, x, ds->d);
		double r = x[ds->d] - f, c = intercept ? f - out->fbar : f;

		b[0] += v * r * r;
		b[1] += v * c * c;
		a[5] += (f - fmean) * (f - fmean);
	}
	dataset_sum_across_ranks(ds, b, 2);
	dataset_sum_across_ranks(ds, a + 5, 1);
	out->rss = b[0];
	out->mss = b[1];
	/* summary.lm's scale of the fitted values: mean(f)² + var(f). */
	out->fsquare = fmean * fmean + (rows > 1 ? a[5] / (rows - 1) : 0);
}

int
stats_compute_weighted(const struct solution *sol, const struct scaler *sc,
    const double *w, const struct wls_sums *sums, double conf,
    struct fit_stats *st)
{
	double icpt = sol->intercept ? 1 : 0, df1, resvar;

	memset(st, 0, sizeof(*st));
	st->n = (size_t)sums->nonzero;
	st->p = sol->p;
	st->rank = sol->rank;
	st->conf = conf;
	st->df = sums->nonzero - (double)sol->rank;
	st->rss = sums->rss;
	resvar = st->df > 0 ? st->rss / st->df : (double)NAN;
	st->sigma = sqrt(resvar);
	st->perfect = resvar < sums->fsquare * 1e-30;
	st->r2 = sums->mss + sums->rss > 0 ? sums->mss / (sums->mss + sums->rss)
					   : (double)NAN;
	st->adj_r2 = st->df > 0
	    ? 1 - (1 - st->r2) * (sums->nonzero - icpt) / st->df
	    : (double)NAN;
	st->f = st->f_df1 = st->f_df2 = st->f_p = (double)NAN;
	df1 = (double)sol->rank - icpt;
	if (df1 > 0) {
		st->f_df1 = df1;
		st->f_df2 = st->df;
		if (st->df > 0 && !isnan(st->r2)) {
			st->f = (sums->mss / df1) / resvar;
			st->f_p = dist_f_upper(st->f, st->f_df1, st->f_df2);
		}
	}
	st->term = xcalloc(st->p, sizeof(*st->term));
	term_figures(st, sol->aliased, sol->cov, sc, w);
	return 0;
}
