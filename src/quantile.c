/*
 * quantile.c: exact quantile regression, an interior point followed by the
 * vertex it points to.
 *
 * With the design rows v_i = [1, x_i] (p terms) and A = [v_1 … v_n] (p × n),
 * the fit min Σ ρ_τ(y_i − v_iᵀβ) is the dual of the linear program
 *   max yᵀa  subject to  A·a = (1 − τ)·A·1,  0 ≤ a ≤ 1,
 * whose solution a_i is 1 for the rows above the fit, 0 below, and in between
 * for the rows on it (Koenker, Quantile Regression, 2005, §6.2). Written as
 *   min cᵀa (c = −y),  A·a = b,  a + s = 1,  a, s ≥ 0,
 * with its dual  Aᵀu + z − w = c,  z, w ≥ 0  (β = −u), the duality gap is
 * zᵀa + wᵀs. The Frisch–Newton method of Portnoy and Koenker ("The Gaussian
 * hare and the Laplacian tortoise", Statistical Science 12, 1997) takes Newton
 * steps on the optimality conditions with the complementarity products aiming
 * at a barrier value μ, Mehrotra's predictor-corrector: an affine step
 * (μ = 0), then, if it could not be taken in full, a corrected step with μ set
 * from how far the affine one got,
 *   μ = (zᵀa + wᵀs)·(g/gap)³ / 2n   (g the gap after the affine step).
 * Every step solves one p × p system A·D·Aᵀ·du = r with the diagonal
 *   D_i = 1 / (z_i/a_i + w_i/s_i);
 * A·D·Aᵀ is summed over fixed blocks of rows on threads and factorized by
 * Cholesky (LAPACK dpotrf).
 *
 * The interior point stays inside the feasible region and only approaches the
 * optimum, a vertex or a face of vertices. The p rows with the smallest
 * |residual| whose design rows are independent (modified Gram–Schmidt) make a
 * basis h; β solving v_iᵀβ = y_i for i in h is a vertex. It is optimal when
 * some ψ with ψ_i = τ − 1[r_i < 0] off the fit and ψ_i ∈ [τ − 1, τ] on it
 * satisfies Σ ψ_i·v_i = 0 (0 in the subdifferential). With ψ fixed off h (the
 * rows on the fit but off h take the interior point's a_i − (1 − τ), clipped),
 * the basic rows' λ = ψ_h solves A_hᵀλ = −Σ_{i∉h} ψ_i v_i. If a λ_k leaves
 * [τ − 1, τ], the edge that frees row k (its residual to the side the
 * violated bound says) is a direction of descent, with slope (1 − τ) + λ_k or
 * τ − λ_k below 0; the objective along it is convex and piecewise linear, with
 * kinks where rows cross the fit, and its minimum is where the slope, rising
 * by |v_iᵀδ| at each kink, reaches 0: a weighted median, found by selection.
 * The row crossing there enters h in place of k (Barrodale and Roberts'
 * simplex steps, with the exact line search). The steps repeat until the
 * certificate holds.
 *
 * With many rows, preprocess() first shrinks the problem (see there); the final
 * certificate and any simplex steps are on all the rows.
 *
 * The features are centred and scaled by their standard deviations inside (the
 * objective does not change; the weights are mapped back at the end), so that
 * A·D·Aᵀ and the bases are as well conditioned as the data allow.
 */
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "parallel.h"
#include "quantile.h"
#include "rng.h"

/* The interior point's step, as a share of the longest that stays inside. */
#define STEP_SHARE 0.99995

/* It stops when the gap has fallen below this share of its start... */
#define GAP_SHARE 1e-11

/*
 * The preprocessing's sample needs only a rough fit, to sort the rows by: its
 * interior point stops at this share, with no vertex.
 */
#define ROUGH_GAP_SHARE 1e-6

/* ...or after this many iterations. */
#define MAX_ITERATIONS 100

/* Kept columns: the part not explained by those before, squared, over this. */
#define ALIAS_TOL 1e-12

/* A residual this small, relative to the size of its terms, is 0. */
#define ZERO_RESIDUAL 1e-11

/* λ_k this far outside [τ − 1, τ] (besides rounding) fails the certificate. */
#define DUAL_TOL 1e-9

/* From this many rows on, the preprocessing (see preprocess). */
#define GLOB_ROWS 100000

/* Scalars summed per block. */
#define SCALARS 8

enum stage {
	STAGE_MEANS,	/* Σ x, Σ y; finite check */
	STAGE_CROSS,	/* Σ (x − μ)(x − μ)ᵀ, Σ (y − ȳ)² */
	STAGE_START,	/* Σ v vᵀ, Σ v·(−y), Σ v */
	STAGE_DUALS,	/* z, w, a, s from u; the gap */
	STAGE_NORMAL,	/* D; Σ D v vᵀ, Σ v·(D(z − w) − a) */
	STAGE_AFFINE,	/* the affine step from du; its lengths */
	STAGE_MU,	/* the gap after the affine step */
	STAGE_DR,	/* the corrector's dr; Σ v·dr */
	STAGE_CORRECT,	/* the corrected step from du; its lengths */
	STAGE_UPDATE,	/* the step; the gap */
	STAGE_RESID,	/* residuals at beta; zero rows; objective */
	STAGE_DUAL_SUM, /* Σ ψ_i v_i and Σ |v_i| off the basis */
	STAGE_SLOPE,	/* v_iᵀδ into dx */
	STAGE_BAND,	/* residuals at beta, over ‖L⁻¹v_i‖ into dx */
	STAGE_LOSS	/* the objective at the raw weights */
};

