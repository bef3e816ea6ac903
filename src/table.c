/*
 * table.c: header, column selection and number conversion, one record at a time.
 *
 * The first record fixes the column names (from the header, or x1..xd and y with no
 * header) and so which columns are used; later records must have as many fields, and
 * only their used cells are converted, straight into the dataset's next row.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blocks.h"
#include "csv.h"
#include "num.h"
#include "parallel.h"
#include "model.h"
#include "table.h"

struct table {
	const struct table_options *opt;
	struct dataset *ds;
	size_t ncols;		/* fields in every record */
	char **colname;		/* (ncols) names of all columns */
	int *has_nul;		/* (ncols) 1 if the name holds a NUL byte */
	size_t *use;		/* (d + 1) column of each dataset column, target last */
	size_t nuse;
	int started;		/* the first record has been seen */
	size_t dropped;		/* rows left out for missing values */
	struct category *cat;	/* (ncat) categorical features, by feature index */
	size_t ncat;
	long *cat_of;		/* (nuse) index into cat of each used column, or -1 */
	unsigned long long bytes;	/* read so far, for opt->progress */
	size_t sunk;		/* rows given to opt->row_sink */
	long *direct;		/* (ncols) the dataset column a field of plain numbers
				   is converted into as it is read, or -1 */
	double *row;		/* the row take_field began for this record, or NULL */
};

/* Index of the column spec names (a name first, else a 1-based number), or -1. */
static long
find_column(const struct table *t, const char *spec, struct error *e)
{
	long found = -1;
	char *end;
	unsigned long k;

	for (size_t j = 0; j < t->ncols; j++) {
		if (strcmp(t->colname[j], spec) != 0)
			continue;
		if (found >= 0) {
			error_set(e, EXIT_INPUT, "%s:1: column name \"%s\" appears "
			    "twice (columns %ld and %zu)", t->opt->name, spec,
			    found + 1, j + 1);
			return -2;
		}
		found = (long)j;
	}
	if (found >= 0 || spec[0] < '0' || spec[0] > '9')
		return found;
	k = strtoul(spec, &end, 10);
	if (*end != '\0' || k < 1 || k > t->ncols)
		return -1;
	return (long)k - 1;
}

static int
is_used(const struct table *t, size_t col)
{
	for (size_t k = 0; k < t->nuse; k++)
		if (t->use[k] == col)
			return 1;
	return 0;
}

/* Add the columns in the comma-separated list to t->use (features) or mark them dropped. */
static int
add_list(struct table *t, const char *list, const char *what, char *dropped,
    size_t target, struct error *e)
{
	char *copy = xstrdup(list), *item = copy, *comma;
	int status = 0;

	for (; status == 0 && item != NULL; item = comma ? comma + 1 : NULL) {
		long col;

		if ((comma = strchr(item, ',')) != NULL)
			*comma = '\0';
		col = find_column(t, item, e);

		if (col == -2)
			status = -1;
		else if (col < 0 && dropped != NULL)
			status = error_set(e, EXIT_USAGE, "%s: column \"%s\" in "
			    "--drop not found", t->opt->name, item);
		else if (col < 0)
			status = error_set(e, EXIT_USAGE, "%s: feature column \"%s\" "
			    "not found", t->opt->name, item);
		else if ((size_t)col == target)
			status = error_set(e, EXIT_USAGE, "%s: %s \"%s\" is the "
			    "target column", t->opt->name, what, t->colname[col]);
		else if (dropped != NULL)
			dropped[col] = 1;
		else if (is_used(t, (size_t)col))
			status = error_set(e, EXIT_USAGE, "%s: %s \"%s\" is given "
			    "twice", t->opt->name, what, item);
		else
			t->use[t->nuse++] = (size_t)col;
	}
	free(copy);
	return status;
}

/* Used columns ordered by name, then by position, to find duplicates in O(n log n). */
struct named {
	const char *name;
	size_t column;
};

static int
compare_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->column > y->column) - (x->column < y->column);
}

