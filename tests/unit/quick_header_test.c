/*
 * quick_header_test.c: the quick paths of the syslog header (formats/
 * syslog_time.c: lh_syslog_quick, taken by lh_syslog_header_time() on
 * every line of a text run's first pass and by the parse, and the paths of
 * lines that repeat a minute) against the general code.  This file builds
 * formats/syslog_header.c and syslog_time.c a second time with
 * LH_SYSLOG_GENERAL_ONLY, their functions renamed ref_*, and compares both
 * builds over generated lines (syslog_gen.h) in many contexts: every
 * result, field and time must be the same.  The library's build reads
 * runs of alike lines with a memo (struct lh_syslog_memo) too, which must
 * change nothing either.
 */
#define LH_SYSLOG_GENERAL_ONLY 1
#define lh_syslog_header_parse ref_syslog_header_parse
#define lh_syslog_header_time ref_syslog_header_time
#define lh_syslog_header_grok ref_syslog_header_grok
#define lh_syslog_header_probe ref_syslog_header_probe
#define lh_syslog_hit_init ref_syslog_hit_init
#define lh_syslog_hit_time ref_syslog_hit_time
#define lh_syslog_tag_tail ref_syslog_tag_tail
#define lh_syslog_grok3164 ref_syslog_grok3164
#define lh_syslog_any3164 ref_syslog_any3164
#define lh_syslog_fit_general ref_syslog_fit_general
#define lh_syslog_quick ref_syslog_quick
#include "formats/syslog_header.c"
#include "formats/syslog_time.c"
#undef lh_syslog_header_parse
#undef lh_syslog_header_time
#undef lh_syslog_header_grok
#undef lh_syslog_header_probe
#undef lh_syslog_hit_init
#undef lh_syslog_hit_time
#undef lh_syslog_tag_tail
#undef lh_syslog_grok3164
#undef lh_syslog_any3164
#undef lh_syslog_fit_general
#undef lh_syslog_quick

#include <criterion/criterion.h>

#include "tests/unit/syslog_gen.h"

/* The library's own (syslog_header.h, hidden above by the renames). */
int lh_syslog_header_parse(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_event *ev);
int lh_syslog_header_time(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int *flags,
    const char **host, size_t *hostlen);
int lh_syslog_header_grok(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_event *ev);

#define LINES_PER_CTX 400

/* Whether the quick path takes line (its conditions, with this build). */
static int
quick_shape(const char *s, size_t n, int auth)
{
	struct lh_syslog_stamp st;
	struct lh_syslog_term tc = { 0 };
	struct lh_syslog_hit h;

	if (n == 0 || s[0] == '<' || !(auth ? auth_stamp(s, n, 0, &st) :
	    lh_syslog_stamp_rfc3164(s, n, 0, &st)))
		return 0;
	tc.bare = auth;
	return ref_syslog_tag_tail(s, n, st.end, &tc, &h, NULL) == 1;
}

static void
same_event(const struct lh_event *a, const struct lh_event *b,
    const char *line)
{
	size_t i;

	cr_assert_eq(a->ts, b->ts, "ts of '%s'", line);
	cr_assert_eq(a->ts_prec, b->ts_prec, "ts_prec of '%s'", line);
	cr_assert_eq(a->ts_flags, b->ts_flags, "ts_flags of '%s'", line);
	cr_assert_eq(a->nfield, b->nfield, "fields of '%s'", line);
	for (i = 0; i < a->nfield; i++) {
		cr_assert_str_eq(a->fields[i].name, b->fields[i].name,
		    "field %zu of '%s'", i, line);
		cr_assert(a->fields[i].len == b->fields[i].len &&
		    memcmp(a->fields[i].val, b->fields[i].val,
		    a->fields[i].len) == 0, "%s of '%s'", a->fields[i].name,
		    line);
	}
}

/* One line in one context through both builds (the general one no memo). */
static void
compare(const char *line, size_t len, const struct lh_syslog_header_ctx *c,
    struct lh_event *ea, struct lh_event *eb)
{
	struct lh_syslog_header_ctx ca = *c, cb = *c;
	const char *ha, *hb;
	size_t la, lb;
	int64_t ta, tb;
	int fa, fb;