struct work {
	const struct dataset *ds;
	size_t n, d, p;	     /* rows, features, kept terms */
	size_t *col;	     /* (p − 1) the kept features */
	double *mu, *inv_sd; /* (d) centring and 1/sd of each feature */
	double ybar, eps;    /* mean of y; the floor of the starting z, w */
	double tau;
	unsigned threads;
	enum stage stage;
	size_t slot_len; /* per block: q·q, 2q, SCALARS; q = d + 1 */
	double *slot;	 /* (blocks, slot_len) */
	/* Per row. */
	double *a, *s, *z, *w, *dx, *dsl, *dz, *dw, *dd, *dr;
	unsigned char *basic; /* 1: row in the basis h */
	int rough;	      /* 1: stop at ROUGH_GAP_SHARE, no vertex */
	/* Rows held apart from ds (the preprocessing's), or NULL: (n, p). */
	const double *V, *Vy;
	/* Inputs of a pass. */
	const double *u; /* (p) the dual vector, or a direction */
	double step_p, step_d, mu_bar;
	const double *beta; /* (p) for STAGE_RESID; raw weights for LOSS */
	const double *L;    /* (p, p) lower triangle, its diagonal inverted,
			       for STAGE_BAND; NULL: the residuals alone */
};

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* v = [1, (x_j − μ_j)/sd_j for the kept j] of row i; returns its target. */
static double
design(const struct work *k, size_t i, double *v)
{
	const double *x;

	if (k->V != NULL) {
		memcpy(v, k->V + i * k->p, k->p * sizeof(double));
		return k->Vy[i];
	}
	x = dataset_row(k->ds, i);
	v[0] = 1;
	for (size_t j = 1; j < k->p; j++)
		v[j] = (x[k->col[j - 1]] - k->mu[k->col[j - 1]]) *
		    k->inv_sd[k->col[j - 1]];
	return x[k->d];
}

/* S += c·v·vᵀ, the upper triangle of the p × p row-major S. */
static void
add_outer(double *S, const double *v, double c, size_t p)
{
	for (size_t j = 0; j < p; j++) {
		double t = c * v[j];
		double *row = S + j * p;

		for (size_t m = j; m < p; m++)
			row[m] += t * v[m];
	}
}

/*
 * Rows waiting to be added to S four at a time: each element of S is then
 * loaded and stored once for four rows, which matters once S outgrows the
 * caches (p = 201: 323 KB). The order of the additions is fixed by the rows'
 * order in their block, so the sums do not depend on the threads.
 */
struct outer4 {
	size_t count, p;
	double c[4];
	double *v; /* (4, p) */
};

static void
flush_outer(double *S, struct outer4 *o)
{
	size_t p = o->p;
	const double *v0 = o->v, *v1 = v0 + p, *v2 = v1 + p, *v3 = v2 + p;

	if (o->count < 4) {
		for (size_t r = 0; r < o->count; r++)
			add_outer(S, o->v + r * p, o->c[r], p);
		o->count = 0;
		return;
	}
	for (size_t j = 0; j < p; j++) {
		double t0 = o->c[0] * v0[j], t1 = o->c[1] * v1[j];
		double t2 = o->c[2] * v2[j], t3 = o->c[3] * v3[j];
		double *row = S + j * p;

		for (size_t m = j; m < p; m++)
			row[m] += (t0 * v0[m] + t1 * v1[m]) +
			    (t2 * v2[m] + t3 * v3[m]);
	}
	o->count = 0;
}

static void
queue_outer(double *S, struct outer4 *o, const double *v, double c)
{
	memcpy(o->v + o->count * o->p, v, o->p * sizeof(double));
	o->c[o->count++] = c;
	if (o->count == 4)
		flush_outer(S, o);
}

static double
dot(const double *x, const double *y, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += x[i] * y[i];
	return sum;
}

/* The longest step t ≤ limit with x + t·dx ≥ 0, given x > 0. */
static double
room(double x, double dx, double limit)
{
	return dx < 0 && -x / dx < limit ? -x / dx : limit;
}

/* The prepasses: means and cross-products of the raw features. */
static void
block_moments(struct work *k, size_t lo, size_t hi, double *S, double *vec,
    double *sc)
{
	size_t d = k->d;
	double buffer[4 * d + 1], c[d + 1];
	struct outer4 queue = { .p = d, .v = buffer };

	for (size_t i = lo; i < hi; i++) {
		const double *x = dataset_row(k->ds, i);

		if (k->stage == STAGE_MEANS) {
			for (size_t j = 0; j <= d; j++) {
				vec[j] += x[j];
				if (!isfinite(x[j]))
					sc[0] = 1;
			}
			continue;
		}
		for (size_t j = 0; j < d; j++)
			c[j] = x[j] - k->mu[j];
		queue_outer(S, &queue, c, 1);
		sc[0] += (x[d] - k->ybar) * (x[d] - k->ybar);
	}
	flush_outer(S, &queue);
}

