/*
 * timeline_test.c: ordering and folding of matches (SPEC §6).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/event.h"
#include "core/match.h"
#include "core/status.h"
#include "core/timeline.h"
#include "tests/unit/match_fixture.h"
#include "core/time.h"

static struct lh_match *
mk(int rule, const char *host, const char *msg, int64_t ts, int64_t prec,
    const char *path, uint64_t line)
{
	return fixture_match(rule, host, msg, ts, prec, 0, path, line);
}

static struct lh_timeline *
tl_of(struct lh_match **m, size_t n)
{
	struct lh_timeline *tl = lh_timeline_create();
	size_t i;

	for (i = 0; i < n; i++)
		lh_timeline_add(tl, m[i]);
	cr_assert_eq(lh_timeline_finish(tl), 0);
	return tl;
}

Test(timeline, same_event_in_two_files_is_one_alert)
{
	int64_t t = 1767225598LL * LH_US;
	struct lh_match *m[] = {
		mk(0, "web01", "[ 1.5] sshd[1]: segfault", t, LH_US,
		    "syslog", 4),
		mk(0, "web01", "sshd[1]: segfault", t + 123456, 1,
		    "export", 9),
	};
	struct lh_timeline *tl = tl_of(m, 2);
	const struct lh_match *a;

	cr_assert_eq(lh_timeline_count(tl), 1);
	a = lh_timeline_get(tl, 0);
	cr_assert_eq(a->nsrc, 2);
	cr_assert_str_eq(a->src[0].path, "export");
	cr_assert_str_eq(a->src[1].path, "syslog");
	/* the most precise time is kept */
	cr_assert_eq(a->ts, t + 123456);
	lh_timeline_free(tl);
}

Test(timeline, identical_lines_in_one_file_stay_apart)
{
	int64_t t = 1767225598LL * LH_US;
	struct lh_match *m[] = {
		mk(-1, "h", "Failed password for root", t, LH_US, "auth.log", 1),
		mk(-1, "h", "Failed password for root", t, LH_US, "auth.log", 2),
		mk(-1, "h", "Failed password for root", t, LH_US, "syslog", 7),
		mk(-1, "h", "Failed password for root", t, LH_US, "syslog", 8),
	};
	struct lh_timeline *tl = tl_of(m, 4);

	cr_assert_eq(lh_timeline_count(tl), 2);
	cr_assert_eq(lh_timeline_get(tl, 0)->nsrc, 2);
	cr_assert_eq(lh_timeline_get(tl, 1)->nsrc, 2);
	lh_timeline_free(tl);
}

Test(timeline, a_member_stored_twice_is_one_source)
{
	int64_t t = 1767225598LL * LH_US;
	struct lh_match *m[] = {
		mk(0, "h", "x segfault", t, LH_US, "a.cpio!kern.log", 3),
		mk(0, "h", "x segfault", t, LH_US, "a.cpio!kern.log", 3),
	};
	struct lh_timeline *tl = tl_of(m, 2);

	cr_assert_eq(lh_timeline_count(tl), 1);
	cr_assert_eq(lh_timeline_get(tl, 0)->nsrc, 1);
	lh_timeline_free(tl);
}

Test(timeline, times_must_agree_at_the_coarser_precision)
{
	int64_t t = 1767225598LL * LH_US;
	struct lh_match *m[] = {
		mk(0, "h", "m", t, LH_US, "a", 1),
		mk(0, "h", "m", t + LH_US + 5, 1, "b", 1),	/* next second */
		mk(1, "h", "m", t, LH_US, "c", 1),		/* other rule */
		mk(0, "g", "m", t, LH_US, "d", 1),		/* other host */
	};
	struct lh_timeline *tl = tl_of(m, 4);

	cr_assert_eq(lh_timeline_count(tl), 4);
	lh_timeline_free(tl);
}

Test(timeline, order_is_time_then_host_and_boot_relative_last)
{
	int64_t t = 1767225598LL * LH_US;
	struct lh_match *m[] = {
		mk(0, "b", "m1", t, LH_US, "x", 1),
		mk(0, "a", "m2", t, LH_US, "y", 1),
		mk(0, "a", "m3", t - LH_US, LH_US, "z", 1),
		mk(0, "a", "m4", 5 * LH_US, 1, "w", 1),
	};
	struct lh_timeline *tl;

	m[3]->ts_flags |= LH_TS_BOOT;
	tl = tl_of(m, 4);
	cr_assert_str_eq(lh_timeline_get(tl, 0)->message, "m3");
	cr_assert_str_eq(lh_timeline_get(tl, 1)->message, "m2");
	cr_assert_str_eq(lh_timeline_get(tl, 2)->message, "m1");
	cr_assert_str_eq(lh_timeline_get(tl, 3)->message, "m4");
	lh_timeline_free(tl);
}

/*
 * The --state file stores lh_match_ident() with the rule id as key: it
 * must stay the hash it always was (FNV-1a of rule id, NUL, host, NUL,
 * message without dmesg stamp), or every stored alert comes back as new.
 */
Test(timeline, state_identity_is_stable)
{
	static const char id[] = "01e244f0-fef9-4102-903f-9788052b2c91";
	struct lh_match *m = mk(3, "web01", "[ 1.5] sshd[1]: segfault", 0,
	    LH_US, "syslog", 1);
	uint64_t h = LH_FNV_SEED;

	h = lh_fnv64(h, id, sizeof(id));
	h = lh_fnv64(h, "web01", 6);
	h = lh_fnv64(h, "sshd[1]: segfault", 17);
	cr_assert_eq(lh_match_ident(m, id, sizeof(id)), h);
	lh_match_free(m);
}

Test(timeline, same_time_at_the_coarser_precision)
{
	cr_assert(lh_match_same_time(1999999, 1, 1000000, LH_US));
	cr_assert(!lh_match_same_time(2000000, 1, 1000000, LH_US));
	cr_assert(lh_match_same_time(-1, 1, -1000000, LH_US));
	cr_assert(!lh_match_same_time(LH_TS_NONE, 1, 0, 1));
	cr_assert(lh_match_same_time(LH_TS_NONE, 1, LH_TS_NONE, LH_US));
}

/* Whether a timeline may hold boot-relative matches, through a move. */
Test(timeline, knows_when_nothing_is_boot_relative)
{
	struct lh_timeline *a = lh_timeline_create(), *b = lh_timeline_create();

	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert(!lh_timeline_may_have_boot(a));
	cr_assert_eq(lh_timeline_add(a, fixture_match(0, "h", "m", 5, 1, 0,
	    "f", 1)), LH_OK);
	cr_assert(!lh_timeline_may_have_boot(a));
	cr_assert_eq(lh_timeline_add(b, fixture_match(0, "h", "m", 5, 1, 1,
	    "f", 2)), LH_OK);
	cr_assert(lh_timeline_may_have_boot(b));
	cr_assert_eq(lh_timeline_move(a, b), LH_OK);
	cr_assert(lh_timeline_may_have_boot(a));
	cr_assert(!lh_timeline_may_have_boot(b), "b is empty");
	cr_assert_eq(lh_timeline_count(a), 2);
	lh_timeline_free(a);
	lh_timeline_free(b);
}
