/*
 * table_threads.h: inside the table layer, between table.c and
 * table_threads.c; no other module includes it. The state of one reading
 * (struct table), the stages of table.c that every reader runs, and the
 * readers of table_threads.c that run them on several threads or on one
 * part of a file.
 *
 * The stages, in the one direction the data goes (table_read says which
 * reader runs them):
 *   1. bytes -> records: csv.c (csv_read_*), the only caller of libcsv; the
 *      fields of t->numbers' columns come as doubles, the rest as text.
 *   2. first record -> columns: table_on_first / table_on_record on the
 *      first record: the header (or the first row's width), the target and
 *      features, the number columns (t->numbers), the categories.
 *   3. record -> row of doubles: table_on_record: the numbers as csv.c
 *      converted them, the missing values (--missing), the text cells of
 *      categorical features and class labels as level indices, any other
 *      cell converted and named when it is not a number.
 *   4. rows -> dataset: dataset_add_row; the threaded readers give each
 *      thread a window of rows and close the windows up in input order.
 */
#ifndef DESCEND_TABLE_THREADS_H
#define DESCEND_TABLE_THREADS_H

#include "category.h"
#include "csv.h"
#include "dataset.h"
#include "err.h"
#include "table.h"

/* One reading: set by the first record, then read-only but for the counts. */
struct table {
	const struct table_options *opt;
	struct dataset *ds;
	size_t ncols;	/* fields in every record */
	char **colname; /* (ncols) names of all columns */
	int *has_nul;	/* (ncols) 1 if the name holds a NUL byte */
	size_t *use;	/* (d + 1) column of each dataset column, target last */
	size_t nuse;
	int started;	      /* the first record has been seen */
	size_t dropped;	      /* rows left out for missing values */
	struct category *cat; /* (ncat) categorical features, by feature index
			       */
	size_t ncat;
	long *cat_of; /* (nuse) index into cat of each used column, or -1 */
	unsigned long long bytes; /* read so far, for opt->progress */
	size_t sunk;		  /* rows given to opt->row_sink */
	unsigned char *number;	  /* (ncols) 1: a used column of plain numbers,
				     which csv.c converts as it tokenizes */
	struct csv_numbers numbers; /* number, for csv_options.numbers */
	long weight_k; /* --weight: its index in use (the last feature
			  while reading, taken out at the end), or -1 */
};

/*
 * The csv_options of a reading into t: its name, its delimiter and its number
 * columns (none until the first record has set them).
 */
struct csv_options table_csv_options(const struct table *t);

/*
 * Stages 2 and 3, a csv_record_fn on a struct table: the first record sets the
 * columns (and is data too without a header); every later one becomes a row
 * of t->ds (or goes to opt->row_sink), or is left out for a missing value.
 */
int table_on_record(void *ctx, const struct csv_record *rec, struct error *e);

/* Stage 2 alone, a csv_record_fn: the first record; later ones are skipped. */
int table_on_first(void *ctx, const struct csv_record *rec, struct error *e);

/*
 * Forget what the first record set up, so that the file can be read again by
 * one thread: the column names and choice, and the empty dataset.
 */
void table_reset(struct table *t);

/* A csv_watch's block, on a struct table: tell opt->progress (one thread). */
void table_on_block(void *ctx, const char *bytes, size_t len);

/*
 * Whether the process runs under a limit of its address space (ulimit -v):
 * then one thread reads (see table.c).
 */
int table_address_space_limited(void);

/*
 * table_threads.c. Each reads fd into t (started or not) and returns 0, or -1
 * with e filled, or 1 when it cannot read this input (nothing has been read
 * or allocated then): the next reader of table_read's list is tried.
 *
 * table_read_file_threads: a regular file, cut into byte ranges parsed on
 * opt->threads threads (one range on one thread), when it has no quote after
 * its header, no lone CR, no categorical column, labels or row sink.
 * table_read_stream_threads: any other input, on 2 or more threads, in blocks
 * of lines (blocks.h), with the same exclusions.
 * table_read_one_range: the first record, then opt->range's rows (never 1).
 */
int table_read_file_threads(int fd, struct table *t, struct error *e);
int table_read_stream_threads(int fd, struct table *t, struct error *e);
int table_read_one_range(int fd, struct table *t, struct error *e);

#endif
