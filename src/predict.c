/*
 * predict.c: applying a model to records.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "predict.h"
#include "table.h"

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

int
predictor_init(struct predictor *p, const struct model *m, const char *name,
    const struct csv_record *first, int header, int last_is_y, struct error *e)
{
	p->m = m;
	p->name = name;
	p->ncols = first->nfields;
	p->colname = xcalloc(p->ncols, sizeof(*p->colname));
	p->column = xcalloc(m->nterms, sizeof(*p->column));
	for (size_t j = 0; j < p->ncols; j++) {
		char buf[32];

		if (!header)
			table_column_name(buf, sizeof(buf), j, p->ncols, last_is_y);
		p->colname[j] = xstrdup(header ? first->field[j] : buf);
	}
	for (size_t k = 1; k < m->nterms; k++) {
		long found = -1;

		for (size_t j = 0; j < p->ncols; j++) {
			if (strcmp(p->colname[j], m->term[k]) != 0)
				continue;
			if (found >= 0)
				return error_set(e, EXIT_INPUT, "%s:1: column name "
				    "\"%s\" appears twice (columns %ld and %zu)", name,
				    m->term[k], found + 1, j + 1);
			found = (long)j;
		}
		if (found < 0)
			return error_set(e, EXIT_INPUT, "%s: column \"%s\" of the model "
			    "is not in the input", name, m->term[k]);
		p->column[k] = (size_t)found;
	}
	return 0;
}

int
predictor_apply(const struct predictor *p, const struct csv_record *rec,
    double *out, struct error *e)
{
	const struct model *m = p->m;
	double sum = m->weight[0];

	if (table_check_width(p->name, rec, p->ncols, e))
		return -1;
	for (size_t k = 1; k < m->nterms; k++) {
		double x;

		size_t col = p->column[k];

		if (!isnan(m->impute[k]) &&
		    table_is_missing(rec->field[col], rec->len[col]))
			x = m->impute[k];
		else if (table_cell(p->name, rec, col, m->term[k], 0, &x, e))
			return -1;
		sum += m->weight[k] * x;
	}
	*out = sum;
	return 0;
}

void
predictor_free(struct predictor *p)
{
	if (p->colname != NULL)
		for (size_t j = 0; j < p->ncols; j++)
			free(p->colname[j]);
	free(p->colname);
	free(p->column);
	p->colname = NULL;
	p->column = NULL;
}
