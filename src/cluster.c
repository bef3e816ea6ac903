/*
 * cluster.c: the ranks of an MPI job, or one process without MPI.
 *
 * All ranks must see the same result of every reduction, or their control flow
 * (a line search, a stopping rule) would part and their collectives stop
 * matching. MPI_Allreduce with MPI_SUM on doubles gives every rank the same
 * bits in each of Open MPI's algorithms (recursive doubling combines pairs
 * commutatively; ring, Rabenseifner and reduce-then-broadcast compute each
 * element once and copy it), which is what this module relies on.
 */
#ifdef DESCEND_MPI
#define _DEFAULT_SOURCE /* on_exit, which is told the exit status */
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

static unsigned long long reduced; /* bytes given to reductions */

/* The whole number in environment variable name, or -1. */
static long
env_number(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v < '0' || *v > '9')
		return -1;
	n = strtol(v, &end, 10);
	return *end == '\0' ? n : -1;
}

int
cluster_launched(int *rank)
{
	static const char *const names[][2] = {
		{ "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK" },
		{ "PMI_SIZE", "PMI_RANK" },
	};

	*rank = 0;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		long size = env_number(names[k][0]),
		     r = env_number(names[k][1]);

		if (size > 1 && size <= INT32_MAX && r >= 0 && r < size) {
			*rank = (int)r;
			return (int)size;
		}
	}
	return 1;
}

#ifdef DESCEND_MPI

#include <fcntl.h>
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int joined, left; /* MPI_Init, MPI_Finalize called */
static int rank, size = 1;
static MPI_Comm exit_comm;    /* for leaving only, apart from the work */
static int saved_stderr = -1; /* the real standard error, off rank 0 */
static int held_stderr = -1;  /* the temporary file standing in for it */

/* Write out what this rank's standard error held, to the real one. */
static void
show_held(void)
{
	char buf[65536];
	off_t end;
	ssize_t got;

	if (held_stderr < 0 || saved_stderr < 0)
		return;
	fflush(stderr);
	if ((end = lseek(held_stderr, 0, SEEK_END)) <= 0)
		return;
	/* The end of it, where the error is, if it is long. */
	lseek(held_stderr,
	    end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0, SEEK_SET);
	while ((got = read(held_stderr, buf, sizeof(buf))) > 0)
		if (write(saved_stderr, buf, (size_t)got) != got)
			break;
}

/*
 * Leave the job with exit status status: wait (up to wait seconds, or for ever
 * if wait < 0) for every rank to leave too, learning their statuses; then
 * finalize, showing this rank's held messages if it failed and rank 0 did not
 * (so that rank 0 has not said why). If they do not all come, end the job.
 */
