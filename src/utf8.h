/*
 * utf8.h: recognising well-formed UTF-8, for the writers (JSON, SVG) that pass
 * valid text through and replace everything else.
 */
#ifndef DESCEND_UTF8_H
#define DESCEND_UTF8_H

#include <stddef.h>
#include <stdio.h>

/*
 * The length (1 to 4) of the well-formed UTF-8 sequence that starts at s, of
 * which n > 0 bytes are available, or 0 if s[0] does not start one: a stray
 * continuation byte, a truncated sequence, an overlong form, a UTF-16 surrogate
 * (U+D800 to U+DFFF) or a code point above U+10FFFF (Unicode 15, table 3-7).
 * When cp is not NULL, *cp is set to the code point of a well-formed sequence.
 */
size_t utf8_sequence(const unsigned char *s, size_t n, unsigned long *cp);

/*
 * The columns a terminal gives s: two for an East Asian wide or full-width
 * character (and the emoji blocks), none for a combining mark, one for any
 * other character and for each byte that is not well-formed UTF-8.
 */
size_t utf8_width(const char *s);

/*
 * Write s to f cleaned as error_clean does (control bytes and invalid UTF-8 as
 * \xNN), padded with spaces to width columns, on the right (left 1) or the
 * left.
 */
void utf8_pad(FILE *f, const char *s, size_t width, int left);

#endif
