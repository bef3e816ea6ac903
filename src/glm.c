/*
 * glm.c: logistic regression by Newton's method, and separation.
 *
 * With η = Xβ (X = [1, x], n × p) and μ = 1 / (1 + e^{−η}), the deviance is
 *   D(β) = −2 Σ_i [y_i log μ_i + (1 − y_i) log(1 − μ_i)],
 * its gradient −2Xᵀ(y − μ) and its Hessian 2XᵀWX, W = diag(μ(1 − μ)). The
 * Newton step from β is the weighted least-squares solution
 *   β⁺ = argmin_b ‖W^½(z − Xb)‖²,  z = η + (y − μ) / (μ(1 − μ)),
 * (McCullagh & Nelder, Generalized Linear Models, 2nd ed., §2.5), found here
 * as R's glm.fit finds it: a QR factorization of W^½[X, z], never the normal
 * equations. The factorization is built a block of rows at a time (solve.h's
 * qr_stack), so it needs memory for one block. The weights follow R's logit
 * link (its C code in family.c): μ and dμ/dη clamped where |η| > 30, so that a
 * separated fit's weights stay positive. The inverse Fisher information is
 * (RᵀR)⁻¹ from the QR at the final β.
 *
 * The first step starts, as R's, from fitted probabilities μ = (y + 0.5) / 2,
 * not from a β; a step that raises the deviance is halved, up to 50 times.
 * Once R's test has stopped the iterations, one more step is taken (see
 * polish), which R does not take: the estimates then do not depend on where
 * the test happened to stop, nor on the scaling of the features.
 *
 * Separation (Albert & Anderson, "On the existence of maximum likelihood
 * estimates in logistic regression models", Biometrika 1984): the weights have
 * no finite maximum when some b ≠ 0 has (2y_i − 1)·x_iᵀb ≥ 0 for every row
 * (quasi-complete; complete when > 0 for all). Then Newton's method drives
 * ‖β‖ up and the fitted probabilities of the separated rows to 0 or 1 until
 * the deviance stops changing, which R warns of. Two checks here are exact:
 * a single feature whose values separate the classes (glm_feature_splits),
 * and a final β that itself puts every row on its class's side, which makes β
 * a separating hyperplane (complete separation).
 */
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glm.h"
#include "solve.h"

/* Rows per QR factorization of the stack, as solve.c's. */
#define GLM_BLOCK 1024

/* R's logit link clamps e^η beyond |η| > GLM_THRESH. */
#define GLM_THRESH 30.0

/* Steps halved at most this many times. */
#define GLM_HALVINGS 50

/* μ(η) as R's logit linkinv. */
static double
link_mu(double eta)
{
	double t = eta < -GLM_THRESH ? DBL_EPSILON
	    : eta > GLM_THRESH	     ? 1 / DBL_EPSILON
				     : exp(eta);

	return t / (1 + t);
}

/* dμ/dη as R's logit mu.eta. */
static double
link_deriv(double eta)
{
	double o = 1 + exp(eta);

	return fabs(eta) > GLM_THRESH ? DBL_EPSILON : exp(eta) / (o * o);
}

/* log(1 + e^z) without overflow. */
static double
softplus(double z)
{
	return fmax(z, 0) + log1p(exp(-fabs(z)));
}

/* η of a row (d features) at β, over the kept terms only. */
static double
row_eta(const double *x, size_t d, const double *beta)
{
	double eta = beta[0];

	for (size_t j = 0; j < d; j++)
		eta += beta[j + 1] * x[j];
	return eta;
}

/*
 * One Newton step's factorization: R̃ of W^½[X_K, z] over the rows, K the kept
 * columns (keep, k of them), η from β (or R's start when beta is NULL), into
 * st->r, a (k + 1) × (k + 1) triangle.
 */
/*
 * 0 if the stacked R factor (q × q) of a Newton step is finite, else -1 with e
 * saying the step overflows (family names the regression).
 */
static int
step_finite(const struct qr_stack *st, size_t q, const char *family,
    struct error *e)
{
	for (size_t i = 0; i < q * q; i++)
		if (!isfinite(st->r[i]))
			return error_set(e, EXIT_INPUT,
			    "%s regression: the Newton step overflows a "
			    "double; rescale the features",
			    family);
	return 0;
}

