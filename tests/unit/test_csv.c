/*
 * test_csv.c: csv_read delivers the records of RFC 4180 text given through a
 * file descriptor (temporary file or pipe) with their fields, lengths, lines
 * and record numbers; reports malformed and unterminated quoting with the
 * place; stops on a callback error; copes with huge fields, wide records and
 * inputs larger than its read block. csv_write_field quotes exactly when a
 * reader needs it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "failure.h"
#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* Collecting records                                                        */
/* ------------------------------------------------------------------------ */

struct rec {
	size_t nfields;
	char **field; /* (nfields) copies */
	size_t *len;  /* (nfields) */
	long line, index;
};

struct collected {
	struct rec *rec;
	size_t n, cap;
	long stop_at; /* return -1 at this record index (0: never) */
};

static int
collect(void *ctx, const struct csv_record *r, struct error *e)
{
	struct collected *c = ctx;
	struct rec *x;

	if (c->stop_at != 0 && r->index == c->stop_at)
		return error_set(e, EXIT_USAGE, "stopped at record %ld",
		    r->index);
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->rec = realloc(c->rec, c->cap * sizeof *c->rec);
		if (c->rec == NULL)
			abort();
	}
	x = &c->rec[c->n++];
	x->nfields = r->nfields;
	x->field = malloc((r->nfields + 1) * sizeof *x->field);
	x->len = malloc((r->nfields + 1) * sizeof *x->len);
	if (x->field == NULL || x->len == NULL)
		abort();
	for (size_t i = 0; i < r->nfields; i++) {
		/* Fields are NUL-terminated at their length. */
		if (r->field[i][r->len[i]] != '\0')
			return error_set(e, EXIT_USAGE,
			    "field %zu not terminated", i);
		x->len[i] = r->len[i];
		x->field[i] = malloc(r->len[i] + 1);
		if (x->field[i] == NULL)
			abort();
		memcpy(x->field[i], r->field[i], r->len[i] + 1);
	}
	x->line = r->line;
	x->index = r->index;
	return 0;
}

static void
collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t j = 0; j < c->rec[i].nfields; j++)
			free(c->rec[i].field[j]);
		free(c->rec[i].field);
		free(c->rec[i].len);
	}
	free(c->rec);
	memset(c, 0, sizeof *c);
}

/* Read text (through a temporary file) with the delimiter; returns csv_read's
 * value. */
static int
read_text(const char *text, size_t len, unsigned char delim,
    struct collected *c, struct error *e)
{
	struct csv_options opt = { "in.csv", delim, NULL, NULL, 0 };
	int fd = tu_tmpfd(text, len), rc;

	assert_true(fd >= 0);
	memset(e, 0, sizeof *e);
	rc = csv_read(fd, &opt, collect, c, e);
	close(fd);
	return rc;
}

/* The same through a pipe written in small pieces. */
static int
read_pipe(const char *text, size_t len, size_t chunk, unsigned char delim,
    struct collected *c, struct error *e)
{
	struct csv_options opt = { "<stdin>", delim, NULL, NULL, 0 };
	pid_t pid;
	int fd = tu_pipefd(text, len, chunk, &pid), rc;

	assert_true(fd >= 0);
	memset(e, 0, sizeof *e);
	rc = csv_read(fd, &opt, collect, c, e);
	tu_pipe_finish(fd, pid);
	return rc;
}

/* Check record i: its line and fields (a NULL-terminated list). */
static void
check_record(const struct collected *c, size_t i, long line,
    const char *const *want)
{
	size_t n = 0;

	assert_true(i < c->n);
	while (want[n] != NULL)
		n++;
	if (c->rec[i].nfields != n) {
		print_error("record %zu has %zu fields, expected %zu\n", i + 1,
		    c->rec[i].nfields, n);
		fail();
	}
	for (size_t j = 0; j < n; j++) {
		assert_string_equal(c->rec[i].field[j], want[j]);
		assert_int_equal(c->rec[i].len[j], strlen(want[j]));
	}
	assert_int_equal(c->rec[i].line, line);
	assert_int_equal(c->rec[i].index, (long)i + 1);
}

