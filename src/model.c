/*
 * model.c: the weights CSV, read and written, and the same model written as
 * JSON.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "json.h"
#include "model.h"
#include "model_json.h"
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
	m->stats = NULL;
	m->outputs = 1;
	m->nclasses = 0;
	m->classes = NULL;
	m->target = NULL;
	m->csv_target = 0;
	m->poisson = m->exposure = 0;
	m->offset = NULL;
	m->shift = m->scale = NULL;
	m->iv = NULL;
	m->conformal = NULL;
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
	free(m->stats);
	for (size_t c = 0; c < m->nclasses; c++)
		free(m->classes[c]);
	free(m->classes);
	free(m->target);
	free(m->offset);
	free(m->shift);
	free(m->scale);
	interval_free(m);
	memset(m, 0, sizeof(*m));
}

void
model_set_classes(struct model *m, const char *const *classes, size_t nclasses,
    size_t outputs)
{
	m->nclasses = nclasses;
	m->classes = xcalloc(nclasses, sizeof(*m->classes));
	for (size_t c = 0; c < nclasses; c++)
		m->classes[c] = xstrdup(classes[c]);
	m->outputs = outputs;
	m->weight =
	    xreallocarray(m->weight, outputs * m->nterms, sizeof(double));
	m->std_weight =
	    xreallocarray(m->std_weight, outputs * m->nterms, sizeof(double));
	memset(m->weight, 0, outputs * m->nterms * sizeof(double));
	memset(m->std_weight, 0, outputs * m->nterms * sizeof(double));
}

/* Reading state: the model grows a term per record. */
struct reader {
	const char *name;
	struct model *m;
	size_t cap;
	int header_seen;
	int impute_column; /* the impute column's index, or 0 if none */
	int shift_column;  /* the shift and scale columns, or 0 if none */
	int scale_column;
	int classes;	      /* 1: a classification model (a class column) */
	size_t row;	      /* of the block being read (classification) */
	char *reference;      /* the (reference) row's class, or NULL */
	int begins;	      /* the input's first byte that is not a space or
				 a byte-order mark's, or -1 until seen */
	size_t target_column; /* the target column's index, or 0 if none */
	char *json;	      /* with begins '{': the bytes read so far */
	size_t json_len;
	struct interval_columns iv; /* interval.h's columns */
};

static int
read_number(const struct reader *r, const struct csv_record *rec, size_t col,
    const char *column, double *out, struct error *e)
{
	char value[128];

	if (num_parse(rec->field[col], rec->len[col], out) == NUM_OK)
		return 0;
	error_quote(value, sizeof(value), rec->field[col], rec->len[col]);
	return error_set(e, EXIT_INPUT,
	    "%s:%ld:%zu: \"%s\" in column \"%s\" is "
	    "not a number",
	    r->name, rec->line, col + 1, value, column);
}

/* Term k's shift and scale, if the file has them (empty: NaN). */
static int
read_scaling(struct reader *r, const struct csv_record *rec, size_t k,
    struct error *e)
{
	struct model *m = r->m;

	if (!r->shift_column)
		return 0;
	m->shift = xreallocarray(m->shift, k + 1, sizeof(double));
	m->scale = xreallocarray(m->scale, k + 1, sizeof(double));
	m->shift[k] = m->scale[k] = (double)NAN;
	if (rec->len[r->shift_column] > 0 &&
	    read_number(r, rec, (size_t)r->shift_column, "shift", &m->shift[k],
		e))
		return -1;
	if (rec->len[r->scale_column] > 0 &&
	    read_number(r, rec, (size_t)r->scale_column, "scale", &m->scale[k],
		e))
		return -1;
	return 0;
}

/*
 * A new term from rec, its weight and std_weight in the fields at and at + 1
 * (and the impute column if any): the first must be the intercept, none may
 * repeat.
 */
static int
add_term(struct reader *r, const struct csv_record *rec, size_t at,
    struct error *e)
{
	struct model *m = r->m;
	size_t k = m->nterms;

