/*
 * refutil.h: reading the data of data/ and R's figures of tests/ref/r/ for the
 * unit tests that compare with R (test_weights.c, test_poisson.c). Static
 * inline; include after <cmocka.h> and testutil.h. Run from the repository
 * root (make test does).
 */
#ifndef DESCEND_REFUTIL_H
#define DESCEND_REFUTIL_H

#include "dataset.h"
#include "table.h"

/*
 * Read columns of the CSV path: target, features (comma-separated, NULL: all
 * others) and the text columns categorical (NULL: none) as descend's
 * --categorical expands them, into ds.
 */
static inline void
ref_read(const char *path, const char *target, const char *features,
    const char *categorical, struct dataset *ds)
{
	struct category *cats = NULL;
	size_t ncats = 0;
	struct table_options o = { .name = path,
		.delimiter = ',',
		.header = 1,
		.target = target,
		.features = features,
		.missing = MISSING_DROP,
		.categorical = categorical,
		.categories = &cats,
		.ncategories = &ncats };
	struct error e;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	memset(ds, 0, sizeof(*ds));
	if (table_read(fd, &o, ds, &e) != 0)
		fail_msg("%s", e.msg);
	close(fd);
	for (size_t i = 0; i < ncats; i++)
		category_free(&cats[i]);
	free(cats);
}

/*
 * Take feature column j out of ds into a new array (ds->n values, free it);
 * ds keeps the other features, in order.
 */
static inline double *
ref_take_column(struct dataset *ds, size_t j)
{
	struct dataset out;
	double *col = calloc(ds->n, sizeof(double));
	const char **names = calloc(ds->d, sizeof(char *));
	size_t d = ds->d;

	assert_non_null(col);
	assert_non_null(names);
	for (size_t k = 0, m = 0; k <= d; k++)
		if (k != j)
			names[m++] = ds->names[k];
	dataset_init(&out, d - 1, names);
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double *y = dataset_add_row(&out);

		assert_non_null(y);
		col[i] = x[j];
		for (size_t k = 0, m = 0; k <= d; k++)
			if (k != j)
				y[m++] = x[k];
	}
	free(names);
	dataset_free(ds);
	*ds = out;
	return col;
}

/*
 * The rows of R's term,...,v1,...,vk file: the last k fields of each (after
 * the header) into vals (row-major, rows × k, at most max rows), the first
 * field into terms (each up to 63 characters) when not NULL. Returns the rows.
 */
static inline size_t
ref_rows(const char *path, size_t k, double *vals, char (*terms)[64],
    size_t max)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	size_t rows = 0;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f) != NULL) {
		char *end = line + strlen(line);

		assert_true(rows < max);
		for (size_t c = k; c > 0; c--) {
			char *comma = end;

			while (comma > line && comma[-1] != ',')
				comma--;
			assert_true(comma > line);
			vals[rows * k + c - 1] = strcmp(comma, "NA") == 0 ||
				strncmp(comma, "NA\n", 3) == 0
			    ? (double)NAN
			    : strtod(comma, NULL);
			end = comma - 1;
		}
		if (terms != NULL) {
			size_t len = strcspn(line, ",");

			assert_true(len < 64);
			memcpy(terms[rows], line, len);
			terms[rows][len] = '\0';
		}
		rows++;
	}
	fclose(f);
	return rows;
}

/* The value of key in R's stat,value file path (NaN if absent). */
static inline double
ref_stat(const char *path, const char *key)
{
	char line[512];
	FILE *f = fopen(path, "r");
	double v = (double)NAN;
	size_t len = strlen(key);

	if (f == NULL)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ',')
			v = strcmp(line + len + 1, "TRUE\n") == 0
			    ? 1
			    : strtod(line + len + 1, NULL);
	fclose(f);
	return v;
}

/* |got − want| / |want| (|got| when want = 0), for reporting the worst. */
static inline double
ref_relerr(double got, double want)
{
	return want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
}

#endif
