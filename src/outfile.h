/*
 * outfile.h: results written so that a reader never sees half of them. A path is
 * written through a temporary file in the same directory, flushed to disk and
 * renamed over the path only when complete; a failure removes the temporary file
 * and leaves an existing file untouched. No path means standard output, which is
 * a stream: what was written stays written; so is a path that names something other
 * than a regular file (a device such as /dev/full, a pipe), written directly.
 */
#ifndef DESCEND_OUTFILE_H
#define DESCEND_OUTFILE_H

#include <stdio.h>

#include "err.h"

struct outfile {
	FILE *f;		/* write here */
	char *path;		/* the destination, or NULL for standard output */
	char *tmp;		/* the temporary file, or NULL */
};

/* Open path (NULL: standard output). Returns 0, or -1 with e filled (EXIT_INPUT). */
int outfile_open(struct outfile *o, const char *path, struct error *e);

/*
 * Flush and, for a path, sync, close and rename into place. Returns 0, or -1 with
 * e filled (EXIT_INPUT) after removing the temporary file.
 */
int outfile_commit(struct outfile *o, struct error *e);

/* Give up: close and remove the temporary file (standard output is left alone). */
void outfile_abort(struct outfile *o);

#endif