static int
factorize(const struct dataset *ds, const double *beta, const size_t *keep,
    size_t k, struct qr_stack *st, struct error *e)
{
	size_t d = ds->d, q = k + 1;

	memset(st->r, 0, q * q * sizeof(double));
	for (size_t start = 0; start < ds->n; start += GLM_BLOCK) {
		size_t rows =
		    ds->n - start < GLM_BLOCK ? ds->n - start : GLM_BLOCK;

		for (size_t i = 0; i < rows; i++) {
			const double *x = dataset_row(ds, start + i);
			double y = x[d], eta, mu, me, w, z;

			eta = beta ? row_eta(x, d, beta)
				   : log((y + 0.5) / (1.5 - y));
			mu = link_mu(eta);
			me = link_deriv(eta);
			w = sqrt(me * me / (mu * (1 - mu)));
			z = eta + (y - mu) / me;
			for (size_t c = 0; c < k; c++)
				st->a[q + i + c * st->ld] =
				    w * (keep[c] == 0 ? 1 : x[keep[c] - 1]);
			st->a[q + i + k * st->ld] = w * z;
		}
		if (qr_stack_absorb(st, rows, e) != 0)
			return -1;
	}
	return step_finite(st, q, "logistic", e);
}

/* β_K = R⁻¹c from the triangle of factorize (β 0 off K). */
static int
solve_step(const struct qr_stack *st, const size_t *keep, size_t k, size_t p,
    double *beta, struct error *e)
{
	size_t q = k + 1;
	double *r = xcalloc(k * k, sizeof(double)),
	       *c = xcalloc(k, sizeof(double));
	lapack_int info;

	for (size_t j = 0; j < k; j++) {
		memcpy(r + j * k, st->r + j * q, (j + 1) * sizeof(double));
		c[j] = st->r[j + k * q];
	}
	info = LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'N', 'N', (lapack_int)k, 1,
	    r, (lapack_int)k, c, (lapack_int)k);
	memset(beta, 0, p * sizeof(double));
	for (size_t j = 0; info == 0 && j < k; j++)
		beta[keep[j]] = c[j];
	free(r);
	free(c);
	if (info != 0)
		return error_set(e, EXIT_INPUT,
		    "logistic regression: LAPACK dtrtrs "
		    "failed (info %d)",
		    (int)info);
	return 0;
}

/* The deviance at β over the rows. */
static double
deviance(const struct dataset *ds, const double *beta)
{
	double dev = 0;

	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double eta = row_eta(x, ds->d, beta);

		dev += 2 * softplus(x[ds->d] > 0 ? -eta : eta);
	}
	return dev;
}

/* deviance() for settle(). */
static double
log_deviance(const void *ds, const double *beta)
{
	return deviance(ds, beta);
}

/*
 * The end of a Newton step at g->beta from old (p weights): the step halved
 * back towards old while the deviance dev_of(ctx, ·) rises above *devold
 * (from the second step on), then the convergence test on its change, R's
 * |dev − devold| / (|dev| + 0.1) < GLM_EPSILON. Returns 1 when converged, 0 to
 * go on (old and *devold then the new step's), -1 with e filled when the
 * deviance is not finite (family names the regression in the message).
 */
static int
settle(struct glm_fit *g, double *old, size_t p, double *devold,
    double (*dev_of)(const void *, const double *), const void *ctx,
    const char *family, struct error *e)
{
	double dev = dev_of(ctx, g->beta);

	for (int h = 0;
	     g->iterations > 1 && h < GLM_HALVINGS && !(dev <= *devold); h++) {
		for (size_t j = 0; j < p; j++)
			g->beta[j] = (g->beta[j] + old[j]) / 2;
		dev = dev_of(ctx, g->beta);
	}
	if (!isfinite(dev))
		return error_set(e, EXIT_INPUT,
		    "%s regression: the deviance is not finite after %u Newton "
		    "steps",
		    family, g->iterations);
	g->deviance = dev;
	if (fabs(dev - *devold) / (fabs(dev) + 0.1) < GLM_EPSILON) {
		g->converged = 1;
		return 1;
	}
	*devold = dev;
	memcpy(old, g->beta, p * sizeof(double));
	return 0;
}

/* (RᵀR)⁻¹ over the kept terms into g->cov, 0 elsewhere. */
static int
covariance(const struct qr_stack *st, const size_t *keep, size_t k,
    struct glm_fit *g, struct error *e)
{
	size_t p = g->p, q = k + 1;
	double *r = xcalloc(k * k, sizeof(double));
	lapack_int info;

