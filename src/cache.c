/*
 * cache.c: writing and mapping the cache file that cache.h describes.
 *
 * Writing streams: rows are buffered a megabyte at a time and written with
 * pwrite at their place after the header, whose size is known once the columns
 * are. The scaler is fitted by scaler_fit itself on a read-only mapping of the
 * rows, so the statistics are those of the same rows in memory, to the bit (its
 * passes are exact two-pass ones, not Welford's running update, which would
 * round differently and so change the weights). Scaling then reads and rewrites
 * the rows in blocks with pread and pwrite rather than through a writable
 * mapping: a write through a mapping that fails (a full disk on a copy-on-write
 * file system, an I/O error) raises SIGBUS instead of returning an error to
 * report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "outfile.h"

#define CACHE_MAGIC "DESCEND" /* and its NUL: 8 bytes */
#define CACHE_VERSION 1
#define CACHE_BYTE_ORDER 0x01020304u
#define CACHE_FIXED 96		    /* bytes of the fixed part of the header */
#define CACHE_ALIGN 4096	    /* the rows start at a multiple of this */
#define CACHE_NOT_GIVEN 0xffffffffu /* the length of an option not given */
#define CACHE_HASH_AT 88	    /* where the header's hash is */
#define BUFFER_BYTES (1 << 20)	    /* rows written or scaled at a time */

/* ------------------------------------------------------------------------ */
/* The header, encoded                                                       */
/* ------------------------------------------------------------------------ */

/* A buffer being filled; with p NULL it only counts. */
struct put {
	unsigned char *p;
	size_t len;
};

static void
put(struct put *b, const void *v, size_t len)
{
	if (b->p != NULL)
		memcpy(b->p + b->len, v, len);
	b->len += len;
}

