/*
 * category.c: levels and indicator columns.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "num.h"
#include "failure.h"

void
category_init(struct category *c, const char *name, size_t feature)
{
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->feature = feature;
}

size_t
category_level(struct category *c, const char *text)
{
	/* Most columns have few levels, and rows repeat the last one often. */
	for (size_t i = c->nlevels; i > 0; i--)
		if (strcmp(c->level[i - 1], text) == 0)
			return i - 1;
	if (c->nlevels == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->level = xreallocarray(c->level, c->cap, sizeof(*c->level));
	}
	c->level[c->nlevels] = xstrdup(text);
	return c->nlevels++;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The value of a level that is a number (see num.h), or NaN. */
static double
level_number(const char *s)
{
	double v;

	return num_parse(s, strlen(s), &v) == NUM_OK ? v : (double)NAN;
}

/* Numeric order (both levels numbers), then byte order: "2" < "10". */
static int
compare_numbers(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	double u = level_number(x), v = level_number(y);

	if (u < v || u > v)
		return u < v ? -1 : 1;
	return strcmp(x, y);
}

/*
 * Sort c's levels, by cmp; rank[i] is the sorted position of the level met
 * i-th.
 */
static size_t *
sort_levels(struct category *c, int (*cmp)(const void *, const void *))
{
	size_t *rank = xcalloc(c->nlevels ? c->nlevels : 1, sizeof(size_t));
	char **met = xcalloc(c->nlevels ? c->nlevels : 1, sizeof(char *));

	memcpy(met, c->level, c->nlevels * sizeof(char *));
	qsort(c->level, c->nlevels, sizeof(char *), cmp);
	for (size_t i = 0; i < c->nlevels; i++)
		for (size_t r = 0; r < c->nlevels; r++)
			if (met[i] == c->level[r])
				rank[i] = r;
	free(met);
	return rank;
}

void
category_expand(struct dataset *ds, struct category *cats, size_t ncats)
{
	size_t d = ds->d, nd = d, stride, nstride;
	size_t **rank = xcalloc(ncats ? ncats : 1, sizeof(size_t *));
	char **names;
	double *x;

	for (size_t c = 0; c < ncats; c++) {
		rank[c] = sort_levels(&cats[c], compare_strings);
		/* One column becomes one per level but the reference. */
		nd = nd - 1 + (cats[c].nlevels > 0 ? cats[c].nlevels - 1 : 0);
	}
	/* The new names: each categorical column becomes its indicators. */
	names = xcalloc(nd + 1, sizeof(char *));
	for (size_t j = 0, c = 0, o = 0; j <= d; j++) {
		if (c < ncats && cats[c].feature == j) {
			cats[c].first = o;
			for (size_t l = 1; l < cats[c].nlevels; l++) {
				size_t len = strlen(cats[c].name) +
				    strlen(cats[c].level[l]) + 2;

				names[o] = xmalloc(len);
				snprintf(names[o++], len, "%s=%s", cats[c].name,
				    cats[c].level[l]);
			}
			c++;
			free(ds->names[j]);
			continue;
		}
		names[o++] = ds->names[j];
	}
	stride = d + 1;
	nstride = nd + 1;
	x = xreallocarray(NULL, ds->n ? ds->n * nstride : 1, sizeof(double));
	for (size_t i = 0; i < ds->n; i++) {
		const double *from = ds->x + i * stride;
		double *to = x + i * nstride;
		size_t c = 0, o = 0;

		for (size_t j = 0; j <= d; j++) {
			if (c < ncats && cats[c].feature == j) {
				double v = from[j];

				for (size_t l = 1; l < cats[c].nlevels; l++)
					to[o++] = isnan(v)	      ? v
					    : rank[c][(size_t)v] == l ? 1
								      : 0;
				c++;
				continue;
			}
			to[o++] = from[j];
		}
	}
	for (size_t c = 0; c < ncats; c++)
		free(rank[c]);
	free(rank);
	free(ds->x);
	free(ds->names);
	ds->x = x;
	ds->d = nd;
	ds->names = names;
	ds->capacity = ds->n;
}

void
category_sort_labels(struct category *c, struct dataset *ds)
{
	int numbers = 1;
	size_t *rank;

	for (size_t i = 0; i < c->nlevels; i++)
		numbers &= !isnan(level_number(c->level[i]));
	rank = sort_levels(c, numbers ? compare_numbers : compare_strings);
	for (size_t i = 0; i < ds->n; i++) {
		double *y = dataset_row(ds, i) + ds->d;

		*y = (double)rank[(size_t)*y];
	}
	ds->classes = c->nlevels;
	free(rank);
}

size_t
category_find(const struct category *c, const char *text)
{
	for (size_t i = 0; i < c->nlevels; i++)
		if (strcmp(c->level[i], text) == 0)
			return i;
	return (size_t)-1;
}

void
category_free(struct category *c)
{
	for (size_t i = 0; i < c->nlevels; i++)
		free(c->level[i]);
	free(c->level);
	free(c->name);
	memset(c, 0, sizeof(*c));
}