/* One block of the interior point's passes. */
static void
block_interior(struct work *k, size_t lo, size_t hi, double *S, double *vec,
    double *sc, double *v)
{
	size_t p = k->p;
	double tau = k->tau, buffer[4 * p];
	struct outer4 queue = { .p = p, .v = buffer };

	for (size_t i = lo; i < hi; i++) {
		double y = design(k, i, v), t, u;

		switch (k->stage) {
		case STAGE_START:
			queue_outer(S, &queue, v, 1);
			for (size_t j = 0; j < p; j++) {
				vec[j] -= v[j] * y;
				vec[p + j] += v[j];
			}
			break;
		case STAGE_DUALS:
			/* r = c − Aᵀu: z its positive part, w its negative. */
			t = -y - dot(v, k->u, p);
			k->z[i] = fmax(t, 0) + (fabs(t) < k->eps ? k->eps : 0);
			k->w[i] = fmax(-t, 0) + (fabs(t) < k->eps ? k->eps : 0);
			k->a[i] = 1 - tau;
			k->s[i] = tau;
			sc[0] += k->z[i] * k->a[i] + k->w[i] * k->s[i];
			break;
		case STAGE_NORMAL:
			k->dd[i] = 1 / (k->z[i] / k->a[i] + k->w[i] / k->s[i]);
			queue_outer(S, &queue, v, k->dd[i]);
			t = k->dd[i] * (k->z[i] - k->w[i]) - k->a[i];
			for (size_t j = 0; j < p; j++)
				vec[j] += v[j] * t;
			break;
		case STAGE_AFFINE:
			u = dot(v, k->u, p);
			k->dx[i] = k->dd[i] * (u - k->z[i] + k->w[i]);
			k->dsl[i] = -k->dx[i];
			k->dz[i] = -k->z[i] * (k->dx[i] / k->a[i] + 1);
			k->dw[i] = -k->w[i] * (k->dsl[i] / k->s[i] + 1);
			goto lengths;
		case STAGE_MU:
			sc[0] += k->a[i] * k->z[i] + k->s[i] * k->w[i];
			sc[1] += (k->a[i] + k->step_p * k->dx[i]) *
				(k->z[i] + k->step_d * k->dz[i]) +
			    (k->s[i] + k->step_p * k->dsl[i]) *
				(k->w[i] + k->step_d * k->dw[i]);
			break;
		case STAGE_DR:
			k->dr[i] = k->dd[i] *
			    (k->mu_bar * (1 / k->s[i] - 1 / k->a[i]) +
				k->dx[i] * k->dz[i] / k->a[i] -
				k->dsl[i] * k->dw[i] / k->s[i]);
			for (size_t j = 0; j < p; j++)
				vec[j] += v[j] * k->dr[i];
			break;
		case STAGE_CORRECT:
			u = dot(v, k->u, p);
			t = k->dx[i] * k->dz[i];
			u = k->dd[i] * (u - k->z[i] + k->w[i]) - k->dr[i];
			k->dz[i] =
			    -k->z[i] + (k->mu_bar - k->z[i] * u - t) / k->a[i];
			t = k->dsl[i] * k->dw[i];
			k->dx[i] = u;
			k->dsl[i] = -u;
			k->dw[i] =
			    -k->w[i] + (k->mu_bar + k->w[i] * u - t) / k->s[i];
			goto lengths;
		case STAGE_UPDATE:
			k->a[i] += k->step_p * k->dx[i];
			k->s[i] += k->step_p * k->dsl[i];
			k->z[i] += k->step_d * k->dz[i];
			k->w[i] += k->step_d * k->dw[i];
			sc[0] += k->z[i] * k->a[i] + k->w[i] * k->s[i];
			break;
		default:
			break;
		}
		continue;
lengths:
		sc[0] = room(k->a[i], k->dx[i], sc[0]);
		sc[0] = room(k->s[i], k->dsl[i], sc[0]);
		sc[1] = room(k->z[i], k->dz[i], sc[1]);
		sc[1] = room(k->w[i], k->dw[i], sc[1]);
	}
	flush_outer(S, &queue);
}

/* One block of the vertex passes: residuals, dual sums, slopes, the loss. */
static void
block_vertex(struct work *k, size_t lo, size_t hi, double *vec, double *sc,
    double *v)
{
	size_t p = k->p, d = k->d;
	double tau = k->tau;

	for (size_t i = lo; i < hi; i++) {
		double y, r, size, psi;
		const double *x;

		switch (k->stage) {
		case STAGE_RESID:
			y = design(k, i, v);
			r = y;
			size = fabs(y);
			for (size_t j = 0; j < p; j++) {
				r -= v[j] * k->beta[j];
				size += fabs(v[j] * k->beta[j]);
			}
			sc[1] += quantile_pinball(r, tau);
			if (k->basic[i] || fabs(r) <= ZERO_RESIDUAL * size)
				r = 0;
			sc[0] += r == 0;
			k->dr[i] = r;
			break;
		case STAGE_DUAL_SUM:
			if (k->basic[i])
				break;
			design(k, i, v);
			r = k->dr[i];
			psi = r > 0 ? tau
			    : r < 0
			    ? tau - 1
			    : fmin(fmax(k->a[i] - (1 - tau), tau - 1), tau);
			for (size_t j = 0; j < p; j++) {
				vec[j] += psi * v[j];
				vec[p + j] += fabs(v[j]);
			}
			break;
		case STAGE_SLOPE:
			design(k, i, v);
			k->dx[i] = dot(v, k->u, p);
			break;
		case STAGE_BAND:
			r = design(k, i, v) - dot(v, k->beta, p);
			k->dr[i] = r;
			if (k->L == NULL)
				break;
			/* v ← L⁻¹v, forward substitution. */
			for (size_t j = 0; j < p; j++)
				v[j] = (v[j] - dot(k->L + j * p, v, j)) *
				    k->L[j * p + j];
			k->dx[i] = r / fmax(sqrt(dot(v, v, p)), DBL_MIN);
			break;
		case STAGE_LOSS:
			x = dataset_row(k->ds, i);
			r = x[d] - k->beta[0];
			for (size_t j = 0; j < d; j++)
				r -= k->beta[j + 1] * x[j];
			sc[0] += quantile_pinball(r, tau);
			break;
		default:
			break;
		}
	}
}

static void
run_block(void *ctx, size_t b)
{
	struct work *k = ctx;
	size_t lo = b * PARALLEL_BLOCK;
	size_t hi = min_size(k->n, lo + PARALLEL_BLOCK);
	size_t q = k->d + 1;
	double *slot = k->slot + b * k->slot_len, *S = slot;
	double *vec = slot + q * q, *sc = vec + 2 * q;
	double v[q];

	memset(slot, 0, k->slot_len * sizeof(double));
	/* Step lengths are minima: they start at 1, the longest step taken. */
	if (k->stage == STAGE_AFFINE || k->stage == STAGE_CORRECT)
		sc[0] = sc[1] = 1 / STEP_SHARE;
	if (k->stage <= STAGE_CROSS)
		block_moments(k, lo, hi, S, vec, sc);
	else if (k->stage <= STAGE_UPDATE)
		block_interior(k, lo, hi, S, vec, sc, v);
	else
		block_vertex(k, lo, hi, vec, sc, v);
}

/*
 * Run stage over all rows and add the blocks' slots in block order into S
 * (q·q), vec (2q) and sc (SCALARS), q = d + 1 (≥ p); the step lengths
 * (sc[0], sc[1] of the affine and corrected steps) are the least over the
 * blocks instead.
 */
