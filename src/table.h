/*
 * table.h: from CSV records to a dataset. Owns the header, the choice of target
 * and feature columns (by name or 1-based number), and the strict conversion of
 * every used cell to a number, with errors that name file, line, column and
 * value.
 *
 * table_read's stages, in the one direction the data goes: bytes -> records
 * (csv.c, which converts the number columns as it tokenizes) -> columns from
 * the first record -> a row of doubles per record -> the dataset (table.c;
 * its head shows the way of one row). The readers on several threads, and of
 * one range of a file, run the same stages on parts of the input
 * (table_threads.c).
 */
#ifndef DESCEND_TABLE_H
#define DESCEND_TABLE_H

#include <sys/types.h>

#include "category.h"
#include "csv.h"
#include "dataset.h"
#include "failure.h"

/* What to do with a missing cell (empty, or NA) in a used column. */
enum missing_policy {
	MISSING_ERROR, /* stop with an error naming the cell */
	MISSING_DROP,  /* leave the row out */
	MISSING_MEAN   /* keep it as NaN, for dataset_impute; a row whose
			  target is missing is left out */
};

/* Bytes of a regular file that one reader (one rank of a cluster) reads alone.
 */
struct table_range {
	off_t start, end; /* [start, end): whole records, from a line's start */
	long first_line;  /* the line that start is on, for messages */
};

/* table_options.counts */
#define TABLE_COUNTS 1
#define TABLE_RATES 2

struct table_options {
	const char *name;	 /* input name in messages: path or "<stdin>" */
	unsigned char delimiter; /* field delimiter */
	int header;		 /* 1: the first record names the columns */
	const char *target;	 /* name or 1-based number; NULL: last column */
	const char *features; /* comma-separated names/numbers; NULL: all others
			       */
	const char *drop; /* comma-separated columns to leave out; NULL: none */
	const char *weight; /* name or 1-based number of the row weights'
			       column, not a feature; NULL: none. Each
			       weight must be finite and ≥ 0; they go to
			       ds->rw (dataset_weigh'ed) */
	enum missing_policy missing;
	int counts; /* TABLE_COUNTS: the target must be a whole number ≥ 0;
		       TABLE_RATES: a number ≥ 0; 0: any (-l poisson) */
	const char *categorical; /* comma-separated text feature columns */
	size_t *dropped;	 /* if not NULL, set to the rows left out */
	int *target_last;	 /* if not NULL, set to 1 if the target is the
				    input's last column, else 0 */
	struct category **categories; /* if not NULL, set to the categories */
	size_t *ncategories;	      /* (free each, then the array) */
	unsigned threads;	 /* to read a regular file with; 0 or 1: one */
	int reread;		 /* the dataset's reread (dataset.h) */
	struct category *labels; /* if not NULL: the target is a class label,
				    any text; its labels go here, sorted (see
				    category_sort_labels), and the target
				    holds their indices; freed on failure */
	/*
	 * If not NULL: told the bytes and the rows read so far, about once per
	 * block of input (a megabyte at most), from one thread at a time; with
	 * threads, an estimate that the last call may not bring to the total.
	 */
	void (*progress)(void *ctx, unsigned long long bytes,
	    unsigned long long rows);
	void *progress_ctx;
	/*
	 * If not NULL: each row (d + 1 values, target last) is given here, in
	 * the order of the input, instead of being kept in the dataset, which
	 * then holds the columns' names and no rows; the input is read by one
	 * thread. Returns 0, or -1 with e filled to stop the reading. Not with
	 * categorical columns or labels.
	 */
	int (*row_sink)(void *ctx, const double *row, struct error *e);
	void *row_sink_ctx;
	/*
	 * If not NULL: fd is a regular file, whose first record is read for the
	 * columns (the header, or the width of the first row without one), and
	 * then only the rows in range, on one thread. A range of fewer than 2
	 * rows, or none, is no error: the caller counts the rows of all ranges.
	 */
	const struct table_range *range;
	int decimal_comma; /* 1: numbers written 1,5 (csv_options) */
};

