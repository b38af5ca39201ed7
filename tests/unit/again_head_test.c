/*
 * again_head_test.c: the whole-head shortcuts of the syslog memo
 * (formats/syslog_memo.c: lh_syslog_again_head for RFC 3164 lines, the
 * 64-byte classification of RFC 5424 lines, lh_syslog_iso_lead for ISO
 * 8601 stamps) against the same lines read
 * without a memo: generated files whose lines repeat the head of the line
 * before but for one piece (seconds, fraction, host, app, msgid,
 * structured data, a byte at the edge of the 32 or 64 bytes compared), in
 * every context of syslog_gen.h.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/syslog_header.h"
#include "formats/syslog_memo.h"
#include "tests/unit/syslog_gen.h"

#define NLINES 600

/* One of the pieces, or a long run of c (a field that ends late). */
static const char *
piece(const char *const *v, size_t nv, char *run, size_t cap, char c)
{
	size_t k;

	if (gen_pick(16) != 0)
		return gen_pick(4) != 0 ? v[0] : v[gen_pick((unsigned)nv)];
	k = 1 + gen_pick((unsigned)cap - 1);
	memset(run, c, k);
	run[k] = '\0';
	return run;
}

/* Mostly the first of a (what the line before had), sometimes any. */
#define OFTEN(a) (gen_pick(4) != 0 ? (a)[0] : GEN_ONE(a))

#define PIECE(v, run, c) piece((v), sizeof(v) / sizeof((v)[0]), (run), \
	sizeof(run), (c))

/* An RFC 5424 line much like the one before. */
static void
line5424(char *out, size_t cap)
{
	static const char *const pri[] = { "<38>1 ", "<38>1 ", "<4>1 ",
		"<191>99 ", "<192>1 ", "<38>0 ", "<38>1  " };
	static const char *const min[] = { "00:00:", "00:00:", "00:01:",
		"23:59:", "24:00:", "00:60:", "00:0a:" };
	static const char *const ss[] = { "00", "07", "59", "60", "61", "5",
		"0x" };
	static const char *const frac[] = { "", ".048", ".048", ".1",
		".123456", ".1234567", ".", ".12a" };
	static const char *const z[] = { "Z ", "Z ", "Z ", "z ", "Z",
		"+00:00 ", "Z  " };
	static const char *const host[] = { "edge01", "edge01", "-", "e",
		"edge\001", "ed ge", "" };
	static const char *const app[] = { "sshd", "dhclient", "-", "a",
		"" };
	static const char *const field[] = { "51669", "-", "1", "ID47",
		"" };
	static const char *const sd[] = { "- ", "- ", "-", "-x ",
		"[x@1 a=\"]\"] ", "[y] ", "[z" };
	char rf[80], rh[80], ra[70], rp[140], rm[50];

	snprintf(out, cap, "%s2026-01-01T%s%s%s%s%s %s %s %s %s%s", OFTEN(pri),
	    OFTEN(min), GEN_ONE(ss), PIECE(frac, rf, '7'), OFTEN(z),
	    PIECE(host, rh, 'h'), PIECE(app, ra, 'a'), PIECE(field, rp, '9'),
	    PIECE(field, rm, 'm'), OFTEN(sd),
	    "a message long enough for the 64 bytes after the minute");
}

/* An RFC 3164 line much like the one before. */
static void
line3164(char *out, size_t cap)
{
	static const char *const day[] = { "Jan  5 ", "Jan  5 ", "Jan  6 ",
		"jan  5 " };
	static const char *const min[] = { "00:00:", "00:00:", "00:01:",
		"23:59:", "24:00:", "00:60:" };
	static const char *const ss[] = { "00", "07", "59", "60", "5x",
		"7" };
	static const char *const host[] = { "web01", "web01", "web02",
		"web0", "web_1", "", "w23456789012345", "w234567890123456",
		"w2345678901234" };
	static const char *const tag[] = { "sshd[1]: x", "CRON[39730]: x",
		"t: x", "t:\tx", "t:x", "no terminator",
		"t[99999999999999999999]: no long", "t[0]: x", "" };
	static const char *const pad[] = { "", "", " padding to 32 bytes",
		"1" };

	snprintf(out, cap, "%s%s%s %s %s%s", OFTEN(day), OFTEN(min),
	    GEN_ONE(ss), OFTEN(host), OFTEN(tag), GEN_ONE(pad));
}