static void
pass(struct work *k, enum stage stage, double *S, double *vec, double *sc)
{
	size_t nb = parallel_blocks(k->n), q = k->d + 1;
	int least = stage == STAGE_AFFINE || stage == STAGE_CORRECT;

	k->stage = stage;
	parallel_run(nb, k->threads, run_block, k);
	if (S != NULL)
		memset(S, 0, q * q * sizeof(double));
	if (vec != NULL)
		memset(vec, 0, 2 * q * sizeof(double));
	for (size_t m = 0; m < SCALARS; m++)
		sc[m] = least ? 1 / STEP_SHARE : 0;
	for (size_t b = 0; b < nb; b++) {
		const double *slot = k->slot + b * k->slot_len;

		for (size_t j = 0; S != NULL && j < q * q; j++)
			S[j] += slot[j];
		for (size_t j = 0; vec != NULL && j < 2 * q; j++)
			vec[j] += slot[q * q + j];
		for (size_t m = 0; m < SCALARS; m++)
			sc[m] = least ? fmin(sc[m], slot[q * q + 2 * q + m])
				      : sc[m] + slot[q * q + 2 * q + m];
	}
}

double
quantile_pinball(double r, double tau)
{
	return r < 0 ? r * (tau - 1) : r * tau;
}

/*
 * The means, the standard deviations, and the features kept: in column order,
 * a Cholesky factorization of the centred cross-products leaves out a column
 * whose part not explained by the kept ones before it is, squared, ALIAS_TOL of
 * its sum of squares or less (a constant column has none). Returns 0, or -1
 * with e filled on a non-finite value.
 */
static int
prepare(struct work *k, struct quantile_solution *s, double *S, double *vec,
    struct error *e)
{
	size_t d = k->d, n = k->n;
	double sc[SCALARS], *R = xcalloc(d * d + 1, sizeof(double)), sy;

	pass(k, STAGE_MEANS, NULL, vec, sc);
	if (sc[0] != 0) {
		free(R);
		return error_set(e, EXIT_INPUT,
		    "quantile regression: the data "
		    "hold a value that is not a finite number");
	}
	for (size_t j = 0; j < d; j++)
		k->mu[j] = vec[j] / (double)n;
	k->ybar = vec[d] / (double)n;
	pass(k, STAGE_CROSS, S, NULL, sc);
	sy = sqrt(sc[0] / (double)n);
	k->eps = 1e-6 * (sy > 0 ? sy : fabs(k->ybar) > 0 ? fabs(k->ybar) : 1);
	k->p = 1;
	for (size_t j = 0; j < d; j++) {
		double left = S[j * d + j];

		for (size_t c = 1; c < k->p && left > 0; c++) {
			size_t m = k->col[c - 1];
			double r = S[m * d + j];

			for (size_t l = 1; l < c; l++)
				r -= R[k->col[l - 1] * d + m] *
				    R[k->col[l - 1] * d + j];
			R[m * d + j] = r / R[m * d + m];
			left -= R[m * d + j] * R[m * d + j];
		}
		s->aliased[j + 1] = !(left > ALIAS_TOL * S[j * d + j]);
		if (s->aliased[j + 1])
			continue;
		R[j * d + j] = sqrt(left);
		k->inv_sd[j] = 1 / sqrt(S[j * d + j] / (double)n);
		k->col[k->p++ - 1] = j;
	}
	free(R);
	return 0;
}

/* LAPACK's complaint as an error. */
static int
lapack_error(struct error *e, const char *what, int info)
{
	return error_set(e, EXIT_INPUT,
	    "quantile regression: LAPACK %s failed "
	    "(info %d)",
	    what, info);
}

/*
 * The Frisch–Newton iterations from the least-squares start, until the gap is
 * GAP_SHARE of its start or A·D·Aᵀ can no longer be factorized (D's entries
 * spread to 0 and ∞ near the optimum): the dual vector u (p) and the a_i in k.
 */
static int
interior(struct work *k, double *u, unsigned long *iterations, double *S,
    double *vec, struct error *e)
{
	size_t p = k->p;
	double *F = xcalloc(p * p, sizeof(double));
	double *b = xcalloc(p, sizeof(double));
	double *du = xcalloc(p, sizeof(double));
	double *rhs = xcalloc(p, sizeof(double));
	double sc[SCALARS], gap, start;
	lapack_int info;
	int status = -1;

	pass(k, STAGE_START, S, vec, sc);
	for (size_t j = 0; j < p; j++) {
		u[j] = vec[j];
		b[j] = (1 - k->tau) * vec[p + j];
	}
	if ((info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (lapack_int)p, 1, S,
		 (lapack_int)p, u, 1)) != 0) {
		lapack_error(e, "dposv", (int)info);
		goto out;
	}
	k->u = u;
	pass(k, STAGE_DUALS, NULL, NULL, sc);
	start = gap = sc[0];
	for (unsigned long it = 0;
	     gap > (k->rough ? ROUGH_GAP_SHARE : GAP_SHARE) * start &&
	     it < MAX_ITERATIONS;
	     it++) {
		pass(k, STAGE_NORMAL, S, vec, sc);
		memcpy(F, S, p * p * sizeof(double));
		if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)p, F,
			(lapack_int)p) != 0)
			break;
		++*iterations;
		for (size_t j = 0; j < p; j++)
			du[j] = rhs[j] = b[j] + vec[j];
		LAPACKE_dpotrs(LAPACK_ROW_MAJOR, 'U', (lapack_int)p, 1, F,
		    (lapack_int)p, du, 1);
		k->u = du;
		pass(k, STAGE_AFFINE, NULL, NULL, sc);
		k->step_p = fmin(STEP_SHARE * sc[0], 1);
		k->step_d = fmin(STEP_SHARE * sc[1], 1);
		if (fmin(k->step_p, k->step_d) < 1) {
			pass(k, STAGE_MU, NULL, NULL, sc);
			k->mu_bar =
			    sc[0] * pow(sc[1] / sc[0], 3) / (2 * (double)k->n);
			pass(k, STAGE_DR, NULL, vec, sc);
			for (size_t j = 0; j < p; j++)
				du[j] = rhs[j] + vec[j];
			LAPACKE_dpotrs(LAPACK_ROW_MAJOR, 'U', (lapack_int)p, 1,
			    F, (lapack_int)p, du, 1);
			pass(k, STAGE_CORRECT, NULL, NULL, sc);
			k->step_p = fmin(STEP_SHARE * sc[0], 1);
			k->step_d = fmin(STEP_SHARE * sc[1], 1);
		}
		pass(k, STAGE_UPDATE, NULL, NULL, sc);
		for (size_t j = 0; j < p; j++)
			u[j] += k->step_d * du[j];
		if (!(sc[0] < gap * 2 + 1e300))
			break; /* NaN: keep what there is */
		gap = sc[0];
	}
	status = 0;
