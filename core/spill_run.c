/*
 * spill_run.c: the run files of a spill, written in compressed blocks by
 * a thread of their own and read back (spill_run.h, which has the
 * DESIGN).
 */
#define _GNU_SOURCE		/* fallocate(2) */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zstd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/buf.h"
#include "core/match.h"
#include "core/pool.h"
#include "core/spill_run.h"
#include "core/status.h"
#include "core/tmpfile.h"

#define ZLEVEL 1
/* zstd's contexts: compression (level 1, a block's window), decompression */
#define ZCTX_MEM(block) (160 * 1024 + 4 * (uint64_t)(block))
#define ZBOUND(block) ZSTD_COMPRESSBOUND(block)
#define PUNCH ((off_t)1 << 20)

/*
 * A block's header in a run file: stored == raw: the records as they are,
 * with their hash (a zstd frame has a checksum of its own).
 */
struct bhdr {
	uint32_t raw;		/* bytes of records, > 0 */
	uint32_t stored;	/* bytes that follow: <= raw */
	uint64_t sum;		/* stored: block_sum() of the records */
};

/* A block to write: filled by the caller, written by the thread. */
struct job {
	struct lh_runw *w;	/* whose block */
	int fd;
	char *raw;		/* the records, n bytes */
	size_t n, cap;
	int busy;		/* handed over, results not taken yet */
	int done;		/* written (under the mutex) */
	int rc;			/* the thread's results: */
	uint64_t written;
	struct lh_err err;
};

struct lh_runio {
	const char *dir;
	size_t block;
	ZSTD_CCtx *cctx;	/* the thread's; NULL: blocks stored */
	ZSTD_DCtx *dctx;	/* the readers' */
	char *tz;		/* the thread's compressed bytes */
	size_t tzcap;
	char *rz;		/* the readers' compressed bytes */
	size_t rzcap;
	struct job job[2];	/* the caller fills job[cur] */
	unsigned cur;
	struct lh_pool *pool;	/* the writer thread, or NULL */
	void *self[1];		/* the pool's worker: this runio */
	int tried;		/* to start the pool */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint32_t max_raw;	/* the longest block written */
	uint64_t raw_first;	/* blocks stored as they are, then zstd */
	uint64_t raw_kept;	/* bytes of blocks stored so far */
	uint64_t disk;		/* bytes held in files */
	unsigned open;		/* files open */
	struct lh_runio_stats st;
};

uint64_t
lh_runio_memory(size_t block, int z)
{
	uint64_t r = 2 * (uint64_t)block;

	return z ? r + 2 * ZBOUND(block) + ZCTX_MEM(block) : r;
}

/* ---- files ----------------------------------------------------------- */

static int
tmp_open(struct lh_runio *io, int *fd, struct lh_err *err)
{
	if (lh_tmpfile(io->dir, "loghunt-spill", fd, err) != LH_OK)
		return LH_FATAL;
	io->open++;
	if (io->open > io->st.max_open)
		io->st.max_open = io->open;
	return LH_OK;
}

void
lh_runio_close(struct lh_runio *io, int fd, uint64_t stored)
{
	if (fd < 0)
		return;
	close(fd);
	io->open--;
	io->disk -= stored;
}

int
lh_runio_damaged(const struct lh_runio *io, struct lh_err *err)
{
	return lh_err_set(err, LH_FATAL, EIO, "%s: temporary file damaged",
	    io->dir);
}

/* ---- the writer thread ----------------------------------------------- */

