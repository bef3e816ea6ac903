/*
 * slowsync.c: an LD_PRELOAD library for the signal tests. fsync(2) first creates
 * the file named by $SLOWSYNC_MARK (when set), then pauses for 3 seconds before it
 * syncs: a test that waits for the mark knows descend is between writing a
 * temporary file and renaming it into place, and can send a signal there.
 *
 * Build: cc -shared -fPIC -o slowsync.so slowsync.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
fsync(int fd)
{
	static int (*real)(int);
	const char *mark = getenv("SLOWSYNC_MARK");
	struct timespec t = { .tv_sec = 3, .tv_nsec = 0 };
	int m;

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (mark != NULL && (m = open(mark, O_WRONLY | O_CREAT, 0644)) >= 0)
		close(m);
	while (nanosleep(&t, &t) != 0)
		continue;
	return real(fd);
}
