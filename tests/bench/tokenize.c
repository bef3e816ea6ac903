/*
 * tokenize.c: the floor for descend's loader.
 *
 *     tokenize [-c | -C | -s] [file]        (no file or "-": standard input)
 *
 * Only tokenizes the CSV with libcsv — read() in 1 MiB page-aligned blocks, the
 * whole block handed to csv_parse, callbacks that do nothing but count — and
 * prints the number of fields and records. It uses the parser options descend
 * uses (strict, strict at end, NUL-terminated fields), so the difference
 * between it and `descend fit -e 1` is what descend adds: line tracking,
 * copying the fields, number conversion, storage and one epoch.
 *
 * With -c it also converts every field to a double with descend's
 * num_parse_padded (src/num.c, linked in) in the field callback, straight from
 * libcsv's buffer (as descend does, when the buffer goes on for NUM_PAD bytes),
 * and adds the values up: the floor of a loader that must convert every number,
 * with no copy, no storage and no checks. -C converts every field with
 * num_parse, the byte-at-a- time path (so -c against -C is what the
 * word-at-a-time path gains), -s with glibc's strtod (the reference, which
 * checks no grammar).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "num.h"

#define BLOCK (1 << 20)

struct counts {
	unsigned long long fields, records, numbers;
	int convert; /* 0, or the flag's letter */
	double sum;
	const struct csv_parser *p;
};

static void
on_field(void *s, size_t len, void *data)
{
	struct counts *n = data;
	double v;
	int padded =
	    s == (void *)n->p->entry_buf && n->p->entry_size >= len + NUM_PAD;
	enum num_status st = NUM_INVALID;
	char *end;

	n->fields++;
	if (n->convert == 'c' && padded)
		st = num_parse_padded(s, len, &v);
	else if (n->convert == 'c' || n->convert == 'C')
		st = num_parse(s, len, &v);
	else if (n->convert == 's' && len > 0) {
		v = strtod(s, &end); /* s is NUL-terminated (CSV_APPEND_NULL) */
		st = end == (char *)s + len ? NUM_OK : NUM_INVALID;
	}
	if (st == NUM_OK) {
		n->numbers++;
		n->sum += v;
	}
}

static void
on_record(int c, void *data)
{
	(void)c;
	((struct counts *)data)->records++;
}

int
main(int argc, char **argv)
{
	struct csv_parser p;
	struct counts n = { 0, 0, 0, 0, 0, NULL };
	int flag = argc > 1 &&
	    (strcmp(argv[1], "-c") == 0 || strcmp(argv[1], "-C") == 0 ||
		strcmp(argv[1], "-s") == 0);
	int convert = flag ? argv[1][1] : 0;
	const char *name = argc > 1 + flag ? argv[1 + flag] : "-";
	int fd = 0;
	char *block;
	long page = sysconf(_SC_PAGESIZE);

	n.convert = convert;
	n.p = &p;
	if (strcmp(name, "-") != 0 && (fd = open(name, O_RDONLY)) < 0) {
		fprintf(stderr, "tokenize: %s: %s\n", name, strerror(errno));
		return 1;
	}
	if (posix_memalign((void **)&block, page > 0 ? (size_t)page : 4096,
		BLOCK) ||
	    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fputs("tokenize: out of memory\n", stderr);
		return 1;
	}
	for (;;) {
		ssize_t got = read(fd, block, BLOCK);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			fprintf(stderr, "tokenize: %s: %s\n", name,
			    strerror(errno));
			return 1;
		}
		if (got == 0)
			break;
		if (csv_parse(&p, block, (size_t)got, on_field, on_record,
			&n) != (size_t)got) {
			fprintf(stderr, "tokenize: %s: %s\n", name,
			    csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	if (csv_fini(&p, on_field, on_record, &n) != 0) {
		fprintf(stderr, "tokenize: %s: %s\n", name,
		    csv_strerror(csv_error(&p)));
		return 1;
	}
	csv_free(&p);
	free(block);
	printf("%llu fields, %llu records", n.fields, n.records);
	if (convert)
		printf(", %llu numbers adding up to %g", n.numbers, n.sum);
	putchar('\n');
	return 0;
}
