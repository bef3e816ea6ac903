/*
 * parallel.h: work over the rows of a dataset split into blocks of a fixed size
 * and run on several threads, with results that do not depend on how many: each
 * block writes its partial result into a slot of its own, and the caller
 * combines the slots in block order, so the additions happen in the same order
 * whatever the number of threads (and the machine).
 */
#ifndef DESCEND_PARALLEL_H
#define DESCEND_PARALLEL_H

#include <stddef.h>

/* Rows per block: 4096 rows of 20 doubles are 640 KB, a core's L2 share. */
#define PARALLEL_BLOCK 4096

/* The blocks of n rows: ⌈n / PARALLEL_BLOCK⌉, at least 1. */
size_t parallel_blocks(size_t n);

/* The processors online, at least 1: the default of --threads. */
unsigned parallel_processors(void);

/*
 * Call fn(ctx, b) once for every block b in [0, nblocks), on up to threads
 * threads (the calling one included), and return when all are done. Blocks may
 * run in any order and at the same time; fn must write only to block b's own
 * slots. Falls back to the calling thread alone if threads cannot be started.
 */
void parallel_run(size_t nblocks, unsigned threads,
    void (*fn)(void *ctx, size_t block), void *ctx);

#endif
