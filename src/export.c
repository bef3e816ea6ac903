/*
 * export.c: a model as SQL, C, Python or awk (export.h).
 *
 * Every language gets the same pieces: the value of each term (a number from
 * its column, or a level's indicator, with the impute value for a missing
 * cell), the score of each output as w0 + w1·x1 + ... summed left to right as
 * predict sums them, and then the output: the score, the logistic of it, or the
 * label of the highest score. A language is a table of how it writes those
 * pieces.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "num.h"
#include "terms.h"

/* A term's column, and the level it indicates (NULL for a number). */
struct term {
	char *column;
	const char *level;
	size_t index; /* of its column among the distinct ones */
};

struct exporter {
	const struct model *m;
	FILE *f;
	struct term *term; /* (nterms); [0], the intercept, unused */
	char **column;	   /* (ncolumns) distinct columns, in term order */
	int *text;	   /* (ncolumns) 1: a text column (levels) */
	char **ident;	   /* (ncolumns) C identifiers for them */
	size_t ncolumns;
};

/* A double as the shortest text that reads back to the same bits (num.h). */
static void
number(FILE *f, double x)
{
	num_write(f, x);
}

/* The column of term k: the name before the first '=' for an indicator. */
static void
split_terms(struct exporter *x)
{
	const struct model *m = x->m;

	x->term = xcalloc(m->nterms, sizeof(*x->term));
	x->column = xcalloc(m->nterms, sizeof(*x->column));
	x->text = xcalloc(m->nterms, sizeof(*x->text));
	x->ident = xcalloc(m->nterms, sizeof(*x->ident));
	for (size_t k = 1; k < m->nterms; k++) {
		const char *eq = strchr(m->term[k], '=');
		size_t len =
		    eq ? (size_t)(eq - m->term[k]) : strlen(m->term[k]);
		size_t c;

		x->term[k].column = xcalloc(len + 1, 1);
		memcpy(x->term[k].column, m->term[k], len);
		x->term[k].level = eq ? eq + 1 : NULL;
		for (c = 0; c < x->ncolumns; c++)
			if (strcmp(x->column[c], x->term[k].column) == 0)
				break;
		if (c == x->ncolumns) {
			x->column[c] = x->term[k].column;
			x->ncolumns++;
		}
		x->text[c] |= eq != NULL;
		x->term[k].index = c;
	}
}

/*
 * C identifiers for the columns: letters, digits and _ kept, anything else
 * made _, a leading digit prefixed with _, and a clash with an earlier one
 * given the column's number.
 */
static void
make_identifiers(struct exporter *x)
{
	for (size_t c = 0; c < x->ncolumns; c++) {
		const char *s = x->column[c];
		size_t len = strlen(s);
		char *id = xcalloc(len + 24, 1), *p = id;

		if (len == 0 || isdigit((unsigned char)s[0]))
			*p++ = '_';
		for (size_t i = 0; i < len; i++)
			*p++ = isalnum((unsigned char)s[i]) ? s[i] : '_';
		for (size_t b = 0; b < c; b++)
			if (strcmp(x->ident[b], id) == 0) {
				snprintf(p, 24, "_%zu", c + 1);
				break;
			}
		x->ident[c] = id;
	}
}

static void
exporter_free(struct exporter *x)
{
	for (size_t k = 1; k < x->m->nterms; k++)
		free(x->term[k].column);
	for (size_t c = 0; c < x->ncolumns; c++)
		free(x->ident[c]);
	free(x->term);
	free(x->column);
	free(x->text);
	free(x->ident);
}