/* An ISO 8601 line (rsyslog's format) much like the one before. */
static void
line_iso(char *out, size_t cap)
{
	static const char *const head[] = { "2026-01-05T00:00:",
		"2026-01-05T00:00:", "2026-01-05 00:00:", "2026-01-05T00:01:",
		"2026-02-30T00:00:", "26-01-05T00:00:", "2026-1-05T00:00:",
		"2026-1-5T1020:", "2026-01-05T24:00:", "0999-01-05T00:00:" };
	static const char *const ss[] = { "00", "07", "59", "60", "61", "5",
		"5x" };
	static const char *const frac[] = { ".433403", ".433403", ".1",
		",5", ":7", ".1234567", ".", "", ".12x" };
	static const char *const zone[] = { "+00:00", "+00:00", "Z", "",
		"+0000", "-05:30", "+5:30", "+24:00", "+00:60", "z",
		"+00:00x" };
	static const char *const tail[] = { " web04 sshd[1]: x",
		" web04 kernel: [UFW BLOCK] IN=eth0", " web04 no tag",
		" web04 a: Jan  5 00:00:07 h t: 3164 later", "" };

	snprintf(out, cap, "%s%s%s%s%s", OFTEN(head), GEN_ONE(ss),
	    OFTEN(frac), OFTEN(zone), OFTEN(tail));
}

/* A line through the memo's context m and the plain one p: the same. */
static void
same_line(const char *line, struct lh_syslog_header_ctx *m,
    struct lh_syslog_header_ctx *p)
{
	size_t n = strlen(line), lm, lp;
	const char *hm, *hp;
	int64_t tm, tp;
	int fm, fp, rm, rp;

	rm = lh_syslog_header_time(line, n, m, &tm, &fm, &hm, &lm);
	rp = lh_syslog_header_time(line, n, p, &tp, &fp, &hp, &lp);
	cr_assert(rm == rp && tm == tp && fm == fp && hm == hp && lm == lp &&
	    m->last_year == p->last_year,
	    "'%s' (auth %d, zone %s, ref %lld, year %d): %d %lld %d %zu, "
	    "without the memo %d %lld %d %zu", line, m->auth, m->tz->name,
	    (long long)m->ref, m->year, rm, (long long)tm, fm, lm, rp,
	    (long long)tp, fp, lp);
}

/* A generated file of a kind (0 3164, 1 5424, 2 ISO): the shortcuts taken. */
static unsigned
read_gen(const struct lh_syslog_header_ctx *c, int kind, uint64_t seed)
{
	struct lh_syslog_header_ctx m = *c, p = *c;
	struct lh_syslog_memo memo;
	char line[1024];
	unsigned i, fast = 0;
	size_t hl;

	memset(&memo, 0, sizeof(memo));
	m.memo = &memo;
	p.memo = NULL;
	gen_seed(seed);
	for (i = 0; i < NLINES; i++) {
		if (kind == 1)
			line5424(line, sizeof(line));
		else if (kind == 2)
			line_iso(line, sizeof(line));
		else
			line3164(line, sizeof(line));
		if (lh_syslog_again_for(&memo, &m) && ((memo.again ==
		    LH_AGAIN_3164 && lh_syslog_again_head(line, strlen(line),
		    &memo, &hl) >= 0) || (memo.again == LH_AGAIN_5424 &&
		    memo.plen > 0)))
			fast++;
		if (kind == 2 && memo.ilen > 0 && strncmp(line, memo.ipre,
		    16) == 0)
			fast++;
		same_line(line, &m, &p);
	}
	return fast;
}

Test(again_head, generated_files)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	unsigned i, fast3164 = 0, fast5424 = 0, fastiso = 0;

	gen_ctxs_init(&g);
	for (i = 0; i < GEN_NCTX; i += 7) {
		gen_ctx(&g, i, &c);
		fast3164 += read_gen(&c, 0, i);
		if (!c.auth)
			fast5424 += read_gen(&c, 1, i);
		fastiso += read_gen(&c, 2, i);
	}
	/* the shortcuts were taken, often */
	cr_assert_gt(fast3164, GEN_NCTX / 7 * NLINES / 10, "%u", fast3164);
	cr_assert_gt(fast5424, GEN_NCTX / 14 * NLINES / 4, "%u", fast5424);
	cr_assert_gt(fastiso, GEN_NCTX / 7 * NLINES / 4, "%u", fastiso);
	gen_ctxs_free(&g);
}

