/*
 * walk.h: the files below a path, in a reproducible order.
 *
 * DESIGN
 * A directory is walked recursively, its entries sorted byte-wise, so that
 * two runs over the same tree visit files in the same order.  Nothing is
 * opened but directories: what a file holds is core/input.h's business.
 */
#ifndef LH_WALK_H
#define LH_WALK_H

#include "core/diag.h"

/* Called for each file found by lh_walk() (path valid until it returns). */
typedef int (*lh_file_fn)(void *arg, const char *path);

/*
 * Calls fn for path if it is a file (or "-"), or for every file below it if
 * it is a directory, in sorted order.  Symbolic links inside a directory
 * are followed only when they point inside the directory named on the
 * command line (evidence may hold links to the responder's own system), and
 * a link back to an ancestor (a loop) is reported and skipped.  Unreadable
 * entries are reported and skipped.  path and diag are borrowed.  Returns
 * LH_OK, LH_FAIL (something was skipped), LH_FATAL (out of memory), or
 * whatever fn returned when not LH_OK.
 */
int lh_walk(const char *path, lh_file_fn fn, void *arg, struct lh_diag *diag);

#endif
