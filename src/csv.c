/*
 * csv.c: the libcsv wrapper.
 *
 * Input is read in blocks of CSV_BLOCK bytes into a page-aligned buffer (a
 * plain malloc'd one was measured to copy several times slower here). Each
 * block is handed to libcsv one line at a time, cut after every '\n' with
 * memchr, so that when libcsv calls back we know which line it is on: that
 * costs one call per line, not per byte, and gives exact line numbers in
 * messages. libcsv's field callback (on_field) converts a field of a number
 * column (csv_numbers) in place, else offers it to the caller's field hook, if
 * any, and copies what neither takes into a reusable arena; its record callback
 * (on_record) hands the whole record to the caller. These two are the only
 * callbacks libcsv makes.
 *
 * The conversion and the hook see the field where libcsv left it, in libcsv's
 * own buffer: public in its csv.h as entry_buf, entry_size bytes long, so the
 * CSV_FIELD_PAD bytes past the text are there to read (our blocks make it
 * 1 MiB). A field that does not leave them is copied first.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "csv.h"
#include "num.h"

_Static_assert(CSV_FIELD_PAD + 1 >= NUM_PAD,
    "num_parse_padded reads past the pad");

#define CSV_BLOCK (1 << 20)

/* The offset of a field converted to a number or taken by the hook. */
#define TAKEN SIZE_MAX

struct reader {
	const struct csv_options *opt;
	csv_record_fn fn;
	void *ctx;
	struct error *e;
	const struct csv_parser *parser;
	int failed;	  /* the callback or an allocation failed */
	long line;	  /* line being fed to libcsv */
	long records;	  /* records delivered so far */
	long record_line; /* line this record starts on */
	long started;	  /* line libcsv entered a record on, or 0 */

	char *arena; /* field texts, NUL-separated */
	size_t arena_len, arena_cap;
	size_t *offset; /* (nfields) start of each field in arena */
	size_t *len;	/* (nfields) length of each field */
	double *value;	/* (nfields) the numbers */
	const unsigned char *number; /* csv_numbers of this record */
	size_t nnumber;
	const char **field; /* (nfields) pointers, made at record end;
			       NULL for one not copied */
	size_t nfields, fields_cap;
	size_t taken; /* fields not copied */

	char *pad; /* a field copied for the hook, and its pad */
	size_t pad_cap;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((q = realloc(*p, n * size)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static int
grow_fields(struct reader *r)
{
	size_t cap = r->fields_cap;

	if (r->nfields < cap)
		return 0;
	if (grow((void **)&r->offset, &cap, r->nfields + 1, sizeof(*r->offset)))
		return -1;
	cap = r->fields_cap;
	if (grow((void **)&r->len, &cap, r->nfields + 1, sizeof(*r->len)))
		return -1;
	cap = r->fields_cap;
	if (grow((void **)&r->value, &cap, r->nfields + 1, sizeof(*r->value)))
		return -1;
	cap = r->fields_cap;
	if (grow((void **)&r->field, &cap, r->nfields + 1, sizeof(*r->field)))
		return -1;
	r->fields_cap = cap;
	return 0;
}

/*
 * memcpy(dst, src, len), for the short fields of numeric data without a call:
 * two copies of a fixed size that overlap cover any length from 4 to 16 bytes
 * (and read nothing outside src[0..len)).
 */
static void
copy_field(char *dst, const char *src, size_t len)
{
	if (len >= 8 && len <= 16) {
		memcpy(dst, src, 8);
		memcpy(dst + len - 8, src + len - 8, 8);
	} else if (len >= 4 && len < 8) {
		memcpy(dst, src, 4);
		memcpy(dst + len - 4, src + len - 4, 4);
	} else if (len > 16) {
		memcpy(dst, src, len);
	} else {
		for (size_t i = 0; i < len; i++)
			dst[i] = src[i];
	}
}

/*
 * The field's text as num_parse_padded and the hook may read it: where libcsv
 * put it, when its buffer goes on for CSV_FIELD_PAD bytes past the
 * terminator, else a copy; NULL when there is no memory for one.
 */
static const char *
for_hook(struct reader *r, const char *s, size_t len)
{
	const struct csv_parser *p = r->parser;

	if ((const void *)s == (const void *)p->entry_buf &&
	    len + CSV_FIELD_PAD < p->entry_size)
		return s;
	if (grow((void **)&r->pad, &r->pad_cap, len + 1 + CSV_FIELD_PAD, 1))
		return NULL;
	memcpy(r->pad, s, len);
	memset(r->pad + len, 0, 1 + CSV_FIELD_PAD);
	return r->pad;
}

/* Out of the way of on_field, which runs for every field. */
static __attribute__((noinline, cold)) void
out_of_memory(struct reader *r)
{
	r->failed = 1;
	error_set(r->e, EXIT_INPUT,
	    "%s:%ld: out of memory while reading record %ld", r->opt->name,
	    r->line, r->records + 1);
}

/*
 * A field of digits, signs, exponent letters and one comma, whose comma is then
 * a decimal point: "1,5" -> "1.5", "-2,5e3" -> "-2.5e3"; any other field, text
 * as "a,b" or "1,5,6" included, is left as it is.
 */
static __attribute__((noinline)) void
decimal_point(char *s, size_t len)
{
	char *comma = NULL;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == ',' && comma == NULL)
			comma = s + i;
		else if (!(c >= '0' && c <= '9') && c != '-' && c != '+' &&
		    c != 'e' && c != 'E')
			return;
	}
	if (comma != NULL && len > 1)
		*comma = '.';
}

static void
on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	size_t i = r->nfields;
	const char *text;
	int number;

