/*
 * outfile.c: atomic output files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "outfile.h"

int
outfile_open(struct outfile *o, const char *path, struct error *e)
{
	int fd;
	mode_t mask;

	struct stat st;

	o->f = stdout;
	o->path = o->tmp = NULL;
	if (path == NULL)
		return 0;
	/*
	 * A device, a pipe or a terminal cannot be replaced by a rename (and must not
	 * be: as root, renaming over /dev/full would replace the device); write to
	 * it directly, as to standard output.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->f = fopen(path, "w")) == NULL)
			return error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno));
		o->path = xstrdup(path);
		return 0;
	}
	o->path = xstrdup(path);
	o->tmp = xmalloc(strlen(path) + sizeof(".XXXXXX"));
	strcpy(o->tmp, path);
	strcat(o->tmp, ".XXXXXX");
	if ((fd = mkstemp(o->tmp)) == -1) {
		error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno));
		free(o->tmp);
		free(o->path);
		o->tmp = o->path = NULL;
		return -1;
	}
	/* mkstemp makes the file 0600; give it the mode a new file would get. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	if ((o->f = fdopen(fd, "w")) == NULL) {
		error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno));
		close(fd);
		outfile_abort(o);
		return -1;
	}
	return 0;
}

int
outfile_commit(struct outfile *o, struct error *e)
{
	const char *name = o->path ? o->path : "standard output";

	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f) ||
	    (o->tmp && fsync(fileno(o->f)) != 0)) {
		error_set(e, EXIT_INPUT, "%s: %s", name, strerror(errno ? errno : EIO));
		outfile_abort(o);
		return -1;
	}
	if (o->path == NULL)
		return 0;
	if (fclose(o->f) != 0 || (o->tmp && rename(o->tmp, o->path) != 0)) {
		o->f = NULL;
		error_set(e, EXIT_INPUT, "%s: %s", name, strerror(errno));
		outfile_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->path);
	o->f = NULL;
	o->tmp = o->path = NULL;
	return 0;
}

void
outfile_abort(struct outfile *o)
{
	if (o->path == NULL)
		return;
	if (o->f != NULL)
		fclose(o->f);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->f = NULL;
	o->tmp = o->path = NULL;
}