	if (k == 0 && strcmp(rec->field[0], MODEL_INTERCEPT) != 0)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: the first term is \"%s\", "
		    "expected %s",
		    r->name, rec->line, rec->field[0], MODEL_INTERCEPT);
	for (size_t j = 0; j < k; j++)
		if (strcmp(m->term[j], rec->field[0]) == 0)
			return error_set(e, EXIT_INPUT,
			    "%s:%ld: term \"%s\" appears "
			    "twice",
			    r->name, rec->line, rec->field[0]);
	m->term = xreallocarray(m->term, k + 1, sizeof(*m->term));
	m->weight = xreallocarray(m->weight, k + 1, sizeof(double));
	m->std_weight = xreallocarray(m->std_weight, k + 1, sizeof(double));
	m->impute = xreallocarray(m->impute, k + 1, sizeof(double));
	m->term[k] = xstrdup(rec->field[0]);
	m->impute[k] = (double)NAN;
	m->nterms = k + 1;
	if (read_number(r, rec, at, "weight", &m->weight[k], e) ||
	    read_number(r, rec, at + 1, "std_weight", &m->std_weight[k], e) ||
	    read_scaling(r, rec, k, e) ||
	    interval_read_row(&r->iv, m, k, rec, r->name, e))
		return -1;
	if (r->impute_column && rec->len[r->impute_column] > 0)
		return read_number(r, rec, (size_t)r->impute_column, "impute",
		    &m->impute[k], e);
	return 0;
}

/* The header's column named target (after the weights), if any. */
static void
find_target_column(struct reader *r, const struct csv_record *rec)
{
	for (size_t j = r->classes ? 4 : 3; j < rec->nfields; j++)
		if (strcmp(rec->field[j], "target") == 0)
			r->target_column = j;
}

/* The target's name from the target column of the first row. */
static void
take_target(struct reader *r, const struct csv_record *rec)
{
	if (r->target_column == 0 || r->m->target != NULL ||
	    rec->len[r->target_column] == 0)
		return;
	r->m->target = xstrdup(rec->field[r->target_column]);
	r->m->csv_target = 1;
}

/*
 * The header: term,weight,std_weight[,impute...] for regression,
 * term,class,weight,std_weight[,impute...] for classification.
 */
static int
read_header(struct reader *r, const struct csv_record *rec, struct error *e)
{
	size_t at;

	r->header_seen = 1;
	r->classes = rec->nfields > 1 && strcmp(rec->field[1], "class") == 0;
	at = r->classes ? 2 : 1;
	if (rec->nfields < at + 2 || strcmp(rec->field[0], "term") != 0 ||
	    strcmp(rec->field[at], "weight") != 0 ||
	    strcmp(rec->field[at + 1], "std_weight") != 0)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: not a weights file "
		    "(expected the header term,weight,std_weight or "
		    "term,class,weight,std_weight)",
		    r->name, rec->line);
	r->cap = rec->nfields; /* fields every row must have */
	if (rec->nfields > at + 2 &&
	    strcmp(rec->field[at + 2], "impute") == 0) {
		r->impute_column = (int)(at + 2);
		r->m->has_impute = 1;
	}
	for (size_t c = at + 2; c + 1 < rec->nfields; c++)
		if (strcmp(rec->field[c], "shift") == 0 &&
		    strcmp(rec->field[c + 1], "scale") == 0) {
			r->shift_column = (int)c;
			r->scale_column = (int)c + 1;
		}
	if (r->classes)
		r->m->outputs = 0;
	find_target_column(r, rec);
	return interval_header(&r->iv, rec, at + 2, r->name, e);
}

/* Start block m->outputs for class label, checking it is new. */
static int
start_block(struct reader *r, const struct csv_record *rec, struct error *e)
{
	struct model *m = r->m;
	size_t b = m->outputs;

	if (b > 0 && r->row != m->nterms)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: class \"%s\" has %zu terms, "
		    "class \"%s\" %zu",
		    r->name, rec->line, m->classes[b - 1], r->row,
		    m->classes[0], m->nterms);
	for (size_t c = 0; c < b; c++)
		if (strcmp(m->classes[c], rec->field[1]) == 0)
			return error_set(e, EXIT_INPUT,
			    "%s:%ld: the rows of class "
			    "\"%s\" are not together",
			    r->name, rec->line, rec->field[1]);
	m->classes = xreallocarray(m->classes, b + 1, sizeof(*m->classes));
	m->classes[b] = xstrdup(rec->field[1]);
	m->nclasses = m->outputs = b + 1;
	r->row = 0;
	if (b > 0) {
		m->weight = xreallocarray(m->weight, (b + 1) * m->nterms,
		    sizeof(double));
		m->std_weight = xreallocarray(m->std_weight,
		    (b + 1) * m->nterms, sizeof(double));
	}
	return 0;
}

/*
 * A row of a classification model: a (reference) row, or a term of the current
 * block (a new block when the class changes). The first block defines the
 * terms; later blocks must repeat them in order.
 */
