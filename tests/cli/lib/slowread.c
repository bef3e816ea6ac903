/*
 * slowread.c: an LD_PRELOAD library for the progress tests. It makes the reading
 * of a large regular file slow, as from a slow disk, without making the file a
 * pipe (whose size would be unknown): each read(2) or pread(2) of a regular file
 * of more than 64 KiB returns at most 32 KiB, the second one after a pause of
 * 0.6 seconds (more than the half second before the progress line appears), and
 * every later one after 50 milliseconds, so that the line is drawn several times
 * while the rest of the file loads. The first pread of 64 KiB at offset 0, the
 * look at the first lines that detects the delimiter, is left alone. Other
 * descriptors (pipes, terminals, small
 * files such as those of /proc and /sys) are read as usual.
 *
 * Build: cc -shared -fPIC -o slowread.so slowread.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

enum { PIECE = 32 * 1024, LARGE = 64 * 1024, HEAD = 64 * 1024 };

/* Whether the first read of the head (64 KiB at offset 0) has been made. */
static int counted_head;

/* How many reads of large files there have been. */
static atomic_int reads;

static int
large_file(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > LARGE;
}

static void
pause_for(long nanoseconds)
{
	struct timespec t = { .tv_sec = nanoseconds / 1000000000,
	    .tv_nsec = nanoseconds % 1000000000 };

	while (nanosleep(&t, &t) != 0)
		continue;
}

/* The size to ask for on fd instead of n, after the pause that this read needs. */
static size_t
slow(int fd, size_t n)
{
	int k;

	if (!large_file(fd))
		return n;
	k = atomic_fetch_add(&reads, 1);
	if (k == 1)
		pause_for(600000000);
	else if (k > 1)
		pause_for(50000000);
	return n < PIECE ? n : PIECE;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	return real(fd, buf, slow(fd, n));
}

ssize_t
pread(int fd, void *buf, size_t n, off_t at)
{
	static ssize_t (*real)(int, void *, size_t, off_t);

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");
	/* The look at the file's first lines before the load (the delimiter's
	 * detection) is neither slowed nor counted. */
	if (at == 0 && n == HEAD && !counted_head++)
		return real(fd, buf, n, at);
	return real(fd, buf, slow(fd, n), at);
}

ssize_t
pread64(int fd, void *buf, size_t n, off_t at)
{
	return pread(fd, buf, n, at);
}