	if (r->failed)
		return;
	if (i == 0) {
		const struct csv_numbers *numbers = r->opt->numbers;

		r->record_line = r->started ? r->started : r->line;
		/* The number columns as the record begins. */
		r->nnumber = numbers != NULL ? numbers->n : 0;
		r->number = numbers != NULL ? numbers->number : NULL;
	}
	if (i == r->fields_cap && grow_fields(r) != 0) {
		out_of_memory(r);
		return;
	}
	if (r->opt->decimal_comma)
		decimal_point(s, len);
	r->len[i] = len;
	number = i < r->nnumber && r->number[i];
	if (number || r->opt->field != NULL) {
		if ((text = for_hook(r, s, len)) == NULL) {
			out_of_memory(r);
			return;
		}
		if (number ? num_parse_padded(text, len, &r->value[i]) == NUM_OK
			   : r->opt->field(r->ctx, i, text, len)) {
			r->field[i] = NULL;
			r->offset[i] = TAKEN;
			r->nfields = i + 1;
			r->taken++;
			return;
		}
	}
	if (grow((void **)&r->arena, &r->arena_cap, r->arena_len + len + 1,
		1)) {
		out_of_memory(r);
		return;
	}
	copy_field(r->arena + r->arena_len, s, len);
	r->arena[r->arena_len + len] = '\0';
	r->offset[i] = r->arena_len;
	r->nfields = i + 1;
	r->arena_len += len + 1;
}

static void
on_record(int terminator, void *data)
{
	struct reader *r = data;
	struct csv_record rec;

	(void)terminator;
	if (r->failed)
		return;
	/* A record of taken fields (numbers, as a rule) has its NULLs already.
	 */
	for (size_t i = 0; r->taken < r->nfields && i < r->nfields; i++)
		r->field[i] =
		    r->offset[i] == TAKEN ? NULL : r->arena + r->offset[i];
	rec.nfields = r->nfields;
	rec.taken = r->taken;
	rec.field = r->field;
	rec.len = r->len;
	rec.value = r->value;
	rec.line = r->record_line;
	rec.index = ++r->records;
	if (r->fn(r->ctx, &rec, r->e) != 0)
		r->failed = 1;
	r->nfields = 0;
	r->taken = 0;
	r->arena_len = 0;
	r->started = 0;
}

static int
is_space_not_tab(unsigned char c)
{
	return c == CSV_SPACE;
}

/* Hand one block to libcsv, a line at a time. */
static int
feed(struct csv_parser *p, struct reader *r, const char *buf, size_t n)
{
	while (n > 0 && !r->failed) {
		const char *nl = memchr(buf, '\n', n);
		size_t len = nl ? (size_t)(nl - buf) + 1 : n;

		if (csv_parse(p, buf, len, on_field, on_record, r) != len) {
			if (r->failed)
				break;
			if (csv_error(p) == CSV_EPARSE)
				return error_set(r->e, EXIT_INPUT,
				    "%s:%ld:%zu: malformed quoted field",
				    r->opt->name, r->line, r->nfields + 1);
			return error_set(r->e, EXIT_INPUT, "%s:%ld: %s",
			    r->opt->name, r->line, csv_strerror(csv_error(p)));
		}
		/*
		 * libcsv's parser state is public; 0 (ROW_NOT_BEGUN in
		 * libcsv.c) means no record is open. One still open after a
		 * line began on it or before: a quoted field spans lines.
		 */
		if (p->pstate != 0 && r->started == 0)
			r->started = r->line;
		if (nl)
			r->line++;
		buf += len;
		n -= len;
	}
	return r->failed ? -1 : 0;
}

/*
 * read() into buf until it holds want bytes or the input ends; returns the
 * bytes read, or -1 with errno set. Used for the start of the input, where a
 * pipe may deliver a byte-order mark a byte at a time.
 */
static ssize_t
read_at_least(int fd, char *buf, size_t size, size_t want)
{
	size_t have = 0;

	while (have < want) {
		ssize_t got = read(fd, buf + have, size - have);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		have += (size_t)got;
	}
	return (ssize_t)have;
}

/*
 * Where the bytes come from: first the bytes prefix[0..plen) in memory, if any;
 * then fd read to its end (end < 0), or bytes [start, end) of fd with pread,
 * which leaves the file offset alone, so that several threads can read parts of
 * one file; or nothing more (fd < 0).
 */
struct source {
	int fd;
	off_t start, end;
	const struct csv_watch *watch; /* told of each block read, or NULL */
	const char *prefix;
	size_t plen;
};

