/*
 * opt.c: the option tables of opt.h: getopt_long's tables, each value parsed
 * by its kind, the help and the lists of words, all from one table.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "num.h"
#include "opt.h"

void
opt_getopt(const struct opt_spec *specs, size_t n, struct option **longs,
    char **shorts)
{
	struct option *l = xcalloc(n + 1, sizeof(*l));
	char *s = xmalloc(2 * n + 2), *p = s;

	*p++ = ':';
	for (size_t i = 0; i < n; i++) {
		int has =
		    specs[i].kind == OPT_FLAG ? no_argument : required_argument;

		l[i] = (struct option){ specs[i].name, has, NULL,
			specs[i].letter ? specs[i].letter
					: OPT_VAL_BASE + (int)i };
		if (specs[i].letter) {
			*p++ = (char)specs[i].letter;
			if (has == required_argument)
				*p++ = ':';
		}
	}
	*p = '\0';
	*longs = l;
	*shorts = s;
}

const struct opt_spec *
opt_of(const struct opt_spec *specs, size_t n, int c)
{
	if (c >= OPT_VAL_BASE && (size_t)(c - OPT_VAL_BASE) < n)
		return &specs[c - OPT_VAL_BASE];
	for (size_t i = 0; c != ':' && c != '?' && i < n; i++)
		if (specs[i].letter == c)
			return &specs[i];
	return NULL;
}

const struct opt_spec *
opt_named(const struct opt_spec *specs, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(specs[i].name) == len &&
		    memcmp(specs[i].name, name, len) == 0)
			return &specs[i];
	return NULL;
}

const char *
opt_flag(const struct opt_spec *s, char *buf, size_t size)
{
	if (s->letter)
		snprintf(buf, size, "-%c/--%s", s->letter, s->name);
	else
		snprintf(buf, size, "--%s", s->name);
	return buf;
}

const char *
opt_words(const struct opt_spec *s, const char *sep, char *buf, size_t size)
{
	const char *list;
	size_t n = 0;

	if (size == 0)
		return NULL;
	buf[0] = '\0';
	if (s->words != NULL) {
		for (size_t i = 0; s->words[i] != NULL; i++)
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
			    "%s%s", i ? sep : "", s->words[i]);
		return buf;
	}
	if (s->list == NULL)
		return NULL;
	/* "a, b, c" with sep for ", " */
	list = s->list();
	for (const char *w = list; *w != '\0';) {
		size_t len = strcspn(w, ",");

		n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
		    "%s%.*s", w == list ? "" : sep, (int)len, w);
		w += len;
		w += strspn(w, ", ");
	}
	return buf;
}

int
opt_word_index(const struct opt_spec *s, const char *w)
{
	char buf[1024];
	const char *words = opt_words(s, ",", buf, sizeof(buf));
	size_t len = strlen(w);
	int i = 0;

	if (words == NULL)
		return -1;
	for (const char *p = words;; i++) {
		size_t wl = strcspn(p, ",");

		if (wl == len && memcmp(p, w, len) == 0)
			return i;
		if (p[wl] == '\0')
			return -1;
		p += wl + 1;
	}
}

int
opt_whole(const char *flag, const char *arg, unsigned long long min,
    unsigned long long max, unsigned long long *v, struct error *e)
{
	char *end;
	double x;
	int digits = arg[0] >= '0' && arg[0] <= '9';

	errno = 0;
	*v = strtoull(arg, &end, 10);
	/* 1e3 and 2.5e4: whole numbers below 2^53, where doubles are exact */
	if (digits && *end != '\0' &&
	    num_parse(arg, strlen(arg), &x) == NUM_OK && x == floor(x) &&
	    x >= 0 && x < 9007199254740992.0) {
		*v = (unsigned long long)x;
		end = (char *)arg + strlen(arg);
	}
	if (!digits || *end != '\0' || errno == ERANGE || *v < min || *v > max)
		return error_set(e, EXIT_USAGE,
		    "%s: \"%s\" is not a whole "
		    "number from %llu to %llu",
		    flag, arg, min, max);
	return 0;
}

/* A number in s's range, or -1 and e saying which range. */
static int
real(const struct opt_spec *s, const char *flag, const char *arg, double *v,
    struct error *e)
{
	int open_lo = s->ends & OPT_OPEN_LO, open_hi = s->ends & OPT_OPEN_HI;

	if (num_parse(arg, strlen(arg), v) == NUM_OK &&
	    (open_lo ? *v > s->lo : *v >= s->lo) &&
	    (open_hi ? *v < s->hi : *v <= s->hi))
		return 0;
	if (s->hi == HUGE_VAL)
		return error_set(e, EXIT_USAGE,
		    "%s: \"%s\" is not a number "
		    "%s %g",
		    flag, arg, open_lo ? "above" : "of at least", s->lo);
	return error_set(e, EXIT_USAGE,
	    "%s: \"%s\" is not a number from "
	    "%g to %g (%s)",
	    flag, arg, s->lo, s->hi,
	    open_lo && open_hi ? "both excluded"
		: open_lo      ? "lower end excluded"
		: open_hi      ? "upper end excluded"
			       : "both included");
}

