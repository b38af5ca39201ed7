/*
 * stream.h: a readable byte stream (a file, stdin, a decompressor, an
 * archive member), the input of every format.
 *
 * DESIGN
 * A stream is a vtable plus state, created by the input layer (input.c).
 * Reads are pulled: the parser asks for bytes, which keeps decompression
 * lazy and memory bounded by the parser's buffer.  A damaged stream
 * (truncated gzip, bad checksum) returns LH_FAIL with an error that names
 * the path and the offset; everything read before stays valid.
 */
#ifndef LH_STREAM_H
#define LH_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct lh_stream;

struct lh_stream_ops {
	/*
	 * Reads up to cap bytes into buf.  Returns LH_OK with *got > 0,
	 * LH_EOF with *got == 0 at the end, or LH_FAIL (err filled).
	 */
	int (*read)(struct lh_stream *s, void *buf, size_t cap, size_t *got,
	    struct lh_err *err);
	/* Releases the stream's own resources (not the stream it reads). */
	void (*close)(struct lh_stream *s);
};

struct lh_stream {
	const struct lh_stream_ops *ops;
	void *state;
	uint64_t pos;		/* bytes delivered so far */
};

/* Reads through s->ops and advances s->pos. */
int lh_stream_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err);

#endif
