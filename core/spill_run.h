/*
 * spill_run.h: the run files of a spill (core/spill.c), written in
 * blocks compressed by a thread of their own and read back a block at a
 * time.  Internal to the spill: nothing else includes it.
 *
 * DESIGN
 * A run file is a sequence of blocks: a header (the block's bytes as
 * stored and as records) and the records, whole (a record never spans
 * two blocks: one longer than a block is a block of its own), compressed
 * with zstd when the spill's budget has room for its contexts and the
 * runio has written its first raw_first bytes, else stored as they are
 * with a hash.  Each block is one zstd frame, so that
 * a reader needs one block's buffer and no stream state of its own: the
 * readers of a merge share one decompression context and one buffer of
 * compressed bytes.  A block that does not make sense (sizes, a frame
 * that does not decompress to its size, a hash that differs) or a file cut
 * short is an error, never a crash.
 *
 * Writing is done by one thread (core/pool.h) while the caller fills the
 * next block: two block buffers take turns, so that compressing and
 * writing cost the caller's thread nothing but a hand-over per block.
 * Its results (bytes written, an error) come back when the caller waits
 * for the block, before it reuses its buffer or ends the run.  Without a
 * thread (none could start) the caller writes the block itself.
 *
 * Files are made with mkstemp(3) in the spill's directory and unlinked at
 * once: read back through the descriptor kept open, none outlives the
 * process.  A reader gives back the space of what it has read as it goes
 * (a hole punched every megabyte, where the file system can), and closes
 * its file at its end.
 */
#ifndef LH_SPILL_RUN_H
#define LH_SPILL_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

struct lh_runio;

/* A run being written (the caller's; its buffers are the runio's). */
struct lh_runw {
	int fd;			/* -1: none open */
	uint64_t bytes;		/* of records put */
	uint64_t stored;	/* written to the file so far */
};

/* A run being read: the current block's records, buf[0..n). */
struct lh_runr {
	int fd;			/* -1: read to its end, closed */
	char *buf;		/* owned */
	size_t n, cap;
	uint64_t left;		/* bytes of the file not read yet */
	uint64_t stored;	/* the file's size */
	off_t off, punched;	/* read up to; given back up to */
	int nopunch;		/* the file system cannot */
};

struct lh_runio_stats {
	uint64_t spilled;	/* bytes written */
	uint64_t peak_disk;	/* the most held in files at once */
	unsigned max_open;	/* the most files open at once */
};

/*
 * The memory of the runio's buffers and contexts for blocks of block
 * bytes, compressed when z is set (readers' buffers not included).
 */
uint64_t lh_runio_memory(size_t block, int z);
/*
 * Returns an owned runio (free with lh_runio_free) writing in dir
 * (borrowed: it must outlive the runio) blocks of block bytes, compressed
 * when z is set once raw_first bytes of blocks were written as they are;
 * NULL with err (LH_FATAL) when out of memory.
 */
struct lh_runio *lh_runio_create(const char *dir, size_t block, int z,
    uint64_t raw_first, struct lh_err *err);
/* Waits for the writer, closes what is open, frees io; NULL: no-op. */
void lh_runio_free(struct lh_runio *io);

/* Starts a run in a new file.  LH_OK or LH_FATAL with err. */
int lh_runio_wopen(struct lh_runio *io, struct lh_runw *w,
    struct lh_err *err);
/*
 * Adds a record of the a bytes at pa then the b at pb (borrowed) to w.
 * LH_OK or LH_FATAL with err (the disk full, out of memory).
 */
int lh_runio_put(struct lh_runio *io, struct lh_runw *w, const void *pa,
    size_t a, const void *pb, size_t b, struct lh_err *err);
/*
 * Ends w: its last block written, the file rewound, to be read with
 * lh_runio_ropen (w->fd, w->stored).  On failure (LH_FATAL with err) the
 * file is closed.
 */
int lh_runio_wend(struct lh_runio *io, struct lh_runw *w,
    struct lh_err *err);
/* Gives w up after a failure: the file closed. */
void lh_runio_wdrop(struct lh_runio *io, struct lh_runw *w);

/* Starts reading the run in fd, stored bytes long (r is the caller's). */
void lh_runio_ropen(struct lh_runio *io, struct lh_runr *r, int fd,
    uint64_t stored);
/*
 * Reads r's next block into r->buf (r->n bytes): LH_OK, LH_EOF (the end:
 * r closed) or LH_FATAL with err.
 */
int lh_runio_block(struct lh_runio *io, struct lh_runr *r,
    struct lh_err *err);
/* Closes r's file and frees its buffer; a closed r is a no-op. */
void lh_runio_rclose(struct lh_runio *io, struct lh_runr *r);
/* Closes the run in fd (stored bytes), never read. */
void lh_runio_close(struct lh_runio *io, int fd, uint64_t stored);
/* Sets err to "DIR: temporary file damaged"; returns LH_FATAL. */
int lh_runio_damaged(const struct lh_runio *io, struct lh_err *err);
void lh_runio_stats(const struct lh_runio *io, struct lh_runio_stats *st);

#endif
