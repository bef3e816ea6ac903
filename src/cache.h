/*
 * cache.h: fit --cache, the binary form of a CSV's rows for inputs larger than
 * memory. Rows are streamed to a temporary file as they are parsed, scaled
 * there, and the file renamed into place; later fits map it read-only and train
 * on the mapping, without parsing the CSV or copying the rows into memory of
 * their own.
 *
 * The file (native byte order; all integers unsigned unless said):
 *
 *   offset  size  field
 *        0     8  magic "DESCEND\0"
 *        8     4  version (1)
 *       12     4  byte-order marker 0x01020304, as this machine stores it
 *       16     4  sizeof(double) (8)
 *       20     4  flags: bit 0, the CSV has a header row
 *       24     8  n, rows
 *       32     8  d, features
 *       40     8  data offset: where the rows start, a multiple of 4096
 *       48     8  the CSV's size in bytes
 *       56     8  the CSV's modification time, seconds (signed)
 *       64     8  and nanoseconds (signed)
 *       72     4  delimiter (a byte)
 *       76     4  --missing: 0 error, 1 drop
 *       80     4  --scale: 0 none, 1 zscore, 2 minmax
 *       84     4  0
 *       88     8  FNV-1a hash of the header ([0, header end), this field as 0)
 *       96        -t, -x, --drop as given: each a 4-byte length (0xffffffff:
 * not given) and its bytes; then the d + 1 column names, target last, each a
 * 4-byte length and its bytes; zeros to a multiple of 8; then the scaler: mean,
 * sd, shift, scale, d doubles each (header end); zeros to the data offset data
 * offset   n × (d + 1) doubles, row-major: the features scaled as the scaler
 * says, then the target as read. The file ends there.
 */
#ifndef DESCEND_CACHE_H
#define DESCEND_CACHE_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"
#include "scale.h"

/* What makes a cache the rows of one CSV read one way. */
struct cache_key {
	unsigned long long size; /* the CSV's size in bytes */
	long long mtime_sec;	 /* its st_mtim */
	long long mtime_nsec;
	unsigned char delimiter; /* -d */
	int header;		 /* 0 with --no-header */
	int missing;		 /* enum missing_policy: error or drop */
	int scaling;		 /* enum scaling */
	const char *target;	 /* -t, -x, --drop as given, or NULL */
	const char *features;
	const char *drop;
};

/* A cache being written: rows go to a temporary file next to the destination.
 */
struct cache_writer {
	char *path;	      /* the destination */
	char *tmp;	      /* the temporary file */
	int fd;		      /* open on tmp */
	struct cache_key key; /* borrowed from the caller */
	size_t d;	      /* features, once cache_columns is called */
	char **names;	      /* (d + 1) copies, target last */
	size_t n;	      /* rows written so far */
	size_t offset;	      /* where the rows start in the file */
	double *buf;	      /* (cap, d + 1) rows not yet written */
	size_t nbuf, cap;
};

/* How cache_open found path. */
enum cache_found {
	CACHE_OK,      /* a cache of the input wanted: ds and s filled */
	CACHE_STALE,   /* a sound cache of another input or options */
	CACHE_ABSENT,  /* no such file, or an empty one */
	CACHE_FOREIGN, /* a file that is not a cache (e filled) */
	CACHE_BAD      /* a cache that cannot be used (e filled) */
};

/*
 * Start writing a cache for the input key (which must outlive w) to path,
 * through a temporary file path.XXXXXX. Returns 0, or -1 with e filled.
 */
int cache_create(struct cache_writer *w, const char *path,
    const struct cache_key *key, struct error *e);

/* The columns, before the first row: d features and d + 1 names (copied). */
int cache_columns(struct cache_writer *w, size_t d, const char *const *names,
    struct error *e);

/* Append a row (d + 1 values, target last). Returns 0, or -1 with e filled. */
int cache_add_row(struct cache_writer *w, const double *row, struct error *e);

/*
 * Complete the file: fit the scaler to the rows written (at least 2) with
 * scaler_fit on a read-only mapping of them, so its statistics are those of
 * the rows in memory; scale the features in place; write the header, sync and
 * rename over the destination. Returns 0, or -1 with e filled (the temporary
 * file removed). Either way w is released.
 */
int cache_commit(struct cache_writer *w, int scaling, struct error *e);

/* Give up: remove the temporary file and release w. */
void cache_abort(struct cache_writer *w);

/*
 * Open the cache at path. With want (not NULL) it must be a cache of that input
 * (else CACHE_STALE); with NULL, any sound cache will do. On CACHE_OK, ds holds
 * the rows as a read-only mapping of the file (ds->map; dataset_free unmaps it)
 * and s the scaler they were scaled with (free with scaler_free).
 */
enum cache_found cache_open(const char *path, const struct cache_key *want,
    struct dataset *ds, struct scaler *s, struct error *e);

#endif
