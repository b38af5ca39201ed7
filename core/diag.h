/*
 * diag.h: the problems met while reading one job, kept in order.
 *
 * Workers never print: they collect messages here and the merger prints
 * them in job order, so stderr is the same for any -j.  A job keeps at most
 * LH_DIAG_MAX messages; the rest are only counted.
 */
#ifndef LH_DIAG_H
#define LH_DIAG_H

#include <stddef.h>

#define LH_DIAG_MAX 20

struct lh_diag {
	char **msg;		/* owned strings */
	int *status;		/* the status of each message */
	size_t n, cap;
	size_t dropped;		/* messages past LH_DIAG_MAX */
	int worst;		/* the most negative status added, or LH_OK */
};

void lh_diag_init(struct lh_diag *d);
void lh_diag_free(struct lh_diag *d);
/* Adds a message (copied) with its status. */
void lh_diag_add(struct lh_diag *d, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