/* Lines at the edges of the bytes compared and classified. */
static const char *const edges3164[] = {
	"Jan  5 00:00:08 w23456789012345 t: again",
	"Jan  5 00:00:09 w23456789012345 t:",
	"Jan  5 00:00:09 w23456789012345 t",
	"Jan  5 00:00:09 w23456789012345 ",
	"Jan  5 00:00:09 w23456789012345",
	"Jan  5 00:00:09 w2345678901234x t: one byte apart",
	"Jan  5 00:00:09 w23456789012345x t: one byte longer",
	"Jan  5 00:00:09 w2345678901234 t: one byte shorter",
	"Jan  5 00:00:60 w23456789012345 t: no second",
	"Jan  5 00:00:61 w23456789012345 t: no second",
	"Jan  5 00:00:70 w23456789012345 t: no second",
	"Jan  5 00:00:0x w23456789012345 t: no second",
	"Jan  5 00:01:09 w23456789012345 t: next minute",
	"Jan  5 00:00:09 web01 t: a short host",
	"Jan  5 00:00:10 web01 t",
	"Jan  5 00:00:10 web01 t: 31 bytes",
	"Jan  5 00:00:10 web01 t: 32 bytes.",
	"Jan  5 00:00:11 w23456789012345 t[9223372036854775808]: no long",
	"Jan  5 00:00:11 w23456789012345 t[9223372036854775807]: a long",
	"Jan  5 00:00:11 w23456789012345 t[0]: no pid",
	"Jan  5 00:00:11 w23456789012345 no tag at all in this line",
	"Jan  5 00:00:11 w23456789012345 t:\tbare colon",
};

static const char *const edges5424[] = {
	"<38>1 2026-01-01T00:00:01.048Z edge01 dhclient 51669 - - "
	    "DHCPREQUEST for 10.0.8.8 on eth0 to",
	"<38>1 2026-01-01T00:00:02.048Z edge01 dhclient 51669 - - "
	    "DHCPREQUEST for 10.0.8.8 on eth0 to 1",
	"<4>1 2026-01-01T00:00:02.048Z edge01 dhclient 51669 - - "
	    "DHCPREQUEST for 10.0.8.8 on eth0 to 10.0.0.1",
	"<38>1 2026-01-01T00:00:03.0480000000000000000000000000000000"
	    "0000000000000000000000000000000Z h a 1 - - long fraction",
	"<38>1 2026-01-01T00:00:03.048Z "
	    "h23456789012345678901234567890123456789012345678901234 "
	    "a 1 - - a host to the edge",
	"<38>1 2026-01-01T00:00:03.048Z "
	    "h234567890123456789012345678901234567890123456789012345 "
	    "a 1 - -x a host that ends at the last byte, a bad tail",
	"<38>1 2026-01-01T00:00:03.048Z "
	    "h234567890123456789012345678901234567890123456789012345 "
	    "a 1 - - a host that ends at the last byte",
	"<38>1 2026-01-01T00:00:03.048Z "
	    "h2345678901234567890123456789012345678901234567890123456 "
	    "a 1 - - a host that ends past the last byte",
	"<38>1 2026-01-01T00:00:03Z "
	    "h23456789012345678901234567890123456789012345678901 "
	    "a 1 - - a host, the structured data at the edge",
	"<38>1 2026-01-01T00:00:03Z "
	    "h234567890123456789012345678901234567890123456789012 "
	    "a 1 - - a host, the structured data past the edge",
	"<38>1 2026-01-01T00:00:03Z h "
	    "a23456789012345678901234567890123456789012345678 1 - - "
	    "app 48",
	"<38>1 2026-01-01T00:00:03Z h "
	    "a234567890123456789012345678901234567890123456789 1 - - "
	    "app 49",
	"<38>1 2026-01-01T00:00:03Z h a 1 "
	    "m2345678901234567890123456789012 - msgid 32 and more bytes",
	"<38>1 2026-01-01T00:00:03Z h a 1 "
	    "m23456789012345678901234567890123 - msgid 33 and more bytes",
	"<38>1 2026-01-01T00:00:03.048Z h a 1 m "
	    "[x@1 a=\"b\"] structured data and more bytes after it",
	"<38>1 2026-01-01T00:00:03.048Z h a 1 m -x no space after "
	    "the structured data",
	"<38>1 2026-01-01T00:00:03.048Z h a 1 m - \xef\xbb\xbf BOM and "
	    "more bytes after it",
	"<38>1 2026-01-01T00:00:04Z edge01 dhclient 51669 - - no "
	    "fraction and more bytes after it to fill 64",
	"<38>1 2026-01-01T00:00:04.Z edge01 dhclient 51669 - - a dot "
	    "and more bytes after it to fill 64",
	"<38>1 2026-01-01T00:00:04.1234567Z edge01 dhclient 51669 - - "
	    "seven digits and more bytes after it",
	"<38>1 2026-01-01T00:00:04.123456Z edge01 dhclient 51669 - - "
	    "six digits and more bytes after it",
	"<38>1 2026-01-01T00:00:04.12345Z edge01 dhclient 51669 - - "
	    "five digits and more bytes after it",
	"<38>1 2026-01-01T00:00:60.5Z edge01 dhclient 51669 - - leap "
	    "second and more bytes after it to fill",
	"<38>1 2026-01-01T00:00:61Z edge01 dhclient 51669 - - no "
	    "second and more bytes after it to fill 64",
	"<38>1 2026-01-01T00:00:04Z edge01 dhclient 51669 - - short",
};

