/*
 * decomp.c: gzip (zlib or ISA-L), zstd (libzstd), xz (liblzma) and bzip2
 * (libbz2) decoders as stream filters (decomp.h).
 *
 * DESIGN
 * A decoder owns an input buffer refilled from the stream below and
 * decodes straight into the reader's buffer.  Damage is kept in pending
 * and reported by the read after the last good bytes; its offset is the
 * count of compressed bytes consumed (in_off + in_pos).  Out of memory
 * stays LH_FATAL all the way up.
 *
 * xz and bzip2 used to go through libarchive's raw filters, which drop the
 * last buffer decoded before damage and report no offset; decoding them
 * here gives them the same guarantees as gzip and zstd.
 *
 * Memory: the zstd window and liblzma's memory limit come from struct
 * lh_limits; a frame or stream asking for more fails with what it asked
 * for, measured from its own header (zstd) or by liblzma (lzma_memusage),
 * and the offset where it starts (member_off).  bzip2 is decoded in
 * normal mode (small = 0): at most 100 KiB + 4 x 900 KiB per stream
 * (bzip2(1)), twice as fast as small mode's 2.3 MB; inflate's window is
 * 32 KiB.  Neither needs a cap.
 */
#include <bzlib.h>
#include <errno.h>
#if defined(LH_HAVE_ISAL)
#include <isa-l/igzip_lib.h>
#endif
#include <lzma.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "core/decomp.h"
#include "core/gzckpt.h"
#include "core/status.h"

#define INBUF (256 * 1024)
#define MIB(x) (((unsigned long long)(x) + (1 << 20) - 1) >> 20)

struct decoder {
	struct lh_stream s;	/* what the reader sees */
	enum lh_codec codec;
	struct lh_stream *below;	/* borrowed: the compressed bytes */
	const char *path;
	struct lh_limits lim;
	uint64_t member_off;	/* where the current member/frame began */
	unsigned char *in;
	size_t in_len, in_pos;
	uint64_t in_off;	/* compressed bytes consumed before in[0] */
	int in_eof;
	int done;		/* a member/frame just ended */
	int started;		/* some input belongs to the current member */
	struct lh_err pending;	/* damage to report on the next read */
	uint64_t out;		/* gzip: bytes of content decoded so far */
#if defined(LH_HAVE_ISAL)
	struct inflate_state *is;	/* ISA-L's igzip, for gzip */
	struct lh_gzckpt_index *ck_out;	/* borrowed: where to put ck_rec */
	struct lh_gzckpts *ck_rec;	/* owned: checkpoints being recorded */
	uint64_t ck_next;	/* content offset of the next one to record */
	const struct lh_gzckpts *ck;	/* borrowed: to resume from */
	uint64_t *skipped;	/* borrowed: content jumped over, or NULL */
#else
	z_stream z;
#endif
	ZSTD_DCtx *zd;
	lzma_stream xz;
	bz_stream bz;
	int bz_live;		/* bz is initialized */
};

static const char *const codec_names[] = { "gzip", "zstd", "xz", "bzip2" };

static const struct lh_stream_ops decoder_ops;

struct lh_stream *
lh_decomp_create(enum lh_codec codec, struct lh_stream *below,
    const char *path, const struct lh_limits *lim)
{
	static const struct lh_limits def = LH_LIMITS_DEFAULT;
	struct decoder *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->in = malloc(INBUF)) == NULL)
		goto fail;
	d->s.ops = &decoder_ops;
	d->s.state = d;
	d->codec = codec;
	d->below = below;
	d->path = path;
	d->lim = lim != NULL ? *lim : def;
	lh_err_clear(&d->pending);
	if (codec == LH_GZIP) {
#if defined(LH_HAVE_ISAL)
		if ((d->is = malloc(sizeof(*d->is))) == NULL)
			goto fail;
		isal_inflate_init(d->is);
		d->is->crc_flag = ISAL_GZIP;
#else
		if (inflateInit2(&d->z, 16 + MAX_WBITS) != Z_OK)
			goto fail;
#endif
	} else if (codec == LH_ZSTD) {
		if ((d->zd = ZSTD_createDCtx()) == NULL ||
		    ZSTD_isError(ZSTD_DCtx_setParameter(d->zd,
		    ZSTD_d_windowLogMax, (int)d->lim.zstd_wlog)))
			goto fail;
	} else if (codec == LH_XZ) {
		d->xz = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_stream_decoder(&d->xz, d->lim.xz_memlimit, 0) !=
		    LZMA_OK)
			goto fail;
	} else {
		if (BZ2_bzDecompressInit(&d->bz, 0, 0) != BZ_OK)
			goto fail;
		d->bz_live = 1;
	}
	return &d->s;
