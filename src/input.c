/*
 * input.c: compressed input, and the head of any input.
 *
 * A regular file that is not compressed is left as it is: its head is read
 * with pread, which moves no offset. Anything else goes through the pump, a
 * thread that reads the input, decompresses it if its first bytes say it is
 * compressed, and writes the text into a pipe; it keeps the first
 * INPUT_HEAD_LINES lines (at most INPUT_HEAD_BYTES) before writing them, and
 * input_open waits for them. A plain pipe's bytes after its head are moved
 * with splice(2), without a copy where the kernel can.
 *
 * Magic numbers (RFC 1952, the xz file format 1.0.4, RFC 8878): gzip 1f 8b,
 * xz fd 37 7a 58 5a 00, zstd 28 b5 2f fd. Concatenated streams (gzip members,
 * xz streams, zstd frames) are read one after the other, as their tools do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "input.h"

#define MAGIC 6
#define BLOCK 65536
/* The pump's stack: its buffers are on the heap. */
#define PUMP_STACK (256 * 1024)

struct input_pump {
	int src, out; /* what is read, the pipe written */
	enum input_codec codec;
	const char *name;
	unsigned char magic[MAGIC]; /* read from src before the pump began */
	size_t nmagic;
	int ended;  /* src ended within the magic: not to be read again (a
		       terminal's end, Ctrl-D, is not lasting) */
	char *head; /* kept until published, then written */
	size_t head_len, head_cap;
	long head_lines;
	int published, whole;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	pthread_t thread;
	struct error e;
	int failed, broken; /* an error; the reader went away */
};

const char *
input_codec_name(enum input_codec codec)
{
	static const char *const name[] = { "plain", "gzip", "xz", "zstd" };

	return name[codec];
}

static enum input_codec
codec_of(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return INPUT_GZIP;
	if (n >= 6 &&
	    memcmp(b,
		"\xfd"
		"7zXZ\0",
		6) == 0)
		return INPUT_XZ;
	if (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0)
		return INPUT_ZSTD;
	return INPUT_PLAIN;
}

/* read() until want bytes or the end; the bytes read, or -1 (errno). */
static ssize_t
read_full(int fd, void *buf, size_t want)
{
	size_t have = 0;

	while (have < want) {
		ssize_t got = read(fd, (char *)buf + have, want - have);

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

/* One read() of at most size bytes, after EINTR. */
static ssize_t
read_some(int fd, void *buf, size_t size)
{
	ssize_t got;

	do
		got = read(fd, buf, size);
	while (got < 0 && errno == EINTR);
	return got;
}

static int
write_all(struct input_pump *p, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t put = write(p->out, b, n);

		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0) {
			p->broken = 1; /* EPIPE: the reader stopped */
			return -1;
		}
		b += put;
		n -= (size_t)put;
	}
	return 0;
}

static void
publish(struct input_pump *p, int whole)
{
	pthread_mutex_lock(&p->lock);
	p->published = 1;
	p->whole = whole;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
}

/* Hand on n bytes of text: to the head while it is open, else to the pipe. */
static int
emit(struct input_pump *p, const char *b, size_t n)
{
	if (p->published)
		return write_all(p, b, n);
	if (p->head_len + n > p->head_cap) {
		size_t cap = p->head_len + n + BLOCK;
		char *h = realloc(p->head, cap);

		if (h == NULL) {
			p->failed = 1;
			error_set(&p->e, EXIT_INPUT, "%s: out of memory",
			    p->name);
			return -1;
		}
		p->head = h;
		p->head_cap = cap;
	}
	memcpy(p->head + p->head_len, b, n);
	p->head_len += n;
	for (size_t i = 0; i < n; i++)
		p->head_lines += b[i] == '\n';
	if (p->head_lines < INPUT_HEAD_LINES && p->head_len < INPUT_HEAD_BYTES)
		return 0;
	publish(p, 0);
	return write_all(p, p->head, p->head_len);
}

static int
fail(struct input_pump *p, const char *what)
{
	p->failed = 1;
	error_set(&p->e, EXIT_INPUT, "%s: %s input: %s", p->name,
	    input_codec_name(p->codec), what);
	return -1;
}

/*
 * The next compressed bytes: the magic first, then src. Returns the bytes, 0
 * at the end, -1 on a read error (filled).
 */
