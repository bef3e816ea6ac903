/*
 * interval.c: the interval data of a model (see interval.h), in the weights
 * CSV and JSON, and the intervals from them.
 *
 * In the CSV, fit --solver exact --intervals adds the columns xtx_center,
 * xtx_scale (each term's centre and scale), xtx_1 ... xtx_p (row k of C), then
 * sigma and df_residual (on the intercept's row, empty on the others); a fit
 * with --conformal adds conformal_n (the calibration rows) and conformal (the
 * kept scores, ascending, separated by spaces), on the first row only. Readers
 * that do not know them ignore later columns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "interval.h"
#include "json.h"
#include "model.h"
#include "num.h"
#include "scale.h"
#include "solve.h"

const char *const interval_words[] = { "confidence", "prediction", "conformal",
	NULL };

static int
is(const struct csv_record *rec, size_t j, const char *s)
{
	return strcmp(rec->field[j], s) == 0;
}

int
interval_header(struct interval_columns *c, const struct csv_record *rec,
    size_t at, const char *name, struct error *e)
{
	memset(c, 0, sizeof(*c));
	for (size_t j = at; j < rec->nfields; j++) {
		char want[32];

		if (is(rec, j, "xtx_center"))
			c->center = j;
		else if (is(rec, j, "xtx_scale"))
			c->scale = j;
		else if (is(rec, j, "sigma"))
			c->sigma = j;
		else if (is(rec, j, "df_residual"))
			c->df = j;
		else if (is(rec, j, "conformal_n"))
			c->conf_n = j;
		else if (is(rec, j, "conformal"))
			c->conf = j;
		else if (strncmp(rec->field[j], "xtx_", 4) == 0) {
			if (c->xtx == 0)
				c->xtx = j;
			snprintf(want, sizeof(want), "xtx_%zu", c->nxtx + 1);
			if (j != c->xtx + c->nxtx || !is(rec, j, want))
				return error_set(e, EXIT_INPUT,
				    "%s:%ld:%zu: column \"%s\", expected "
				    "\"%s\"",
				    name, rec->line, j + 1, rec->field[j],
				    want);
			c->nxtx++;
		}
	}
	if ((c->center || c->scale || c->sigma || c->df || c->xtx) &&
	    !(c->center && c->scale && c->sigma && c->df && c->xtx))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: the interval columns need all of xtx_center, "
		    "xtx_scale, xtx_1..., sigma and df_residual",
		    name, rec->line);
	if ((c->conf_n == 0) != (c->conf == 0))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: conformal_n and conformal go together", name,
		    rec->line);
	return 0;
}

static int
cell(const struct csv_record *rec, size_t j, const char *name, double *out,
    struct error *e)
{
	char value[128];

	if (rec->len[j] == 2 && memcmp(rec->field[j], "NA", 2) == 0) {
		*out = (double)NAN;
		return 0;
	}
	if (num_parse(rec->field[j], rec->len[j], out) == NUM_OK)
		return 0;
	error_quote(value, sizeof(value), rec->field[j], rec->len[j]);
	return error_set(e, EXIT_INPUT,
	    "%s:%ld:%zu: \"%s\" is not a number (an interval column)", name,
	    rec->line, j + 1, value);
}

/* The conformal cells of the first row: n, then the scores. */
static int
read_scores(const struct interval_columns *c, struct model *m,
    const struct csv_record *rec, const char *name, struct error *e)
{
	struct model_conformal *cf = xcalloc(1, sizeof(*cf));
	const char *s = rec->field[c->conf], *end = s + rec->len[c->conf];
	double n;

	m->conformal = cf;
	if (cell(rec, c->conf_n, name, &n, e))
		return -1;
	if (!(n >= 1 && n <= 1e15 && n == floor(n)))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: conformal_n must be a whole number of rows",
		    name, rec->line, c->conf_n + 1);
	cf->n = (size_t)n;
	while (s < end) {
		const char *t = memchr(s, ' ', (size_t)(end - s));
		size_t len = t ? (size_t)(t - s) : (size_t)(end - s);
		double v;

		if (num_parse(s, len, &v) != NUM_OK || isnan(v) ||
		    (cf->m > 0 && v < cf->score[cf->m - 1]))
			return error_set(e, EXIT_INPUT,
			    "%s:%ld:%zu: conformal score %zu is not a number "
			    "at least the one before it",
			    name, rec->line, c->conf + 1, cf->m + 1);
		cf->score = xreallocarray(cf->score, cf->m + 1, sizeof(double));
		cf->score[cf->m++] = v;
		s += len + (t != NULL);
	}
	if (cf->m == 0 || cf->m > cf->n)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: %zu conformal scores for %zu rows", name,
		    rec->line, c->conf + 1, cf->m, cf->n);
	return 0;
}