fail:
	if (d != NULL)
		free(d->in);
	free(d);
	return NULL;
}

static void
decoder_close(struct lh_stream *s)
{
	struct decoder *d = s->state;

	if (d->codec == LH_GZIP) {
#if defined(LH_HAVE_ISAL)
		lh_gzckpts_free(d->ck_rec);
		free(d->is);
#else
		inflateEnd(&d->z);
#endif
	} else if (d->codec == LH_ZSTD)
		ZSTD_freeDCtx(d->zd);
	else if (d->codec == LH_XZ)
		lzma_end(&d->xz);
	else if (d->bz_live)
		BZ2_bzDecompressEnd(&d->bz);
	free(d->in);
	free(d);
}

/* Refills the input buffer when empty.  LH_OK, LH_EOF or LH_FAIL. */
static int
refill(struct decoder *d, struct lh_err *err)
{
	size_t got = 0;
	int rc;

	if (d->in_pos < d->in_len)
		return LH_OK;
	if (d->in_eof)
		return LH_EOF;
	d->in_off += d->in_len;
	d->in_len = d->in_pos = 0;
	rc = lh_stream_read(d->below, d->in, INBUF, &got, err);
	d->in_len = got;
	if (rc == LH_EOF) {
		d->in_eof = 1;
		return got > 0 ? LH_OK : LH_EOF;
	}
	return rc;
}

static uint64_t
offset(const struct decoder *d)
{
	return d->in_off + d->in_pos;
}

/*
 * Between members: EOF is the clean end; more bytes must start another
 * member (gzip magic), anything else is garbage after the end.
 */
static int
next_member(struct decoder *d, struct lh_err *err)
{
	int rc = refill(d, err);

	static const unsigned char magic[] = { 0x1f, 0x28, 0xfd, 'B' };

	/* xz allows stream padding: NUL bytes between streams */
	while (rc == LH_OK && d->codec == LH_XZ && d->in[d->in_pos] == 0) {
		d->in_pos++;
		rc = refill(d, err);
	}
	if (rc != LH_OK)
		return rc;
	/* zstd checks its own magic (and skips skippable frames) */
	if (d->codec != LH_ZSTD && d->in[d->in_pos] != magic[d->codec])
		return lh_err_set(err, LH_FAIL, 0, "%s: garbage after the "
		    "end of the %s data at offset %llu", d->path,
		    codec_names[d->codec], (unsigned long long)offset(d));
	d->done = 0;
	return LH_OK;
}

#if defined(LH_HAVE_ISAL)
static const char *
isal_error(int r)
{
	switch (r) {
	case ISAL_INCORRECT_CHECKSUM:
		return "CRC mismatch";
	case ISAL_INVALID_WRAPPER:
		return "bad gzip header";
	case ISAL_UNSUPPORTED_METHOD:
		return "unsupported compression method";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance";
	default:
		return "invalid deflate data";
	}
}