static void
put_u32(struct put *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void
put_u64(struct put *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

/* A length-prefixed string, or the length CACHE_NOT_GIVEN alone for NULL. */
static void
put_string(struct put *b, const char *s)
{
	put_u32(b, s == NULL ? CACHE_NOT_GIVEN : (uint32_t)strlen(s));
	if (s != NULL)
		put(b, s, strlen(s));
}

/* FNV-1a, 64 bits. */
static uint64_t
hash(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/*
 * The header of w's file into b (its length only, when b->p is NULL):
 * everything up to the end of the scaler s, or of where it goes when s is NULL.
 */
static void
encode_header(struct put *b, const struct cache_writer *w,
    const struct scaler *s)
{
	const struct cache_key *k = &w->key;
	static const double zero;

	put(b, CACHE_MAGIC, 8);
	put_u32(b, CACHE_VERSION);
	put_u32(b, CACHE_BYTE_ORDER);
	put_u32(b, sizeof(double));
	put_u32(b, k->header ? 1 : 0);
	put_u64(b, w->n);
	put_u64(b, w->d);
	put_u64(b, w->offset);
	put_u64(b, k->size);
	put_u64(b, (uint64_t)k->mtime_sec);
	put_u64(b, (uint64_t)k->mtime_nsec);
	put_u32(b, k->delimiter);
	put_u32(b, (uint32_t)k->missing);
	put_u32(b, (uint32_t)k->scaling);
	put_u32(b, 0);
	put_u64(b, 0); /* the hash, filled in last */
	put_string(b, k->target);
	put_string(b, k->features);
	put_string(b, k->drop);
	for (size_t j = 0; j <= w->d; j++)
		put_string(b, w->names[j]);
	while (b->len % 8 != 0)
		put(b, "", 1);
	for (size_t j = 0; j < 4 * w->d; j++) {
		const double *col[] = { s ? s->mean : NULL, s ? s->sd : NULL,
			s ? s->shift : NULL, s ? s->scale : NULL };

		put(b, s ? &col[j / w->d][j % w->d] : &zero, sizeof(double));
	}
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */
/* ------------------------------------------------------------------------ */

/* pwrite all of len bytes at off; 0, or -1 with errno set. */
static int
write_at(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t put_bytes = pwrite(fd, p, len, off);

		if (put_bytes < 0 && errno == EINTR)
			continue;
		if (put_bytes <= 0) {
			if (put_bytes == 0)
				errno = EIO;
			return -1;
		}
		p += put_bytes;
		len -= (size_t)put_bytes;
		off += put_bytes;
	}
	return 0;
}

/* pread all of len bytes at off; 0, or -1 with errno set (EIO at end of file).
 */
static int
read_at(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;

	while (len > 0) {
		ssize_t got = pread(fd, p, len, off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = EIO;
			return -1;
		}
		p += got;
		len -= (size_t)got;
		off += got;
	}
	return 0;
}

/* Fail with "TMP: what: strerror(errno); PATH not written", removing TMP. */
static int
fail(struct cache_writer *w, const char *what, struct error *e)
{
	error_set(e, EXIT_INPUT, "%s: %s: %s; the cache %s is not written",
	    w->tmp, what, strerror(errno), w->path);
	cache_abort(w);
	return -1;
}

int
cache_create(struct cache_writer *w, const char *path,
    const struct cache_key *key, struct error *e)
{
	memset(w, 0, sizeof(*w));
	w->key = *key;
	if ((w->fd = outfile_temporary(path, &w->tmp)) == -1)
		return error_set(e, EXIT_INPUT,
		    "%s: cannot create the cache: %s", path, strerror(errno));
	w->path = xstrdup(path);
	return 0;
}

int
cache_columns(struct cache_writer *w, size_t d, const char *const *names,
    struct error *e)
{
	struct put size = { 0 };

	(void)e;
	w->d = d;
	w->names = xcalloc(d + 1, sizeof(*w->names));
	for (size_t j = 0; j <= d; j++)
		w->names[j] = xstrdup(names[j]);
	encode_header(&size, w, NULL);
	w->offset = (size.len + CACHE_ALIGN - 1) / CACHE_ALIGN * CACHE_ALIGN;
	w->cap = BUFFER_BYTES / ((d + 1) * sizeof(double));
	w->cap = w->cap ? w->cap : 1;
	w->buf = xcalloc(w->cap * (d + 1), sizeof(double));
	return 0;
}

/* Write the buffered rows after those already written. */
static int
flush_rows(struct cache_writer *w, struct error *e)
{
	size_t row = (w->d + 1) * sizeof(double);

	if (w->nbuf > 0 &&
	    write_at(w->fd, w->buf, w->nbuf * row,
		(off_t)(w->offset + (w->n - w->nbuf) * row)) != 0)
		return fail(w, "writing the cache", e);
	w->nbuf = 0;
	return 0;
}

int
cache_add_row(struct cache_writer *w, const double *row, struct error *e)
{
	size_t p = w->d + 1;

	memcpy(w->buf + w->nbuf * p, row, p * sizeof(double));
	w->nbuf++;
	w->n++;
	return w->nbuf == w->cap ? flush_rows(w, e) : 0;
}

/* Fit s to the rows written, on a read-only mapping of them. */
static int
fit_scaler(struct cache_writer *w, int scaling, struct scaler *s,
    struct error *e)
{
	size_t len = w->offset + w->n * (w->d + 1) * sizeof(double);
	struct dataset rows = { .n = w->n, .d = w->d, .names = w->names };
	void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, w->fd, 0);
	int status;

	if (map == MAP_FAILED)
		return fail(w, "mapping the cache", e);
	rows.x = (double *)((char *)map + w->offset);
	status = scaler_fit(s, &rows, (enum scaling)scaling, 1, e);
	munmap(map, len);
	if (status != 0) {
		scaler_free(s);
		cache_abort(w);
	}
	return status;
}

/* Rewrite the features of the rows written as s scales them, a block at a time.
 */
static int
scale_rows(struct cache_writer *w, const struct scaler *s, struct error *e)
{
	size_t row = (w->d + 1) * sizeof(double);

	for (size_t i = 0; i < w->n; i += w->cap) {
		struct dataset block = { .d = w->d, .x = w->buf };
		off_t at = (off_t)(w->offset + i * row);

		block.n = w->n - i < w->cap ? w->n - i : w->cap;
		if (read_at(w->fd, w->buf, block.n * row, at) != 0)
			return fail(w, "reading the cache back", e);
		scaler_apply(s, &block, 1);
		if (write_at(w->fd, w->buf, block.n * row, at) != 0)
			return fail(w, "writing the cache", e);
	}
	return 0;
}

int
cache_commit(struct cache_writer *w, int scaling, struct error *e)
{
	struct scaler s;
	struct put b = { 0 };
	uint64_t h;
	int status;

	if (flush_rows(w, e) != 0 || fit_scaler(w, scaling, &s, e) != 0)
		return -1;
	status = scale_rows(w, &s, e);
	if (status == 0) {
		b.p = xcalloc(w->offset, 1);
		encode_header(&b, w, &s);
		h = hash(b.p, b.len);
		memcpy(b.p + CACHE_HASH_AT, &h, sizeof(h));
		if (write_at(w->fd, b.p, w->offset, 0) != 0 ||
		    fsync(w->fd) != 0)
			status = fail(w, "writing the cache", e);
		free(b.p);
	}
	scaler_free(&s);
	if (status != 0)
		return -1;
	if (close(w->fd) != 0 || outfile_rename(w->tmp, w->path) != 0) {
		w->fd = -1;
		return fail(w, "writing the cache", e);
	}
	w->fd = -1;
	free(w->tmp);
	w->tmp = NULL;
	cache_abort(w);
	return 0;
}

void
cache_abort(struct cache_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp != NULL)
		outfile_unlink(w->tmp);
	for (size_t j = 0; w->names != NULL && j <= w->d; j++)
		free(w->names[j]);
	free(w->names);
	free(w->tmp);
	free(w->path);
	free(w->buf);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

/* The bytes of a file being decoded, with bounds. */
struct take {
	const unsigned char *p;
	size_t at, len;
};

/* The next n bytes, or NULL when fewer are left. */
static const unsigned char *
take(struct take *t, size_t n)
{
	const unsigned char *q;

	if (n > t->len - t->at)
		return NULL;
	q = t->p + t->at;
	t->at += n;
	return q;
}

static int
take_u32(struct take *t, uint32_t *v)
{
	const unsigned char *q = take(t, sizeof(*v));

	if (q != NULL)
		memcpy(v, q, sizeof(*v));
	return q ? 0 : -1;
}

/*
 * A length-prefixed string into *s (allocated; NULL for "not given" when
 * may_be_absent): 0, or -1 when the file ends or it holds a NUL byte.
 */
static int
take_string(struct take *t, char **s, int may_be_absent)
{
	uint32_t len;
	const unsigned char *q;

	*s = NULL;
	if (take_u32(t, &len) != 0)
		return -1;
	if (len == CACHE_NOT_GIVEN)
		return may_be_absent ? 0 : -1;
	if ((q = take(t, len)) == NULL || memchr(q, '\0', len) != NULL)
		return -1;
	*s = xmalloc((size_t)len + 1);
	memcpy(*s, q, len);
	(*s)[len] = '\0';
	return 0;
}

/* The fixed part of the header, decoded. */
struct fixed {
	uint32_t version, order, dsize, flags, delimiter, missing, scaling,
	    zero;
	uint64_t n, d, offset, size, hash;
	int64_t sec, nsec;
};

static void
decode_fixed(const unsigned char *p, struct fixed *f)
{
	memcpy(&f->version, p + 8, 4);
	memcpy(&f->order, p + 12, 4);
	memcpy(&f->dsize, p + 16, 4);
	memcpy(&f->flags, p + 20, 4);
	memcpy(&f->n, p + 24, 8);
	memcpy(&f->d, p + 32, 8);
	memcpy(&f->offset, p + 40, 8);
	memcpy(&f->size, p + 48, 8);
	memcpy(&f->sec, p + 56, 8);
	memcpy(&f->nsec, p + 64, 8);
	memcpy(&f->delimiter, p + 72, 4);
	memcpy(&f->missing, p + 76, 4);
	memcpy(&f->scaling, p + 80, 4);
	memcpy(&f->zero, p + 84, 4);
	memcpy(&f->hash, p + CACHE_HASH_AT, 8);
}

/* Whether option a (given as read from the file) equals b (NULL: not given). */
static int
same_option(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* The parts of a cache's header that vary in length. */
struct varying {
	char *target, *features, *drop;
	char **names; /* (d + 1) */
	size_t nnames;
};

static void
varying_free(struct varying *v)
{
	free(v->target);
	free(v->features);
	free(v->drop);
	for (size_t j = 0; j < v->nnames; j++)
		free(v->names[j]);
	free(v->names);
}

/*
 * Check the fixed part of the header of a file of len bytes against this
 * machine and the file's length: 0, or -1 with e filled.
 */
static int
check_fixed(const char *path, const struct fixed *f, size_t len,
    struct error *e)
{
	uint64_t width, room;

	if (f->order != CACHE_BYTE_ORDER || f->dsize != sizeof(double))
		return error_set(e, EXIT_INPUT,
		    "%s: the cache was written on a "
		    "machine of another architecture (byte order or size of a "
		    "double); rebuild it here",
		    path);
	if (f->version != CACHE_VERSION)
		return error_set(e, EXIT_INPUT,
		    "%s: cache version %lu; this descend "
		    "reads version %d",
		    path, (unsigned long)f->version, CACHE_VERSION);
	if (f->offset < CACHE_FIXED || f->offset % 8 != 0 || f->offset > len)
		return error_set(e, EXIT_INPUT,
		    "%s: corrupt cache: its rows start "
		    "at %llu, outside the file of %zu bytes",
		    path, (unsigned long long)f->offset, len);
	room = (len - f->offset) / sizeof(double);
	width = f->d + 1;
	if (f->d >= room || f->n < 2 || f->n > room / width ||
	    f->n * width * sizeof(double) != len - f->offset)
		return error_set(e, EXIT_INPUT,
		    "%s: corrupt or truncated cache: "
		    "%llu rows of %llu features do not fill its %zu bytes "
		    "after "
		    "the header",
		    path, (unsigned long long)f->n, (unsigned long long)f->d,
		    len - (size_t)f->offset);
	if (f->missing > 1 || f->scaling > 2 || f->delimiter > 255 ||
	    f->flags > 1 || f->zero != 0)
		return error_set(e, EXIT_INPUT,
		    "%s: corrupt cache: bad option "
		    "fields in its header",
		    path);
	return 0;
}

/*
 * The varying part of the header, up to the scaler, which goes into s; then the
 * hash of the whole header. 0, or -1 with e filled.
 */
static int
decode_varying(const char *path, struct take *t, const struct fixed *f,
    struct varying *v, struct scaler *s, struct error *e)
{
	size_t d = (size_t)f->d;
	unsigned char *copy;
	uint64_t h;
	double *col[4];
	const unsigned char *q;

	memset(v, 0, sizeof(*v));
	memset(s, 0, sizeof(*s));
	if (take_string(t, &v->target, 1) || take_string(t, &v->features, 1) ||
	    take_string(t, &v->drop, 1))
		return error_set(e, EXIT_INPUT,
		    "%s: corrupt cache: bad options in "
		    "its header",
		    path);
	v->names = xcalloc(d + 1, sizeof(*v->names));
	for (; v->nnames <= d; v->nnames++)
		if (take_string(t, &v->names[v->nnames], 0) != 0)
			return error_set(e, EXIT_INPUT,
			    "%s: corrupt cache: bad "
			    "column name %zu in its header",
			    path, v->nnames + 1);
	t->at = (t->at + 7) / 8 * 8;
	if (t->at > t->len || (q = take(t, 4 * d * sizeof(double))) == NULL)
		return error_set(e, EXIT_INPUT,
		    "%s: corrupt cache: its header "
		    "overruns the rows",
		    path);
	copy = xmalloc(t->at);
	memcpy(copy, t->p, t->at);
	memset(copy + CACHE_HASH_AT, 0, 8);
	h = hash(copy, t->at);
	free(copy);
	if (h != f->hash)
		return error_set(e, EXIT_INPUT,
		    "%s: corrupt cache: its header does "
		    "not match its checksum",
		    path);
	s->d = d;
	col[0] = s->mean = xcalloc(d, sizeof(double));
	col[1] = s->sd = xcalloc(d, sizeof(double));
	col[2] = s->shift = xcalloc(d, sizeof(double));
	col[3] = s->scale = xcalloc(d, sizeof(double));
	for (size_t k = 0; k < 4; k++)
		memcpy(col[k], q + k * d * sizeof(double), d * sizeof(double));
	return 0;
}

/* Whether the cache's input, f and v, is want. */
static int
matches(const struct fixed *f, const struct varying *v,
    const struct cache_key *want)
{
	return f->size == want->size && f->sec == want->mtime_sec &&
	    f->nsec == want->mtime_nsec && f->delimiter == want->delimiter &&
	    (f->flags & 1) == (want->header ? 1u : 0u) &&
	    f->missing == (uint32_t)want->missing &&
	    f->scaling == (uint32_t)want->scaling &&
	    same_option(v->target, want->target) &&
	    same_option(v->features, want->features) &&
	    same_option(v->drop, want->drop);
}

/* Decode the mapped file; on CACHE_OK fill ds (taking map) and s. */
static enum cache_found
decode(const char *path, void *map, size_t len, const struct cache_key *want,
    struct dataset *ds, struct scaler *s, struct error *e)
{
	struct take t = { .p = map, .len = len };
	struct fixed f;
	struct varying v;
	enum cache_found found = CACHE_BAD;

	if (len < 8 || memcmp(map, CACHE_MAGIC, 8) != 0) {
		error_set(e, EXIT_INPUT,
		    "%s: not a descend cache (it does not start "
		    "with DESCEND)",
		    path);
		return CACHE_FOREIGN;
	}
	if (len < CACHE_FIXED) {
		error_set(e, EXIT_INPUT,
		    "%s: truncated cache: %zu bytes, less than "
		    "its header",
		    path, len);
		return CACHE_BAD;
	}
	decode_fixed(map, &f);
	if (check_fixed(path, &f, len, e) != 0)
		return CACHE_BAD;
	t.at = CACHE_FIXED;
	t.len = (size_t)f.offset;
	if (decode_varying(path, &t, &f, &v, s, e) != 0) {
		varying_free(&v);
		scaler_free(s);
		return CACHE_BAD;
	}
	if (want != NULL && !matches(&f, &v, want)) {
		found = CACHE_STALE;
		scaler_free(s);
	} else {
		found = CACHE_OK;
		dataset_init(ds, (size_t)f.d, (const char *const *)v.names);
		ds->n = (size_t)f.n;
		ds->map = map;
		ds->map_size = len;
		ds->x = (double *)((char *)map + f.offset);
	}
	varying_free(&v);
	return found;
}

enum cache_found
cache_open(const char *path, const struct cache_key *want, struct dataset *ds,
    struct scaler *s, struct error *e)
{
	struct stat st;
	enum cache_found found;
	void *map;
	int fd = open(path, O_RDONLY);

	if (fd == -1 && errno == ENOENT) {
		error_set(e, EXIT_INPUT, "%s: no such cache", path);
		return CACHE_ABSENT;
	}
	if (fd == -1 || fstat(fd, &st) != 0) {
		error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return CACHE_BAD;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		error_set(e, EXIT_INPUT, "%s: %s", path,
		    S_ISREG(st.st_mode) ? "empty, not a descend cache"
					: "not a regular file");
		return S_ISREG(st.st_mode) ? CACHE_ABSENT : CACHE_FOREIGN;
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		error_set(e, EXIT_INPUT, "%s: too large to map", path);
		return CACHE_BAD;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		error_set(e, EXIT_INPUT, "%s: cannot map the cache: %s", path,
		    strerror(errno));
		return CACHE_BAD;
	}
	found = decode(path, map, (size_t)st.st_size, want, ds, s, e);
	if (found != CACHE_OK)
		munmap(map, (size_t)st.st_size);
	return found;
}