int
interval_read_row(const struct interval_columns *c, struct model *m, size_t k,
    const struct csv_record *rec, const char *name, struct error *e)
{
	struct model_iv *iv = m->iv;
	size_t p = c->nxtx;

	if (k == 0 && c->conf && read_scores(c, m, rec, name, e))
		return -1;
	if (!c->xtx)
		return 0;
	if (k >= p)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: more terms than xtx_ columns (%zu)", name,
		    rec->line, p);
	if (iv == NULL) {
		iv = m->iv = xcalloc(1, sizeof(*iv));
		iv->center = xcalloc(p, sizeof(double));
		iv->scale = xcalloc(p, sizeof(double));
		iv->xtx = xcalloc(p * p, sizeof(double));
		if (cell(rec, c->sigma, name, &iv->sigma, e) ||
		    cell(rec, c->df, name, &iv->df, e))
			return -1;
	}
	if (cell(rec, c->center, name, &iv->center[k], e) ||
	    cell(rec, c->scale, name, &iv->scale[k], e))
		return -1;
	for (size_t j = 0; j < p; j++)
		if (cell(rec, c->xtx + j, name, &iv->xtx[k * p + j], e))
			return -1;
	return 0;
}

int
interval_finish(const struct interval_columns *c, struct model *m,
    const char *name, struct error *e)
{
	if (c->xtx && c->nxtx != m->nterms)
		return error_set(e, EXIT_INPUT,
		    "%s: %zu xtx_ columns for %zu terms", name, c->nxtx,
		    m->nterms);
	if (c->xtx && m->nclasses > 0)
		return error_set(e, EXIT_INPUT,
		    "%s: xtx_ columns in a classification model", name);
	return 0;
}

/* ",v", NA for NaN (σ̂ with no residual degree of freedom). */
static void
number(FILE *f, double v)
{
	putc(',', f);
	if (isnan(v))
		fputs("NA", f);
	else
		num_write(f, v);
}

void
interval_write_header(const struct model *m, FILE *f)
{
	if (m->iv != NULL) {
		fputs(",xtx_center,xtx_scale", f);
		for (size_t j = 0; j < m->nterms; j++)
			fprintf(f, ",xtx_%zu", j + 1);
		fputs(",sigma,df_residual", f);
	}
	if (m->conformal != NULL)
		fputs(",conformal_n,conformal", f);
}

void
interval_write_cells(const struct model *m, size_t k, FILE *f)
{
	const struct model_iv *iv = m->iv;
	const struct model_conformal *cf = m->conformal;
	size_t p = m->nterms;

	if (iv != NULL && k < p) {
		number(f, iv->center[k]);
		number(f, iv->scale[k]);
		for (size_t j = 0; j < p; j++)
			number(f, iv->xtx[k * p + j]);
		if (k == 0) {
			number(f, iv->sigma);
			number(f, iv->df);
		} else
			fputs(",,", f);
	} else
		for (size_t j = 0; iv != NULL && j < p + 4; j++)
			putc(',', f);
	if (cf == NULL)
		return;
	if (k != 0) {
		fputs(",,", f);
		return;
	}
	fprintf(f, ",%zu,", cf->n);
	for (size_t j = 0; j < cf->m; j++) {
		if (j > 0)
			putc(' ', f);
		num_write(f, cf->score[j]);
	}
}

/* "[v, v, ...]" of n numbers. */
static void
json_numbers(FILE *f, const double *v, size_t n)
{
	putc('[', f);
	for (size_t j = 0; j < n; j++) {
		fputs(j ? ", " : "", f);
		num_write(f, v[j]);
	}
	putc(']', f);
}

void
interval_write_json(const struct model *m, FILE *f)
{
	const struct model_iv *iv = m->iv;
	size_t p = m->nterms;

	if (iv != NULL) {
		fputs(",\n  \"intervals\": {", f);
		json_member(f, "", "sigma", iv->sigma);
		json_member(f, ", ", "df_residual", iv->df);
		fputs(",\n    \"center\": ", f);
		json_numbers(f, iv->center, p);
		fputs(",\n    \"scale\": ", f);
		json_numbers(f, iv->scale, p);
		fputs(",\n    \"xtx\": [", f);
		for (size_t k = 0; k < p; k++) {
			fputs(k ? ",\n      " : "\n      ", f);
			json_numbers(f, iv->xtx + k * p, p);
		}
		fputs("]}", f);
	}
	if (m->conformal != NULL) {
		fprintf(f, ",\n  \"conformal\": {\"n\": %zu, \"scores\": ",
		    m->conformal->n);
		json_numbers(f, m->conformal->score, m->conformal->m);
		putc('}', f);
	}
}

