/*
 * time.h: civil time arithmetic, zones and the timestamp forms of logs.
 *
 * All times are int64 microseconds since the epoch, UTC, unless a name says
 * seconds.  Nothing here touches the C library's zone (the TZ variable,
 * localtime_r(3)): fixed offsets and UTC are pure arithmetic, and a named
 * zone (--tz Europe/Berlin) is a struct lh_zone (core/tz.h) parsed from the
 * zone file that cli/runtime.c reads.
 */
#ifndef LH_TIME_H
#define LH_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define LH_US 1000000LL

struct lh_zone;

struct lh_tz {
	const struct lh_zone *zone;	/* borrowed: a named zone, or NULL */
	long offset;		/* seconds east of UTC when zone is NULL */
	char name[64];		/* as given, for messages */
};

/*
 * What lh_time_syslog_memo and lh_time_parse_iso_memo keep from one call
 * to the next, for a caller that reads many stamps in a row (the lines of
 * a file): the work of the stamp before that a stamp would repeat.  Owned
 * by the caller, zeroed before the first use, one per thread; the results
 * are those of the calls without it.
 */
struct lh_time_memo {
	int have_day;		/* lh_time_syslog_memo: set */
	int mon, day, year, ref_year;	/* for these arguments */
	int64_t ref;
	int y;			/* the year before any step back */
	int64_t days;		/* lh_days_from_civil(y, mon, day) */
	int have_back, yb;	/* the year before that has the day */
	int64_t daysb;		/* and its day number */
	int have_iso;		/* lh_time_parse_iso_memo: set */
	char iso[16];		/* "YYYY-MM-DDThh:mm" of the common form */
	int64_t iso_secs;	/* its seconds since the epoch (UTC) */
};

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t lh_days_from_civil(int64_t y, int m, int d);
/* The inverse: fills y, m (1..12), d. */
void lh_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* The number of days of month m (1..12) of the proleptic Gregorian year y. */
int lh_days_in_month(int64_t y, int m);

/*
 * Parses a fixed zone: "UTC", "Z", "GMT", "Etc/UTC", "+02:00", "-0500",
 * "+2".  LH_OK, or LH_FAIL with err ("unknown time zone 'S'") for anything
 * else: a zone name is read by the caller and set with lh_tz_named().
 */
int lh_tz_parse(const char *s, struct lh_tz *tz, struct lh_err *err);
/*
 * Makes tz the named zone (name is copied for messages).  Borrows zone,
 * which must stay valid as long as tz and its copies are used.
 */
void lh_tz_named(struct lh_tz *tz, const char *name,
    const struct lh_zone *zone);
/* UTC (the default zone). */
void lh_tz_utc(struct lh_tz *tz);
/*
 * Converts a wall-clock time in tz, given as seconds since the epoch as if
 * it were UTC, to real UTC seconds.  A local time that occurs twice (the
 * repeated hour of an autumn change) or never (the skipped hour of a
 * spring change) gets what the former mktime-free localtime_r(3) code
 * gave: the offset at the local time taken as UTC, corrected once with
 * the offset at that guess.  Pure and thread-safe.
 */
int64_t lh_tz_to_utc(const struct lh_tz *tz, int64_t local);

/*
 * Formats us as RFC 3339 UTC with microseconds into out (at least 32 bytes):
 * 2026-01-01T00:00:03.000000Z.  Returns the length.
 */
size_t lh_time_format(int64_t us, char *out);

/*
 * Parses an ISO 8601 / RFC 3339 timestamp at the start of s (n bytes):
 * YYYY-MM-DD[T ]HH:MM[:SS[(.|,)frac]][Z|(+|-)HH[:MM]|(+|-)HHMM].
 * A stamp without a zone is taken in tz.  On success stores the time in
 * *us, its precision in *prec (µs: 1000000 for whole seconds, 1000 for
 * milliseconds...), the bytes used in *used, and returns LH_OK; otherwise
 * LH_WARN and nothing is stored.  A date alone (YYYY-MM-DD) is accepted
 * when allow_date is set and means midnight.
 */
int lh_time_parse_iso(const char *s, size_t n, const struct lh_tz *tz,
    int allow_date, int64_t *us, int64_t *prec, size_t *used);
/* The same with m (borrowed, may be NULL; see struct lh_time_memo). */
int lh_time_parse_iso_memo(const char *s, size_t n, const struct lh_tz *tz,
    int allow_date, int64_t *us, int64_t *prec, size_t *used,
    struct lh_time_memo *m);

/*
 * Month number (1..12) of the English abbreviation at s ("Jan".."Dec"),
 * or 0.  Reads 3 bytes.
 */
int lh_month3(const char *s);

/*
 * The UTC time of an RFC 3164 stamp that has no year: month, day and time
 * of day in tz.  ref is the reference time (µs UTC: the file's mtime or a
 * Filebeat read time).  The year is ref's, unless that puts the stamp more
 * than a day after ref, in which case it is the year before (a December
 * line in a file last written in January).  year > 0 forces the year.
 * *year_used receives the year chosen.  ref_year is ref's own year when
 * the caller has it (lh_time_year_of), else 0: it is the same for every
 * line of a file, and working it out is a third of the cost.
 */
int64_t lh_time_syslog(int mon, int day, int hh, int mm, int ss, int64_t frac_us,
    const struct lh_tz *tz, int64_t ref, int ref_year, int year,
    int *year_used);
/* The same with m (borrowed, may be NULL; see struct lh_time_memo). */
int64_t lh_time_syslog_memo(int mon, int day, int hh, int mm, int ss,
    int64_t frac_us, const struct lh_tz *tz, int64_t ref, int ref_year,
    int year, int *year_used, struct lh_time_memo *m);
/* The year (UTC) of the µs time ref. */
int lh_time_year_of(int64_t ref);

#endif
