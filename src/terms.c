/*
 * terms.c: products of feature columns (interactions, powers) as columns.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "terms.h"

/* The factors of t sorted by feature index (insertion sort: ≤ TERM_MAX). */
static void
sorted(const struct term_product *t, size_t *f)
{
	for (size_t i = 0; i < t->factors; i++) {
		size_t v = t->feature[i], j = i;

		for (; j > 0 && f[j - 1] > v; j--)
			f[j] = f[j - 1];
		f[j] = v;
	}
}

char *
term_name(const struct dataset *ds, const struct term_product *t)
{
	size_t f[TERM_MAX], len = 1;
	char *name;

	sorted(t, f);
	for (size_t i = 0; i < t->factors; i++)
		len += strlen(ds->names[f[i]]) + 4;
	name = xcalloc(len, 1);
	for (size_t i = 0; i < t->factors;) {
		size_t k = 1;

		while (i + k < t->factors && f[i + k] == f[i])
			k++;
		if (i > 0)
			strcat(name, "*");
		strcat(name, ds->names[f[i]]);
		if (k > 1)
			snprintf(name + strlen(name), len - strlen(name),
			    "^%zu", k);
		i += k;
	}
	return name;
}

/* Whether two products have the same factors. */
static int
same(const struct term_product *a, const struct term_product *b)
{
	size_t fa[TERM_MAX], fb[TERM_MAX];

	if (a->factors != b->factors)
		return 0;
	sorted(a, fa);
	sorted(b, fb);
	return memcmp(fa, fb, a->factors * sizeof(size_t)) == 0;
}

int
terms_append(const struct dataset *ds, const struct term_product *t,
    size_t count, struct dataset *out, struct error *e)
{
	size_t d = ds->d, dd = d + count;
	char **names = xcalloc(dd + 1, sizeof(char *));
	size_t(*f)[TERM_MAX] = xcalloc(count ? count : 1, sizeof(*f));
	int status = -1;

	memset(out, 0, sizeof(*out));
	for (size_t c = 0; c < count; c++) {
		if (t[c].factors < 2 || t[c].factors > TERM_MAX) {
			error_set(e, EXIT_USAGE,
			    "a product of %zu columns: an "
			    "interaction or power has 2 to %d factors",
			    t[c].factors, TERM_MAX);
			goto out;
		}
		for (size_t i = 0; i < t[c].factors; i++)
			if (t[c].feature[i] >= d) {
				error_set(e, EXIT_USAGE,
				    "feature %zu of a product "
				    "is out of range (%zu features)",
				    t[c].feature[i] + 1, d);
				goto out;
			}
		for (size_t b = 0; b < c; b++)
			if (same(&t[b], &t[c])) {
				char *name = term_name(ds, &t[c]);

				error_set(e, EXIT_USAGE,
				    "the term %s is given twice", name);
				free(name);
				goto out;
			}
		sorted(&t[c], f[c]);
	}
	for (size_t j = 0; j < d; j++)
		names[j] = ds->names[j];
	for (size_t c = 0; c < count; c++)
		names[d + c] = term_name(ds, &t[c]);
	names[dd] = ds->names[d];
	dataset_init(out, dd, (const char *const *)names);
	dataset_reserve(out, ds->n);
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double *y = dataset_add_row(out);

		memcpy(y, x, d * sizeof(double));
		for (size_t c = 0; c < count; c++) {
			double v = x[f[c][0]];
			int finite = isfinite(v);

			for (size_t k = 1; k < t[c].factors; k++) {
				v *= x[f[c][k]];
				finite = finite && isfinite(x[f[c][k]]);
			}
			if (finite && !isfinite(v)) {
				error_set(e, EXIT_INPUT,
				    "row %zu: the term %s "
				    "overflows a double",
				    i + 1, names[d + c]);
				dataset_free(out);
				goto out;
			}
			y[d + c] = v;
		}
		y[dd] = x[d];
	}
	status = 0;
out:
	for (size_t c = 0; c < count; c++)
		free(names[d + c]);
	free(names);
	free(f);
	return status;
}