out:
	free(F);
	free(b);
	free(rhs);
	free(du);
	return status;
}

/* Row order for the basis: smaller |residual| first, then the earlier row. */
static int
before(const struct work *k, size_t i, size_t j)
{
	double ri = fabs(k->dr[i]), rj = fabs(k->dr[j]);

	return ri < rj || (ri == rj && i < j);
}

/* Restore the max-heap (by before) of heap[0..m) below position at. */
static void
sift_down(const struct work *k, size_t *heap, size_t m, size_t at)
{
	for (;;) {
		size_t top = at, l = 2 * at + 1, r = l + 1, t;

		if (l < m && before(k, heap[top], heap[l]))
			top = l;
		if (r < m && before(k, heap[top], heap[r]))
			top = r;
		if (top == at)
			return;
		t = heap[at];
		heap[at] = heap[top];
		heap[top] = t;
		at = top;
	}
}

/* The m rows first in before's order, in that order, into rows (a heap). */
static void
smallest_rows(const struct work *k, size_t *rows, size_t m)
{
	for (size_t i = 0; i < k->n; i++) {
		if (i < m) {
			rows[i] = i;
			if (i + 1 == m)
				for (size_t at = m / 2 + 1; at-- > 0;)
					sift_down(k, rows, m, at);
		} else if (before(k, i, rows[0])) {
			rows[0] = i;
			sift_down(k, rows, m, 0);
		}
	}
	for (size_t end = m; end > 1; end--) {
		size_t t = rows[0];

		rows[0] = rows[end - 1];
		rows[end - 1] = t;
		sift_down(k, rows, end - 1, 0);
	}
}

/*
 * The first basis: of the rows by increasing |residual| (k->dr), the first p
 * whose design rows are independent, each one's part orthogonal to those
 * before (Gram–Schmidt, twice) above 1e-9 of its length. Returns 0, or -1 with
 * e filled if the rows do not span the kept columns.
 */
static int
first_basis(struct work *k, size_t *h, struct error *e)
{
	size_t p = k->p, m = min_size(k->n, 8 * p), got = 0;
	double *Q = xcalloc(p * p, sizeof(double)), v[k->d + 1];
	size_t *rows = NULL;

	for (;;) {
		rows = xreallocarray(rows, m, sizeof(size_t));
		smallest_rows(k, rows, m);
		got = 0;
		for (size_t c = 0; c < m && got < p; c++) {
			double before_norm, norm;

			design(k, rows[c], v);
			before_norm = sqrt(dot(v, v, p));
			for (int twice = 0; twice < 2; twice++)
				for (size_t g = 0; g < got; g++) {
					double t = dot(Q + g * p, v, p);

					for (size_t j = 0; j < p; j++)
						v[j] -= t * Q[g * p + j];
				}
			norm = sqrt(dot(v, v, p));
			if (!(norm > 1e-9 * before_norm))
				continue;
			for (size_t j = 0; j < p; j++)
				Q[got * p + j] = v[j] / norm;
			h[got++] = rows[c];
		}
		if (got == p || m == k->n)
			break;
		m = min_size(k->n, 4 * m);
	}
	free(Q);
	free(rows);
	if (got < p)
		return error_set(e, EXIT_INPUT,
		    "quantile regression: no %zu "
		    "rows have independent features",
		    p);
	return 0;
}

/* LU of the basis rows' design A_h into lu, piv: 0, or LAPACK's info. */
static int
factor_basis(const struct work *k, const size_t *h, double *lu, lapack_int *piv,
    double *yh)
{
	size_t p = k->p;

	for (size_t r = 0; r < p; r++)
		yh[r] = design(k, h[r], lu + r * p);
	return (int)LAPACKE_dgetrf(LAPACK_ROW_MAJOR, (lapack_int)p,
	    (lapack_int)p, lu, (lapack_int)p, piv);
}

/* A kink of the line search: where row crosses the fit, and its weight. */
struct kink {
	double t, weight;
	size_t row;
};

static int
kink_before(const struct kink *a, const struct kink *b)
{
	return a->t < b->t || (a->t == b->t && a->row < b->row);
}

/*
 * The first kink, in order of t, at which the weights of the kinks up to it
 * reach need: a weighted selection (quickselect, pivot the median of three).
 * Returns its index in c, or m if all the weights fall short of need.
 */
static size_t
weighted_select(struct kink *c, size_t m, double need)
{
	size_t lo = 0, hi = m;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, last = hi - 1, at = lo;
		struct kink t, pivot;
		double below = 0;

		/* Median of three into position last. */
		if (kink_before(&c[mid], &c[lo]))
			t = c[mid], c[mid] = c[lo], c[lo] = t;
		if (kink_before(&c[last], &c[lo]))
			t = c[last], c[last] = c[lo], c[lo] = t;
		if (kink_before(&c[mid], &c[last]))
			t = c[mid], c[mid] = c[last], c[last] = t;
		pivot = c[last];
		for (size_t i = lo; i < last; i++)
			if (kink_before(&c[i], &pivot)) {
				below += c[i].weight;
				t = c[i], c[i] = c[at], c[at] = t;
				at++;
			}
		c[last] = c[at];
		c[at] = pivot;
		if (below >= need) {
			hi = at;
		} else if (below + pivot.weight >= need) {
			return at;
		} else {
			need -= below + pivot.weight;
			lo = at + 1;
		}
	}
	return m;
}