static void
leave(int status, int wait)
{
	struct timespec tick = { 0, 1000000 };
	int *all, done = 0;
	MPI_Request req;
	time_t start = time(NULL);

	if (!joined || left)
		return;
	left = 1;
	fflush(stdout);
	fflush(stderr);
	all = calloc((size_t)size, sizeof(int));
	if (all == NULL ||
	    MPI_Iallgather(&status, 1, MPI_INT, all, 1, MPI_INT, exit_comm,
		&req) != MPI_SUCCESS) {
		show_held();
		MPI_Abort(MPI_COMM_WORLD, status ? status : EXIT_INPUT);
	}
	while (MPI_Test(&req, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS &&
	    !done && (wait < 0 || time(NULL) - start <= wait))
		nanosleep(&tick, NULL);
	if (!done) {
		show_held();
		MPI_Abort(MPI_COMM_WORLD, status ? status : EXIT_INPUT);
	}
	if (status != 0 && all[0] == 0)
		show_held();
	free(all);
	MPI_Finalize();
}

static void
on_exit_status(int status, void *arg)
{
	(void)arg;
	leave(status, CLUSTER_EXIT_WAIT);
}

/* Off rank 0: standard output to /dev/null, standard error held in a file. */
static void
hold_outputs(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int null = open("/dev/null", O_WRONLY), fd;

	fflush(stdout);
	fflush(stderr);
	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	snprintf(path, sizeof(path), "%s/descend-rank-XXXXXX",
	    dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return;
	unlink(path);
	if ((saved_stderr = dup(STDERR_FILENO)) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		return;
	}
	held_stderr = fd;
}

void
cluster_init(int *argc, char ***argv)
{
	int provided;

	if (joined)
		return;
	/* Threads (parallel.c) do arithmetic only; MPI is called from this one.
	 */
	MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Comm_dup(MPI_COMM_WORLD, &exit_comm);
	joined = 1;
	on_exit(on_exit_status, NULL);
	if (rank != 0)
		hold_outputs();
}

int
cluster_rank(void)
{
	return rank;
}

int
cluster_size(void)
{
	return size;
}

void
cluster_finish(void)
{
	leave(0, -1);
}

/* x reduced by op over the ranks, in slices that an int can count. */
static void
reduce(double *x, size_t count, MPI_Op op)
{
	reduced += count * sizeof(double);
	for (size_t at = 0; size > 1 && at < count; at += INT_MAX) {
		size_t n = count - at < INT_MAX ? count - at : INT_MAX;

		MPI_Allreduce(MPI_IN_PLACE, x + at, (int)n, MPI_DOUBLE, op,
		    MPI_COMM_WORLD);
	}
}

void
cluster_sum(double *x, size_t count)
{
	reduce(x, count, MPI_SUM);
}

void
cluster_min(double *x, size_t count)
{
	reduce(x, count, MPI_MIN);
}

void
cluster_max(double *x, size_t count)
{
	reduce(x, count, MPI_MAX);
}

size_t
cluster_sum_size(size_t n)
{
	unsigned long long v = n;

	reduced += sizeof(v);
	if (size > 1)
		MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_UNSIGNED_LONG_LONG,
		    MPI_SUM, MPI_COMM_WORLD);
	return (size_t)v;
}

void
cluster_broadcast(void *buf, size_t bytes, int root)
{
	for (size_t at = 0; size > 1 && at < bytes; at += INT_MAX) {
		size_t n = bytes - at < INT_MAX ? bytes - at : INT_MAX;

		MPI_Bcast((char *)buf + at, (int)n, MPI_BYTE, root,
		    MPI_COMM_WORLD);
	}
}

void
cluster_allgather(const void *mine, size_t bytes, void *all)
{
	if (size == 1 || bytes > INT_MAX) {
		if (size == 1)
			memmove(all, mine, bytes);
		else
			MPI_Abort(MPI_COMM_WORLD, EXIT_INPUT);
		return;
	}
	MPI_Allgather(mine, (int)bytes, MPI_BYTE, all, (int)bytes, MPI_BYTE,
	    MPI_COMM_WORLD);
}

void
cluster_gather(const void *mine, size_t bytes, void *all)
{
	if (size == 1 || bytes > INT_MAX) {
		if (size == 1)
			memmove(all, mine, bytes);
		else
			MPI_Abort(MPI_COMM_WORLD, EXIT_INPUT);
		return;
	}
	MPI_Gather(mine, (int)bytes, MPI_BYTE, all, (int)bytes, MPI_BYTE, 0,
	    MPI_COMM_WORLD);
}

int
cluster_check(int status, struct error *e)
{
	int mine = status != 0 ? rank : size, first = mine;

	if (size > 1)
		MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN,
		    MPI_COMM_WORLD);
	if (first == size)
		return 0;
	if (size > 1)
		MPI_Bcast(e, (int)sizeof(*e), MPI_BYTE, first, MPI_COMM_WORLD);
	return -1;
}

const char *
cluster_library(void)
{
	static char name[MPI_MAX_LIBRARY_VERSION_STRING];
	int len = 0;

	if (MPI_Get_library_version(name, &len) != MPI_SUCCESS)
		return "MPI";
	name[strcspn(name, ",\n")] = '\0'; /* "Open MPI v4.1.4" */
	return name;
}

#else /* one process */

void
cluster_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
}

int
cluster_rank(void)
{
	return 0;
}

int
cluster_size(void)
{
	return 1;
}

void
cluster_finish(void)
{
}

void
cluster_sum(double *x, size_t count)
{
	(void)x;
	reduced += count * sizeof(double);
}

void
cluster_min(double *x, size_t count)
{
	(void)x;
	reduced += count * sizeof(double);
}

void
cluster_max(double *x, size_t count)
{
	(void)x;
	reduced += count * sizeof(double);
}

size_t
cluster_sum_size(size_t n)
{
	reduced += sizeof(unsigned long long);
	return n;
}

void
cluster_broadcast(void *buf, size_t bytes, int root)
{
	(void)buf;
	(void)bytes;
	(void)root;
}

void
cluster_allgather(const void *mine, size_t bytes, void *all)
{
	memmove(all, mine, bytes);
}

void
cluster_gather(const void *mine, size_t bytes, void *all)
{
	memmove(all, mine, bytes);
}

int
cluster_check(int status, struct error *e)
{
	(void)e;
	return status != 0 ? -1 : 0;
}

const char *
cluster_library(void)
{
	return NULL;
}

#endif

unsigned long long
cluster_reduced_bytes(void)
{
	return reduced;
}
