/*
 * predict.c: applying a model to records.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "num.h"
#include "predict.h"
#include "table.h"

/* What reads a column, in p->direct. */
enum { UNUSED, NUMBERS, TEXT };

long
predictor_column(const struct predictor *p, const char *spec)
{
	char *end;
	unsigned long k;

	for (size_t j = 0; j < p->ncols; j++)
		if (strcmp(p->colname[j], spec) == 0)
			return (long)j;
	if (spec[0] < '0' || spec[0] > '9')
		return -1;
	k = strtoul(spec, &end, 10);
	return *end == '\0' && k >= 1 && k <= p->ncols ? (long)k - 1 : -1;
}

/* The column named name, or -1; -2 with e filled if two columns have that name.
 */
static long
column_named(const struct predictor *p, const char *name, size_t len,
    struct error *e)
{
	long found = -1;

	for (size_t j = 0; j < p->ncols; j++) {
		if (strlen(p->colname[j]) != len ||
		    strncmp(p->colname[j], name, len) != 0)
			continue;
		if (found >= 0) {
			error_set(e, EXIT_INPUT,
			    "%s:1: column name \"%.*s\" appears "
			    "twice (columns %ld and %zu)",
			    p->name, (int)len, name, found + 1, j + 1);
			return -2;
		}
		found = (long)j;
	}
	return found;
}

/*
 * The column of name[0..len), or of its part before an '=' with the rest its
 * level (*level, a copy to free, else NULL); -1 if none, -2 with e filled if a
 * name appears twice.
 */
static long
factor_column(const struct predictor *p, const char *name, size_t len,
    char **level, struct error *e)
{
	long col = column_named(p, name, len, e);

	*level = NULL;
	for (const char *eq = memchr(name, '=', len); col == -1 && eq != NULL;
	     eq = memchr(eq + 1, '=', (size_t)(name + len - eq - 1))) {
		col = column_named(p, name, (size_t)(eq - name), e);
		if (col >= 0) {
			size_t n = (size_t)(name + len - eq - 1);

			*level = xcalloc(n + 1, 1);
			memcpy(*level, eq + 1, n);
		}
	}
	return col;
}

/*
 * Term k as a product "f*g^2*...": its factors' columns and levels, a power
 * repeating its factor. 1 if it is not one (a factor that is no column), -1
 * with e filled for a name twice or too many factors.
 */
static int
match_product(struct predictor *p, size_t k, struct error *e)
{
	const char *term = p->m->term[k], *end = term + strlen(term);
	size_t *n = &p->nfactor[k];

	if (strpbrk(term, "*^") == NULL)
		return 1;
	for (const char *f = term; f <= end;) {
		const char *star = strchr(f, '*'), *hat;
		unsigned long power = 1;
		char *level, *stop;
		long col;

		if (star == NULL)
			star = end;
		hat = memchr(f, '^', (size_t)(star - f));
		if (hat != NULL) {
			power = strtoul(hat + 1, &stop, 10);
			if (stop != star || power < 2)
				return 1;
		}
		col = factor_column(p, f, (size_t)((hat ? hat : star) - f),
		    &level, e);
		if (col == -2)
			return -1;
		if (col < 0)
			return 1;
		for (unsigned long i = 0; i < power; i++) {
			if (*n == TERM_MAX) {
				free(level);
				return error_set(e, EXIT_INPUT,
				    "%s: the term \"%s\" has more than %d "
				    "factors",
				    p->name, term, TERM_MAX);
			}
			p->fcol[k * TERM_MAX + *n] = (size_t)col;
			p->flevel[k * TERM_MAX + (*n)++] = i == 0 ? level
			    : level != NULL ? xstrdup(level)
					    : NULL;
		}
		f = star + 1;
	}
	return 0;
}

/*
 * Match term k: a column of its name, "column=level" for a text column, or a
 * product of such factors. Returns 0, 1 when the input has no such column, or
 * -1 with e filled.
 */
static int
match_term(struct predictor *p, size_t k, struct error *e)
{
	const char *term = p->m->term[k], *eq;
	long col = column_named(p, term, strlen(term), e);
	int product;

	if (col == -2)
		return -1;
	for (eq = strchr(term, '='); col < 0 && eq != NULL;
	     eq = strchr(eq + 1, '=')) {
		if ((col = column_named(p, term, (size_t)(eq - term), e)) == -2)
			return -1;
		if (col >= 0)
			p->level[k] = eq + 1;
	}
	if (col == -1 && (product = match_product(p, k, e)) <= 0)
		return product;
	if (col < 0)
		return 1;
	p->column[k] = (size_t)col;
	if (p->level[k] != NULL && !p->seen[col]) {
		p->seen[col] = 1;
		p->catcol[p->ncatcol++] = (size_t)col;
	}
	return 0;
}

