/*
 * scale.c: z-scores. Statistics are computed in two passes (mean, then the mean of
 * squared deviations), which does not lose the variance to cancellation the way the
 * one-pass Σx² − n·mean² does when the mean is large next to the spread.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "err.h"
#include "linalg.h"
#include "scale.h"

/*
 * A column is constant when all its values are equal, or when its spread is at the
 * level of the rounding error of its mean: then z-scores would be noise.
 */
static int
looks_constant(double sd, double min, double max, double mean)
{
	return min == max || sd <= 4 * DBL_EPSILON * fabs(mean);
}

/*
 * Column means into mean (d); a column whose plain sum overflows is summed again
 * as Σ x/n. Row by row, so the matrix is read in the order it is stored. Over
 * all ranks' rows when ds is spread, as are the deviations below: the sums of
 * each rank added, then divided by the rows of all, so the two passes stay exact.
 */
static void
column_means(const struct dataset *ds, double *mean)
{
	size_t d = ds->d;
	double n = (double)dataset_total(ds), *again = xcalloc(d, sizeof(double));

	for (size_t i = 0; i < ds->n; i++)
		linalg_axpy(1, dataset_row(ds, i), mean, d);
	dataset_sum(ds, mean, d);
	for (size_t j = 0; j < d; j++) {
		if (isfinite(mean[j])) {
			mean[j] /= n;
			continue;
		}
		for (size_t i = 0; i < ds->n; i++)
			again[j] += dataset_row(ds, i)[j] / n;
	}
	/* The columns summed again, if any, over the ranks too. */
	dataset_sum(ds, again, d);
	for (size_t j = 0; j < d; j++)
		if (!isfinite(mean[j]))
			mean[j] = again[j];
	free(again);
}

/*
 * Population standard deviations about mean into sd (d), with the minimum and
 * maximum of each column: sd = m·sqrt(Σ(dev/m)²/n) with m the largest |dev|, so
 * that squares cannot overflow. Infinite when the deviations themselves overflow.
 */
static void
column_sds(const struct dataset *ds, const double *mean, double *sd, double *min,
    double *max)
{
	size_t d = ds->d;
	double *big = xcalloc(d, sizeof(double)), n = (double)dataset_total(ds);

	for (size_t j = 0; j < d; j++) {
		min[j] = HUGE_VAL;
		max[j] = -HUGE_VAL;
	}
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);

		for (size_t j = 0; j < d; j++) {
			double dev = fabs(x[j] - mean[j]);

			min[j] = x[j] < min[j] ? x[j] : min[j];
			max[j] = x[j] > max[j] ? x[j] : max[j];
			big[j] = dev > big[j] ? dev : big[j];
		}
	}
	dataset_min(ds, min, d);
	dataset_max(ds, max, d);
	dataset_max(ds, big, d);
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);

		for (size_t j = 0; j < d; j++) {
			double dev = big[j] > 0 ? (x[j] - mean[j]) / big[j] : 0;

			sd[j] += dev * dev;
		}
	}
	dataset_sum(ds, sd, d);
	for (size_t j = 0; j < d; j++)
		sd[j] = isfinite(big[j]) ? big[j] * sqrt(sd[j] / n) : big[j];
	free(big);
}

int
scaler_fit(struct scaler *s, const struct dataset *ds, enum scaling scaling,
    struct error *e)
{
	size_t d = ds->d;
	double *min = xcalloc(d, sizeof(double)), *max = xcalloc(d, sizeof(double));
	int status = 0;

	s->d = d;
	s->mean = xcalloc(d, sizeof(double));
	s->sd = xcalloc(d, sizeof(double));
	s->shift = xcalloc(d, sizeof(double));
	s->scale = xcalloc(d, sizeof(double));
	column_means(ds, s->mean);
	column_sds(ds, s->mean, s->sd, min, max);
	for (size_t j = 0; j < d && status == 0; j++) {
		if (!isfinite(s->sd[j]) || !isfinite(max[j] - min[j])) {
			status = error_set(e, EXIT_INPUT, "column \"%s\": the values "
			    "span more than a double can hold (from %g to %g)",
			    ds->names[j], min[j], max[j]);
		} else if (looks_constant(s->sd[j], min[j], max[j], s->mean[j])) {
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

int
scaler_is_constant(const struct scaler *s, size_t j)
{
	return s->scale[j] == 0;
}

void
scaler_apply(const struct scaler *s, struct dataset *ds)
{
	assert(ds->map == NULL);
	for (size_t i = 0; i < ds->n; i++) {
		double *x = dataset_row(ds, i);

		for (size_t j = 0; j < s->d; j++)
			x[j] = s->scale[j] == 0 ? 0 : (x[j] - s->shift[j]) / s->scale[j];
	}
}

void
scaler_unscale(const struct scaler *s, const double *w, double *weight,
    double *std_weight)
{
	/*
	 * Training predicts w0 + Σ w_j (x_j − shift_j) / scale_j, which is
	 * (w0 − Σ weight_j·shift_j) + Σ weight_j·x_j with weight_j = w_j / scale_j.
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
scaler_free(struct scaler *s)
{
	free(s->mean);
	free(s->sd);
	free(s->shift);
	free(s->scale);
	s->mean = s->sd = s->shift = s->scale = NULL;
}
