/*
 * buf.h: a growable byte buffer.
 *
 * The struct is transparent; it is only grown through these functions, which
 * return a status instead of a moved pointer.  The bytes are always followed
 * by a NUL (not counted in len) once anything was appended, and len < cap
 * whenever cap > 0.  lh_buf_append, lh_buf_puts and lh_buf_putc are inline
 * (C99 inline definitions; buf.c holds their external definitions): when the
 * room is there they copy without a call, else lh_buf_append_grow grows b.
 */
#ifndef LH_BUF_H
#define LH_BUF_H

#include <stddef.h>
#include <string.h>

#include "core/status.h"

struct lh_buf {
	char *p;
	size_t len, cap;
	int err;		/* sticky: an append has failed (lh_buf_status) */
};

/* Makes room for at least extra more bytes.  LH_OK or LH_FATAL (ENOMEM). */
int lh_buf_reserve(struct lh_buf *b, size_t extra);
/*
 * lh_buf_append's slow path, which grows b first (any caller may use it;
 * the inline lh_buf_append calls it only when b lacks the room).
 */
int lh_buf_append_grow(struct lh_buf *b, const void *p, size_t n);

/*
 * Appends n bytes of p (borrowed; it must not point into b).  Inline: with
 * room for them and the NUL (len + n < cap), no call is made.
 */
inline int
lh_buf_append(struct lh_buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len)
		return lh_buf_append_grow(b, p, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return LH_OK;
}

/* Appends a NUL-terminated string (borrowed). */
inline int
lh_buf_puts(struct lh_buf *b, const char *s)
{
	return lh_buf_append(b, s, strlen(s));
}

/* Appends one byte. */
inline int
lh_buf_putc(struct lh_buf *b, int c)
{
	char ch = (char)c;

	if (b->cap - b->len < 2)
		return lh_buf_append_grow(b, &ch, 1);
	b->p[b->len++] = ch;
	b->p[b->len] = '\0';
	return LH_OK;
}

/* "00" to "99" (and a NUL): the two digits of v at lh_digits2 + 2 * v. */
extern const char lh_digits2[201];

/* Appends v in decimal (what "%llu" prints, without printf). */
int lh_buf_put_u64(struct lh_buf *b, unsigned long long v);
/* Appends printf-formatted text. */
int lh_buf_printf(struct lh_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empties b, keeping its memory. */
void lh_buf_reset(struct lh_buf *b);

/*
 * LH_FATAL when an append to b has failed since it was made (or freed),
 * else LH_OK.  Appends are sticky on failure, like stdio's ferror(): a
 * builder of many appends may check once, before it uses the result.
 * lh_buf_reset keeps the flag; lh_buf_free and lh_buf_take clear it.
 */
int lh_buf_status(const struct lh_buf *b);
/* Releases the memory; b is empty and reusable afterwards. */
void lh_buf_free(struct lh_buf *b);
/*
 * Grows the array *pp (pp is the address of any object pointer, e.g. a
 * struct x ** passed as &v) of *cap elements of elsize bytes so that it
 * holds at least need elements: the capacity doubles (from 16), so n
 * appends cost O(n).  On success *pp and *cap are updated; on failure
 * (out of memory, or need * elsize overflows) they are left as they were.
 * Returns LH_OK or LH_FATAL (ENOMEM).
 */
int lh_grow(void *pp, size_t *cap, size_t need, size_t elsize);

/*
 * An owned copy of the n bytes at s (which may hold NULs) with a NUL after
 * them (free with free(3)), or NULL when out of memory.
 */
char *lh_dupn(const char *s, size_t n);

/* Takes the bytes out of b: returns an owned string (free with free(3)). */
char *lh_buf_take(struct lh_buf *b);

#endif
