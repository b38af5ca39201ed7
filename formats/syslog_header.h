/*
 * syslog_header.h: the syslog part of the Filebeat system module's ingest
 * pipeline, so that loghunt builds the document Elastic would index.  A
 * module shared by the formats whose records are syslog lines (syslog,
 * and the JSON of Filebeat documents whose message is still the raw line).
 *
 * DESIGN
 * One line in, one ECS event out.  The line kinds are tried in the order
 * the pipeline's grok tries its patterns (filebeat/module/system/syslog/
 * ingest/pipeline.yml), then the kinds the pipeline does not know but
 * evidence holds (RFC 5424, dmesg):
 *   1. SYSLOGTIMESTAMP SYSLOGHOST DATA:process.name([POSINT:pid])?: msg
 *   2. SYSLOGTIMESTAMP msg
 *   3. TIMESTAMP_ISO8601 SYSLOGHOST DATA:process.name([POSINT:pid])?: msg
 *   4. TIMESTAMP_ISO8601 msg
 *   5. <PRI>1 TS HOST APP PROCID MSGID SD MSG            (RFC 5424)
 *   6. [ seconds.micros] msg   and   [Www Mmm dd hh:mm:ss yyyy] msg (dmesg)
 * The auth data stream (auth.log*, secure*) has its own header grok
 * (integrations system auth log.yml), chosen with ctx->auth: anchored at
 * the start, an ISO 8601 or RFC 3164 stamp, an optional "<PRI>VERSION "
 * before it, a host that may be empty ("Feb  9 21:20:08  sshd[1]: x"), and
 * "process[pid]:" followed by any white space, which the message does not
 * keep; then RFC 5424 (its first pattern); nothing else fits.
 * Values point into the line (no copy); the line must stay valid as long as
 * the event.  Thread-safe: the context belongs to the caller.  The
 * timestamps are scanned by syslog_stamp.[ch], the host by syslog_host.[ch].
 * A caller that reads the lines of a file one after the other gives the
 * context a memo (struct lh_syslog_memo): lines of a file mostly repeat
 * the date and minute, and the host, of the line before, and what those
 * bytes gave is then taken again instead of worked out again
 * (tests/unit/quick_header_test.c compares with the code without it).
 */
#ifndef LH_SYSLOG_HEADER_H
#define LH_SYSLOG_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/time.h"

/*
 * What the header code keeps from one line to the next, to skip work that
 * the line before has done when its bytes are the same (a stamp's date and
 * minute, a host; core/time.h's memo for the times): the results are
 * those without it.  Owned by the caller (see lh_syslog_header_ctx.memo),
 * zeroed before the first use, one per thread.
 */
