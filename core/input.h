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

#define LH_MAX_DEPTH 8		/* archive/compression levels per file */

/* Called for each leaf; LH_OK to go on, LH_FATAL to stop everything. */
typedef int (*lh_leaf_fn)(void *arg, struct lh_source *src);

struct lh_input_stats {
	uint64_t files;		/* files opened */
	uint64_t leaves;	/* leaf streams handed to the callback */
	uint64_t raw_bytes;	/* bytes read from disk */
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

#endif
