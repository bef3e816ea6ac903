/*
 * names.c: the nearest known name to a word that is not one, and the short
 * list of the known names, for messages.
 */
#include <stdio.h>
#include <string.h>

#include "names.h"

size_t
names_distance(const char *a, const char *b, size_t n)
{
	size_t m = strlen(a), d[64][64];

	if (m > 63 || n > 63)
		return (size_t)-1;
	for (size_t i = 0; i <= m; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= n; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= m; i++)
		for (size_t j = 1; j <= n; j++) {
			size_t cost = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < cost)
				cost = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < cost)
				cost = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < cost)
				cost = d[i - 2][j - 2] + 1;
			d[i][j] = cost;
		}
	return d[m][n];
}

/* Whether a and b are equal but for the case of ASCII letters. */
static int
same_but_case(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return *a == *b;
}

const char *
names_closest(const char *const *names, size_t n, const char *word)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t k = 0; k < n; k++)
		if (names[k] != NULL && names[k][0] != '\0' &&
		    same_but_case(names[k], word))
			return names[k];
	for (size_t k = 0; k < n; k++) {
		size_t dist;

		if (names[k] == NULL || names[k][0] == '\0')
			continue;
		dist = names_distance(names[k], word, strlen(word));
		if (dist < best_d && dist <= 2 &&
		    2 * dist <= strlen(names[k])) {
			best_d = dist;
			best = names[k];
		}
	}
	return best;
}

char *
names_hint(char *buf, size_t size, const char *const *names, size_t n,
    const char *word, const char *what)
{
	const char *near = names_closest(names, n, word);
	size_t at = 0;
	int w;

	buf[0] = '\0';
	if (near != NULL &&
	    (w = snprintf(buf, size, "; did you mean \"%s\"?", near)) > 0)
		at = (size_t)w < size ? (size_t)w : size - 1;
	if (n > NAMES_LIST_MAX) {
		snprintf(buf + at, size - at, " (the input has %zu %s)", n,
		    what);
		return buf;
	}
	w = snprintf(buf + at, size - at, " (the %s: ", what);
	for (size_t k = 0; k < n && w > 0 && at + (size_t)w < size; k++) {
		at += (size_t)w;
		w = snprintf(buf + at, size - at, "%s\"%s\"", k ? ", " : "",
		    names[k] ? names[k] : "");
	}
	if (w > 0 && at + (size_t)w < size)
		snprintf(buf + at + (size_t)w, size - at - (size_t)w, ")");
	return buf;
}
