/*
 * match_fixture.h: a match made from a few fields, for the unit tests of
 * the timeline and the fold (one definition for both).
 */
#ifndef LH_MATCH_FIXTURE_H
#define LH_MATCH_FIXTURE_H

#include <criterion/criterion.h>

#include "core/event.h"
#include "core/match.h"

/*
 * An owned match (free with lh_match_free) of rule for an event of host
 * (NULL: none) with message msg at ts (precision prec, boot-relative when
 * boot) read from path at line.
 */
static inline struct lh_match *
fixture_match(int rule, const char *host, const char *msg, int64_t ts,
    int64_t prec, int boot, const char *path, uint64_t line)
{
	struct lh_event ev;
	struct lh_match *m;

	lh_event_init(&ev);
	ev.ts = ts;
	ev.ts_prec = prec;
	ev.ts_flags = boot ? LH_TS_BOOT : 0;
	ev.line = line;
	if (host != NULL)
		lh_event_adds(&ev, LH_F_HOSTNAME, host);
	lh_event_adds(&ev, LH_F_MESSAGE, msg);
	m = lh_match_create(&ev, rule, "", path);
	lh_event_free(&ev);
	cr_assert_not_null(m);
	return m;
}

#endif
