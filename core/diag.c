/*
 * diag.c: per-job problem lists.
 *
 * Messages name paths and archive member names that come from evidence,
 * and the CLI prints them on the responder's terminal: control characters
 * (C0, DEL, C1) and bytes that are not UTF-8 are stored as \xNN, as text
 * output shows them (cli/escape.c), so no message can drive the terminal.
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

/* Length of the UTF-8 sequence at p to keep as it is, 0 to escape p[0]. */
static size_t
keep_len(const unsigned char *p)
{
	size_t len, i;
	unsigned c = p[0];

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	for (i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xc2 && p[1] < 0xa0) ||		/* C1 controls */
	    (c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) ||
	    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
		return 0;			/* overlong, surrogate, too big */
	return len;
}

/* Copies the NUL-terminated s into out (cap > 4) with controls escaped. */
static void
sanitize(const char *s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, k;

	while (*p != '\0') {
		if ((k = keep_len(p)) > 0) {
			if (o + k >= cap)
				break;
			memcpy(out + o, p, k);
		} else {
			if (o + 4 >= cap)
				break;
			snprintf(out + o, 5, "\\x%02x", *p);
			k = 1;
			o += 3;
		}
		o += k;
		p += k;
	}
	out[o] = '\0';
}

void
lh_diag_add(struct lh_diag *d, int status, const char *fmt, ...)
{
	va_list ap;
	char buf[1024], safe[4 * sizeof(buf)];

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
	sanitize(buf, safe, sizeof(safe));
	if ((d->msg[d->n] = strdup(safe)) == NULL)
		return;
	d->status[d->n++] = status;
}