static void
interval_free_iv(struct model *m)
{
	if (m->iv != NULL) {
		free(m->iv->center);
		free(m->iv->scale);
		free(m->iv->xtx);
		free(m->iv);
		m->iv = NULL;
	}
}

void
interval_free(struct model *m)
{
	interval_free_iv(m);
	if (m->conformal != NULL) {
		free(m->conformal->score);
		free(m->conformal);
		m->conformal = NULL;
	}
}

static int
ascending(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
interval_set_scores(struct model *m, double *s, size_t n)
{
	struct model_conformal *cf = xcalloc(1, sizeof(*cf));

	qsort(s, n, sizeof(double), ascending);
	cf->n = n;
	cf->m = n < INTERVAL_MAX_SCORES ? n : INTERVAL_MAX_SCORES;
	cf->score = xcalloc(cf->m, sizeof(double));
	/* Thinned: the j-th kept is the score of rank ⌈j·n/m⌉ (1-based). */
	for (size_t j = 1; j <= cf->m; j++)
		cf->score[j - 1] = s[(j * n + cf->m - 1) / cf->m - 1];
	m->conformal = cf;
}

/*
 * rank = ⌈(n + 1)·level⌉, computed so that a level such as 0.9 with n + 1 =
 * 10 gives 9, not 10 from 9.000000000000002: levels are decimal fractions
 * that a double rounds, so a product within 1e-9 of a whole number is that
 * number.
 */
double
interval_conformal_q(const struct model_conformal *c, double level)
{
	double want = (double)(c->n + 1) * level, rank = ceil(want);
	size_t j;

	if (rank - want > 1 - 1e-9)
		rank -= 1;
	if (rank > (double)c->n)
		return (double)INFINITY;
	if (rank < 1)
		rank = 1;
	/* The first kept score of rank at least rank: ⌈j·n/m⌉ ≥ rank. */
	j = (size_t)ceil(rank * (double)c->m / (double)c->n);
	if (j < 1)
		j = 1;
	while (j > 1 && ((j - 1) * c->n + c->m - 1) / c->m >= (size_t)rank)
		j--;
	while (j < c->m && (j * c->n + c->m - 1) / c->m < (size_t)rank)
		j++;
	return c->score[j - 1];
}

void
interval_lm(const struct model *m, enum interval_kind kind, double level,
    const double *x, double fit, double *lo, double *hi)
{
	const struct model_iv *iv = m->iv;
	size_t p = m->nterms;
	double *z = xcalloc(p, sizeof(double)), q = 0, var, t;

	z[0] = 1;
	for (size_t k = 1; k < p; k++)
		z[k] = iv->scale[k] != 0 ? (x[k] - iv->center[k]) / iv->scale[k]
					 : 0;
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++)
			q += z[a] * iv->xtx[a * p + b] * z[b];
	free(z);
	var = iv->sigma * iv->sigma * fmax(q, 0);
	if (kind == INTERVAL_PREDICTION)
		var += iv->sigma * iv->sigma;
	t = iv->df > 0 ? dist_t_quantile((1 + level) / 2, iv->df) : (double)NAN;
	*lo = fit - t * sqrt(var);
	*hi = fit + t * sqrt(var);
}

void
interval_from_fit(struct model *m, const struct solution *sol,
    const struct scaler *sc, const struct dataset *ds)
{
	size_t p = m->nterms, d = ds->d;
	size_t *term = xcalloc(d + 1, sizeof(size_t));
	struct model_iv *iv = xcalloc(1, sizeof(*iv));
	double df = (double)sol->nonzero - (double)sol->rank;

	/* Feature j is the term of its name (a categorical level's too). */
	for (size_t j = 0; j < d; j++)
		for (size_t k = 1; k < p; k++)
			if (strcmp(m->term[k], ds->names[j]) == 0)
				term[j + 1] = k;
	iv->df = df;
	iv->sigma = df > 0 ? sqrt(sol->rss / df) : (double)NAN;
	iv->center = xcalloc(p, sizeof(double));
	iv->scale = xcalloc(p, sizeof(double));
	iv->xtx = xcalloc(p * p, sizeof(double));
	iv->scale[0] = 1;
	for (size_t j = 1; j <= d; j++) {
		iv->center[term[j]] = sc->shift[j - 1];
		iv->scale[term[j]] = sc->scale[j - 1];
	}
	for (size_t a = 0; a <= d; a++)
		for (size_t b = 0; b <= d; b++)
			if (a == 0 || term[a] != 0)
				if (b == 0 || term[b] != 0)
					iv->xtx[term[a] * p + term[b]] =
					    sol->cov[a * (d + 1) + b];
	free(term);
	interval_free_iv(m);
	m->iv = iv;
}