#define REC(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ------------------------------------------------------------------------ */
/* Well-formed input                                                         */
/* ------------------------------------------------------------------------ */

static void
reads_lf_records_with_fields_and_lines(void **state)
{
	static const char in[] = "a,b,c\n1,2,3\n4,5,6\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 3);
	check_record(&c, 0, 1, REC("a", "b", "c"));
	check_record(&c, 1, 2, REC("1", "2", "3"));
	check_record(&c, 2, 3, REC("4", "5", "6"));
	collected_free(&c);
}

/*
 * The field hook: it is offered every field with its index and text (unquoted,
 * NUL-terminated); what it takes reaches the record callback as NULL with its
 * length, what it declines as text; line numbers are unchanged.
 */
struct hooked {
	char seen[256];	   /* the fields offered, "index:text;" */
	char records[256]; /* the records, "line:f|f|...;" with "<n>" for taken
			    */
};

static int
take_odd_digits(void *ctx, size_t index, const char *s, size_t len)
{
	struct hooked *h = ctx;
	size_t used = strlen(h->seen);

	assert_int_equal(s[len], '\0');
	snprintf(h->seen + used, sizeof(h->seen) - used, "%zu:%s;", index, s);
	return index % 2 == 1 && len > 0 && s[0] >= '0' && s[0] <= '9';
}

static int
note_record(void *ctx, const struct csv_record *r, struct error *e)
{
	struct hooked *h = ctx;
	size_t used = strlen(h->records);

	(void)e;
	used += (size_t)snprintf(h->records + used, sizeof(h->records) - used,
	    "%ld:", r->line);
	for (size_t i = 0; i < r->nfields; i++) {
		if (r->field[i] == NULL)
			used += (size_t)snprintf(h->records + used,
			    sizeof(h->records) - used, "<%zu>", r->len[i]);
		else
			used += (size_t)snprintf(h->records + used,
			    sizeof(h->records) - used, "%s", r->field[i]);
		used += (size_t)snprintf(h->records + used,
		    sizeof(h->records) - used, "%s",
		    i + 1 < r->nfields ? "|" : ";");
	}
	return 0;
}

/* Read in with hook and fn into h, which must succeed. */
static void
read_hooked(const char *in, csv_field_fn hook, csv_record_fn fn,
    struct hooked *h)
{
	struct csv_options opt = { "in.csv", ',', hook, NULL, 0 };
	struct error e;
	int fd = tu_tmpfd(in, strlen(in));

