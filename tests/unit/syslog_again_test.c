/*
 * syslog_again_test.c: the lines whose time lh_syslog_header_time takes
 * from the day or date of a line before (formats/syslog_memo.c) against
 * the same lines read without a memo, in every context of syslog_gen.h:
 * files of tricky neighbours (a host one byte apart, seconds out of
 * order, the year stepping back, DST changes, leap seconds, RFC 5424
 * headers that differ after the stamp, ISO stamps, continuation and
 * kernel lines), read in order with one memo as a file's lines are.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/syslog_header.h"
#include "formats/syslog_memo.h"
#include "tests/unit/syslog_gen.h"

static const char *const file3164[] = {
	"Jan  5 00:00:07 web01 CRON[39730]: (postgres) CMD (x)",
	"Jan  5 00:00:19 web01 dhclient[38987]: DHCPREQUEST",
	"Jan  5 00:00:03 web01 sshd[1]: seconds out of order",
	"Jan  5 00:00:19 web02 sshd[1]: host one byte apart",
	"Jan  5 00:00:19 web0 sshd[1]: host one byte shorter",
	"Jan  5 00:00:19 web01x sshd[1]: host one byte longer",
	"Jan  5 00:00:19 web_1 sshd[1]: no host",
	"Jan  5 00:00:19  sshd[1]: empty host (auth only)",
	"Jan  5 00:00:19 web01 no terminator Jan  6 00:00:00 h t: x",
	"Jan  5 00:00:19 web01 sshd[99999999999999999999]: no long",
	"Jan  5 00:00:19 web01 sshd[9223372036854775807]: a long",
	"Jan  5 00:00:19 web01 kernel: [1230833.540717] usb 1-4: x",
	"  continuation of the line above",
	"\tJan  5 00:00:20 web01 t: a continuation too",
	"Jan  5 00:00:60 web01 t: not a second here",
	"Jan  5 00:01:00 web01 t: next minute",
	"Jan  5 23:59:59 web01 t: last second of the day",
	"Jan  5 24:00:00 web01 t: no hour",
	"Jan  5 00:00:07.5 web01 t: fraction",
	"Jan  5 7:00:07 web01 t: one-digit hour",
	"Jan  6 00:00:00 web01 t: next day",
	"Jan  6 00:00:00 web01 t:\tbare colon",
	"Jan  6 00:00:00 web01 t:no space",
	"Dec 31 23:59:59 web01 t: year end",
	"Jan  1 00:00:00 web01 t: year start",
	"Dec 31 12:00:00 web01 t: back to December",
	"Feb 29 12:00:00 web01 t: leap day",
	"Feb 29 12:00:01 web01 t: leap day again",
	"Feb 30 12:00:00 web01 t: no such day",
	"Feb 30 12:00:01 web01 t: no such day again",
	"Mar 30 01:59:59 web01 t: before the Berlin change",
	"Mar 30 02:30:00 web01 t: the skipped hour in Berlin",
	"Mar 30 03:00:00 web01 t: after it",
	"Mar  9 02:30:00 web01 t: the skipped hour in New York",
	"Oct 26 02:30:00 web01 t: the repeated hour in Berlin",
	"Oct 26 02:59:59 web01 t: its end",
	"Oct 26 03:00:00 web01 t: after it",
	"Nov  2 01:30:00 web01 t: the repeated hour in New York",
	"Jan 10 23:59:59 web01 t: a day after a reference time",
	"Jan 10 00:00:00 web01 t: its start",
	"Jan 11 00:30:00 web01 t: the next",
	"Mar  1 00:00:00 web01 t: March",
	"jan  5 00:00:07 web01 t: lower case month",
	"January  5 00:00:07 web01 t: long month",
	"2026-01-05T00:00:07.123456+00:00 web01 sshd[1]: rsyslog ISO",
	"2026-01-05T00:00:08.123456+00:00 web01 sshd[1]: again",
	"2026-01-05T00:00:07Z web01 sshd[1]: auth ISO",
	"2026-01-05T00:00:07Z web01 a: Jan  5 00:00:07 h t: 3164 later",
	"2026-01-05T00:00:07Z web01 no tag Jan  5 00:00:07 h t: x",
	"2026-01-05T00:00:07Z web01 no tag, Jan  5 00:00:07 untagged",
	"2026-01-05T00:00:07 web01 sshd[1]: local time",
	"2026-03-29T02:30:00 web01 sshd[1]: skipped hour in Berlin",
	"26-01-05T00:00:07Z web01 t: two-digit year",
	"2026-02-30T00:00:07Z web01 t: no such day",
	"2026-01-05T00:00:07Z web01 t: no tag 2026-01-05T00:00:08Z h u: x",
	"2026-01-05T00:00:07Z web01 t[99999999999999999999]: no long",
	"[ 1230833.540717] usb 1-4: dmesg",
	"<13>Jan  5 00:00:07 web01 t: PRI and RFC 3164",
	"Jan  5 00:00:07 web01 t: back to the first day",
	"",
};

static const char *const file5424[] = {
	"<38>1 2026-01-01T00:00:00.048Z edge01 dhclient 51669 - - DHCP",
	"<38>1 2026-01-01T00:00:00.640Z edge03 CRON 14343 - - (bob) CMD",
	"<86>1 2026-01-01T00:00:01.740Z edge02 sshd 26422 - - other PRI",
	"<86>12 2026-01-01T00:00:01Z edge02 sshd 26422 - - version 12",
	"<86>0 2026-01-01T00:00:01Z edge02 sshd 26422 - - version 0",
	"<192>1 2026-01-01T00:00:01Z edge02 sshd 26422 - - PRI 192",
	"<38>1 2026-01-01T00:00:02Z - sshd - - - no host",
	"<38>1 2026-01-01T00:00:03.1234567Z edge01 a 1 - - 7 digits",
	"<38>1 2026-01-01T00:00:03.Z edge01 a 1 - - dot without digits",
	"<38>1 2026-01-01T00:00:60Z edge01 a 1 - - leap second",
	"<38>1 2026-01-01T00:00:61Z edge01 a 1 - - no second",
	"<38>1 2026-01-01T00:00:04+01:00 edge01 a 1 - - offset",
	"<38>1 2026-01-01T00:00:04 edge01 a 1 - - local time",
	"<38>1 2026-01-01T00:00:05z edge01 a 1 - - lower z",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 - [x@1 a=\"]\"] sd",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 - [x@1 a=\"b\"][y] two",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 - [x@1 a=\"b\" no end",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 - -",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 - -x no space",
	"<38>1 2026-01-01T00:00:05Z edge01 "
	    "a234567890123456789012345678901234567890123456789 1 - - app 49",
	"<38>1 2026-01-01T00:00:05Z edge01 "
	    "a23456789012345678901234567890123456789012345678 1 - - app 48",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 "
	    "m23456789012345678901234567890123 - msgid 33",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 "
	    "m2345678901234567890123456789012 - msgid 32",
	"<38>1 2026-01-01T00:00:05Z edge\x01 a 1 - - control byte",
	"<38>1 2026-01-01T00:00:05Z edge01  a 1 - - two spaces",
	"<38>1 2026-01-01T00:00:05Z edge01 a 1 - - \xef\xbb\xbf BOM",
	"<38>1 2026-01-01T23:59:59.999999Z edge01 a 1 - - day end",
	"<38>1 2026-01-01T24:00:00Z edge01 a 1 - - no hour",
	"<38>1 2026-01-01T00:60:00Z edge01 a 1 - - no minute",
	"<38>1 2026-01-02T00:00:00Z edge01 a 1 - - next day",
	"<38>1 2024-02-29T12:00:00Z edge01 a 1 - - leap day",
	"<38>1 2025-02-29T12:00:00Z edge01 a 1 - - no such day",
	"<38>1 2025-02-29T12:00:01Z edge01 a 1 - - no such day again",
	"<38>1 2026-01-01T00:00:00.048Z edge01 dhclient 51669 - - back",
	"<38>1 - edge01 a 1 - - no stamp",
	"  continuation",
	"Jan  5 00:00:07 web01 t: a 3164 line between",
	"<38>1 2026-01-01T00:00:06Z edge01 a 1 - - after it",
};

/* The file's lines in order through a memo context and a plain one. */
static unsigned
read_file(const char *const *lines, size_t nlines,
    const struct lh_syslog_header_ctx *c, struct lh_syslog_memo *memo)
{
	struct lh_syslog_header_ctx m = *c, p = *c;
	const char *hm, *hp;
	size_t i, n, lm, lp;
	int64_t tm, tp;
	int fm, fp, rm, rp;
	unsigned fast = 0;

	m.memo = memo;
	p.memo = NULL;
	for (i = 0; i < nlines; i++) {
		n = strlen(lines[i]);
		if (lh_syslog_again_for(memo, &m) &&
		    ((memo->again == LH_AGAIN_3164 && lines[i][0] != '<' &&
		    lh_syslog_again_stamp(lines[i], n, memo) >= 0) ||
		    (memo->again == LH_AGAIN_5424 &&
		    lh_syslog_again5424(lines[i], n, &m, &tm, &hm, &lm))))
			fast++;
		rm = lh_syslog_header_time(lines[i], n, &m, &tm, &fm, &hm, &lm);
		rp = lh_syslog_header_time(lines[i], n, &p, &tp, &fp, &hp, &lp);
		cr_assert(rm == rp && tm == tp && fm == fp && hm == hp &&
		    lm == lp && m.last_year == p.last_year,
		    "'%s' (auth %d, zone %s, ref %lld, year %d): %d %lld %d "
		    "%zu, without the memo %d %lld %d %zu", lines[i], c->auth,
		    c->tz->name, (long long)c->ref, c->year, rm,
		    (long long)tm, fm, lm, rp, (long long)tp, fp, lp);
	}
	return fast;
}

