/*
 * fuzz_json.c: libFuzzer target for journal JSON and ECS/Filebeat JSON
 * documents (formats/json.c), through the format vtable over an in-memory
 * stream (fuzz_mem.h).  Each
 * line of the input is also a check of the gate's raw time (json_gate.c):
 * when it claims one, the full parse of that line must give one event
 * with exactly that time (or none, with a warning, when json.c's limits
 * refuse the document), and when json_gate_host.c then claims a host, that
 * event's host.hostname (else host.name) must be it, byte for byte.
 * One scanner reads all the lines, keeping layouts and plans from one to
 * the next (without AVX2 when the control byte's top bit is set).  And
 * the input repeated is read as the context pass reads it, against the
 * full parse (fuzz_plan.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json_int.h"
#include "tests/fuzz/fuzz_mem.h"
#include "tests/fuzz/fuzz_plan.h"

extern const struct lh_format lh_format_json;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first event's host.hostname, else host.name, copied into h. */
static void
keep_host(const struct lh_event *ev, char *h, size_t cap, size_t *hlen,
    int *has)
{
	const struct lh_field *f;

	if ((f = lh_event_get(ev, LH_F_HOSTNAME)) == NULL &&
	    (f = lh_event_get(ev, LH_F_HOSTNAME_ALT)) == NULL)
		return;
	*has = 1;
	*hlen = f->len;
	memcpy(h, f->val, f->len < cap ? f->len : cap);
}

/*
 * The json format over the n bytes at p: the events, the first one's time
 * and host (h: cap bytes; *hlen may exceed cap, then h holds the start).
 */
static size_t
parse_line(const char *p, size_t n, const struct lh_parse_opts *opts,
    const struct lh_source *proto, int64_t *ts, int64_t *prec, int *flags,
    int *warned, char *h, size_t cap, size_t *hlen, int *has)
{
	struct lh_test_mem m = { p, n, 0, 0, 0 };
	struct lh_stream st;
	struct lh_source src = *proto;
	struct lh_event ev;
	struct lh_err err;
	void *state = NULL;
	size_t events = 0;
	int rc;

	memset(&st, 0, sizeof(st));
	st.ops = &lh_test_mem_ops;
	st.state = &m;
	if ((src.lines = lh_lines_create(&st, "fuzz")) == NULL)
		return 0;
	lh_event_init(&ev);
	lh_err_clear(&err);
	if (lh_format_json.open(&state, &src, opts, &err) == LH_OK) {
		while ((rc = lh_format_json.next(state, &ev, &err)) == LH_OK ||
		    rc == LH_WARN) {
			if (rc == LH_WARN)
				*warned = 1;
			else if (events++ == 0) {
				*ts = ev.ts;
				*prec = ev.ts_prec;
				*flags = ev.ts_flags;
				keep_host(&ev, h, cap, hlen, has);
			}
			lh_err_clear(&err);
		}
		lh_format_json.close(state);
	}
	lh_event_free(&ev);
	lh_lines_free(src.lines);
	return events;
}

/* One line (no newline in it): the raw time against the parse. */
static void
gate_line(struct lh_json_rawtime *r, const char *p, size_t n, int variant)
{
	struct lh_parse_opts opts;
	struct lh_source src;
	struct lh_json_doc d;
	struct lh_tz tz;
	int64_t ts, prec, pts = 0, pprec = 0;
	int flags, pflags = 0, warned = 0, has = 0;
	char h[256];
	const char *rh;
	size_t events, hlen = 0, rhlen;

	memset(&opts, 0, sizeof(opts));
	memset(&src, 0, sizeof(src));
	memset(&d, 0, sizeof(d));
	lh_tz_utc(&tz);
	if (variant & 1)
		tz.offset = 7200;
	opts.tz = &tz;
	opts.year = (variant & 2) ? 2024 : 0;
	src.path = "fuzz";
	src.mtime = 1767592800LL * LH_US;
	d.src = &src;
	d.opts = &opts;
	if (!lh_json_rawtime(r, &d, p, n, &ts, &prec, &flags))
		return;
	events = parse_line(p, n, &opts, &src, &pts, &pprec, &pflags, &warned,
	    h, sizeof(h), &hlen, &has);
	if (events == 0 && warned)
		return;		/* json.c's limits: no event either way */
	if (events != 1 || pts != ts || pprec != prec || pflags != flags ||
	    ts == LH_TS_NONE)
		abort();
	if (lh_json_rawhost(r, &rh, &rhlen) && (!has || rhlen != hlen ||
	    memcmp(rh, h, hlen < sizeof(h) ? hlen : sizeof(h)) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lh_json_rawtime *r;
	const char *p, *end, *nl;

	fuzz_format(&lh_format_json, data, size);
	fuzz_planned(&lh_format_json, data, size);
	if (size < 1 || (r = lh_json_rawtime_create()) == NULL)
		return 0;
	if (data[0] & 0x80)
		lh_json_rawtime_portable(r);	/* no AVX2 */
	p = (const char *)data + 1;
	end = (const char *)data + size;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		/* the line reader drops a '\r' before the '\n' */
		if (memchr(p, '\r', (size_t)(nl - p)) == NULL)
			gate_line(r, p, (size_t)(nl - p), data[0] >> 5);
	}
	lh_json_rawtime_free(r);
	return 0;
}
