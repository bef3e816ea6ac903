/*
 * csv.h: the CSV layer, and the only module that calls libcsv. Reads a file
 * descriptor in large blocks, tokenizes it with libcsv (RFC 4180: quotes,
 * embedded delimiters and newlines, CRLF or LF, an optional UTF-8 byte-order
 * mark) and hands whole records to a callback, with the line each record is on.
 * The fields of the columns the caller marks as numbers (csv_numbers) come as
 * doubles, converted as they are tokenized (num.h); every other field comes as
 * its text. Knows nothing of headers, column names or models.
 *
 * Stage contract: bytes in, complete records out, in input order, one callback
 * per record; nothing is called per field but the optional field hook.
 */
#ifndef DESCEND_CSV_H
#define DESCEND_CSV_H

#include <stdio.h>
#include <stddef.h>
#include <sys/types.h>

#include "failure.h"

/* One record. Valid only during the callback; the reader reuses the storage. */
struct csv_record {
	size_t nfields;
	const char *const *field; /* (nfields) NUL-terminated field texts; NULL
				     for a number (see value) or a field
				     the field hook took */
	const size_t *len;	  /* (nfields) their lengths in bytes */
	const double *value;	  /* (nfields) the number of a field of a
				     number column (csv_numbers) */
	size_t taken;		  /* how many fields are NULL */
	long line;		  /* 1-based line of the record's first field */
	long index;		  /* 1-based record number in the input */
};

/*
 * Offered each field as the tokenizer delivers it, before it is copied: field
 * index (0-based) of the record, its text (NUL-terminated) and length; the
 * CSV_FIELD_PAD bytes after the terminator can be read too (what they hold is
 * not said), so that the text can be read a word at a time. Returns 1 when it
 * has taken the field, which is then not copied (the record's field[index] is
 * NULL, its len as it was), 0 to have it copied. It cannot fail: what it does
 * not take, the record callback sees and may refuse. ctx is the record
 * callback's.
 */
typedef int (*csv_field_fn)(void *ctx, size_t index, const char *s, size_t len);

#define CSV_FIELD_PAD 32

/*
 * The columns whose fields are numbers: field i of a record, for i < n and
 * number[i] set, is converted with num_parse_padded as it is tokenized and,
 * when it is a number (NUM_OK), handed up as value[i] with field[i] NULL,
 * never copied. Anything else (a missing value, a bad number) is handed up as
 * text, for the record callback to judge and name. Read as each record
 * begins: the record callback may fill it in once it knows the columns (after
 * a header), for the records that follow. The field hook is not offered the
 * fields of a number column.
 */
struct csv_numbers {
	size_t n;
	const unsigned char *number; /* (n) 1: a number column */
};

struct csv_options {
	const char *name; /* the input's name in messages: a path or "<stdin>"
			   */
	unsigned char delimiter; /* ',' unless told otherwise */
	csv_field_fn field;	 /* the field hook, or NULL */
	/* The number columns, or NULL: every field as text. */
	const struct csv_numbers *numbers;
	/*
	 * 1: numbers are written with a decimal comma ("1,5", as write.csv2
	 * and a European Excel write): in a field that is a number but for one
	 * comma, the comma is read as a point, before anyone sees the field.
	 */
	int decimal_comma;
};

/*
 * Called once per record. Returns 0 to go on, or -1 with e filled to stop
 * reading; csv_read then returns -1 with that error.
 */
typedef int (
    *csv_record_fn)(void *ctx, const struct csv_record *rec, struct error *e);

/*
 * Read all of fd (not closed) and call fn for every record, in order. Blank
 * lines are skipped; spaces around unquoted fields are dropped (and tabs,
 * unless tab is the delimiter). Returns 0 at end of input, or -1 with e filled:
 * a read error, a malformed or unterminated quoted field (with its line and
 * column), out of memory, or the callback's own error.
 */
int csv_read(int fd, const struct csv_options *opt, csv_record_fn fn, void *ctx,
    struct error *e);

/*
 * Who is told of the bytes as they are read: block(ctx, bytes, len) once for
 * every block read from the input, before it is parsed, with the bytes as read
 * (a byte-order mark included). For a progress meter, or a look at how the
 * input begins. The bytes are valid only during the call.
 */
struct csv_watch {
	void (*block)(void *ctx, const char *bytes, size_t len);
	void *ctx;
};

/* csv_read, telling watch (if not NULL) of every block it reads. */
int csv_read_watched(int fd, const struct csv_options *opt,
    const struct csv_watch *watch, csv_record_fn fn, void *ctx,
    struct error *e);

/*
 * The same for bytes [start, end) of the regular file fd, read with pread (the
 * file offset is left alone, so threads may read parts of one file at once),
 * its first line numbered first_line in messages. The range must begin at the
 * start of a record; a byte-order mark is dropped only at offset 0. watch, if
 * not NULL, is told of every block read, in the thread that calls this.
 */
int csv_read_range(int fd, off_t start, off_t end, long first_line,
    const struct csv_options *opt, const struct csv_watch *watch,
    csv_record_fn fn, void *ctx, struct error *e);

/*
 * The same for the bytes [0, len) in memory, whole lines from the start of a
 * record, its first line numbered first_line (a byte-order mark there is not
 * dropped: the caller has); then, if fd >= 0, the rest of fd read to its end,
 * watch (if not NULL) told of every block read from it. fd is not closed.
 */
int csv_read_bytes(const char *bytes, size_t len, int fd, long first_line,
    const struct csv_options *opt, const struct csv_watch *watch,
    csv_record_fn fn, void *ctx, struct error *e);

/*
 * Write one field to f, quoted as RFC 4180 asks only when it holds the
 * delimiter, a quote, CR or LF (or leading/trailing space, which readers would
 * drop).
 */
void csv_write_field(FILE *f, const char *s, unsigned char delimiter);

#endif