static ssize_t
next_in(struct input_pump *p, unsigned char *buf)
{
	ssize_t got;

	if (p->nmagic > 0) {
		memcpy(buf, p->magic, p->nmagic);
		got = (ssize_t)p->nmagic;
		p->nmagic = 0;
		return got;
	}
	if (p->ended)
		return 0;
	if ((got = read_some(p->src, buf, BLOCK)) < 0)
		fail(p, strerror(errno));
	return got;
}

static int
pump_plain(struct input_pump *p, char *out)
{
	ssize_t got;

	if (p->nmagic > 0 && emit(p, (char *)p->magic, p->nmagic))
		return -1;
	if (p->ended)
		return 0;
	while (!p->published) {
		if ((got = read_some(p->src, out, BLOCK)) < 0)
			return fail(p, strerror(errno));
		if (got == 0)
			return 0;
		if (emit(p, out, (size_t)got))
			return -1;
	}
	/* The rest moved pipe to pipe; a read and a write where it cannot. */
	for (;;) {
		got = splice(p->src, NULL, p->out, NULL, 1 << 20,
		    SPLICE_F_MOVE | SPLICE_F_MORE);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EPIPE) {
			p->broken = 1;
			return -1;
		}
		if (got < 0)
			break;
		if (got == 0)
			return 0;
	}
	while ((got = read_some(p->src, out, BLOCK)) > 0)
		if (write_all(p, out, (size_t)got))
			return -1;
	return got < 0 ? fail(p, strerror(errno)) : 0;
}

static int
pump_gzip(struct input_pump *p, unsigned char *in, char *out)
{
	z_stream z = { 0 };
	ssize_t got;
	int status = Z_OK;

	/* 15 + 32: a window of 32 KiB, a gzip or zlib header. */
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return fail(p, "out of memory");
	for (;;) {
		if (z.avail_in == 0) {
			if ((got = next_in(p, in)) < 0)
				break;
			if (got == 0) {
				if (status != Z_STREAM_END)
					fail(p, "the stream is cut short");
				break;
			}
			z.next_in = in;
			z.avail_in = (uInt)got;
		}
		/* Another member after the last. */
		if (status == Z_STREAM_END)
			inflateReset(&z);
		z.next_out = (unsigned char *)out;
		z.avail_out = BLOCK;
		status = inflate(&z, Z_NO_FLUSH);
		if (status != Z_OK && status != Z_STREAM_END) {
			fail(p,
			    status == Z_MEM_ERROR ? "out of memory"
				: z.msg		  ? z.msg
						  : "corrupt data");
			break;
		}
		if (BLOCK - z.avail_out > 0 &&
		    emit(p, out, BLOCK - z.avail_out))
			break;
	}
	inflateEnd(&z);
	return p->failed || p->broken ? -1 : 0;
}

static int
pump_xz(struct input_pump *p, unsigned char *in, char *out)
{
	lzma_stream x = LZMA_STREAM_INIT;
	lzma_ret ret;
	ssize_t got;
	int end = 0;

	if (lzma_stream_decoder(&x, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return fail(p, "out of memory");
	for (;;) {
		if (x.avail_in == 0 && !end) {
			if ((got = next_in(p, in)) < 0)
				break;
			end = got == 0;
			x.next_in = in;
			x.avail_in = (size_t)got;
		}
		x.next_out = (uint8_t *)out;
		x.avail_out = BLOCK;
		ret = lzma_code(&x, end ? LZMA_FINISH : LZMA_RUN);
		if (BLOCK - x.avail_out > 0 &&
		    emit(p, out, BLOCK - x.avail_out))
			break;
		if (ret == LZMA_STREAM_END)
			break;
		if (ret == LZMA_MEM_ERROR) {
			fail(p, "out of memory");
			break;
		}
		if (ret != LZMA_OK) {
			fail(p,
			    ret == LZMA_BUF_ERROR ? "the stream is cut short"
						  : "corrupt data");
			break;
		}
	}
	lzma_end(&x);
	return p->failed || p->broken ? -1 : 0;
}

static int
pump_zstd(struct input_pump *p, unsigned char *in, char *out)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, 0, 0 };
	size_t left = 0; /* 0: between frames */
	ssize_t got;

	if (z == NULL)
		return fail(p, "out of memory");
	for (;;) {
		ZSTD_outBuffer ob = { out, BLOCK, 0 };

		if (ib.pos == ib.size) {
			if ((got = next_in(p, in)) < 0)
				break;
			if (got == 0) {
				if (left != 0)
					fail(p, "the stream is cut short");
				break;
			}
			ib.size = (size_t)got;
			ib.pos = 0;
		}
		left = ZSTD_decompressStream(z, &ob, &ib);
		if (ZSTD_isError(left)) {
			fail(p, ZSTD_getErrorName(left));
			break;
		}
		if (ob.pos > 0 && emit(p, out, ob.pos))
			break;
	}
	ZSTD_freeDStream(z);
	return p->failed || p->broken ? -1 : 0;
}