/*
 * Checkpoints of igzip (core/gzckpt.h).  What they rely on, from ISA-L's
 * public igzip_lib.h (2.x): struct inflate_state holds the whole state of
 * a stream between two calls of isal_inflate(): the bits read ahead
 * (read_in, read_in_length) and partial input (tmp_in_buffer), the block
 * state and the current block's Huffman tables (lit_huff_code,
 * dist_huff_code: needed inside a coded block), the running CRC and
 * total_out, and the history: "tmp_out_buffer: Temporary buffer
 * containing data from the output stream", of which tmp_out_valid bytes
 * are valid (isal_inflate_set_dict puts a dictionary there too).  Nothing
 * refers to the caller's earlier output: the next call writes wherever
 * next_out says (ours follows the reader's buffer, which moves).  Its
 * only pointers, next_in and next_out, are set by gz_step before every
 * call.  So the bytes of the struct before tmp_out_buffer (21 KB) and
 * tmp_out_buffer[0, tmp_out_valid) (32 KiB once 32 KiB are out) taken
 * between two calls, with the compressed offset of the first byte not yet
 * handed to isal_inflate, resume the stream exactly.  The CRC resumes
 * with the rest and everything after the checkpoint is inflated, so the
 * trailer's check stays exact after a jump.  Checkpoints are taken in
 * every member of a multi-member file, once the member has produced
 * output (its header is read).
 */
#define ISAL_HEAD offsetof(struct inflate_state, tmp_out_buffer)

/* After a step that gave output: a checkpoint when one is due. */
static void
gz_record(struct decoder *d)
{
	struct inflate_state *is = d->is;
	int rc;

	if (d->out < d->ck_next || is->block_state > ISAL_BLOCK_CODED ||
	    is->tmp_out_valid < 0 ||
	    (size_t)is->tmp_out_valid > sizeof(is->tmp_out_buffer))
		return;
	d->ck_next = d->out + LH_GZCKPT_EVERY;
	if (d->ck_rec == NULL &&
	    (d->ck_rec = lh_gzckpts_create(d->ck_out)) == NULL) {
		d->ck_out = NULL;	/* out of memory: no checkpoints */
		return;
	}
	rc = lh_gzckpts_add(d->ck_rec, d->out, offset(d), is, ISAL_HEAD,
	    is->tmp_out_buffer, (size_t)is->tmp_out_valid);
	if (rc == LH_WARN)
		d->ck_next = UINT64_MAX;	/* the budget is spent */
	if (rc == LH_FATAL) {
		lh_gzckpts_free(d->ck_rec);
		d->ck_rec = NULL;
		d->ck_out = NULL;
	}
}

/*
 * Moves the compressed input to offset in (at or after in_off): inside
 * the buffer, or by skipping the stream below (seeking where it can, else
 * reading into the buffer).  LH_OK, or LH_FAIL with d->pending set.
 */
static int
gz_seek(struct decoder *d, uint64_t in)
{
	struct lh_err e;
	uint64_t need, k = 0;
	int rc;

	if (in <= d->in_off + d->in_len) {
		d->in_pos = (size_t)(in - d->in_off);
		return LH_OK;
	}
	need = in - (d->in_off + d->in_len);
	lh_err_clear(&e);
	rc = lh_stream_skip(d->below, need, d->in, INBUF, &k, &e);
	d->in_off += d->in_len + k;
	d->in_len = d->in_pos = 0;
	if (rc == LH_OK && k == need)
		return LH_OK;
	if (rc == LH_OK || rc == LH_EOF) {
		d->in_eof = 1;
		lh_err_set(&d->pending, LH_FAIL, 0, "%s: gzip data truncated "
		    "at offset %llu", d->path, (unsigned long long)offset(d));
	} else {
		d->pending = e;
	}
	return LH_FAIL;
}

/*
 * Jumps ahead to the last checkpoint at or before content offset target,
 * when there is one past where d is: the content jumped over in *done.
 */
static void
gz_jump(struct decoder *d, uint64_t target, uint64_t *done)
{
	const struct lh_gzckpt *c = lh_gzckpt_find(d->ck, target);

	if (c == NULL || c->out <= d->out || c->in < d->in_off ||
	    c->len < ISAL_HEAD ||
	    c->len - ISAL_HEAD > sizeof(d->is->tmp_out_buffer) ||
	    gz_seek(d, c->in) != LH_OK)
		return;
	memcpy(d->is, c->state, ISAL_HEAD);
	memcpy(d->is->tmp_out_buffer, c->state + ISAL_HEAD,
	    c->len - ISAL_HEAD);
	d->done = 0;
	d->started = 1;
	*done = c->out - d->out;
	d->out = c->out;
	if (d->skipped != NULL)
		*d->skipped += *done;
}

