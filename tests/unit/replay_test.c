/*
 * replay_test.c: copies of decoded bytes for the context pass
 * (core/replay.h): a whole copy gives the same bytes at level 1, and the
 * damage that ended the decoder's stream again at its end; a copy not
 * read to its end, or past the budget, is not kept; lh_replay_tee_end
 * reads a stream's short rest.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/replay.h"
#include "core/status.h"
#include "core/stream.h"
#include "tests/memstream.h"

static char data[100000];

static void
fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 23);
}

/* Reads s to its end into buf; the final status, *n bytes read. */
static int
drain(struct lh_stream *s, char *buf, size_t cap, size_t *n,
    struct lh_err *err)
{
	size_t got;
	int rc;

	*n = 0;
	do {
		rc = lh_stream_read(s, buf + *n, cap - *n < 4096 ? cap - *n :
		    4096, &got, err);
		*n += got;
	} while (rc == LH_OK && *n < cap);
	return rc;
}

/* Records data (damaged at its end when fail) for "f.xz"; read whole. */
static struct lh_replay *
record(uint64_t budget, int fail, size_t upto)
{
	struct lh_test_mem m = { data, sizeof(data), 0, 3000, fail };
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 }, *t;
	static char buf[sizeof(data) + 1];
	struct lh_replay *rp = lh_replay_create(NULL);
	struct lh_err err;
	size_t n;

	cr_assert_not_null(rp);
	lh_replay_set_budget(rp, budget);
	/* below is embedded (no close): the tee's free is harmless */
	t = lh_replay_tee_decoded(rp, "f.xz", 42, &below);
	cr_assert_not_null(t);
	(void)drain(t, buf, upto, &n, &err);
	if (t != &below)
		lh_stream_free(t);
	lh_replay_seal(rp);
	return rp;
}

Test(replay, decoded_copy_whole_with_its_damage)
{
	static char buf[sizeof(data) + 1];
	struct lh_replay_totals tot;
	struct lh_replay *rp;
	struct lh_stream *s;
	struct lh_err err;
	int64_t mtime = 0;
	int fd = 0, depth = 0;
	size_t n;

	fill();
	rp = record(1 << 20, 1, sizeof(buf));
	s = lh_replay_open(rp, "f.xz", &mtime, &fd, &depth);
	cr_assert_not_null(s);
	cr_assert_eq(mtime, 42);
	cr_assert_eq(fd, -1);
	cr_assert_eq(depth, 1);
	cr_assert_eq(drain(s, buf, sizeof(buf), &n, &err), LH_FAIL);
	cr_assert_eq(n, sizeof(data));
	cr_assert(memcmp(buf, data, n) == 0);
	cr_assert_str_eq(err.msg, "mem: offset 100000: damaged");
	lh_stream_free(s);
	lh_replay_totals(rp, &tot);
	cr_assert_eq(tot.copies, 1);
	cr_assert_eq(tot.bytes, sizeof(data));
	cr_assert_eq(tot.read, sizeof(data));
	cr_assert_eq(lh_replay_check(rp, "f.xz", &err), LH_OK);
	lh_replay_free(rp);
}

Test(replay, decoded_copy_dropped)
{
	struct lh_replay_totals tot;
	struct lh_replay *rp;
	int64_t mtime;
	int fd, depth;

	fill();
	/* not read to its end */
	rp = record(1 << 20, 0, sizeof(data) / 2);
	cr_assert_null(lh_replay_open(rp, "f.xz", &mtime, &fd, &depth));
	lh_replay_free(rp);
	/* over the budget */
	rp = record(sizeof(data) - 1, 0, sizeof(data) + 1);
	cr_assert_null(lh_replay_open(rp, "f.xz", &mtime, &fd, &depth));
	lh_replay_totals(rp, &tot);
	cr_assert_eq(tot.copies, 0);
	cr_assert_eq(tot.over, 1);
	lh_replay_free(rp);
	/* no budget: none is made */
	rp = record(0, 0, sizeof(data) + 1);
	cr_assert_null(lh_replay_open(rp, "f.xz", &mtime, &fd, &depth));
	lh_replay_free(rp);
}

Test(replay, tee_end_reads_a_short_rest)
{
	struct lh_test_mem m = { data, sizeof(data), 0, 0, 0 };
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 }, *t, *s;
	static char buf[sizeof(data)];
	struct lh_replay *rp = lh_replay_create(NULL);
	struct lh_err err;
	char scratch[512];
	int64_t mtime;
	int fd, depth;
	size_t got;

	fill();
	lh_replay_set_budget(rp, 1 << 20);
	t = lh_replay_tee_decoded(rp, "f.xz", 0, &below);
	cr_assert_eq(lh_stream_read(t, buf, sizeof(data) - 1000, &got, &err),
	    LH_OK);
	lh_replay_tee_end(t, 4096, scratch, sizeof(scratch));
	lh_stream_free(t);
	lh_replay_seal(rp);
	s = lh_replay_open(rp, "f.xz", &mtime, &fd, &depth);
	cr_assert_not_null(s);
	cr_assert_eq(drain(s, buf, sizeof(buf), &got, &err), LH_OK);
	cr_assert_eq(got, sizeof(data));
	lh_stream_free(s);
	lh_replay_free(rp);
}