static void *
pump(void *arg)
{
	struct input_pump *p = arg;
	unsigned char *in = malloc(BLOCK);
	char *out = malloc(BLOCK);
	sigset_t pipe;

	/* A reader that stopped early: EPIPE here, not a signal. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	if (in == NULL || out == NULL) {
		p->failed = 1;
		error_set(&p->e, EXIT_INPUT, "%s: out of memory", p->name);
	} else if (p->codec == INPUT_GZIP)
		pump_gzip(p, in, out);
	else if (p->codec == INPUT_XZ)
		pump_xz(p, in, out);
	else if (p->codec == INPUT_ZSTD)
		pump_zstd(p, in, out);
	else
		pump_plain(p, out);
	if (!p->published) {
		publish(p, !p->failed);
		if (!p->failed)
			write_all(p, p->head, p->head_len);
	}
	free(in);
	free(out);
	close(p->out);
	return NULL;
}

/*
 * The first bytes of the regular file fd from off, with pread (one call: its
 * magic number and, if plain, its head), into a malloc'd *buf; their number,
 * or -1 with e filled.
 */
static ssize_t
file_start(int fd, off_t off, const char *name, char **buf, struct error *e)
{
	ssize_t got;

	if ((*buf = malloc(INPUT_HEAD_BYTES)) == NULL)
		return error_set(e, EXIT_INPUT, "%s: out of memory", name);
	do
		got = pread(fd, *buf, INPUT_HEAD_BYTES, off);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		free(*buf);
		*buf = NULL;
		return error_set(e, EXIT_INPUT, "%s: %s", name,
		    strerror(errno));
	}
	return got;
}

/* The head of a plain regular file: h[0..got), cut as the pump cuts it. */
static void
file_head(char *h, ssize_t got, struct input *in)
{
	size_t n = 0, lines = 0;

	while (n < (size_t)got && lines < INPUT_HEAD_LINES)
		lines += h[n++] == '\n';
	in->head = h;
	in->head_len = n;
	in->head_whole = got < INPUT_HEAD_BYTES && n == (size_t)got;
}

int
input_open(int fd, const char *name, struct input *in, struct error *e)
{
	struct input_pump *p;
	struct stat st;
	pthread_attr_t attr;
	unsigned char magic[MAGIC];
	ssize_t n = 0;
	off_t off = -1;
	int pipefd[2], regular;

	*in = (struct input){ .fd = fd };
	regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (off = lseek(fd, 0, SEEK_CUR)) >= 0;
	if (regular) {
		char *start;

		if ((n = file_start(fd, off, name, &start, e)) < 0)
			return -1;
		in->codec = codec_of((unsigned char *)start, (size_t)n);
		if (in->codec == INPUT_PLAIN) {
			file_head(start, n, in);
			return 0;
		}
		free(start);
	} else if ((n = read_full(fd, magic, MAGIC)) < 0)
		return error_set(e, EXIT_INPUT, "%s: %s", name,
		    strerror(errno));
	else
		in->codec = codec_of(magic, (size_t)n);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return error_set(e, EXIT_INPUT, "%s: out of memory", name);
	if (pipe(pipefd) != 0) {
		free(p);
		return error_set(e, EXIT_INPUT, "%s: pipe: %s", name,
		    strerror(errno));
	}
	/* A larger pipe, fewer switches between the two threads; or not. */
	(void)fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
	p->src = fd;
	p->out = pipefd[1];
	p->codec = in->codec;
	p->name = name;
	if (!regular) {
		memcpy(p->magic, magic, (size_t)n);
		p->nmagic = (size_t)n;
		p->ended = n < MAGIC;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PUMP_STACK);
	if (pthread_create(&p->thread, &attr, pump, p) != 0) {
		pthread_attr_destroy(&attr);
		close(pipefd[0]);
		close(pipefd[1]);
		free(p);
		return error_set(e, EXIT_INPUT,
		    "%s: cannot start a thread to read it", name);
	}
	pthread_attr_destroy(&attr);
	pthread_mutex_lock(&p->lock);
	while (!p->published)
		pthread_cond_wait(&p->ready, &p->lock);
	pthread_mutex_unlock(&p->lock);
	in->fd = pipefd[0];
	in->pump = p;
	in->head = p->head;
	in->head_len = p->head_len;
	in->head_whole = p->whole;
	return 0;
}