/* At the clean end: the checkpoints recorded go to the index. */
static void
gz_finish(struct decoder *d)
{
	if (d->codec == LH_GZIP && d->ck_rec != NULL) {
		(void)lh_gzckpt_put(d->ck_out, d->path, d->ck_rec);
		d->ck_rec = NULL;	/* out of memory: dropped */
	}
}

/*
 * One step of igzip (ISA-L), which inflates about three times faster than
 * zlib on log data (measured: see bench/README.md); with crc_flag
 * ISAL_GZIP it reads the gzip header and checks the trailer's CRC itself.
 */
static int
gz_step(struct decoder *d, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct inflate_state *is = d->is;
	int r;

	is->next_in = d->in + d->in_pos;
	is->avail_in = (uint32_t)(d->in_len - d->in_pos);
	is->next_out = buf;
	is->avail_out = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
	r = isal_inflate(is);
	d->in_pos = d->in_len - is->avail_in;
	*got = cap - is->avail_out;
	d->started = 1;
	d->out += *got;
	if (r != ISAL_DECOMP_OK)
		return lh_err_set(err, LH_FAIL, 0, "%s: damaged gzip data at "
		    "offset %llu: %s", d->path, (unsigned long long)offset(d),
		    isal_error(r));
	if (is->block_state == ISAL_BLOCK_FINISH) {
		isal_inflate_reset(is);
		is->crc_flag = ISAL_GZIP;
		d->done = 1;
		d->started = 0;
	} else if (d->ck_out != NULL && *got > 0) {
		gz_record(d);
	}
	return LH_OK;
}
#else
static int
gz_step(struct decoder *d, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	int zr;

	d->z.next_in = d->in + d->in_pos;
	d->z.avail_in = (uInt)(d->in_len - d->in_pos);
	d->z.next_out = buf;
	d->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	zr = inflate(&d->z, Z_NO_FLUSH);
	d->in_pos = d->in_len - d->z.avail_in;
	*got = cap - d->z.avail_out;
	d->started = 1;
	if (zr == Z_STREAM_END) {
		inflateReset(&d->z);
		d->done = 1;
		d->started = 0;
		return LH_OK;
	}
	if (zr == Z_OK || zr == Z_BUF_ERROR)
		return LH_OK;
	return lh_err_set(err, LH_FAIL, 0, "%s: damaged gzip data at offset "
	    "%llu: %s", d->path, (unsigned long long)offset(d),
	    d->z.msg != NULL ? d->z.msg : "inflate error");
}
#endif

/*
 * The window size the zstd frame header at p asks for (RFC 8878 3.1.1.1:
 * the window descriptor, or the content size of a single-segment frame),
 * or 0 when the n bytes at p do not hold the whole header.
 */
static uint64_t
zstd_window(const unsigned char *p, size_t n)
{
	static const unsigned did_len[] = { 0, 1, 2, 4 };
	static const unsigned fcs_len[] = { 1, 2, 4, 8 };
	unsigned fhd, wlog, dl, fl, i;
	uint64_t v = 0;

	if (n < 6)
		return 0;
	fhd = p[4];
	if (!(fhd & 0x20)) {
		wlog = 10 + (p[5] >> 3);
		return ((uint64_t)1 << wlog) +
		    ((uint64_t)1 << wlog) / 8 * (p[5] & 7);
	}
	dl = did_len[fhd & 3];
	fl = fcs_len[fhd >> 6];
	if (n < 5 + dl + fl)
		return 0;
	for (i = fl; i > 0; i--)
		v = v << 8 | p[5 + dl + i - 1];
	return fl == 2 ? v + 256 : v;
}

/* A frame whose window is larger than the limit: what it asked for. */
static int
zstd_refuse(struct decoder *d, struct lh_err *err)
{
	uint64_t w = 0;

	if (d->member_off >= d->in_off)
		w = zstd_window(d->in + (d->member_off - d->in_off),
		    d->in_len - (size_t)(d->member_off - d->in_off));
	if (w == 0)
		return lh_err_set(err, LH_FAIL, 0, "%s: zstd frame at offset "
		    "%llu needs a window larger than the %llu MiB allowed; "
		    "skipped", d->path, (unsigned long long)d->member_off,
		    MIB((uint64_t)1 << d->lim.zstd_wlog));
	return lh_err_set(err, LH_FAIL, 0, "%s: zstd frame at offset %llu "
	    "needs a %llu MiB window, more than the %llu MiB allowed; skipped",
	    d->path, (unsigned long long)d->member_off, MIB(w),
	    MIB((uint64_t)1 << d->lim.zstd_wlog));
}