/* The next bytes of src into buf (at most size), at least want unless the input
 * ends; returns the bytes read, or -1 with errno set. */
static ssize_t
next_bytes(struct source *src, char *buf, size_t size, size_t want)
{
	ssize_t got;

	if (src->end < 0)
		return read_at_least(src->fd, buf, size, want);
	if ((off_t)size > src->end - src->start)
		size = (size_t)(src->end - src->start);
	do {
		got = size ? pread(src->fd, buf, size, src->start) : 0;
	} while (got < 0 && errno == EINTR);
	if (got > 0)
		src->start += got;
	return got;
}

static int
read_all(struct source *src, struct csv_parser *p, struct reader *r)
{
	char *block;
	int first = src->prefix == NULL && (src->end < 0 || src->start == 0);
	int status = 0;
	long page = sysconf(_SC_PAGESIZE);

	if (src->plen > 0 && (status = feed(p, r, src->prefix, src->plen)) != 0)
		return status;
	if (src->fd < 0)
		return 0;
	if (posix_memalign((void **)&block, page > 0 ? (size_t)page : 4096,
		CSV_BLOCK))
		return error_set(r->e, EXIT_INPUT, "%s: out of memory",
		    r->opt->name);
	for (;;) {
		ssize_t got = next_bytes(src, block, CSV_BLOCK, first ? 3 : 1);
		const char *b = block;

		if (got < 0) {
			status = error_set(r->e, EXIT_INPUT, "%s: %s",
			    r->opt->name, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		if (src->watch != NULL)
			src->watch->block(src->watch->ctx, block, (size_t)got);
		/* A UTF-8 byte-order mark at the very start is not data. */
		if (first && got >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0) {
			b += 3;
			got -= 3;
		}
		first = 0;
		if ((status = feed(p, r, b, (size_t)got)) != 0)
			break;
	}
	free(block);
	return status;
}

/* csv_read and csv_read_range: parse src, its first line numbered first_line.
 */
static int
parse(struct source *src, long first_line, const struct csv_options *opt,
    csv_record_fn fn, void *ctx, struct error *e)
{
	struct csv_parser p;
	struct reader r = { .opt = opt,
		.fn = fn,
		.ctx = ctx,
		.e = e,
		.parser = &p,
		.line = first_line };
	int status;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return error_set(e, EXIT_INPUT, "out of memory");
	csv_set_delim(&p, opt->delimiter);
	/*
	 * libcsv grows its field buffer by a fixed block, 128 bytes by default:
	 * a 10 MB field then took 80,000 reallocations, each copying what it
	 * had.
	 */
	csv_set_blk_size(&p, CSV_BLOCK);
	/* libcsv drops spaces and tabs around fields; a tab delimiter is no
	 * space. */
	if (opt->delimiter == '\t')
		csv_set_space_func(&p, is_space_not_tab);
	status = read_all(src, &p, &r);
	if (status == 0 && csv_fini(&p, on_field, on_record, &r) != 0 &&
	    !r.failed)
		status = error_set(e, EXIT_INPUT,
		    "%s:%ld: unterminated quoted field at end of input",
		    opt->name, r.started ? r.started : r.line);
	if (r.failed)
		status = -1;
	csv_free(&p);
	free(r.arena);
	free(r.offset);
	free(r.len);
	free(r.value);
	free(r.field);
	free(r.pad);
	return status;
}

int
csv_read(int fd, const struct csv_options *opt, csv_record_fn fn, void *ctx,
    struct error *e)
{
	return csv_read_watched(fd, opt, NULL, fn, ctx, e);
}

int
csv_read_watched(int fd, const struct csv_options *opt,
    const struct csv_watch *watch, csv_record_fn fn, void *ctx, struct error *e)
{
	struct source src = { .fd = fd, .start = 0, .end = -1, .watch = watch };

	return parse(&src, 1, opt, fn, ctx, e);
}

int
csv_read_range(int fd, off_t start, off_t end, long first_line,
    const struct csv_options *opt, const struct csv_watch *watch,
    csv_record_fn fn, void *ctx, struct error *e)
{
	struct source src = { .fd = fd,
		.start = start,
		.end = end,
		.watch = watch };

	return parse(&src, first_line, opt, fn, ctx, e);
}

int
csv_read_bytes(const char *bytes, size_t len, int fd, long first_line,
    const struct csv_options *opt, const struct csv_watch *watch,
    csv_record_fn fn, void *ctx, struct error *e)
{
	struct source src = { .fd = fd,
		.start = 0,
		.end = -1,
		.watch = watch,
		.prefix = bytes,
		.plen = len };

	return parse(&src, first_line, opt, fn, ctx, e);
}

void
csv_write_field(FILE *f, const char *s, unsigned char delimiter)
{
	size_t len = strlen(s);
	int quote = len > 0 &&
	    (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
		s[len - 1] == '\t');

	for (const char *c = s; *c && !quote; c++)
		quote = *c == (char)delimiter || *c == '"' || *c == '\r' ||
		    *c == '\n';
	if (!quote) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			putc('"', f);
		putc(*c, f);
	}
	putc('"', f);
}