	assert_true(fd >= 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(csv_read(fd, &opt, fn, h, &e), 0);
	close(fd);
}

static void
field_hook_takes_fields_out_of_the_records(void **state)
{
	struct hooked h = { "", "" };

	(void)state;
	read_hooked("a,b,c\n1,22,x\n\n\"4\n\",\"5\",six\n7,y,333\n",
	    take_odd_digits, note_record, &h);
	assert_string_equal(h.seen,
	    "0:a;1:b;2:c;0:1;1:22;2:x;0:4\n;1:5;2:six;0:7;1:y;"
	    "2:333;");
	assert_string_equal(h.records,
	    "1:a|b|c;2:1|<2>|x;4:4\n|<1>|six;6:7|y|333;");
}

static int
take_digits(void *ctx, size_t index, const char *s, size_t len)
{
	(void)ctx, (void)index;
	return len > 0 && s[0] >= '0' && s[0] <= '9';
}

static int
note_taken(void *ctx, const struct csv_record *r, struct error *e)
{
	struct hooked *h = ctx;
	size_t used;

	note_record(ctx, r, e);
	used = strlen(h->records);
	snprintf(h->records + used, sizeof(h->records) - used, "%zu;",
	    r->taken);
	return 0;
}

/*
 * A record reports how many fields the hook took; records whose fields were all
 * taken and records with some left alternate, and each one's NULLs and texts
 * are its own, not those of the record before.
 */
static void
field_hook_counts_what_it_took(void **state)
{
	struct hooked h = { "", "" };

	(void)state;
	read_hooked("1,2\na,3\n4,5\n6,b\n7,8\n", take_digits, note_taken, &h);
	assert_string_equal(h.records,
	    "1:<1>|<1>;2;2:a|<1>;1;3:<1>|<1>;2;"
	    "4:<1>|b;1;5:<1>|<1>;2;");
}

/*
 * Number columns (csv_numbers): the record callback marks columns 0 and 2 after
 * the first record (a header, handed up as text); from then on their numbers
 * come as value[] with the field NULL, and what is not a number in them (NA,
 * an empty cell, a bad number, a quoted number over two lines) as text;
 * column 1 stays text, and the field hook, offered the whole first record,
 * is then offered only column 1.
 */
struct numbered {
	struct csv_numbers numbers;
	unsigned char number[3];
	char records[512];
	char seen[128];
};

static int
note_hooked(void *ctx, size_t index, const char *s, size_t len)
{
	struct numbered *nb = ctx;
	size_t used = strlen(nb->seen);

	(void)len;
	snprintf(nb->seen + used, sizeof(nb->seen) - used, "%zu:%s;", index, s);
	return 0;
}

static int
note_numbers(void *ctx, const struct csv_record *r, struct error *e)
{
	struct numbered *nb = ctx;
	size_t used = strlen(nb->records), size = sizeof(nb->records);

	(void)e;
	used +=
	    (size_t)snprintf(nb->records + used, size - used, "%ld:", r->line);
	for (size_t i = 0; i < r->nfields; i++) {
		if (r->field[i] == NULL)
			used += (size_t)snprintf(nb->records + used,
			    size - used, "<%.17g>", r->value[i]);
		else
			used += (size_t)snprintf(nb->records + used,
			    size - used, "%s", r->field[i]);
		used += (size_t)snprintf(nb->records + used, size - used, "%s",
		    i + 1 < r->nfields ? "|" : ";");
	}
	used +=
	    (size_t)snprintf(nb->records + used, size - used, "%zu;", r->taken);
	nb->numbers.n = 3;
	nb->numbers.number = nb->number;
	return 0;
}

static void
number_columns_come_as_values_after_the_first_record(void **state)
{
	struct numbered nb = { { 0, NULL }, { 1, 0, 1 }, "", "" };
	struct csv_options opt = { "in.csv", ',', note_hooked, &nb.numbers, 0 };
	const char *in = "x,y,z\n1.5,2,-3e2\nNA,b,\n0.1x,7,\"4\n\"\n"
			 "\"12\",3,0x10\n";
	struct error e;
	int fd = tu_tmpfd(in, strlen(in));

	(void)state;
	assert_true(fd >= 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(csv_read(fd, &opt, note_numbers, &nb, &e), 0);
	close(fd);
	assert_string_equal(nb.records,
	    "1:x|y|z;0;2:<1.5>|2|<-300>;2;"
	    "3:NA|b|;0;4:0.1x|7|4\n;0;6:<12>|3|0x10;1;");
	assert_string_equal(nb.seen, "0:x;1:y;2:z;1:2;1:b;1:7;1:3;");
}

/*
 * The hook may read CSV_FIELD_PAD bytes past a field's terminator, also of a
 * field that ends at or near the end of libcsv's buffer (1 MiB here): under the
 * sanitizers a read past what was allocated fails the test.
 */
struct padded {
	size_t fields;
	unsigned sum; /* of the pad bytes, so that they are read */
};

static int
read_the_pad(void *ctx, size_t index, const char *s, size_t len)
{
	struct padded *p = ctx;

	(void)index;
	assert_int_equal(s[len], '\0');
	for (size_t i = 0; i < len; i++)
		if (s[i] != '7')
			fail_msg("field %zu: byte %zu is not the field's",
			    p->fields, i);
	for (size_t i = 1; i <= CSV_FIELD_PAD; i++)
		p->sum += (unsigned char)s[len + i];
	p->fields++;
	return 1;
}

static int
ignore_record(void *ctx, const struct csv_record *r, struct error *e)
{
	(void)ctx, (void)r, (void)e;
	return 0;
}

static void
field_hook_can_read_the_pad_of_every_field(void **state)
{
	struct csv_options opt = { "in.csv", ',', read_the_pad, NULL, 0 };
	size_t mib = (size_t)1 << 20, size = 0, count = 0;
	char *in = malloc(80 * (mib + 80));
	struct padded p = { 0, 0 };
	struct error e;
	int fd;

	(void)state;
	assert_non_null(in);
	/* Fields of 1 MiB - 40 to 1 MiB + 40 bytes, and short ones after each.
	 */
	for (size_t len = mib - 40; len <= mib + 40; len += 2) {
		memset(in + size, '7', len);
		size += len;
		memcpy(in + size, ",7\n", 3);
		size += 3;
		count += 2;
	}
	fd = tu_tmpfd(in, size);
	assert_true(fd >= 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(csv_read(fd, &opt, ignore_record, &p, &e), 0);
	close(fd);
	assert_int_equal(p.fields, count);
	free(in);
}

static void
reads_crlf_like_lf(void **state)
{
	static const char in[] = "a,b\r\n1,2\r\n3,4\r\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 3);
	check_record(&c, 0, 1, REC("a", "b"));
	check_record(&c, 1, 2, REC("1", "2"));
	check_record(&c, 2, 3, REC("3", "4"));
	collected_free(&c);
}

static void
reads_last_line_without_newline(void **state)
{
	static const char in[] = "a,b\n1,2";
	static const char in2[] = "a,b\r\n1,\"2\"";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 2);
	check_record(&c, 1, 2, REC("1", "2"));
	collected_free(&c);
	assert_int_equal(read_text(in2, strlen(in2), ',', &c, &e), 0);
	assert_int_equal(c.n, 2);
	check_record(&c, 1, 2, REC("1", "2"));
	collected_free(&c);
}

static void
strips_a_leading_byte_order_mark(void **state)
{
	static const char in[] = "\xEF\xBB\xBF"
				 "a,b\n1,2\n";
	static const char quoted[] = "\xEF\xBB\xBF"
				     "\"a\",b\n1,2\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 2);
	check_record(&c, 0, 1, REC("a", "b"));
	collected_free(&c);
	assert_int_equal(read_text(quoted, strlen(quoted), ',', &c, &e), 0);
	check_record(&c, 0, 1, REC("a", "b"));
	collected_free(&c);
}

static void
reads_quoted_fields_with_delimiters_quotes_and_newlines(void **state)
{
	static const char in[] = "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\"\n"
				 "next,\"\",\"x\r\ny\"\n"
				 "last,\" padded \",z\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 3);
	check_record(&c, 0, 1, REC("a,b", "say \"hi\"", "line1\nline2"));
	/* The embedded newline puts the next record on line 3; its CRLF counts
	 * once. */
	check_record(&c, 1, 3, REC("next", "", "x\r\ny"));
	check_record(&c, 2, 5, REC("last", " padded ", "z"));
	collected_free(&c);
}

static void
skips_blank_lines_and_keeps_counting_them(void **state)
{
	static const char in[] = "\na,b\n\n\n1,2\r\n\r\n3,4\n\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 3);
	check_record(&c, 0, 2, REC("a", "b"));
	check_record(&c, 1, 5, REC("1", "2"));
	check_record(&c, 2, 7, REC("3", "4"));
	collected_free(&c);
}

static void
reads_semicolon_and_tab_delimiters(void **state)
{
	static const char semi[] = "a;b,c;\"d;e\"\n1,5;2;3\n";
	static const char tab[] = "a\tb c\t\"d\te\"\n1\t2\t3\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(semi, strlen(semi), ';', &c, &e), 0);
	assert_int_equal(c.n, 2);
	check_record(&c, 0, 1, REC("a", "b,c", "d;e"));
	check_record(&c, 1, 2, REC("1,5", "2", "3"));
	collected_free(&c);
	assert_int_equal(read_text(tab, strlen(tab), '\t', &c, &e), 0);
	assert_int_equal(c.n, 2);
	check_record(&c, 0, 1, REC("a", "b c", "d\te"));
	check_record(&c, 1, 2, REC("1", "2", "3"));
	collected_free(&c);
}

static void
trims_spaces_and_tabs_around_unquoted_fields(void **state)
{
	static const char in[] = "  a  ,\tb\t, c d \n 1 ,\"  2 \",3\t\n";
	/* With tab as the delimiter only spaces are trimmed. */
	static const char tab[] = " a \t  b\n1 \t 2 \n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 2);
	check_record(&c, 0, 1, REC("a", "b", "c d"));
	check_record(&c, 1, 2, REC("1", "  2 ", "3"));
	collected_free(&c);
	assert_int_equal(read_text(tab, strlen(tab), '\t', &c, &e), 0);
	assert_int_equal(c.n, 2);
	check_record(&c, 0, 1, REC("a", "b"));
	check_record(&c, 1, 2, REC("1", "2"));
	collected_free(&c);
}

static void
reads_empty_fields(void **state)
{
	static const char in[] = ",\na,,b\n,,\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), 0);
	assert_int_equal(c.n, 3);
	check_record(&c, 0, 1, REC("", ""));
	check_record(&c, 1, 2, REC("a", "", "b"));
	check_record(&c, 2, 3, REC("", "", ""));
	collected_free(&c);
}

static void
reads_nothing_from_empty_input(void **state)
{
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text("", 0, ',', &c, &e), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(read_text("\n\r\n\n", 4, ',', &c, &e), 0);
	assert_int_equal(c.n, 0);
	collected_free(&c);
}

static void
reads_the_same_through_a_pipe(void **state)
{
	static const char in[] = "\xEF\xBB\xBF"
				 "a,\"b\nc\",d\r\n\n1,2,3\n4,\"5\"\"\",6";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	/* One byte at a time: every token boundary falls between reads. */
	assert_int_equal(read_pipe(in, strlen(in), 1, ',', &c, &e), 0);
	assert_int_equal(c.n, 3);
	check_record(&c, 0, 1, REC("a", "b\nc", "d"));
	check_record(&c, 1, 4, REC("1", "2", "3"));
	check_record(&c, 2, 5, REC("4", "5\"", "6"));
	collected_free(&c);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

static void
quote_inside_unquoted_field_is_malformed_with_place(void **state)
{
	static const char in[] = "a,b,c\n1,x\"y,3\n";
	static const char after[] = "a,b\n\"ab\"c,d\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_contains(e.msg, "in.csv:2:2:");
	assert_contains(e.msg, "malformed");
	assert_string_equal(e.msg, "in.csv:2:2: malformed quoted field");
	collected_free(&c);
	/* Text after a closing quote. */
	assert_int_equal(read_text(after, strlen(after), ',', &c, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_string_equal(e.msg, "in.csv:2:1: malformed quoted field");
	collected_free(&c);
}

static void
unterminated_quote_at_end_is_reported(void **state)
{
	static const char in[] = "a,b\n1,\"2\n3,4\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_contains(e.msg, "unterminated");
	assert_string_equal(e.msg,
	    "in.csv:2: unterminated quoted field at end of input");
	/* The records before it were delivered. */
	assert_int_equal(c.n, 1);
	collected_free(&c);
}

static void
callback_error_stops_reading_and_is_returned(void **state)
{
	static const char in[] = "a\nb\nc\nd\n";
	struct collected c = { 0 };
	struct error e;

	(void)state;
	c.stop_at = 2;
	assert_int_equal(read_text(in, strlen(in), ',', &c, &e), -1);
	assert_int_equal(e.status, EXIT_USAGE);
	assert_string_equal(e.msg, "stopped at record 2");
	assert_int_equal(c.n, 1);
	collected_free(&c);
}

/* ------------------------------------------------------------------------ */
/* Size                                                                      */
/* ------------------------------------------------------------------------ */

static void
reads_a_one_megabyte_field(void **state)
{
	const size_t big = (size_t)1 << 20;
	char *in = malloc(big + 64);
	size_t n = 0;
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_non_null(in);
	n += (size_t)sprintf(in, "x,\"");
	for (size_t i = 0; i < big; i++)
		in[n++] = (char)('a' + i % 26);
	n += (size_t)sprintf(in + n, "\",y\n1,2,3\n");
	assert_int_equal(read_pipe(in, n, 65536, ',', &c, &e), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.rec[0].nfields, 3);
	assert_int_equal(c.rec[0].len[1], big);
	assert_memory_equal(c.rec[0].field[1], in + 3, big);
	assert_string_equal(c.rec[0].field[2], "y");
	check_record(&c, 1, 2, REC("1", "2", "3"));
	collected_free(&c);
	free(in);
}

static void
reads_a_record_of_100000_fields(void **state)
{
	const size_t nf = 100000;
	char *in = malloc(nf * 8 + 16);
	size_t n = 0;
	struct collected c = { 0 };
	struct error e;
	char want[16];

	(void)state;
	assert_non_null(in);
	for (size_t i = 0; i < nf; i++)
		n += (size_t)sprintf(in + n, "%zu%c", i,
		    i + 1 < nf ? ',' : '\n');
	n += (size_t)sprintf(in + n, "end\n");
	assert_int_equal(read_text(in, n, ',', &c, &e), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.rec[0].nfields, nf);
	for (size_t i = 0; i < nf; i += 997) {
		sprintf(want, "%zu", i);
		assert_string_equal(c.rec[0].field[i], want);
	}
	assert_string_equal(c.rec[0].field[nf - 1], "99999");
	check_record(&c, 1, 2, REC("end"));
	collected_free(&c);
	free(in);
}

struct counter {
	long records, bad;
	long last_line;
};

static int
count(void *ctx, const struct csv_record *r, struct error *e)
{
	struct counter *k = ctx;
	char want[32];

	(void)e;
	k->records++;
	/* Record i is "i,i*7,\"q,i\"" on line i. */
	snprintf(want, sizeof want, "%ld", k->records);
	if (r->nfields != 3 || strcmp(r->field[0], want) != 0 ||
	    r->line != k->records || r->index != k->records)
		k->bad++;
	k->last_line = r->line;
	return 0;
}

static void
reads_input_larger_than_a_block(void **state)
{
	const long rows = 300000; /* about 6 MB */
	char *in = malloc((size_t)rows * 40);
	size_t n = 0;
	struct csv_options opt = { "<stdin>", ',', NULL, NULL, 0 };
	struct counter k = { 0, 0, 0 };
	struct error e;
	pid_t pid;
	int fd;

	(void)state;
	assert_non_null(in);
	for (long i = 1; i <= rows; i++)
		n +=
		    (size_t)sprintf(in + n, "%ld,%ld,\"q,%ld\"\n", i, i * 7, i);
	/* Pieces of an odd size, so records straddle the reads. */
	fd = tu_pipefd(in, n, 4093, &pid);
	assert_true(fd >= 0);
	assert_int_equal(csv_read(fd, &opt, count, &k, &e), 0);
	tu_pipe_finish(fd, pid);
	assert_int_equal(k.records, rows);
	assert_int_equal(k.bad, 0);
	assert_int_equal(k.last_line, rows);
	/* And from a regular file. */
	memset(&k, 0, sizeof k);
	fd = tu_tmpfd(in, n);
	assert_true(fd >= 0);
	assert_int_equal(csv_read(fd, &opt, count, &k, &e), 0);
	close(fd);
	assert_int_equal(k.records, rows);
	assert_int_equal(k.bad, 0);
	free(in);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */
/* ------------------------------------------------------------------------ */

/* What csv_write_field writes for s, as a malloc'd string. */
static char *
written(const char *s, unsigned char delim)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	csv_write_field(f, s, delim);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
write_field_quotes_only_when_needed(void **state)
{
	static const struct {
		const char *in;
		unsigned char delim;
		const char *out;
	} cases[] = {
		{ "abc", ',', "abc" },
		{ "sqft", ',', "sqft" },
		{ "(intercept)", ',', "(intercept)" },
		{ "a b", ',', "a b" },
		{ "a,b", ',', "\"a,b\"" },
		{ "say \"hi\"", ',', "\"say \"\"hi\"\"\"" },
		{ "\"", ',', "\"\"\"\"" },
		{ "a\nb", ',', "\"a\nb\"" },
		{ "a\rb", ',', "\"a\rb\"" },
		{ " lead", ',', "\" lead\"" },
		{ "trail ", ',', "\"trail \"" },
		{ "a,b", ';', "a,b" },
		{ "a;b", ';', "\"a;b\"" },
		{ "a\tb", '\t', "\"a\tb\"" },
		{ "a;b", ',', "a;b" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = written(cases[i].in, cases[i].delim);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void
written_fields_read_back_unchanged(void **state)
{
	static const char *const fields[] = {
		"plain",
		"a,b",
		"say \"hi\"",
		"two\nlines",
		"cr\rlf\r\n",
		" pad ",
		"\"",
		",",
		"tab\there",
		"x",
	};
	enum { NF = sizeof fields / sizeof fields[0] };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct collected c = { 0 };
	struct error e;

	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < NF; i++) {
		csv_write_field(f, fields[i], ',');
		fputc(i + 1 < NF ? ',' : '\n', f);
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(read_text(buf, len, ',', &c, &e), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.rec[0].nfields, NF);
	for (size_t i = 0; i < NF; i++)
		assert_string_equal(c.rec[0].field[i], fields[i]);
	collected_free(&c);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_lf_records_with_fields_and_lines),
		cmocka_unit_test(field_hook_takes_fields_out_of_the_records),
		cmocka_unit_test(field_hook_counts_what_it_took),
		cmocka_unit_test(field_hook_can_read_the_pad_of_every_field),
		cmocka_unit_test(
		    number_columns_come_as_values_after_the_first_record),
		cmocka_unit_test(reads_crlf_like_lf),
		cmocka_unit_test(reads_last_line_without_newline),
		cmocka_unit_test(strips_a_leading_byte_order_mark),
		cmocka_unit_test(
		    reads_quoted_fields_with_delimiters_quotes_and_newlines),
		cmocka_unit_test(skips_blank_lines_and_keeps_counting_them),
		cmocka_unit_test(reads_semicolon_and_tab_delimiters),
		cmocka_unit_test(trims_spaces_and_tabs_around_unquoted_fields),
		cmocka_unit_test(reads_empty_fields),
		cmocka_unit_test(reads_nothing_from_empty_input),
		cmocka_unit_test(reads_the_same_through_a_pipe),
		cmocka_unit_test(
		    quote_inside_unquoted_field_is_malformed_with_place),
		cmocka_unit_test(unterminated_quote_at_end_is_reported),
		cmocka_unit_test(callback_error_stops_reading_and_is_returned),
		cmocka_unit_test(reads_a_one_megabyte_field),
		cmocka_unit_test(reads_a_record_of_100000_fields),
		cmocka_unit_test(reads_input_larger_than_a_block),
		cmocka_unit_test(write_field_quotes_only_when_needed),
		cmocka_unit_test(written_fields_read_back_unchanged),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
