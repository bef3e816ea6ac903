/*
 * loss.c: the loss table and the sums over rows.
 *
 * Each loss is written as a function of one prediction and its target, so that
 * the sums below serve every loss; with r = y − pred: mse  r²     derivative
 * −2r mae  |r|    derivative −sign(r), taking sign(0) = 0: a row fitted exactly
 *               pulls neither way (0 is in the subdifferential there, the
 * choice that lets exact fits stay put) huber r²/2 for |r| ≤ δ, δ·(|r| − δ/2)
 * beyond (Huber, "Robust estimation of a location parameter", Ann. Math.
 * Statist. 1964): squared near the fit, linear for outliers; derivative −r, or
 * −δ·sign(r) beyond δ logistic  log(1 + e^z) − y·z for a class y ∈ {0, 1} and
 * log-odds z: the log loss of the probability σ(z); derivative σ(z) − y softmax
 * log Σ_k e^{z_k} − z_y for scores z of K classes: the cross-entropy of the
 * probabilities e^{z_k} / Σ e^{z_j}; gradient p − onehot(y) quantile  ρ_τ(r) =
 * r·(τ − 1[r < 0]), the pinball (check) loss of τ's quantile (Koenker and
 * Bassett, "Regression quantiles", Econometrica 1978): τ·r above the fit, (1 −
 * τ)·|r| below; at τ = ½ half of mae. Derivative −τ for r > 0, 1 − τ for r < 0,
 *               0 at r = 0 (in the subdifferential [τ − 1, τ]·(−1), as mae)
 * poisson  2·[e^z − y − y·(z − log y)] for a count y and z = log μ: the unit
 *          Poisson deviance 2·[y log(y/μ) − (y − μ)] (y log y = 0 at y = 0),
 *          twice the negative log-likelihood less its constant, so that the
 *          mean loss is the mean Poisson deviance, 0 at μ = y; derivative
 *          2·(e^z − y), curvature 2e^z, bounded by nothing
 * The third argument is the loss's parameter, δ for huber, τ for quantile; the
 * others ignore it.
 * Both class losses are computed without overflow or log(0) for any finite z:
 * log(1 + e^z) = max(z, 0) + log1p(e^−|z|), and the log-sum-exp shifted by the
 * largest score, so that the loss of a margin of ±1000 is exact, not inf or a
 * log(p + ε) bias.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"
#include "loss.h"

static double
mse_value(double pred, double y, double delta)
{
	(void)delta;
	double r = y - pred;

	return r * r;
}

static double
mse_deriv(double pred, double y, double delta)
{
	(void)delta;
	return -2 * (y - pred);
}

static double
mae_value(double pred, double y, double delta)
{
	(void)delta;
	return fabs(y - pred);
}

static double
mae_deriv(double pred, double y, double delta)
{
	(void)delta;
	return (pred > y) - (pred < y);
}

static double
huber_value(double pred, double y, double delta)
{
	double r = fabs(y - pred);

	return r <= delta ? r * r / 2 : delta * (r - delta / 2);
}

static double
huber_deriv(double pred, double y, double delta)
{
	double r = pred - y;

	return fabs(r) <= delta ? r : copysign(delta, r);
}

static double
quantile_value(double pred, double y, double tau)
{
	double r = y - pred;

	return r < 0 ? (tau - 1) * r : tau * r;
}

static double
quantile_deriv(double pred, double y, double tau)
{
	return pred < y ? -tau : pred > y ? 1 - tau : 0;
}

/* log(1 + e^z) without overflow, and accurate when it is tiny. */
static double
softplus(double z)
{
	return fmax(z, 0) + log1p(exp(-fabs(z)));
}

/* 1 / (1 + e^−z), with exp taken of −|z| only. */
static double
sigmoid(double z)
{
	double t = exp(-fabs(z));

	return z >= 0 ? 1 / (1 + t) : t / (1 + t);
}

/*
 * log(1 + e^z) − y·z written as (1 − y)·log(1 + e^z) + y·log(1 + e^−z), equal
 * for every y, so that a confident right answer (z = 30, y = 1) gives
 * log1p(e^−30) to full precision instead of 30 + 9.4e-14 − 30.
 */
static double
logistic_value(double z, double y, double delta)
{
	(void)delta;
	return (1 - y) * softplus(z) + y * softplus(-z);
}

static double
logistic_deriv(double z, double y, double delta)
{
	(void)delta;
	return sigmoid(z) - y;
}

