/*
 * decomp.h: streaming gzip, zstd, xz and bzip2 decoders that keep what they
 * decoded.
 *
 * DESIGN
 * A decoder pulls compressed bytes through a read callback and writes
 * content straight into the caller's buffer (no intermediate copy).  When
 * the data turns out damaged (truncated, bad CRC, garbage after the end),
 * every byte decoded before the damage is delivered first; the next read
 * then fails with the compressed offset of the damage.  gzip members, zstd
 * frames, xz streams and bzip2 streams may follow each other: the content
 * is their concatenation, as with zcat, zstdcat, xzcat and bzcat.  An xz
 * stream asking for more than 256 MiB of decoder memory is refused.
 */
#ifndef LH_DECOMP_H
#define LH_DECOMP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum lh_codec { LH_GZIP, LH_ZSTD, LH_XZ, LH_BZIP2 };

/* The callback the decoder reads compressed bytes from (LH_OK/EOF/FAIL). */
typedef int (*lh_pull_fn)(void *arg, void *buf, size_t cap, size_t *got,
    struct lh_err *err);

struct lh_decoder;

/*
 * Returns an owned decoder (free with lh_decoder_free) reading from pull;
 * path is borrowed, for messages.  NULL when out of memory.
 */
struct lh_decoder *lh_decoder_create(enum lh_codec codec, lh_pull_fn pull,
    void *arg, const char *path);
void lh_decoder_free(struct lh_decoder *d);

/*
 * Decodes up to cap bytes into buf.  LH_OK (*got > 0), LH_EOF, or LH_FAIL
 * with err naming the path and the compressed offset of the damage.
 */
int lh_decoder_read(struct lh_decoder *d, void *buf, size_t cap, size_t *got,
    struct lh_err *err);

#endif
