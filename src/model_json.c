/*
 * model_json.c: reading the JSON weights file (model_json.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_json.h"
#include "num.h"

/* Nesting deeper than this in a skipped value is refused. */
#define JSON_DEPTH 64

struct parser {
	const char *s, *at, *end;
	const char *name;
	struct error *e;
};

/* One entry of "terms". */
struct entry {
	char *term, *cls;
	double weight, std_weight, impute, shift, scale;
	int has_weight, has_std, has_impute, has_scaling;
};

/* An error at the parser's position, by line. */
static int
fail(struct parser *p, const char *what)
{
	long line = 1;

	for (const char *c = p->s; c < p->at && c < p->end; c++)
		line += *c == '\n';
	return error_set(p->e, EXIT_INPUT, "%s:%ld: %s", p->name, line, what);
}

static void
space(struct parser *p)
{
	while (p->at < p->end && strchr(" \t\r\n", *p->at) != NULL)
		p->at++;
}

/* The next byte after spaces is c: taken, 1; else 0. */
static int
take(struct parser *p, char c)
{
	space(p);
	if (p->at < p->end && *p->at == c) {
		p->at++;
		return 1;
	}
	return 0;
}

static int
literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	space(p);
	if ((size_t)(p->end - p->at) < n || memcmp(p->at, word, n) != 0)
		return 0;
	p->at += n;
	return 1;
}

/* Four hex digits at s into *v. */
static int
hex4(const char *s, const char *end, unsigned *v)
{
	*v = 0;
	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = s[i];

		*v = *v << 4 |
		    (unsigned)(c >= '0' && c <= '9' ? c - '0'
			    : c >= 'a' && c <= 'f'  ? c - 'a' + 10
			    : c >= 'A' && c <= 'F'  ? c - 'A' + 10
						    : 16);
		if ((c < '0' || c > '9') && (c < 'a' || c > 'f') &&
		    (c < 'A' || c > 'F'))
			return -1;
	}
	return 0;
}