	for (size_t j = 0; j < k; j++)
		memcpy(r + j * k, st->r + j * q, (j + 1) * sizeof(double));
	info = LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'U', 'N', (lapack_int)k, r,
	    (lapack_int)k);
	memset(g->cov, 0, p * p * sizeof(double));
	for (size_t a = 0; info == 0 && a < k; a++)
		for (size_t b = 0; b < k; b++) {
			double sum = 0;

			for (size_t t = (a > b ? a : b); t < k; t++)
				sum += r[a + t * k] * r[b + t * k];
			g->cov[keep[a] * p + keep[b]] = sum;
		}
	free(r);
	if (info != 0)
		return error_set(e, EXIT_INPUT,
		    "logistic regression: the information "
		    "matrix is singular (LAPACK dtrtri info %d)",
		    (int)info);
	return 0;
}

/*
 * The rows at the edges, and what the end of the iterations shows: whether β
 * puts every row strictly on its class's side, (2y − 1)·η > 0 by more than
 * the rounding of η's sum (complete separation); else whether the last step
 * d = β − prev moves every row at an edge out, (2y − 1)·xᵀd ≥ GLM_GROWTH, and
 * every other row out or by at most GLM_ROUNDING of the largest |xᵀd| in (the
 * rounding of a step that leaves it in place): in a separated fit the
 * iterations move along such a direction, the rows at the edges going out by
 * about 1 in log-odds a step, while in a fit that has converged the last step
 * is rounding noise.
 */
static void
classify_rows(const struct dataset *ds, struct glm_fit *g, const double *prev)
{
	double *dir = xcalloc(g->p, sizeof(double)), most = 0, back = 0;
	int all = 1, out = 1;

	for (size_t j = 0; j < g->p; j++)
		dir[j] = g->beta[j] - prev[j];
	g->edge[0] = g->edge[1] = 0;
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double eta = row_eta(x, ds->d, g->beta), mu = link_mu(eta),
		       size;
		double step = row_eta(x, ds->d, dir);
		int y = x[ds->d] > 0,
		    edge = y ? mu > 1 - GLM_EDGE : mu < GLM_EDGE;

		g->edge[y] += edge;
		size = fabs(g->beta[0]);
		for (size_t j = 0; j < ds->d; j++)
			size += fabs(g->beta[j + 1] * x[j]);
		if (!((y ? eta : -eta) > 1e-9 * size))
			all = 0;
		step = y ? step : -step;
		most = fmax(most, fabs(step));
		if (edge && !(step >= GLM_GROWTH))
			out = 0;
		else if (!edge)
			back = fmax(back, -step);
	}
	free(dir);
	if (all)
		g->separated = GLM_COMPLETE;
	else if (g->edge[0] + g->edge[1] == 0)
		g->separated = GLM_OVERLAP;
	else if (out && back <= GLM_ROUNDING * most)
		g->separated = GLM_QUASI;
	else
		g->separated = GLM_EDGES;
}

/* The null deviance and the checks of the target: 0 or 1, finite features. */
static int
check_rows(const struct dataset *ds, struct glm_fit *g, struct error *e)
{
	double ones = 0, n = (double)ds->n, ybar;

	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);

		if (x[ds->d] != 0 && x[ds->d] != 1)
			return error_set(e, EXIT_INPUT,
			    "logistic regression: row %zu's "
			    "target is %g, not 0 or 1",
			    i + 1, x[ds->d]);
		for (size_t j = 0; j < ds->d; j++)
			if (!isfinite(x[j]))
				return error_set(e, EXIT_INPUT,
				    "logistic regression: "
				    "row %zu's \"%s\" is not a finite number",
				    i + 1, ds->names[j]);
		ones += x[ds->d];
	}
	ybar = ones / n;
	g->null_deviance = 0;
	if (ones > 0)
		g->null_deviance -= 2 * ones * log(ybar);
	if (ones < n)
		g->null_deviance -= 2 * (n - ones) * log1p(-ybar);
	return 0;
}

/*
 * Newton's iterations from R's start; g->beta and g->deviance at the end, and
 * in old (p) the β before the last step (0 after one step). The
 * first factorization also decides the aliased columns, and is redone without
 * them when there are any.
 */
