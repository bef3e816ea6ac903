/*
 * blocks.h: a CSV input read in order, on the calling thread, into blocks of
 * whole lines, which other threads parse at the same time; each block's
 * result is taken in the order of the input, one at a time, so that what
 * comes out does not depend on the number of threads. For standard input,
 * and any input read from its start to its end: memory holds the blocks in
 * flight, blocks_slots(threads) at most, whatever the input's size.
 *
 * A block ends just after a newline, which is the end of a record only when
 * no quote came before it (a quoted field may hold a newline). So the first
 * block that holds a quote, or a lone CR (a line end that the cuts do not
 * see), and everything after it, go to one reader on the calling thread,
 * which gives the same records, with the same lines, as reading the whole
 * input does. The header line may hold quotes, as long as they are even in
 * number (every quoted field closed at its end), and no lone CR.
 */
#ifndef DESCEND_BLOCKS_H
#define DESCEND_BLOCKS_H

#include <stddef.h>

#include "csv.h"
#include "failure.h"

/*
 * Bytes of a block, unless a line is longer: small enough that the blocks in
 * flight take little memory, large enough that a block's set-up is nothing
 * next to its parse (tests/bench/README.md, notes from the code).
 */
#define BLOCKS_BYTES ((size_t)1 << 18)

struct blocks {
	const struct csv_options *opt; /* the name, the delimiter (not the
					  field hook: parse and rest give
					  csv_read_bytes their own) */
	unsigned threads;	       /* the threads that parse; at least 1 */
	int header;		       /* 1: the first record is not data */
	void *ctx;		       /* given to every callback */
	/*
	 * The first record, on the calling thread, before any block is parsed:
	 * the header, or the first row (which is then parsed as data too).
	 */
	csv_record_fn first;
	/*
	 * Parse the whole lines bytes[0..len), numbered from first_line, into
	 * slot (0 to blocks_slots(threads) - 1, a block in flight), on a thread
	 * of its own. Returns 0, or -1 with e filled; the first failed block in
	 * input order stops the reading with its error.
	 */
	int (*parse)(void *ctx, size_t slot, const char *bytes, size_t len,
	    long first_line, struct error *e);
	/*
	 * The result of the block in slot, in input order, one block at a time
	 * (on whichever thread): of a failed block too, what it parsed before
	 * its error, and then of no other block.
	 */
	int (*take)(void *ctx, size_t slot, struct error *e);
	/*
	 * The rest of the input, from a line's start, on the calling thread:
	 * the bytes [0, len), numbered from first_line, then what fd (if >= 0)
	 * still holds; for a csv_read_bytes with the record callback of one
	 * reader.
	 * With first_line 1 it is the whole input, first record included.
	 */
	int (*rest)(void *ctx, const char *bytes, size_t len, int fd,
	    long first_line, struct error *e);
	/* If not NULL: told of every block read, on the calling thread. */
	const struct csv_watch *watch;
};

/* The blocks in flight at most with threads threads: the slots of parse. */
size_t blocks_slots(unsigned threads);

/*
 * Read fd (not closed) to its end as b says. Returns 0, or -1 with e filled:
 * the error of the first record in input order that failed, or a read error.
 * An empty input calls nothing.
 */
int blocks_read(int fd, const struct blocks *b, struct error *e);

/*
 * Where bytes[0..len) can be cut after a newline, for a block that ends
 * before its last line does (more follows): just past the last newline, or 0
 * if there is none.
 */
size_t blocks_cut(const char *bytes, size_t len);

/*
 * Whether the whole lines bytes[0..len) can be parsed apart from what came
 * before them (which held no quote): 1 when they hold no quote and no lone CR
 * (every CR is followed by a newline), else 0.
 */
int blocks_plain(const char *bytes, size_t len);

#endif