static int
zstd_step(struct decoder *d, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	ZSTD_inBuffer in = { d->in, d->in_len, d->in_pos };
	ZSTD_outBuffer out = { buf, cap, 0 };
	size_t r;

	if (!d->started)
		d->member_off = offset(d);
	r = ZSTD_decompressStream(d->zd, &out, &in);
	d->in_pos = in.pos;
	*got = out.pos;
	d->started = 1;
	if (ZSTD_isError(r) && ZSTD_getErrorCode(r) ==
	    ZSTD_error_frameParameter_windowTooLarge)
		return zstd_refuse(d, err);
	if (ZSTD_isError(r))
		return lh_err_set(err, LH_FAIL, 0, "%s: damaged zstd data at "
		    "offset %llu: %s", d->path, (unsigned long long)offset(d),
		    ZSTD_getErrorName(r));
	if (r == 0) {
		d->done = 1;
		d->started = 0;
	}
	return LH_OK;
}

static int
xz_step(struct decoder *d, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	lzma_ret r;

	if (!d->started)
		d->member_off = offset(d);
	d->xz.next_in = d->in + d->in_pos;
	d->xz.avail_in = d->in_len - d->in_pos;
	d->xz.next_out = buf;
	d->xz.avail_out = cap;
	r = lzma_code(&d->xz, LZMA_RUN);
	d->in_pos = d->in_len - d->xz.avail_in;
	*got = cap - d->xz.avail_out;
	d->started = 1;
	if (r == LZMA_STREAM_END) {
		/* a fresh decoder for the next stream, if any */
		if (lzma_stream_decoder(&d->xz, d->lim.xz_memlimit, 0) !=
		    LZMA_OK)
			return lh_err_set(err, LH_FATAL, ENOMEM, "%s",
			    d->path);
		d->done = 1;
		d->started = 0;
		return LH_OK;
	}
	if (r == LZMA_OK || r == LZMA_BUF_ERROR)
		return LH_OK;
	if (r == LZMA_MEM_ERROR)
		return lh_err_set(err, LH_FATAL, ENOMEM, "%s", d->path);
	if (r == LZMA_MEMLIMIT_ERROR)
		return lh_err_set(err, LH_FAIL, 0, "%s: xz stream at offset "
		    "%llu needs %llu MiB to decode, more than the %llu MiB "
		    "allowed; skipped", d->path,
		    (unsigned long long)d->member_off,
		    MIB(lzma_memusage(&d->xz)), MIB(d->lim.xz_memlimit));
	return lh_err_set(err, LH_FAIL, 0, "%s: damaged xz data at offset "
	    "%llu: %s", d->path, (unsigned long long)offset(d),
	    r == LZMA_FORMAT_ERROR ? "not xz data" :
	    r == LZMA_OPTIONS_ERROR ? "unsupported options" : "corrupt data");
}

static int
bz_step(struct decoder *d, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	size_t in = d->in_len - d->in_pos;
	int r;

	d->bz.next_in = (char *)(d->in + d->in_pos);
	d->bz.avail_in = in > UINT32_MAX ? UINT32_MAX : (unsigned)in;
	d->bz.next_out = buf;
	d->bz.avail_out = cap > UINT32_MAX ? UINT32_MAX : (unsigned)cap;
	r = BZ2_bzDecompress(&d->bz);
	d->in_pos = (size_t)((unsigned char *)d->bz.next_in - d->in);
	*got = (size_t)(d->bz.next_out - (char *)buf);
	d->started = 1;
	if (r == BZ_STREAM_END) {
		/* pbzip2 and cat write several streams in a row */
		BZ2_bzDecompressEnd(&d->bz);
		d->bz_live = 0;
		memset(&d->bz, 0, sizeof(d->bz));
		if (BZ2_bzDecompressInit(&d->bz, 0, 0) != BZ_OK)
			return lh_err_set(err, LH_FATAL, ENOMEM, "%s",
			    d->path);
		d->bz_live = 1;
		d->done = 1;
		d->started = 0;
		return LH_OK;
	}
	if (r == BZ_OK)
		return LH_OK;
	if (r == BZ_MEM_ERROR)
		return lh_err_set(err, LH_FATAL, ENOMEM, "%s", d->path);
	return lh_err_set(err, LH_FAIL, 0, "%s: damaged bzip2 data at "
	    "offset %llu: %s", d->path, (unsigned long long)offset(d),
	    r == BZ_DATA_ERROR_MAGIC ? "not bzip2 data" : "corrupt data");
}

