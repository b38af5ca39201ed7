/*
 * diag.c: per-job problem lists.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
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

void
lh_diag_add(struct lh_diag *d, int status, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	if (status < d->worst)
		d->worst = status;
	if (d->n >= LH_DIAG_MAX) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4;
		char **m = realloc(d->msg, cap * sizeof(*m));
		int *s;

		if (m == NULL)
			return;
		d->msg = m;
		if ((s = realloc(d->status, cap * sizeof(*s))) == NULL)
			return;
		d->status = s;
		d->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((d->msg[d->n] = strdup(buf)) == NULL)
		return;
	d->status[d->n++] = status;
}