int
input_close(struct input *in, struct error *e)
{
	struct input_pump *p = in->pump;
	int status = 0;

	if (p == NULL) {
		free((char *)in->head);
		in->head = NULL;
		return 0;
	}
	close(in->fd);
	pthread_join(p->thread, NULL);
	if (p->failed)
		status = -1;
	if (p->failed && e != NULL)
		*e = p->e;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->ready);
	free(p->head);
	free(p);
	in->pump = NULL;
	in->head = NULL;
	return status;
}

/* ------------------------------------------------------------------------ */
/* The delimiter                                                             */
/* ------------------------------------------------------------------------ */

/*
 * Whether the tab at h[i] parts two fields: not padding at a line's start or
 * end, or around another candidate (spaces and tabs skipped both ways).
 */
static int
tab_parts(const char *h, size_t len, size_t i)
{
	size_t l = i, r = i + 1;

	while (l > 0 && (h[l - 1] == ' ' || h[l - 1] == '\t'))
		l--;
	while (r < len && (h[r] == ' ' || h[r] == '\t'))
		r++;
	if (l == 0 || r == len)
		return 0;
	return strchr(",;|\r\n", h[l - 1]) == NULL &&
	    strchr(",;|\r\n", h[r]) == NULL;
}

/*
 * The number of fields of each record of head with delimiter d, into n (at
 * most max records); returns the records. A record ends at a line end outside
 * quotes; a last one without its line end counts only when whole.
 */
static size_t
count_fields(const char *h, size_t len, int whole, char d, size_t *n,
    size_t max)
{
	size_t rec = 0, fields = 1, i = 0;
	int quoted = 0, empty = 1;

	if (len >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < len && rec < max; i++) {
		char c = h[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == d && (d != '\t' || tab_parts(h, len, i)))
			fields++;
		else if (c == '\n') {
			if (!empty)
				n[rec++] = fields;
			fields = 1;
			empty = 1;
			continue;
		}
		if (c != '\r' && c != ' ')
			empty = 0;
	}
	if (whole && !empty && !quoted && rec < max)
		n[rec++] = fields;
	return rec;
}

unsigned char
input_delimiter(const char *head, size_t len, int whole, int no_comma,
    int *found, char *why, size_t size)
{
	static const char cand[] = { ',', ';', '\t', '|' };
	static const char *const shown[] = { ",", ";", "tab", "|" };
	size_t n[INPUT_HEAD_LINES + 1], best_fields = 1, recs = 0, split = 0;
	int best = -1;
	char tried[64] = "";

	*found = -1;
	why[0] = '\0';
	/* Not text: a control byte but tab, CR and LF. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)head[i] < 0x20 && head[i] != '\t' &&
		    head[i] != '\r' && head[i] != '\n')
			return no_comma ? 0 : ',';
	for (size_t c = 0; c < sizeof(cand); c++) {
		size_t r, k;

		if (no_comma && cand[c] == ',')
			continue;
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried),
		    "%s%s", tried[0] ? " " : "", shown[c]);
		r = count_fields(head, len, whole, cand[c], n,
		    INPUT_HEAD_LINES + 1);
		/* A first line longer than the head: what there is of it. */
		if (r == 0)
			r = count_fields(head, len, 1, cand[c], n, 1);
		recs = r > recs ? r : recs;
		for (k = 0; k < r; k++)
			split += n[k] > 1;
		for (k = 1; k < r && n[k] == n[0]; k++)
			;
		if (r > 0 && k == r && n[0] > best_fields) {
			best = (int)c;
			best_fields = n[0];
		}
	}
	if (best >= 0) {
		*found = 1;
		snprintf(why, size,
		    "delimiter %s detected from the first %zu line%s "
		    "(tried %s)",
		    shown[best], recs, recs == 1 ? "" : "s", tried);
		return (unsigned char)cand[best];
	}
	if (recs > 0 && split == 0)
		*found = 0;
	snprintf(why, size,
	    "no delimiter of %s is in the first %zu line%s: read as one "
	    "column",
	    tried, recs, recs == 1 ? "" : "s");
	return no_comma ? 0 : ',';
}