/* Check that the used columns have distinct, non-empty, unreserved names. */
static int
check_names(const struct table *t, struct error *e)
{
	struct named *sorted = xcalloc(t->nuse, sizeof(*sorted));
	int status = 0;

	for (size_t a = 0; a < t->nuse && status == 0; a++) {
		const char *name = t->colname[t->use[a]];

		sorted[a] = (struct named){ name, t->use[a] };
		if (t->has_nul[t->use[a]])
			status = error_set(e, EXIT_INPUT, "%s:1: the name of column %zu "
			    "holds a NUL byte", t->opt->name, t->use[a] + 1);
		else if (name[0] == '\0')
			status = error_set(e, EXIT_INPUT, "%s:1: column %zu has an "
			    "empty name", t->opt->name, t->use[a] + 1);
		else if (strcmp(name, MODEL_INTERCEPT) == 0)
			status = error_set(e, EXIT_INPUT, "%s:1: column %zu is named "
			    "\"%s\", which the weights file reserves",
			    t->opt->name, t->use[a] + 1, name);
	}
	if (status == 0)
		qsort(sorted, t->nuse, sizeof(*sorted), compare_named);
	for (size_t a = 1; a < t->nuse && status == 0; a++)
		if (strcmp(sorted[a - 1].name, sorted[a].name) == 0)
			status = error_set(e, EXIT_INPUT, "%s:1: column name \"%s\" "
			    "appears twice (columns %zu and %zu)", t->opt->name,
			    sorted[a].name, sorted[a - 1].column + 1,
			    sorted[a].column + 1);
	free(sorted);
	return status;
}

static int
compare_cat(const void *a, const void *b)
{
	const struct category *x = a, *y = b;

	return (x->feature > y->feature) - (x->feature < y->feature);
}

/* Mark the features named in --categorical as text columns with levels. */
static int
select_categories(struct table *t, struct error *e)
{
	char *copy, *item, *comma;
	int status = 0;

	t->cat_of = xcalloc(t->nuse, sizeof(long));
	for (size_t k = 0; k < t->nuse; k++)
		t->cat_of[k] = -1;
	if (t->opt->categorical == NULL)
		return 0;
	copy = xstrdup(t->opt->categorical);
	t->cat = xcalloc(t->nuse, sizeof(*t->cat));
	for (item = copy; status == 0 && item != NULL;
	    item = comma ? comma + 1 : NULL) {
		long col;
		size_t k = 0;

		if ((comma = strchr(item, ',')) != NULL)
			*comma = '\0';
		if ((col = find_column(t, item, e)) == -2) {
			status = -1;
			break;
		}
		while (k + 1 < t->nuse && (col < 0 || t->use[k] != (size_t)col))
			k++;
		if (col < 0 || k + 1 == t->nuse)
			status = error_set(e, EXIT_USAGE, "%s: --categorical column "
			    "\"%s\" is not a feature", t->opt->name, item);
		else if (t->cat_of[k] < 0) {
			t->cat_of[k] = 0;
			category_init(&t->cat[t->ncat++], t->colname[col], k);
		}
	}
	free(copy);
	/* Keep them in feature order, as category_expand wants. */
	qsort(t->cat, t->ncat, sizeof(*t->cat), compare_cat);
	for (size_t c = 0; c < t->ncat; c++)
		t->cat_of[t->cat[c].feature] = (long)c;
	return status;
}

/* Decide the target and features from the column names. */
static int
select_columns(struct table *t, struct error *e)
{
	const struct table_options *o = t->opt;
	size_t target = t->ncols - 1;
	const char **names;

	if (o->target != NULL) {
		long col = find_column(t, o->target, e);

		if (col == -2)
			return -1;
		if (col < 0 && o->target[0] != '\0' &&
		    strspn(o->target, "0123456789") == strlen(o->target))
			return error_set(e, EXIT_USAGE, "%s: target column %s not "
			    "found (the input has %zu columns)", o->name, o->target,
			    t->ncols);
		if (col < 0)
			return error_set(e, EXIT_USAGE, "%s: target column \"%s\" "
			    "not found", o->name, o->target);
		target = (size_t)col;
	}
	t->use = xcalloc(t->ncols, sizeof(*t->use));
	if (o->features != NULL) {
		if (add_list(t, o->features, "feature", NULL, target, e))
			return -1;
	} else {
		char *dropped = xcalloc(t->ncols, 1);
		int status = 0;

		if (o->drop != NULL)
			status = add_list(t, o->drop, "--drop", dropped, target, e);
		for (size_t j = 0; status == 0 && j < t->ncols; j++)
			if (j != target && !dropped[j])
				t->use[t->nuse++] = j;
		free(dropped);
		if (status)
			return -1;
	}
	t->use[t->nuse++] = target;
	if (check_names(t, e) || select_categories(t, e))
		return -1;
	names = xcalloc(t->nuse, sizeof(*names));
	for (size_t k = 0; k < t->nuse; k++)
		names[k] = t->colname[t->use[k]];
	dataset_init(t->ds, t->nuse - 1, names);
	t->ds->reread = t->opt->reread;
	free(names);
	return 0;
}

void
table_column_name(char *buf, size_t size, size_t j, size_t ncols, int last_is_y)
{
	if (last_is_y && j + 1 == ncols)
		snprintf(buf, size, "y");
	else
		snprintf(buf, size, "x%zu", j + 1);
}

