/*
 * input.h: the stage before csv.c, where the bytes of a data input come from.
 * A gzip, xz or zstd stream, known by its first bytes (its magic number), is
 * decompressed on a thread of its own into a pipe that the readers read as
 * they read any pipe; a pipe that is not compressed goes through that thread
 * too, which gives back the bytes looked at. Whatever the input, the first
 * lines of its text are kept (the head), for the delimiter to be detected
 * from them before any reader cuts the input into parts.
 *
 * Stage contract: a descriptor in, a descriptor of the plain text out (the
 * same one for a regular file that is not compressed, which the readers may
 * then cut into ranges and read on several threads), with its head.
 */
#ifndef DESCEND_INPUT_H
#define DESCEND_INPUT_H

#include <stddef.h>

#include "failure.h"

enum input_codec { INPUT_PLAIN, INPUT_GZIP, INPUT_XZ, INPUT_ZSTD };

/* The most bytes of the head; fewer when the lines below come first. */
#define INPUT_HEAD_BYTES 65536
/* The head ends after this many line ends (or the input's end). */
#define INPUT_HEAD_LINES 32

struct input_pump;

struct input {
	int fd;			/* the plain text: the one given, or a pipe */
	enum input_codec codec; /* what the input was */
	const char *head;	/* its first bytes of text (whole lines, but
				   the last when the head is cut) */
	size_t head_len;
	int head_whole;		 /* 1: the head is the whole input */
	struct input_pump *pump; /* the thread, or NULL */
};

/* The codec's name, "gzip", "xz", "zstd" or "plain". */
const char *input_codec_name(enum input_codec codec);

/*
 * Open the stage on fd (not closed here; read from its current offset), named
 * name in messages. Waits for the head. Returns 0, or -1 with e filled
 * (EXIT_INPUT): a read error, or a decompression that could not start.
 */
int input_open(int fd, const char *name, struct input *in, struct error *e);

/*
 * After the reading, done or not: close the pipe (never the fd given), wait
 * for the thread and free the head. Returns 0, or -1 with e filled when the
 * decompression failed (a corrupt or cut stream, a read error): then what the
 * readers saw was not the whole input, and their own error, if any, comes
 * second. Stopping before the end is no error of its own.
 */
int input_close(struct input *in, struct error *e);

/*
 * The delimiter of the text whose first bytes are head[0..len) (whole, when
 * the head is the whole input), as data.table's fread finds it: of the
 * candidates (",", ";", tab and "|", in that order of preference, without ","
 * when no_comma), the one that gives every record of the head the same number
 * of fields, more than one, the most fields winning (quoted fields are read
 * as RFC 4180 says; a tab next to another candidate, or at the start or end
 * of a line, is padding; a first line longer than the head counts as far as it
 * goes). Returns it, *found 1 and in why what was tried on how
 * many lines. When none does, returns ',' (0 with no_comma) and *found 0 when
 * no candidate splits any line of the head (why then says so: the input may
 * have another delimiter), else -1 (not text: a control byte but tab, CR and LF
 * in the head; no line; or lines that a candidate splits unevenly).
 */
unsigned char input_delimiter(const char *head, size_t len, int whole,
    int no_comma, int *found, char *why, size_t size);

#endif