/* Code point u as UTF-8 at o; returns the bytes written. */
static size_t
utf8(unsigned u, char *o)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xe0 | u >> 12);
		o[1] = (char)(0x80 | (u >> 6 & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | u >> 18);
	o[1] = (char)(0x80 | (u >> 12 & 0x3f));
	o[2] = (char)(0x80 | (u >> 6 & 0x3f));
	o[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/* A string into *out (to free), its escapes decoded. */
static int
string(struct parser *p, char **out)
{
	char *o;
	size_t n = 0;

	*out = NULL;
	if (!take(p, '"'))
		return fail(p, "expected a string");
	/* Decoded, a string is no longer than its text. */
	o = xcalloc((size_t)(p->end - p->at) + 1, 1);
	while (p->at < p->end && *p->at != '"') {
		char c = *p->at++;
		unsigned u, lo;

		if ((unsigned char)c < 0x20) {
			free(o);
			return fail(p, "a control byte in a string");
		}
		if (c != '\\') {
			o[n++] = c;
			continue;
		}
		if (p->at == p->end)
			break;
		c = *p->at++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			o[n++] = c;
			break;
		case 'b':
			o[n++] = '\b';
			break;
		case 'f':
			o[n++] = '\f';
			break;
		case 'n':
			o[n++] = '\n';
			break;
		case 'r':
			o[n++] = '\r';
			break;
		case 't':
			o[n++] = '\t';
			break;
		case 'u':
			if (hex4(p->at, p->end, &u) != 0) {
				free(o);
				return fail(p, "a bad \\u escape");
			}
			p->at += 4;
			if (u >= 0xd800 && u < 0xdc00 && p->end - p->at >= 6 &&
			    p->at[0] == '\\' && p->at[1] == 'u' &&
			    hex4(p->at + 2, p->end, &lo) == 0 && lo >= 0xdc00 &&
			    lo < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				p->at += 6;
			}
			if (u == 0) {
				free(o);
				return fail(p, "a NUL (\\u0000) in a string");
			}
			n += utf8(u, o + n);
			break;
		default:
			free(o);
			return fail(p, "a bad escape in a string");
		}
	}
	if (p->at == p->end) {
		free(o);
		return fail(p, "a string without its closing quote");
	}
	p->at++;
	*out = o;
	return 0;
}

/* A number, or null (NaN) when nullable. */
static int
number(struct parser *p, int nullable, double *out)
{
	const char *start;

	if (nullable && literal(p, "null")) {
		*out = (double)NAN;
		return 0;
	}
	space(p);
	start = p->at;
	while (p->at < p->end && strchr("+-0123456789.eE", *p->at) != NULL)
		p->at++;
	if (p->at == start ||
	    num_parse(start, (size_t)(p->at - start), out) != NUM_OK)
		return fail(p, "expected a number");
	return 0;
}

/* Any value, skipped. */
static int
skip(struct parser *p, int depth)
{
	char *s;
	double v;

	if (depth > JSON_DEPTH)
		return fail(p, "nested too deeply");
	space(p);
	if (p->at < p->end && *p->at == '"') {
		if (string(p, &s) != 0)
			return -1;
		free(s);
		return 0;
	}
	if (take(p, '{')) {
		if (take(p, '}'))
			return 0;
		do {
			if (string(p, &s) != 0)
				return -1;
			free(s);
			if (!take(p, ':'))
				return fail(p, "expected ':'");
			if (skip(p, depth + 1) != 0)
				return -1;
		} while (take(p, ','));
		return take(p, '}') ? 0 : fail(p, "expected ',' or '}'");
	}
	if (take(p, '[')) {
		if (take(p, ']'))
			return 0;
		do
			if (skip(p, depth + 1) != 0)
				return -1;
		while (take(p, ','));
		return take(p, ']') ? 0 : fail(p, "expected ',' or ']'");
	}
	if (literal(p, "true") || literal(p, "false") || literal(p, "null"))
		return 0;
	return number(p, 0, &v);
}

/* One object of "terms" into t. */
static int
entry(struct parser *p, struct entry *t)
{
	char *key;
	int status = 0;

	memset(t, 0, sizeof(*t));
	t->impute = t->shift = t->scale = (double)NAN;
	if (!take(p, '{'))
		return fail(p, "expected a term's object");
	if (take(p, '}'))
		return fail(p, "a term's object without \"term\"");
	do {
		if (string(p, &key) != 0)
			return -1;
		if (!take(p, ':'))
			status = fail(p, "expected ':'");
		else if (strcmp(key, "term") == 0 && t->term == NULL)
			status = string(p, &t->term);
		else if (strcmp(key, "class") == 0 && t->cls == NULL)
			status = string(p, &t->cls);
		else if (strcmp(key, "weight") == 0)
			status = number(p, 0, &t->weight), t->has_weight = 1;
		else if (strcmp(key, "std_weight") == 0)
			status = number(p, 0, &t->std_weight), t->has_std = 1;
		else if (strcmp(key, "impute") == 0)
			status = number(p, 1, &t->impute), t->has_impute = 1;
		else if (strcmp(key, "shift") == 0)
			status = number(p, 1, &t->shift), t->has_scaling = 1;
		else if (strcmp(key, "scale") == 0)
			status = number(p, 1, &t->scale), t->has_scaling = 1;
		else
			status = skip(p, 1);
		free(key);
		if (status != 0)
			return -1;
	} while (take(p, ','));
	if (!take(p, '}'))
		return fail(p, "expected ',' or '}'");
	if (t->term == NULL || !t->has_weight || !t->has_std)
		return fail(p,
		    "a term without \"term\", \"weight\" or \"std_weight\"");
	return 0;
}

/* What the top object holds. */
struct top {
	char *kind, **classes;
	size_t nclasses;
	struct entry *t;
	size_t n, cap;
};

static int
string_array(struct parser *p, struct top *top)
{
	if (!take(p, '['))
		return fail(p, "expected an array of class labels");
	if (take(p, ']'))
		return 0;
	do {
		top->classes = xreallocarray(top->classes, top->nclasses + 1,
		    sizeof(*top->classes));
		if (string(p, &top->classes[top->nclasses]) != 0)
			return -1;
		top->nclasses++;
	} while (take(p, ','));
	return take(p, ']') ? 0 : fail(p, "expected ',' or ']'");
}

static int
terms(struct parser *p, struct top *top)
{
	if (!take(p, '['))
		return fail(p, "expected the array of terms");
	if (take(p, ']'))
		return 0;
	do {
		if (top->n == top->cap) {
			top->cap = top->cap ? 2 * top->cap : 16;
			top->t =
			    xreallocarray(top->t, top->cap, sizeof(*top->t));
		}
		if (entry(p, &top->t[top->n]) != 0) {
			free(top->t[top->n].term);
			free(top->t[top->n].cls);
			return -1;
		}
		top->n++;
	} while (take(p, ','));
	return take(p, ']') ? 0 : fail(p, "expected ',' or ']'");
}

static int
top_object(struct parser *p, struct top *top)
{
	char *key;
	int status;

	if (!take(p, '{'))
		return fail(p, "not a JSON object");
	if (take(p, '}'))
		return fail(p, "an empty object: no \"terms\"");
	do {
		if (string(p, &key) != 0)
			return -1;
		if (!take(p, ':'))
			status = fail(p, "expected ':'");
		else if (strcmp(key, "model") == 0 && top->kind == NULL)
			status = string(p, &top->kind);
		else if (strcmp(key, "classes") == 0 && top->classes == NULL)
			status = string_array(p, top);
		else if (strcmp(key, "terms") == 0 && top->t == NULL)
			status = terms(p, top);
		else
			status = skip(p, 1);
		free(key);
		if (status != 0)
			return -1;
	} while (take(p, ','));
	if (!take(p, '}'))
		return fail(p, "expected ',' or '}'");
	space(p);
	if (p->at != p->end)
		return fail(p, "text after the object");
	return 0;
}

/* Fill m from top: the blocks checked as the CSV reader checks them. */
static int
build(struct parser *p, const struct top *top, struct model *m)
{
	int logistic = top->kind && strcmp(top->kind, "logistic") == 0,
	    softmax = top->kind && strcmp(top->kind, "softmax") == 0;
	size_t outputs = softmax ? top->nclasses : 1, nterms;
	int impute = 0, scaling = 0;

	if (top->kind == NULL ||
	    (!logistic && !softmax && strcmp(top->kind, "regression") != 0))
		return fail(p,
		    "\"model\" is not \"regression\", \"logistic\" or "
		    "\"softmax\"");
	if ((logistic && top->nclasses != 2) || (softmax && top->nclasses < 2))
		return fail(p, "the \"classes\" do not suit the model");
	if (top->n == 0 || top->n % outputs != 0)
		return fail(p, "no terms, or blocks of unequal length");
	nterms = top->n / outputs;
	if (strcmp(top->t[0].term, MODEL_INTERCEPT) != 0)
		return fail(p, "the first term is not " MODEL_INTERCEPT);
	for (size_t k = 0; k < top->n; k++) {
		const struct entry *t = &top->t[k];
		const char *want = logistic ? top->classes[1]
		    : softmax		    ? top->classes[k / nterms]
					    : NULL;

		if (strcmp(t->term, top->t[k % nterms].term) != 0)
			return fail(p, "the classes' blocks list other terms");
		for (size_t j = 0; k < nterms && j < k; j++)
			if (strcmp(top->t[j].term, t->term) == 0)
				return fail(p, "a term appears twice");
		if ((want == NULL) != (t->cls == NULL) ||
		    (want != NULL && strcmp(want, t->cls) != 0))
			return fail(p, "a term's \"class\" is not its block's");
		impute |= t->has_impute;
		scaling |= t->has_scaling;
	}
	m->nterms = nterms;
	m->outputs = outputs;
	m->term = xcalloc(nterms, sizeof(*m->term));
	m->weight = xcalloc(top->n, sizeof(double));
	m->std_weight = xcalloc(top->n, sizeof(double));
	m->impute = xcalloc(nterms, sizeof(double));
	m->has_impute = impute;
	if (scaling)
		model_add_scaling(m);
	for (size_t k = 0; k < top->n; k++) {
		m->weight[k] = top->t[k].weight;
		m->std_weight[k] = top->t[k].std_weight;
	}
	for (size_t k = 0; k < nterms; k++) {
		m->term[k] = xstrdup(top->t[k].term);
		m->impute[k] = top->t[k].impute;
		if (scaling) {
			m->shift[k] = top->t[k].shift;
			m->scale[k] = top->t[k].scale;
		}
	}
	if (logistic || softmax) {
		m->nclasses = top->nclasses;
		m->classes = xcalloc(top->nclasses, sizeof(*m->classes));
		for (size_t c = 0; c < top->nclasses; c++)
			m->classes[c] = xstrdup(top->classes[c]);
	}
	return 0;
}

int
model_read_json(const char *text, size_t len, const char *name, struct model *m,
    struct error *e)
{
	struct parser p = { .s = text,
		.at = text,
		.end = text + len,
		.name = name,
		.e = e };
	struct top top = { 0 };
	int status;

	memset(m, 0, sizeof(*m));
	m->outputs = 1;
	status = top_object(&p, &top);
	if (status == 0 && top.t == NULL)
		status = fail(&p, "no \"terms\"");
	if (status == 0)
		status = build(&p, &top, m);
	for (size_t k = 0; k < top.n; k++) {
		free(top.t[k].term);
		free(top.t[k].cls);
	}
	for (size_t c = 0; c < top.nclasses; c++)
		free(top.classes[c]);
	free(top.t);
	free(top.classes);
	free(top.kind);
	if (status != 0)
		model_free(m);
	return status;
}