struct lh_syslog_memo {
	struct lh_time_memo time;
	int have_stamp;		/* syslog_stamp.c: an RFC 3164 stamp's */
	char stamp[12];		/* "Mmm dd hh:mm" (of the common shape) */
	int mon, day, hh, mi;	/* and what it reads as */
	size_t hostlen;		/* syslog_host.c: a valid host, or 0 */
	char host[64];
	/*
	 * syslog_memo.c: the minute of a line of a common shape (an RFC
	 * 3164 stamp at the start, or an RFC 5424 header with a UTC stamp),
	 * for lh_syslog_header_time on the lines after it that repeat it.
	 */
	int again;		/* LH_AGAIN_*: what apre is */
	size_t alen;		/* the bytes of apre a line repeats */
	char apre[32];
	const struct lh_tz *atz;	/* the context it was worked out in */
	const struct lh_zone *azone;	/* and what *atz was then */
	long aoff;
	int64_t aref;
	int ayear, aref_year, aauth;
	int amon, aday, ahh, ami;	/* RFC 3164: what apre reads as */
	int affine;		/* RFC 3164: abase + ss s is the time */
	int64_t abase;		/* µs UTC of the minute's second 0 */
	int aflags, alast;	/* RFC 3164: ts flags, ctx->last_year */
	/*
	 * RFC 5424: the stamp of a line taken with apre as it is, up to the
	 * ':' after its minute (ppre[0..plen), plen 17, or 0: none), and
	 * pclk, the minute's hh * 60 + mm.
	 */
	size_t plen;
	char ppre[17];
	int pclk;
	char vpre[2][8];	/* RFC 5424: two "<PRI>VERSION " heads, */
	size_t vlen[2];		/* their lengths (0: none), */
	int vnext;		/* the one to replace next */
	/*
	 * RFC 3164: the first tlen (17 + the host's length, at most 32)
	 * bytes of a line taken with apre as it is, "Mmm dd hh:mm:ss HOST ",
	 * tlen 0: none; tclk, the seconds of hh:mm.
	 */
	size_t tlen;
	char tpre[32];
	int tclk;
	/*
	 * syslog_memo.c: the ISO 8601 stamp at the start of a line and the
	 * space after it (ipre[0..ilen), ilen 0: none), the fraction's
	 * digits at 20 (idig) and where its zone starts (izone), and what
	 * the stamp read as, for lh_syslog_iso_lead on the lines after it.
	 */
	size_t ilen, idig, izone;
	char ipre[40];
	int iyear, imon, iday, ihh, imi, izoned;
	long ioff;
	/*
	 * syslog_memo.c: the head of an ISO 8601 line outside the auth data
	 * stream, its stamp, a space, a valid host and a space (jpre[0..
	 * jlen), jlen 0: none; the host is jhost bytes), for
	 * lh_syslog_iso_head: jvary marks the bytes a line may change (the
	 * seconds and the jdig fraction digits), jbase is the time of the
	 * minute's second 0 (jtime 0: the date has none), worked out in the
	 * zone jtz was (jzone, joff).
	 */
	size_t jlen, jhost, jdig;
	char jpre[48];
	uint64_t jvary;
	int64_t jbase;
	int jtime;
	const struct lh_tz *jtz;
	const struct lh_zone *jzone;
	long joff;
};

struct lh_syslog_header_ctx {
	const struct lh_tz *tz;	/* zone of stamps without one */
	int64_t ref;		/* µs UTC: reference time for the year */
	int year;		/* > 0 forces the year of RFC 3164 stamps */
	int last_year;		/* out: the year of the last RFC 3164 line */
	int auth;		/* 1: the auth data stream's header grok */
	int lazy;		/* no message.yml, no event.kind (lh_parse_opts) */
	int ref_year;		/* lh_time_year_of(ref), or 0: not worked out */
	struct lh_syslog_memo *memo;	/* borrowed, or NULL: none kept */
};

/*
 * Parses line (len bytes, no newline) into ev, which the caller has reset:
 * adds host.hostname, process.name, process.pid, message as the pipeline
 * would, sets ev->ts/ts_prec/ts_flags, and adds the logs-system.syslog-*
 * constants.  Returns LH_OK when a pattern fit, LH_WARN when none did: ev
 * then holds the raw line as message, no process.name and no time (as an
 * Elastic document after the pipeline's on_failure); LH_FATAL when out of
 * memory.  Borrows line (ev's values point into it: valid until the line
 * goes) and ctx (ctx->last_year is updated).
 */
int lh_syslog_header_parse(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_event *ev);
/*
 * The time lh_syslog_header_parse() would give line, without building an
 * event: 1 with *ts and *flags (LH_TS_* of core/event.h) when a pattern fit
 * and dated the line, else 0 (*ts LH_TS_NONE).  *host (*hostlen bytes,
 * pointing into line) is the host.hostname the parse would set, or NULL.
 * Borrows line and ctx.
 */
int lh_syslog_header_time(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int *flags,
    const char **host, size_t *hostlen);

/*
 * Parses only the grok patterns 1-4 (what the pipeline itself does), for
 * Filebeat documents whose message is still the raw line.  Same contract.
 */
int lh_syslog_header_grok(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_event *ev);

/*
 * Confidence 0..100 that text starting at p (n bytes, a window of the
 * file's start) is syslog-family.  Borrows p.
 */
int lh_syslog_header_probe(const char *p, size_t n);

#endif
