/*
 * train.c: the epoch loop.
 *
 * Minimises the mean loss (1/n) Σ loss(w0 + wᵀx_i, y_i) over the intercept w0
 * and the weights w by gradient descent: each step moves against the gradient
 * over a set of rows (all of them, one, or a mini-batch of b), scaled by the
 * rate of the epoch. In the sgd and mini-batch modes the rows are visited in a
 * new random order every epoch. For a quadratic loss the full-data gradient and
 * loss come from the moments of the data in O(d²), not from a pass over the
 * rows.
 *
 * A loss that is not smooth (mae) has no gradient at its kink, and a fixed step
 * on its subgradient circles the optimum at a distance of about the step. It is
 * trained on its smoothed form (loss.h), whose gradient is Lipschitz with
 * constant kink·λ/(2·mu), λ = λmax(X1ᵀX1/n): the width mu is set every epoch to
 * the one at which the step in force is the safe 1/L, mu = step·kink·λ/2, so
 * that as the schedule lowers the rate the smoothing shrinks with it and the
 * fit closes in on the loss's own optimum: smoothing with continuation
 * (Nesterov 2005; Becker, Bobin & Candès, "NESTA", SIAM J. Imaging Sci. 2011).
 * The adaptive rules, whose steps are about the rate in weight units, smooth
 * over mu = step. Never over more than mu_max = kink·sd(y)/4, the width of the
 * auto rate (for mae, half of sd(y)): wider, the loss would be least squares in
 * all but name, and a rate too large for the data diverges, as it does on any
 * loss. L-BFGS minimises the smoothed objective to its gradient test, then
 * divides mu by SMOOTHING_SHRINK and goes on, until mu is below
 * TRAIN_RATE_FLOOR·sd(y).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linalg.h"
#include "parallel.h"
#include "rng.h"
#include "solve.h"
#include "train.h"

size_t
train_rows_per_step(enum train_mode mode, size_t batch_size, size_t n)
{
	if (mode == MODE_BATCH)
		return n;
	if (mode == MODE_SGD)
		return 1;
	return batch_size < n ? batch_size : n;
}

/* X1ᵀX1/n = [1 μᵀ; μ Cxx + μμᵀ] from the moments, (d + 1)² (allocated). */
static double *
gram(const struct moments *m)
{
	size_t d = m->d, p = d + 1;
	double *a = xcalloc(p * p, sizeof(double));

	a[0] = 1;
	for (size_t i = 0; i < d; i++) {
		a[i + 1] = a[(i + 1) * p] = m->mean[i];
		for (size_t j = 0; j < d; j++)
			a[(i + 1) * p + j + 1] =
			    m->cov[i * p + j] + m->mean[i] * m->mean[j];
	}
	return a;
}

/* L = 2·λmax(X1ᵀX1/n), built from the moments. */
static double
lipschitz(const struct moments *m)
{
	double *a = gram(m), lambda;

	lambda = linalg_max_eigenvalue(a, m->d + 1);
	free(a);
	return 2 * lambda;
}

/*
 * Batch gd at a constant step s on mse + λ2‖w‖² contracts the error of the
 * weights by at most q = max|1 − s·h| per epoch over the eigenvalues h of the
 * Hessian, between 2·λmin(X1ᵀX1/n) and 2·λmax(X1ᵀX1/n) + 2·λ2 (λ2 does not
 * touch the intercept, so the lower end is left without it: a bound), and the
 * objective's gap by q²: from a relative gap g, at most log(tol / g) / log(q²)
 * more epochs. NaN if q ≥ 1 or g ≤ tol.
 */
static double
epochs_bound(const struct moments *m, double l2, double step, double gap,
    double tol)
{
	double *a = gram(m), lo, hi, q;
	int status = solve_eigen_range(a, m->d + 1, &lo, &hi);

	free(a);
	if (status != 0)
		return (double)NAN;
	lo = 2 * lo;
	hi = 2 * hi + 2 * l2;
	q = fmax(fabs(1 - step * lo), fabs(1 - step * hi));
	if (!(q < 1) || !(gap > tol))
		return (double)NAN;
	return ceil(log(tol / gap) / log(q * q));
}

/*
 * Beyond this many terms the (d + 1)² moments cost more memory and time than
 * the passes over the rows they save, unless the epochs outnumber the terms;
 * wide data is trained on the rows.
 */
#define MOMENTS_MAX_TERMS 2048

/*
 * Batch MSE at a rate that is not the auto one builds the moments, (d + 1)²/2
 * products a row at the speed of the BLAS, only if its epochs would cost more
 * as passes over the rows, about 2·(d + 1) products a row each: when epochs ·
 * MOMENTS_PASS_TERMS ≥ d + 1: at 100,000 rows the moments took the CPU time
 * of about 30 passes at 500 features, 28 at 1000 (tests/bench/README.md).
 * Results agree to rounding either way, but a rule that divides by the
 * gradients (adam) magnifies the rounding of a gradient near 0.
 */
#define MOMENTS_PASS_TERMS 16

/* Curvature pairs lbfgs keeps: 10, within the 3 to 20 Nocedal & Wright advise.
 */
#define LBFGS_PAIRS 10

/* L-BFGS on a smoothed loss: the factor mu shrinks by between two
 * minimisations. */
#define SMOOTHING_SHRINK 10

/* Training stops as diverged once the loss exceeds its start this many times.
 */
#define DIVERGENCE_FACTOR 1000

/*
 * The certificate's gap is relative to the optimum, or to this fraction of the
 * best constant's loss where the optimum is smaller: an exact fit's optimum is
 * 0 give or take rounding, which no gap can be relative to.
 */
#define CERTIFICATE_FLOOR 1e-12

/*
 * L-BFGS on a smoothed loss: the last width, as a fraction of sd(y).
 */
#define SMOOTHING_FLOOR 1e-9

/* The widest smoothing: mu_max = kink·sd(y) / this (the top of this file). */
#define SMOOTHING_MAX_SD_DIVISOR 4

