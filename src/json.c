/*
 * json.c: JSON strings and numbers.
 */
#include <math.h>
#include <string.h>

#include "json.h"
#include "num.h"
#include "utf8.h"

void
json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;

	fputc('"', f);
	for (size_t i = 0; i < n; i += len) {
		len = utf8_sequence(p + i, n - i, NULL);
		if (p[i] == '"' || p[i] == '\\') {
			fputc('\\', f);
			fputc(p[i], f);
		} else if (p[i] < 0x20) {
			fprintf(f, "\\u%04x", (unsigned)p[i]);
		} else if (len == 0) {
			fputs("\\ufffd", f);
			len = 1; /* one replacement per stray byte */
		} else {
			fwrite(p + i, 1, len, f);
		}
	}
	fputc('"', f);
}

void
json_number(FILE *f, double v)
{
	if (isfinite(v))
		num_write(f, v);
	else
		fputs("null", f);
}

void
json_member(FILE *f, const char *sep, const char *key, double v)
{
	fprintf(f, "%s\"%s\": ", sep, key);
	json_number(f, v);
}