/* Writes iov to j->fd (the writer thread). */
static int
write_all(struct lh_runio *io, struct job *j, struct iovec *iov, int n)
{
	ssize_t k;

	while (n > 0) {
		if ((k = writev(j->fd, iov, n)) < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return lh_err_set(&j->err, LH_FATAL, k < 0 ? errno :
			    EIO, "%s: temporary file", io->dir);
		j->written += (uint64_t)k;
		for (; n > 0 && (size_t)k >= iov->iov_len; iov++, n--)
			k -= (ssize_t)iov->iov_len;
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return LH_OK;
}

#if defined(__SSE2__)
/* One step of a lane: acc + lo * hi of (the 16 bytes at p ^ key) + swapped. */
static inline __m128i
lane(__m128i acc, __m128i key, const char *p)
{
	__m128i d = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i dk = _mm_xor_si128(d, key);

	return _mm_add_epi64(acc, _mm_add_epi64(_mm_mul_epu32(dk,
	    _mm_shuffle_epi32(dk, 0x31)), _mm_shuffle_epi32(d, 0x4e)));
}

/*
 * The lanes of a block's hash, 64 bytes a step with SSE2: each 16 bytes
 * add the product of their 32-bit halves (xored with a key) and
 * themselves swapped to an accumulator (XXH3's step), half the
 * instructions of the scalar lanes below and four times as fast; the
 * accumulators are mixed into one word at the end.  *i is left at the
 * tail.
 */
static uint64_t
block_lanes(const char *p, size_t n, size_t *i)
{
	const __m128i k0 = _mm_set_epi64x(0x165667b19e3779f9LL,
	    0x27d4eb2f165667c5LL), k1 = _mm_set_epi64x(0x4cf5ad432745937fLL,
	    0x1d8e4e27c47d124fLL), k2 = _mm_set_epi64x(0x2127599bf4325c37LL,
	    0x7ac4e1c5f2b1d36bLL), k3 = _mm_set_epi64x(0x3c6ef372fe94f82bLL,
	    0x61c8864680b583ebLL);
	__m128i a0 = k3, a1 = k2, a2 = k1, a3 = k0;
	uint64_t out[8], h = LH_FNV_SEED;
	size_t k;

	for (*i = 0; *i + 64 <= n; *i += 64) {
		a0 = lane(a0, k0, p + *i);
		a1 = lane(a1, k1, p + *i + 16);
		a2 = lane(a2, k2, p + *i + 32);
		a3 = lane(a3, k3, p + *i + 48);
	}
	_mm_storeu_si128((__m128i *)(void *)out, a0);
	_mm_storeu_si128((__m128i *)(void *)(out + 2), a1);
	_mm_storeu_si128((__m128i *)(void *)(out + 4), a2);
	_mm_storeu_si128((__m128i *)(void *)(out + 6), a3);
	for (k = 0; k < 8; k++) {
		h = (h ^ out[k]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return h;
}
#else
/* The lanes of a block's hash: four 64-bit lanes multiplied in turn. */
static uint64_t
block_lanes(const char *p, size_t n, size_t *i)
{
	uint64_t h[4] = { LH_FNV_SEED, LH_FNV_SEED ^ 1, LH_FNV_SEED ^ 2,
	    LH_FNV_SEED ^ 3 }, w;
	size_t k;

	for (*i = 0; *i + 32 <= n; *i += 32) {
		for (k = 0; k < 4; k++) {
			memcpy(&w, p + *i + 8 * k, 8);
			h[k] = (h[k] ^ w) * 0x9e3779b97f4a7c15ULL;
			h[k] ^= h[k] >> 29;
		}
	}
	return h[0] ^ (h[1] << 1) ^ (h[2] << 2) ^ (h[3] << 3);
}
#endif

/*
 * The hash of a stored block: wide lanes (a block is hashed at memory
 * speed, where FNV-1a's byte chain runs at one byte per multiply), the
 * tail and the length folded in by FNV-1a.  It catches a damaged
 * temporary file, not an adversary; the file is read back by the process
 * that wrote it, so the lanes may differ from one build to another.
 */
static uint64_t
block_sum(const char *p, size_t n)
{
	size_t i;
	uint64_t r = block_lanes(p, n, &i);

	r = lh_fnv64(r, p + i, n - i);
	return lh_fnv64(r, &n, sizeof(n));
}

/* Compresses (or hashes) and writes the block of job (the thread). */
static int
write_block(struct lh_runio *io, struct job *j)
{
	struct bhdr bh = { (uint32_t)j->n, (uint32_t)j->n, 0 };
	struct iovec iov[2];
	size_t c = 0;

	if (io->cctx != NULL && io->raw_kept + j->n > io->raw_first) {
		if (lh_grow(&io->tz, &io->tzcap, ZBOUND(j->n), 1) != LH_OK)
			return lh_err_set(&j->err, LH_FATAL, ENOMEM,
			    "out of memory");
		c = ZSTD_compress2(io->cctx, io->tz, io->tzcap, j->raw, j->n);
	}
	iov[0].iov_base = &bh;
	iov[0].iov_len = sizeof(bh);
	iov[1].iov_base = j->raw;
	iov[1].iov_len = j->n;
	if (c > 0 && !ZSTD_isError(c) && c < j->n) {
		bh.stored = (uint32_t)c;
		iov[1].iov_base = io->tz;
		iov[1].iov_len = c;
	} else {
		bh.sum = block_sum(j->raw, j->n);
		io->raw_kept += j->n;
	}
	return write_all(io, j, iov, 2);
}

static void
run_job(void *worker, void *job)
{
	struct lh_runio *io = worker;
	struct job *j = job;
	int rc = write_block(io, j);

	pthread_mutex_lock(&io->mu);
	j->rc = rc;
	j->done = 1;
	pthread_cond_broadcast(&io->cv);
	pthread_mutex_unlock(&io->mu);
}

/* Hands job[cur] of w over to the thread (or writes it here). */
static void
submit(struct lh_runio *io, struct lh_runw *w, struct job *j)
{
	j->w = w;
	j->fd = w->fd;
	j->busy = 1;
	j->done = 0;
	j->written = 0;
	lh_err_clear(&j->err);
	if (j->n > io->max_raw)
		io->max_raw = (uint32_t)j->n;
	if (io->pool == NULL || lh_pool_submit(io->pool, j) != LH_OK)
		run_job(io, j);
}

/* Waits for j and takes its results: LH_OK, or LH_FATAL with err. */
static int
collect(struct lh_runio *io, struct job *j, struct lh_err *err)
{
	if (!j->busy)
		return LH_OK;
	pthread_mutex_lock(&io->mu);
	while (!j->done)
		pthread_cond_wait(&io->cv, &io->mu);
	pthread_mutex_unlock(&io->mu);
	j->busy = 0;
	j->n = 0;
	io->st.spilled += j->written;
	j->w->stored += j->written;
	io->disk += j->written;
	if (io->disk > io->st.peak_disk)
		io->st.peak_disk = io->disk;
	if (j->rc != LH_OK) {
		*err = j->err;
		return LH_FATAL;
	}
	return LH_OK;
}

/* Hands the block being filled over and takes the other back. */
static int
flush(struct lh_runio *io, struct lh_runw *w, struct lh_err *err)
{
	struct job *j = &io->job[io->cur];

	if (j->n == 0)
		return LH_OK;
	submit(io, w, j);
	io->cur ^= 1;
	return collect(io, &io->job[io->cur], err);
}

/* Both blocks written: LH_OK, or LH_FATAL with err (the first error). */
static int
sync_jobs(struct lh_runio *io, struct lh_err *err)
{
	struct lh_err e2;
	int rc = collect(io, &io->job[io->cur ^ 1], err);

	if (collect(io, &io->job[io->cur], rc == LH_OK ? err : &e2) != LH_OK)
		rc = LH_FATAL;
	return rc;
}

/* ---- writing runs ---------------------------------------------------- */

int
lh_runio_wopen(struct lh_runio *io, struct lh_runw *w, struct lh_err *err)
{
	int i;

	w->bytes = 0;
	w->stored = 0;
	w->fd = -1;
	for (i = 0; i < 2; i++)
		if (io->job[i].raw == NULL && lh_grow(&io->job[i].raw,
		    &io->job[i].cap, io->block, 1) != LH_OK)
			return lh_err_set(err, LH_FATAL, ENOMEM,
			    "out of memory");
	if (!io->tried) {	/* no thread: the caller writes */
		io->tried = 1;
		io->pool = lh_pool_create(1, 2, run_job, io->self);
	}
	if (tmp_open(io, &w->fd, err) != LH_OK) {
		w->fd = -1;
		return LH_FATAL;
	}
	return LH_OK;
}

int
lh_runio_put(struct lh_runio *io, struct lh_runw *w, const void *pa,
    size_t a, const void *pb, size_t b, struct lh_err *err)
{
	struct job *j = &io->job[io->cur];
	size_t need = a + b;

	if (j->n > 0 && j->n + need > io->block) {
		if (flush(io, w, err) != LH_OK)
			return LH_FATAL;
		j = &io->job[io->cur];
	}
	if (need > j->cap && lh_grow(&j->raw, &j->cap, need, 1) != LH_OK)
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	memcpy(j->raw + j->n, pa, a);
	if (b > 0)
		memcpy(j->raw + j->n + a, pb, b);
	j->n += need;
	w->bytes += need;
	return LH_OK;
}

void
lh_runio_wdrop(struct lh_runio *io, struct lh_runw *w)
{
	struct lh_err e;

	(void)sync_jobs(io, &e);
	io->job[io->cur].n = 0;
	lh_runio_close(io, w->fd, w->stored);
	w->fd = -1;
}

int
lh_runio_wend(struct lh_runio *io, struct lh_runw *w, struct lh_err *err)
{
	struct lh_err e2;
	int rc = flush(io, w, err);

	if (sync_jobs(io, rc == LH_OK ? err : &e2) != LH_OK)
		rc = LH_FATAL;
	if (rc == LH_OK && lseek(w->fd, 0, SEEK_SET) != 0)
		rc = lh_err_set(err, LH_FATAL, errno, "%s: temporary file",
		    io->dir);
	if (rc != LH_OK)
		lh_runio_wdrop(io, w);
	return rc;
}

/* ---- reading runs ---------------------------------------------------- */

void
lh_runio_ropen(struct lh_runio *io, struct lh_runr *r, int fd,
    uint64_t stored)
{
	(void)io;
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->left = r->stored = stored;
}

/* Reads n bytes of r's file into p. */
static int
rd(struct lh_runio *io, struct lh_runr *r, void *p, size_t n,
    struct lh_err *err)
{
	char *c = p;
	ssize_t k;

	if (n > r->left)
		return lh_err_set(err, LH_FATAL, EIO,
		    "%s: temporary file cut short", io->dir);
	while (n > 0) {
		if ((k = read(r->fd, c, n)) < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return lh_err_set(err, LH_FATAL, k < 0 ? errno : EIO,
			    "%s: temporary file cut short", io->dir);
		c += k;
		n -= (size_t)k;
		r->left -= (uint64_t)k;
		r->off += k;
	}
	return LH_OK;
}

/* Gives back the space of what r has read, a PUNCH at a time. */
static void
punch(struct lh_runio *io, struct lh_runr *r)
{
	off_t to = r->off / PUNCH * PUNCH;

	if (to <= r->punched || r->nopunch)
		return;
#ifdef FALLOC_FL_PUNCH_HOLE
	if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    r->punched, to - r->punched) == 0) {
		io->disk -= (uint64_t)(to - r->punched);
		r->punched = to;
		return;
	}
#else
	(void)io;
#endif
	r->nopunch = 1;		/* not here: never again */
}

/* Reads the stored bytes of a block of bh into r->buf. */
static int
rd_body(struct lh_runio *io, struct lh_runr *r, const struct bhdr *bh,
    struct lh_err *err)
{
	size_t d;

	if (bh->stored == bh->raw) {
		if (rd(io, r, r->buf, bh->raw, err) != LH_OK)
			return LH_FATAL;
		if (block_sum(r->buf, bh->raw) != bh->sum)
			return lh_runio_damaged(io, err);
		return LH_OK;
	}
	if (io->dctx == NULL)
		return lh_runio_damaged(io, err);
	if (lh_grow(&io->rz, &io->rzcap, bh->stored, 1) != LH_OK)
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	if (rd(io, r, io->rz, bh->stored, err) != LH_OK)
		return LH_FATAL;
	d = ZSTD_decompressDCtx(io->dctx, r->buf, bh->raw, io->rz,
	    bh->stored);
	if (ZSTD_isError(d) || d != bh->raw)
		return lh_runio_damaged(io, err);
	return LH_OK;
}

int
lh_runio_block(struct lh_runio *io, struct lh_runr *r, struct lh_err *err)
{
	struct bhdr bh;

	if (r->fd < 0)
		return LH_EOF;
	if (r->left == 0) {
		lh_runio_rclose(io, r);
		return LH_EOF;
	}
	if (rd(io, r, &bh, sizeof(bh), err) != LH_OK)
		return LH_FATAL;
	if (bh.raw == 0 || bh.stored > bh.raw || bh.raw > io->max_raw)
		return lh_runio_damaged(io, err);
	if (bh.raw > r->cap && lh_grow(&r->buf, &r->cap, bh.raw, 1) != LH_OK)
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	if (rd_body(io, r, &bh, err) != LH_OK)
		return LH_FATAL;
	r->n = bh.raw;
	punch(io, r);
	return LH_OK;
}

void
lh_runio_rclose(struct lh_runio *io, struct lh_runr *r)
{
	if (r->fd >= 0)
		lh_runio_close(io, r->fd, r->stored - (uint64_t)r->punched);
	r->fd = -1;
	free(r->buf);
	r->buf = NULL;
	r->n = r->cap = 0;
}

/* ---- the runio ------------------------------------------------------- */

/* Level ZLEVEL, a window of one block, a checksum per frame. */
static int
z_setup(struct lh_runio *io)
{
	int wlog = 10;

	while (((size_t)1 << wlog) < io->block)
		wlog++;
	return ZSTD_isError(ZSTD_CCtx_setParameter(io->cctx,
	    ZSTD_c_compressionLevel, ZLEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(io->cctx, ZSTD_c_windowLog,
	    wlog)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(io->cctx,
	    ZSTD_c_checksumFlag, 1)) ? LH_FATAL : LH_OK;
}

struct lh_runio *
lh_runio_create(const char *dir, size_t block, int z, uint64_t raw_first,
    struct lh_err *err)
{
	struct lh_runio *io = calloc(1, sizeof(*io));

	if (io == NULL) {
		lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
		return NULL;
	}
	io->dir = dir;
	io->block = block;
	io->raw_first = raw_first;
	io->self[0] = io;
	pthread_mutex_init(&io->mu, NULL);
	pthread_cond_init(&io->cv, NULL);
	if (z && ((io->cctx = ZSTD_createCCtx()) == NULL ||
	    (io->dctx = ZSTD_createDCtx()) == NULL || z_setup(io) != LH_OK)) {
		lh_runio_free(io);
		lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
		return NULL;
	}
	return io;
}

void
lh_runio_stats(const struct lh_runio *io, struct lh_runio_stats *st)
{
	*st = io->st;
}

void
lh_runio_free(struct lh_runio *io)
{
	struct lh_err e;

	if (io == NULL)
		return;
	(void)sync_jobs(io, &e);
	lh_pool_free(io->pool);
	free(io->job[0].raw);
	free(io->job[1].raw);
	free(io->tz);
	free(io->rz);
	ZSTD_freeCCtx(io->cctx);
	ZSTD_freeDCtx(io->dctx);
	pthread_cond_destroy(&io->cv);
	pthread_mutex_destroy(&io->mu);
	free(io);
}