/* y = X1ᵀ(X1·x)/n over the rows of a dataset (all ranks'), X1 = [1, X]: two
 * passes. */
static void
apply_gram(void *ctx, const double *x, double *y)
{
	const struct dataset *ds = ctx;
	size_t d = ds->d;
	double n = (double)dataset_rows_across_ranks(ds);

	memset(y, 0, (d + 1) * sizeof(double));
	for (size_t i = 0; i < ds->n; i++) {
		const double *row = dataset_row(ds, i);
		double r = dataset_weight(ds, i) * loss_predict(x, row, d) / n;

		y[0] += r;
		linalg_axpy(r, row, y + 1, d);
	}
	dataset_sum_across_ranks(ds, y, d + 1);
}

/*
 * The auto rate (see train.h) of the gd family for ds, from its moments if m is
 * not NULL: c is the loss's curvature, l2 the ridge λ2.
 */
static double
auto_rate(const struct moments *m, const struct dataset *ds, size_t b, double c,
    double l2)
{
	size_t rows = dataset_rows_across_ranks(ds);
	double L, L_max = 0, L_b, n = (double)rows, bb = (double)b;

	L = m != NULL
	    ? lipschitz(m)
	    : 2 * linalg_max_eigenvalue_op(apply_gram, (void *)ds, ds->d + 1);
	L = c / 2 * L + 2 * l2;
	if (b >= rows)
		return 1 / L;
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double norm2 =
		    c * dataset_weight(ds, i) * (1 + linalg_dot(x, x, ds->d)) +
		    2 * l2;

		L_max = norm2 > L_max ? norm2 : L_max;
	}
	dataset_max_across_ranks(ds, &L_max, 1);
	L_b = n * (bb - 1) / (bb * (n - 1)) * L +
	    (n - bb) / (bb * (n - 1)) * L_max;
	return 1 / (2 * L_b);
}

/*
 * A loss with no bound on its curvature (poisson, 2e^z): the weight of row i
 * in the Hessian, h_i = 2·max(μ_i, y_i), μ_i = e^{w0 + o_i} the mean at the
 * start (w0 = loss_start's intercept, o_i the offset or 0): the curvature at
 * the start, and about that at the optimum, where μ_i is near y_i.
 */
static double
row_curvature(const struct dataset *ds, const double *x, double w0)
{
	double mu = exp(w0 + (ds->offset ? x[ds->d - 1] : 0));

	return 2 * fmax(mu, x[ds->d]);
}

struct curved {
	const struct dataset *ds;
	double w0; /* the starting intercept */
};

/*
 * y = Σ h_i x1_i x1_iᵀ·x / n, x1_i = [1, x_i] without the offset (whose weight
 * does not move): the Hessian at the start, as an operator.
 */
static void
apply_curved(void *ctx, const double *x, double *y)
{
	const struct curved *c = ctx;
	const struct dataset *ds = c->ds;
	size_t d = ds->d, free_d = d - (ds->offset ? 1 : 0);
	double n = (double)dataset_rows_across_ranks(ds);

	memset(y, 0, (d + 1) * sizeof(double));
	for (size_t i = 0; i < ds->n; i++) {
		const double *row = dataset_row(ds, i);
		double r = row_curvature(ds, row, c->w0) *
		    (x[0] + linalg_dot(x + 1, row, free_d)) / n;

		y[0] += r;
		linalg_axpy(r, row, y + 1, free_d);
	}
	dataset_sum_across_ranks(ds, y, d + 1);
}

/*
 * The auto rate for a loss without a curvature bound: as auto_rate's, with L
 * the largest eigenvalue of apply_curved's Hessian (+ 2·λ2) and L_max =
 * max_i h_i·‖x1_i‖² + 2·λ2.
 */
static double
curved_rate(const struct train_options *o, const struct dataset *ds, size_t b)
{
	struct curved c = { .ds = ds };
	size_t rows = dataset_rows_across_ranks(ds),
	       free_d = ds->d - (ds->offset ? 1 : 0);
	double L, L_max = 0, L_b, n = (double)rows, bb = (double)b;
	double *w = xcalloc(ds->d + 1, sizeof(double));

	loss_start(o->loss, 0, ds, w);
	c.w0 = w[0];
	free(w);
	L = linalg_max_eigenvalue_op(apply_curved, &c, ds->d + 1) + 2 * o->l2;
	if (b >= rows)
		return 1 / L;
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double norm2 = row_curvature(ds, x, c.w0) *
			(1 + linalg_dot(x, x, free_d)) +
		    2 * o->l2;

		L_max = norm2 > L_max ? norm2 : L_max;
	}
	dataset_max_across_ranks(ds, &L_max, 1);
	L_b = n * (bb - 1) / (bb * (n - 1)) * L +
	    (n - bb) / (bb * (n - 1)) * L_max;
	return 1 / (2 * L_b);
}

double
train_auto_rate(const struct train_options *o, const struct dataset *ds,
    size_t b, const struct moments *m)
{
	struct moments own;
	double rate;

	if (o->optimizer->adaptive)
		return TRAIN_ADAPTIVE_RATE;
	if (o->loss->curvature == 0)
		return curved_rate(o, ds, b);
	if (m != NULL || ds->d + 1 > MOMENTS_MAX_TERMS)
		return auto_rate(m, ds, b, o->loss->curvature, o->l2);
	dataset_moments(ds, &own, o->threads);
	rate = auto_rate(&own, ds, b, o->loss->curvature, o->l2);
	moments_free(&own);
	return rate;
}

double
train_step_scale(const struct train_options *o, const struct dataset *ds)
{
	if (o->loss->target != LOSS_NUMBER)
		return 1; /* the weights are in log-odds, whatever the labels */
	if (o->loss->start == LOSS_START_LOG)
		return 1; /* a log link: the weights are in log units */
	return o->loss->scale_step || o->optimizer->adaptive
	    ? dataset_target_sd(ds)
	    : 1;
}

