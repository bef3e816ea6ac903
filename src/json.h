/*
 * json.h: the two atoms of JSON output (RFC 8259), strings and numbers, written
 * so that any parser reads back exactly what was meant. The caller writes the
 * punctuation ({ } [ ] : ,) and checks ferror(f) at the end.
 */
#ifndef DESCEND_JSON_H
#define DESCEND_JSON_H

#include <stdio.h>

/*
 * Write s (NUL-terminated) to f as a JSON string, quotes included: '"' and '\'
 * are escaped with a backslash, every control byte (0x00 to 0x1f) as \u00XX,
 * well-formed UTF-8 is passed through unchanged, and each byte that does not
 * belong to a well-formed UTF-8 sequence becomes \uFFFD, the replacement
 * character. So the output is always valid JSON, whatever the bytes of s.
 */
void json_string(FILE *f, const char *s);

/*
 * Write v to f as a JSON number, the shortest decimal that reads back to the
 * same double, bit for bit (num_format: "0.1", "1e-05"); NaN and the
 * infinities, which JSON cannot express, are written as null.
 */
void json_number(FILE *f, double v);

/*
 * Write an object's member "key": v to f after sep (", " or ",\n  ", say, or
 * "{" before the first): key as it is (the caller's own, needing no escape),
 * v as json_number writes it.
 */
void json_member(FILE *f, const char *sep, const char *key, double v);

#endif