/*
 * The simplex step that frees basic row h[out], its residual to the side sigma
 * (±1): along δ with A_h·δ = −sigma·e_out, the exact line search. Replaces
 * h[out] by the row where the objective stops falling. Returns 1 if it does not
 * fall at all along δ (a degenerate vertex), 0 after a step.
 */
static int
step(struct work *k, size_t *h, size_t out, double sigma, const double *lu,
    const lapack_int *piv, struct kink *kinks)
{
	size_t p = k->p, m = 0, at;
	double delta[k->d + 1], slope = 0, total = 0, tau = k->tau;

	for (size_t j = 0; j < p; j++)
		delta[j] = j == out ? -sigma : 0;
	LAPACKE_dgetrs(LAPACK_ROW_MAJOR, 'N', (lapack_int)p, 1, lu,
	    (lapack_int)p, piv, delta, 1);
	k->u = delta;
	pass(k, STAGE_SLOPE, NULL, NULL, (double[SCALARS]){ 0 });
	for (size_t i = 0; i < k->n; i++) {
		double ai = k->dx[i], r = k->dr[i];

		total += fabs(ai);
		if (r == 0) {
			slope += quantile_pinball(-ai, tau);
			continue;
		}
		slope -= (r > 0 ? tau : tau - 1) * ai;
		if (ai != 0 && r / ai > 0)
			kinks[m++] = (struct kink){ .t = r / ai,
				.weight = fabs(ai),
				.row = i };
	}
	if (!(slope < -4 * DBL_EPSILON * total))
		return 1;
	if ((at = weighted_select(kinks, m, -slope)) == m)
		return 1;
	h[out] = kinks[at].row;
	return 0;
}

/*
 * The dual certificate at the vertex of basis h (factorized in lu, piv), the
 * residuals in k->dr: λ = ψ_h from A_hᵀλ = −Σ_{i∉h} ψ_i v_i. Returns the basic
 * position whose λ is furthest outside [τ − 1, τ] beyond rounding, with its
 * side in *sigma, or p if none is (optimal); then *nonunique says whether a ψ
 * of a row on the fit is at a bound.
 */
static size_t
certify(struct work *k, const double *lu, const lapack_int *piv, double *sigma,
    int *nonunique, double *vec)
{
	size_t p = k->p, worst = p;
	double sc[SCALARS], lam[k->d + 1], mag[k->d + 1], most = 0;
	double tau = k->tau;

	pass(k, STAGE_DUAL_SUM, NULL, vec, sc);
	for (size_t j = 0; j < p; j++) {
		lam[j] = -vec[j];
		mag[j] = vec[p + j];
	}
	LAPACKE_dgetrs(LAPACK_ROW_MAJOR, 'T', (lapack_int)p, 1, lu,
	    (lapack_int)p, piv, lam, 1);
	LAPACKE_dgetrs(LAPACK_ROW_MAJOR, 'T', (lapack_int)p, 1, lu,
	    (lapack_int)p, piv, mag, 1);
	*nonunique = 0;
	for (size_t j = 0; j < p; j++) {
		double tol = DUAL_TOL + 64 * DBL_EPSILON * fabs(mag[j]);
		double over = lam[j] - tau, under = (tau - 1) - lam[j];

		if (fabs(over) <= tol || fabs(under) <= tol)
			*nonunique = 1;
		if (over - tol > most)
			most = over - tol, worst = j, *sigma = 1;
		if (under - tol > most)
			most = under - tol, worst = j, *sigma = -1;
	}
	for (size_t i = 0; i < k->n && worst == p && !*nonunique; i++)
		if (k->dr[i] == 0 && !k->basic[i] &&
		    (k->a[i] - (1 - tau) <= tau - 1 + DUAL_TOL ||
			k->a[i] - (1 - tau) >= tau - DUAL_TOL))
			*nonunique = 1;
	return worst;
}

/*
 * From the interior point's u to an optimal vertex: the first basis, then
 * simplex steps until the certificate holds, no step lowers the objective, or
 * 10·n + 1000 steps. The weights (on the centred, scaled features) into beta.
 */
static int
vertex(struct work *k, const double *u, double *beta,
    struct quantile_solution *s, double *vec, struct error *e)
{
	size_t p = k->p, *h = xcalloc(p, sizeof(size_t)), out;
	double *lu = xcalloc(p * p, sizeof(double)), yh[k->d + 1], sc[SCALARS];
	double sigma = 0;
	lapack_int *piv = xcalloc(p, sizeof(lapack_int));
	struct kink *kinks = xcalloc(k->n, sizeof(struct kink));
	int status = -1, info;

	for (size_t j = 0; j < p; j++)
		beta[j] = -u[j];
	k->beta = beta;
	pass(k, STAGE_RESID, NULL, NULL, sc);
	s->interior = sc[1] / (double)k->n;
	if (first_basis(k, h, e) != 0)
		goto out;
	for (;;) {
		memset(k->basic, 0, k->n);
		for (size_t j = 0; j < p; j++)
			k->basic[h[j]] = 1;
		if ((info = factor_basis(k, h, lu, piv, yh)) != 0) {
			lapack_error(e, "dgetrf", info);
			goto out;
		}
		memcpy(beta, yh, p * sizeof(double));
		LAPACKE_dgetrs(LAPACK_ROW_MAJOR, 'N', (lapack_int)p, 1, lu,
		    (lapack_int)p, piv, beta, 1);
		pass(k, STAGE_RESID, NULL, NULL, sc);
		s->zero_rows = (size_t)sc[0];
		out = certify(k, lu, piv, &sigma, &s->nonunique, vec);
		if (out == p) {
			s->optimal = 1;
			break;
		}
		if (s->pivots >= 10 * (unsigned long)k->n + 1000 ||
		    step(k, h, out, sigma, lu, piv, kinks) != 0)
			break;
		s->pivots++;
	}
	status = 0;
out:
	free(h);
	free(lu);
	free(piv);
	free(kinks);
	return status;
}

/*
 * The interior point and the vertex on the rows of k, with vectors of k->n
 * allocated for them and freed after: the weights (centred, scaled) into beta.
 */
