/*
 * syslog_stamp.h: the timestamps of syslog headers, part of the shared
 * syslog_header module (only that module's files include this).
 *
 * DESIGN
 * Each stamp kind is scanned by a function that accepts exactly what its
 * grok definition accepts (elastic/elasticsearch libs/grok/src/main/
 * resources/patterns/legacy/grok-patterns) when it is followed by the
 * space every syslog pattern wants next; the comments in syslog_stamp.c
 * give the regex.  Scanners take (s, n) and never read s[n].  A stamp is
 * read into its pieces first and turned into a time separately, since the
 * grok decides between candidate stamps before the date step runs.  Pure
 * functions; thread-safe.
 */
#ifndef LH_SYSLOG_STAMP_H
#define LH_SYSLOG_STAMP_H

#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "formats/syslog_header.h"

/*
 * The pieces of a stamp.  year is 0 for an RFC 3164 stamp (it has none),
 * -1 for a two-digit ISO year.
 */
struct lh_syslog_stamp {
	int year, mon, day, hh, mi, ss;
	int64_t frac, prec;
	int zone;		/* off holds the stamp's own offset */
	long off;
	size_t end;		/* index of the space after the stamp */
};

/*
 * SYSLOGTIMESTAMP ("Jan  2 03:04:05") at s[i] (s is n bytes), followed by a
 * space.  1 with *st filled, else 0.  Borrows s.
 */
int lh_syslog_stamp_rfc3164(const char *s, size_t n, size_t i,
    struct lh_syslog_stamp *st);

/*
 * lh_syslog_stamp_rfc3164 at the start of s, with m (borrowed, may be
 * NULL): the date and minute of a stamp of the common shape are kept, and
 * a stamp with the same bytes for them is not read again.
 */
int lh_syslog_stamp_lead(const char *s, size_t n, struct lh_syslog_memo *m,
    struct lh_syslog_stamp *st);

/*
 * TIMESTAMP_ISO8601 ("2024-01-02T03:04:05.678+01:00") at s[i], followed by
 * a space.  1 with *st filled, else 0.  Borrows s.
 */
int lh_syslog_stamp_iso(const char *s, size_t n, size_t i,
    struct lh_syslog_stamp *st);

/*
 * The time of st as the pipeline's date step reads it: an RFC 3164 stamp
 * gets its year from ctx (and LH_TS_YEAR in *flags unless ctx->year forces
 * it; ctx->last_year is updated), an ISO stamp without a zone is in ctx->tz
 * (UTC when NULL).  A date that does not exist, or a two-digit year, leaves
 * *ts, *prec and *flags untouched.
 */
void lh_syslog_stamp_time(const struct lh_syslog_stamp *st,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int64_t *prec,
    int *flags);

/*
 * A dmesg -T stamp "[Sat Oct  9 12:17:39 2021]" at the start of s (local
 * time in tz): its length up to and with the ']' and *us, or 0 when s does
 * not start with one.  Borrows s and tz.
 */
size_t lh_syslog_stamp_ctime(const char *s, size_t n, const struct lh_tz *tz,
    int64_t *us);

#endif
