/*
 * terms.c: products of feature columns (interactions, powers) as columns.
 */
#include <errno.h>
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

int
term_is_product(const char *name)
{
	const char *hat;

	if (strchr(name, '*') != NULL)
		return 1;
	hat = strrchr(name, '^');
	return hat != NULL && hat[1] != '\0' &&
	    strspn(hat + 1, "0123456789") == strlen(hat + 1);
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

/* A growing list of products. */
struct products {
	struct term_product *t;
	size_t n, cap;
};

static void
push(struct products *p, const struct term_product *t)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->t = xreallocarray(p->t, p->cap, sizeof(*p->t));
	}
	p->t[p->n++] = *t;
}

/*
 * The features that the factor name[0..len) of option opt stands for into idx
 * (room for ds->d), their number into *k: the feature of that name, else the
 * indicators "name=level" of a categorical column. -1 with e filled if none.
 */
static int
resolve(const struct dataset *ds, const char *opt, const char *name, size_t len,
    size_t *idx, size_t *k, struct error *e)
{
	*k = 0;
	for (size_t j = 0; j < ds->d; j++)
		if (strlen(ds->names[j]) == len &&
		    strncmp(ds->names[j], name, len) == 0) {
			idx[(*k)++] = j;
			return 0;
		}
	for (size_t j = 0; j < ds->d; j++)
		if (strncmp(ds->names[j], name, len) == 0 &&
		    ds->names[j][len] == '=')
			idx[(*k)++] = j;
	if (*k > 0)
		return 0;
	if (len == 0)
		return error_set(e, EXIT_USAGE, "%s: an empty column name",
		    opt);
	return error_set(e, EXIT_USAGE,
	    "%s: \"%.*s\" is not a feature column (the target and "
	    "columns left out by -x or --drop cannot be factors)",
	    opt, (int)len, name);
}

/*
 * Every product of one feature from each of the m factors' lists (lists[i]
 * of count[i] features), the first factor's feature varying slowest.
 */
static void
expand(struct products *p, size_t m, size_t *const *lists, const size_t *count)
{
	size_t at[TERM_MAX] = { 0 };

	for (;;) {
		struct term_product t = { .factors = m };
		size_t i;

		for (i = 0; i < m; i++)
			t.feature[i] = lists[i][at[i]];
		push(p, &t);
		for (i = m; i-- > 0;) {
			if (++at[i] < count[i])
				break;
			at[i] = 0;
		}
		if (i == (size_t)-1)
			return;
	}
}

/* The factors of item s[0..len) of opt, split at sep, resolved. */
static int
factors(const struct dataset *ds, const char *opt, const char *s, size_t len,
    char sep, size_t *lists[TERM_MAX], size_t *count, size_t *m,
    struct error *e)
{
	const char *end = s + len;

	*m = 0;
	for (const char *f = s; f <= end;) {
		const char *q = memchr(f, sep, (size_t)(end - f));

		if (q == NULL)
			q = end;
		if (*m == TERM_MAX)
			return error_set(e, EXIT_USAGE,
			    "%s: \"%.*s\" has more than %d factors", opt,
			    (int)len, s, TERM_MAX);
		if (resolve(ds, opt, f, (size_t)(q - f), lists[*m], &count[*m],
			e) != 0)
			return -1;
		(*m)++;
		f = q + 1;
	}
	if (*m < 2)
		return error_set(e, EXIT_USAGE,
		    "%s: \"%.*s\" is not a product of two or more columns "
		    "(write a%cb)",
		    opt, (int)len, s, sep);
	return 0;
}

/* The items of list (comma-separated) of opt, each given to fn. */
static int
each_item(const struct dataset *ds, const char *opt, const char *list,
    struct products *p, size_t *lists[TERM_MAX],
    int (*fn)(const struct dataset *, const char *, const char *, size_t,
	struct products *, size_t *[TERM_MAX], struct error *),
    struct error *e)
{
	for (const char *s = list; s != NULL && *s != '\0';) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);

		if (fn(ds, opt, s, len, p, lists, e) != 0)
			return -1;
		s = c ? c + 1 : s + len;
	}
	return 0;
}