static int
step(struct decoder *d, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	switch (d->codec) {
	case LH_GZIP:
		return gz_step(d, buf, cap, got, err);
	case LH_ZSTD:
		return zstd_step(d, buf, cap, got, err);
	case LH_XZ:
		return xz_step(d, buf, cap, got, err);
	default:
		return bz_step(d, buf, cap, got, err);
	}
}

static int
decoder_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct decoder *d = s->state;
	int rc;

	*got = 0;
	if (d->pending.status != LH_OK) {
		if (err != NULL)
			*err = d->pending;
		return d->pending.status;
	}
	while (*got == 0) {
		if (d->done && (rc = next_member(d, &d->pending)) != LH_OK)
			goto stop;
		if ((rc = refill(d, &d->pending)) == LH_EOF) {
			if (!d->started && (d->done || offset(d) > 0)) {
#if defined(LH_HAVE_ISAL)
				gz_finish(d);
#endif
				return LH_EOF;
			}
			lh_err_set(&d->pending, LH_FAIL, 0, "%s: %s data "
			    "truncated at offset %llu", d->path,
			    codec_names[d->codec],
			    (unsigned long long)offset(d));
			rc = LH_FAIL;
		}
		if (rc != LH_OK)
			goto stop;
		rc = step(d, buf, cap, got, &d->pending);
		if (rc != LH_OK)
			goto stop;
	}
	return LH_OK;
stop:
	if (rc == LH_EOF) {	/* the clean end after a member */
#if defined(LH_HAVE_ISAL)
		gz_finish(d);
#endif
		return LH_EOF;
	}
	if (d->pending.status == LH_OK)
		d->pending.status = rc;	/* a reader that said nothing */
	if (*got > 0 && rc != LH_FATAL)
		return LH_OK;	/* the damage is reported on the next call */
	if (err != NULL)
		*err = d->pending;
	return rc == LH_FATAL ? LH_FATAL : LH_FAIL;
}

/*
 * Skips by jumping to a checkpoint (gzip with ISA-L, in the context pass);
 * the rest is inflated and discarded by the caller, as for a decoder
 * without checkpoints.
 */
static int
decoder_skip(struct lh_stream *s, uint64_t n, uint64_t *done,
    struct lh_err *err)
{
	struct decoder *d = s->state;

	(void)err;
	*done = 0;
#if defined(LH_HAVE_ISAL)
	if (d->codec == LH_GZIP && d->ck != NULL &&
	    d->pending.status == LH_OK)
		gz_jump(d, d->out + n, done);
#else
	(void)d;
	(void)n;
#endif
	return LH_OK;
}

void
lh_decomp_checkpoints(struct lh_stream *s, struct lh_gzckpt_index *out,
    const struct lh_gzckpt_index *in, uint64_t *skipped)
{
	struct decoder *d = s->state;

#if defined(LH_HAVE_ISAL)
	if (d->codec != LH_GZIP)
		return;
	d->ck_out = out;
	d->ck_next = LH_GZCKPT_EVERY;
	d->ck = lh_gzckpt_get(in, d->path);
	d->skipped = skipped;
#else
	(void)d;
	(void)out;
	(void)in;
	(void)skipped;
#endif
}

static const struct lh_stream_ops decoder_ops = { decoder_read,
	decoder_close, decoder_skip };
