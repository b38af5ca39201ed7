/*
 * buf.c: the growable byte buffer and the one array-growth helper (buf.h).
 *
 * DESIGN
 * Both grow by doubling, so n appends cost O(n), and check every size
 * computation for overflow before calling realloc: a length read from
 * untrusted input can never wrap into a small allocation.  On failure
 * nothing changes, so the caller still owns a valid buffer to free.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/status.h"

int
lh_grow(void *pp, size_t *cap, size_t need, size_t elsize)
{
	size_t c = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return LH_OK;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return LH_FATAL;
		c *= 2;
	}
	if (elsize != 0 && c > SIZE_MAX / elsize)
		return LH_FATAL;
	memcpy(&p, pp, sizeof(p));
	if ((p = realloc(p, c * elsize)) == NULL)
		return LH_FATAL;
	memcpy(pp, &p, sizeof(p));
	*cap = c;
	return LH_OK;
}

int
lh_buf_reserve(struct lh_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len) {
		b->err = 1;
		return LH_FATAL;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return LH_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->err = 1;
		return LH_FATAL;
	}
	p[b->len] = '\0';	/* keep the promise of buf.h, even when empty */
	b->p = p;
	b->cap = cap;
	return LH_OK;
}

/* The external definitions of the inline functions of buf.h. */
extern inline int lh_buf_append(struct lh_buf *b, const void *p, size_t n);
extern inline int lh_buf_puts(struct lh_buf *b, const char *s);
extern inline int lh_buf_putc(struct lh_buf *b, int c);

int
lh_buf_append_grow(struct lh_buf *b, const void *p, size_t n)
{
	if (lh_buf_reserve(b, n) != LH_OK)
		return LH_FATAL;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return LH_OK;
}

const char lh_digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* The number of decimal digits of v. */
static size_t
ndigits(unsigned long long v)
{
	size_t n = 1;

	for (; v >= 10000; v /= 10000)
		n += 4;
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

int
lh_buf_put_u64(struct lh_buf *b, unsigned long long v)
{
	size_t n = ndigits(v);
	char *o;

	if (n >= b->cap - b->len && lh_buf_reserve(b, n) != LH_OK)
		return LH_FATAL;
	b->len += n;
	o = b->p + b->len;
	*o = '\0';
	for (; v >= 100; v /= 100) {
		o -= 2;
		memcpy(o, lh_digits2 + v % 100 * 2, 2);
	}
	if (v >= 10)
		memcpy(o - 2, lh_digits2 + v * 2, 2);
	else
		o[-1] = (char)('0' + v);
	return LH_OK;
}

int
lh_buf_printf(struct lh_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = 1;
		return LH_FATAL;
	}
	if (lh_buf_reserve(b, (size_t)n) != LH_OK)
		return LH_FATAL;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return LH_OK;
}

void
lh_buf_reset(struct lh_buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
lh_buf_free(struct lh_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

int
lh_buf_status(const struct lh_buf *b)
{
	return b->err ? LH_FATAL : LH_OK;
}

char *
lh_buf_take(struct lh_buf *b)
{
	char *p = b->p;

	if (p == NULL)
		p = calloc(1, 1);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
	return p;
}

char *
lh_dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