	cb.memo = NULL;
	cr_assert_eq(lh_syslog_header_time(line, len, &ca, &ta, &fa, &ha, &la),
	    ref_syslog_header_time(line, len, &cb, &tb, &fb, &hb, &lb), "'%s'",
	    line);
	cr_assert(ta == tb && fa == fb && ca.last_year == cb.last_year,
	    "time of '%s' (auth %d): %lld/%d, general %lld/%d", line, c->auth,
	    (long long)ta, fa, (long long)tb, fb);
	cr_assert(ha == hb && la == lb, "host of '%s'", line);
	lh_event_reset(ea);
	lh_event_reset(eb);
	cr_assert_eq(lh_syslog_header_parse(line, len, &ca, ea),
	    ref_syslog_header_parse(line, len, &cb, eb), "parse '%s'", line);
	same_event(ea, eb, line);
	cr_assert_eq(ca.last_year, cb.last_year, "last_year '%s'", line);
	lh_event_reset(ea);
	lh_event_reset(eb);
	cr_assert_eq(lh_syslog_header_grok(line, len, &ca, ea),
	    ref_syslog_header_grok(line, len, &cb, eb), "grok '%s'", line);
	same_event(ea, eb, line);
}

Test(quick_header, same_as_general_code)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	struct lh_event ea, eb;
	char line[GEN_MAX];
	unsigned i, k, quick_hits = 0;
	size_t len;

	gen_ctxs_init(&g);
	lh_event_init(&ea);
	lh_event_init(&eb);
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		gen_seed(i);
		for (k = 0; k < LINES_PER_CTX; k++) {
			len = gen_line(line, sizeof(line));
			compare(line, len, &c, &ea, &eb);
			quick_hits += quick_shape(line, len, c.auth);
		}
	}
	/* the lines must exercise both paths */
	cr_assert_gt(quick_hits, GEN_NCTX * LINES_PER_CTX / 8, "%u",
	    quick_hits);
	lh_event_free(&ea);
	lh_event_free(&eb);
	gen_ctxs_free(&g);
}

/* Lines of the shapes the quick path takes, in every context. */
Test(quick_header, common_shapes)
{
	static const char *const lines[] = {
		"Jan  5 00:00:07 web01 CRON[39730]: (postgres) CMD (x)",
		"Dec 31 23:59:59 web01 sshd[1]: Accepted password",
		"Feb 29 12:00:00 h su: pam_unix",
		"Feb 30 12:00:00 h su: no such day",
		"Jan 1 00:00:00 h p: one space, one digit",
		"Mar 30 02:30:00 h p: the skipped hour in Berlin",
		"Oct 26 02:30:00 h p: the repeated hour in Berlin",
		"Jan  5 00:00:07 web01 sshd[99999999999999999999]: no long",
		"Jan  5 00:00:07 web01 no terminator Jan  6 00:00:00 h t: x",
		"Jan  5 00:00:07.5 web01 t: fraction",
		"2026-01-05T00:00:07.048Z web01 sshd[2]: iso",
		"2025-03-30T02:30:00 web01 sshd[2]: iso in the local zone",
		"<38>1 2026-01-01T00:00:00.048Z edge01 dhclient 51669 - - x",
		"<38>1 2026-01-01T00:00:00.048+01:00 edge01 d 5 - - x",
		"<38>1 2024-02-29T23:59:60.5Z edge01 d 5 - - leap second",
		"<38>1 2026-02-29T00:00:00Z edge01 d 5 - - no such day",
	};
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	struct lh_event ea, eb;
	unsigned i;
	size_t k;

	gen_ctxs_init(&g);
	lh_event_init(&ea);
	lh_event_init(&eb);
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
			compare(lines[k], strlen(lines[k]), &c, &ea, &eb);
	}
	lh_event_free(&ea);
	lh_event_free(&eb);
	gen_ctxs_free(&g);
}

