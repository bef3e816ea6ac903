/*
 * path.c: the elastic-net path and its cross-validation (see path.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "path.h"

/* glmnet's: the least α of λ_max, and when the path stops (glmnet.control's
 * fdev and devmax, and mnlam). */
#define PATH_ALPHA_FLOOR 1e-3
#define PATH_FDEV 1e-5
#define PATH_DEVMAX 0.999
#define PATH_MNLAM 5

/* The penalties of cd_solve at λ: a = λα, b = λ(1 − α)/s_y (see path.h). */
static void
penalties(double lambda, double alpha, double ysd, double *a, double *b)
{
	*a = lambda * alpha;
	*b = ysd > 0 ? lambda * (1 - alpha) / ysd : 0;
}

/* Allocate the arrays of up to m λ values. */
static void
path_alloc(struct path *pt, size_t m, size_t p)
{
	pt->lambda = xcalloc(m, sizeof(double));
	pt->intercept = xcalloc(m, sizeof(double));
	pt->beta = xcalloc(m * (p ? p : 1), sizeof(double));
	pt->nonzero = xcalloc(m, sizeof(size_t));
	pt->rsq = xcalloc(m, sizeof(double));
}

/*
 * The path on all rows: the sequence, the weights (standardized into std,
 * (m, p)), stopping early as glmnet does.
 */
static void
full_path(const struct cd_problem *pb, const struct path_options *o,
    double lmax, double ratio, struct path *pt, double *std)
{
	size_t p = pb->p, m = o->nlambda;
	double *beta = xcalloc(p ? p : 1, sizeof(double));

	pt->converged = 1;
	for (size_t k = 0; k < m; k++) {
		double a, b;
		struct cd_stats st;

		pt->lambda[k] = m > 1
		    ? exp(log(lmax) + (double)k / (double)(m - 1) * log(ratio))
		    : lmax;
		if (k > 0) {
			penalties(pt->lambda[k], o->alpha, pt->ysd, &a, &b);
			cd_solve(pb, a, b, beta, o->max_sweeps, &st);
			if (!st.converged)
				pt->converged = 0;
		}
		memcpy(std + k * p, beta, p * sizeof(double));
		pt->rsq[k] = cd_rsq(pb, beta);
		pt->intercept[k] = pb->ybar;
		pt->nonzero[k] = 0;
		for (size_t j = 0; j < p; j++) {
			double w =
			    pb->scale[j] > 0 ? beta[j] / pb->scale[j] : 0;

			pt->beta[k * p + j] = w;
			pt->intercept[k] -= pb->xbar[j] * w;
			pt->nonzero[k] += w != 0;
		}
		pt->nlambda = k + 1;
		if (k + 1 >= (m < PATH_MNLAM ? m : PATH_MNLAM) && k > 0 &&
		    (pt->rsq[k] - pt->rsq[k - 1] < PATH_FDEV * pt->rsq[k] ||
			pt->rsq[k] > PATH_DEVMAX))
			break;
	}
	free(beta);
}

/*
 * Fold f held out: the path fitted on the other rows at pt's λ values, the
 * squared errors of the held-out rows added into sse (nlambda).
 */
static void
fold_path(const struct dataset *ds, const struct path_options *o,
    const size_t *rows, size_t ntrain, size_t nval, struct path *pt,
    double *sse)
{
	struct cd_problem pb;
	size_t p = ds->d;
	double *beta, ysd;

	cd_moments(&pb, ds, rows, ntrain);
	cd_standardize(&pb);
	ysd = sqrt(pb.yvar);
	beta = xcalloc(p ? p : 1, sizeof(double));
	for (size_t k = 0; k < pt->nlambda; k++) {
		double a, b;
		struct cd_stats st;

		penalties(pt->lambda[k], o->alpha, ysd, &a, &b);
		cd_solve(&pb, a, b, beta, o->max_sweeps, &st);
		if (!st.converged)
			pt->converged = 0;
		sse[k] = 0;
		for (size_t i = ntrain; i < ntrain + nval; i++) {
			const double *x = dataset_row(ds, rows[i]);
			double r = x[p] - pb.ybar;

			for (size_t j = 0; j < p; j++)
				if (pb.scale[j] > 0)
					r -= (x[j] - pb.xbar[j]) / pb.scale[j] *
					    beta[j];
			sse[k] += r * r;
		}
	}
	free(beta);
	cd_free(&pb);
}

