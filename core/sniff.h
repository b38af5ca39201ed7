/*
 * sniff.h: what the first bytes of a stream say it is, decided once, with
 * those bytes replayed to whoever reads next.
 *
 * DESIGN
 * The sniffer is a stream filter: it reads up to LH_SNIFF_BYTES from the
 * stream below into its own buffer, classifies them by their magic bytes
 * (compressed data, archives, or plain content), then delivers the same
 * bytes again before reading on.  When the stream below breaks inside
 * those first bytes, the bytes it did deliver are still replayed and the
 * damage is reported after them, so a short damaged member keeps its
 * complete lines.  Record formats (syslog, a native journal, ...) are not
 * its business: "plain" means "not something to decompress or unpack";
 * the format probes look at plain content afterwards.
 */
#ifndef LH_SNIFF_H
#define LH_SNIFF_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/stream.h"

#define LH_SNIFF_BYTES 4096

enum lh_kind {
	LH_KIND_PLAIN,		/* content: for the format probes */
	LH_KIND_GZIP,		/* decoded by core/decomp.h */
	LH_KIND_ZSTD,
	LH_KIND_XZ,
	LH_KIND_BZIP2,
	LH_KIND_COMPRESSED,	/* lz4 or compress(1): through libarchive */
	LH_KIND_ARCHIVE,	/* tar, zip, cpio: through libarchive */
	LH_KIND_SEVENZIP	/* 7z: through libarchive, needs to seek */
};

/*
 * Returns an owned sniffing stream (free with lh_stream_free) over below,
 * which it borrows and which must outlive it; NULL when out of memory.
 * Reads nothing until lh_sniff_fill() or the first read.
 */
struct lh_stream *lh_sniff_create(struct lh_stream *below);

/*
 * Reads the first bytes of the stream below (blocking) and classifies
 * them; *kind receives the result.  LH_OK, LH_FAIL when the stream broke
 * before delivering anything (err filled), or LH_FATAL.  Call once, before
 * reading s.
 */
int lh_sniff_fill(struct lh_stream *s, enum lh_kind *kind,
    struct lh_err *err);

/* The sniffed bytes (*n of them), valid until s is freed. */
const unsigned char *lh_sniff_bytes(const struct lh_stream *s, size_t *n);

/* What the n bytes at p are, by their magic bytes (pure function). */
enum lh_kind lh_sniff_kind(const unsigned char *p, size_t n);

/* The MTIME of the gzip header at p, in µs since the epoch, or -1. */
int64_t lh_sniff_gzip_mtime(const unsigned char *p, size_t n);

#endif
