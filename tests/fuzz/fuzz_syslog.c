/*
 * fuzz_syslog.c: libFuzzer target for the syslog family: the entry points
 * of the shared syslog header grok (lh_syslog_header_probe, _parse, _grok
 * in formats/syslog_header.c) and lh_kmsg_stamp_len on the input as one
 * line, then the syslog file format
 * (formats/syslog.c) through its vtable over an in-memory stream.
 *
 * The line is copied into a buffer of exactly its size, so ASan catches a
 * scanner reading s[n] (the pipeline promises it never does).
 *
 * Then the input's lines go, in order, through two contexts that differ
 * only by the memo of what the line before gave (struct lh_syslog_memo):
 * lh_syslog_header_time and lh_syslog_header_parse must give the same
 * results with and without it, or the target aborts.  Each line goes
 * twice, so that the second time its day or date (or an ISO 8601 line's
 * stamp and host) is the memo's and lh_syslog_header_time takes the time
 * from the clock alone (formats/syslog_memo.c, syslog_time.c): that
 * quick path is compared with the full code too, in UTC, a fixed offset
 * and a zone with DST changes (data[0]).
 * Last, the input repeated is read as the context pass reads it, against
 * the full parse (fuzz_plan.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/kmsg.h"
#include "core/time.h"
#include "core/tz.h"
#include "formats/syslog_header.h"
#include "tests/fuzz/fuzz_mem.h"
#include "tests/fuzz/fuzz_plan.h"

extern const struct lh_format lh_format_syslog;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one_line(const char *line, size_t n, int year)
{
	struct lh_syslog_header_ctx ctx;
	struct lh_event ev;
	struct lh_tz tz;

	lh_tz_utc(&tz);
	memset(&ctx, 0, sizeof(ctx));
	ctx.tz = &tz;
	ctx.ref = 1767592800LL * LH_US;
	ctx.year = year;
	lh_event_init(&ev);
	(void)lh_syslog_header_parse(line, n, &ctx, &ev);
	lh_event_reset(&ev);
	(void)lh_syslog_header_grok(line, n, &ctx, &ev);
	lh_event_free(&ev);
	(void)lh_kmsg_stamp_len(line, n);
}

/* Aborts unless events a and b hold the same time and fields. */
static void
same_event(const struct lh_event *a, const struct lh_event *b)
{
	size_t i;

	if (a->ts != b->ts || a->ts_prec != b->ts_prec ||
	    a->ts_flags != b->ts_flags || a->nfield != b->nfield)
		abort();
	for (i = 0; i < a->nfield; i++)
		if (strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
		    a->fields[i].len != b->fields[i].len ||
		    memcmp(a->fields[i].val, b->fields[i].val,
		    a->fields[i].len) != 0)
			abort();
}

/* One line through the memo's context m and the plain context p. */
static void
memo_line(const char *line, size_t n, struct lh_syslog_header_ctx *m,
    struct lh_syslog_header_ctx *p, struct lh_event *em, struct lh_event *ep)
{
	const char *hm = NULL, *hp = NULL;
	size_t lm = 0, lp = 0;
	int64_t tm, tp;
	int fm = 0, fp = 0, rm, rp;

	rm = lh_syslog_header_time(line, n, m, &tm, &fm, &hm, &lm);
	rp = lh_syslog_header_time(line, n, p, &tp, &fp, &hp, &lp);
	if (rm != rp || tm != tp || fm != fp || (hm == NULL) != (hp == NULL) ||
	    lm != lp || (hm != NULL && memcmp(hm, hp, lm) != 0))
		abort();
	lh_event_reset(em);
	lh_event_reset(ep);
	rm = lh_syslog_header_parse(line, n, m, em);
	rp = lh_syslog_header_parse(line, n, p, ep);
	if (rm != rp || m->last_year != p->last_year)
		abort();
	if (rm != LH_FATAL)
		same_event(em, ep);
}

/* The zone of memo_lines: UTC, +05:30, or CET with its DST changes. */
static void
zone_of(int sel, struct lh_tz *tz)
{
	static struct lh_zone *cet;
	struct lh_err err;

	lh_tz_utc(tz);
	if (sel == 1)
		(void)lh_tz_parse("+05:30", tz, &err);
	if (sel >= 2) {
		if (cet == NULL)
			cet = lh_zone_posix("CET-1CEST,M3.5.0,M10.5.0/3",
			    &err);
		if (cet != NULL)
			lh_tz_named(tz, "Europe/Berlin", cet);
	}
}

/* The lines of data[0..size) with and without a memo (see the top). */
static void
memo_lines(const uint8_t *data, size_t size, int year, int auth, int zone)
{
	struct lh_syslog_header_ctx m, p;
	struct lh_syslog_memo memo;
	struct lh_event em, ep;
	struct lh_tz tz;
	size_t i, start = 0;
	char *line;

	zone_of(zone, &tz);
	memset(&m, 0, sizeof(m));
	memset(&memo, 0, sizeof(memo));
	m.tz = &tz;
	m.ref = 1767592800LL * LH_US;
	m.ref_year = 2026;
	m.year = year;
	m.auth = auth;
	p = m;
	m.memo = &memo;
	lh_event_init(&em);
	lh_event_init(&ep);
	for (i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		if ((line = malloc(i - start ? i - start : 1)) != NULL) {
			memcpy(line, data + start, i - start);
			memo_line(line, i - start, &m, &p, &em, &ep);
			memo_line(line, i - start, &m, &p, &em, &ep);
			free(line);
		}
		start = i + 1;
	}
	lh_event_free(&em);
	lh_event_free(&ep);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line;
	size_t n;

	if (size < 1)
		return 0;
	(void)lh_syslog_header_probe((const char *)data + 1, size - 1);
	n = size - 1;
	if ((line = malloc(n ? n : 1)) != NULL) {
		memcpy(line, data + 1, n);
		one_line(line, n, (data[0] & 16) ? 2025 : 0);
		free(line);
	}
	memo_lines(data + 1, size - 1, (data[0] & 16) ? 2025 : 0,
	    (data[0] & 32) != 0, (data[0] >> 6) & 3);
	fuzz_format(&lh_format_syslog, data, size);
	fuzz_planned(&lh_format_syslog, data, size);
	return 0;
}