static const char *const edges_iso[] = {
	"2026-01-05T00:00:08.433403+00:00 web04 sshd[1]: again",
	"2026-01-05T00:00:60.433403+00:00 web04 sshd[1]: leap second",
	"2026-01-05T00:00:61.433403+00:00 web04 sshd[1]: no second",
	"2026-01-05T00:00:7.433403+00:00 web04 sshd[1]: one digit",
	"2026-01-05T00:00:08.4334031+00:00 web04 sshd[1]: seven digits",
	"2026-01-05T00:00:08.43340+00:00 web04 sshd[1]: five digits",
	"2026-01-05T00:00:08,433403+00:00 web04 sshd[1]: a comma",
	"2026-01-05T00:00:08x433403+00:00 web04 sshd[1]: no separator",
	"2026-01-05T00:00:08.433403+00:01 web04 sshd[1]: another zone",
	"2026-01-05T00:00:08.433403+00:00x web04 sshd[1]: after the zone",
	"2026-01-05T00:00:08.433403+00:00",
	"2026-01-05T00:00:08.433403+00:0",
	"2026-01-05T00:00:08.433403Z web04 sshd[1]: Z",
	"2026-01-05T00:00:08.433403 web04 sshd[1]: no zone",
	"2026-01-05T00:01:08.433403+00:00 web04 sshd[1]: next minute",
	"2026-01-05 00:00:08.433403+00:00 web04 sshd[1]: a space",
	"2026-1-5T1020:07:45 web04 sshd[1]: another layout",
	"2026-1-5T1020:07:12 web04 sshd[1]: another layout",
};

/*
 * Each line after a line the shortcut takes (base) and then again, in
 * context c: the memo holds base's head, then the line's own.
 */
static void
read_edges(const struct lh_syslog_header_ctx *c, const char *base,
    const char *const *lines, size_t nlines)
{
	struct lh_syslog_header_ctx m = *c, p = *c;
	struct lh_syslog_memo memo;
	size_t i;

	memset(&memo, 0, sizeof(memo));
	m.memo = &memo;
	p.memo = NULL;
	for (i = 0; i < nlines; i++) {
		same_line(base, &m, &p);
		same_line(base, &m, &p);
		same_line(lines[i], &m, &p);
		same_line(lines[i], &m, &p);
	}
}

Test(again_head, edges)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	unsigned i;

	gen_ctxs_init(&g);
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		read_edges(&c, "Jan  5 00:00:07 w23456789012345 t: base",
		    edges3164, sizeof(edges3164) / sizeof(edges3164[0]));
		read_edges(&c, "<38>1 2026-01-01T00:00:00Z h a 1 - - the base "
		    "line, long enough for the 64 bytes", edges5424,
		    sizeof(edges5424) / sizeof(edges5424[0]));
		read_edges(&c, "2026-01-05T00:00:07.433403+00:00 web04 "
		    "sshd[1]: base", edges_iso, sizeof(edges_iso) /
		    sizeof(edges_iso[0]));
		/* a layout whose 17th byte is not the seconds' */
		read_edges(&c, "2026-1-5T1020:07:12 web04 sshd[1]: x",
		    edges_iso + 16, 1);
	}
	gen_ctxs_free(&g);
}
