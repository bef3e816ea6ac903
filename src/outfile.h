/*
 * outfile.h: results written so that a reader never sees half of them. A path
 * is written through a temporary file in the same directory, flushed to disk
 * and renamed over the path only when complete; a failure removes the temporary
 * file and leaves an existing file untouched. No path means standard output,
 * which is a stream: what was written stays written; so is a path that names
 * something other than a regular file (a device such as /dev/full, a pipe),
 * written directly.
 */
#ifndef DESCEND_OUTFILE_H
#define DESCEND_OUTFILE_H

#include <stdio.h>

#include "failure.h"

struct outfile {
	FILE *f;    /* write here */
	char *path; /* the destination, or NULL for standard output */
	char *tmp;  /* the temporary file, or NULL */
};

/*
 * Open path (NULL or "-": standard output). Returns 0, or -1 with e filled
 * (EXIT_INPUT).
 */
int outfile_open(struct outfile *o, const char *path, struct error *e);

/*
 * Flush and, for a path, sync, close and rename into place. Returns 0, or -1
 * with e filled (EXIT_INPUT) after removing the temporary file.
 */
int outfile_commit(struct outfile *o, struct error *e);

/* Give up: close and remove the temporary file (standard output is left alone).
 */
void outfile_abort(struct outfile *o);

/*
 * The temporary files behind these (and behind cache.c's cache), which a second
 * SIGINT or SIGTERM must not leave behind. outfile_temporary makes path.XXXXXX
 * with the mode a new file would get and returns its descriptor (-1 with errno
 * set) and its name in *tmp (to free); outfile_rename renames it over path (0
 * or -1 with errno set); outfile_unlink removes it. Each holds SIGINT and
 * SIGTERM back while it runs, so a handler never meets a file half made or half
 * renamed.
 */
int outfile_temporary(const char *path, char **tmp);
int outfile_rename(const char *tmp, const char *path);
void outfile_unlink(const char *tmp);

/*
 * Remove every temporary file that exists, for a signal handler about to end
 * the process: async-signal-safe (unlink only).
 */
void outfile_remove_temporaries(void);

#endif