/* K-fold cross-validation of pt's λ values (see path.h). */
static int
cross_validate(const struct dataset *ds, const struct path_options *o,
    const size_t *fold, size_t K, struct path *pt, struct error *e)
{
	size_t n = ds->n, m = pt->nlambda;
	size_t *rows = xmalloc(n * sizeof(size_t));
	size_t *size = xcalloc(K, sizeof(size_t));
	double *sse = xcalloc(K * m, sizeof(double));
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		size[fold[i]]++;
	for (size_t k = 0; k < K; k++)
		if (size[k] == 0 || n - size[k] < 2) {
			rc = error_set(e, EXIT_INPUT, "fold %zu of %zu %s",
			    k + 1, K,
			    size[k] == 0 ? "has no rows"
					 : "leaves fewer than 2 rows to fit");
			goto out;
		}
	for (size_t k = 0; k < K; k++) {
		size_t t = 0, v = n - size[k];

		for (size_t i = 0; i < n; i++) {
			if (fold[i] == k)
				rows[v++] = i;
			else
				rows[t++] = i;
		}
		fold_path(ds, o, rows, t, size[k], pt, sse + k * m);
	}
	pt->K = K;
	pt->cv_loss = xcalloc(m, sizeof(double));
	pt->cv_se = xcalloc(m, sizeof(double));
	for (size_t l = 0; l < m; l++) {
		double s = 0, v = 0;

		for (size_t k = 0; k < K; k++)
			s += sse[k * m + l];
		pt->cv_loss[l] = s / (double)n;
		for (size_t k = 0; k < K; k++) {
			double d =
			    sse[k * m + l] / (double)size[k] - pt->cv_loss[l];

			v += (double)size[k] * d * d;
		}
		pt->cv_se[l] = sqrt(v / (double)n / (double)(K - 1));
	}
	pt->imin = 0;
	for (size_t l = 1; l < m; l++)
		if (pt->cv_loss[l] < pt->cv_loss[pt->imin])
			pt->imin = l;
	pt->i1se = pt->imin;
	for (size_t l = 0; l < pt->imin; l++)
		if (pt->cv_loss[l] <=
		    pt->cv_loss[pt->imin] + pt->cv_se[pt->imin]) {
			pt->i1se = l;
			break;
		}
out:
	free(rows);
	free(size);
	free(sse);
	return rc;
}

int
path_fit(const struct dataset *ds, const struct path_options *o,
    const size_t *fold, size_t K, struct path *pt, struct error *e)
{
	struct cd_problem pb;
	size_t p = ds->d, m = o->nlambda;
	double lmax = 0, ratio = o->min_ratio, *std;
	int rc = 0;

	memset(pt, 0, sizeof(*pt));
	pt->n = ds->n;
	pt->p = p;
	pt->alpha = o->alpha;
	cd_moments(&pb, ds, NULL, ds->n);
	cd_standardize(&pb);
	pt->ysd = sqrt(pb.yvar);
	for (size_t j = 0; j < p; j++)
		lmax = fmax(lmax, fabs(pb.cov[j]));
	lmax /= fmax(o->alpha, PATH_ALPHA_FLOOR);
	if (!(lmax > 0)) {
		int constant_y = !(pb.yvar > 0);

		cd_free(&pb);
		return error_set(e, EXIT_INPUT,
		    "every weight is 0 at every lambda: %s is constant",
		    constant_y ? "the target" : "every feature");
	}
	if (ratio == 0)
		ratio = ds->n < p ? 1e-2 : 1e-4;
	path_alloc(pt, m, p);
	std = xcalloc(m * (p ? p : 1), sizeof(double));
	full_path(&pb, o, lmax, ratio, pt, std);
	free(std);
	cd_free(&pb);
	if (fold != NULL)
		rc = cross_validate(ds, o, fold, K, pt, e);
	return rc;
}

void
path_free(struct path *pt)
{
	free(pt->lambda);
	free(pt->intercept);
	free(pt->beta);
	free(pt->nonzero);
	free(pt->rsq);
	free(pt->cv_loss);
	free(pt->cv_se);
	memset(pt, 0, sizeof(*pt));
}