/*
 * Whether product term k has a factor that is one of the terms before it
 * marked in gone (the input lacks it, and so the product).
 */
static int
factor_gone(const struct predictor *p, size_t k, const char *gone)
{
	const char *f = p->m->term[k];

	if (strpbrk(f, "*^") == NULL)
		return 0;
	for (; f != NULL; f = strchr(f, '*'), f = f ? f + 1 : NULL) {
		size_t len = strcspn(f, "*^");

		for (size_t j = 1; j < k; j++)
			if (gone[j] && strlen(p->m->term[j]) == len &&
			    memcmp(p->m->term[j], f, len) == 0)
				return 1;
	}
	return 0;
}

/*
 * Match every term of the model (match_term); the terms the input lacks are
 * named all in one message (a product not when a factor is named), the
 * nearest column suggested for one alone.
 */
static int
match_terms(struct predictor *p, struct error *e)
{
	char list[700] = "", hint[800] = "";
	char *gone = xcalloc(p->m->nterms, 1);
	size_t missing = 0, at = 0;
	const char *last = NULL;
	int status;

	for (size_t k = 1; k < p->m->nterms; k++) {
		if ((status = match_term(p, k, e)) < 0) {
			free(gone);
			return -1;
		}
		if (status == 0)
			continue;
		gone[k] = 1;
		if (factor_gone(p, k, gone))
			continue;
		last = p->m->term[k];
		if (at < sizeof(list))
			at += (size_t)snprintf(list + at, sizeof(list) - at,
			    "%s\"%s\"", missing ? ", " : "", last);
		missing++;
	}
	free(gone);
	if (missing == 0)
		return 0;
	if (missing == 1)
		return error_set(e, EXIT_INPUT,
		    "%s: column \"%s\" of the model is not in the input%s",
		    p->name, last,
		    names_hint(hint, sizeof(hint),
			(const char *const *)p->colname, p->ncols, last,
			"columns"));
	return error_set(e, EXIT_INPUT,
	    "%s: %zu columns of the model are not in the input: %s", p->name,
	    missing, list);
}

/* A Poisson model's offset column into p->offset (-1: the model has none). */
static int
match_offset(struct predictor *p, struct error *e)
{
	const char *name = p->m->offset;

	p->offset = -1;
	if (name == NULL)
		return 0;
	if ((p->offset = column_named(p, name, strlen(name), e)) == -2)
		return -1;
	if (p->offset < 0)
		return error_set(e, EXIT_INPUT,
		    "%s: the model's %s column \"%s\" (fit --%s) is not in "
		    "the input; the mean of each row needs it",
		    p->name, p->m->exposure ? "exposure" : "offset", name,
		    p->m->exposure ? "exposure" : "offset");
	p->direct[p->offset] = NUMBERS;
	return 0;
}

/* The offset of rec (the log of its exposure) into *o. */
static int
offset_value(const struct predictor *p, const struct csv_record *rec, double *o,
    struct error *e)
{
	size_t col = (size_t)p->offset;
	const char *what = p->m->exposure ? "exposure" : "offset";

	if (rec->field[col] == NULL)
		*o = p->value[col];
	else if (table_is_missing(rec->field[col], rec->len[col]))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: missing %s in column \"%s\"", p->name,
		    rec->line, col + 1, what, p->colname[col]);
	else if (table_cell(p->name, rec, col, p->colname[col], 0, o, e))
		return -1;
	if (!p->m->exposure)
		return 0;
	if (!(*o > 0))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: exposure %g in column \"%s\"; its log is "
		    "the offset, so it must be > 0",
		    p->name, rec->line, col + 1, *o, p->colname[col]);
	*o = log(*o);
	return 0;
}

