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
 * from it.  A stream may also skip bytes without delivering them
 * (lh_stream_skip): a file seeks, a filter holding bytes drops them and
 * asks the stream below for the rest, and a stream that cannot skip (a
 * decoder, an archive member, a pipe) has its bytes read and discarded;
 * pos counts the skipped bytes too, so later offsets stay exact.  A stream
 * belongs to one thread.
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
	/*
	 * Optional (NULL: the bytes are read and discarded; it comes last,
	 * so { read, close } leaves it NULL): passes over up to n bytes
	 * without reading them, *done of them; fewer than n when no more
	 * can be skipped cheaply (the caller reads the rest, which tells the
	 * end or the damage).  LH_OK, or LH_FAIL / LH_FATAL with
	 * err filled.  s->pos is advanced by lh_stream_skip, not here.
	 */
	int (*skip)(struct lh_stream *s, uint64_t n, uint64_t *done,
	    struct lh_err *err);
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

/*
 * Passes over the next n bytes of s and advances s->pos by the *done
 * bytes passed: through s->ops->skip where it can, then by reading into
 * buf (cap bytes, borrowed scratch) and discarding; with buf NULL, only
 * what skips cheaply (*done may then be less than n with LH_OK).  LH_OK
 * (*done == n, or less with buf NULL), LH_EOF (the stream ended after
 * *done bytes), LH_FAIL or LH_FATAL with err filled (*done bytes before).
 */
int lh_stream_skip(struct lh_stream *s, uint64_t n, void *buf, size_t cap,
    uint64_t *done, struct lh_err *err);

/* Closes s through s->ops->close (see there); NULL is a no-op. */
void lh_stream_free(struct lh_stream *s);

/*
 * Returns an owned stream (free with lh_stream_free) reading the file
 * descriptor fd, which it borrows (it is not closed); path is borrowed, for
 * messages, and must outlive the stream.  Over a regular file it skips
 * with lseek(2), up to the file's size; over anything else it reads.  NULL
 * when out of memory.
 */
struct lh_stream *lh_stream_fd_create(int fd, const char *path);

#endif