static int
read_class_row(struct reader *r, const struct csv_record *rec, struct error *e)
{
	struct model *m = r->m;
	size_t b, k;

	if (r->reference != NULL)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: a row after the %s row", r->name, rec->line,
		    MODEL_REFERENCE);
	/* fit never writes one (a missing label is not a class): predict would
	   write a prediction that reads back as missing. */
	if (rec->len[1] == 0)
		return error_set(e, EXIT_INPUT, "%s:%ld:2: empty class label",
		    r->name, rec->line);
	if (strcmp(rec->field[0], MODEL_REFERENCE) == 0) {
		r->reference = xstrdup(rec->field[1]);
		return 0;
	}
	if (m->outputs == 0 ||
	    strcmp(rec->field[1], m->classes[m->outputs - 1]))
		if (start_block(r, rec, e) != 0)
			return -1;
	b = m->outputs - 1;
	k = r->row++;
	if (b == 0)
		return add_term(r, rec, 2, e);
	if (k >= m->nterms || strcmp(m->term[k], rec->field[0]) != 0)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: term \"%s\" of class \"%s\" "
		    "is not the term the first class has there",
		    r->name, rec->line, rec->field[0], rec->field[1]);
	return read_number(r, rec, 2, "weight", &m->weight[b * m->nterms + k],
		   e) ||
		read_number(r, rec, 3, "std_weight",
		    &m->std_weight[b * m->nterms + k], e)
	    ? -1
	    : 0;
}

/*
 * Whether rec is a row of a Poisson model (see model.h), (poisson) or its
 * offset's, which it then records in r->m.
 */
static int
poisson_row(struct reader *r, const struct csv_record *rec)
{
	struct model *m = r->m;
	const char *t = rec->field[0];
	size_t off = strlen(MODEL_OFFSET), exp = strlen(MODEL_EXPOSURE);

	if (strcmp(t, MODEL_POISSON) == 0)
		return m->poisson = 1;
	if (!m->poisson || m->offset != NULL)
		return 0;
	if (strncmp(t, MODEL_OFFSET, off) == 0 && t[off] != '\0')
		m->offset = xstrdup(t + off);
	else if (strncmp(t, MODEL_EXPOSURE, exp) == 0 && t[exp] != '\0') {
		m->offset = xstrdup(t + exp);
		m->exposure = 1;
	}
	return m->offset != NULL;
}

static int
on_weights_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct reader *r = ctx;

	if (!r->header_seen)
		return read_header(r, rec, e);
	if (rec->nfields != r->cap)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: row has %zu field%s, expected "
		    "%zu",
		    r->name, rec->line, rec->nfields,
		    rec->nfields == 1 ? "" : "s", r->cap);
	take_target(r, rec);
	if (r->classes)
		return read_class_row(r, rec, e);
	if (poisson_row(r, rec))
		return 0;
	if (r->m->poisson)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: term \"%s\" after the %s row, which ends the "
		    "terms",
		    r->name, rec->line, rec->field[0], MODEL_POISSON);
	return add_term(r, rec, 1, e);
}

/*
 * After the rows of a classification model: the last block complete, and either
 * one block and a (reference) row (logistic: classes become reference, then the
 * block's) or two blocks or more and none (softmax).
 */
static int
finish_classes(struct reader *r, struct error *e)
{
	struct model *m = r->m;

	if (r->row != m->nterms)
		return error_set(e, EXIT_INPUT,
		    "%s: class \"%s\" has %zu terms, "
		    "class \"%s\" %zu",
		    r->name, m->classes[m->outputs - 1], r->row, m->classes[0],
		    m->nterms);
	if (r->reference == NULL && m->outputs < 2)
		return error_set(e, EXIT_INPUT,
		    "%s: one class and no %s row: not a "
		    "classification model",
		    r->name, MODEL_REFERENCE);
	if (r->reference != NULL && m->outputs > 1)
		return error_set(e, EXIT_INPUT,
		    "%s: a %s row with %zu classes; "
		    "only a logistic model (one class) has one",
		    r->name, MODEL_REFERENCE, m->outputs);
	if (r->reference != NULL) {
		if (strcmp(r->reference, m->classes[0]) == 0)
			return error_set(e, EXIT_INPUT,
			    "%s: the %s class is the "
			    "model's own class \"%s\"",
			    r->name, MODEL_REFERENCE, r->reference);
		m->classes = xreallocarray(m->classes, 2, sizeof(*m->classes));
		m->classes[1] = m->classes[0];
		m->classes[0] = r->reference;
		m->nclasses = 2;
		r->reference = NULL;
	}
	return 0;
}

