/*
 * failure.h: one way to report errors. Library modules fill a struct error
 * supplied by the caller and return -1 (or NULL); only the commands (src/cmd/)
 * print and exit, with one of the exit statuses below, which the man page
 * documents.
 */
#ifndef DESCEND_FAILURE_H
#define DESCEND_FAILURE_H

#include <stdarg.h>
#include <stddef.h>

enum exit_status {
	EXIT_OK = 0,	  /* success */
	EXIT_INPUT = 1,	  /* bad input data or an I/O failure */
	EXIT_USAGE = 2,	  /* bad command line */
	EXIT_DIVERGED = 3 /* training diverged */
};

struct error {
	int status;	/* exit status the failure calls for */
	char msg[1024]; /* one line, without "descend: " or newline */
};

/*
 * Fill e (if not NULL) with status and a printf-style message, truncated to fit
 * and cleaned as error_clean does. Returns -1 so that library code can write
 * `return error_set(e, ...);`.
 */
int error_set(struct error *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Copy the message in to out (of size bytes), with control bytes and bytes that
 * are not valid UTF-8 written as \xNN, so that a message naming a hostile
 * column or value is one line of text on any terminal.
 */
void error_clean(char *out, size_t size, const char *in);

/*
 * Format fmt with ap into out (of size bytes), truncated to fit and cleaned as
 * error_clean does: what error_set and the commands' messages (cmd/diag.c) do.
 */
void error_format(char *out, size_t size, const char *fmt, va_list ap);

/*
 * Checked allocation for small, fixed-size things (names, options, model
 * vectors): on failure print "descend: out of memory" and exit 1, the one exit
 * outside the commands (a library caller could not do better). Bulk data that
 * grows with the input is allocated with plain realloc so that the reader can
 * say where it ran out.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);

/* Print "descend: out of memory" and exit 1, as the functions above do. */
_Noreturn void error_out_of_memory(void);

/*
 * Write at most max bytes of s (length len) into out (of size outsize) as a
 * quoted, printable excerpt for messages: control and non-ASCII bytes become
 * \xNN, and a longer value ends in "...". Returns out.
 */
char *error_quote(char *out, size_t outsize, const char *s, size_t len);

#endif
