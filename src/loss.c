/*
 * loss.c: the loss table and the sums over rows.
 *
 * Each loss is written as a function of one prediction and its target, so that the
 * sums below serve every loss; with r = y − pred:
 *   mse  r²     derivative −2r
 *   mae  |r|    derivative −sign(r), taking sign(0) = 0: a row fitted exactly
 *               pulls neither way (0 is in the subdifferential there, the choice
 *               that lets exact fits stay put)
 *   huber r²/2 for |r| ≤ δ, δ·(|r| − δ/2) beyond (Huber, "Robust estimation of a
 *               location parameter", Ann. Math. Statist. 1964): squared near the
 *               fit, linear for outliers; derivative −r, or −δ·sign(r) beyond δ
 * The third argument is the loss's parameter, δ for huber; the others ignore it.
 */
#include <math.h>
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

static const struct loss losses[] = {
	{ .name = "mse", .constant = "mean", .start = LOSS_START_MEAN,
	  .scale_step = 0, .smooth = 1, .quadratic = 1, .curvature = 2,
	  .value = mse_value, .deriv = mse_deriv },
	{ .name = "mae", .constant = "median", .start = LOSS_START_MEDIAN,
	  .scale_step = 1, .smooth = 0, .quadratic = 0, .curvature = 2,
	  .value = mae_value, .deriv = mae_deriv },
	{ .name = "huber", .constant = "median", .start = LOSS_START_MEDIAN,
	  .scale_step = 0, .smooth = 1, .quadratic = 0, .curvature = 1,
	  .value = huber_value, .deriv = huber_deriv },
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
	return "mse, mae, huber";
}

double
loss_predict(const double *w, const double *row, size_t d)
{
	return w[0] + linalg_dot(w + 1, row, d);
}

double
loss_mean(const struct loss *l, double delta, const struct dataset *ds,
    const size_t *rows, size_t count, const double *w)
{
	size_t n = rows ? count : ds->n;
	double sum = 0;

	for (size_t k = 0; k < n; k++) {
		const double *x = dataset_row(ds, rows ? rows[k] : k);

		sum += l->value(loss_predict(w, x, ds->d), x[ds->d], delta);
	}
	return sum / (double)n;
}

double
loss_gradient(const struct loss *l, double delta, const struct dataset *ds,
    const size_t *rows, size_t count, const double *w, double *grad)
{
	size_t n = rows ? count : ds->n, d = ds->d;
	double sum = 0;

	memset(grad, 0, (d + 1) * sizeof(double));
	for (size_t k = 0; k < n; k++) {
		const double *x = dataset_row(ds, rows ? rows[k] : k);
		double pred = loss_predict(w, x, d), g;

		sum += l->value(pred, x[d], delta);
		g = l->deriv(pred, x[d], delta);
		grad[0] += g;
		linalg_axpy(g, x, grad + 1, d);
	}
	for (size_t j = 0; j <= d; j++)
		grad[j] /= (double)n;
	return sum / (double)n;
}

int
loss_quadratic(const struct moments *m, const double *w, double *value,
    double *grad)
{
	/*
	 * With means μ (features) and ȳ, centred covariances Cxx, cxy, syy and the
	 * error at the means e0 = ȳ − w0 − μ·w, the residual r splits into a centred
	 * part and the constant e0, whose cross term sums to zero:
	 *   mean r² = wᵀCxx w − 2 wᵀcxy + syy + e0²,
	 *   ∂/∂w0 = −2 e0,   ∂/∂w = 2 (Cxx w − cxy) − 2 e0 μ.
	 */
	size_t d = m->d, p = d + 1;
	const double *cov = m->cov, *cxy_row = cov + d * p;
	double e0 = m->mean[d] - w[0] - linalg_dot(m->mean, w + 1, d);
	double syy = cxy_row[d], quad = 0, cross = linalg_dot(cxy_row, w + 1, d);

	for (size_t a = 0; a < d; a++) {
		double cw = linalg_dot(cov + a * p, w + 1, d);

		quad += w[a + 1] * cw;
		if (grad != NULL)
			grad[a + 1] = 2 * (cw - cxy_row[a]) - 2 * e0 * m->mean[a];
	}
	if (grad != NULL)
		grad[0] = -2 * e0;
	*value = (quad - 2 * cross + syy) + e0 * e0;
	/*
	 * The terms are of the size of syy and each carries a rounding error of
	 * about 1e-16 of it; below 1e-6·syy fewer than ten digits would be left.
	 */
	return *value >= 1e-6 * syy ? 0 : -1;
}

double
loss_start_value(const struct loss *l, const struct dataset *ds)
{
	return l->start == LOSS_START_MEDIAN ? dataset_target_median(ds) :
	    dataset_target_mean(ds);
}