/* s as a quoted literal: quote doubled (SQL) or backslash-escaped. */
static void
literal(FILE *f, const char *s, char quote, int doubled)
{
	fputc(quote, f);
	for (; *s != '\0'; s++) {
		if (*s == quote)
			fputc(doubled ? quote : '\\', f);
		else if (*s == '\\' && !doubled)
			fputc('\\', f);
		if (*s == '\n' && !doubled)
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc(quote, f);
}

/* ------------------------------------------------------------------------ */
/* The languages                                                              */
/* ------------------------------------------------------------------------ */

/* How a language writes the value of term k (its column and level). */
static void
sql_term(const struct exporter *x, size_t k)
{
	const struct term *t = &x->term[k];
	FILE *f = x->f;
	double impute = x->m->impute[k];

	if (t->level == NULL) {
		fputs(isnan(impute) ? "CAST(" : "COALESCE(CAST(", f);
		literal(f, t->column, '"', 1);
		fputs(" AS REAL)", f);
		if (!isnan(impute)) {
			fputs(", ", f);
			number(f, impute);
			fputc(')', f);
		}
		return;
	}
	fputs("(CASE WHEN ", f);
	literal(f, t->column, '"', 1);
	fputs(" IS NULL THEN ", f);
	if (isnan(impute))
		fputs("NULL", f);
	else
		number(f, impute);
	fputs(" WHEN ", f);
	literal(f, t->column, '"', 1);
	fputs(" = ", f);
	literal(f, t->level, '\'', 1);
	fputs(" THEN 1 ELSE 0 END)", f);
}

static void
c_term(const struct exporter *x, size_t k)
{
	const struct term *t = &x->term[k];
	const char *id = x->ident[t->index];
	double impute = x->m->impute[k];

	if (t->level == NULL) {
		if (isnan(impute)) {
			fputs(id, x->f);
			return;
		}
		fprintf(x->f, "(isnan(%s) ? ", id);
		number(x->f, impute);
		fprintf(x->f, " : %s)", id);
		return;
	}
	fprintf(x->f, "(%s == NULL ? ", id);
	if (isnan(impute))
		fputs("NAN", x->f);
	else
		number(x->f, impute);
	fprintf(x->f, " : strcmp(%s, ", id);
	literal(x->f, t->level, '"', 0);
	fputs(") == 0 ? 1.0 : 0.0)", x->f);
}

static void
python_term(const struct exporter *x, size_t k)
{
	const struct term *t = &x->term[k];
	double impute = x->m->impute[k];

	fputs(t->level == NULL ? "_num(row, " : "_level(row, ", x->f);
	literal(x->f, t->column, '\'', 0);
	if (t->level != NULL) {
		fputs(", ", x->f);
		literal(x->f, t->level, '\'', 0);
	}
	fputs(", ", x->f);
	if (isnan(impute))
		fputs("None", x->f);
	else
		number(x->f, impute);
	fputc(')', x->f);
}

static void
awk_term(const struct exporter *x, size_t k)
{
	const struct term *t = &x->term[k];
	double impute = x->m->impute[k];

	fputs(t->level == NULL ? "num(" : "level(", x->f);
	literal(x->f, t->column, '"', 0);
	if (t->level != NULL) {
		fputs(", ", x->f);
		literal(x->f, t->level, '"', 0);
	}
	fputs(", ", x->f);
	if (isnan(impute))
		fputs("\"\"", x->f);
	else
		number(x->f, impute);
	fputc(')', x->f);
}

/*
 * w0 + w1·x1 + ... of output b, one term a line after indent, the terms written
 * by term(); a negative weight as a subtraction, which rounds the same.
 */
static void
score(const struct exporter *x, size_t b, const char *indent,
    void (*term)(const struct exporter *, size_t))
{
	const struct model *m = x->m;

	number(x->f, m->weight[b * m->nterms]);
	for (size_t k = 1; k < m->nterms; k++) {
		double w = m->weight[b * m->nterms + k];

		/* awk ends an expression at a newline unless it is escaped */
		fprintf(x->f, "%s\n%s%s ", term == awk_term ? " \\" : "",
		    indent, signbit(w) ? "-" : "+");
		number(x->f, fabs(w));
		fputs(" * ", x->f);
		term(x, k);
	}
}

static const char *
kind(const struct model *m)
{
	return m->nclasses == 0 ? "regression"
	    : m->outputs == 1	? "logistic"
				: "softmax";
}

static void
sql(const struct exporter *x, const char *table)
{
	const struct model *m = x->m;
	FILE *f = x->f;

	if (m->outputs == 1) {
		fputs(m->nclasses ? "SELECT 1.0 / (1.0 + EXP(-(" : "SELECT ",
		    f);
		score(x, 0, "    ", sql_term);
		fputs(m->nclasses ? "))) AS prediction\nFROM "
				  : " AS prediction\nFROM ",
		    f);
		literal(f, table, '"', 1);
		fputs(";\n", f);
		return;
	}
	/* softmax: the scores in a subquery, the first highest's label outside
	 */
	fputs("SELECT CASE\n    WHEN ", f);
	for (size_t b = 0; b < m->outputs; b++)
		fprintf(f, "%sz%zu IS NULL", b ? " OR " : "", b);
	fputs(" THEN NULL", f);
	for (size_t b = 0; b + 1 < m->outputs; b++) {
		fputs("\n    WHEN ", f);
		for (size_t c = b + 1; c < m->outputs; c++)
			fprintf(f, "%sz%zu >= z%zu", c > b + 1 ? " AND " : "",
			    b, c);
		fputs(" THEN ", f);
		literal(f, m->classes[b], '\'', 1);
	}
	fputs("\n    ELSE ", f);
	literal(f, m->classes[m->outputs - 1], '\'', 1);
	fputs(" END AS prediction\nFROM (SELECT", f);
	for (size_t b = 0; b < m->outputs; b++) {
		fputs(b ? ",\n    " : "\n    ", f);
		score(x, b, "        ", sql_term);
		fprintf(f, " AS z%zu", b);
	}
	fputs("\n  FROM ", f);
	literal(f, table, '"', 1);
	fputs(");\n", f);
}

static void
c_function(const struct exporter *x)
{
	const struct model *m = x->m;
	FILE *f = x->f;

	fputs("#include <math.h>\n#include <stddef.h>\n#include <string.h>\n\n"
	      "/*\n * The parameters, one per column the model reads:\n",
	    f);
	for (size_t c = 0; c < x->ncolumns; c++) {
		fprintf(f, " *   %-16s ", x->ident[c]);
		literal(f, x->column[c], '"', 0);
		fputs(x->text[c] ? ", its text (NULL: missing)\n"
				 : " (NaN: missing)\n",
		    f);
	}
	fputs(" * Compile without contracting a*b+c into one rounding (as "
	      "descend\n"
	      " * is: -ffp-contract=off) for predict's very bits.\n */\n",
	    f);
	fputs(m->outputs > 1 ? "const char *\n" : "double\n", f);
	fputs("descend_predict(", f);
	for (size_t c = 0; c < x->ncolumns; c++)
		fprintf(f, "%s%s%s", c ? ", " : "",
		    x->text[c] ? "const char *" : "double ", x->ident[c]);
	fputs(x->ncolumns ? ")\n{\n" : "void)\n{\n", f);
	fprintf(f, "\tdouble z[%zu];\n\n", m->outputs);
	for (size_t b = 0; b < m->outputs; b++) {
		fprintf(f, "\tz[%zu] = ", b);
		score(x, b, "\t    ", c_term);
		fputs(";\n", f);
	}
	if (m->outputs == 1) {
		fputs(m->nclasses ? "\treturn 1 / (1 + exp(-z[0]));\n}\n"
				  : "\treturn z[0];\n}\n",
		    f);
		return;
	}
	fputs("\tstatic const char *const label[] = {", f);
	for (size_t b = 0; b < m->outputs; b++) {
		fputs(b ? ", " : " ", f);
		literal(f, m->classes[b], '"', 0);
	}
	fprintf(f,
	    " };\n\tsize_t best = 0;\n\n\tfor (size_t k = 0; k < %zu; k++)\n"
	    "\t\tif (isnan(z[k]))\n\t\t\treturn NULL;\n"
	    "\tfor (size_t k = 1; k < %zu; k++)\n\t\tif (z[k] > z[best])\n"
	    "\t\t\tbest = k;\n\treturn label[best];\n}\n",
	    m->outputs, m->outputs);
}

static void
python(const struct exporter *x)
{
	const struct model *m = x->m;
	FILE *f = x->f;

	fputs("import math\n\n\n"
	      "def _missing(v):\n"
	      "    return v is None or v == '' or v == 'NA' or "
	      "(isinstance(v, float) and math.isnan(v))\n\n\n"
	      "def _num(row, column, impute):\n"
	      "    v = row[column]\n"
	      "    if _missing(v):\n"
	      "        return math.nan if impute is None else impute\n"
	      "    return float(v)\n\n\n"
	      "def _level(row, column, level, impute):\n"
	      "    v = row[column]\n"
	      "    if _missing(v):\n"
	      "        return math.nan if impute is None else impute\n"
	      "    return 1.0 if str(v) == level else 0.0\n\n\n"
	      "def predict(row):\n"
	      "    \"\"\"The model's prediction for row, a mapping from column "
	      "names to cells.\"\"\"\n",
	    f);
	for (size_t b = 0; b < m->outputs; b++) {
		fprintf(f, "    z%zu = (", b);
		score(x, b, "        ", python_term);
		fputs(")\n", f);
	}
	if (m->outputs == 1) {
		fputs(m->nclasses
			? "    if math.isnan(z0):\n        return None\n"
			  "    return 1 / (1 + math.exp(-z0))\n"
			: "    return None if math.isnan(z0) else z0\n",
		    f);
		return;
	}
	fputs("    z = [", f);
	for (size_t b = 0; b < m->outputs; b++)
		fprintf(f, "%sz%zu", b ? ", " : "", b);
	fputs("]\n    if any(math.isnan(v) for v in z):\n        return None\n"
	      "    labels = [",
	    f);
	for (size_t b = 0; b < m->outputs; b++) {
		fputs(b ? ", " : "", f);
		literal(f, m->classes[b], '\'', 0);
	}
	fputs("]\n    return labels[max(range(len(z)), key=lambda k: (z[k], "
	      "-k))]\n",
	    f);
}

static void
awk_program(const struct exporter *x)
{
	const struct model *m = x->m;
	FILE *f = x->f;

	fputs("# usage: awk -F, -f THIS data.csv (a CSV with a header; a "
	      "field's\n"
	      "# surrounding double quotes are dropped, so no field may hold "
	      "the\n"
	      "# delimiter)\n"
	      "function cell(name,  v) {\n"
	      "\tif (!(name in col)) { print \"no column \" name > "
	      "\"/dev/stderr\"; "
	      "exit 1 }\n"
	      "\tv = $(col[name]); gsub(/^\"|\"$/, \"\", v); return v\n}\n"
	      "function num(name, impute,  v) {\n"
	      "\tv = cell(name)\n"
	      "\tif (v == \"\" || v == \"NA\") { if (impute == \"\") missing = "
	      "1; "
	      "return impute + 0 }\n"
	      "\treturn v + 0\n}\n"
	      "function level(name, lv, impute,  v) {\n"
	      "\tv = cell(name)\n"
	      "\tif (v == \"\" || v == \"NA\") { if (impute == \"\") missing = "
	      "1; "
	      "return impute + 0 }\n"
	      "\treturn v == lv ? 1 : 0\n}\n"
	      "NR == 1 {\n\tfor (i = 1; i <= NF; i++) { n = $i; "
	      "gsub(/^\"|\"$/, \"\", n); col[n] = i }\n"
	      "\tprint \"prediction\"; next\n}\n{\n\tmissing = 0\n",
	    f);
	for (size_t b = 0; b < m->outputs; b++) {
		fprintf(f, "\tz%zu = ", b);
		score(x, b, "\t    ", awk_term);
		fputc('\n', f);
	}
	fputs("\tif (missing) { print \"\"; next }\n", f);
	if (m->outputs == 1) {
		fputs(m->nclasses
			? "\tprintf \"%.17g\\n\", 1 / (1 + exp(-z0))\n}\n"
			: "\tprintf \"%.17g\\n\", z0\n}\n",
		    f);
		return;
	}
	/* The first of the highest scores: a later one must be strictly higher.
	 */
	fputs("\ttop = z0; label = ", f);
	literal(f, m->classes[0], '"', 0);
	fputc('\n', f);
	for (size_t b = 1; b < m->outputs; b++) {
		fprintf(f, "\tif (z%zu > top) { top = z%zu; label = ", b, b);
		literal(f, m->classes[b], '"', 0);
		fputs(" }\n", f);
	}
	fputs("\tprint label\n}\n", f);
}

int
export_model(const struct model *m, enum export_language language,
    const char *table, const char *source, FILE *f, struct error *e)
{
	struct exporter x = { .m = m, .f = f };
	const char *open = language == EXPORT_SQL ? "-- "
	    : language == EXPORT_C		  ? "/* "
						  : "# ";

	for (size_t k = 1; k < m->nterms; k++)
		if (term_is_product(m->term[k]))
			return error_set(e, EXIT_INPUT,
			    "%s: the term \"%s\" is a product (fit "
			    "--interact, --poly or --cross), which export "
			    "cannot write yet: use descend predict",
			    source, m->term[k]);
	split_terms(&x);
	make_identifiers(&x);
	fprintf(f, "%sdescend export: the %s model of %s%s\n", open, kind(m),
	    source, language == EXPORT_C ? " */" : "");
	switch (language) {
	case EXPORT_SQL:
		sql(&x, table);
		break;
	case EXPORT_C:
		c_function(&x);
		break;
	case EXPORT_PYTHON:
		python(&x);
		break;
	case EXPORT_AWK:
		awk_program(&x);
		break;
	}
	exporter_free(&x);
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT,
		    "writing the exported model failed");
	return 0;
}
