/*
 * outfile.c: atomic output files.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "outfile.h"

/*
 * The temporary files that exist, for outfile_remove_temporaries; a slot is
 * written only with the stop signals held back. descend has at most three
 * outfiles open at once (weights, --plot, a cache's); more are not tracked.
 */
#define LIVE_MAX 8
static const char *volatile live[LIVE_MAX];

/* Hold back SIGINT and SIGTERM, the mask as it was into *saved. */
static void
hold_stop_signals(sigset_t *saved)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	(void)pthread_sigmask(SIG_BLOCK, &set, saved);
}

/* Let them through again: the mask hold_stop_signals saved. */
static void
release_stop_signals(const sigset_t *saved)
{
	(void)pthread_sigmask(SIG_SETMASK, saved, NULL);
}

static void
track(const char *tmp, int on)
{
	for (size_t k = 0; k < LIVE_MAX; k++)
		if (on ? live[k] == NULL : live[k] == tmp) {
			live[k] = on ? tmp : NULL;
			return;
		}
}

void
outfile_remove_temporaries(void)
{
	for (size_t k = 0; k < LIVE_MAX; k++)
		if (live[k] != NULL)
			(void)unlink(live[k]);
}

int
outfile_temporary(const char *path, char **tmp)
{
	sigset_t saved;
	mode_t mask;
	int fd;

	*tmp = xmalloc(strlen(path) + sizeof(".XXXXXX"));
	strcpy(*tmp, path);
	strcat(*tmp, ".XXXXXX");
	hold_stop_signals(&saved);
	if ((fd = mkstemp(*tmp)) != -1)
		track(*tmp, 1);
	release_stop_signals(&saved);
	if (fd == -1) {
		int error = errno;

		free(*tmp);
		*tmp = NULL;
		errno = error;
		return -1;
	}
	/* mkstemp makes the file 0600; give it the mode a new file would get.
	 */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	return fd;
}

int
outfile_rename(const char *tmp, const char *path)
{
	sigset_t saved;
	int status, error;

	hold_stop_signals(&saved);
	if ((status = rename(tmp, path)) == 0)
		track(tmp, 0);
	error = errno;
	release_stop_signals(&saved);
	errno = error;
	return status;
}

void
outfile_unlink(const char *tmp)
{
	sigset_t saved;

	hold_stop_signals(&saved);
	(void)unlink(tmp);
	track(tmp, 0);
	release_stop_signals(&saved);
}

int
outfile_open(struct outfile *o, const char *path, struct error *e)
{
	int fd;
	struct stat st;

	o->f = stdout;
	o->path = o->tmp = NULL;
	if (path == NULL || strcmp(path, "-") == 0)
		return 0; /* standard output */
	/*
	 * A device, a pipe or a terminal cannot be replaced by a rename (and
	 * must not be: as root, renaming over /dev/full would replace the
	 * device); write to it directly, as to standard output.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->f = fopen(path, "w")) == NULL)
			return error_set(e, EXIT_INPUT, "%s: %s", path,
			    strerror(errno));
		o->path = xstrdup(path);
		return 0;
	}
	if ((fd = outfile_temporary(path, &o->tmp)) == -1)
		return error_set(e, EXIT_INPUT, "%s: %s", path,
		    strerror(errno));
	o->path = xstrdup(path);
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
	int closed;

	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f) ||
	    (o->tmp && fsync(fileno(o->f)) != 0)) {
		error_set(e, EXIT_INPUT, "%s: %s", name,
		    strerror(errno ? errno : EIO));
		outfile_abort(o);
		return -1;
	}
	if (o->path == NULL)
		return 0;
	closed = fclose(o->f);
	o->f = NULL;
	if (closed != 0 ||
	    (o->tmp != NULL && outfile_rename(o->tmp, o->path) != 0)) {
		error_set(e, EXIT_INPUT, "%s: %s", name, strerror(errno));
		outfile_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->path);
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
		outfile_unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->f = NULL;
	o->tmp = o->path = NULL;
}
