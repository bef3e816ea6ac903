/*
 * utf8.c: the well-formed UTF-8 byte sequences, as Unicode's table 3-7 lists
 * them.
 */
#include <string.h>

#include "failure.h"
#include "utf8.h"

size_t
utf8_sequence(const unsigned char *s, size_t n, unsigned long *cp)
{
	/* The second byte's range depends on the first (no overlongs,
	 * surrogates). */
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;
	unsigned long c;

	if (s[0] < 0x80)
		len = 1, c = s[0];
	else if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1fUL;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0fUL;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07UL;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
			return 0;
		c = c << 6 | (s[i] & 0x3fUL);
	}
	if (cp != NULL)
		*cp = c;
	return len;
}

/* Whether code point c takes two columns (East Asian Wide and Fullwidth). */
static int
wide(unsigned long c)
{
	return (c >= 0x1100 && c <= 0x115f) ||
	    (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
}

/* Whether code point c is a combining mark, drawn over the one before. */
static int
combining(unsigned long c)
{
	return (c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f) || c == 0x200b || c == 0x200d;
}

size_t
utf8_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0;

	while (n > 0) {
		unsigned long c;
		size_t len = utf8_sequence(p, n, &c);

		if (len == 0) {
			w++;
			len = 1;
		} else
			w += combining(c) ? 0 : wide(c) ? 2 : 1;
		p += len;
		n -= len;
	}
	return w;
}

void
utf8_pad(FILE *f, const char *s, size_t width, int left)
{
	char clean[1024];
	size_t w;

	error_clean(clean, sizeof(clean), s);
	w = utf8_width(clean);
	for (size_t i = w; !left && i < width; i++)
		fputc(' ', f);
	fputs(clean, f);
	for (size_t i = w; left && i < width; i++)
		fputc(' ', f);
}
