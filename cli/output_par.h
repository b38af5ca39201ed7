/*
 * output_par.h: printing many alerts rendered on two threads, in order
 * (cli/output_par.c; used by cli/output.c).
 */
#ifndef LH_OUTPUT_PAR_H
#define LH_OUTPUT_PAR_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"

/*
 * Appends the rendering of item i to b (appends are sticky on failure,
 * core/buf.h).  Called from two threads at once with distinct b and i:
 * must only read what arg points at.
 */
typedef void lh_out_render_fn(void *arg, struct lh_buf *b, size_t i);

/*
 * Writes the renderings of items 0..n-1 to fp, in that order, exactly as
 * rendering and writing them one after the other would.  With threads >
 * 1 and enough items, blocks of consecutive items are rendered on a
 * second thread while this one renders and writes the others (memory:
 * a few blocks).  fn and arg are borrowed.  LH_OK, LH_FAIL (write error:
 * nothing more is written) or LH_FATAL (out of memory), as lh_out_put().
 */
int lh_out_par(FILE *fp, size_t n, lh_out_render_fn *fn, void *arg,
    int threads);

#endif
