/*
 * model_json.c: a small JSON reader (RFC 8259: objects, arrays, strings with
 * their escapes, numbers, true, false, null) into a tree, and the tree of a
 * model into its weights CSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "model.h"
#include "model_json.h"
#include "num.h"

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

/* A value: a string's text (decoded), a number's text, or members/items. */
struct jvalue {
	enum jtype type;
	char *text;	      /* J_STRING, J_NUMBER */
	size_t n;	      /* J_ARRAY, J_OBJECT: items */
	char **key;	      /* J_OBJECT: (n) member names */
	struct jvalue **item; /* (n) */
};

struct jparser {
	const char *s, *end, *start;
	int depth;
};

static void
jfree(struct jvalue *v)
{
	if (v == NULL)
		return;
	for (size_t k = 0; k < v->n; k++) {
		if (v->key != NULL)
			free(v->key[k]);
		jfree(v->item[k]);
	}
	free(v->key);
	free(v->item);
	free(v->text);
	free(v);
}

static void
skip_space(struct jparser *p)
{
	while (p->s < p->end && strchr(" \t\r\n", *p->s) != NULL && *p->s)
		p->s++;
}

/* Append the code point c to buf as UTF-8. */
static size_t
put_utf8(char *buf, unsigned long c)
{
	if (c < 0x80) {
		buf[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		buf[0] = (char)(0xc0 | c >> 6);
		buf[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		buf[0] = (char)(0xe0 | c >> 12);
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | c >> 18);
	buf[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Four hex digits at p->s into *c; -1 if they are not. */
static int
hex4(struct jparser *p, unsigned long *c)
{
	*c = 0;
	for (int i = 0; i < 4; i++, p->s++) {
		char h = p->s < p->end ? *p->s : '\0';

		if (h >= '0' && h <= '9')
			*c = *c * 16 + (unsigned long)(h - '0');
		else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
			*c = *c * 16 + (unsigned long)((h | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* A string at p->s (its opening quote) into a malloc'd text, or NULL. */
static char *
jstring(struct jparser *p)
{
	/* Each escape is no shorter than what it decodes to. */
	char *out = malloc((size_t)(p->end - p->s) + 1);
	size_t n = 0;
	int bad = 0; /* an escape that is not one */

	if (out == NULL)
		error_out_of_memory();
	for (p->s++; p->s < p->end && *p->s != '"'; p->s++) {
		unsigned long c, lo;
		const char *esc = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *at;

		if ((unsigned char)*p->s < 0x20)
			break;
		if (*p->s != '\\') {
			out[n++] = *p->s;
			continue;
		}
		if (++p->s == p->end)
			break;
		if (*p->s != 'u' && (at = strchr(esc, *p->s)) != NULL &&
		    *p->s != '\0') {
			out[n++] = to[at - esc];
			continue;
		}
		p->s++;
		if ((hex4(p, &c) != 0 || c == 0) && (bad = 1))
			break; /* a NUL would end the name */
		if (c >= 0xd800 && c < 0xdc00 && p->end - p->s >= 6 &&
		    p->s[0] == '\\' && p->s[1] == 'u') {
			p->s += 2;
			if ((hex4(p, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) &&
			    (bad = 1))
				break;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		}
		p->s--;
		n += put_utf8(out + n, c);
	}
	if (bad || p->s >= p->end || *p->s != '"') {
		free(out);
		return NULL;
	}
	p->s++;
	out[n] = '\0';
	return out;
}

static struct jvalue *jvalue(struct jparser *p);

/* The items of an array or the members of an object, after its bracket. */
static struct jvalue *
jitems(struct jparser *p, struct jvalue *v, char close)
{
	p->s++;
	skip_space(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jvalue *item;

		skip_space(p);
		if (close == '}') {
			if (p->s >= p->end || *p->s != '"' ||
			    (key = jstring(p)) == NULL)
				break;
			skip_space(p);
			if (p->s >= p->end || *p->s != ':') {
				free(key);
				break;
			}
			p->s++;
		}
		if ((item = jvalue(p)) == NULL) {
			free(key);
			break;
		}
		v->item = xreallocarray(v->item, v->n + 1, sizeof(*v->item));
		if (close == '}')
			v->key =
			    xreallocarray(v->key, v->n + 1, sizeof(*v->key));
		if (close == '}')
			v->key[v->n] = key;
		v->item[v->n++] = item;
		skip_space(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == close) {
			p->s++;
			return v;
		}
		break;
	}
	jfree(v);
	return NULL;
}

/* A number's text: what RFC 8259's grammar takes. */
static char *
jnumber(struct jparser *p)
{
	const char *from = p->s;
	double x;

	while (p->s < p->end && *p->s != '\0' &&
	    strchr("+-0123456789.eE", *p->s) != NULL)
		p->s++;
	if (num_parse(from, (size_t)(p->s - from), &x) != NUM_OK)
		return NULL;
	{
		char *t = xmalloc((size_t)(p->s - from) + 1);

		memcpy(t, from, (size_t)(p->s - from));
		t[p->s - from] = '\0';
		return t;
	}
}

static struct jvalue *
jvalue(struct jparser *p)
{
	struct jvalue *v = xcalloc(1, sizeof(*v));
	static const char *const word[] = { "null", "true", "false" };

	skip_space(p);
	if (p->s >= p->end || ++p->depth > 64) {
		free(v);
		return NULL;
	}
	if (*p->s == '{' || *p->s == '[') {
		v->type = *p->s == '{' ? J_OBJECT : J_ARRAY;
		v = jitems(p, v, *p->s == '{' ? '}' : ']');
		p->depth--;
		return v;
	}
	p->depth--;
	if (*p->s == '"') {
		v->type = J_STRING;
		if ((v->text = jstring(p)) != NULL)
			return v;
		free(v);
		return NULL;
	}
	for (int k = 0; k < 3; k++) {
		size_t n = strlen(word[k]);

		if ((size_t)(p->end - p->s) >= n &&
		    memcmp(p->s, word[k], n) == 0) {
			p->s += n;
			v->type = k ? J_BOOL : J_NULL;
			return v;
		}
	}
	v->type = J_NUMBER;
	if ((v->text = jnumber(p)) != NULL)
		return v;
	free(v);
	return NULL;
}

/* Member key of object v, or NULL. */
static const struct jvalue *
jget(const struct jvalue *v, const char *key)
{
	if (v == NULL || v->type != J_OBJECT)
		return NULL;
	for (size_t k = 0; k < v->n; k++)
		if (strcmp(v->key[k], key) == 0)
			return v->item[k];
	return NULL;
}

/* A number member as CSV text: its digits, "" for null; NULL if neither. */
static const char *
jcell(const struct jvalue *term, const char *key)
{
	const struct jvalue *v = jget(term, key);

	if (v != NULL && v->type == J_NUMBER)
		return v->text;
	return v != NULL && v->type == J_NULL ? "" : NULL;
}

/* What the CSV has besides the terms' first columns (model.h). */
struct layout {
	int classes;			/* a class column */
	int impute;			/* an impute column */
	int scaling;			/* shift and scale columns */
	const struct jvalue *iv;	/* "intervals", or NULL */
	const struct jvalue *conformal; /* "conformal", or NULL */
	size_t p;			/* xtx_ columns */
	const char *target;		/* the target column's cell, or NULL */
};

/* ",v" of a number item of an interval member, NA for null. */
static int
put_number(FILE *f, const struct jvalue *v)
{
	if (v == NULL || (v->type != J_NUMBER && v->type != J_NULL))
		return -1;
	fprintf(f, ",%s", v->type == J_NUMBER ? v->text : "NA");
	return 0;
}

/* Item k of array member key of v, or NULL. */
static const struct jvalue *
jitem(const struct jvalue *v, const char *key, size_t k)
{
	const struct jvalue *a = jget(v, key);

	return a != NULL && a->type == J_ARRAY && k < a->n ? a->item[k] : NULL;
}

/*
 * The interval cells of row k (interval.c's columns): k >= p, a row that is
 * no term's (a Poisson row, the reference), has them empty.
 */
static int
interval_cells(const struct layout *l, size_t k, FILE *f)
{
	const struct jvalue *row = jitem(l->iv, "xtx", k), *cf = l->conformal;

	for (size_t j = 0; l->iv != NULL && k >= l->p && j < l->p + 4; j++)
		putc(',', f);
	if (l->iv != NULL && k < l->p) {
		if (put_number(f, jitem(l->iv, "center", k)) ||
		    put_number(f, jitem(l->iv, "scale", k)) || row == NULL ||
		    row->type != J_ARRAY || row->n != l->p)
			return -1;
		for (size_t j = 0; j < l->p; j++)
			if (put_number(f, row->item[j]))
				return -1;
		if (k > 0)
			fputs(",,", f);
		else if (put_number(f, jget(l->iv, "sigma")) ||
		    put_number(f, jget(l->iv, "df_residual")))
			return -1;
	}
	if (cf == NULL)
		return 0;
	if (k != 0) {
		fputs(",,", f);
		return 0;
	}
	if (jcell(cf, "n") == NULL || jget(cf, "scores") == NULL ||
	    jget(cf, "scores")->type != J_ARRAY)
		return -1;
	fprintf(f, ",%s,", jcell(cf, "n"));
	for (size_t j = 0; j < jget(cf, "scores")->n; j++) {
		const char *v = jitem(cf, "scores", j)->text;

		if (v == NULL)
			return -1;
		fprintf(f, "%s%s", j ? " " : "", v);
	}
	return 0;
}

/* The end of a row: its interval cells, its target cell, a newline. */
static int
end_row(const struct layout *l, size_t k, FILE *f)
{
	if (interval_cells(l, k, f))
		return -1;
	if (l->target) {
		putc(',', f);
		csv_write_field(f, l->target, ',');
	}
	putc('\n', f);
	return 0;
}

/* A row that is not a term: the Poisson row, its offset, the reference. */
static int
other_row(const struct layout *l, const char *term, const char *class,
    const char *w, FILE *f)
{
	csv_write_field(f, term, ',');
	if (class != NULL) {
		putc(',', f);
		csv_write_field(f, class, ',');
	}
	fprintf(f, ",%s,%s", w, w);
	fputs(l->impute ? "," : "", f);
	fputs(l->scaling ? ",," : "", f);
	return end_row(l, (size_t)-1, f);
}

/* The header of the weights CSV. */
static void
write_header(const struct layout *l, FILE *f)
{
	fputs(l->classes ? "term,class,weight,std_weight"
			 : "term,weight,std_weight",
	    f);
	fputs(l->impute ? ",impute" : "", f);
	fputs(l->scaling ? ",shift,scale" : "", f);
	if (l->iv != NULL) {
		fputs(",xtx_center,xtx_scale", f);
		for (size_t j = 0; j < l->p; j++)
			fprintf(f, ",xtx_%zu", j + 1);
		fputs(",sigma,df_residual", f);
	}
	fputs(l->conformal ? ",conformal_n,conformal" : "", f);
	fputs(l->target ? ",target\n" : "\n", f);
}

/* A Poisson model's rows after its terms, and its offset's. */
static int
poisson_rows(const struct layout *l, const struct jvalue *root, FILE *f)
{
	const struct jvalue *off = jget(root, "offset"),
			    *exp = jget(root, "exposure"), *col;
	char *term;
	int status;

	if (other_row(l, MODEL_POISSON, NULL, "0", f))
		return -1;
	if ((col = off != NULL ? off : exp) == NULL || col->type == J_NULL)
		return 0;
	if (col->type != J_STRING || (off != NULL && exp != NULL))
		return -1;
	term = xmalloc(strlen(MODEL_EXPOSURE) + strlen(col->text) + 1);
	strcpy(term, off != NULL ? MODEL_OFFSET : MODEL_EXPOSURE);
	strcat(term, col->text);
	status = other_row(l, term, NULL, "1", f);
	free(term);
	return status;
}

/* *why = what, and -1. */
static int
missing(const char **why, const char *what)
{
	*why = what;
	return -1;
}

/*
 * The rows of the weights CSV for the terms of root into f; -1 if wrong, with
 * *fault the term at fault (from 1; 0: none) and *why what it lacks, if known.
 */
static int
write_rows(const struct jvalue *root, FILE *f, const struct layout *l,
    int poisson, size_t *fault, const char **why)
{
	const struct jvalue *terms = jget(root, "terms");
	const struct jvalue *list = jget(root, "classes");
	const struct jvalue *positive = jget(root, "positive");

	if (terms == NULL || terms->type != J_ARRAY)
		return -1;
	write_header(l, f);
	for (size_t k = 0; k < terms->n; k++) {
		const struct jvalue *t = terms->item[k],
				    *name = jget(t, "term"),
				    *class = jget(t, "class");
		const char *w = jcell(t, "weight"),
			   *sw = jcell(t, "std_weight"),
			   *im = jcell(t, "impute"), *sh = jcell(t, "shift"),
			   *sc = jcell(t, "scale");

		*fault = k + 1;
		if (name == NULL || name->type != J_STRING)
			return missing(why, "a string \"term\"");
		if (l->classes && (class == NULL || class->type != J_STRING))
			return missing(why, "a string \"class\"");
		if (w == NULL || sw == NULL)
			return missing(why,
			    "numbers \"weight\" and "
			    "\"std_weight\"");
		if ((l->impute && im == NULL) ||
		    (l->scaling && (sh == NULL || sc == NULL)))
			return missing(why,
			    "\"impute\", or \"shift\" and "
			    "\"scale\", as the first term");
		csv_write_field(f, name->text, ',');
		if (l->classes) {
			putc(',', f);
			csv_write_field(f, class->text, ',');
		}
		fprintf(f, ",%s,%s", w, sw);
		if (l->impute)
			fprintf(f, ",%s", im);
		if (l->scaling)
			fprintf(f, ",%s,%s", sh, sc);
		if (end_row(l, k, f))
			return missing(why,
			    "its row of \"intervals\" or "
			    "\"conformal\"");
	}
	*fault = 0;
	if (poisson)
		return poisson_rows(l, root, f);
	if (positive == NULL)
		return 0;
	/* logistic: the (reference) row, the class that is not positive */
	for (size_t c = 0; list != NULL && list->type == J_ARRAY &&
	     positive->type == J_STRING && c < list->n;
	     c++) {
		if (list->item[c]->type != J_STRING ||
		    strcmp(list->item[c]->text, positive->text) == 0)
			continue;
		return other_row(l, MODEL_REFERENCE, list->item[c]->text, "0",
		    f);
	}
	return -1;
}

/* Whether word is one of the space-separated words of list. */
static int
known(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *w = list; n > 0 && (w = strstr(w, word)) != NULL;
	     w += n)
		if ((w == list || w[-1] == ' ') && (w[n] == ' ' || !w[n]))
			return 1;
	return 0;
}

int
model_json_to_csv(const char *text, size_t len, const char *name, char **csv,
    size_t *csv_len, struct error *e)
{
	struct jparser p = { .s = text, .end = text + len, .start = text };
	struct jvalue *root;
	const struct jvalue *kind, *target, *terms, *first;
	struct layout l = { 0 };
	const char *why = NULL;
	size_t fault = 0;
	FILE *f;
	int status = -1;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		p.s += 3;
	root = jvalue(&p);
	skip_space(&p);
	if (root == NULL || p.s != p.end) {
		jfree(root);
		return error_set(e, EXIT_INPUT,
		    "%s: byte %zu: not valid JSON (the weights file fit "
		    "--format json writes)",
		    name, (size_t)(p.s - p.start) + 1);
	}
	kind = jget(root, "model");
	target = jget(root, "target");
	terms = jget(root, "terms");
	first = terms != NULL && terms->type == J_ARRAY && terms->n > 0
	    ? terms->item[0]
	    : NULL;
	l.impute = jget(first, "impute") != NULL;
	l.scaling = jget(first, "shift") != NULL;
	l.iv = jget(root, "intervals");
	l.conformal = jget(root, "conformal");
	l.p = terms != NULL && terms->type == J_ARRAY ? terms->n : 0;
	l.target =
	    target != NULL && target->type == J_STRING ? target->text : NULL;
	*csv = NULL;
	if (kind != NULL && kind->type == J_STRING &&
	    known(kind->text, "regression logistic softmax poisson") &&
	    (f = open_memstream(csv, csv_len)) != NULL) {
		l.classes = strcmp(kind->text, "regression") != 0 &&
		    strcmp(kind->text, "poisson") != 0;
		status = write_rows(root, f, &l,
		    strcmp(kind->text, "poisson") == 0, &fault, &why);
		if (fclose(f) != 0)
			status = -1;
	}
	jfree(root);
	if (status == 0)
		return 0;
	free(*csv);
	*csv = NULL;
	if (fault > 0 && why != NULL)
		return error_set(e, EXIT_INPUT,
		    "%s: term %zu of \"terms\" lacks %s (the weights file fit "
		    "--format json writes)",
		    name, fault, why);
	return error_set(e, EXIT_INPUT,
	    "%s: JSON that is not a model as fit --format json writes it (a "
	    "\"model\", and \"terms\" with \"term\", \"weight\" and "
	    "\"std_weight\")",
	    name);
}
