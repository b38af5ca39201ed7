/*
 * diag.h: the problems met while reading one job, kept in order.
 *
 * Workers never print: they collect messages here and the merger prints
 * them in job order, so stderr is the same for any -j.  A job keeps at most
 * LH_DIAG_MAX messages; the rest are only counted.  A message that cannot
 * be stored for want of memory is counted too (lost), and makes the worst
 * status LH_FATAL, so that the run ends with an error (exit 2).
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
	size_t lost;		/* messages lost for want of memory */
	int worst;		/* the most negative status added, or LH_OK */
};

/* Makes d empty (no allocation). */
void lh_diag_init(struct lh_diag *d);
/* Frees the messages of d and makes it empty again. */
void lh_diag_free(struct lh_diag *d);
/*
 * Adds a message (formatted, control characters escaped, copied) with its
 * status.  Out of memory, the message is counted in d->lost.
 */
void lh_diag_add(struct lh_diag *d, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * The same with ": " and the text of errnum (strerror_r) appended: for
 * workers, where plain strerror is not thread-safe.
 */
void lh_diag_add_errno(struct lh_diag *d, int status, int errnum,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Calls fn(arg, status, msg) for each message of d in order (msg borrowed,
 * valid during the call), then "... and N more problems in this file"
 * (LH_WARN) when some were dropped, then "N messages lost: out of memory"
 * (LH_FATAL) when some were lost.
 */
void lh_diag_each(const struct lh_diag *d,
    void (*fn)(void *arg, int status, const char *msg), void *arg);

#endif