int
table_check_width(const char *file, const struct csv_record *rec, size_t ncols,
    struct error *e)
{
	if (rec->nfields == ncols)
		return 0;
	return error_set(e, EXIT_INPUT, "%s:%ld: row has %zu field%s, expected %zu",
	    file, rec->line, rec->nfields, rec->nfields == 1 ? "" : "s", ncols);
}

int
table_cell(const char *file, const struct csv_record *rec, size_t col,
    const char *name, int drop_hint, double *out, struct error *e)
{
	enum num_status status = num_parse(rec->field[col], rec->len[col], out);
	char value[128];

	if (status == NUM_OK)
		return 0;
	if (status == NUM_EMPTY)
		return error_set(e, EXIT_INPUT, "%s:%ld:%zu: empty cell in column "
		    "\"%s\" (expected a number)", file, rec->line, col + 1, name);
	error_quote(value, sizeof(value), rec->field[col], rec->len[col]);
	if (status == NUM_RANGE)
		return error_set(e, EXIT_INPUT, "%s:%ld:%zu: \"%s\" in column \"%s\" "
		    "is out of range", file, rec->line, col + 1, value, name);
	return error_set(e, EXIT_INPUT, "%s:%ld:%zu: \"%s\" in column \"%s\" is not "
	    "a number%s%s%s", file, rec->line, col + 1, value, name,
	    drop_hint ? " (leave it out with --drop " : "", drop_hint ? name : "",
	    drop_hint ? ")" : "");
}

static int
start(struct table *t, const struct csv_record *rec, struct error *e)
{
	t->ncols = rec->nfields;
	t->colname = xcalloc(t->ncols, sizeof(*t->colname));
	t->has_nul = xcalloc(t->ncols, sizeof(*t->has_nul));
	for (size_t j = 0; j < t->ncols; j++) {
		char name[32];

		if (t->opt->header) {
			t->colname[j] = xstrdup(rec->field[j]);
			t->has_nul[j] = strlen(rec->field[j]) != rec->len[j];
			continue;
		}
		table_column_name(name, sizeof(name), j, t->ncols, 1);
		t->colname[j] = xstrdup(name);
	}
	t->started = 1;
	if (select_columns(t, e) != 0)
		return -1;
	/*
	 * Columns of plain numbers (not categorical, not class labels) are converted
	 * by take_field straight from the tokenizer's buffer; a column used twice is
	 * left to on_record.
	 */
	t->direct = xcalloc(t->ncols, sizeof(*t->direct));
	for (size_t j = 0; j < t->ncols; j++)
		t->direct[j] = -1;
	for (size_t k = 0; k < t->nuse; k++) {
		size_t col = t->use[k];

		if (t->cat_of[k] >= 0 || (k + 1 == t->nuse && t->opt->labels != NULL))
			continue;
		t->direct[col] = t->direct[col] == -1 ? (long)k : -2;
	}
	return 0;
}

/*
 * The field hook (csv.h): a field of a plain numeric column that is a number goes
 * into its row at once, without the copy and the second look on_record would give
 * it (in a load of numbers they cost about a tenth of the time). Anything else, a
 * missing value or a bad number among them, is left to on_record, which says
 * what is wrong with it. The hook's pad is what num_parse_padded may read.
 */
_Static_assert(CSV_FIELD_PAD + 1 >= NUM_PAD, "num_parse_padded reads past the pad");

static int
take_field(void *ctx, size_t index, const char *s, size_t len)
{
	struct table *t = ctx;
	long k;
	double v;

	if (t->direct == NULL || index >= t->ncols || (k = t->direct[index]) < 0 ||
	    num_parse_padded(s, len, &v) != NUM_OK)
		return 0;
	if (t->row == NULL && (t->row = dataset_add_row(t->ds)) == NULL)
		return 0;
	t->row[k] = v;
	return 1;
}