static double
softmax_classes(const double *z, size_t K, size_t y, double *dz)
{
	double top = z[0], sum = 0, log_sum;

	for (size_t k = 1; k < K; k++)
		top = fmax(top, z[k]);
	for (size_t k = 0; k < K; k++)
		sum += exp(z[k] - top);
	log_sum = log(sum);
	for (size_t k = 0; dz != NULL && k < K; k++)
		dz[k] = exp(z[k] - top - log_sum) - (k == y);
	/* (top − z_y) first: exact, and no absorption of log_sum into top. */
	return (top - z[y]) + log_sum;
}

static double
poisson_value(double z, double y, double delta)
{
	(void)delta;
	return 2 * (exp(z) - y - (y > 0 ? y * (z - log(y)) : 0));
}

static double
poisson_deriv(double z, double y, double delta)
{
	(void)delta;
	return 2 * (exp(z) - y);
}

static const struct loss losses[] = {
	{ .name = "mse",
	    .target = LOSS_NUMBER,
	    .constant = "mean",
	    .start = LOSS_START_MEAN,
	    .scale_step = 0,
	    .smooth = 1,
	    .quadratic = 1,
	    .curvature = 2,
	    .value = mse_value,
	    .deriv = mse_deriv },
	{ .name = "mae",
	    .target = LOSS_NUMBER,
	    .constant = "median",
	    .start = LOSS_START_MEDIAN,
	    .scale_step = 1,
	    .smooth = 0,
	    .quadratic = 0,
	    .curvature = 2,
	    .value = mae_value,
	    .deriv = mae_deriv },
	{ .name = "huber",
	    .target = LOSS_NUMBER,
	    .constant = "median",
	    .start = LOSS_START_MEDIAN,
	    .scale_step = 0,
	    .smooth = 1,
	    .quadratic = 0,
	    .curvature = 1,
	    .value = huber_value,
	    .deriv = huber_deriv },
	{ .name = "quantile",
	    .target = LOSS_NUMBER,
	    .constant = "quantile",
	    .start = LOSS_START_QUANTILE,
	    .scale_step = 1,
	    .smooth = 0,
	    .quadratic = 0,
	    .curvature = 2,
	    .value = quantile_value,
	    .deriv = quantile_deriv },
	/* σ' ≤ 1/4; the log-sum-exp's Hessian diag(p) − ppᵀ has eigenvalues ≤
	   1/2. */
	{ .name = "logistic",
	    .target = LOSS_BINARY,
	    .constant = "share of 1",
	    .start = LOSS_START_LOGIT,
	    .scale_step = 0,
	    .smooth = 1,
	    .quadratic = 0,
	    .curvature = 0.25,
	    .value = logistic_value,
	    .deriv = logistic_deriv },
	{ .name = "softmax",
	    .target = LOSS_CLASSES,
	    .constant = "class shares",
	    .start = LOSS_START_PRIORS,
	    .scale_step = 0,
	    .smooth = 1,
	    .quadratic = 0,
	    .curvature = 0.5,
	    .classes = softmax_classes },
	{ .name = "poisson",
	    .target = LOSS_NUMBER,
	    .constant = "mean",
	    .start = LOSS_START_LOG,
	    .scale_step = 0,
	    .smooth = 1,
	    .quadratic = 0,
	    .curvature = 0,
	    .value = poisson_value,
	    .deriv = poisson_deriv },
};

const struct loss *
loss_find(const char *name)
{
	for (size_t i = 0; i < sizeof(losses) / sizeof(losses[0]); i++)
		if (strcmp(losses[i].name, name) == 0)
			return &losses[i];
	return NULL;
}

const char *
loss_names(void)
{
	return "mse, mae, huber, quantile, logistic, softmax, poisson";
}

double
loss_predict(const double *w, const double *row, size_t d)
{
	return w[0] + linalg_dot(w + 1, row, d);
}

size_t
loss_outputs(const struct loss *l, const struct dataset *ds)
{
	return l->target == LOSS_CLASSES ? ds->classes : 1;
}

/* The K scores of row x (d features) into z: one dot product per block of w. */
static void
scores(const double *w, const double *x, size_t d, size_t K, double *z)
{
	for (size_t k = 0; k < K; k++)
		z[k] = loss_predict(w + k * (d + 1), x, d);
}

/*
 * loss_gradient for K classes: grad (K·(d + 1)) gets, per block k, the mean of
 * dz_k·[1, x]; returns the mean loss. grad NULL: the loss alone.
 */