static int
iterate(const struct dataset *ds, struct glm_fit *g, size_t *keep, size_t *k,
    struct qr_stack *st, double *old, struct error *e)
{
	size_t p = g->p;
	double devold = 0;
	int status = -1;

	/* R's devold: the deviance at the start's μ, 2·log(4/3) a row. */
	for (size_t i = 0; i < ds->n; i++)
		devold += 2 * softplus(-log(3.0));
	for (g->iterations = 1; g->iterations <= GLM_MAXIT; g->iterations++) {
		const double *from = g->iterations == 1 ? NULL : g->beta;

		if (factorize(ds, from, keep, *k, st, e) != 0)
			goto out;
		if (g->iterations == 1) {
			g->rank = solve_aliased(st->r, p, p + 1, g->aliased);
			if (g->rank < p) {
				*k = 0;
				for (size_t j = 0; j < p; j++)
					if (!g->aliased[j])
						keep[(*k)++] = j;
				qr_stack_free(st);
				qr_stack_init(st, *k + 1, GLM_BLOCK);
				if (factorize(ds, NULL, keep, *k, st, e) != 0)
					goto out;
			}
		}
		if (solve_step(st, keep, *k, p, g->beta, e) != 0)
			goto out;
		switch (settle(g, old, p, &devold, log_deviance, ds, "logistic",
		    e)) {
		case -1:
			goto out;
		case 1:
			break;
		default:
			continue;
		}
		break;
	}
	if (!g->converged)
		g->iterations = GLM_MAXIT;
	status = 0;
out:
	return status;
}

/*
 * One more Newton step from the converged β, kept if it does not raise the
 * deviance: the test on the deviance stops when β is within about √ε of the
 * optimum (the deviance is quadratic there), and the step squares that error.
 * Leaves in st the factorization at the final β, for its covariance, and in
 * prev the β before it.
 */
static int
polish(const struct dataset *ds, struct glm_fit *g, const size_t *keep,
    size_t k, struct qr_stack *st, double *prev, struct error *e)
{
	double *next = xcalloc(g->p, sizeof(double)), dev;
	int status = -1;

	if (factorize(ds, g->beta, keep, k, st, e) != 0 ||
	    solve_step(st, keep, k, g->p, next, e) != 0)
		goto out;
	dev = deviance(ds, next);
	status = 0;
	if (g->converged && dev <= g->deviance) {
		memcpy(prev, g->beta, g->p * sizeof(double));
		memcpy(g->beta, next, g->p * sizeof(double));
		g->deviance = dev;
		status = factorize(ds, g->beta, keep, k, st, e);
	}
out:
	free(next);
	return status;
}

int
glm_logistic(const struct dataset *ds, struct glm_fit *g, struct error *e)
{
	size_t p = ds->d + 1, k = p, *keep = xcalloc(p, sizeof(size_t));
	double *prev = xcalloc(p, sizeof(double));
	struct qr_stack st;
	int status = -1;

	memset(g, 0, sizeof(*g));
	g->n = ds->n;
	g->p = p;
	g->aliased = xcalloc(p, sizeof(int));
	g->beta = xcalloc(p, sizeof(double));
	g->cov = xcalloc(p * p, sizeof(double));
	for (size_t j = 0; j < p; j++)
		keep[j] = j;
	qr_stack_init(&st, p + 1, GLM_BLOCK);
	if (ds->spread) {
		error_set(e, EXIT_INPUT,
		    "logistic regression by Newton's method "
		    "needs all the rows in one process, not spread over ranks");
		goto out;
	}
	if (check_rows(ds, g, e) != 0 ||
	    iterate(ds, g, keep, &k, &st, prev, e) != 0 ||
	    polish(ds, g, keep, k, &st, prev, e) != 0 ||
	    covariance(&st, keep, k, g, e) != 0)
		goto out;
	g->df = (double)g->n - (double)g->rank;
	g->null_df = (double)g->n - 1;
	g->aic = g->deviance + 2 * (double)g->rank;
	classify_rows(ds, g, prev);
	status = 0;
out:
	qr_stack_free(&st);
	free(keep);
	free(prev);
	if (status != 0)
		glm_fit_free(g);
	return status;
}

void
glm_fit_free(struct glm_fit *g)
{
	free(g->aliased);
	free(g->beta);
	free(g->cov);
	g->aliased = NULL;
	g->beta = g->cov = NULL;
}

