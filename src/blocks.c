/*
 * blocks.c: an input cut into blocks of lines, parsed on threads, taken in
 * order.
 *
 * The calling thread reads: it fills the next free slot with the bytes carried
 * over from the last block and what read() gives, up to BLOCKS_BYTES, cuts it
 * just after its last newline (a longer line makes the block grow), carries the
 * rest over, counts the block's newlines for the next block's first line, and
 * hands it to the parsing threads. A parsing thread that finishes a block
 * takes, in input order, every parsed block that is next, unless another
 * thread is doing so; so take is called once a block, one at a time, in
 * order. When no parsing thread has work and read() has nothing more at once
 * (a terminal, a slow pipe), the block goes out as it is, so that each line's
 * result comes out as soon as its line is in. Every change of the shared
 * counters is broadcast on one condition variable: a few per block.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blocks.h"

/* Blocks in flight per parsing thread: one parsed, one waiting to be. */
#define SLOTS_PER_THREAD 2

/* At most this many parsing threads, whatever threads says. */
#define MAX_THREADS 256

/* Stack of a parsing thread: csv and the callbacks use a few KB of it. */
#define WORKER_STACK ((size_t)1 << 20)

struct slot {
	char *buf;
	size_t cap;
	size_t start, len; /* the block: buf[start, start + len) */
	long first_line;
	int done;   /* parsed, not yet taken */
	int status; /* parse's */
	struct error e;
};

struct block_reader {
	const struct blocks *b;
	struct slot *slot;
	size_t nslots;
	char *carry; /* the bytes after the last block's cut */
	size_t clen, ccap;
	int eof;
	/* Shared, under lock: */
	size_t issued; /* blocks handed out */
	size_t next;   /* the next block to parse */
	size_t taken;  /* blocks taken */
	int taking;    /* a thread is calling take */
	int ended;     /* no more blocks will be handed out */
	int quit;      /* parse and take no more */
	int failed;    /* a block failed: its error in e */
	struct error e;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

size_t
blocks_slots(unsigned threads)
{
	if (threads < 1)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	return (size_t)threads * SLOTS_PER_THREAD;
}

size_t
blocks_cut(const char *bytes, size_t len)
{
	/* Back from the end: a line is seldom long. */
	while (len > 0 && bytes[len - 1] != '\n')
		len--;
	return len;
}

/* The bytes equal to c in buf[0..n), by memchr from one to the next. */
static size_t
count_byte(const char *buf, size_t n, char c)
{
	const char *p = buf, *end = buf + n;
	size_t count = 0;

	while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
		count++;
		p++;
	}
	return count;
}

int
blocks_plain(const char *bytes, size_t len)
{
	const char *p = bytes, *end = bytes + len;

	if (memchr(bytes, '"', len) != NULL)
		return 0;
	for (; p < end && (p = memchr(p, '\r', (size_t)(end - p))) != NULL; p++)
		if (p + 1 == end || p[1] != '\n')
			return 0;
	return 1;
}

/*
 * Whether the header line bytes[0..len) (its newline included, if any) can be
 * parsed alone: its quotes even in number, so the line ends outside them, and
 * no CR but the one before its newline.
 */
static int
plain_header(const char *bytes, size_t len)
{
	const char *cr = memchr(bytes, '\r', len);

	return count_byte(bytes, len, '"') % 2 == 0 &&
	    (cr == NULL || (cr + 2 == bytes + len && cr[1] == '\n'));
}

