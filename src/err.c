/*
 * err.c: error messages, exit statuses and checked allocation.
 */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int
error_set(struct error *e, int status, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
error_exit(const struct error *e)
{
	errx(e->status, "%s", e->msg);
}

static _Noreturn void
out_of_memory(void)
{
	errx(EXIT_INPUT, "out of memory");
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xreallocarray(void *p, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		out_of_memory();
	size = count * size;
	p = realloc(p, size ? size : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

char *
xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(xmalloc(len), s, len);
}

char *
error_quote(char *out, size_t outsize, const char *s, size_t len)
{
	/* Each source byte takes at most 4 output bytes; keep room for "..." and NUL. */
	size_t o = 0, i;

	for (i = 0; i < len && o + 4 + 4 < outsize; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outsize - o,
			    c == '\\' ? "\\\\" : "\\x%02x", c);
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}