size_t
glm_feature_splits(const struct dataset *ds, size_t classes,
    struct glm_split *out, size_t max)
{
	size_t d = ds->d, K = classes, found = 0;
	/* Per class k and feature j: min and max over the class (lo_in, hi_in)
	 * and over the others (lo_out, hi_out); ±HUGE_VAL when there are none.
	 */
	double *lo = xcalloc(2 * K * d, sizeof(double));
	double *hi = xcalloc(2 * K * d, sizeof(double));

	for (size_t i = 0; i < 2 * K * d; i++) {
		lo[i] = HUGE_VAL;
		hi[i] = -HUGE_VAL;
	}
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		size_t y = (size_t)x[d];

		for (size_t k = 0; k < K; k++) {
			double *l = lo + (2 * k + (k != y)) * d;
			double *h = hi + (2 * k + (k != y)) * d;

			for (size_t j = 0; j < d; j++) {
				if (isnan(x[j]))
					continue;
				l[j] = fmin(l[j], x[j]);
				h[j] = fmax(h[j], x[j]);
			}
		}
	}
	dataset_min_across_ranks(ds, lo, 2 * K * d);
	dataset_max_across_ranks(ds, hi, 2 * K * d);
	for (size_t k = K == 2 ? 1 : 0; k < K; k++) {
		const double *li = lo + 2 * k * d, *lx = li + d;
		const double *hin = hi + 2 * k * d, *hx = hin + d;

		for (size_t j = 0; j < d; j++) {
			struct glm_split s = { .feature = j, .class = k };

			/* No rows on one side, or a constant column: no split.
			 */
			if (li[j] > hin[j] || lx[j] > hx[j] ||
			    fmin(li[j], lx[j]) == fmax(hin[j], hx[j]))
				continue;
			if (hx[j] <= li[j]) {
				s.above = 1;
				s.complete = hx[j] < li[j];
			} else if (hin[j] <= lx[j]) {
				s.complete = hin[j] < lx[j];
			} else {
				continue;
			}
			if (found < max)
				out[found] = s;
			found++;
		}
	}
	free(lo);
	free(hi);
	return found;
}

/*
 * Poisson regression with the log link: μ = e^η, η = xᵀβ + o (o the offset,
 * its coefficient fixed at 1), prior weights v, deviance
 *   D(β) = 2 Σ_i v_i [y_i log(y_i / μ_i) − (y_i − μ_i)]   (y log y = 0 at 0).
 * Its Newton (Fisher scoring, the same for a canonical link) step is the
 * weighted least-squares fit of z = η − o + (y − μ)/μ with weights v·μ
 * (McCullagh & Nelder §2.5, Table 2.1), a QR of (vμ)^½[X, z] as above. R's
 * start is μ = y + 0.1, η = log μ (the offset not subtracted from that first
 * η, as in glm.fit), and its first deviance that of the start.
 */
struct pois {
	const struct dataset *ds;
	const double *offset; /* NULL: none */
	const double *prior;  /* NULL: all 1 */
};

/* η of row i at β (the offset included), or R's start when beta is NULL. */
static double
pois_eta(const struct pois *m, size_t i, const double *beta)
{
	const double *x = dataset_row(m->ds, i);

	if (beta == NULL)
		return log(x[m->ds->d] + 0.1);
	return row_eta(x, m->ds->d, beta) + (m->offset ? m->offset[i] : 0);
}

/* The factorization of (vμ)^½[X_K, z] at β (NULL: the start) into st->r. */
static int
pois_factorize(const struct pois *m, const double *beta, const size_t *keep,
    size_t k, struct qr_stack *st, struct error *e)
{
	const struct dataset *ds = m->ds;
	size_t d = ds->d, q = k + 1;

	memset(st->r, 0, q * q * sizeof(double));
	for (size_t start = 0; start < ds->n; start += GLM_BLOCK) {
		size_t rows =
		    ds->n - start < GLM_BLOCK ? ds->n - start : GLM_BLOCK;

		for (size_t i = 0; i < rows; i++) {
			size_t row = start + i;
			const double *x = dataset_row(ds, row);
			double y = x[d], eta = pois_eta(m, row, beta),
			       mu = exp(eta);
			double off = m->offset ? m->offset[row] : 0;
			double w = sqrt((m->prior ? m->prior[row] : 1) * mu);
			double z = eta - off + (y - mu) / mu;

			for (size_t c = 0; c < k; c++)
				st->a[q + i + c * st->ld] =
				    w * (keep[c] == 0 ? 1 : x[keep[c] - 1]);
			st->a[q + i + k * st->ld] = w * z;
		}
		if (qr_stack_absorb(st, rows, e) != 0)
			return -1;
	}
	return step_finite(st, q, "Poisson", e);
}

