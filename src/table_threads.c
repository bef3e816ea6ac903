/*
 * table_threads.c: the readers of table_read that run on several threads, or
 * read one part of a file: a regular file cut into byte ranges (below), a
 * stream cut into blocks of lines (blocks.h), and one rank's range of a file.
 *
 * Data flow, the same as table_read's on one thread, in one direction:
 *   bytes of a range or block --csv_read_range/csv_read_bytes (csv.c)-->
 *   records, the number columns already doubles --table_on_record
 *   (table.c)--> rows of doubles in the chunk's own window of the dataset
 *   --parse_chunks/stream_take (here)--> the dataset, in input order.
 * Nothing here looks at a field: the first record (table_on_first) fixes the
 * columns once, on the calling thread, and every thread then runs a copy of
 * that state (struct table) over its own bytes and rows.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blocks.h"
#include "csv.h"
#include "parallel.h"
#include "table.h"
#include "table_threads.h"

/* ------------------------------------------------------------------------ */
/* Reading a regular file on several threads                                 */
/* ------------------------------------------------------------------------ */

/*
 * A regular file of numbers is cut into byte ranges, each starting after a
 * newline, CHUNKS_PER_THREAD of them per thread, so that a thread on a slower
 * processor takes fewer; each range is parsed into its own window of the rows,
 * and the windows are closed up at the end. A quoted field may hold a newline,
 * so a cut could land inside one: a file with a quote after its header, or a
 * lone CR (a line end that the cuts do not see), is read by one thread as
 * before, and so is one with text columns to encode (their levels are numbered
 * in order of appearance). Messages name the same lines as the one-thread
 * reading does.
 */

/*
 * Ranges per thread. The threads take ranges as they finish the last: with one
 * range each, threads of equal work end apart (processors of a virtual machine
 * are not equal); more ranges cost a little more set-up.
 */
#define CHUNKS_PER_THREAD 4

/* Below this size one thread reads faster than several start. */
#define PARALLEL_MIN_BYTES ((off_t)4 << 20)

/* Bytes looked at for the header's end, and for each cut's next newline. */
#define HEAD_BYTES 65536

struct chunk {
	struct ranges *ranges;	    /* the plan it belongs to */
	unsigned long long told;    /* rows added to ranges->rows so far */
	off_t start, end;	    /* bytes [start, end) */
	long newlines, quotes, crs; /* counted by the survey */
	long first_line;	    /* line of its first byte */
	struct table t;		    /* its reading state; the columns shared */
	struct dataset rows;	    /* its window of the dataset's rows */
	struct error e;
	int status;
};

