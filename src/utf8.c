/*
 * utf8.c: the well-formed UTF-8 byte sequences, as Unicode's table 3-7 lists them.
 */
#include "utf8.h"

size_t
utf8_sequence(const unsigned char *s, size_t n, unsigned long *cp)
{
	/* The second byte's range depends on the first (no overlongs, surrogates). */
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