/* The unit deviance 2·[y log(y/μ) − (y − μ)] at η = log μ. */
static double
pois_unit(double y, double eta)
{
	return 2 * ((y > 0 ? y * (log(y) - eta) : 0) - (y - exp(eta)));
}

/* D at β (NULL: R's start μ = y + 0.1). */
static double
pois_deviance(const struct pois *m, const double *beta)
{
	double dev = 0;

	for (size_t i = 0; i < m->ds->n; i++) {
		double v = m->prior ? m->prior[i] : 1;

		if (v != 0)
			dev += v *
			    pois_unit(dataset_target(m->ds, i),
				pois_eta(m, i, beta));
	}
	return dev;
}

/* pois_deviance() for settle(). */
static double
pois_deviance_of(const void *m, const double *beta)
{
	return pois_deviance(m, beta);
}

/*
 * The checks of the rows (counts finite and ≥ 0, features, offsets and
 * weights finite, weights ≥ 0), the rows of nonzero weight, and the null
 * deviance: of μ = e^o·Σvy / Σv·e^o with an intercept (its maximum
 * likelihood, R's null model with the offset), of μ = e^o without.
 */
static int
pois_check(const struct pois *m, int intercept, struct glm_fit *g,
    double *nonzero, struct error *e)
{
	const struct dataset *ds = m->ds;
	double sy = 0, se = 0, scale;

	*nonzero = 0;
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double v = m->prior ? m->prior[i] : 1;
		double o = m->offset ? m->offset[i] : 0;

		if (!(x[ds->d] >= 0) || !isfinite(x[ds->d]))
			return error_set(e, EXIT_INPUT,
			    "Poisson regression: row "
			    "%zu's target is %g, not a count (a finite number, "
			    "0 "
			    "or more)",
			    i + 1, x[ds->d]);
		for (size_t j = 0; j < ds->d; j++)
			if (!isfinite(x[j]))
				return error_set(e, EXIT_INPUT,
				    "Poisson regression: "
				    "row %zu's \"%s\" is not a finite number",
				    i + 1, ds->names[j]);
		if (!isfinite(o))
			return error_set(e, EXIT_INPUT,
			    "Poisson regression: row "
			    "%zu's offset is %g, not a finite number",
			    i + 1, o);
		if (!(v >= 0) || !isfinite(v))
			return error_set(e, EXIT_INPUT,
			    "Poisson regression: row "
			    "%zu's weight is %g: a weight must be a finite "
			    "number, 0 or more",
			    i + 1, v);
		*nonzero += v != 0;
		sy += v * x[ds->d];
		se += v * exp(o);
	}
	if (*nonzero == 0)
		return error_set(e, EXIT_INPUT,
		    "Poisson regression: no row has "
		    "a nonzero weight");
	scale = intercept ? log(sy / se) : 0;
	g->null_deviance = 0;
	for (size_t i = 0; i < ds->n; i++) {
		double v = m->prior ? m->prior[i] : 1;
		double o = m->offset ? m->offset[i] : 0;

		if (v != 0)
			g->null_deviance +=
			    v * pois_unit(dataset_target(ds, i), o + scale);
	}
	return 0;
}

/*
 * Newton's iterations from R's start, as iterate for the logistic, then one
 * more step kept if it does not raise the deviance (as polish), leaving in
 * st the factorization at the final β. keep holds the k columns fitted (all
 * but the intercept without one); the first factorization decides which of
 * them are aliased.
 */
static int
pois_iterate(const struct pois *m, struct glm_fit *g, size_t *keep, size_t *k,
    struct qr_stack *st, struct error *e)
{
	size_t p = g->p;
	double devold = pois_deviance(m, NULL), dev;
	double *old = xcalloc(p, sizeof(double)), *next = old;
	int status = -1;