struct ranges {
	int fd;
	const struct table_options *opt;
	struct chunk *chunk;
	int failed;		   /* the survey could not read */
	atomic_ullong bytes, rows; /* read so far by all chunks */
	atomic_flag telling;	   /* a thread is calling opt->progress */
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
		size_t want =
		    (size_t)(c->end - at < (1 << 20) ? c->end - at : 1 << 20);
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
 * A block read by a chunk's thread: add its bytes, and the rows parsed since
 * the last block, to the totals, and pass them on to opt->progress unless
 * another thread is doing so (it is never called from two threads at once).
 */
static void
on_chunk_block(void *ctx, const char *bytes, size_t len)
{
	struct chunk *c = ctx;
	struct ranges *r = c->ranges;
	unsigned long long rows = c->rows.n + c->t.dropped, total_bytes,
			   total_rows;

	(void)bytes;
	total_bytes = atomic_fetch_add(&r->bytes, len) + len;
	total_rows =
	    atomic_fetch_add(&r->rows, rows - c->told) + (rows - c->told);
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
	struct csv_options copt = table_csv_options(&c->t);
	struct csv_watch watch = { .block = on_chunk_block, .ctx = c };

	c->ranges = r;
	c->status = csv_read_range(r->fd, c->start, c->end, c->first_line,
	    &copt, r->opt->progress ? &watch : NULL, table_on_record, &c->t,
	    &c->e);
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
		off_t aim = data +
		    (off_t)((double)(size - data) * (double)(k + 1) /
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
 * Parse the planned chunks into t's dataset, then close up their windows.
 * Returns 0, or -1 with e filled by the first failing chunk's error, or 1 with
 * t reset when there is no memory for all the rows at once: one thread then
 * reads them, growing as it goes, to say which row did not fit.
 */
static int
parse_chunks(struct ranges *r, size_t n, struct table *t, long line,
    struct error *e)
{
	struct dataset *ds = t->ds;
	size_t rows = 0, stride = ds->d + 1;

	for (size_t k = 0; k < n; k++)
		rows += (size_t)r->chunk[k].newlines;
	rows++; /* the last line may lack its newline */
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
 * Read fd, a regular file, on opt's threads into t's dataset. Returns 0 or -1
 * (with e filled) when done, or 1 when the file must be read as a stream
 * (nothing has been read or allocated then). With one thread it is one chunk:
 * the survey's count of newlines sizes the rows once, at their final size, on
 * huge pages for a reread dataset (dataset_try_reserve), where a stream grows
 * them as it goes, on small pages; a shuffled epoch over them waits less for
 * the TLB (tests/bench/README.md, notes from the code).
 */
int
table_read_file_threads(int fd, struct table *t, struct error *e)
{
	const struct table_options *opt = t->opt;
	struct csv_options copt = table_csv_options(t);
	struct ranges r = { .fd = fd, .opt = opt, .telling = ATOMIC_FLAG_INIT };
	struct stat st;
	size_t n;
	off_t head;
	int status = 1;

	if (opt->categorical != NULL || opt->labels != NULL ||
	    opt->row_sink != NULL || table_address_space_limited() ||
	    fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < PARALLEL_MIN_BYTES || lseek(fd, 0, SEEK_CUR) != 0 ||
	    (head = after_newline(fd, 0, st.st_size)) <= 0 ||
	    head >= st.st_size)
		return 1;
	r.threads = opt->threads > 0 ? opt->threads : 1; /* 0: one */
	n = r.threads == 1 ? 1 : (size_t)r.threads * CHUNKS_PER_THREAD;
	r.chunk = xcalloc(n, sizeof(*r.chunk));
	if (plan_chunks(&r, n, opt->header ? head : 0, st.st_size) == 0) {
		/* The first record sets the columns; with a header, it is
		 * line 1. */
		status = csv_read_range(fd, 0, head, 1, &copt, NULL,
		    table_on_first, t, e);
		atomic_store(&r.bytes,
		    opt->header ? (unsigned long long)head : 0);
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

struct window {
	struct table t;	     /* the block's reading state, columns shared */
	struct dataset rows; /* its rows, until taken */
};

struct stream {
	struct table *t;
	struct table proto;  /* t as the first record left it */
	struct window *slot; /* (blocks_slots) */
	atomic_ullong rows;  /* taken so far, for opt->progress */
};

static int
stream_first(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct stream *s = ctx;

	if (table_on_first(s->t, rec, e))
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
	struct csv_options copt;

	w->t = s->proto;
	copt = table_csv_options(&w->t);
	w->rows.n = 0; /* the slot's memory is kept */
	w->rows.d = s->proto.ds->d;
	w->t.ds = &w->rows;
	return csv_read_bytes(bytes, len, -1, line, &copt, NULL,
	    table_on_record, &w->t, e);
}

/* The window's rows to the end of the dataset, grown by half as it fills. */
static int
stream_take(void *ctx, size_t k, struct error *e)
{
	struct stream *s = ctx;
	struct window *w = &s->slot[k];
	struct dataset *ds = s->t->ds;
	size_t stride = ds->d + 1, need = ds->n + w->rows.n;

	if (need > ds->capacity &&
	    dataset_try_reserve(ds,
		need > ds->capacity + ds->capacity / 2
		    ? need
		    : ds->capacity + ds->capacity / 2) != 0)
		return error_set(e, EXIT_INPUT,
		    "%s: out of memory while "
		    "reading row %zu",
		    s->t->opt->name, need);
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
	struct csv_options copt = table_csv_options(t);
	struct csv_watch watch = { .block = table_on_block, .ctx = t };

	return csv_read_bytes(bytes, len, fd, line, &copt,
	    t->opt->progress ? &watch : NULL, table_on_record, t, e);
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
int
table_read_stream_threads(int fd, struct table *t, struct error *e)
{
	const struct table_options *opt = t->opt;
	struct csv_options copt = { .name = opt->name,
		.delimiter = opt->delimiter,
		.decimal_comma = opt->decimal_comma };
	struct stream s = { .t = t };
	struct csv_watch watch = { .block = on_stream_block, .ctx = &s };
	struct blocks b = { .opt = &copt,
		.threads = opt->threads,
		.header = opt->header,
		.ctx = &s,
		.first = stream_first,
		.parse = stream_parse,
		.take = stream_take,
		.rest = stream_rest,
		.watch = opt->progress ? &watch : NULL };
	struct stat st;
	size_t n;
	int status;

	if (opt->threads < 2 || opt->categorical != NULL ||
	    opt->labels != NULL || opt->row_sink != NULL ||
	    table_address_space_limited() || fstat(fd, &st) != 0 ||
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

/* Where the plan of n parts cuts [data, size) after part k: as plan_chunks
 * does. */
static off_t
cut_after(int fd, size_t k, size_t n, off_t data, off_t size)
{
	off_t aim =
	    data + (off_t)((double)(size - data) * (double)(k + 1) / (double)n);

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
		return error_set(e, EXIT_INPUT,
		    "not a regular file, which the "
		    "ranks can read a part each of");
	data = header ? after_newline(fd, 0, st.st_size) : 0;
	c.start =
	    part == 0 ? data : cut_after(fd, part - 1, parts, data, st.st_size);
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
int
table_read_one_range(int fd, struct table *t, struct error *e)
{
	const struct table_options *opt = t->opt;
	struct csv_options copt = table_csv_options(t);
	struct stat st;
	off_t head;

	if (fstat(fd, &st) != 0 ||
	    (head = after_newline(fd, 0, st.st_size)) < 0)
		return error_set(e, EXIT_INPUT, "%s: cannot be read",
		    opt->name);
	if (csv_read_range(fd, 0, head, 1, &copt, NULL, table_on_first, t, e) !=
	    0)
		return -1;
	if (!t->started || opt->range->end <= opt->range->start)
		return 0;
	return csv_read_range(fd, opt->range->start, opt->range->end,
	    opt->range->first_line, &copt, NULL, table_on_record, t, e);
}