/* The bytes of an input that begins with {, kept to be read as JSON. */
static void
keep_json(struct reader *r, const char *bytes, size_t len)
{
	if (r->begins != '{')
		return;
	r->json = xreallocarray(r->json, r->json_len + len + 1, 1);
	memcpy(r->json + r->json_len, bytes, len);
	r->json_len += len;
}

/* Note how the input begins, to recognize JSON (which CSV cannot parse). */
static void
note_start(void *ctx, const char *bytes, size_t len)
{
	struct reader *r = ctx;
	static const char skip[] =
	    " \t\r\n\xef\xbb\xbf"; /* and a BOM's bytes */

	for (size_t i = 0; i < len && r->begins < 0; i++)
		if (bytes[i] == '\0' || strchr(skip, bytes[i]) == NULL)
			r->begins = (unsigned char)bytes[i];
	keep_json(r, bytes, len);
}

/* After csv_read: the checks of a whole file. Returns 0, or -1 with e filled.
 */
static int
finish(struct reader *r, struct error *e)
{
	if (!r->header_seen)
		return error_set(e, EXIT_INPUT, "%s: empty input", r->name);
	if (r->m->nterms == 0)
		return error_set(e, EXIT_INPUT, "%s: no data rows", r->name);
	if (r->classes && finish_classes(r, e))
		return -1;
	return interval_finish(&r->iv, r->m, r->name, e);
}

/*
 * A message about line L (and a column) of the CSV that JSON weights stand
 * for, "NAME:L[:C]: ...", made to name what the JSON has there: line 1 is the
 * header, line L > 1 term L - 1 of "terms".
 */
static void
json_place(const char *name, struct error *e)
{
	size_t n = strlen(name), rest;
	char *at = e->msg + n + 1, *end, head[64];
	long line;
	int h;

	if (strncmp(e->msg, name, n) != 0 || e->msg[n] != ':')
		return;
	line = strtol(at, &end, 10);
	if (end == at || *end != ':' || line < 2)
		return;
	if (end[1] >= '0' && end[1] <= '9') /* the column: no place in JSON */
		(void)strtol(end + 1, &end, 10);
	h = snprintf(head, sizeof(head), ": term %ld of \"terms\":", line - 1);
	rest = strlen(end + 1);
	if (h < 0 || n + (size_t)h + rest >= sizeof(e->msg))
		return;
	memmove(e->msg + n + (size_t)h, end + 1, rest + 1);
	memcpy(e->msg + n, head, (size_t)h);
}

/*
 * The JSON weights: the rest of fd after the bytes kept, turned into the
 * weights CSV (model_json.h), read into m as model_read reads a CSV.
 */
static int
read_json(int fd, const char *name, struct model *m, struct reader *r,
    struct error *e)
{
	struct reader again = { .name = name, .m = m, .begins = -1 };
	struct csv_options opt = { .name = name, .delimiter = ',' };
	char block[65536], *csv;
	size_t len;
	ssize_t got;
	int status;

	while ((got = read(fd, block, sizeof(block))) > 0)
		keep_json(r, block, (size_t)got);
	if (got < 0)
		return error_set(e, EXIT_INPUT, "%s: %s", name,
		    strerror(errno));
	if (model_json_to_csv(r->json, r->json_len, name, &csv, &len, e))
		return -1;
	model_free(m);
	m->outputs = 1;
	status = csv_read_bytes(csv, len, -1, 1, &opt, NULL, on_weights_record,
	    &again, e);
	if (status == 0)
		status = finish(&again, e);
	else
		json_place(name, e);
	free(again.reference);
	free(csv);
	return status;
}

int
model_read(int fd, const char *name, struct model *m, struct error *e)
{
	struct reader r = { .name = name, .m = m, .begins = -1 };
	struct csv_options opt = { .name = name, .delimiter = ',' };
	struct csv_watch watch = { .block = note_start, .ctx = &r };
	int status;

	memset(m, 0, sizeof(*m));
	m->outputs = 1;
	status = csv_read_watched(fd, &opt, &watch, on_weights_record, &r, e);
	if (status == 0)
		status = finish(&r, e);
	/* fit --format json's output fails as CSV, somewhere: read it so. */
	if (status != 0 && r.begins == '{')
		status = read_json(fd, name, m, &r, e);
	free(r.json);
	free(r.reference);
	if (status != 0)
		model_free(m);
	return status;
}

