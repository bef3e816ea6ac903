/*
 * shard.h: each rank's share of the input, for a fit spread over the ranks of a
 * cluster (cluster.h): a byte range of one file, cut at record boundaries, or
 * whole files of a glob (--shards), shared out in sorted order. Rank 0's header
 * names the columns for all.
 */
#ifndef DESCEND_SHARD_H
#define DESCEND_SHARD_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"
#include "table.h"

/*
 * Read this rank's share into ds (initialized here, spread: see dataset.h),
 * with opt's columns and parsing; collective. With pattern NULL, rank r of K
 * reads part r of K of the regular file input (table_plan_range), or, when the
 * file cannot be cut (a quoted field or CR line ends), rank 0 reads all of it
 * and *cut is set to 0 (else 1). With a pattern, its matches sorted by name are
 * dealt out in order, rank r taking matches [S·r/K, S·(r+1)/K) of S; each must
 * begin with rank 0's first file's header (or, without one, have as many
 * fields). The shares in rank order are then the rows of the input, or of the
 * files one after the other. *dropped is set to the rows left out for missing
 * values on all ranks. Returns 0, or -1 on every rank with e filled by the
 * error of the lowest rank that failed (EXIT_INPUT, or EXIT_USAGE for columns
 * the input lacks or a pattern that matches nothing); opt itself is left as
 * given.
 */
int shard_read(const char *input, const char *pattern,
    const struct table_options *opt, struct dataset *ds, size_t *dropped,
    int *cut, struct error *e);

#endif
