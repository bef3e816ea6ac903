/*
 * scale.c: z-scores. Statistics are computed in two passes (mean, then the mean
 * of squared deviations), which does not lose the variance to cancellation the
 * way the one-pass Σx² − n·mean² does when the mean is large next to the
 * spread.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "linalg.h"
#include "parallel.h"
#include "scale.h"

/*
 * A column is constant when all its values are equal, or when its spread is at
 * the level of the rounding error of its mean: then z-scores would be noise.
 */
static int
looks_constant(double sd, double min, double max, double mean)
{
	return min == max || sd <= 4 * DBL_EPSILON * fabs(mean);
}

/* One row x (d) added into sum, and into the running minimum and maximum. */
LINALG_KERNEL static void
add_row(const double *restrict x, double *restrict sum, double *restrict min,
    double *restrict max, size_t d)
{
#define ADD(j) \
	do { \
		sum[j] += x[j]; \
		min[j] = x[j] < min[j] ? x[j] : min[j]; \
		max[j] = x[j] > max[j] ? x[j] : max[j]; \
	} while (0)
	LINALG_BY_FOURS(d, ADD);
#undef ADD
}

/* The squares of one row's deviations (x − mean) / div (d) added into sum. */
LINALG_KERNEL static void
add_squares(const double *restrict x, const double *restrict mean,
    const double *restrict div, double *restrict sum, size_t d)
{
#define SQUARE(j) \
	do { \
		double dev = (x[j] - mean[j]) / div[j]; \
\
		sum[j] += dev * dev; \
	} while (0)
	LINALG_BY_FOURS(d, SQUARE);
#undef SQUARE
}

/*
 * What the two passes share: the rows, cut into parts (dataset_parts) that are
 * summed apart, on threads, and added in order, so that the statistics are the
 * same bits for any number of threads; a slot of d values per part for each
 * sum.
 */
struct pass {
	const struct dataset *ds;
	size_t parts;
	const double *mean, *div; /* (d) for the deviations */
	double *sum, *min, *max;  /* (parts, d) */
};

/*
 * Part k's sums, minima and maxima; kept apart while the rows go by and stored
 * in the part's slots at the end, since the slots of neighbouring parts share
 * cache lines that two threads would pass back and forth at every row.
 */
static void
sum_part(void *ctx, size_t k)
{
	struct pass *ps = ctx;
	size_t d = ps->ds->d, lo, hi;
	double *own = xcalloc(3 * d, sizeof(double));
	double *sum = own, *min = own + d, *max = own + 2 * d;

	dataset_fold(k, ps->parts, ps->ds->n, &lo, &hi);
	for (size_t j = 0; j < d; j++) {
		min[j] = HUGE_VAL;
		max[j] = -HUGE_VAL;
	}
	for (size_t i = lo; i < hi; i++)
		add_row(dataset_row(ps->ds, i), sum, min, max, d);
	memcpy(ps->sum + k * d, sum, d * sizeof(double));
	memcpy(ps->min + k * d, min, d * sizeof(double));
	memcpy(ps->max + k * d, max, d * sizeof(double));
	free(own);
}

