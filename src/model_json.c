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
		if (hex4(p, &c) != 0)
			break;
		if (c >= 0xd800 && c < 0xdc00 && p->end - p->s >= 6 &&
		    p->s[0] == '\\' && p->s[1] == 'u') {
			p->s += 2;
			if (hex4(p, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
				break;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		}
		p->s--;
		n += put_utf8(out + n, c);
	}
	if (p->s >= p->end || *p->s != '"') {
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

/* The rows of the weights CSV for the terms of root into f; -1 if wrong. */
static int
write_rows(const struct jvalue *root, FILE *f, int classes, int impute,
    const char *target)
{
	const struct jvalue *terms = jget(root, "terms");
	const struct jvalue *list = jget(root, "classes");
	const struct jvalue *positive = jget(root, "positive");

	if (terms == NULL || terms->type != J_ARRAY)
		return -1;
	fputs(classes ? "term,class,weight,std_weight"
		      : "term,weight,std_weight",
	    f);
	fputs(impute ? ",impute" : "", f);
	fputs(target ? ",target\n" : "\n", f);
	for (size_t k = 0; k < terms->n; k++) {
		const struct jvalue *t = terms->item[k],
				    *name = jget(t, "term"),
				    *class = jget(t, "class");
		const char *w = jcell(t, "weight"),
			   *sw = jcell(t, "std_weight"),
			   *im = jcell(t, "impute");

		if (name == NULL || name->type != J_STRING || w == NULL ||
		    sw == NULL || (impute && im == NULL) ||
		    (classes && (class == NULL || class->type != J_STRING)))
			return -1;
		csv_write_field(f, name->text, ',');
		if (classes) {
			putc(',', f);
			csv_write_field(f, class->text, ',');
		}
		fprintf(f, ",%s,%s", w, sw);
		if (impute)
			fprintf(f, ",%s", im);
		if (target) {
			putc(',', f);
			csv_write_field(f, target, ',');
		}
		putc('\n', f);
	}
	if (positive == NULL)
		return 0;
	/* logistic: the (reference) row, the class that is not positive */
	for (size_t c = 0; list != NULL && list->type == J_ARRAY &&
	     positive->type == J_STRING && c < list->n;
	     c++) {
		if (list->item[c]->type != J_STRING ||
		    strcmp(list->item[c]->text, positive->text) == 0)
			continue;
		fputs(MODEL_REFERENCE ",", f);
		csv_write_field(f, list->item[c]->text, ',');
		fputs(impute ? ",0,0," : ",0,0", f);
		if (target) {
			putc(',', f);
			csv_write_field(f, target, ',');
		}
		putc('\n', f);
		return 0;
	}
	return -1;
}

int
model_json_to_csv(const char *text, size_t len, const char *name, char **csv,
    size_t *csv_len, struct error *e)
{
	struct jparser p = { .s = text, .end = text + len, .start = text };
	struct jvalue *root;
	const struct jvalue *kind, *target, *terms;
	FILE *f;
	int status = -1, impute;

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
	impute = terms != NULL && terms->type == J_ARRAY && terms->n > 0 &&
	    jget(terms->item[0], "impute") != NULL;
	*csv = NULL;
	if (kind != NULL && kind->type == J_STRING &&
	    (f = open_memstream(csv, csv_len)) != NULL) {
		status = write_rows(root, f,
		    strcmp(kind->text, "regression") != 0, impute,
		    target != NULL && target->type == J_STRING ? target->text
							       : NULL);
		if (fclose(f) != 0)
			status = -1;
	}
	jfree(root);
	if (status == 0)
		return 0;
	free(*csv);
	*csv = NULL;
	return error_set(e, EXIT_INPUT,
	    "%s: JSON that is not a model as fit --format json writes it (a "
	    "\"model\", and \"terms\" with \"term\", \"weight\" and "
	    "\"std_weight\")",
	    name);
}