/* ",v", v shortest (num_format). */
static void
csv_number(FILE *f, double v)
{
	putc(',', f);
	num_write(f, v);
}

/* The shift and scale cells of term k, if m has them (empty for NaN). */
static void
write_scaling(const struct model *m, size_t k, FILE *f)
{
	if (m->shift == NULL)
		return;
	if (isnan(m->shift[k]))
		putc(',', f);
	else
		csv_number(f, m->shift[k]);
	if (isnan(m->scale[k]))
		putc(',', f);
	else
		csv_number(f, m->scale[k]);
}

void
model_add_scaling(struct model *m)
{
	m->shift = xcalloc(m->nterms, sizeof(double));
	m->scale = xcalloc(m->nterms, sizeof(double));
	for (size_t k = 0; k < m->nterms; k++)
		m->shift[k] = m->scale[k] = (double)NAN;
}

/* The rows of a classification model (see model.h), then its final checks. */
/* The statistics cells of term k (none without stats; NA for NaN). */
static void
write_stats(const struct model *m, size_t k, FILE *f)
{
	for (size_t c = 0; m->stats && c < MODEL_STATS; c++) {
		double v = m->stats[k * MODEL_STATS + c];

		if (isnan(v))
			fputs(",NA", f);
		else
			csv_number(f, v);
	}
}

/* The end of a row: ",text" in the target column (if any), then newline. */
static void
end_row(const struct model *m, FILE *f, const char *text)
{
	if (m->csv_target && m->target != NULL) {
		putc(',', f);
		csv_write_field(f, text, ',');
	}
	putc('\n', f);
}

/* The rows after a Poisson model's terms (see model.h). */
static void
write_poisson(const struct model *m, FILE *f)
{
	const char *na = m->stats ? ",NA,NA,NA,NA,NA" : "";
	const char *unscaled = m->shift ? ",," : ""; /* no shift, no scale */
	char *term;

	if (!m->poisson)
		return;
	fputs(m->has_impute ? MODEL_POISSON ",0,0," : MODEL_POISSON ",0,0", f);
	fprintf(f, "%s%s", na, unscaled);
	interval_write_cells(m, m->nterms * m->outputs, f);
	end_row(m, f, m->target);
	if (m->offset == NULL)
		return;
	term = xmalloc(strlen(MODEL_EXPOSURE) + strlen(m->offset) + 1);
	strcpy(term, m->exposure ? MODEL_EXPOSURE : MODEL_OFFSET);
	strcat(term, m->offset);
	csv_write_field(f, term, ',');
	fputs(m->has_impute ? ",1,1," : ",1,1", f);
	fprintf(f, "%s%s", na, unscaled);
	interval_write_cells(m, m->nterms * m->outputs, f);
	end_row(m, f, m->target);
	free(term);
}

