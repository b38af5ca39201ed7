/*
 * diag.c: per-job problem lists.
 *
 * DESIGN
 * Messages name paths and archive member names that come from evidence,
 * and the CLI prints them on the responder's terminal: they are stored
 * escaped by lh_escape_ctl (core/escape.h), as text output shows them, so
 * no message can drive the terminal.  Nothing is dropped silently: past
 * LH_DIAG_MAX messages are counted as dropped, and messages that cannot
 * be stored for want of memory are counted as lost and reported as an
 * error.  A diag belongs to one thread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/status.h"

void
lh_diag_init(struct lh_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
lh_diag_free(struct lh_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->msg[i]);
	free(d->msg);
	free(d->status);
	lh_diag_init(d);
}

/*
 * Makes room for one more message; LH_OK or LH_FATAL.  msg and status
 * share d->cap: both grow from the same capacity to the same need, so they
 * get the same new one, and d->cap takes it once both have it.
 */
static int
grow(struct lh_diag *d)
{
	size_t mcap = d->cap, scap = d->cap;

	if (lh_grow(&d->msg, &mcap, d->n + 1, sizeof(*d->msg)) != LH_OK ||
	    lh_grow(&d->status, &scap, d->n + 1, sizeof(*d->status)) != LH_OK)
		return LH_FATAL;
	d->cap = mcap;
	return LH_OK;
}

/* Stores the formatted text with its status. */
static void
add(struct lh_diag *d, int status, const char *text)
{
	struct lh_buf b = { 0 };

	if (status < d->worst)
		d->worst = status;
	if (d->n >= LH_DIAG_MAX) {
		d->dropped++;
		return;
	}
	if (grow(d) != LH_OK || lh_escape_ctl(&b, text, strlen(text)) !=
	    LH_OK || lh_buf_reserve(&b, 1) != LH_OK) {
		lh_buf_free(&b);
		d->lost++;
		d->worst = LH_FATAL;
		return;
	}
	d->msg[d->n] = b.p;
	d->status[d->n++] = status;
}

void
lh_diag_add(struct lh_diag *d, int status, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add(d, status, buf);
}

void
lh_diag_add_errno(struct lh_diag *d, int status, int errnum,
    const char *fmt, ...)
{
	va_list ap;
	char buf[1024], ebuf[128];
	size_t n;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	snprintf(buf + n, sizeof(buf) - n, ": %s",
	    lh_err_text(errnum, ebuf, sizeof(ebuf)));
	add(d, status, buf);
}

void
lh_diag_each(const struct lh_diag *d,
    void (*fn)(void *arg, int status, const char *msg), void *arg)
{
	char msg[96];
	size_t i;

	for (i = 0; i < d->n; i++)
		fn(arg, d->status[i], d->msg[i]);
	if (d->dropped > 0) {
		snprintf(msg, sizeof(msg), "... and %zu more problems in this "
		    "file", d->dropped);
		fn(arg, LH_WARN, msg);
	}
	if (d->lost > 0) {
		snprintf(msg, sizeof(msg), "%zu message%s lost: out of memory",
		    d->lost, d->lost == 1 ? "" : "s");
		fn(arg, LH_FATAL, msg);
	}
}