/*
 * Runs of alike lines (syslog_gen.h's gen_run) read with one memo, kept
 * across lines and contexts, as a file's lines are: the memo's date and
 * minute, host and times hit and miss (a new minute, a second that is
 * none, a host that only begins alike, the year stepping back within a
 * minute, a zone's change), and every result must be the general code's.
 */
Test(quick_header, memo_same_as_general_code)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	struct lh_syslog_memo memo;
	struct lh_event ea, eb;
	char line[GEN_MAX], minute[32] = "";
	unsigned i, k, used[5] = { 0, 0, 0, 0, 0 };
	size_t len;

	memset(&memo, 0, sizeof(memo));
	gen_ctxs_init(&g);
	lh_event_init(&ea);
	lh_event_init(&eb);
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		c.memo = &memo;
		gen_seed(i + 77);
		for (k = 0; k < LINES_PER_CTX; k++) {
			len = gen_run(line, sizeof(line), minute);
			compare(line, len, &c, &ea, &eb);
			used[0] += memo.have_stamp;
			used[1] += memo.hostlen > 0;
			used[2] += memo.time.have_back;
			used[3] += memo.time.have_iso;
			used[4] += memo.jlen > 0;
		}
	}
	/* every part of the memo was used */
	cr_assert(used[0] && used[1] && used[2] && used[3] && used[4]);
	lh_event_free(&ea);
	lh_event_free(&eb);
	gen_ctxs_free(&g);
}

/*
 * lh_syslog_hour_colon skips only the ':' where back3164 finds no stamp
 * (grok3164 searches with it), in lines made of a stamp's bytes.
 */
Test(quick_header, hour_colons_are_where_stamps_may_hang)
{
	static const char *const part[] = { "Jan", " ", "  ", "5", "05",
		"12", "123", ":", "00", "a_", "\x80", "x", "=", "Jan 5 ",
		"a_  05 ", "\x80 12 ", "12:", "1:", " 1:", "123:" };
	char buf[200];	/* 23 parts of at most 8 bytes */
	size_t n, c, naive, found = 0;
	unsigned r;

	gen_seed(5);
	for (r = 0; r < 20000; r++) {
		buf[0] = '\0';
		for (n = gen_pick(24); n > 0; n--)
			strcat(buf, GEN_ONE(part));
		n = strlen(buf);
		for (c = 0; c < n; c++) {
			for (naive = c; naive < n; naive++)
				if (naive >= 2 && buf[naive] == ':' &&
				    (buf[naive - 2] == ' ' || (naive >= 3 &&
				    buf[naive - 3] == ' ')))
					break;
			cr_assert_eq(lh_syslog_hour_colon(buf, c, n), naive,
			    "%zu of %zu", c, n);
			if (buf[c] == ':' && back3164(buf, c) != NONE) {
				cr_assert_eq(naive, c, "%.*s at %zu", (int)n,
				    buf, c);
				found++;
			}
		}
	}
	cr_assert_gt(found, 100);
}

/* syslog_scan.c's scans against a byte loop, at every start and length. */
Test(quick_header, scans_same_as_byte_loops)
{
	static const char set[] = { ':', '[', '\n', ' ', '!', '~', 0x7f,
		(char)0x80, (char)0xff, 0, 'a', 32, 33, 126, 127, ']', '5' };
	char buf[80];
	size_t n, i, j, k;
	unsigned r;

	gen_seed(99);
	for (r = 0; r < 400; r++) {
		for (k = 0; k < sizeof(buf); k++)
			buf[k] = gen_pick(4) ? 'x' : GEN_ONE(set);
		for (n = 0; n <= sizeof(buf); n += 1 + gen_pick(7)) {
			for (i = 0; i <= n; i++) {
				for (j = i; j < n && buf[j] >= 33 &&
				    buf[j] <= 126; j++)
					continue;
				cr_assert_eq(lh_syslog_printable_end(buf, i, n),
				    j, "printable %zu %zu", i, n);
				for (j = i; j < n && buf[j] != ':' &&
				    buf[j] != '[' && buf[j] != '\n'; j++)
					continue;
				cr_assert_eq(lh_syslog_tag_stop(buf, i, n), j,
				    "tag %zu %zu", i, n);
			}
		}
	}
}
