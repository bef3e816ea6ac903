/*
 * failure.c: errors as data (struct error), their cleaning for a terminal, and
 * checked allocation. What prints them and exits is the commands' (cmd/diag.c).
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"

/* Length of the valid UTF-8 sequence at s (of at most n bytes), or 0 if none.
 */
static size_t
utf8_length(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
	    : s[0] >= 0xe0			  ? 3
	    : s[0] >= 0xc2 && s[0] < 0xe0	  ? 2
						  : 0;

	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void
error_clean(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;

	for (size_t i = 0; i < n;) {
		size_t len = s[i] >= 0x80 ? utf8_length(s + i, n - i) : 1;

		if (s[i] >= 0x20 && s[i] != 0x7f && len > 0) {
			if (o + len >= size)
				break;
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		} else {
			if (o + 4 >= size)
				break;
			o += (size_t)snprintf(out + o, size - o, "\\x%02x",
			    s[i]);
			i++;
		}
	}
	out[o] = '\0';
}

void
error_format(char *clean, size_t size, const char *fmt, va_list ap)
{
	char raw[1024];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	error_clean(clean, size, raw);
}

int
error_set(struct error *e, int status, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->status = status;
	va_start(ap, fmt);
	error_format(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

_Noreturn void
error_out_of_memory(void)
{
	errx(EXIT_INPUT, "out of memory");
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		error_out_of_memory();
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		error_out_of_memory();
	return p;
}

void *
xreallocarray(void *p, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		error_out_of_memory();
	size = count * size;
	p = realloc(p, size ? size : 1);
	if (p == NULL)
		error_out_of_memory();
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
	/* Each source byte takes at most 4 output bytes; keep room for "..."
	 * and NUL. */
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
