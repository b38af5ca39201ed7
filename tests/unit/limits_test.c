/*
 * limits_test.c: the memory limits of decoders (core/limits.h,
 * core/decomp.h) and how a budget becomes limits (lh_input_limits).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "core/decomp.h"
#include "core/input.h"
#include "core/limits.h"
#include "core/status.h"
#include "tests/memstream.h"

static const char line[] = "Jan  1 00:00:00 web01 sshd[1]: hello\n";

/*
 * A zstd frame of line with a 2^wlog window and no content size (as zstd
 * writes from a pipe): *n bytes at the returned buffer (free with free).
 */
static unsigned char *
zstd_frame(int wlog, size_t *n)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(sizeof(line)) + 64;
	unsigned char *out = malloc(cap);
	ZSTD_inBuffer in = { line, sizeof(line) - 1, 0 };
	ZSTD_inBuffer none = { 0 };
	ZSTD_outBuffer o = { out, cap, 0 };

	cr_assert_not_null(cc);
	cr_assert_not_null(out);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, wlog);
	ZSTD_compressStream2(cc, &o, &in, ZSTD_e_continue);
	cr_assert_eq(ZSTD_compressStream2(cc, &o, &none, ZSTD_e_end), 0);
	ZSTD_freeCCtx(cc);
	*n = o.pos;
	return out;
}

/* Reads d to its end or failure. */
static int
drain(struct lh_stream *d, char *buf, size_t cap, size_t *n,
    struct lh_err *err)
{
	size_t got;
	int rc;

	*n = 0;
	lh_err_clear(err);
	while ((rc = lh_stream_read(d, buf + *n, cap - *n, &got, err)) ==
	    LH_OK)
		*n += got;
	return rc;
}

Test(limits, zstd_window_over_the_cap_is_refused_with_its_size)
{
	struct lh_limits lim = LH_LIMITS_DEFAULT;
	unsigned char *two, *a, *b;
	size_t na, nb, n;
	struct lh_test_mem m;
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 }, *d;
	struct lh_err err;
	char buf[256];

	a = zstd_frame(20, &na);
	b = zstd_frame(24, &nb);
	cr_assert_not_null(two = malloc(na + nb));
	memcpy(two, a, na);
	memcpy(two + na, b, nb);
	m = (struct lh_test_mem){ two, na + nb, 0, 0, 0 };
	lim.zstd_wlog = 22;
	cr_assert_not_null(d = lh_decomp_create(LH_ZSTD, &below, "mem", &lim));
	cr_assert_eq(drain(d, buf, sizeof(buf), &n, &err), LH_FAIL);
	/* the frame before is delivered whole */
	cr_assert_eq(n, sizeof(line) - 1);
	cr_assert(strstr(err.msg, "mem: zstd frame at offset ") != NULL);
	cr_assert(strstr(err.msg, " needs a 16 MiB window, more than the 4 "
	    "MiB allowed; skipped") != NULL, "%s", err.msg);
	lh_stream_free(d);
	/* the default reads both */
	m.pos = 0;
	cr_assert_not_null(d = lh_decomp_create(LH_ZSTD, &below, "mem", NULL));
	cr_assert_eq(drain(d, buf, sizeof(buf), &n, &err), LH_EOF);
	cr_assert_eq(n, 2 * (sizeof(line) - 1));
	lh_stream_free(d);
	free(a);
	free(b);
	free(two);
}

Test(limits, budget_to_limits)
{
	struct lh_limits lim;

	lh_input_limits(&lim, 0, 4);
	cr_assert_eq(lim.zstd_wlog, LH_ZSTD_WLOG_DEFAULT);
	cr_assert_eq(lim.xz_memlimit, LH_XZ_MEMLIMIT_DEFAULT);
	cr_assert_eq(lim.copy_max, LH_COPY_MAX_DEFAULT);
	/* 1 GiB for 2 workers: 512 MiB each */
	lh_input_limits(&lim, (uint64_t)1 << 30, 2);
	cr_assert_eq(lim.zstd_wlog, 27);
	cr_assert_eq(lim.xz_memlimit, (uint64_t)128 << 20);
	cr_assert_eq(lim.copy_max, (uint64_t)256 << 20);
	/* a small budget still reads zstd -19 and xz -6 */
	lh_input_limits(&lim, (uint64_t)1 << 20, 0);
	cr_assert_eq(lim.zstd_wlog, 23);
	cr_assert_eq(lim.xz_memlimit, (uint64_t)16 << 20);
	/* a large one allows zstd --long=31 */
	lh_input_limits(&lim, (uint64_t)64 << 30, 1);
	cr_assert_eq(lim.zstd_wlog, LH_ZSTD_WLOG_MAX);
}