/* Store v in the size bytes at p. */
static void
put_whole(void *p, size_t size, unsigned long long v)
{
	switch (size) {
	case 1:
		*(unsigned char *)p = (unsigned char)v;
		break;
	case 2:
		*(uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(uint32_t *)p = (uint32_t)v;
		break;
	default:
		*(uint64_t *)p = (uint64_t)v;
		break;
	}
}

int
opt_store(const struct opt_spec *s, const char *arg, void *dst, struct error *e)
{
	char flag[128], words[1024];
	char *at = s->offset == OPT_NO_STORE ? NULL : (char *)dst + s->offset;
	int word = arg != NULL ? opt_word_index(s, arg) : -1;
	unsigned long long whole;
	double v;

	opt_flag(s, flag, sizeof(flag));
	switch (s->kind) {
	case OPT_FLAG:
		if (at != NULL)
			*(int *)at = s->value;
		return 0;
	case OPT_STRING:
		if (at != NULL)
			*(const char **)at = arg;
		return 0;
	case OPT_WORD:
	case OPT_CALL:
		if (word < 0 && s->kind == OPT_WORD)
			return error_set(e, EXIT_USAGE,
			    "%s: \"%s\" is not one "
			    "of %s",
			    flag, arg,
			    opt_words(s, ", ", words, sizeof(words)));
		if (at != NULL && s->kind == OPT_WORD)
			*(int *)at = word;
		return 0;
	case OPT_REAL:
		v = 0;
		if (word < 0 && real(s, flag, arg, &v, e) == -1)
			return s->say == NULL
			    ? -1
			    : error_set(e, EXIT_USAGE, "%s: \"%s\" is not %s",
				  flag, arg, s->say);
		if (at != NULL)
			*(double *)at = v;
		return 0;
	case OPT_WHOLE:
		whole = 0;
		if (word < 0 && opt_whole(flag, arg, s->min, s->max, &whole, e))
			return s->say == NULL
			    ? -1
			    : error_set(e, EXIT_USAGE, "%s: \"%s\" is not %s",
				  flag, arg, s->say);
		if (at != NULL)
			put_whole(at, s->size, whole);
		return 0;
	}
	return 0;
}

/* s as the help shows it: "-t, --target col [last]", in buf. */
static const char *
help_item(const struct opt_spec *s, char *buf, size_t size)
{
	char words[1024];
	const char *arg;
	size_t n;

	if (s->letter)
		n = (size_t)snprintf(buf, size, "-%c, --%s", s->letter,
		    s->name);
	else
		n = (size_t)snprintf(buf, size, "--%s", s->name);
	arg = s->arg ? s->arg : opt_words(s, "|", words, sizeof(words));
	if (s->kind != OPT_FLAG && arg != NULL && n < size)
		n += (size_t)snprintf(buf + n, size - n, " %s", arg);
	if (s->dflt != NULL && n < size)
		snprintf(buf + n, size - n, " [%s]", s->dflt);
	return buf;
}

#define HELP_WIDTH 80
#define HELP_INDENT 9

void
opt_help_compact(FILE *f, const struct opt_spec *specs, size_t n)
{
	char item[2048];
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = help_item(&specs[i], item, sizeof(item));
		size_t len = strlen(p);

		if (specs[i].group != NULL || col == 0) {
			if (col != 0)
				fputc('\n', f);
			fprintf(f, "%-*s", HELP_INDENT,
			    specs[i].group ? specs[i].group : "");
			col = HELP_INDENT;
		} else if (col + 3 + len <= HELP_WIDTH) {
			fputs("   ", f);
			col += 3;
		} else {
			fprintf(f, "\n%*s", HELP_INDENT, "");
			col = HELP_INDENT;
		}
		/* too long for a line of its own: break after a '|' */
		while (col + len > HELP_WIDTH) {
			size_t cut = 0;

			for (size_t j = 0; j < len && col + j < HELP_WIDTH; j++)
				if (p[j] == '|')
					cut = j + 1;
			if (cut == 0)
				break;
			fprintf(f, "%.*s\n%*s", (int)cut, p, HELP_INDENT, "");
			p += cut, len -= cut, col = HELP_INDENT;
		}
		fputs(p, f);
		col += len;
	}
	if (col != 0)
		fputc('\n', f);
}

void
opt_help_lines(FILE *f, const struct opt_spec *specs, size_t n, int width)
{
	char item[2048], words[1024];

	for (size_t i = 0; i < n; i++) {
		const struct opt_spec *s = &specs[i];
		const char *arg =
		    s->arg ? s->arg : opt_words(s, "|", words, sizeof(words));

		if (s->help == NULL)
			continue;
		if (s->letter)
			snprintf(item, sizeof(item), "  -%c, --%s", s->letter,
			    s->name);
		else
			snprintf(item, sizeof(item), "      --%s", s->name);
		if (s->kind != OPT_FLAG && arg != NULL)
			snprintf(item + strlen(item),
			    sizeof(item) - strlen(item), " %s", arg);
		fprintf(f, "%-*s ", width, item);
		/* a line break in the help continues under its first line */
		for (const char *h = s->help; *h != '\0'; h++)
			if (*h == '\n')
				fprintf(f, "\n%*s", width + 1, "");
			else
				fputc(*h, f);
		fputc('\n', f);
	}
}