static int
on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct table *t = ctx;
	double *row;

	if (!t->started) {
		if (start(t, rec, e))
			return -1;
		if (t->opt->header)
			return 0;
	}
	if (table_check_width(t->opt->name, rec, t->ncols, e))
		return -1;
	/* The row take_field began, if it took a field of this record. */
	row = t->row;
	t->row = NULL;
	if (row == NULL && (row = dataset_add_row(t->ds)) == NULL)
		return error_set(e, EXIT_INPUT, "%s:%ld: out of memory while reading "
		    "row %zu", t->opt->name, rec->line, t->ds->n + 1);
	/*
	 * take_field fills a different row[k] with each field it takes, so when
	 * it took nuse of them the row is whole.
	 */
	for (size_t k = 0; rec->taken < t->nuse && k < t->nuse; k++) {
		size_t col = t->use[k];
		int target = k + 1 == t->nuse;

		if (rec->field[col] == NULL)
			continue;	/* taken: row[k] holds it */
		if (t->opt->missing != MISSING_ERROR &&
		    table_is_missing(rec->field[col], rec->len[col])) {
			if (t->opt->missing == MISSING_DROP || target) {
				t->ds->n--;	/* take back the row */
				t->dropped++;
				return 0;
			}
			row[k] = (double)NAN;
			continue;
		}
		if (t->cat_of[k] >= 0 &&
		    table_is_missing(rec->field[col], rec->len[col]))
			return error_set(e, EXIT_INPUT, "%s:%ld:%zu: missing value in "
			    "column \"%s\" (see --missing)", t->opt->name, rec->line,
			    col + 1, t->colname[col]);
		if (target && t->opt->labels != NULL &&
		    table_is_missing(rec->field[col], rec->len[col]))
			return error_set(e, EXIT_INPUT, "%s:%ld:%zu: missing class "
			    "label in column \"%s\" (see --missing)", t->opt->name,
			    rec->line, col + 1, t->colname[col]);
		if (target && t->opt->labels != NULL)
			row[k] = (double)category_level(t->opt->labels,
			    rec->field[col]);
		else if (t->cat_of[k] >= 0)
			row[k] = (double)category_level(&t->cat[t->cat_of[k]],
			    rec->field[col]);
		else if (table_cell(t->opt->name, rec, col, t->colname[col], !target,
		    &row[k], e))
			return -1;
	}
	if (t->opt->row_sink != NULL) {
		t->ds->n--;	/* the row goes to the sink, not the dataset */
		t->sunk++;
		return t->opt->row_sink(t->opt->row_sink_ctx, row, e);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Reading a regular file on several threads                                 */
/* ------------------------------------------------------------------------ */

/*
 * A regular file of numbers is cut into byte ranges, each starting after a
 * newline, CHUNKS_PER_THREAD of them per thread, so that a thread on a slower
 * processor takes fewer; each range is parsed into its own window of the rows,
 * and the windows are closed up at the end. A quoted field may hold a newline, so
 * a cut could land inside one: a file with a quote after its header, or a lone CR
 * (a line end that the cuts do not see), is read by one thread as before, and so
 * is one with text columns to encode (their levels are numbered in order of
 * appearance). Messages name the same lines as the one-thread reading does.
 */

/*
 * Ranges per thread. The threads take ranges as they finish the last: with one
 * range each, two threads of equal work were seen to end 20% apart (processors
 * of a virtual machine are not equal); more ranges cost a little more set-up.
 */
#define CHUNKS_PER_THREAD 4

/* Below this size one thread reads faster than several start. */
#define PARALLEL_MIN_BYTES ((off_t)4 << 20)

/* Bytes looked at for the header's end, and for each cut's next newline. */
#define HEAD_BYTES 65536

struct chunk {
	struct ranges *ranges;		/* the plan it belongs to */
	unsigned long long told;	/* rows added to ranges->rows so far */
	off_t start, end;		/* bytes [start, end) */
	long newlines, quotes, crs;	/* counted by the survey */
	long first_line;		/* line of its first byte */
	struct table t;			/* its reading state; the columns shared */
	struct dataset rows;		/* its window of the dataset's rows */
	struct error e;
	int status;
};

struct ranges {
	int fd;
	const struct table_options *opt;
	struct chunk *chunk;
	int failed;			/* the survey could not read */
	atomic_ullong bytes, rows;	/* read so far by all chunks */
	atomic_flag telling;		/* a thread is calling opt->progress */
	unsigned threads;
};

/* Offset just past the first '\n' at or after from (end if none), or -1. */
static off_t
after_newline(int fd, off_t from, off_t end)
{
	char buf[HEAD_BYTES];

	while (from < end) {
		ssize_t got = pread(fd, buf, sizeof(buf), from);
		char *nl;

		if (got <= 0)
			return got < 0 ? -1 : end;
		if ((nl = memchr(buf, '\n', (size_t)got)) != NULL)
			return from + (nl - buf) + 1;
		from += got;
	}
	return end;
}

/*
 * The bytes equal to c in buf[0..n), by memchr from one to the next: a line of
 * numbers holds one newline in a hundred bytes or more and most files no quote
 * or CR at all, and memchr scans many bytes an instruction, where a loop over
 * each byte (as the compiler makes it at -O2) reads about one a cycle.
 */
static long
count_byte(const char *buf, size_t n, char c)
{
	const char *p = buf, *end = buf + n;
	long count = 0;

	while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
		count++;
		p++;
	}
	return count;
}

