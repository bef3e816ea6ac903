/*
 * shard.c: each rank's share of the input.
 *
 * Every step that can fail on one rank alone (opening, reading, parsing) ends
 * in cluster_check, so that all ranks go on together or stop together with the
 * first failing rank's message: none is left waiting in a collective for a rank
 * that has stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster.h"
#include "csv.h"
#include "shard.h"

/* ------------------------------------------------------------------------ */
/* Byte ranges of one file                                                   */
/* ------------------------------------------------------------------------ */

static int
read_part(const char *input, const struct table_options *opt,
    struct dataset *ds, int *cut, struct error *e)
{
	int rank = cluster_rank(), K = cluster_size(), fd, status = 0;
	struct table_options mine = *opt;
	struct table_range range = { 0, 0, 0 };
	long newlines = 0, *all = xcalloc((size_t)K, sizeof(long));
	double uncut;
	struct stat st;

	memset(ds, 0, sizeof(*ds));
	if ((fd = open(input, O_RDONLY)) < 0)
		status =
		    error_set(e, EXIT_INPUT, "%s: %s", input, strerror(errno));
	else if ((status = table_plan_range(fd, opt->header, (size_t)rank,
		      (size_t)K, &range, &newlines, e)) < 0)
		error_set(e, EXIT_INPUT, "%s: %s", input, e->msg);
	uncut = status == 1;
	if (cluster_check(status < 0 ? -1 : 0, e) != 0) {
		free(all);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* A quote or a lone CR in any part: rank 0 reads all the rows. */
	cluster_max(&uncut, 1);
	*cut = uncut == 0;
	cluster_allgather(&newlines, sizeof(newlines), all);
	range.first_line = opt->header ? 2 : 1;
	for (int r = 0; r < rank; r++)
		range.first_line += all[r];
	free(all);
	if (!*cut && fstat(fd, &st) == 0) {
		if (rank == 0)
			range.end = st.st_size;
		else
			range.start = range.end = st.st_size;
	}
	mine.range = &range;
	mine.threads = 1;
	status = table_read(fd, &mine, ds, e);
	close(fd);
	if (cluster_check(status, e) != 0) {
		if (status == 0)
			dataset_free(ds);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Whole files of a glob                                                     */
/* ------------------------------------------------------------------------ */

/* A list of strings as one block of bytes, NUL after each, to broadcast. */
struct strings {
	size_t n;     /* strings */
	size_t bytes; /* of text, NULs included */
	char *text;   /* (bytes) */
};

static void
strings_add(struct strings *s, const char *str, size_t len)
{
	s->text = xreallocarray(s->text, s->bytes + len + 1, 1);
	memcpy(s->text + s->bytes, str, len);
	s->text[s->bytes + len] = '\0';
	s->bytes += len + 1;
	s->n++;
}

/* The i-th string of s (i < s->n). */
static const char *
strings_at(const struct strings *s, size_t i)
{
	const char *p = s->text;

	while (i-- > 0)
		p += strlen(p) + 1;
	return p;
}

/* s as rank 0 has it, on every rank. */
static void
strings_broadcast(struct strings *s)
{
	size_t size[2] = { s->n, s->bytes };

	cluster_broadcast(size, sizeof(size), 0);
	if (cluster_rank() != 0) {
		free(s->text);
		s->n = size[0];
		s->bytes = size[1];
		s->text = xcalloc(s->bytes ? s->bytes : 1, 1);
	}
	cluster_broadcast(s->text, s->bytes, 0);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files pattern matches, sorted by name; on rank 0 (others get them later).
 */
static int
find_shards(const char *pattern, struct strings *files, struct error *e)
{
	glob_t g;
	int found;

	memset(files, 0, sizeof(*files));
	if ((found = glob(pattern, 0, NULL, &g)) == GLOB_NOMATCH)
		return error_set(e, EXIT_USAGE,
		    "--shards: no file matches \"%s\"", pattern);
	if (found != 0)
		return error_set(e, EXIT_INPUT, "--shards: \"%s\": %s", pattern,
		    found == GLOB_NOSPACE ? "out of memory" : "cannot be read");
	/* glob sorts in the locale's order; byte order is the same everywhere.
	 */
	qsort(g.gl_pathv, g.gl_pathc, sizeof(*g.gl_pathv), compare_names);
	for (size_t i = 0; i < g.gl_pathc; i++)
		strings_add(files, g.gl_pathv[i], strlen(g.gl_pathv[i]));
	globfree(&g);
	return 0;
}

/* Reading a file's first record into a list of its fields. */
static int
on_header(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct strings *h = ctx;

	for (size_t j = 0; j < rec->nfields; j++)
		strings_add(h, rec->field[j], strlen(rec->field[j]));
	return error_set(e, EXIT_OK, "the first record is read");
}

/* The fields of the first record of fd (left at offset 0) into h. */
static int
read_header(int fd, const char *name, const struct table_options *opt,
    struct strings *h, struct error *e)
{
	struct csv_options copt = { .name = name, .delimiter = opt->delimiter };
	int status;

	memset(h, 0, sizeof(*h));
	status = csv_read(fd, &copt, on_header, h, e);
	if (lseek(fd, 0, SEEK_SET) != 0)
		return error_set(e, EXIT_INPUT, "%s: %s", name,
		    strerror(errno));
	if (status == 0 && h->n == 0)
		return error_set(e, EXIT_INPUT, "%s: empty input", name);
	return h->n > 0 ? 0 : -1;
}

/* Whether shard name's first record h agrees with first's, ref. */
static int
check_header(const char *name, const struct strings *h, const char *first,
    const struct strings *ref, int header, struct error *e)
{
	if (h->n != ref->n)
		return error_set(e, EXIT_INPUT,
		    "%s:1: %zu fields, but %zu in the "
		    "first shard, %s",
		    name, h->n, ref->n, first);
	for (size_t j = 0; header && j < h->n; j++)
		if (strcmp(strings_at(h, j), strings_at(ref, j)) != 0)
			return error_set(e, EXIT_INPUT,
			    "%s:1: the header differs from "
			    "the first shard's (%s): column %zu is \"%s\", not "
			    "\"%s\"",
			    name, first, j + 1, strings_at(h, j),
			    strings_at(ref, j));
	return 0;
}

/* The rows of more at the end of ds (ds's columns, or none yet); more is freed.
 */
static void
append(struct dataset *ds, struct dataset *more)
{
	size_t stride = more->d + 1;

	if (ds->names == NULL) {
		*ds = *more;
		return;
	}
	dataset_reserve(ds, ds->n + more->n);
	memcpy(ds->x + ds->n * stride, more->x,
	    more->n * stride * sizeof(double));
	ds->n += more->n;
	dataset_free(more);
}

/*
 * Read shard `name` into ds (appended), checking its header against ref's;
 * or, with columns_only, its columns alone (a rank with no shard of its own).
 */
static int
read_shard(const char *name, const struct table_options *opt,
    const struct strings *ref, const char *first, int columns_only,
    struct dataset *ds, size_t *dropped, struct error *e)
{
	struct table_options mine = *opt;
	struct table_range range = { 0, 0, 1 };
	struct strings h;
	struct dataset more;
	size_t left_out = 0;
	long newlines;
	int fd, status;

	if ((fd = open(name, O_RDONLY)) < 0)
		return error_set(e, EXIT_INPUT, "%s: %s", name,
		    strerror(errno));
	status = read_header(fd, name, opt, &h, e);
	if (status == 0)
		status = check_header(name, &h, first, ref, opt->header, e);
	free(h.text);
	/*
	 * All the rows, as one range: a shard of one row, or none, is no error.
	 * It is not cut, so quoted fields do not matter.
	 */
	if (status == 0 && !columns_only &&
	    table_plan_range(fd, opt->header, 0, 1, &range, &newlines, e) < 0)
		status = error_set(e, EXIT_INPUT, "%s: %s", name, e->msg);
	range.first_line = opt->header ? 2 : 1;
	mine.name = name;
	mine.dropped = &left_out;
	mine.range = &range;
	if (status == 0 && (status = table_read(fd, &mine, &more, e)) == 0) {
		append(ds, &more);
		*dropped += left_out;
	}
	close(fd);
	return status;
}

static int
read_shards(const char *pattern, const struct table_options *opt,
    struct dataset *ds, size_t *dropped, struct error *e)
{
	struct strings files = { 0 }, ref = { 0 };
	size_t K = (size_t)cluster_size(), r = (size_t)cluster_rank(), lo, hi;
	int status = 0, fd;

	memset(ds, 0, sizeof(*ds));
	if (r == 0 && (status = find_shards(pattern, &files, e)) == 0) {
		/* Rank 0's first shard's header names the columns for all. */
		if ((fd = open(files.text, O_RDONLY)) < 0)
			status = error_set(e, EXIT_INPUT, "%s: %s", files.text,
			    strerror(errno));
		else {
			status = read_header(fd, files.text, opt, &ref, e);
			close(fd);
		}
	}
	if (cluster_check(status, e) != 0) {
		free(files.text);
		free(ref.text);
		return -1;
	}
	strings_broadcast(&files);
	strings_broadcast(&ref);
	dataset_fold(r, K, files.n, &lo, &hi);
	for (size_t i = lo; i < hi && status == 0; i++)
		status = read_shard(strings_at(&files, i), opt, &ref,
		    files.text, 0, ds, dropped, e);
	/* A rank without a shard still needs the columns: the first file's. */
	if (lo == hi)
		status = read_shard(files.text, opt, &ref, files.text, 1, ds,
		    dropped, e);
	free(files.text);
	free(ref.text);
	if (cluster_check(status, e) != 0) {
		if (ds->names != NULL)
			dataset_free(ds);
		return -1;
	}
	return 0;
}

int
shard_read(const char *input, const char *pattern,
    const struct table_options *opt, struct dataset *ds, size_t *dropped,
    int *cut, struct error *e)
{
	size_t left_out = 0;
	double all;
	int status;

	*cut = 1;
	if (pattern != NULL) {
		status = read_shards(pattern, opt, ds, &left_out, e);
	} else {
		struct table_options counted = *opt;

		counted.dropped = &left_out;
		status = read_part(input, &counted, ds, cut, e);
	}
	if (status != 0)
		return -1;
	ds->spread = 1;
	all = (double)left_out;
	cluster_sum(&all, 1);
	*dropped = (size_t)all;
	return 0;
}
