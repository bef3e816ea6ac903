/*
 * model.c: the weights CSV.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "model.h"
#include "num.h"
#include "outfile.h"

void
model_init(struct model *m, size_t nterms, const char *const *term)
{
	m->nterms = nterms;
	m->term = xcalloc(nterms, sizeof(*m->term));
	m->weight = xcalloc(nterms, sizeof(double));
	m->std_weight = xcalloc(nterms, sizeof(double));
	m->impute = xcalloc(nterms, sizeof(double));
	m->has_impute = 0;
	for (size_t k = 0; k < nterms; k++) {
		m->term[k] = xstrdup(term[k]);
		m->impute[k] = (double)NAN;
	}
}

void
model_free(struct model *m)
{
	for (size_t k = 0; k < m->nterms; k++)
		free(m->term[k]);
	free(m->term);
	free(m->weight);
	free(m->std_weight);
	free(m->impute);
	memset(m, 0, sizeof(*m));
}

/* Reading state: the model grows a term per record. */
struct reader {
	const char *name;
	struct model *m;
	size_t cap;
	int header_seen;
	int impute_column;	/* the impute column's index, or 0 if none */
};

static int
read_number(const struct reader *r, const struct csv_record *rec, size_t col,
    const char *column, double *out, struct error *e)
{
	char value[128];

	if (num_parse(rec->field[col], rec->len[col], out) == NUM_OK)
		return 0;
	error_quote(value, sizeof(value), rec->field[col], rec->len[col]);
	return error_set(e, EXIT_INPUT, "%s:%ld:%zu: \"%s\" in column \"%s\" is "
	    "not a number", r->name, rec->line, col + 1, value, column);
}

static int
on_weights_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct reader *r = ctx;
	struct model *m = r->m;
	size_t k = m->nterms;

	if (!r->header_seen) {
		r->header_seen = 1;
		if (rec->nfields < 3 || strcmp(rec->field[0], "term") != 0 ||
		    strcmp(rec->field[1], "weight") != 0 ||
		    strcmp(rec->field[2], "std_weight") != 0)
			return error_set(e, EXIT_INPUT, "%s:%ld: not a weights file "
			    "(expected the header term,weight,std_weight)", r->name,
			    rec->line);
		r->cap = rec->nfields;	/* fields every row must have */
		if (rec->nfields > 3 && strcmp(rec->field[3], "impute") == 0) {
			r->impute_column = 3;
			r->m->has_impute = 1;
		}
		return 0;
	}
	if (rec->nfields != r->cap)
		return error_set(e, EXIT_INPUT, "%s:%ld: row has %zu field%s, expected "
		    "%zu", r->name, rec->line, rec->nfields,
		    rec->nfields == 1 ? "" : "s", r->cap);
	if (k == 0 && strcmp(rec->field[0], MODEL_INTERCEPT) != 0)
		return error_set(e, EXIT_INPUT, "%s:%ld: the first term is \"%s\", "
		    "expected %s", r->name, rec->line, rec->field[0], MODEL_INTERCEPT);
	for (size_t j = 0; j < k; j++)
		if (strcmp(m->term[j], rec->field[0]) == 0)
			return error_set(e, EXIT_INPUT, "%s:%ld: term \"%s\" appears "
			    "twice", r->name, rec->line, rec->field[0]);
	m->term = xreallocarray(m->term, k + 1, sizeof(*m->term));
	m->weight = xreallocarray(m->weight, k + 1, sizeof(double));
	m->std_weight = xreallocarray(m->std_weight, k + 1, sizeof(double));
	m->impute = xreallocarray(m->impute, k + 1, sizeof(double));
	m->term[k] = xstrdup(rec->field[0]);
	m->impute[k] = (double)NAN;
	m->nterms = k + 1;
	if (read_number(r, rec, 1, "weight", &m->weight[k], e) ||
	    read_number(r, rec, 2, "std_weight", &m->std_weight[k], e))
		return -1;
	if (r->impute_column && rec->len[r->impute_column] > 0)
		return read_number(r, rec, (size_t)r->impute_column, "impute",
		    &m->impute[k], e);
	return 0;
}

int
model_read(int fd, const char *name, struct model *m, struct error *e)
{
	struct reader r = { .name = name, .m = m };
	struct csv_options opt = { .name = name, .delimiter = ',' };

	memset(m, 0, sizeof(*m));
	if (csv_read(fd, &opt, on_weights_record, &r, e) != 0) {
		model_free(m);
		return -1;
	}
	if (!r.header_seen)
		error_set(e, EXIT_INPUT, "%s: empty input", name);
	else if (m->nterms == 0)
		error_set(e, EXIT_INPUT, "%s: no data rows", name);
	else
		return 0;
	model_free(m);
	return -1;
}

int
model_write(const struct model *m, FILE *f, struct error *e)
{
	fputs(m->has_impute ? "term,weight,std_weight,impute\n" :
	    "term,weight,std_weight\n", f);
	for (size_t k = 0; k < m->nterms; k++) {
		csv_write_field(f, m->term[k], ',');
		fprintf(f, ",%.17g,%.17g", m->weight[k], m->std_weight[k]);
		if (m->has_impute && !isnan(m->impute[k]))
			fprintf(f, ",%.17g", m->impute[k]);
		else if (m->has_impute)
			putc(',', f);
		putc('\n', f);
	}
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT, "writing the weights: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}

int
model_save(const struct model *m, const char *path, struct error *e)
{
	struct outfile out;

	if (outfile_open(&out, path, e) != 0)
		return -1;
	if (model_write(m, out.f, e) != 0) {
		outfile_abort(&out);
		return -1;
	}
	return outfile_commit(&out, e);
}
