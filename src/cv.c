/*
 * cv.c: the held-out rows of a fit, the validation split and K-fold
 * cross-validation, and the CSV of the folds' scores (see cv.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cv.h"
#include "num.h"
#include "rng.h"

/* The salt of the held-out rows' stream: 2^64 divided by the golden ratio. */
#define CV_SALT 0x9e3779b97f4a7c15u

uint64_t
cv_seed(uint64_t seed)
{
	return seed ^ CV_SALT;
}

int
cv_split(struct dataset *ds, double fraction, uint64_t seed,
    struct dataset *train, struct dataset *val, size_t *ntrain)
{
	struct rng rng;
	size_t nval = (size_t)llround(fraction * (double)ds->n);

	if (nval == 0)
		nval = 1;
	if (ds->n - nval < 2 || nval >= ds->n) {
		*ntrain = ds->n - nval < ds->n ? ds->n - nval : 0;
		return -1;
	}
	rng_seed(&rng, cv_seed(seed));
	dataset_shuffle(ds, &rng);
	*train = dataset_rows(ds, 0, ds->n - nval);
	*val = dataset_rows(ds, ds->n - nval, nval);
	*ntrain = ds->n - nval;
	return 0;
}

int
cv_too_few(size_t n, size_t K)
{
	return K > n || n - (n + K - 1) / K < 2;
}

void
cv_order(uint64_t seed, size_t *perm, size_t n)
{
	struct rng rng;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	rng_seed(&rng, cv_seed(seed));
	rng_shuffle(&rng, perm, n);
}

void
cv_fold_rows(const size_t *perm, size_t n, size_t k, size_t K, size_t *rows,
    size_t *nval)
{
	size_t lo, hi, m = 0;

	dataset_fold(k, K, n, &lo, &hi);
	for (size_t i = 0; i < n; i++)
		if (i < lo || i >= hi)
			rows[m++] = perm[i];
	for (size_t i = lo; i < hi; i++)
		rows[m++] = perm[i];
	*nval = hi - lo;
}

void
cv_scores_init(struct cv_scores *s, size_t K, size_t n)
{
	s->K = K;
	s->n = n;
	s->score = xcalloc(K ? K : 1, sizeof(double));
	s->size = xcalloc(K ? K : 1, sizeof(size_t));
	s->mean = s->sd = 0;
}

void
cv_scores_free(struct cv_scores *s)
{
	free(s->score);
	free(s->size);
	s->score = NULL;
	s->size = NULL;
}

void
cv_scores_summarize(struct cv_scores *s)
{
	double sum = 0, ss = 0;

	for (size_t k = 0; k < s->K; k++)
		sum += s->score[k];
	s->mean = sum / (double)s->K;
	for (size_t k = 0; k < s->K; k++)
		ss += (s->score[k] - s->mean) * (s->score[k] - s->mean);
	s->sd = sqrt(ss / (double)(s->K - 1));
}

int
cv_run(const struct dataset *ds, size_t K, uint64_t seed, cv_fold_fn fn,
    void *ctx, struct cv_scores *s, struct error *e)
{
	size_t n = ds->n, *perm = xcalloc(n, sizeof(size_t));
	size_t *rows = xcalloc(n, sizeof(size_t));
	struct dataset work;
	int rc = 0;

	cv_scores_init(s, K, n);
	cv_order(seed, perm, n);
	dataset_init(&work, ds->d, (const char *const *)ds->names);
	work.classes = ds->classes;
	for (size_t k = 0; k < K && rc == 0; k++) {
		struct dataset train, val;
		size_t nval;

		cv_fold_rows(perm, n, k, K, rows, &nval);
		dataset_gather(&work, ds, rows, n);
		train = dataset_rows(&work, 0, n - nval);
		val = dataset_rows(&work, n - nval, nval);
		s->size[k] = nval;
		rc = fn(ctx, k, &work, &train, &val, &s->score[k], e);
	}
	if (rc == 0)
		cv_scores_summarize(s);
	dataset_free(&work);
	free(perm);
	free(rows);
	return rc;
}

void
cv_scores_write(FILE *f, const struct cv_scores *s)
{
	fputs("fold,rows,val_loss\n", f);
	for (size_t k = 0; k < s->K; k++) {
		fprintf(f, "%zu,%zu,", k + 1, s->size[k]);
		num_write(f, s->score[k]);
		putc('\n', f);
	}
	fprintf(f, "mean,%zu,", s->n);
	num_write(f, s->mean);
	fprintf(f, "\nsd,%zu,", s->n);
	num_write(f, s->sd);
	putc('\n', f);
}

/* The next line of [*s, end) cut into exactly three comma-separated fields. */
static int
next_record(const char **s, const char *end, const char *field[3],
    size_t len[3])
{
	const char *nl = memchr(*s, '\n', (size_t)(end - *s)), *p = *s;

	if (nl == NULL)
		return -1;
	for (int i = 0; i < 3; i++) {
		const char *comma = memchr(p, ',', (size_t)(nl - p));

		if ((comma == NULL) != (i == 2))
			return -1;
		field[i] = p;
		len[i] = (size_t)((comma ? comma : nl) - p);
		p = comma + 1;
	}
	*s = nl + 1;
	return 0;
}

static int
field_is(const char *field, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(field, want, len) == 0;
}

/* A whole number of rows, digits only, into *out; -1 if not, or too large. */
static int
parse_rows(const char *field, size_t len, size_t *out)
{
	size_t v = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		size_t digit = (size_t)(field[i] - '0');

		if (field[i] < '0' || field[i] > '9' ||
		    v > (SIZE_MAX - digit) / 10)
			return -1;
		v = 10 * v + digit;
	}
	*out = v;
	return 0;
}

int
cv_scores_read(const char *s, size_t len, size_t K, struct cv_scores *out)
{
	const char *end = s + len, *field[3];
	size_t flen[3], rows;
	char label[32];
	double v;

	cv_scores_init(out, K, 0);
	if (next_record(&s, end, field, flen) != 0 ||
	    !field_is(field[0], flen[0], "fold") ||
	    !field_is(field[1], flen[1], "rows") ||
	    !field_is(field[2], flen[2], "val_loss"))
		return -1;
	for (size_t k = 1; k <= K + 2; k++) {
		if (k <= K)
			snprintf(label, sizeof(label), "%zu", k);
		else
			strcpy(label, k == K + 1 ? "mean" : "sd");
		if (next_record(&s, end, field, flen) != 0 ||
		    !field_is(field[0], flen[0], label) ||
		    parse_rows(field[1], flen[1], &rows) != 0 ||
		    num_parse(field[2], flen[2], &v) != NUM_OK)
			return -1;
		if (k <= K) {
			out->score[k - 1] = v;
			out->size[k - 1] = rows;
		} else if (k == K + 1) {
			out->mean = v;
			out->n = rows;
		} else {
			out->sd = v;
		}
	}
	return s == end ? 0 : -1;
}
