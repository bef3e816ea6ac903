/*
 * parallel.c: a block loop on POSIX threads. Workers take the next block from a
 * shared atomic counter, so a slow block does not hold the others up; which
 * thread runs a block never matters, since blocks write only their own slots.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "parallel.h"

size_t
parallel_blocks(size_t n)
{
	return n == 0 ? 1 : (n + PARALLEL_BLOCK - 1) / PARALLEL_BLOCK;
}

unsigned
parallel_processors(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

struct job {
	size_t nblocks;
	atomic_size_t next; /* the next block to take */
	void (*fn)(void *ctx, size_t block);
	void *ctx;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	size_t b;

	while ((b = atomic_fetch_add(&j->next, 1)) < j->nblocks)
		j->fn(j->ctx, b);
	return NULL;
}

/* At most this many threads, whatever --threads says. */
#define MAX_THREADS 256

/* Stack of a worker thread: the blocks use a few KB of it. */
#define WORKER_STACK ((size_t)1 << 20)

void
parallel_run(size_t nblocks, unsigned threads,
    void (*fn)(void *ctx, size_t block), void *ctx)
{
	struct job j = { .nblocks = nblocks, .fn = fn, .ctx = ctx };
	pthread_t tid[MAX_THREADS];
	pthread_attr_t attr;
	unsigned started = 0;

	atomic_init(&j.next, 0);
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads > nblocks)
		threads = (unsigned)nblocks;
	/*
	 * The blocks keep their data on the heap; the default 8 MB stacks
	 * (which glibc caches after a join) would take address space that a run
	 * under ulimit -v needs for the data.
	 */
	if (threads > 1 && pthread_attr_init(&attr) == 0) {
		pthread_attr_setstacksize(&attr, WORKER_STACK);
		for (unsigned t = 1; t < threads; t++) {
			if (pthread_create(&tid[started], &attr, worker, &j) !=
			    0)
				break; /* fewer threads; the work still gets
					  done */
			started++;
		}
		pthread_attr_destroy(&attr);
	}
	worker(&j);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}