/* Count the newlines, quotes and CRs of chunk k. */
static void
survey(void *ctx, size_t k)
{
	struct ranges *r = ctx;
	struct chunk *c = &r->chunk[k];
	char *buf = xmalloc(1 << 20);

	for (off_t at = c->start; at < c->end;) {
		size_t want = (size_t)(c->end - at < (1 << 20) ? c->end - at : 1 << 20);
		ssize_t got = pread(r->fd, buf, want, at);

		if (got <= 0) {
			r->failed = 1;
			break;
		}
		c->newlines += count_byte(buf, (size_t)got, '\n');
		c->quotes += count_byte(buf, (size_t)got, '"');
		c->crs += count_byte(buf, (size_t)got, '\r');
		at += got;
	}
	free(buf);
}

/*
 * A block read by a chunk's thread: add its bytes, and the rows parsed since the
 * last block, to the totals, and pass them on to opt->progress unless another
 * thread is doing so (it is never called from two threads at once).
 */
static void
on_chunk_block(void *ctx, const char *bytes, size_t len)
{
	struct chunk *c = ctx;
	struct ranges *r = c->ranges;
	unsigned long long rows = c->rows.n + c->t.dropped, total_bytes, total_rows;

	(void)bytes;
	total_bytes = atomic_fetch_add(&r->bytes, len) + len;
	total_rows = atomic_fetch_add(&r->rows, rows - c->told) + (rows - c->told);
	c->told = rows;
	if (!atomic_flag_test_and_set(&r->telling)) {
		r->opt->progress(r->opt->progress_ctx, total_bytes, total_rows);
		atomic_flag_clear(&r->telling);
	}
}

/* Parse chunk k into its window. */
static void
parse_chunk(void *ctx, size_t k)
{
	struct ranges *r = ctx;
	struct chunk *c = &r->chunk[k];
	struct csv_options copt = { .name = r->opt->name,
	    .delimiter = r->opt->delimiter, .field = take_field };
	struct csv_watch watch = { .block = on_chunk_block, .ctx = c };

	c->ranges = r;
	c->status = csv_read_range(r->fd, c->start, c->end, c->first_line, &copt,
	    r->opt->progress ? &watch : NULL, on_record, &c->t, &c->e);
}

/* The first record only: the header, or the first row's width. */
static int
on_first(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct table *t = ctx;

	return t->started ? 0 : start(t, rec, e);
}

/*
 * Cut [data, size) into n chunks after newlines and survey them; returns 0 if
 * the chunks can be read apart, 1 if not (quotes, lone CRs, a read error).
 */
static int
plan_chunks(struct ranges *r, size_t n, off_t data, off_t size)
{
	off_t cut = data;

	for (size_t k = 0; k < n; k++) {
		struct chunk *c = &r->chunk[k];
		off_t aim = data + (off_t)((double)(size - data) * (double)(k + 1) /
		    (double)n);

		c->start = cut;
		c->end = k + 1 == n ? size : after_newline(r->fd, aim, size);
		if (c->end < 0 || c->end < c->start)
			return 1;
		cut = c->end;
	}
	parallel_run(n, r->threads, survey, r);
	for (size_t k = 0; k < n; k++)
		if (r->failed || r->chunk[k].quotes > 0 ||
		    r->chunk[k].crs > r->chunk[k].newlines)
			return 1;
	return 0;
}

/*
 * Forget what the first record set up, so that the file can be read again by one
 * thread: the column names and choice, and the empty dataset.
 */
static void
table_reset(struct table *t)
{
	for (size_t j = 0; j < t->ncols; j++)
		free(t->colname[j]);
	free(t->colname);
	free(t->has_nul);
	free(t->use);
	free(t->cat_of);
	free(t->direct);
	dataset_free(t->ds);
	memset(t->ds, 0, sizeof(*t->ds));
	t->colname = NULL;
	t->has_nul = NULL;
	t->use = NULL;
	t->cat_of = NULL;
	t->direct = NULL;
	t->ncols = t->nuse = 0;
	t->started = 0;
}

/*
 * Parse the planned chunks into t's dataset, then close up their windows.
 * Returns 0, or -1 with e filled by the first failing chunk's error, or 1 with t
 * reset when there is no memory for all the rows at once: one thread then reads
 * them, growing as it goes, to say which row did not fit.
 */
static int
parse_chunks(struct ranges *r, size_t n, struct table *t, long line,
    struct error *e)
{
	struct dataset *ds = t->ds;
	size_t rows = 0, stride = ds->d + 1;

