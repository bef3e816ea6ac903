/*
 * names.h: a name the user typed that is not among the names known (a column,
 * a command, an option): the closest known one, to suggest, and the list of
 * them when it is short, for the message that says it is not there.
 */
#ifndef DESCEND_NAMES_H
#define DESCEND_NAMES_H

#include <stddef.h>

/* At most this many names are listed in a hint; more are counted. */
#define NAMES_LIST_MAX 20

/*
 * The edit distance between a and b (n bytes of b), at most 63 bytes each:
 * insertions, deletions, substitutions and swaps of two neighbours ("fti" for
 * "fit") count one each (the optimal string alignment distance); (size_t)-1
 * for longer words.
 */
size_t names_distance(const char *a, const char *b, size_t n);

/*
 * The name among the n names closest to word: one equal but for the case of
 * ASCII letters first ("MPG" for "mpg"), else the nearest within two edits
 * and at most half its length; NULL if none is that close. Empty names and
 * NULL entries are skipped.
 */
const char *names_closest(const char *const *names, size_t n, const char *word);

/*
 * Write into buf (size bytes) what follows a "not found" message about word:
 * "; did you mean \"mpg\"?" if one is close, then " (the columns: a, b, c)"
 * when n <= NAMES_LIST_MAX, else " (the input has N columns)". what names the
 * kind of name in the list ("columns"). Returns buf.
 */
char *names_hint(char *buf, size_t size, const char *const *names, size_t n,
    const char *word, const char *what);

#endif
