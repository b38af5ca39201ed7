/*
 * buf_test.c: the growable buffer (core/buf.c): the inline appends of
 * buf.h at every edge of the room, the NUL after the bytes, the sticky
 * error, and lh_buf_put_u64 against printf.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/buf.h"
#include "core/status.h"

/*
 * Appends of 0..40 bytes, one byte and a string to buffers with every
 * room from 0 to 45 bytes: the same content as a byte at a time, always
 * followed by a NUL, and len < cap.
 */
Test(buf, append_edges)
{
	char src[41], want[512];
	size_t n, room, fill, k;
	struct lh_buf b = { 0 };

	for (k = 0; k < sizeof(src); k++)
		src[k] = (char)('a' + k % 26);
	for (n = 0; n <= 40; n++) {
		for (room = 0; room <= 45; room++) {
			lh_buf_free(&b);
			cr_assert_eq(lh_buf_reserve(&b, 64), LH_OK);
			fill = b.cap - 1 - room;
			cr_assert_lt(fill + n + 3, sizeof(want));
			memset(b.p, '.', fill);
			b.len = fill;
			memcpy(want, b.p, fill);
			cr_assert_eq(lh_buf_append(&b, src, n), LH_OK);
			cr_assert_eq(lh_buf_putc(&b, '!'), LH_OK);
			cr_assert_eq(lh_buf_puts(&b, "xy"), LH_OK);
			memcpy(want + fill, src, n);
			memcpy(want + fill + n, "!xy", 3);
			cr_assert_eq(b.len, fill + n + 3);
			cr_assert_lt(b.len, b.cap);
			cr_assert_eq(memcmp(b.p, want, b.len), 0);
			cr_assert_eq(b.p[b.len], '\0');
			cr_assert_eq(lh_buf_status(&b), LH_OK);
		}
	}
	lh_buf_free(&b);
}

/* An empty append to an empty buffer still gives a NUL-terminated one. */
Test(buf, empty_append)
{
	struct lh_buf b = { 0 };

	cr_assert_eq(lh_buf_append(&b, "", 0), LH_OK);
	cr_assert_not_null(b.p);
	cr_assert_eq(b.p[0], '\0');
	lh_buf_free(&b);
	cr_assert_eq(lh_buf_putc(&b, 'q'), LH_OK);
	cr_assert_str_eq(b.p, "q");
	lh_buf_free(&b);
}

/* A failed append is remembered, by the inline paths too. */
Test(buf, sticky)
{
	struct lh_buf b = { 0 };
	volatile size_t huge = SIZE_MAX / 2;	/* (no copy is tried) */

	cr_assert_eq(lh_buf_puts(&b, "ab"), LH_OK);
	cr_assert_eq(lh_buf_append(&b, "x", huge), LH_FATAL);
	cr_assert_eq(lh_buf_putc(&b, 'c'), LH_OK);
	cr_assert_str_eq(b.p, "abc");
	cr_assert_eq(lh_buf_status(&b), LH_FATAL);
	lh_buf_reset(&b);
	cr_assert_eq(lh_buf_status(&b), LH_FATAL);
	lh_buf_free(&b);
	cr_assert_eq(lh_buf_status(&b), LH_OK);
}

static void
check_u64(struct lh_buf *b, unsigned long long v)
{
	char want[32];
	size_t len = b->len;

	snprintf(want, sizeof(want), "%llu", v);
	cr_assert_eq(lh_buf_put_u64(b, v), LH_OK);
	cr_assert_eq(b->len - len, strlen(want));
	cr_assert_str_eq(b->p + len, want, "%llu", v);
}

/* Every power of ten and its neighbours, and a spread of others. */
Test(buf, put_u64)
{
	struct lh_buf b = { 0 };
	unsigned long long p = 1, x = 88172645463325252ULL;
	int i;

	check_u64(&b, 0);
	for (i = 0; i < 20; i++, p *= 10) {
		check_u64(&b, p - 1);
		check_u64(&b, p);
		check_u64(&b, p + 1);
		check_u64(&b, p * 5);
	}
	check_u64(&b, ULLONG_MAX);
	check_u64(&b, ULLONG_MAX - 1);
	for (i = 0; i < 10000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		check_u64(&b, x >> (i % 64));
		if (b.len > 4000)
			lh_buf_reset(&b);
	}
	lh_buf_free(&b);
}