	for (size_t k = 0; k < n; k++)
		rows += (size_t)r->chunk[k].newlines;
	rows++;		/* the last line may lack its newline */
	if (dataset_try_reserve(ds, rows) != 0) {
		table_reset(t);
		return 1;
	}
	rows = 0;
	for (size_t k = 0; k < n; k++) {
		struct chunk *c = &r->chunk[k];

		c->first_line = line;
		line += c->newlines;
		c->t = *t;
		c->t.dropped = 0;
		c->rows = *ds;
		c->rows.x = ds->x + rows * stride;
		c->rows.n = 0;
		/* Every chunk but the last ends just after a newline. */
		c->rows.capacity = (size_t)c->newlines + (k + 1 == n);
		c->t.ds = &c->rows;
		rows += c->rows.capacity;
	}
	parallel_run(n, r->threads, parse_chunk, r);
	for (size_t k = 0; k < n; k++)
		if (r->chunk[k].status != 0) {
			*e = r->chunk[k].e;
			return -1;
		}
	for (size_t k = 0; k < n; k++) {
		struct chunk *c = &r->chunk[k];

		/* In place unless an earlier window had rows to spare. */
		if (c->rows.x != ds->x + ds->n * stride)
			memmove(ds->x + ds->n * stride, c->rows.x,
			    c->rows.n * stride * sizeof(double));
		ds->n += c->rows.n;
		t->dropped += c->t.dropped;
	}
	return 0;
}

/*
 * Whether the process runs under a limit of its address space (ulimit -v). Each
 * thread that allocates gets a malloc arena of its own, which reserves 64 MB of
 * address space (glibc); under a limit, that space is better left to the data,
 * and to one thread that can say which row did not fit.
 */
static int
address_space_limited(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
}

/*
 * Read fd, a regular file, on opt's threads into t's dataset. Returns 0 or -1
 * (with e filled) when done, or 1 when the file must be read as a stream
 * (nothing has been read or allocated then). With one thread it is one chunk:
 * the survey's count of newlines sizes the rows once, at their final size, on
 * huge pages for a reread dataset (dataset_try_reserve), where a stream grows
 * them as it goes, on small pages; a shuffled epoch over them waits less for the
 * TLB (sgd, 1M x 20: 185-200 ms an epoch grown, 155-165 ms reserved, before the
 * fused step).
 */
static int
read_parallel(int fd, struct table *t, struct error *e)
{
	const struct table_options *opt = t->opt;
	struct csv_options copt = { .name = opt->name, .delimiter = opt->delimiter };
	struct ranges r = { .fd = fd, .opt = opt, .telling = ATOMIC_FLAG_INIT };
	struct stat st;
	size_t n;
	off_t head;
	int status = 1;

	if (opt->categorical != NULL || opt->labels != NULL ||
	    opt->row_sink != NULL ||
	    address_space_limited() || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < PARALLEL_MIN_BYTES || lseek(fd, 0, SEEK_CUR) != 0 ||
	    (head = after_newline(fd, 0, st.st_size)) <= 0 || head >= st.st_size)
		return 1;
	r.threads = opt->threads > 0 ? opt->threads : 1;	/* 0: one */
	n = r.threads == 1 ? 1 : (size_t)r.threads * CHUNKS_PER_THREAD;
	r.chunk = xcalloc(n, sizeof(*r.chunk));
	if (plan_chunks(&r, n, opt->header ? head : 0, st.st_size) == 0) {
		/* The first record sets the columns; with a header, it is line 1. */
		status = csv_read_range(fd, 0, head, 1, &copt, NULL, on_first, t,
		    e);
		atomic_store(&r.bytes, opt->header ? (unsigned long long)head : 0);
		if (status == 0)
			status = parse_chunks(&r, n, t, opt->header ? 2 : 1, e);
	}
	free(r.chunk);
	return status;
}

/* ------------------------------------------------------------------------ */
/* Reading a stream on several threads                                       */
/* ------------------------------------------------------------------------ */

/*
 * Standard input (any input but a regular file) is read in blocks of lines
 * (blocks.h) that the threads parse into windows of their own; the windows are
 * added to the dataset in the order of the input, so the rows, and the fit,
 * are those of one reader. Memory holds the rows and the blocks in flight.
 */

static void on_block(void *ctx, const char *bytes, size_t len);

struct window {
	struct table t;		/* the block's reading state, columns shared */
	struct dataset rows;	/* its rows, until taken */
};

struct stream {
	struct table *t;
	struct table proto;	/* t as the first record left it */
	struct window *slot;	/* (blocks_slots) */
	atomic_ullong rows;	/* taken so far, for opt->progress */
};

static int
stream_first(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct stream *s = ctx;

	if (on_first(s->t, rec, e))
		return -1;
	s->proto = *s->t;
	return 0;
}