static int
write_classes(const struct model *m, FILE *f, struct error *e)
{
	int logistic = m->outputs == 1;

	fputs(m->has_impute ? "term,class,weight,std_weight,impute"
			    : "term,class,weight,std_weight",
	    f);
	fputs(m->stats ? ",std_error,t,p_value,ci_low,ci_high" : "", f);
	fputs(m->shift ? ",shift,scale" : "", f);
	interval_write_header(m, f);
	end_row(m, f, "target");
	for (size_t b = 0; b < m->outputs; b++)
		for (size_t k = 0; k < m->nterms; k++) {
			csv_write_field(f, m->term[k], ',');
			putc(',', f);
			csv_write_field(f, m->classes[logistic ? 1 : b], ',');
			csv_number(f, m->weight[b * m->nterms + k]);
			csv_number(f, m->std_weight[b * m->nterms + k]);
			if (m->has_impute && !isnan(m->impute[k]))
				csv_number(f, m->impute[k]);
			else if (m->has_impute)
				putc(',', f);
			write_stats(m, k, f);
			write_scaling(m, k, f);
			interval_write_cells(m, b * m->nterms + k, f);
			end_row(m, f, m->target);
		}
	if (logistic) {
		fputs(MODEL_REFERENCE ",", f);
		csv_write_field(f, m->classes[0], ',');
		fputs(m->has_impute ? ",0,0," : ",0,0", f);
		fputs(m->stats ? ",NA,NA,NA,NA,NA" : "", f);
		fputs(m->shift ? ",," : "", f);
		interval_write_cells(m, m->nterms * m->outputs, f);
		end_row(m, f, m->target);
	}
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT, "writing the weights: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}

int
model_write(const struct model *m, FILE *f, struct error *e)
{
	if (m->nclasses > 0)
		return write_classes(m, f, e);
	fputs(m->has_impute ? "term,weight,std_weight,impute"
			    : "term,weight,std_weight",
	    f);
	fputs(m->stats ? ",std_error,t,p_value,ci_low,ci_high" : "", f);
	fputs(m->shift ? ",shift,scale" : "", f);
	interval_write_header(m, f);
	end_row(m, f, "target");
	for (size_t k = 0; k < m->nterms; k++) {
		csv_write_field(f, m->term[k], ',');
		csv_number(f, m->weight[k]);
		csv_number(f, m->std_weight[k]);
		if (m->has_impute && !isnan(m->impute[k]))
			csv_number(f, m->impute[k]);
		else if (m->has_impute)
			putc(',', f);
		write_stats(m, k, f);
		write_scaling(m, k, f);
		interval_write_cells(m, k, f);
		end_row(m, f, m->target);
	}
	write_poisson(m, f);
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT, "writing the weights: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}

int
model_save(const struct model *m, const char *path, struct error *e)
{
	return model_save_as(m, path, MODEL_CSV, e);
}

int
model_save_as(const struct model *m, const char *path, enum model_format format,
    struct error *e)
{
	struct outfile out;
	int status;

	if (outfile_open(&out, path, e) != 0)
		return -1;
	status = format == MODEL_JSON ? model_write_json(m, out.f, e)
				      : model_write(m, out.f, e);
	if (status != 0) {
		outfile_abort(&out);
		return -1;
	}
	return outfile_commit(&out, e);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                      */
/* ------------------------------------------------------------------------ */

/* One term of output block b as a JSON object on a line of its own. */
static void
json_term(const struct model *m, size_t b, size_t k, int last, FILE *f)
{
	fputs("    {\"term\": ", f);
	json_string(f, m->term[k]);
	if (m->nclasses > 0) {
		fputs(", \"class\": ", f);
		json_string(f, m->classes[m->outputs == 1 ? 1 : b]);
	}
	json_member(f, ", ", "weight", m->weight[b * m->nterms + k]);
	json_member(f, ", ", "std_weight", m->std_weight[b * m->nterms + k]);
	if (m->has_impute)
		json_member(f, ", ", "impute", m->impute[k]);
	if (m->stats != NULL) {
		static const char *const name[MODEL_STATS] = { "std_error", "t",
			"p_value", "ci_low", "ci_high" };

		for (size_t c = 0; c < MODEL_STATS; c++)
			json_member(f, ", ", name[c],
			    m->stats[k * MODEL_STATS + c]);
	}
	if (m->shift != NULL) {
		json_member(f, ", ", "shift", m->shift[k]);
		json_member(f, ", ", "scale", m->scale[k]);
	}
	fputs(last ? "}\n" : "},\n", f);
}

int
model_write_json(const struct model *m, FILE *f, struct error *e)
{
	fprintf(f, "{\n  \"model\": \"%s\",\n  \"target\": ",
	    m->poisson		   ? "poisson"
		: m->nclasses == 0 ? "regression"
		: m->outputs == 1  ? "logistic"
				   : "softmax");
	if (m->target != NULL)
		json_string(f, m->target);
	else
		fputs("null", f);
	if (m->nclasses > 0) {
		fputs(",\n  \"classes\": [", f);
		for (size_t c = 0; c < m->nclasses; c++) {
			fputs(c ? ", " : "", f);
			json_string(f, m->classes[c]);
		}
		fputs("]", f);
	}
	if (m->nclasses > 0 && m->outputs == 1) {
		fputs(",\n  \"positive\": ", f);
		json_string(f, m->classes[1]);
	}
	if (m->offset != NULL) {
		fprintf(f,
		    ",\n  \"%s\": ", m->exposure ? "exposure" : "offset");
		json_string(f, m->offset);
	}
	fputs(",\n  \"terms\": [\n", f);
	for (size_t b = 0; b < m->outputs; b++)
		for (size_t k = 0; k < m->nterms; k++)
			json_term(m, b, k,
			    b + 1 == m->outputs && k + 1 == m->nterms, f);
	fputs("  ]", f);
	interval_write_json(m, f);
	fputs("\n}\n", f);
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT, "writing the weights: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}
