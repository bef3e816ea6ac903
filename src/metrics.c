/*
 * metrics.c: the figures descend eval reports (see metrics.h).
 */
#include <math.h>
#include <stdlib.h>

#include "failure.h"
#include "loss.h"
#include "metrics.h"
#include "num.h"

double
metrics_log_loss(size_t outputs, const double *z, size_t y)
{
	if (outputs == 1)
		return loss_find("logistic")->value(z[0], (double)y, 0);
	return loss_find("softmax")->classes(z, outputs, y, NULL);
}

/* A row's score for one class and whether it is of that class, for ranking. */
struct scored {
	double p;
	int positive;
};

static int
by_score_down(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->p,
	       y = ((const struct scored *)b)->p;

	return (x < y) - (x > y);
}

void
metrics_ranking(const double *proba, const size_t *label, size_t n, size_t K,
    size_t k, double *roc, double *pr)
{
	size_t n1 = 0, tp = 0, fp = 0;
	struct scored *s = xcalloc(n ? n : 1, sizeof(*s));
	double u = 0, ap = 0, recall = 0;

	for (size_t i = 0; i < n; i++) {
		s[i] = (struct scored){ .p = proba[i * K + k],
			.positive = label[i] == k };
		n1 += s[i].positive;
	}
	*roc = *pr = (double)NAN;
	if (n1 == 0 || n1 == n) {
		free(s);
		return;
	}
	qsort(s, n, sizeof(*s), by_score_down);
	for (size_t i = 0, j; i < n; i = j) {
		size_t pos = 0, neg = 0;

		for (j = i; j < n && s[j].p == s[i].p; j++)
			pos += s[j].positive;
		neg = j - i - pos;
		/* each positive of the group beats the negatives below it */
		u += (double)pos *
			((double)(n - n1) - (double)fp - (double)neg) +
		    0.5 * (double)pos * (double)neg;
		tp += pos;
		fp += neg;
		ap += ((double)tp / (double)n1 - recall) * (double)tp /
		    (double)(tp + fp);
		recall = (double)tp / (double)n1;
	}
	*roc = u / ((double)n1 * (double)(n - n1));
	*pr = ap;
	free(s);
}

double
metrics_brier(const double *proba, const size_t *label, size_t n, size_t K)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++) {
		const double *p = proba + i * K;

		if (K == 2) {
			double e = p[1] - (label[i] == 1);

			sum += e * e;
			continue;
		}
		for (size_t k = 0; k < K; k++) {
			double e = p[k] - (label[i] == k);

			sum += e * e;
		}
	}
	return sum / (double)n;
}

void
metrics_class(const size_t *confusion, size_t K, size_t k, double *precision,
    double *recall, double *f1)
{
	size_t hit = confusion[k * K + k], said = 0, is = 0;

	for (size_t j = 0; j < K; j++) {
		said += confusion[j * K + k];
		is += confusion[k * K + j];
	}
	*precision = said ? (double)hit / (double)said : 0;
	*recall = is ? (double)hit / (double)is : 0;
	*f1 = *precision + *recall > 0
	    ? 2 * *precision * *recall / (*precision + *recall)
	    : 0;
}

void
metrics_constant(const size_t *confusion, size_t K, size_t n, double *accuracy,
    double *loss)
{
	size_t most = 0;

	*loss = 0;
	for (size_t k = 0; k < K; k++) {
		size_t count = 0;

		for (size_t j = 0; j < K; j++)
			count += confusion[k * K + j];
		most = count > most ? count : most;
		if (count > 0)
			*loss -= (double)count / (double)n *
			    log((double)count / (double)n);
	}
	*accuracy = (double)most / (double)n;
}

void
metrics_regression(double *y, size_t n, double sse, double sae,
    struct regression_metrics *m)
{
	double dn = (double)n, sum = 0, sst = 0, sad = 0, mean, median;

	for (size_t i = 0; i < n; i++)
		sum += y[i];
	mean = sum / dn;
	for (size_t i = 0; i < n; i++)
		sst += (y[i] - mean) * (y[i] - mean);
	qsort(y, n, sizeof(double), num_compare);
	median = n % 2 ? y[n / 2] : y[n / 2 - 1] / 2 + y[n / 2] / 2;
	for (size_t i = 0; i < n; i++)
		sad += fabs(y[i] - median);
	m->n = n;
	m->mse = sse / dn;
	m->mae = sae / dn;
	m->r2 = sst > 0 ? 1 - sse / sst : (double)NAN;
	m->constant_mse = sst / dn;
	m->constant_mae = sad / dn;
}

/* A target and its row weight, sorted by the target. */
struct weighted_y {
	double y, v;
};

static int
compare_weighted_y(const void *a, const void *b)
{
	const struct weighted_y *x = a, *z = b;

	return (x->y > z->y) - (x->y < z->y);
}

void
metrics_regression_weighted(double *y, double *v, size_t n, double sse,
    double sae, struct regression_metrics *m, double *weight_sum)
{
	struct weighted_y *p = xcalloc(n ? n : 1, sizeof(*p));
	double sum = 0, sy = 0, sst = 0, sad = 0, mean, median, below = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		p[i] = (struct weighted_y){ y[i], v[i] };
		sum += v[i];
		sy += v[i] * y[i];
	}
	mean = sy / sum;
	for (size_t i = 0; i < n; i++)
		sst += v[i] * (y[i] - mean) * (y[i] - mean);
	qsort(p, n, sizeof(*p), compare_weighted_y);
	while (k + 1 < n && (below += p[k].v) < sum / 2)
		k++;
	median = k + 1 < n && below == sum / 2 ? p[k].y / 2 + p[k + 1].y / 2
					       : p[k].y;
	for (size_t i = 0; i < n; i++) {
		y[i] = p[i].y;
		v[i] = p[i].v;
		sad += p[i].v * fabs(p[i].y - median);
	}
	m->n = n;
	m->mse = sse / sum;
	m->mae = sae / sum;
	m->r2 = sst > 0 ? 1 - sse / sst : (double)NAN;
	m->constant_mse = sst / sum;
	m->constant_mae = sad / sum;
	*weight_sum = sum;
	free(p);
}

void
metrics_constant_weighted(const double *total, size_t K, double sum,
    double *accuracy, double *loss)
{
	double most = 0;

	*loss = 0;
	for (size_t k = 0; k < K; k++) {
		most = total[k] > most ? total[k] : most;
		if (total[k] > 0)
			*loss -= total[k] / sum * log(total[k] / sum);
	}
	*accuracy = most / sum;
}

double
metrics_poisson_deviance(double y, double mu)
{
	return 2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu));
}