double
train_objective(const struct train_options *o, double loss, const double *w,
    size_t d, size_t outputs)
{
	double l1 = 0, l2 = 0;

	for (size_t j = 0; j < outputs * (d + 1); j++) {
		if (j % (d + 1) == 0)
			continue; /* an intercept */
		l1 += fabs(w[j]);
		l2 += w[j] * w[j];
	}
	return loss + (o->l2 > 0 ? o->l2 * l2 : 0) +
	    (o->params.l1 > 0 ? o->params.l1 * l1 : 0);
}

/*
 * The objective of w on ds: with an offset (dataset.h), whose weight is held
 * at 1 and is not penalised, train_objective less that weight's penalties.
 */
static double
objective(const struct train_options *o, const struct dataset *ds, double loss,
    const double *w, size_t outputs)
{
	double value = train_objective(o, loss, w, ds->d, outputs);

	if (ds->offset)
		value -= (o->l2 > 0 ? o->l2 : 0) +
		    (o->params.l1 > 0 ? o->params.l1 : 0);
	return value;
}

/* Hold an offset's weight (the last of w) at 1 after a step. */
static void
pin_offset(const struct dataset *ds, double *w)
{
	if (ds->offset)
		w[ds->d] = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Whether λmax(X1ᵀX1/n) is needed: for the auto rate of a rule that is not
 * adaptive (lbfgs's first step too), and for the smoothing of a loss with a
 * kink under a rule that is not adaptive (gd, momentum, nesterov).
 */
static int
needs_lambda(const struct train_options *o, double kink)
{
	const struct optimizer *opt = o->optimizer;

	return !opt->adaptive &&
	    (o->learning_rate <= 0 || (kink > 0 && opt->step != NULL));
}

/*
 * Whether a run of o on ds builds the moments (TRAIN_MOMENTS_ENV, for tests,
 * overrides the choice where they serve). They serve λmax, found on them by
 * power iteration in O(d²) a step where the rows would take a pass a step, up
 * to a thousand; and the loss and gradient of a quadratic loss, in O(d²) an
 * epoch: there they are built only if the epochs would cost more as passes
 * (MOMENTS_PASS_TERMS). Not for more than MOMENTS_MAX_TERMS terms.
 */
static int
use_moments(const struct train_options *o, const struct dataset *ds,
    double kink)
{
	const char *force = getenv(TRAIN_MOMENTS_ENV);
	int serve = o->loss->quadratic || needs_lambda(o, kink);

	if (!serve || ds->d + 1 > MOMENTS_MAX_TERMS)
		return 0;
	if (force != NULL &&
	    (strcmp(force, "0") == 0 || strcmp(force, "1") == 0))
		return force[0] == '1';
	if (needs_lambda(o, kink))
		return 1;
	return (double)o->epochs * MOMENTS_PASS_TERMS >= (double)(ds->d + 1);
}

/* Everything one run of the loop works with; allocated once, up front. */
struct trainer {
	const struct train_options *o;
	const struct dataset *ds;
	struct moments moments; /* of the data, for a quadratic loss */
	size_t rows;		/* of all ranks (dataset.h); ds->n if one */
	size_t offset;		/* of the ranks before this one */
	size_t *order;		/* (rows) row order of the epoch; sgd,
				   minibatch */
	size_t *mine;		/* (batch size) this rank's rows of a batch,
				   when ds is spread */
	size_t p;		/* weights: outputs·(d + 1) */
	double *grad;  /* (p) of the smooth part: loss + λ2·‖w‖² */
	double *state; /* (p)·state_per_weight, the rule's memory */
	struct optim_params params; /* o->params, weight decay per unit of rate
				     */
	struct lbfgs *lbfgs;	    /* lbfgs's memory, or NULL */
	struct rng rng;
	double *grad_w;		    /* (p) the weights next_grad is at */
	int next_grad;		    /* 1: grad holds the loss's gradient at
				       grad_w, from full_loss's pass */
	unsigned long steps;	    /* taken so far, from 1 */
	unsigned long epoch;	    /* the epoch running, from 1 */
	double kink;		    /* loss_kink: 0 for a smooth loss */
	double lambda;		    /* λmax(X1ᵀX1/n), for the smoothing */
	double mu;		    /* the smoothing width in force, or 0 */
	double smoothed;	    /* the smoothed mean loss of the last
				       gradient over all rows */
	double grad_mu;		    /* the mu that grad at grad_w is for */
	double mu_floor;	    /* lbfgs: the last smoothing width */
	double mu_max;		    /* the widest smoothing */
	double stage_grad;	    /* lbfgs: ‖∇f‖ where the current mu's
				       minimisation started */
	enum train_stop lbfgs_stop; /* why lbfgs ended, when it did */
	size_t outputs;		    /* blocks of d + 1 weights */
	double scale;		    /* step = rate·scale (train_step_scale) */
	struct schedule_state schedule;
	double optimum;	       /* the lowest objective, or NaN */
	double start_grad;     /* ‖∇ objective‖ at the start, or NaN */
	double *best;	       /* (p) weights of the best validation
				  loss */
	double *last;	       /* (p) weights of the last finished
				  epoch */
	unsigned long stalled; /* epochs without a better validation
				  loss */
};

/* A pass over all rows in blocks: each block's sums go to its own slot. */
struct rows_pass {
	const struct trainer *t;
	const double *w;
	int with_grad;
	double *slot; /* (blocks, p + 2): Σ loss, Σ gradient, then
			 Σ smoothed loss */
};

static void
block_sums(void *ctx, size_t b)
{
	struct rows_pass *rp = ctx;
	const struct trainer *t = rp->t;
	size_t start = b * PARALLEL_BLOCK, count = t->ds->n - start;
	struct dataset rows;
	/*
	 * The gradient is summed row by row apart from the slots: neighbouring
	 * blocks, which two threads sum at once, have slots that share cache
	 * lines, and every row's write would take the line from the other.
	 * Slots padded apart instead measured slower than this small buffer of
	 * the thread's own, here and in the moments' and the scaler's sums
	 * (tests/bench/README.md, notes from the code).
	 */
	double *out = xcalloc(t->p + 2, sizeof(double));

	count = count < PARALLEL_BLOCK ? count : PARALLEL_BLOCK;
	rows = dataset_rows(t->ds, start, count);
	out[0] =
	    (rp->with_grad ? loss_gradient(t->o->loss, t->o->delta, t->mu,
				 &rows, NULL, 0, rp->w, out + 1, out + t->p + 1)
			   : loss_mean(t->o->loss, t->o->delta, &rows, NULL, 0,
				 rp->w)) *
	    (double)count;
	for (size_t j = 1; rp->with_grad && j <= t->p + 1; j++)
		out[j] *= (double)count;
	memcpy(rp->slot + b * (t->p + 2), out, (t->p + 2) * sizeof(double));
	free(out);
}

/*
 * Threads for a pass over blocks of rows: starting a thread costs about as much
 * as summing a few blocks, so a pass of few blocks (an epoch on small data)
 * runs on fewer, one for every PASS_BLOCKS_PER_THREAD blocks
 * (tests/bench/README.md, notes from the code). Which thread sums a block does
 * not change the result.
 */
#define PASS_BLOCKS_PER_THREAD 4

static unsigned
pass_threads(unsigned threads, size_t blocks)
{
	size_t worth =
	    (blocks + PASS_BLOCKS_PER_THREAD - 1) / PASS_BLOCKS_PER_THREAD;

	return threads > worth ? (unsigned)worth : threads;
}

/*
 * The mean loss over all rows at w, and its gradient into grad unless NULL
 * (with the smoothed mean loss into t->smoothed): blocks of PARALLEL_BLOCK rows
 * on the threads, their sums added in block order, so the result is the same
 * for any number of threads.
 */
static double
rows_loss(struct trainer *t, const double *w, double *grad)
{
	size_t blocks = parallel_blocks(t->ds->n), p = t->p;
	struct rows_pass rp = { .t = t, .w = w, .with_grad = grad != NULL };
	double *sum = xcalloc(p + 2, sizeof(double)), loss;

	rp.slot = xcalloc(blocks * (p + 2), sizeof(double));
	/* A rank may hold no rows: its sums are 0. */
	if (t->ds->n > 0)
		parallel_run(blocks, pass_threads(t->o->threads, blocks),
		    block_sums, &rp);
	for (size_t b = 0; t->ds->n > 0 && b < blocks; b++) {
		sum[0] += rp.slot[b * (p + 2)];
		for (size_t j = 1; grad != NULL && j < p + 2; j++)
			sum[j] += rp.slot[b * (p + 2) + j];
	}
	/* Then those of the other ranks' rows, when spread. */
	dataset_sum_across_ranks(t->ds, sum, grad != NULL ? p + 2 : 1);
	for (size_t j = 0; grad != NULL && j < p; j++)
		grad[j] = sum[1 + j] / (double)t->rows;
	loss = sum[0] / (double)t->rows;
	if (grad != NULL)
		t->smoothed = sum[p + 1] / (double)t->rows;
	free(rp.slot);
	free(sum);
	return loss;
}

/*
 * The mean loss over the count rows (of all ranks; 0-based over them) and its
 * gradient into grad, when ds is spread: each rank's mean over its own rows of
 * them, weighted by its share and summed over the ranks. With one rank the
 * share is 1, and the result that of loss_gradient alone.
 */
static double
spread_gradient(const struct trainer *t, const size_t *rows, size_t count,
    const double *w, double *grad)
{
	size_t m = 0, p = t->p;
	double *sum = xcalloc(p + 1, sizeof(double)), share, loss;

	for (size_t k = 0; k < count; k++)
		if (rows[k] >= t->offset && rows[k] - t->offset < t->ds->n)
			t->mine[m++] = rows[k] - t->offset;
	if (m > 0) {
		sum[0] = loss_gradient(t->o->loss, t->o->delta, t->mu, t->ds,
		    t->mine, m, w, sum + 1, NULL);
		share = (double)m / (double)count;
		for (size_t j = 0; j <= p; j++)
			sum[j] *= share;
	}
	dataset_sum_across_ranks(t->ds, sum, p + 1);
	memcpy(grad, sum + 1, p * sizeof(double));
	loss = sum[0];
	free(sum);
	return loss;
}

/*
 * Mean loss over all rows at w: from the moments when they can be trusted. A
 * pass over the rows in batch mode also sums the gradient at w, which the next
 * epoch's step needs at the same w: that epoch then makes no pass of its own
 * (batch MAE: one pass an epoch, not two; the sums are the same, block by
 * block).
 */
static double
full_loss(struct trainer *t, const double *w)
{
	double value;

	if (t->moments.mean != NULL && t->o->loss->quadratic &&
	    loss_quadratic(&t->moments, w, &value, NULL) == 0)
		return value;
	if (t->o->mode != MODE_BATCH || t->lbfgs != NULL)
		return rows_loss(t, w, NULL);
	value = rows_loss(t, w, t->grad);
	memcpy(t->grad_w, w, t->p * sizeof(double));
	t->grad_mu = t->mu;
	t->next_grad = 1;
	return value;
}

/* grad += the gradient of λ2·‖w‖² (intercepts left out). */
static void
add_l2(const struct trainer *t, const double *w, double *grad)
{
	for (size_t j = 0; t->o->l2 > 0 && j < t->p; j++)
		if (j % (t->ds->d + 1) != 0 &&
		    !(t->ds->offset && j == t->ds->d))
			grad[j] += 2 * t->o->l2 * w[j];
}

/*
 * Gradient of the loss plus λ2·‖w‖² over count rows (all when rows is NULL)
 * into grad; returns the mean loss over those rows.
 */
static double
gradient(struct trainer *t, const size_t *rows, size_t count, const double *w,
    double *grad)
{
	double value;

	if (rows != NULL && t->ds->spread)
		value = spread_gradient(t, rows, count, w, grad);
	else if (rows != NULL)
		value = loss_gradient(t->o->loss, t->o->delta, t->mu, t->ds,
		    rows, count, w, grad, NULL);
	else if (t->moments.mean == NULL || !t->o->loss->quadratic ||
	    loss_quadratic(&t->moments, w, &value, grad) != 0)
		value = rows_loss(t, w, grad);
	else
		t->smoothed = value;
	add_l2(t, w, grad);
	/* Without an intercept its weight stays where it starts, at 0. */
	for (size_t j = 0; t->o->no_intercept && j < t->p; j += t->ds->d + 1)
		grad[j] = 0;
	return value;
}

static void
step(struct trainer *t, double *w, double rate)
{
	t->o->optimizer->step(w, t->grad, t->state, t->p, rate, ++t->steps,
	    &t->params);
	pin_offset(t->ds, w);
}

/* Whether the caller asked training to stop (a signal, say). */
static int
stopped(const struct trainer *t)
{
	return t->o->stop != NULL && *t->o->stop != 0;
}

/*
 * The smooth part of the objective over all rows, for lbfgs: f(w) and ∇f into
 * grad; for a loss that is not smooth, of its smoothed form at t->mu.
 */
static double
smooth_objective(void *ctx, const double *w, double *grad)
{
	struct trainer *t = ctx;
	double l2 = 0;

	for (size_t j = 0; j < t->p; j++)
		if (j % (t->ds->d + 1) != 0 &&
		    !(t->ds->offset && j == t->ds->d))
			l2 += w[j] * w[j];
	gradient(t, NULL, t->ds->n, w, grad);
	return t->smoothed + t->o->l2 * l2;
}

/*
 * With done rows of the epoch stepped on, tell o->progress how far the epoch
 * is, if TRAIN_PROGRESS_ROWS rows have passed since it was last told (at
 * *told).
 */
static void
tell_progress(const struct trainer *t, size_t done, size_t *told)
{
	if (t->o->progress == NULL || done - *told < TRAIN_PROGRESS_ROWS)
		return;
	*told = done;
	t->o->progress(t->o->progress_ctx, t->epoch,
	    (double)done / (double)t->rows);
}

/*
 * An sgd epoch for a rule with a row step (optimizer.row_step) and one output:
 * the same steps as the general loop, each row's gradient never written out.
 */
static void
sgd_epoch(struct trainer *t, double *w, double rate)
{
	const struct train_options *o = t->o;
	const struct dataset *ds = t->ds;
	size_t n = t->rows, d = ds->d, told = 0;
	double l2x2 = o->l2 > 0 ? 2 * o->l2 : 0;

	dataset_prefetch(ds, t->order,
	    n < DATASET_PREFETCH_ROWS ? n : DATASET_PREFETCH_ROWS);
	for (size_t k = 0; k < n && !stopped(t); k++) {
		const double *x = dataset_row(ds, t->order[k]);
		double g;

		if (k + DATASET_PREFETCH_ROWS < n)
			dataset_prefetch(ds,
			    t->order + k + DATASET_PREFETCH_ROWS, 1);
		g = dataset_weight(ds, t->order[k]) *
		    loss_smoothed_deriv(o->loss, loss_predict(w, x, d), x[d],
			o->delta, t->mu);
		o->optimizer->row_step(w, x, d, g, l2x2, rate, &t->params);
		if (o->no_intercept)
			w[0] = 0;
		pin_offset(ds, w);
		t->steps++;
		tell_progress(t, k + 1, &told);
	}
}

/*
 * The smoothing width for a step of the given size (see the top of this file):
 * the one at which the step is 1/L of the smoothed loss; for the adaptive
 * rules, the step itself. 0 for a smooth loss.
 */
static void
set_smoothing(struct trainer *t, double step)
{
	if (t->kink == 0)
		t->mu = 0;
	else if (t->o->optimizer->adaptive)
		t->mu = step;
	else
		t->mu = step * t->kink * t->lambda / 2;
	if (t->mu > t->mu_max)
		t->mu = t->mu_max;
}

static double
norm(const double *v, size_t p)
{
	return sqrt(linalg_dot(v, v, p));
}

/*
 * One L-BFGS iteration on the smooth part of the objective. Its gradient test
 * passes when ‖∇f‖ ≤ TRAIN_GRADIENT_TOL·‖∇f‖ at the start of the minimisation
 * (TRAIN_SMOOTHED_GRADIENT_TOL for a smoothed loss); there a test passed or a
 * line search that failed ends the minimisation at the current mu only: mu
 * shrinks, the curvature pairs (which belong to the old function) are dropped,
 * and it goes on until mu is below mu_floor. Returns the step taken, or 0 when
 * training ends, with t->lbfgs_stop saying why.
 */
static double
lbfgs_epoch(struct trainer *t, double *w, double rate)
{
	double f = smooth_objective(t, w, t->grad), taken, g;
	int last_mu = t->kink == 0 || t->mu / SMOOTHING_SHRINK < t->mu_floor;

	if (t->stage_grad == 0)
		t->stage_grad = norm(t->grad, t->p);
	g = norm(t->grad, t->p);
	if (g <=
	    (t->kink == 0 ? TRAIN_GRADIENT_TOL : TRAIN_SMOOTHED_GRADIENT_TOL) *
		t->stage_grad)
		taken = 0, t->lbfgs_stop = TRAIN_STOP_GRADIENT;
	else if ((taken = lbfgs_iterate(t->lbfgs, w, &f, t->grad, rate,
		      smooth_objective, t)) == 0)
		t->lbfgs_stop = TRAIN_STOP_NO_DECREASE;
	if (taken > 0 || last_mu)
		return taken;
	t->mu /= SMOOTHING_SHRINK;
	lbfgs_reset(t->lbfgs);
	t->stage_grad = 0;
	return rate;
}

/*
 * One pass over the data: one step, or one per batch of rows in a new order;
 * a request to stop ends it after the current step. For lbfgs, one iteration;
 * returns the step it took (0: training ends, see lbfgs_epoch), else rate.
 */
static double
epoch(struct trainer *t, double *w, double rate)
{
	size_t n = t->rows,
	       b = train_rows_per_step(t->o->mode, t->o->batch_size, n);
	/*
	 * Each step asks for the first rows of a later step,
	 * DATASET_PREFETCH_ROWS rows or more ahead; loss_gradient asks for the
	 * rest of a batch as it goes. Not for spread rows, whose order is of
	 * all ranks' rows.
	 */
	size_t ahead = t->ds->spread	? n
	    : b > DATASET_PREFETCH_ROWS ? b
					: DATASET_PREFETCH_ROWS;
	size_t asked = b < DATASET_PREFETCH_ROWS ? b : DATASET_PREFETCH_ROWS;

	if (t->lbfgs != NULL)
		return lbfgs_epoch(t, w, rate);
	set_smoothing(t, rate);
	if (t->o->mode == MODE_BATCH) {
		if (t->next_grad && t->grad_mu == t->mu &&
		    memcmp(t->grad_w, w, t->p * sizeof(double)) == 0)
			add_l2(t, w,
			    t->grad); /* the loss's part from full_loss */
		else
			gradient(t, NULL, n, w, t->grad);
		t->next_grad = 0;
		step(t, w, rate);
		return rate;
	}
	rng_shuffle(&t->rng, t->order, n);
	if (b == 1 && !t->ds->spread && t->o->optimizer->row_step != NULL &&
	    t->o->loss->target != LOSS_CLASSES) {
		sgd_epoch(t, w, rate);
		return rate;
	}
	if (!t->ds->spread)
		dataset_prefetch(t->ds, t->order, n < ahead ? n : ahead);
	for (size_t start = 0, told = 0; start < n && !stopped(t); start += b) {
		size_t next = start + ahead,
		       count = n - start < b ? n - start : b;

		/* Rows `ahead` places on start loading while this step runs. */
		if (next < n)
			dataset_prefetch(t->ds, t->order + next,
			    n - next < asked ? n - next : asked);
		gradient(t, t->order + start, count, w, t->grad);
		step(t, w, rate);
		tell_progress(t, n - start < b ? n : start + b, &told);
	}
	return rate;
}

/*
 * After an epoch with validation: remember the weights if their validation loss
 * is the best yet (lower by more than tol·|best|). Returns 1 when early
 * stopping says to stop.
 */
static int
keep_best(const struct train_options *o, struct train_result *r,
    const struct epoch_report *rep, const double *w, double *best,
    unsigned long *stalled)
{
	size_t p =
	    loss_outputs(o->loss, o->validation) * (o->validation->d + 1);

	r->val_loss = rep->val_loss;
	if (r->best_epoch == 0 ||
	    rep->val_loss <
		r->best_val_loss - o->tol * fabs(r->best_val_loss)) {
		r->best_val_loss = rep->val_loss;
		r->best_train_loss = rep->loss;
		r->best_epoch = rep->epoch;
		memcpy(best, w, p * sizeof(double));
		*stalled = 0;
		return 0;
	}
	if (o->early_stop && ++*stalled >= o->early_stop) {
		r->stopped_early = 1;
		return 1;
	}
	return 0;
}

/*
 * The optimum of a quadratic loss from the moments (solve.h), as the objective
 * that training computes at that point, for the certificate; NaN when it is not
 * known that way (another loss, --l1, no moments).
 */
static double
moments_optimum(struct trainer *t)
{
	const struct train_options *o = t->o;
	double *w, value;

	if (t->moments.mean == NULL || !o->loss->quadratic ||
	    o->params.l1 > 0 || o->no_intercept)
		return (double)NAN;
	w = xcalloc(t->p, sizeof(double));
	value = solve_moments(&t->moments, o->l2, w);
	if (!isnan(value))
		value = objective(o, t->ds, full_loss(t, w), w, 1);
	t->next_grad = 0;
	free(w);
	return value;
}

/* ‖∇ objective‖ at w, the smooth part (no --l1): a pass over the rows. */
static double
gradient_norm(struct trainer *t, const double *w)
{
	double mu = t->mu, g;

	t->mu = 0;
	gradient(t, NULL, t->ds->n, w, t->grad);
	t->next_grad = 0;
	t->mu = mu;
	g = norm(t->grad, t->p);
	return g;
}

/* The relative gap of objective to optimum, or NaN if optimum is unknown. */
static double
relative(double objective, double optimum)
{
	if (!isfinite(optimum))
		return (double)NAN;
	if (optimum == 0)
		return objective == 0 ? 0 : (double)INFINITY;
	return (objective - optimum) / fabs(optimum);
}

/*
 * The certificate of the weights w a run returns (train.h): the relative gap
 * to the optimum where it is known; for batch gd at a constant rate on mse,
 * the epochs still needed; for a smooth loss, the fall of the gradient.
 */
static void
certify(struct trainer *t, const double *w, struct train_result *r)
{
	const struct train_options *o = t->o;
	/*
	 * An exact fit's optimum is 0 give or take rounding: measured against
	 * a trillionth of the best constant's loss instead.
	 */
	double floor = CERTIFICATE_FLOOR * r->initial_loss;

	r->cert.rel_gap = t->optimum < floor
	    ? (r->objective - t->optimum) / floor
	    : relative(r->objective, t->optimum);
	if (o->loss->quadratic && o->mode == MODE_BATCH &&
	    strcmp(o->optimizer->name, "gd") == 0 &&
	    strcmp(o->schedule->name, "constant") == 0 &&
	    t->moments.mean != NULL && !isnan(r->cert.rel_gap))
		r->cert.epochs_needed = epochs_bound(&t->moments, o->l2,
		    r->learning_rate * t->scale, r->cert.rel_gap,
		    TRAIN_CERTIFIED);
	if (t->start_grad > 0)
		r->cert.grad_ratio = gradient_norm(t, w) / t->start_grad;
}

/*
 * Set t up for a run of o on ds: the moments where they serve (a quadratic
 * loss, the auto rate, the smoothing of a loss with a kink), the base rate into
 * r, the buffers, the row order and the generator.
 */
static void
trainer_init(struct trainer *t, const struct train_options *o,
    const struct dataset *ds, struct train_result *r)
{
	size_t p = loss_outputs(o->loss, ds) * (ds->d + 1);

	*t = (struct trainer){ .o = o,
		.ds = ds,
		.p = p,
		.outputs = p / (ds->d + 1),
		.scale = train_step_scale(o, ds) };
	/* Collective when spread (dataset.h), so one after the other. */
	t->rows = dataset_rows_across_ranks(ds);
	t->offset = dataset_rows_before_rank(ds);
	t->kink = loss_kink(o->loss, o->delta);
	if (use_moments(o, ds, t->kink))
		dataset_moments(ds, &t->moments, o->threads);
	r->moments = t->moments.mean != NULL;
	r->learning_rate = o->learning_rate > 0
	    ? o->learning_rate
	    : train_auto_rate(o, ds,
		  train_rows_per_step(o->mode, o->batch_size, t->rows),
		  t->moments.mean ? &t->moments : NULL);
	if (t->kink > 0 && needs_lambda(o, t->kink))
		t->lambda = t->moments.mean != NULL
		    ? lipschitz(&t->moments) / 2
		    : linalg_max_eigenvalue_op(apply_gram, (void *)ds,
			  ds->d + 1);
	t->grad = xcalloc(p, sizeof(double));
	t->grad_w = xcalloc(p, sizeof(double));
	t->state =
	    xcalloc(p * (o->optimizer->state_per_weight + 1), sizeof(double));
	t->best = xcalloc(p, sizeof(double));
	t->last = xcalloc(p, sizeof(double));
	t->params = o->params;
	/* AdamW decays by the unit-free rate: the step's rate is that times
	 * scale. */
	t->params.weight_decay /= t->scale;
	t->params.stride = ds->d + 1;
	t->mu_max = t->kink * dataset_target_sd(ds) / SMOOTHING_MAX_SD_DIVISOR;
	if (o->optimizer->step == NULL) {
		t->lbfgs = lbfgs_new(p, LBFGS_PAIRS);
		t->mu = t->mu_max;
		t->mu_floor = SMOOTHING_FLOOR * dataset_target_sd(ds);
	}
	if (o->mode != MODE_BATCH) {
		/* Spread rows: the same order of all of them on every rank. */
		t->order = xcalloc(t->rows, sizeof(size_t));
		for (size_t i = 0; i < t->rows; i++)
			t->order[i] = i;
		t->mine = xcalloc(train_rows_per_step(o->mode, o->batch_size,
				      t->rows),
		    sizeof(size_t));
	}
	rng_seed(&t->rng, o->seed);
}

static void
trainer_free(struct trainer *t)
{
	if (t->moments.mean != NULL)
		moments_free(&t->moments);
	lbfgs_free(t->lbfgs);
	free(t->order);
	free(t->mine);
	free(t->grad);
	free(t->grad_w);
	free(t->state);
	free(t->best);
	free(t->last);
}

/*
 * Before the first epoch: the optimum where it is known, the starting point
 * into w, its loss, gradient and objective, r filled as for a run of no epochs,
 * the schedule started. -1 with e filled (EXIT_INPUT) if the starting loss
 * overflows.
 */
static int
train_start(struct trainer *t, double *w, struct train_result *r,
    struct error *e)
{
	const struct train_options *o = t->o;
	const struct dataset *ds = t->ds;
	double constant = 0;

	t->optimum = moments_optimum(t);
	if (isnan(t->optimum))
		t->optimum = o->optimum;
	if (o->warm) {
		/* initial_loss stays the best constant's, the summary's
		   baseline and the scale of divergence: computed first, as
		   full_loss keeps the gradient of the last w it is given. */
		double *c = xcalloc(t->p, sizeof(double));

		loss_start(o->loss, o->delta, ds, c);
		constant = full_loss(t, c);
		free(c);
	} else {
		loss_start(o->loss, o->delta, ds, w);
	}
	for (size_t j = 0; o->no_intercept && j < t->p; j += ds->d + 1)
		w[j] = 0;
	t->start_grad = (double)NAN;
	if (o->loss->smooth && o->params.l1 == 0)
		t->start_grad = gradient_norm(t, w);
	r->initial_loss = r->loss = full_loss(t, w);
	if (o->warm)
		r->initial_loss = constant;
	r->objective = objective(o, ds, r->loss, w, t->outputs);
	memcpy(t->last, w, t->p * sizeof(double));
	r->epochs = 0;
	r->last_drop = 0;
	r->val_loss = (double)NAN;
	r->best_epoch = 0;
	r->stopped_early = 0;
	r->interrupted = 0;
	r->stop = TRAIN_STOP_EPOCHS;
	r->smoothing = 0;
	r->cert = (struct train_certificate){ .rel_gap = (double)NAN,
		.epochs_needed = (double)NAN,
		.grad_ratio = (double)NAN };
	if (!isfinite(r->initial_loss) && ds->offset) {
		r->stop = TRAIN_STOP_DIVERGED;
		return error_set(e, EXIT_INPUT,
		    "the offset \"%s\" puts the mean of the best constant "
		    "out of the double range (is it the exposure? the offset "
		    "is "
		    "its log: --exposure takes the log)",
		    ds->names[ds->d - 1]);
	}
	if (o->warm && !isfinite(r->loss)) {
		r->stop = TRAIN_STOP_DIVERGED;
		return error_set(e, EXIT_INPUT,
		    "the loss (%s) of the starting weights is not finite",
		    o->loss->name);
	}
	if (!isfinite(r->initial_loss)) {
		r->stop = TRAIN_STOP_DIVERGED;
		return error_set(e, EXIT_INPUT,
		    "the target \"%s\" is too large "
		    "to fit: the %s of its best constant is not finite",
		    ds->names[ds->d], o->loss->name);
	}
	schedule_init(&t->schedule, o->schedule, r->learning_rate,
	    &o->schedule_params);
	if (o->schedule->observe != NULL)
		o->schedule->observe(&t->schedule, r->loss);
	return 0;
}

/*
 * The rate of epoch k into rep: the schedule's, or for L-BFGS the first step
 * of its line search. 0 (r->stop said) once a schedule's rate has fallen
 * below TRAIN_RATE_FLOOR of its start.
 */
static int
epoch_rate(struct trainer *t, unsigned long k, struct epoch_report *rep,
    struct train_result *r)
{
	rep->rate = t->lbfgs != NULL ? t->schedule.base
				     : t->o->schedule->rate(&t->schedule, k);
	if (t->lbfgs == NULL &&
	    !(rep->rate >= TRAIN_RATE_FLOOR * t->schedule.base)) {
		r->stop = TRAIN_STOP_RATE_FLOOR;
		return 0;
	}
	return 1;
}

/*
 * Epoch k at rep's rate; for L-BFGS, the step its line search took into rep.
 * 0 (r->stop said) when training ends instead: L-BFGS stopped, or a request
 * to stop cut the epoch short, and then w is back at the last epoch's weights.
 */
static int
take_epoch(struct trainer *t, unsigned long k, double *w,
    struct epoch_report *rep, struct train_result *r)
{
	double taken;

	t->epoch = k;
	if ((taken = epoch(t, w, rep->rate * t->scale)) == 0) {
		r->stop = t->lbfgs_stop;
		return 0;
	}
	if (t->lbfgs != NULL)
		rep->rate = taken;
	if (stopped(t)) {
		memcpy(w, t->last, t->p * sizeof(double));
		r->interrupted = k;
		r->stop = TRAIN_STOP_INTERRUPTED;
		return 0;
	}
	return 1;
}

/*
 * The losses, objective and accuracies of w after an epoch into rep, and the
 * loss and objective into r (with the relative fall of the loss).
 */
static void
evaluate(struct trainer *t, const double *w, struct epoch_report *rep,
    struct train_result *r)
{
	const struct train_options *o = t->o;

	rep->loss = full_loss(t, w);
	rep->objective = objective(o, t->ds, rep->loss, w, t->outputs);
	rep->gap = rep->objective - o->optimum;
	r->objective = rep->objective;
	r->last_drop = r->loss > 0 ? (r->loss - rep->loss) / r->loss : 0;
	r->loss = rep->loss;
	rep->val_loss = o->validation
	    ? loss_mean(o->loss, o->delta, o->validation, NULL, 0, w)
	    : (double)NAN;
	rep->accuracy = rep->val_accuracy = (double)NAN;
	if (o->loss->target != LOSS_NUMBER) {
		rep->accuracy = loss_accuracy(o->loss, t->ds, w);
		if (o->validation)
			rep->val_accuracy =
			    loss_accuracy(o->loss, o->validation, w);
	}
}

/*
 * Whether the loss after an epoch has diverged: not finite, or above
 * DIVERGENCE_FACTOR times the starting loss. If so, -1 with e filled
 * (EXIT_DIVERGED) and r->stop said; else 0.
 */
static int
diverged(const struct epoch_report *rep, struct train_result *r,
    struct error *e)
{
	if (isfinite(rep->loss) &&
	    !(rep->loss > DIVERGENCE_FACTOR * r->initial_loss))
		return 0;
	r->stop = TRAIN_STOP_DIVERGED;
	return error_set(e, EXIT_DIVERGED,
	    "training diverged at epoch %lu "
	    "(loss %g)",
	    rep->epoch, rep->loss);
}

/*
 * After the last epoch: back to the best epoch's weights under early stopping,
 * and for a run that did not diverge, the certificate (how far from the
 * optimum); the smoothing and accuracies of the weights returned.
 */
static void
train_finish(struct trainer *t, double *w, struct train_result *r, int status)
{
	const struct train_options *o = t->o;

	if (status == 0 && o->early_stop && r->best_epoch) {
		memcpy(w, t->best, t->p * sizeof(double));
		r->val_loss = r->best_val_loss;
		r->loss = r->best_train_loss;
		r->objective = objective(o, t->ds, r->loss, w, t->outputs);
		r->last_drop = 0;
	}
	r->smoothing = t->mu;
	if (status == 0)
		certify(t, w, r);
	r->accuracy = r->val_accuracy = (double)NAN;
	if (o->loss->target != LOSS_NUMBER) {
		r->accuracy = loss_accuracy(o->loss, t->ds, w);
		if (o->validation)
			r->val_accuracy =
			    loss_accuracy(o->loss, o->validation, w);
	}
}

int
train_run(const struct train_options *o, const struct dataset *ds, double *w,
    epoch_fn fn, void *ctx, struct train_result *r, struct error *e)
{
	struct trainer t;
	int status = 0;

	trainer_init(&t, o, ds, r);
	if (train_start(&t, w, r, e) != 0) {
		trainer_free(&t);
		return -1;
	}
	for (unsigned long k = 1; k <= o->epochs; k++) {
		struct epoch_report rep = { .epoch = k };
		double start = now();

		if (!epoch_rate(&t, k, &rep, r) ||
		    !take_epoch(&t, k, w, &rep, r))
			break;
		evaluate(&t, w, &rep, r);
		rep.seconds = now() - start;
		r->epochs = k;
		if (o->schedule->observe != NULL)
			o->schedule->observe(&t.schedule, rep.loss);
		if (fn != NULL)
			fn(ctx, &rep);
		if ((status = diverged(&rep, r, e)) != 0)
			break;
		if (o->validation &&
		    keep_best(o, r, &rep, w, t.best, &t.stalled)) {
			r->stop = TRAIN_STOP_EARLY;
			break;
		}
		memcpy(t.last, w, t.p * sizeof(double));
	}
	train_finish(&t, w, r, status);
	trainer_free(&t);
	return status;
}