	for (g->iterations = 1; g->iterations <= GLM_MAXIT; g->iterations++) {
		const double *from = g->iterations == 1 ? NULL : g->beta;

		if (pois_factorize(m, from, keep, *k, st, e) != 0)
			goto out;
		if (g->iterations == 1) {
			int *al = xcalloc(*k, sizeof(int));
			size_t was = *k;

			solve_aliased(st->r, *k, *k + 1, al);
			*k = 0;
			for (size_t c = 0; c < was; c++) {
				g->aliased[keep[c]] = al[c];
				if (!al[c])
					keep[(*k)++] = keep[c];
			}
			free(al);
			if (*k < was) {
				qr_stack_free(st);
				qr_stack_init(st, *k + 1, GLM_BLOCK);
				if (pois_factorize(m, NULL, keep, *k, st, e) !=
				    0)
					goto out;
			}
			g->rank = *k;
		}
		if (solve_step(st, keep, *k, p, g->beta, e) != 0)
			goto out;
		switch (settle(g, old, p, &devold, pois_deviance_of, m,
		    "Poisson", e)) {
		case -1:
			goto out;
		case 1:
			break;
		default:
			continue;
		}
		break;
	}
	if (!g->converged)
		g->iterations = GLM_MAXIT;
	/* The polishing step (see polish); next reuses old's memory. */
	if (pois_factorize(m, g->beta, keep, *k, st, e) != 0 ||
	    solve_step(st, keep, *k, p, next, e) != 0)
		goto out;
	dev = pois_deviance(m, next);
	status = 0;
	if (g->converged && dev <= g->deviance) {
		memcpy(g->beta, next, p * sizeof(double));
		g->deviance = dev;
		status = pois_factorize(m, g->beta, keep, *k, st, e);
	}
out:
	free(old);
	return status;
}

int
glm_poisson(const struct dataset *ds, const double *offset, const double *prior,
    int intercept, struct glm_fit *g, struct error *e)
{
	size_t p = ds->d + 1, k = 0, *keep = xcalloc(p, sizeof(size_t));
	struct pois m = { .ds = ds, .offset = offset, .prior = prior };
	struct qr_stack st;
	double nonzero, aic = 0;
	int status = -1;

	memset(g, 0, sizeof(*g));
	g->n = ds->n;
	g->p = p;
	g->aliased = xcalloc(p, sizeof(int));
	g->beta = xcalloc(p, sizeof(double));
	g->cov = xcalloc(p * p, sizeof(double));
	g->aliased[0] = !intercept;
	for (size_t j = intercept ? 0 : 1; j < p; j++)
		keep[k++] = j;
	qr_stack_init(&st, k + 1, GLM_BLOCK);
	if (ds->spread) {
		error_set(e, EXIT_INPUT,
		    "Poisson regression by Newton's method "
		    "needs all the rows in one process, not spread over ranks");
		goto out;
	}
	if (pois_check(&m, intercept, g, &nonzero, e) != 0 ||
	    pois_iterate(&m, g, keep, &k, &st, e) != 0 ||
	    covariance(&st, keep, k, g, e) != 0)
		goto out;
	g->df = nonzero - (double)g->rank;
	g->null_df = nonzero - (intercept ? 1 : 0);
	/* R's poisson()$aic: −2 Σ v·log P(y; μ), + 2·rank. */
	for (size_t i = 0; i < ds->n; i++) {
		double v = prior ? prior[i] : 1, y = dataset_target(ds, i);
		double eta = pois_eta(&m, i, g->beta);

		if (v != 0)
			aic -= 2 * v *
			    ((y > 0 ? y * eta : 0) - exp(eta) - lgamma(y + 1));
	}
	g->aic = aic + 2 * (double)g->rank;
	status = 0;
out:
	qr_stack_free(&st);
	free(keep);
	if (status != 0)
		glm_fit_free(g);
	return status;
}

double
glm_poisson_deviance(const double *y, const double *mu, const double *prior,
    size_t n, double *mean)
{
	double dev = 0, sum = 0;

	for (size_t i = 0; i < n; i++) {
		double v = prior ? prior[i] : 1;

		if (v == 0)
			continue;
		dev += v * 2 *
		    ((y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0) -
			(y[i] - mu[i]));
		sum += v;
	}
	if (mean != NULL)
		*mean = dev / sum;
	return dev;
}

double
glm_poisson_loss(double z, double y)
{
	return exp(z) - y * z;
}

double
glm_poisson_gradient(double z, double y)
{
	return exp(z) - y;
}

double
glm_poisson_constant(double y)
{
	return y > 0 ? y * log(y) - y : 0;
}