static int
stream_parse(void *ctx, size_t k, const char *bytes, size_t len, long line,
    struct error *e)
{
	struct stream *s = ctx;
	struct window *w = &s->slot[k];
	struct csv_options copt = { .name = s->proto.opt->name,
	    .delimiter = s->proto.opt->delimiter, .field = take_field };

	w->t = s->proto;
	w->rows.n = 0;		/* the slot's memory is kept */
	w->rows.d = s->proto.ds->d;
	w->t.ds = &w->rows;
	return csv_read_bytes(bytes, len, -1, line, &copt, NULL, on_record,
	    &w->t, e);
}

/* The window's rows to the end of the dataset, grown by half as it fills. */
static int
stream_take(void *ctx, size_t k, struct error *e)
{
	struct stream *s = ctx;
	struct window *w = &s->slot[k];
	struct dataset *ds = s->t->ds;
	size_t stride = ds->d + 1, need = ds->n + w->rows.n;

	if (need > ds->capacity && dataset_try_reserve(ds,
	    need > ds->capacity + ds->capacity / 2 ? need :
	    ds->capacity + ds->capacity / 2) != 0)
		return error_set(e, EXIT_INPUT, "%s: out of memory while "
		    "reading row %zu", s->t->opt->name, need);
	if (w->rows.n > 0)
		memcpy(ds->x + ds->n * stride, w->rows.x,
		    w->rows.n * stride * sizeof(double));
	ds->n = need;
	s->t->dropped += w->t.dropped;
	atomic_fetch_add(&s->rows, w->rows.n + w->t.dropped);
	return 0;
}

/* The rest of the input on one thread, from a line's start. */
static int
stream_rest(void *ctx, const char *bytes, size_t len, int fd, long line,
    struct error *e)
{
	struct stream *s = ctx;
	struct table *t = s->t;
	struct csv_options copt = { .name = t->opt->name,
	    .delimiter = t->opt->delimiter, .field = take_field };
	struct csv_watch watch = { .block = on_block, .ctx = t };

	return csv_read_bytes(bytes, len, fd, line, &copt,
	    t->opt->progress ? &watch : NULL, on_record, t, e);
}

/* A block read: tell opt->progress of the bytes, and of the rows taken. */
static void
on_stream_block(void *ctx, const char *bytes, size_t len)
{
	struct stream *s = ctx;

	(void)bytes;
	s->t->bytes += len;
	s->t->opt->progress(s->t->opt->progress_ctx, s->t->bytes,
	    atomic_load(&s->rows));
}

/*
 * Read fd, not a regular file, on opt's threads into t's dataset. Returns 0 or
 * -1 (with e filled) when done, or 1 when it must be read by one thread as it
 * is (nothing has been read then).
 */
static int
read_stream(int fd, struct table *t, struct error *e)
{
	const struct table_options *opt = t->opt;
	struct csv_options copt = { .name = opt->name,
	    .delimiter = opt->delimiter };
	struct stream s = { .t = t };
	struct csv_watch watch = { .block = on_stream_block, .ctx = &s };
	struct blocks b = { .opt = &copt, .threads = opt->threads,
	    .header = opt->header, .ctx = &s, .first = stream_first,
	    .parse = stream_parse, .take = stream_take, .rest = stream_rest,
	    .watch = opt->progress ? &watch : NULL };
	struct stat st;
	size_t n;
	int status;

	if (opt->threads < 2 || opt->categorical != NULL ||
	    opt->labels != NULL || opt->row_sink != NULL ||
	    address_space_limited() || fstat(fd, &st) != 0 ||
	    S_ISREG(st.st_mode))
		return 1;
	n = blocks_slots(opt->threads);
	s.slot = xcalloc(n, sizeof(*s.slot));
	atomic_init(&s.rows, 0);
	status = blocks_read(fd, &b, e);
	for (size_t k = 0; k < n; k++)
		free(s.slot[k].rows.x);
	free(s.slot);
	return status;
}

/* ------------------------------------------------------------------------ */
/* Reading one range of a file (one rank's part)                             */
/* ------------------------------------------------------------------------ */

/* Where the plan of n parts cuts [data, size) after part k: as plan_chunks does. */
static off_t
cut_after(int fd, size_t k, size_t n, off_t data, off_t size)
{
	off_t aim = data + (off_t)((double)(size - data) * (double)(k + 1) /
	    (double)n);

	return k + 1 == n ? size : after_newline(fd, aim, size);
}

int
table_plan_range(int fd, int header, size_t part, size_t parts,
    struct table_range *r, long *newlines, struct error *e)
{
	struct chunk c;
	struct ranges plan = { .fd = fd, .chunk = &c };
	struct stat st;
	off_t data;

