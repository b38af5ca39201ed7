/*
 * input.h: from a file to the leaf streams inside it.
 *
 * DESIGN
 * A path is a file, or "-" for standard input (directories are walked by
 * core/walk.h).  A file is decided
 * by its content, never its name: compressed data (gzip, zstd, xz, bzip2,
 * lz4, compress) is decompressed as a stream, an archive (tar, zip, 7z,
 * cpio) is read member by member with libarchive, and both nest (a
 * syslog.2.gz inside a .tar.zst) up to a depth limit.  Nothing is extracted
 * to disk.  Each leaf (plain content) is handed to a callback as a struct
 * lh_source whose path says where it came from:
 * "bundles/web04.tar.gz!var/log/syslog.2.gz".
 *
 * Every problem is added to the caller's struct lh_diag with the path and
 * the offset; reading goes on with the next member or file.
 */
#ifndef LH_INPUT_H
#define LH_INPUT_H

#include <stdint.h>

#include "core/diag.h"
#include "core/format.h"
#include "core/limits.h"

#define LH_MAX_DEPTH 8		/* archive/compression levels per file */

/* Called for each leaf; LH_OK to go on, LH_FATAL to stop everything. */
typedef int (*lh_leaf_fn)(void *arg, struct lh_source *src);

struct lh_input_stats {
	uint64_t files;		/* files opened */
	uint64_t leaves;	/* leaf streams handed to the callback */
	uint64_t raw_bytes;	/* bytes of the files read or skipped over */
	uint64_t gz_skipped;	/* gzip content jumped over (checkpoints) */
};

/*
 * Reads the file at path ("-": standard input) and calls fn for every leaf
 * in it (src and everything it points to valid until fn returns).  path,
 * diag and st are borrowed.  Blocks on reads; thread-safe for distinct
 * diag and st.  Returns LH_OK, LH_FAIL when something could not be read
 * (diag says what; the rest was read), or LH_FATAL.
 */
int lh_input_read(const char *path, lh_leaf_fn fn, void *arg,
    struct lh_diag *diag, struct lh_input_stats *st);

/*
 * lh_input_read() within the caps of lim (borrowed; NULL:
 * LH_LIMITS_DEFAULT): a zstd frame or an xz stream asking for more memory,
 * or a member to copy for random access (7z, a nested native journal)
 * larger than lim->copy_max, is reported in diag with the path and the
 * offset and skipped (LH_FAIL for the file); the rest is read.
 */
int lh_input_read_limits(const char *path, const struct lh_limits *lim,
    lh_leaf_fn fn, void *arg, struct lh_diag *diag,
    struct lh_input_stats *st);

/*
 * lh_input_read_limits() with the copies of rp (core/replay.h; borrowed,
 * may be NULL): while rp records, the bytes of an input that is not a
 * regular file (standard input, a pipe, a FIFO) are copied into it as
 * they are read (a copy that cannot be written is a warning in diag), and
 * so are the decoded bytes of a regular file compressed with xz or bzip2,
 * within rp's budget (lh_replay_set_budget; silently left out past it);
 * once rp is sealed, a path it holds a copy of is read from the copy, with
 * the time the first reading gave it (a decoded copy at the level of the
 * decoder's output: the same sniff, leaves and offsets).
 */
struct lh_replay;
int lh_input_read_replay(const char *path, const struct lh_limits *lim,
    struct lh_replay *rp, lh_leaf_fn fn, void *arg, struct lh_diag *diag,
    struct lh_input_stats *st);

/* What lh_input_read_opts() reads with (all borrowed, each may be NULL). */
struct lh_gzckpt_index;
struct lh_input_opts {
	const struct lh_limits *lim;	/* NULL: LH_LIMITS_DEFAULT */
	struct lh_replay *replay;	/* as for lh_input_read_replay() */
	/*
	 * gzip checkpoints (core/gzckpt.h) of a gzip file whose content is
	 * a leaf (not an archive): recorded into gz_out while it is read,
	 * resumed from those of gz_in when its leaf's reader skips.
	 */
	struct lh_gzckpt_index *gz_out;
	const struct lh_gzckpt_index *gz_in;
};

/* lh_input_read_replay() with the options of o (borrowed). */
int lh_input_read_opts(const char *path, const struct lh_input_opts *o,
    lh_leaf_fn fn, void *arg, struct lh_diag *diag,
    struct lh_input_stats *st);

/*
 * Fills *lim from a memory budget in bytes shared by workers threads (each
 * reads one input at a time); budget 0 gives LH_LIMITS_DEFAULT.  Each
 * worker's share is budget / workers: a zstd window (a power of two
 * between 2^LH_ZSTD_WLOG_MIN and 2^LH_ZSTD_WLOG_MAX) and the xz memory
 * limit (at least LH_XZ_MEMLIMIT_MIN) of a quarter of it, copies of half of it.  The
 * result may exceed the defaults when the budget is large.
 */
void lh_input_limits(struct lh_limits *lim, uint64_t budget,
    unsigned workers);

#endif
