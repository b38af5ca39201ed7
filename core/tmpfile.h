/*
 * tmpfile.h: temporary files that nothing outlives.
 *
 * DESIGN
 * A temporary file is made with mkstemp(3) in the caller's directory and
 * unlinked at once: it is read and written through its descriptor only,
 * so it is gone from the directory even when the process is killed, and
 * its space comes back when the descriptor is closed.
 */
#ifndef LH_TMPFILE_H
#define LH_TMPFILE_H

#include "core/err.h"

/*
 * Makes an unlinked temporary file "DIR/PREFIX-XXXXXX" (dir and prefix
 * borrowed; dir NULL: /tmp) and sets *fd to it (owned by the caller,
 * close-on-exec).  LH_OK, or LH_FATAL with err ("DIR: temporary file:
 * REASON").
 */
int lh_tmpfile(const char *dir, const char *prefix, int *fd,
    struct lh_err *err);

#endif