/*
 * Part `part` (from 0) of `parts` of the rows of the regular file fd (after its
 * header line, with header), cut after newlines as table_read's threads cut a
 * file, into r, whose first_line is left to the caller (who adds up the
 * newlines of the parts before: *newlines is this part's). Returns 0; 1 when
 * the rows cannot be cut there (a quote, which may hold a newline, or a lone
 * CR, is in this part); or -1 with e filled (EXIT_INPUT) for a file that is not
 * regular or cannot be read.
 */
int table_plan_range(int fd, int header, size_t part, size_t parts,
    struct table_range *r, long *newlines, struct error *e);

/*
 * The words that stand for a missing value by default, besides the empty cell:
 * pandas' read_csv default na_values (which hold R's NA, numpy's nan and
 * Excel's #N/A), comma-separated.
 */
#define TABLE_NA_DEFAULT \
	"NA,NaN,nan,-NaN,-nan,N/A,n/a,#N/A,#N/A N/A,#NA,NULL,null,None," \
	"<NA>,-1.#IND,-1.#QNAN,1.#IND,1.#QNAN"

/*
 * Make the comma-separated words of list (NULL: TABLE_NA_DEFAULT; "": none)
 * the missing values of table_is_missing, for the whole process: set once,
 * before any reading. Returns 0, or -1 with e filled (EXIT_USAGE) for a list
 * of more than 64 words or a word of more than 32 bytes.
 */
int table_na_values(const char *list, struct error *e);

/* Whether a cell's text stands for a missing value: empty, or one of the
 * words of table_na_values. */
int table_is_missing(const char *s, size_t len);

/*
 * Read all of fd into ds (initialized here; free with dataset_free). Columns
 * not used are never parsed. Categorical columns come out as their indicator
 * columns. Returns 0, or -1 with e filled: status EXIT_USAGE when the options
 * name columns the input lacks or the target as a feature, EXIT_INPUT for bad
 * data, too few rows (fewer than 2) or an I/O error.
 */
int table_read(int fd, const struct table_options *opt, struct dataset *ds,
    struct error *e);

/*
 * The name of column j (0-based) of ncols in an input without a header: x1, x2,
 * ..., with the last one named y when last_is_y (fit's and eval's convention).
 */
void table_column_name(char *buf, size_t size, size_t j, size_t ncols,
    int last_is_y);

/* 0 if rec has ncols fields, else -1 with "FILE:LINE: row has N fields,
 * expected M". */
int table_check_width(const char *file, const struct csv_record *rec,
    size_t ncols, struct error *e);

/* What table_cell's message adds for a cell of text. */
enum {
	TABLE_CELL_PLAIN = 0,	/* nothing (predict's and eval's cells) */
	TABLE_CELL_FEATURE = 1, /* fit's feature: --drop NAME, and
				   --categorical NAME for text */
	TABLE_CELL_TARGET = 2	/* fit's target: TABLE_TEXT_TARGET for text */
};

/*
 * Convert field col of rec, in the column named name, to *out; or return -1
 * with e filled (EXIT_INPUT) by the message for an empty, non-numeric or
 * out-of-range cell at FILE:LINE:COLUMN. drop_hint (TABLE_CELL_*) says what
 * the message suggests: with TABLE_CELL_FEATURE --drop NAME, and
 * --categorical NAME too for a cell of text ("setosa"); with
 * TABLE_CELL_TARGET, a cell of text ends the message with TABLE_TEXT_TARGET.
 */
#define TABLE_TEXT_TARGET \
	"(text in the target: class labels are fitted with -l logistic, two " \
	"classes, or -l softmax, more)"
int table_cell(const char *file, const struct csv_record *rec, size_t col,
    const char *name, int drop_hint, double *out, struct error *e);

#endif
