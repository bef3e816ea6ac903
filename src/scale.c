/*
 * scale.c: z-scores. Statistics are computed in two passes (mean, then the mean of
 * squared deviations), which does not lose the variance to cancellation the way the
 * one-pass Σx² − n·mean² does when the mean is large next to the spread.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "err.h"
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

/* Mean of column j; summed in x/n when the plain sum overflows. */
static double
column_mean(const struct dataset *ds, size_t j)
{
	double sum = 0, n = (double)ds->n;

	for (size_t i = 0; i < ds->n; i++)
		sum += dataset_row(ds, i)[j];
	if (isfinite(sum))
		return sum / n;
	sum = 0;
	for (size_t i = 0; i < ds->n; i++)
		sum += dataset_row(ds, i)[j] / n;
	return sum;
}

/* Population sd of column j about mean: m·sqrt(Σ(dev/m)²/n), m the largest |dev|. */
static double
column_sd(const struct dataset *ds, size_t j, double mean, double *min,
    double *max)
{
	double big = 0, ss = 0;

	*min = HUGE_VAL;
	*max = -HUGE_VAL;
	for (size_t i = 0; i < ds->n; i++) {
		double v = dataset_row(ds, i)[j], dev = fabs(v - mean);

		*min = v < *min ? v : *min;
		*max = v > *max ? v : *max;
		big = dev > big ? dev : big;
	}
	if (big == 0 || !isfinite(big))
		return big;
	for (size_t i = 0; i < ds->n; i++) {
		double dev = (dataset_row(ds, i)[j] - mean) / big;

		ss += dev * dev;
	}
	return big * sqrt(ss / (double)ds->n);
}

int
scaler_fit(struct scaler *s, const struct dataset *ds, int standardize,
    struct error *e)
{
	size_t d = ds->d;

	s->d = d;
	s->mean = xcalloc(d, sizeof(double));
	s->sd = xcalloc(d, sizeof(double));
	s->shift = xcalloc(d, sizeof(double));
	s->scale = xcalloc(d, sizeof(double));
	for (size_t j = 0; j < d; j++) {
		double min, max, mean = column_mean(ds, j);
		double sd = column_sd(ds, j, mean, &min, &max);

		if (!isfinite(sd))
			return error_set(e, EXIT_INPUT, "column \"%s\": the values "
			    "span more than a double can hold (from %g to %g)",
			    ds->names[j], min, max);
		s->mean[j] = mean;
		s->sd[j] = sd;
		if (looks_constant(sd, min, max, mean)) {
			s->sd[j] = 0;
			s->shift[j] = mean;
			s->scale[j] = 0;
		} else {
			s->shift[j] = standardize ? mean : 0;
			s->scale[j] = standardize ? sd : 1;
		}
	}
	return 0;
}

int
scaler_is_constant(const struct scaler *s, size_t j)
{
	return s->scale[j] == 0;
}

void
scaler_apply(const struct scaler *s, struct dataset *ds)
{
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
