/*
 * stream.h: a readable byte stream, the one reader interface of loghunt.
 *
 * DESIGN
 * Every reader is a struct lh_stream: a file or standard input
 * (lh_stream_fd_create), an archive member (core/input.c), a decoder that
 * reads a compressed stream below it (core/decomp.h) and the sniffer that
 * looks at the first bytes and replays them (core/sniff.h).  Filters stack:
 * a member of a .tar.zst inside a zip is a member stream over a zstd
 * stream over a sniffer over a member stream over a file stream.  Reads
 * are pulled, which keeps decompression lazy and memory bounded by the
 * reader's buffer.  A damaged stream (truncated gzip, bad checksum) returns
 * LH_FAIL with an error that names the path and the offset; every byte
 * before the damage is delivered first.  pos counts the bytes a stream has
 * delivered: the offsets in messages and the byte counts of a run come
 * from it.  A stream belongs to one thread.
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
	 * LH_EOF with *got == 0 at the end, LH_FAIL (err filled) when the
	 * data is damaged or unreadable, or LH_FATAL (out of memory).
	 */
	int (*read)(struct lh_stream *s, void *buf, size_t cap, size_t *got,
	    struct lh_err *err);
	/*
	 * Releases the stream's own resources and, for a stream returned by
	 * a *_create constructor, the stream itself; never the stream it
	 * reads from.  NULL for a stream embedded in its owner's memory.
	 */
	void (*close)(struct lh_stream *s);
};

struct lh_stream {
	const struct lh_stream_ops *ops;
	void *state;
	uint64_t pos;		/* bytes delivered so far */
};

/*
 * Reads through s->ops and advances s->pos.  LH_OK (*got > 0), LH_EOF
 * (*got == 0), LH_FAIL or LH_FATAL with err filled.
 */
int lh_stream_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err);

/* Closes s through s->ops->close (see there); NULL is a no-op. */
void lh_stream_free(struct lh_stream *s);

/*
 * Returns an owned stream (free with lh_stream_free) reading the file
 * descriptor fd, which it borrows (it is not closed); path is borrowed, for
 * messages, and must outlive the stream.  NULL when out of memory.
 */
struct lh_stream *lh_stream_fd_create(int fd, const char *path);

#endif
