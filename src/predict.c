/*
 * predict.c: applying a model to records.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Match term k: a column of its name, or "column=level" for a text column. */
static int
match_term(struct predictor *p, size_t k, struct error *e)
{
	const char *term = p->m->term[k], *eq;
	long col = column_named(p, term, strlen(term), e);

	if (col == -2)
		return -1;
	for (eq = strchr(term, '='); col < 0 && eq != NULL;
	     eq = strchr(eq + 1, '=')) {
		if ((col = column_named(p, term, (size_t)(eq - term), e)) == -2)
			return -1;
		if (col >= 0)
			p->level[k] = eq + 1;
	}
	if (col < 0)
		return error_set(e, EXIT_INPUT,
		    "%s: column \"%s\" of the model is not "
		    "in the input",
		    p->name, term);
	p->column[k] = (size_t)col;
	if (p->level[k] != NULL && !p->seen[col]) {
		p->seen[col] = 1;
		p->catcol[p->ncatcol++] = (size_t)col;
	}
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
	for (size_t j = 0; j < p->ncols; j++) {
		char buf[32];

		if (!header)
			table_column_name(buf, sizeof(buf), j, p->ncols,
			    last_is_y);
		p->colname[j] = xstrdup(header ? first->field[j] : buf);
	}
	for (size_t k = 1; k < m->nterms; k++)
		if (match_term(p, k, e))
			return -1;
	/* A column of a level term is text: never taken. */
	for (size_t k = 1; k < m->nterms; k++)
		if (p->level[k] == NULL)
			p->direct[p->column[k]] = NUMBERS;
	for (size_t c = 0; c < p->ncatcol; c++)
		p->direct[p->catcol[c]] = TEXT;
	return 0;
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

/* The value of term k in rec into *x. */
static int
term_value(const struct predictor *p, const struct csv_record *rec, size_t k,
    double *x, struct error *e)
{
	const struct model *m = p->m;
	size_t col = p->column[k];
	int missing;

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
		for (size_t b = 0; b < m->outputs; b++)
			out[b] += m->weight[b * m->nterms + k] * x;
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
	p->direct = NULL;
	p->value = NULL;
	p->colname = NULL;
	p->column = NULL;
	p->level = NULL;
	p->catcol = NULL;
	p->seen = NULL;
}
