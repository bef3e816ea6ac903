/*
 * cd.c: elastic-net least squares by coordinate descent on centred moments
 * (see cd.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "failure.h"

/* The tolerance of a full sweep's largest gram_jj·Δβ_j², relative to yvar. */
#define CD_TOL 1e-24

void
cd_moments(struct cd_problem *pb, const struct dataset *ds, const size_t *rows,
    size_t nrows)
{
	size_t p = ds->d;
	double *dx = xmalloc((p ? p : 1) * sizeof(double));

	pb->p = p;
	pb->n = nrows;
	pb->gram = xcalloc(p > 0 ? p * p : 1, sizeof(double));
	pb->cov = xcalloc(p ? p : 1, sizeof(double));
	pb->xbar = xcalloc(p ? p : 1, sizeof(double));
	pb->scale = xmalloc((p ? p : 1) * sizeof(double));
	pb->ybar = pb->yvar = 0;
	for (size_t j = 0; j < p; j++)
		pb->scale[j] = 1;
	for (size_t r = 0; r < nrows; r++) {
		const double *x = dataset_row(ds, rows ? rows[r] : r);

		for (size_t j = 0; j < p; j++)
			pb->xbar[j] += x[j];
		pb->ybar += x[p];
	}
	for (size_t j = 0; j < p; j++)
		pb->xbar[j] /= (double)nrows;
	pb->ybar /= (double)nrows;
	/* the upper triangle, then mirrored */
	for (size_t r = 0; r < nrows; r++) {
		const double *x = dataset_row(ds, rows ? rows[r] : r);
		double dy = x[p] - pb->ybar;

		for (size_t j = 0; j < p; j++)
			dx[j] = x[j] - pb->xbar[j];
		for (size_t j = 0; j < p; j++) {
			double *g = pb->gram + j * p;

			for (size_t k = j; k < p; k++)
				g[k] += dx[j] * dx[k];
			pb->cov[j] += dx[j] * dy;
		}
		pb->yvar += dy * dy;
	}
	for (size_t j = 0; j < p; j++) {
		for (size_t k = j; k < p; k++) {
			pb->gram[j * p + k] /= (double)nrows;
			pb->gram[k * p + j] = pb->gram[j * p + k];
		}
		pb->cov[j] /= (double)nrows;
	}
	pb->yvar /= (double)nrows;
	free(dx);
}

void
cd_standardize(struct cd_problem *pb)
{
	size_t p = pb->p;

	for (size_t j = 0; j < p; j++) {
		double sd = sqrt(pb->gram[j * p + j]);

		pb->scale[j] =
		    sd > 0 && sd > 1e-13 * fabs(pb->xbar[j]) ? sd : 0;
	}
	for (size_t j = 0; j < p; j++) {
		for (size_t k = 0; k < p; k++) {
			double s = pb->scale[j] * pb->scale[k];

			pb->gram[j * p + k] =
			    s > 0 ? pb->gram[j * p + k] / s : 0;
		}
		pb->cov[j] = pb->scale[j] > 0 ? pb->cov[j] / pb->scale[j] : 0;
	}
}

void
cd_free(struct cd_problem *pb)
{
	free(pb->gram);
	free(pb->cov);
	free(pb->xbar);
	free(pb->scale);
	memset(pb, 0, sizeof(*pb));
}

/* S(z, t) = sign(z)·max(|z| − t, 0) */
static double
soft(double z, double t)
{
	return z > t ? z - t : z < -t ? z + t : 0;
}

/*
 * One coordinate step on β_j (see cd.h), q = gram·β kept up to date; returns
 * gram_jj·Δβ_j², the fall in twice the objective's quadratic part scale.
 */
static double
step(const struct cd_problem *pb, double a, double b, double *beta, double *q,
    size_t j)
{
	size_t p = pb->p;
	const double *g = pb->gram + j * p;
	double v = g[j], z, next, d;

	if (v == 0)
		return 0;
	z = pb->cov[j] - q[j] + v * beta[j];
	next = soft(z, a) / (v + b);
	d = next - beta[j];
	if (d == 0)
		return 0;
	for (size_t k = 0; k < p; k++)
		q[k] += d * g[k];
	beta[j] = next;
	return v * d * d;
}

void
cd_solve(const struct cd_problem *pb, double a, double b, double *beta,
    unsigned long max_sweeps, struct cd_stats *st)
{
	size_t p = pb->p;
	double *q = xmalloc((p ? p : 1) * sizeof(double));
	double tol = CD_TOL * (pb->yvar > 0 ? pb->yvar : 1);

	st->sweeps = 0;
	st->converged = 0;
	while (st->sweeps < max_sweeps) {
		double dmax = 0;

		/* q afresh at each full sweep, so that rounding does not
		 * drift */
		for (size_t j = 0; j < p; j++) {
			double s = 0;

			for (size_t k = 0; k < p; k++)
				s += pb->gram[j * p + k] * beta[k];
			q[j] = s;
		}
		for (size_t j = 0; j < p; j++)
			dmax = fmax(dmax, step(pb, a, b, beta, q, j));
		st->sweeps++;
		if (dmax <= tol) {
			st->converged = 1;
			break;
		}
		/* the active set: the nonzero weights, until they settle */
		while (st->sweeps < max_sweeps) {
			dmax = 0;
			for (size_t j = 0; j < p; j++)
				if (beta[j] != 0)
					dmax = fmax(dmax,
					    step(pb, a, b, beta, q, j));
			st->sweeps++;
			if (dmax <= tol)
				break;
		}
	}
	free(q);
}

double
cd_rsq(const struct cd_problem *pb, const double *beta)
{
	size_t p = pb->p;
	double lin = 0, quad = 0;

	if (pb->yvar <= 0)
		return 0;
	for (size_t j = 0; j < p; j++) {
		double s = 0;

		for (size_t k = 0; k < p; k++)
			s += pb->gram[j * p + k] * beta[k];
		lin += pb->cov[j] * beta[j];
		quad += beta[j] * s;
	}
	return (2 * lin - quad) / pb->yvar;
}
