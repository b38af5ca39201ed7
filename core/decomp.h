/*
 * decomp.h: streaming gzip, zstd, xz and bzip2 decoders as stream filters
 * that keep what they decoded.
 *
 * DESIGN
 * A decoder is a struct lh_stream that pulls compressed bytes from the
 * stream below it and writes content straight into the reader's buffer
 * (no intermediate copy).  When the data turns out damaged (truncated, bad
 * CRC, garbage after the end), every byte decoded before the damage is
 * delivered first; the next read then fails with the compressed offset of
 * the damage.  gzip members, zstd frames, xz streams and bzip2 streams may
 * follow each other: the content is their concatenation, as with zcat,
 * zstdcat, xzcat and bzcat.  What a stream may ask for is capped by
 * struct lh_limits (core/limits.h): a zstd frame whose window is larger
 * than 2^zstd_wlog, or an xz stream needing more than xz_memlimit bytes,
 * is refused with a message naming the path, the offset and what it
 * asked for (LH_FAIL, after everything decoded before it).  gzip's window
 * is 32 KiB and bzip2's memory at most 3.7 MB by format.  A gzip decoder
 * given checkpoints (lh_decomp_checkpoints) skips by resuming near the
 * target instead of inflating from where it is; the others inflate and
 * discard.  A decoder belongs to one thread.
 */
#ifndef LH_DECOMP_H
#define LH_DECOMP_H

#include "core/limits.h"
#include "core/stream.h"

enum lh_codec { LH_GZIP, LH_ZSTD, LH_XZ, LH_BZIP2 };

/*
 * Returns an owned stream (free with lh_stream_free) that decodes codec
 * data read from below; below and path (for messages) are borrowed and
 * must outlive it; lim is copied (NULL: LH_LIMITS_DEFAULT).  NULL when out
 * of memory.  Its reads return LH_OK, LH_EOF, LH_FAIL with err naming the
 * path and the compressed offset of the damage (or of the frame asking
 * for more memory than lim allows), or LH_FATAL (out of memory).
 */
struct lh_stream *lh_decomp_create(enum lh_codec codec,
    struct lh_stream *below, const char *path, const struct lh_limits *lim);

struct lh_gzckpt_index;

/*
 * Gives the gzip decoder s (from lh_decomp_create with LH_GZIP, over a
 * stream below that can skip: a regular file) checkpoints (core/gzckpt.h):
 * it records them in out (borrowed, or NULL) as it inflates, put under
 * its path once its content was read to the end without damage; and when
 * told to skip (lh_stream_skip) it resumes at the last checkpoint of its
 * path in in (sealed, borrowed, or NULL) before the target, adding the
 * content jumped over to *skipped (borrowed, or NULL).  Call before the
 * first skip; out, in and skipped must outlive s.  A no-op for the other
 * codecs, and without ISA-L (zlib build).
 */
void lh_decomp_checkpoints(struct lh_stream *s, struct lh_gzckpt_index *out,
    const struct lh_gzckpt_index *in, uint64_t *skipped);

#endif