	memset(&c, 0, sizeof(c));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return error_set(e, EXIT_INPUT, "not a regular file, which the "
		    "ranks can read a part each of");
	data = header ? after_newline(fd, 0, st.st_size) : 0;
	c.start = part == 0 ? data : cut_after(fd, part - 1, parts, data,
	    st.st_size);
	c.end = cut_after(fd, part, parts, data, st.st_size);
	if (data < 0 || c.start < 0 || c.end < 0)
		return error_set(e, EXIT_INPUT, "cannot be read");
	if (c.end < c.start)
		c.end = c.start;
	survey(&plan, 0);
	if (plan.failed)
		return error_set(e, EXIT_INPUT, "cannot be read");
	r->start = c.start;
	r->end = c.end;
	*newlines = c.newlines;
	return c.quotes > 0 || c.crs > c.newlines;
}

/* The first record of fd for the columns, then the rows of opt->range. */
static int
read_range(int fd, struct table *t, struct error *e)
{
	const struct table_options *opt = t->opt;
	struct csv_options copt = { .name = opt->name, .delimiter = opt->delimiter };
	struct stat st;
	off_t head;

	if (fstat(fd, &st) != 0 || (head = after_newline(fd, 0, st.st_size)) < 0)
		return error_set(e, EXIT_INPUT, "%s: cannot be read", opt->name);
	if (csv_read_range(fd, 0, head, 1, &copt, NULL, on_first, t, e) != 0)
		return -1;
	if (!t->started || opt->range->end <= opt->range->start)
		return 0;
	copt.field = take_field;
	return csv_read_range(fd, opt->range->start, opt->range->end,
	    opt->range->first_line, &copt, NULL, on_record, t, e);
}

/* A block read by one thread: tell opt->progress of the bytes and rows so far. */
static void
on_block(void *ctx, const char *bytes, size_t len)
{
	struct table *t = ctx;

	(void)bytes;
	t->bytes += len;
	t->opt->progress(t->opt->progress_ctx, t->bytes,
	    t->ds->n + t->sunk + t->dropped);
}

int
table_is_missing(const char *s, size_t len)
{
	return len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A');
}

int
table_read(int fd, const struct table_options *opt, struct dataset *ds,
    struct error *e)
{
	struct table t = { .opt = opt, .ds = ds };
	struct csv_options copt = { .name = opt->name, .delimiter = opt->delimiter,
	    .field = take_field };
	struct csv_watch watch = { .block = on_block, .ctx = &t };
	size_t rows;
	int status;

	memset(ds, 0, sizeof(*ds));
	if (opt->labels != NULL)
		category_init(opt->labels, "", 0);
	if (opt->range != NULL)
		status = read_range(fd, &t, e);
	else if ((status = read_parallel(fd, &t, e)) == 1 &&
	    (status = read_stream(fd, &t, e)) == 1)
		status = csv_read_watched(fd, &copt, opt->progress ? &watch : NULL,
		    on_record, &t, e);
	rows = ds->n + t.sunk;
	if (status == 0 && !t.started)
		status = error_set(e, EXIT_INPUT, "%s: empty input", opt->name);
	else if (opt->range != NULL)
		;	/* the caller counts the rows of all ranges */
	else if (status == 0 && rows == 0 && t.dropped > 0)
		status = error_set(e, EXIT_INPUT, "%s: no data rows left after leaving "
		    "out %zu with missing values", opt->name, t.dropped);
	else if (status == 0 && rows == 0)
		status = error_set(e, EXIT_INPUT, "%s: no data rows", opt->name);
	else if (status == 0 && rows == 1)
		status = error_set(e, EXIT_INPUT, "%s: only 1 data row; at least 2 "
		    "are needed", opt->name);
	if (status == 0 && opt->labels != NULL)
		category_sort_labels(opt->labels, ds);
	if (status == 0 && t.ncat > 0)
		category_expand(ds, t.cat, t.ncat);
	if (opt->dropped != NULL)
		*opt->dropped = t.dropped;
	if (opt->categories != NULL && status == 0) {
		*opt->categories = t.cat;
		*opt->ncategories = t.ncat;
		t.cat = NULL;
	}
	for (size_t c = 0; t.cat != NULL && c < t.ncat; c++)
		category_free(&t.cat[c]);
	free(t.cat);
	free(t.cat_of);
	free(t.direct);
	for (size_t j = 0; j < t.ncols; j++)
		free(t.colname[j]);
	free(t.colname);
	free(t.has_nul);
	free(t.use);
	if (status && opt->labels != NULL)
		category_free(opt->labels);
	if (status)
		dataset_free(ds);
	return status;
}