static int
fit_rows(struct work *k, double *beta, struct quantile_solution *s, double *S,
    double *vec, struct error *e)
{
	double **rows[] = { &k->a, &k->s, &k->z, &k->w, &k->dx, &k->dsl, &k->dz,
		&k->dw, &k->dd, &k->dr };
	double u[k->d + 1];
	int status;

	for (size_t j = 0; j < sizeof(rows) / sizeof(rows[0]); j++)
		if ((*rows[j] = malloc(k->n * sizeof(double))) == NULL)
			error_out_of_memory();
	k->basic = xcalloc(k->n, 1);
	status = interior(k, u, &s->iterations, S, vec, e);
	for (size_t j = 0; status == 0 && k->rough && j < k->p; j++)
		beta[j] = -u[j];
	if (status == 0 && !k->rough)
		status = vertex(k, u, beta, s, vec, e);
	for (size_t j = 0; j < sizeof(rows) / sizeof(rows[0]); j++) {
		free(*rows[j]);
		*rows[j] = NULL;
	}
	free(k->basic);
	k->basic = NULL;
	return status;
}

/*
 * The k-th smallest (from 0) of x[0..n), which is reordered: Hoare's selection,
 * the pivot the median of three.
 */
static double
select_kth(double *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		double a = x[lo], b = x[mid], c = x[hi], pivot, t;

		pivot = a < b ? (b < c		? b
					: a < c ? c
						: a)
			      : (a < c		? a
					: b < c ? c
						: b);
		while (i <= j) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i <= j) {
				t = x[i], x[i] = x[j], x[j] = t;
				i++;
				if (j-- == 0)
					break;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return x[k];
	}
	return x[k];
}

static int
compare_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/*
 * The reduced problem of the preprocessing: the rows of k whose side is 0, and
 * one row for all those of side 1 (below the fit) and one for side 2 (above),
 * the sums of their design rows and targets ("globs"), solved by fit_rows into
 * beta. A glob fits like its rows as long as they are all on its side.
 */
static int
fit_reduced(struct work *k, const unsigned char *side, double *beta,
    struct quantile_solution *s, double *S, double *vec, struct error *e)
{
	size_t p = k->p, m = 0;
	struct work sub = *k;
	double *V, *Vy, v[k->d + 1];
	int status;

	double glob[2][k->d + 2];
	size_t count[2] = { 0, 0 };

	for (size_t i = 0; i < k->n; i++)
		m += side[i] == 0;
	V = xcalloc((m + 2) * p, sizeof(double));
	Vy = xcalloc(m + 2, sizeof(double));
	memset(glob, 0, sizeof(glob));
	m = 0;
	for (size_t i = 0; i < k->n; i++) {
		double y = design(k, i, side[i] == 0 ? V + m * p : v);
		double *g = glob[side[i] == 2];

		if (side[i] == 0) {
			Vy[m++] = y;
			continue;
		}
		count[side[i] == 2]++;
		for (size_t j = 0; j < p; j++)
			g[j] += v[j];
		g[p] += y;
	}
	for (int g = 0; g < 2; g++)
		if (count[g] > 0) {
			memcpy(V + m * p, glob[g], p * sizeof(double));
			Vy[m++] = glob[g][p];
		}
	sub.n = m;
	sub.V = V;
	sub.Vy = Vy;
	status = fit_rows(&sub, beta, s, S, vec, e);
	free(V);
	free(Vy);
	return status;
}

/*
 * Portnoy and Koenker's preprocessing (1997, §5), for many rows: solve on a
 * sample of m = √p·n^(2/3) rows; order all rows by their residual over
 * ‖R⁻ᵀv_i‖ (R the Cholesky factor of the sample's VᵀV, so that rows with
 * larger leverage are trusted less); those below the (τ − M/2n)-quantile of
 * that order, M = 0.8·m, are globbed below the fit, those above the
 * (τ + M/2n)-quantile above it, and the reduced problem solved. Rows found on
 * the wrong side of the fit are put back among the rest and it is solved again
 * (up to 8 times), unless more than 0.1·M are, when m is doubled. The result
 * is then taken to all the rows: the vertex of its smallest residuals, checked
 * by the certificate on all rows and moved by simplex steps as vertex() does.
 * Falls back on all the rows if m reaches n/2, or if the sample or the
 * reduced problem cannot be solved (rows short of rank: a rare column).
 */