/* Part k's squared deviations, kept apart as in sum_part. */
static void
square_part(void *ctx, size_t k)
{
	struct pass *ps = ctx;
	size_t d = ps->ds->d, lo, hi;
	double *sum = xcalloc(d, sizeof(double));

	dataset_fold(k, ps->parts, ps->ds->n, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		add_squares(dataset_row(ps->ds, i), ps->mean, ps->div, sum, d);
	memcpy(ps->sum + k * d, sum, d * sizeof(double));
	free(sum);
}

/*
 * Column means into mean (d), and the minimum and maximum of each column, in
 * one pass; a column whose plain sum overflows is summed again as Σ x/n. Each
 * part row by row, so the matrix is read in the order it is stored. Over all
 * ranks' rows when ds is spread, as are the deviations below: the sums of each
 * rank added, then divided by the rows of all, so the two passes stay exact.
 */
static void
column_means(struct pass *ps, double *mean, double *min, double *max,
    unsigned threads)
{
	const struct dataset *ds = ps->ds;
	size_t d = ds->d;
	double n = (double)dataset_rows_across_ranks(ds);
	double *again = xcalloc(d, sizeof(double));

	parallel_run(ps->parts, threads, sum_part, ps);
	for (size_t j = 0; j < d; j++) {
		min[j] = HUGE_VAL;
		max[j] = -HUGE_VAL;
	}
	for (size_t k = 0; k < ps->parts; k++)
		for (size_t j = 0; j < d; j++) {
			mean[j] += ps->sum[k * d + j];
			min[j] = ps->min[k * d + j] < min[j]
			    ? ps->min[k * d + j]
			    : min[j];
			max[j] = ps->max[k * d + j] > max[j]
			    ? ps->max[k * d + j]
			    : max[j];
		}
	dataset_min_across_ranks(ds, min, d);
	dataset_max_across_ranks(ds, max, d);
	dataset_sum_across_ranks(ds, mean, d);
	for (size_t j = 0; j < d; j++) {
		if (isfinite(mean[j])) {
			mean[j] /= n;
			continue;
		}
		for (size_t i = 0; i < ds->n; i++)
			again[j] += dataset_row(ds, i)[j] / n;
	}
	/* The columns summed again, if any, over the ranks too. */
	dataset_sum_across_ranks(ds, again, d);
	for (size_t j = 0; j < d; j++)
		if (!isfinite(mean[j]))
			mean[j] = again[j];
	free(again);
}

/*
 * Population standard deviations about mean into sd (d), from the columns'
 * minimum and maximum: sd = m·sqrt(Σ(dev/m)²/n) with m the largest |dev|, so
 * that squares cannot overflow. Infinite when the deviations themselves
 * overflow.
 */
static void
column_sds(struct pass *ps, const double *mean, double *sd, const double *min,
    const double *max, unsigned threads)
{
	const struct dataset *ds = ps->ds;
	size_t d = ds->d;
	double *big = xcalloc(d, sizeof(double));
	double n = (double)dataset_rows_across_ranks(ds);
	double *div = xcalloc(d, sizeof(double));

	/*
	 * The largest |x − mean| is at the minimum or the maximum: a rounded
	 * difference never decreases as x grows. (Not positive, as when the
	 * mean is NaN: 0, as a pass over the deviations would leave it.)
	 */
	for (size_t j = 0; j < d; j++) {
		double above = max[j] - mean[j], below = mean[j] - min[j];

		big[j] = above > below ? above : below;
		big[j] = big[j] > 0 ? big[j] : 0;
		div[j] = big[j] > 0 ? big[j] : 1;
	}
	/* Every column divided, so that the loop has no branch; a column of no
	 * spread (big 0) counts none. */
	ps->mean = mean;
	ps->div = div;
	parallel_run(ps->parts, threads, square_part, ps);
	for (size_t k = 0; k < ps->parts; k++)
		for (size_t j = 0; j < d; j++)
			sd[j] += ps->sum[k * d + j];
	for (size_t j = 0; j < d; j++)
		if (big[j] == 0)
			sd[j] = 0;
	dataset_sum_across_ranks(ds, sd, d);
	for (size_t j = 0; j < d; j++)
		sd[j] = isfinite(big[j]) ? big[j] * sqrt(sd[j] / n) : big[j];
	free(big);
	free(div);
}

int
scaler_fit(struct scaler *s, const struct dataset *ds, enum scaling scaling,
    unsigned threads, struct error *e)
{
	size_t d = ds->d;
	double *min = xcalloc(d, sizeof(double)),
	       *max = xcalloc(d, sizeof(double));
	struct pass ps = { .ds = ds, .parts = dataset_parts(ds) };
	int status = 0;

	s->d = d;
	s->mean = xcalloc(d, sizeof(double));
	s->sd = xcalloc(d, sizeof(double));
	s->shift = xcalloc(d, sizeof(double));
	s->scale = xcalloc(d, sizeof(double));
	ps.sum = xcalloc(ps.parts * d, sizeof(double));
	ps.min = xcalloc(ps.parts * d, sizeof(double));
	ps.max = xcalloc(ps.parts * d, sizeof(double));
	column_means(&ps, s->mean, min, max, threads);
	column_sds(&ps, s->mean, s->sd, min, max, threads);
	free(ps.sum);
	free(ps.min);
	free(ps.max);
	for (size_t j = 0; j < d && status == 0; j++) {
		if (!isfinite(s->sd[j]) || !isfinite(max[j] - min[j])) {
			status = error_set(e, EXIT_INPUT,
			    "column \"%s\": the values "
			    "span more than a double can hold (from %g to %g)",
			    ds->names[j], min[j], max[j]);
		} else if (ds->offset && j + 1 == d) {
			/* An offset enters as it is, with weight 1. */
			s->shift[j] = 0;
			s->scale[j] = 1;
		} else if (looks_constant(s->sd[j], min[j], max[j],
			       s->mean[j])) {
			s->sd[j] = 0;
			s->shift[j] = s->mean[j];
			s->scale[j] = 0;
		} else if (scaling == SCALE_ZSCORE) {
			s->shift[j] = s->mean[j];
			s->scale[j] = s->sd[j];
		} else if (scaling == SCALE_MINMAX) {
			s->shift[j] = min[j];
			s->scale[j] = max[j] - min[j];
		} else {
			s->shift[j] = 0;
			s->scale[j] = 1;
		}
	}
	free(min);
	free(max);
	return status;
}

void
scaler_no_shift(struct scaler *s, enum scaling scaling)
{
	for (size_t j = 0; j < s->d; j++) {
		double rms = hypot(s->mean[j], s->sd[j]);

		s->shift[j] = 0;
		if (scaling != SCALE_NONE)
			s->scale[j] = rms;
		else
			s->scale[j] = rms > 0 ? 1 : 0;
	}
}

int
scaler_is_constant(const struct scaler *s, size_t j)
{
	return s->scale[j] == 0;
}

/*
 * What applying the scaler needs: each feature's shift, and its scale with 1
 * for a constant feature's 0, so that every value is divided without a branch;
 * the constant features (zeroed after) listed apart.
 */
struct apply {
	const struct scaler *s;
	struct dataset *ds;
	double *div; /* (d) */
	size_t *constant, nconstant;
};

/* One row's features x (d) as (x − shift) / div. */
LINALG_KERNEL static void
scale_row(double *restrict x, const double *restrict shift,
    const double *restrict div, size_t d)
{
#define SCALE(j) (x[j] = (x[j] - shift[j]) / div[j])
	LINALG_BY_FOURS(d, SCALE);
#undef SCALE
}

/* Block b of the rows scaled: each value on its own, so blocks go in any order.
 */
static void
apply_block(void *ctx, size_t b)
{
	const struct apply *a = ctx;
	size_t lo = b * PARALLEL_BLOCK,
	       hi = a->ds->n - lo < PARALLEL_BLOCK ? a->ds->n
						   : lo + PARALLEL_BLOCK;

	for (size_t i = lo; i < hi; i++) {
		double *x = dataset_row(a->ds, i);

		scale_row(x, a->s->shift, a->div, a->s->d);
		for (size_t k = 0; k < a->nconstant; k++)
			x[a->constant[k]] = 0;
	}
}

void
scaler_apply(const struct scaler *s, struct dataset *ds, unsigned threads)
{
	struct apply a = { .s = s, .ds = ds };

	assert(ds->map == NULL);
	a.div = xcalloc(s->d ? s->d : 1, sizeof(double));
	a.constant = xcalloc(s->d ? s->d : 1, sizeof(size_t));
	for (size_t j = 0; j < s->d; j++) {
		a.div[j] = s->scale[j] == 0 ? 1 : s->scale[j];
		if (s->scale[j] == 0)
			a.constant[a.nconstant++] = j;
	}
	if (ds->n > 0)
		parallel_run(parallel_blocks(ds->n), threads, apply_block, &a);
	free(a.div);
	free(a.constant);
}

void
scaler_unscale(const struct scaler *s, const double *w, double *weight,
    double *std_weight)
{
	/*
	 * Training predicts w0 + Σ w_j (x_j − shift_j) / scale_j, which is
	 * (w0 − Σ weight_j·shift_j) + Σ weight_j·x_j with weight_j = w_j /
	 * scale_j.
	 */
	double intercept = w[0], at_mean = w[0];

	for (size_t j = 0; j < s->d; j++) {
		double wj = s->scale[j] == 0 ? 0 : w[j + 1] / s->scale[j];

		weight[j + 1] = wj;
		std_weight[j + 1] = wj * s->sd[j];
		intercept -= wj * s->shift[j];
		at_mean += wj * (s->mean[j] - s->shift[j]);
	}
	weight[0] = intercept;
	std_weight[0] = at_mean;
}

void
scaler_rescale(const struct scaler *s, const double *weight, double *w)
{
	/*
	 * Training predicts w0 + Σ w_j (x_j − shift_j) / scale_j; it equals
	 * weight_0 + Σ weight_j·x_j for w_j = weight_j·scale_j and w0 =
	 * weight_0 + Σ weight_j·shift_j (a zeroed column has scale_j = 0, and
	 * is constant at its shift).
	 */
	double intercept = weight[0];

	for (size_t j = 0; j < s->d; j++) {
		w[j + 1] = weight[j + 1] * s->scale[j];
		intercept += weight[j + 1] * s->shift[j];
	}
	w[0] = intercept;
}

void
scaler_free(struct scaler *s)
{
	free(s->mean);
	free(s->sd);
	free(s->shift);
	free(s->scale);
	s->mean = s->sd = s->shift = s->scale = NULL;
}