static int
one_interaction(const struct dataset *ds, const char *opt, const char *s,
    size_t len, struct products *p, size_t *lists[TERM_MAX], struct error *e)
{
	size_t count[TERM_MAX], m;

	if (factors(ds, opt, s, len, ':', lists, count, &m, e) != 0)
		return -1;
	expand(p, m, lists, count);
	return 0;
}

/* a*b*c: the products of every subset of two or more, by size (R's order). */
static int
one_cross(const struct dataset *ds, const char *opt, const char *s, size_t len,
    struct products *p, size_t *lists[TERM_MAX], struct error *e)
{
	size_t count[TERM_MAX], m;

	if (factors(ds, opt, s, len, '*', lists, count, &m, e) != 0)
		return -1;
	for (size_t size = 2; size <= m; size++)
		for (unsigned mask = 1; mask < 1u << m; mask++) {
			size_t *sub[TERM_MAX], subcount[TERM_MAX], k = 0;

			if ((size_t)__builtin_popcount(mask) != size)
				continue;
			for (size_t i = 0; i < m; i++)
				if (mask & 1u << i) {
					sub[k] = lists[i];
					subcount[k++] = count[i];
				}
			expand(p, k, sub, subcount);
		}
	return 0;
}

/* x:k: x^2 .. x^k. */
static int
one_poly(const struct dataset *ds, const char *opt, const char *s, size_t len,
    struct products *p, size_t *lists[TERM_MAX], struct error *e)
{
	const char *colon = NULL;
	char *end, digits[32];
	unsigned long k;
	size_t n;

	for (size_t i = 0; i < len; i++)
		if (s[i] == ':')
			colon = s + i;
	if (colon == NULL || (size_t)(s + len - colon - 1) >= sizeof(digits))
		return error_set(e, EXIT_USAGE,
		    "%s: \"%.*s\" is not COLUMN:DEGREE (as x:3)", opt, (int)len,
		    s);
	memcpy(digits, colon + 1, (size_t)(s + len - colon - 1));
	digits[s + len - colon - 1] = '\0';
	errno = 0;
	k = strtoul(digits, &end, 10);
	if (digits[0] < '0' || digits[0] > '9' || *end != '\0' || errno ||
	    k < 1 || k > TERM_MAX)
		return error_set(e, EXIT_USAGE,
		    "%s: the degree in \"%.*s\" is not a whole number from "
		    "1 to %d",
		    opt, (int)len, s, TERM_MAX);
	if (resolve(ds, opt, s, (size_t)(colon - s), lists[0], &n, e) != 0)
		return -1;
	if (n != 1 || strlen(ds->names[lists[0][0]]) != (size_t)(colon - s))
		return error_set(e, EXIT_USAGE,
		    "%s: \"%.*s\" is a text column (--categorical): its "
		    "indicators' powers are themselves",
		    opt, (int)(colon - s), s);
	for (size_t power = 2; power <= k; power++) {
		struct term_product t = { .factors = power };

		for (size_t i = 0; i < power; i++)
			t.feature[i] = lists[0][0];
		push(p, &t);
	}
	return 0;
}

int
terms_parse(const struct dataset *ds, const char *poly, const char *interact,
    const char *cross, struct term_product **out, size_t *n, struct error *e)
{
	struct products p = { 0 }, q = { 0 };
	size_t *lists[TERM_MAX];
	int status = -1;

	for (size_t i = 0; i < TERM_MAX; i++)
		lists[i] = xcalloc(ds->d ? ds->d : 1, sizeof(size_t));
	if (each_item(ds, "--poly", poly, &p, lists, one_poly, e) != 0 ||
	    each_item(ds, "--cross", cross, &q, lists, one_cross, e) != 0 ||
	    each_item(ds, "--interact", interact, &q, lists, one_interaction,
		e) != 0)
		goto out;
	/* The interactions by degree, stable: R's order of terms. */
	for (size_t degree = 2; degree <= TERM_MAX; degree++)
		for (size_t i = 0; i < q.n; i++)
			if (q.t[i].factors == degree)
				push(&p, &q.t[i]);
	status = 0;
out:
	for (size_t i = 0; i < TERM_MAX; i++)
		free(lists[i]);
	free(q.t);
	if (status != 0) {
		free(p.t);
		p.t = NULL;
		p.n = 0;
	}
	*out = p.t;
	*n = p.n;
	return status;
}