static double
classes_gradient(const struct loss *l, const struct dataset *ds,
    const size_t *rows, size_t n, const double *w, double *grad)
{
	size_t d = ds->d, K = ds->classes;
	double *z = xcalloc(2 * K, sizeof(double)), *dz = z + K, sum = 0;

	if (grad != NULL)
		memset(grad, 0, K * (d + 1) * sizeof(double));
	for (size_t k = 0; k < n; k++) {
		size_t i = rows ? rows[k] : k;
		const double *x = dataset_row(ds, i);
		double v = dataset_weight(ds, i);

		scores(w, x, d, K, z);
		sum += v * l->classes(z, K, (size_t)x[d], grad ? dz : NULL);
		for (size_t c = 0; grad != NULL && c < K; c++) {
			grad[c * (d + 1)] += v * dz[c];
			linalg_axpy(v * dz[c], x, grad + c * (d + 1) + 1, d);
		}
	}
	for (size_t j = 0; grad != NULL && j < K * (d + 1); j++)
		grad[j] /= (double)n;
	free(z);
	return sum / (double)n;
}

double
loss_mean(const struct loss *l, double delta, const struct dataset *ds,
    const size_t *rows, size_t count, const double *w)
{
	size_t n = rows ? count : ds->n;
	double sum = 0;

	if (l->target == LOSS_CLASSES)
		return classes_gradient(l, ds, rows, n, w, NULL);
	for (size_t k = 0; k < n; k++) {
		size_t i = rows ? rows[k] : k;
		const double *x = dataset_row(ds, i);

		sum += dataset_weight(ds, i) *
		    l->value(loss_predict(w, x, ds->d), x[ds->d], delta);
	}
	return sum / (double)n;
}

double
loss_kink(const struct loss *l, double delta)
{
	if (l->smooth || l->target != LOSS_NUMBER)
		return 0;
	/* Slopes one unit either side of the kink at pred = y = 0. */
	return l->deriv(1, 0, delta) - l->deriv(-1, 0, delta);
}

/*
 * Whether pred lies in the band |pred − y| ≤ mu where a loss that is not smooth
 * is smoothed; if so, the slopes a and b of its two pieces there.
 */
static int
in_band(const struct loss *l, double pred, double y, double delta, double mu,
    double *a, double *b)
{
	if (l->smooth || !(mu > 0) || fabs(pred - y) > mu)
		return 0;
	*a = l->deriv(y - 1, y, delta);
	*b = l->deriv(y + 1, y, delta);
	return 1;
}

double
loss_smoothed_value(const struct loss *l, double pred, double y, double delta,
    double mu)
{
	double r = pred - y, a, b;

	if (!in_band(l, pred, y, delta, mu, &a, &b))
		return l->value(pred, y, delta);
	return l->value(y, y, delta) + (b - a) * mu / 4 + (a + b) * r / 2 +
	    (b - a) * r * r / (4 * mu);
}

double
loss_smoothed_deriv(const struct loss *l, double pred, double y, double delta,
    double mu)
{
	double a, b;

	if (!in_band(l, pred, y, delta, mu, &a, &b))
		return l->deriv(pred, y, delta);
	return (a + b) / 2 + (b - a) * (pred - y) / (2 * mu);
}

double
loss_gradient(const struct loss *l, double delta, double mu,
    const struct dataset *ds, const size_t *rows, size_t count, const double *w,
    double *grad, double *smoothed)
{
	size_t n = rows ? count : ds->n, d = ds->d;
	double sum = 0, smooth_sum = 0;
	int smoothing = !l->smooth && mu > 0;

	if (l->target == LOSS_CLASSES) {
		sum = classes_gradient(l, ds, rows, n, w, grad);
		if (smoothed != NULL)
			*smoothed = sum;
		return sum;
	}
	memset(grad, 0, (d + 1) * sizeof(double));
	for (size_t k = 0; k < n; k++) {
		size_t i = rows ? rows[k] : k;
		const double *x = dataset_row(ds, i);
		double pred, g, v = dataset_weight(ds, i);

		/* Rows of a list come in random order: ask for them ahead. */
		if (rows != NULL && k + DATASET_PREFETCH_ROWS < n)
			dataset_prefetch(ds, rows + k + DATASET_PREFETCH_ROWS,
			    1);
		pred = loss_predict(w, x, d);

		sum += v * l->value(pred, x[d], delta);
		if (smoothing) {
			smooth_sum +=
			    v * loss_smoothed_value(l, pred, x[d], delta, mu);
			g = v * loss_smoothed_deriv(l, pred, x[d], delta, mu);
		} else
			g = v * l->deriv(pred, x[d], delta);
		grad[0] += g;
		linalg_axpy(g, x, grad + 1, d);
	}
	for (size_t j = 0; n > 1 && j <= d; j++)
		grad[j] /= (double)n;
	if (ds->offset)
		grad[d] = 0;
	if (smoothed != NULL)
		*smoothed = (smoothing ? smooth_sum : sum) / (double)n;
	return sum / (double)n;
}