int
predictor_init(struct predictor *p, const struct model *m, const char *name,
    const struct csv_record *first, int header, int last_is_y, struct error *e)
{
	p->m = m;
	p->name = name;
	p->ncols = first->nfields;
	p->colname = xcalloc(p->ncols, sizeof(*p->colname));
	p->column = xcalloc(m->nterms, sizeof(*p->column));
	p->level = xcalloc(m->nterms, sizeof(*p->level));
	p->catcol = xcalloc(p->ncols ? p->ncols : 1, sizeof(*p->catcol));
	p->seen = xcalloc(p->ncols ? p->ncols : 1, 1);
	p->direct = xcalloc(p->ncols ? p->ncols : 1, 1);
	p->value = xcalloc(p->ncols ? p->ncols : 1, sizeof(double));
	p->ncatcol = 0;
	p->nfactor = xcalloc(m->nterms, sizeof(*p->nfactor));
	p->fcol = xcalloc(m->nterms * TERM_MAX, sizeof(*p->fcol));
	p->flevel = xcalloc(m->nterms * TERM_MAX, sizeof(*p->flevel));
	for (size_t j = 0; j < p->ncols; j++) {
		char buf[32];

		if (!header)
			table_column_name(buf, sizeof(buf), j, p->ncols,
			    last_is_y);
		p->colname[j] = xstrdup(header ? first->field[j] : buf);
	}
	if (match_terms(p, e) != 0 || match_offset(p, e))
		return -1;
	/* A column of a level term is text: never taken. */
	for (size_t k = 1; k < m->nterms; k++)
		if (p->level[k] == NULL && p->nfactor[k] == 0)
			p->direct[p->column[k]] = NUMBERS;
	for (size_t k = 1; k < m->nterms; k++)
		for (size_t i = 0; i < p->nfactor[k]; i++)
			if (p->flevel[k * TERM_MAX + i] == NULL &&
			    p->direct[p->fcol[k * TERM_MAX + i]] == UNUSED)
				p->direct[p->fcol[k * TERM_MAX + i]] = NUMBERS;
	for (size_t k = 1; k < m->nterms; k++)
		for (size_t i = 0; i < p->nfactor[k]; i++)
			if (p->flevel[k * TERM_MAX + i] != NULL)
				p->direct[p->fcol[k * TERM_MAX + i]] = TEXT;
	for (size_t c = 0; c < p->ncatcol; c++)
		p->direct[p->catcol[c]] = TEXT;
	return 0;
}

int
predictor_reads(const struct predictor *p, size_t k, size_t col)
{
	for (size_t i = 0; i < p->nfactor[k]; i++)
		if (p->fcol[k * TERM_MAX + i] == col)
			return 1;
	return p->nfactor[k] == 0 && p->column[k] == col;
}

_Static_assert(CSV_FIELD_PAD + 1 >= NUM_PAD,
    "num_parse_padded reads past the pad");

int
predictor_take(struct predictor *p, size_t index, const char *s, size_t len)
{
	if (index >= p->ncols || p->direct[index] == TEXT)
		return 0;
	return p->direct[index] == UNUSED ||
	    num_parse_padded(s, len, &p->value[index]) == NUM_OK;
}

/*
 * The value of product term k in rec into *x: its factors' values (a number,
 * or 1 if the cell holds the factor's level, else 0) multiplied left to right;
 * the model's impute value if a factor's cell is missing.
 */
static int
product_value(const struct predictor *p, const struct csv_record *rec, size_t k,
    double *x, struct error *e)
{
	const struct model *m = p->m;

	*x = 1;
	for (size_t i = 0; i < p->nfactor[k]; i++) {
		size_t col = p->fcol[k * TERM_MAX + i];
		const char *level = p->flevel[k * TERM_MAX + i];
		double v;

		if (rec->field[col] == NULL) {
			v = p->value[col];
		} else if (table_is_missing(rec->field[col], rec->len[col])) {
			if (isnan(m->impute[k]))
				return error_set(e, EXIT_INPUT,
				    "%s:%ld:%zu: missing value in column "
				    "\"%s\"",
				    p->name, rec->line, col + 1,
				    p->colname[col]);
			*x = m->impute[k];
			return 0;
		} else if (level != NULL) {
			v = strcmp(rec->field[col], level) == 0;
		} else if (table_cell(p->name, rec, col, p->colname[col], 0, &v,
			       e) != 0) {
			return -1;
		}
		*x = i == 0 ? v : *x * v;
	}
	return 0;
}