Test(syslog_again, tricky_neighbours)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	struct lh_syslog_memo memo;
	unsigned i, fast3164 = 0, fast5424 = 0;

	gen_ctxs_init(&g);
	memset(&memo, 0, sizeof(memo));
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		fast3164 += read_file(file3164, sizeof(file3164) /
		    sizeof(file3164[0]), &c, &memo);
		fast5424 += read_file(file5424, sizeof(file5424) /
		    sizeof(file5424[0]), &c, &memo);
	}
	/* both quick paths were taken, often */
	cr_assert_gt(fast3164, GEN_NCTX * 10, "%u", fast3164);
	cr_assert_gt(fast5424, GEN_NCTX / 2 * 10, "%u", fast5424);
	gen_ctxs_free(&g);
}

/* A memo moved to another context is not taken there. */
Test(syslog_again, other_context)
{
	static const char line[] = "Jan  5 00:00:07 web01 t: x";
	struct lh_syslog_header_ctx a, b;
	struct lh_syslog_memo memo;
	struct lh_tz utc, plus2;
	struct lh_err err;
	const char *h;
	size_t hl;
	int64_t ta, tb;
	int f;

	lh_tz_utc(&utc);
	cr_assert_eq(lh_tz_parse("+02:00", &plus2, &err), LH_OK);
	memset(&memo, 0, sizeof(memo));
	memset(&a, 0, sizeof(a));
	a.tz = &utc;
	a.ref = INT64_C(1767592800) * LH_US;
	a.memo = &memo;
	b = a;
	b.tz = &plus2;
	cr_assert(lh_syslog_header_time(line, strlen(line), &a, &ta, &f, &h,
	    &hl));
	cr_assert(lh_syslog_again_for(&memo, &a));
	cr_assert(!lh_syslog_again_for(&memo, &b));
	cr_assert(lh_syslog_header_time(line, strlen(line), &b, &tb, &f, &h,
	    &hl));
	cr_assert_eq(ta - tb, 2 * 3600 * LH_US);
	/* the same zone struct, changed in place */
	a.memo = b.memo = NULL;
	cr_assert(lh_syslog_header_time(line, strlen(line), &b, &tb, &f, &h,
	    &hl));
	b.memo = &memo;
	plus2.offset = 3600;
	cr_assert(!lh_syslog_again_for(&memo, &b));
	cr_assert(lh_syslog_header_time(line, strlen(line), &b, &ta, &f, &h,
	    &hl));
	cr_assert_eq(ta - tb, 3600 * LH_US);
}