int
loss_quadratic(const struct moments *m, const double *w, double *value,
    double *grad)
{
	/*
	 * With means μ (features) and ȳ, centred covariances Cxx, cxy, syy and
	 * the error at the means e0 = ȳ − w0 − μ·w, the residual r splits into
	 * a centred part and the constant e0, whose cross term sums to zero:
	 *   mean r² = wᵀCxx w − 2 wᵀcxy + syy + e0²,
	 *   ∂/∂w0 = −2 e0,   ∂/∂w = 2 (Cxx w − cxy) − 2 e0 μ.
	 */
	size_t d = m->d, p = d + 1;
	const double *cov = m->cov, *cxy_row = cov + d * p;
	double e0 = m->mean[d] - w[0] - linalg_dot(m->mean, w + 1, d);
	double syy = cxy_row[d], quad = 0,
	       cross = linalg_dot(cxy_row, w + 1, d);

	for (size_t a = 0; a < d; a++) {
		double cw = linalg_dot(cov + a * p, w + 1, d);

		quad += w[a + 1] * cw;
		if (grad != NULL)
			grad[a + 1] =
			    2 * (cw - cxy_row[a]) - 2 * e0 * m->mean[a];
	}
	if (grad != NULL)
		grad[0] = -2 * e0;
	*value = (quad - 2 * cross + syy) + e0 * e0;
	/*
	 * The terms are of the size of syy and each carries a rounding error of
	 * about 1e-16 of it; below 1e-6·syy fewer than ten digits would be
	 * left.
	 */
	return *value >= 1e-6 * syy ? 0 : -1;
}

/*
 * log(Σy / Σe^o) over ds's rows (of all ranks), o the offset or 0: the
 * intercept that makes the fitted means sum to the counts' sum.
 */
static double
log_start(const struct dataset *ds)
{
	double sum[2] = { 0, 0 };

	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);

		sum[0] += x[ds->d];
		sum[1] += ds->offset ? exp(x[ds->d - 1]) : 1;
	}
	dataset_sum_across_ranks(ds, sum, 2);
	return log(sum[0] / sum[1]);
}

double
loss_start_value(const struct loss *l, double param, const struct dataset *ds)
{
	if (l->start == LOSS_START_QUANTILE)
		return dataset_target_quantile(ds, param);
	if (l->start == LOSS_START_LOG)
		return log_start(ds);
	if (l->start == LOSS_START_MEAN && ds->rw != NULL && !ds->spread) {
		double sum = 0; /* with row weights, their mean of y */

		for (size_t i = 0; i < ds->n; i++)
			sum += dataset_weight(ds, i) * dataset_target(ds, i);
		return sum / (double)ds->n;
	}
	return l->start == LOSS_START_MEDIAN ? dataset_target_median(ds)
					     : dataset_target_mean(ds);
}

void
loss_start(const struct loss *l, double param, const struct dataset *ds,
    double *w)
{
	size_t K = loss_outputs(l, ds), p = K * (ds->d + 1);
	double *count;

	memset(w, 0, p * sizeof(double));
	switch (l->start) {
	case LOSS_START_MEAN:
	case LOSS_START_MEDIAN:
	case LOSS_START_QUANTILE:
		w[0] = loss_start_value(l, param, ds);
		return;
	case LOSS_START_LOGIT:
		/* The mean of a 0/1 target, kept off 0 and 1 as the priors are.
		 */
		w[0] = log((dataset_target_mean(ds) * (double)ds->n + 1) /
		    ((1 - dataset_target_mean(ds)) * (double)ds->n + 1));
		return;
	case LOSS_START_LOG:
		w[0] = log_start(ds);
		if (ds->offset)
			w[ds->d] = 1;
		return;
	case LOSS_START_PRIORS:
		count = xcalloc(K, sizeof(double));
		for (size_t i = 0; i < ds->n; i++)
			count[(size_t)dataset_target(ds, i)]++;
		for (size_t k = 0; k < K; k++)
			w[k * (ds->d + 1)] =
			    log((count[k] + 1) / ((double)ds->n + (double)K));
		free(count);
		return;
	}
}

double
loss_accuracy(const struct loss *l, const struct dataset *ds, const double *w)
{
	size_t K = loss_outputs(l, ds);
	double *z = xcalloc(K, sizeof(double)), right = 0;

	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		size_t best = 0;

		scores(w, x, ds->d, K, z);
		if (l->target == LOSS_BINARY)
			best = z[0] > 0;
		for (size_t k = 1; l->target == LOSS_CLASSES && k < K; k++)
			if (z[k] > z[best])
				best = k;
		if (best == (size_t)x[ds->d])
			right += dataset_weight(ds, i);
	}
	free(z);
	return ds->n ? right / (double)ds->n : (double)NAN;
}