/* The value of term k in rec into *x. */
static int
term_value(const struct predictor *p, const struct csv_record *rec, size_t k,
    double *x, struct error *e)
{
	const struct model *m = p->m;
	size_t col = p->column[k];
	int missing;

	if (p->nfactor[k] > 0)
		return product_value(p, rec, k, x, e);

	if (rec->field[col] == NULL) {
		*x = p->value[col]; /* taken: a number */
		return 0;
	}
	missing = table_is_missing(rec->field[col], rec->len[col]);

	if (missing && !isnan(m->impute[k])) {
		*x = m->impute[k];
		return 0;
	}
	if (p->level[k] == NULL)
		return table_cell(p->name, rec, col, m->term[k], 0, x, e);
	if (missing)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: missing value in column "
		    "\"%s\" (see --missing)",
		    p->name, rec->line, col + 1, p->colname[col]);
	*x = strcmp(rec->field[col], p->level[k]) == 0;
	if (*x)
		p->seen[col] = 1;
	return 0;
}

int
predictor_missing(const struct predictor *p, const struct csv_record *rec)
{
	const struct model *m = p->m;

	if (rec->nfields != p->ncols)
		return 0;
	for (size_t k = 1; k < m->nterms; k++) {
		size_t col = p->column[k];

		if (rec->field[col] != NULL && isnan(m->impute[k]) &&
		    table_is_missing(rec->field[col], rec->len[col]))
			return 1;
	}
	return 0;
}

int
predictor_apply(const struct predictor *p, const struct csv_record *rec,
    double *out, struct error *e)
{
	const struct model *m = p->m;

	if (table_check_width(p->name, rec, p->ncols, e))
		return -1;
	for (size_t c = 0; c < p->ncatcol; c++)
		p->seen[p->catcol[c]] = 0;
	for (size_t b = 0; b < m->outputs; b++)
		out[b] = m->weight[b * m->nterms];
	for (size_t k = 1; k < m->nterms; k++) {
		double x;

		if (term_value(p, rec, k, &x, e))
			return -1;
		if (p->terms != NULL)
			p->terms[k] = x;
		for (size_t b = 0; b < m->outputs; b++)
			out[b] += m->weight[b * m->nterms + k] * x;
	}
	if (p->offset >= 0) {
		double o;

		if (offset_value(p, rec, &o, e))
			return -1;
		out[0] += o;
	}
	for (size_t c = 0; c < p->ncatcol && !p->unseen_zero; c++) {
		size_t col = p->catcol[c];
		char value[128];

		if (p->seen[col] ||
		    table_is_missing(rec->field[col], rec->len[col]))
			continue;
		error_quote(value, sizeof(value), rec->field[col],
		    rec->len[col]);
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: \"%s\" in column \"%s\" "
		    "is a level not seen in training (see --unseen)",
		    p->name, rec->line, col + 1, value, p->colname[col]);
	}
	for (size_t b = 0; b < m->outputs; b++)
		if (!isfinite(out[b]))
			return error_set(e, EXIT_INPUT,
			    "%s:%ld: the prediction "
			    "overflows a double",
			    p->name, rec->line);
	return 0;
}

size_t
predictor_class(const struct model *m, const double *z, double *proba)
{
	size_t best = 0;

	if (m->outputs == 1) {
		/* Logistic: P(positive) = σ(z), from exp(−|z|) alone. */
		double t = exp(-fabs(z[0])),
		       pos = z[0] >= 0 ? 1 / (1 + t) : t / (1 + t);

		if (proba != NULL) {
			proba[1] = pos;
			proba[0] = z[0] >= 0 ? t / (1 + t) : 1 / (1 + t);
		}
		return z[0] > 0;
	}
	for (size_t k = 1; k < m->outputs; k++)
		if (z[k] > z[best])
			best = k;
	if (proba != NULL) {
		double sum = 0;

		for (size_t k = 0; k < m->outputs; k++)
			sum += (proba[k] = exp(z[k] - z[best]));
		for (size_t k = 0; k < m->outputs; k++)
			proba[k] /= sum;
	}
	return best;
}

void
predictor_free(struct predictor *p)
{
	if (p->colname != NULL)
		for (size_t j = 0; j < p->ncols; j++)
			free(p->colname[j]);
	free(p->colname);
	free(p->column);
	free(p->level);
	free(p->catcol);
	free(p->seen);
	free(p->direct);
	free(p->value);
	for (size_t i = 0; p->flevel != NULL && i < p->m->nterms * TERM_MAX;
	     i++)
		free(p->flevel[i]);
	free(p->flevel);
	free(p->fcol);
	free(p->nfactor);
	p->flevel = NULL;
	p->fcol = NULL;
	p->nfactor = NULL;
	p->direct = NULL;
	p->value = NULL;
	p->colname = NULL;
	p->column = NULL;
	p->level = NULL;
	p->catcol = NULL;
	p->seen = NULL;
}