/* Room for need bytes in *p; -1 when memory runs out. */
static int
reserve(char **p, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : BLOCKS_BYTES;
	char *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((q = realloc(*p, n)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/*
 * Whether the parsing threads wait for a block and fd has nothing to read at
 * once: then a block that holds a whole line goes out before it is full.
 */
static int
starving(struct block_reader *r, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int idle;

	if (poll(&pfd, 1, 0) != 0)
		return 0;
	pthread_mutex_lock(&r->lock);
	idle = r->next == r->issued;
	pthread_mutex_unlock(&r->lock);
	return idle;
}

/*
 * Fill s with the carried bytes and then fd's, to a cut after a newline, or to
 * the end of the input (r->eof); the bytes after the cut are carried over.
 */
static int
fill(struct block_reader *r, int fd, struct slot *s, struct error *e)
{
	const char *name = r->b->opt->name;
	size_t cut, end = r->clen + BLOCKS_BYTES; /* to read up to */
	int newline = 0; /* the carried bytes hold none */

	s->start = s->len = 0;
	if (reserve(&s->buf, &s->cap, end))
		return error_set(e, EXIT_INPUT, "%s: out of memory", name);
	if (r->clen > 0) /* r->carry is NULL before the first cut */
		memcpy(s->buf, r->carry, r->clen);
	s->len = r->clen;
	r->clen = 0;
	while (!r->eof) {
		ssize_t got;

		if (s->len == end && reserve(&s->buf, &s->cap, end *= 2))
			return error_set(e, EXIT_INPUT, "%s: out of memory",
			    name);
		got = read(fd, s->buf + s->len, end - s->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return error_set(e, EXIT_INPUT, "%s: %s", name,
			    strerror(errno));
		if (got == 0) {
			r->eof = 1;
			break;
		}
		if (r->b->watch != NULL)
			r->b->watch->block(r->b->watch->ctx, s->buf + s->len,
			    (size_t)got);
		newline |= memchr(s->buf + s->len, '\n', (size_t)got) != NULL;
		s->len += (size_t)got;
		if (newline && (s->len == end || starving(r, fd)))
			break;
	}
	cut = r->eof ? s->len : blocks_cut(s->buf, s->len);
	if (reserve(&r->carry, &r->ccap, s->len - cut))
		return error_set(e, EXIT_INPUT, "%s: out of memory", name);
	if (s->len > cut)
		memcpy(r->carry, s->buf + cut, s->len - cut);
	r->clen = s->len - cut;
	s->len = cut;
	return 0;
}

/*
 * Take, in order, the parsed blocks that are next, unless another thread is
 * taking them. Called and returns with the lock held.
 */
static void
take_ready(struct block_reader *r)
{
	while (!r->taking && !r->quit && r->taken < r->issued &&
	    r->slot[r->taken % r->nslots].done) {
		size_t k = r->taken % r->nslots;
		struct slot *s = &r->slot[k];
		struct error e;
		int status = s->status;

		r->taking = 1;
		pthread_mutex_unlock(&r->lock);
		if (r->b->take(r->b->ctx, k, &e) != 0 && status == 0)
			status = -1;
		else if (status != 0)
			e = s->e;
		pthread_mutex_lock(&r->lock);
		r->taking = 0;
		s->done = 0;
		r->taken++;
		if (status != 0) {
			r->quit = r->failed = 1;
			r->e = e;
		}
		pthread_cond_broadcast(&r->cond);
	}
}

static void *
worker(void *arg)
{
	struct block_reader *r = arg;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		size_t k;
		struct slot *s;

		while (!r->quit && !r->ended && r->next == r->issued)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->quit || r->next == r->issued)
			break;
		k = r->next++ % r->nslots;
		s = &r->slot[k];
		pthread_mutex_unlock(&r->lock);
		s->status = r->b->parse(r->b->ctx, k, s->buf + s->start, s->len,
		    s->first_line, &s->e);
		pthread_mutex_lock(&r->lock);
		s->done = 1;
		take_ready(r);
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* The first record, for b->first, and whether there was one. */
struct first {
	const struct blocks *b;
	int seen;
};

static int
on_first(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct first *f = ctx;

	f->seen = 1;
	return f->b->first(f->b->ctx, rec, e);
}

/*
 * The header line of the first block s, given to b->first; then s holds the
 * data. Returns 0, 1 when the input must be read by one reader from its start
 * (s is left as it was), or -1 with e filled.
 */
static int
read_header(struct block_reader *r, struct slot *s, struct error *e)
{
	const struct blocks *b = r->b;
	struct csv_options opt = *b->opt;
	struct first f = { .b = b };
	const char *nl = memchr(s->buf + s->start, '\n', s->len);
	size_t head = nl ? (size_t)(nl - (s->buf + s->start)) + 1 : s->len;

	if (!plain_header(s->buf + s->start, head))
		return 1;
	opt.field = NULL;   /* its context is the record callback's */
	opt.numbers = NULL; /* the header is text */
	if (csv_read_bytes(s->buf + s->start, head, -1, 1, &opt, NULL, on_first,
		&f, e) != 0)
		return -1;
	if (!f.seen)
		return 1; /* a blank line: the header comes later */
	s->first_line = 1;
	if (b->header) {
		s->start += head;
		s->len -= head;
		s->first_line = 2;
	}
	return 0;
}

/* Start the parsing threads; returns how many started (at least 0). */
static unsigned
start_workers(struct block_reader *r, pthread_t *tid, unsigned threads)
{
	pthread_attr_t attr;
	unsigned started = 0;

	if (pthread_attr_init(&attr) != 0)
		return 0;
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	while (started < threads &&
	    pthread_create(&tid[started], &attr, worker, r) == 0)
		started++;
	pthread_attr_destroy(&attr);
	return started;
}

/*
 * Read and hand out the blocks after s, the first (filled, header read);
 * returns 0 with *rest set to the slot whose block and all after it go to one
 * reader (or NULL), or -1 with e filled by a read error.
 */
static int
hand_out(struct block_reader *r, int fd, struct slot *s, struct slot **rest,
    struct error *e)
{
	long line = s->first_line;

	*rest = NULL;
	for (;;) {
		if (!blocks_plain(s->buf + s->start, s->len)) {
			*rest = s;
			return 0;
		}
		if (s->len > 0) {
			s->first_line = line;
			line +=
			    (long)count_byte(s->buf + s->start, s->len, '\n');
			pthread_mutex_lock(&r->lock);
			r->issued++;
			pthread_cond_broadcast(&r->cond);
			pthread_mutex_unlock(&r->lock);
		}
		if (r->eof)
			return 0;
		pthread_mutex_lock(&r->lock);
		while (!r->quit && r->issued - r->taken >= r->nslots)
			pthread_cond_wait(&r->cond, &r->lock);
		pthread_mutex_unlock(&r->lock);
		if (r->quit)
			return 0;
		s = &r->slot[r->issued % r->nslots];
		if (fill(r, fd, s, e))
			return -1;
		s->first_line = line;
	}
}

/* Wait for the blocks handed out to be taken (or a failure), then threads. */
static void
finish(struct block_reader *r, pthread_t *tid, unsigned started)
{
	pthread_mutex_lock(&r->lock);
	r->ended = 1;
	pthread_cond_broadcast(&r->cond);
	while (!r->quit && r->taken < r->issued)
		pthread_cond_wait(&r->cond, &r->lock);
	r->quit = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}

/* The rest of the input from slot s (its block, the carried bytes, fd's). */
static int
read_rest(struct block_reader *r, int fd, struct slot *s, struct error *e)
{
	if (reserve(&s->buf, &s->cap, s->start + s->len + r->clen))
		return error_set(e, EXIT_INPUT, "%s: out of memory",
		    r->b->opt->name);
	if (r->clen > 0)
		memcpy(s->buf + s->start + s->len, r->carry, r->clen);
	return r->b->rest(r->b->ctx, s->buf + s->start, s->len + r->clen,
	    r->eof ? -1 : fd, s->first_line, e);
}

int
blocks_read(int fd, const struct blocks *b, struct error *e)
{
	struct block_reader r = { .b = b };
	pthread_t tid[MAX_THREADS];
	unsigned threads = b->threads < 1 ? 1 : b->threads, started = 0;
	struct slot *s, *rest = NULL;
	int status;

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	r.nslots = blocks_slots(threads);
	r.slot = xcalloc(r.nslots, sizeof(*r.slot));
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	s = &r.slot[0];
	s->first_line = 1;
	if ((status = fill(&r, fd, s, e)) == 0 && s->len >= 3 &&
	    memcmp(s->buf, "\xef\xbb\xbf", 3) == 0) {
		/* A UTF-8 byte-order mark at the very start is not data. */
		s->start = 3;
		s->len -= 3;
	}
	if (status == 0 && s->len == 0 && r.clen == 0)
		; /* empty */
	else if (status == 0 && (status = read_header(&r, s, e)) == 1) {
		rest = s;
		status = 0;
	} else if (status == 0) {
		started = start_workers(&r, tid, threads);
		if (started == 0)
			rest = s; /* no threads: one reader */
		else
			status = hand_out(&r, fd, s, &rest, e);
		finish(&r, tid, started);
		if (r.failed) {
			/* Before the read error, if any, in the input. */
			*e = r.e;
			status = -1;
		}
	}
	if (status == 0 && rest != NULL)
		status = read_rest(&r, fd, rest, e);
	for (size_t k = 0; k < r.nslots; k++)
		free(r.slot[k].buf);
	free(r.slot);
	free(r.carry);
	pthread_cond_destroy(&r.cond);
	pthread_mutex_destroy(&r.lock);
	return status;
}