static int
preprocess(struct work *k, double *beta, struct quantile_solution *s, double *S,
    double *vec, struct error *e)
{
	size_t n = k->n, p = k->p;
	size_t m = (size_t)ceil(sqrt((double)p) * pow((double)n, 2.0 / 3));
	size_t *pick = xcalloc(n, sizeof(size_t));
	unsigned char *side = xcalloc(n, 1);
	double *R = xcalloc(p * p, sizeof(double)), *order, v[k->d + 1];
	double *L = xcalloc(p * p, sizeof(double)), buffer[4 * p];
	struct outer4 queue = { .p = p, .v = buffer };
	double u[k->d + 1], sc[SCALARS];
	int done = 0, status = -1;
	struct rng rng;

	k->a = xcalloc(n, sizeof(double));
	k->dr = xcalloc(n, sizeof(double));
	k->dx = xcalloc(n, sizeof(double));
	order = k->a;
	for (; !done && m < n / 2; m *= 2) {
		size_t M = (size_t)(0.8 * (double)m), lo, hi;
		double below, above;

		/* The sample: the first m of a shuffle, in row order. */
		for (size_t i = 0; i < n; i++)
			pick[i] = i;
		rng_seed(&rng, 0x9e3779b97f4a7c15u);
		rng_shuffle(&rng, pick, n);
		qsort(pick, m, sizeof(size_t), compare_size);
		memset(R, 0, p * p * sizeof(double));
		for (size_t c = 0; c < m; c++) {
			design(k, pick[c], v);
			queue_outer(R, &queue, v, 1);
		}
		flush_outer(R, &queue);
		if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', (lapack_int)p, R,
			(lapack_int)p) != 0)
			continue;
		/* L = Rᵀ, row-major, 1/L_jj on its diagonal. */
		for (size_t j = 0; j < p; j++)
			for (size_t l = 0; l <= j; l++)
				L[j * p + l] =
				    l == j ? 1 / R[j * p + j] : R[l * p + j];
		/* The sample alone: all other rows in one glob, removed. */
		{
			struct work sub = *k;
			double *V = xcalloc(m * p, sizeof(double));
			double *Vy = xcalloc(m, sizeof(double));

			for (size_t c = 0; c < m; c++)
				Vy[c] = design(k, pick[c], V + c * p);
			sub.n = m;
			sub.V = V;
			sub.Vy = Vy;
			sub.rough = 1;
			status = fit_rows(&sub, beta, s, S, vec, e);
			free(V);
			free(Vy);
			if (status != 0)
				break; /* a sample short of rank: all rows */
		}
		k->beta = beta;
		k->L = L;
		pass(k, STAGE_BAND, NULL, NULL, sc);
		k->L = NULL;
		memcpy(order, k->dx, n * sizeof(double));
		lo = (size_t)fmax(0, floor((double)n * k->tau - (double)M / 2));
		hi = (size_t)fmin((double)n - 1,
		    ceil((double)n * k->tau + (double)M / 2));
		below = select_kth(order, n, lo);
		above = select_kth(order, n, hi);
		for (size_t i = 0; i < n; i++)
			side[i] = k->dx[i] < below ? 1
			    : k->dx[i] > above	   ? 2
						   : 0;
		for (int fix = 0; fix < 8 && !done; fix++) {
			size_t bad = 0;

			if ((status = fit_reduced(k, side, beta, s, S, vec,
				 e)) != 0)
				break;
			pass(k, STAGE_BAND, NULL, NULL, sc);
			for (size_t i = 0; i < n; i++)
				if ((side[i] == 1 && k->dr[i] > 0) ||
				    (side[i] == 2 && k->dr[i] < 0)) {
					side[i] = 0;
					bad++;
				}
			if (bad > M / 10)
				break;
			done = bad == 0;
		}
		if (status != 0)
			break;
	}
	free(k->a);
	free(k->dr);
	free(k->dx);
	k->a = k->dr = k->dx = NULL;
	if (!done) {
		status = fit_rows(k, beta, s, S, vec, e);
		goto out;
	}
	/* All the rows, from the reduced problem's vertex. */
	k->a = xcalloc(n, sizeof(double));
	k->dr = xcalloc(n, sizeof(double));
	k->dx = xcalloc(n, sizeof(double));
	k->basic = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++)
		k->a[i] = 1 - k->tau; /* dual value 0 for rows on the fit */
	for (size_t j = 0; j < p; j++)
		u[j] = -beta[j];
	status = vertex(k, u, beta, s, vec, e);
out:
	free(pick);
	free(side);
	free(R);
	free(L);
	free(k->basic);
	k->basic = NULL;
	return status;
}

int
solve_quantile(const struct dataset *ds, double tau, unsigned threads,
    struct quantile_solution *s, struct error *e)
{
	struct work k = { .ds = ds,
		.n = ds->n,
		.d = ds->d,
		.tau = tau,
		.threads = threads };
	size_t q = ds->d + 1, nb = parallel_blocks(ds->n);
	double *S, *vec, *beta, sc[SCALARS];
	double **rows[] = { &k.a, &k.dx, &k.dr };
	int status = -1;

	memset(s, 0, sizeof(*s));
	if (!(tau > 0 && tau < 1))
		return error_set(e, EXIT_USAGE,
		    "quantile regression: "
		    "τ = %g is not between 0 and 1",
		    tau);
	if (ds->spread && cluster_size() > 1)
		return error_set(e, EXIT_USAGE,
		    "quantile regression: the "
		    "exact solver needs all rows in one process, not spread "
		    "over ranks");
	s->n = ds->n;
	s->p = q;
	s->tau = tau;
	s->aliased = xcalloc(q, sizeof(int));
	s->w = xcalloc(q, sizeof(double));
	k.col = xcalloc(q, sizeof(size_t));
	k.mu = xcalloc(q, sizeof(double));
	k.inv_sd = xcalloc(q, sizeof(double));
	k.slot_len = q * q + 2 * q + SCALARS;
	k.slot = xcalloc(nb * k.slot_len, sizeof(double));
	S = xcalloc(q * q, sizeof(double));
	vec = xcalloc(2 * q, sizeof(double));
	beta = xcalloc(q, sizeof(double));
	if (ds->n == 0) {
		error_set(e, EXIT_INPUT, "quantile regression: no rows");
		goto out;
	}
	if (prepare(&k, s, S, vec, e) != 0)
		goto out;
	s->rank = k.p;
	if (ds->n < k.p) {
		error_set(e, EXIT_INPUT,
		    "quantile regression: %zu rows for "
		    "%zu terms; at least as many rows as terms are needed",
		    ds->n, k.p);
		goto out;
	}
	if ((ds->n >= GLOB_ROWS ? preprocess(&k, beta, s, S, vec, e)
				: fit_rows(&k, beta, s, S, vec, e)) != 0)
		goto out;
	/* Back to the input's units: β_j/sd_j, and the centring into w0. */
	s->w[0] = beta[0];
	for (size_t c = 1; c < k.p; c++) {
		size_t j = k.col[c - 1];

		s->w[j + 1] = beta[c] * k.inv_sd[j];
		s->w[0] -= k.mu[j] * s->w[j + 1];
	}
	k.beta = s->w;
	pass(&k, STAGE_LOSS, NULL, NULL, sc);
	s->objective = sc[0] / (double)ds->n;
	status = 0;
out:
	for (size_t j = 0; j < sizeof(rows) / sizeof(rows[0]); j++)
		free(*rows[j]);
	free(k.basic);
	free(k.col);
	free(k.mu);
	free(k.inv_sd);
	free(k.slot);
	free(S);
	free(vec);
	free(beta);
	if (status != 0)
		quantile_solution_free(s);
	return status;
}

void
quantile_solution_free(struct quantile_solution *s)
{
	free(s->aliased);
	free(s->w);
	s->aliased = NULL;
	s->w = NULL;
}
