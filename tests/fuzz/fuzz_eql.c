/*
 * fuzz_eql.c: libFuzzer target for the EQL compiler and evaluator
 * (core/eql_*.c) and the sequence engine (core/seq.c).  The input is the
 * query.  A compiled query is evaluated on a few fixed events, which are
 * then fed to a sequence engine built from the query's steps, runs and
 * maxspan, with the join key the query gives each event.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/eql.h"
#include "core/err.h"
#include "core/event.h"
#include "core/seq.h"
#include "core/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
emit(void *ctx, const uint64_t *ids, size_t n)
{
	(void)ctx;
	(void)ids;
	(void)n;
	return LH_OK;
}

static void
make_event(struct lh_event *ev, int i)
{
	static const char *const ip[] = { "10.0.0.7", "fe80::1", "8.8.8.8" };

	lh_event_init(ev);
	ev->ts = (int64_t)i * 400000;
	lh_event_adds(ev, "event.category", "authentication");
	lh_event_adds(ev, "event.type", i % 2 ? "user" : "start");
	lh_event_adds(ev, "event.type", "creation");
	lh_event_adds(ev, "event.outcome", i % 5 ? "failure" : "success");
	lh_event_adds(ev, "host.os.type", "linux");
	lh_event_adds(ev, "host.id", "h1");
	lh_event_adds(ev, "source.ip", ip[i % 3]);
	lh_event_adds(ev, "user.name", i % 4 ? "root" : "Admin");
	if (i % 3 == 0)
		lh_event_adds(ev, "user.name", "admin");
	lh_event_adds(ev, LH_F_PROC_PID, "4242");
}

static void
run_sequence(const struct lh_eql *q)
{
	unsigned runs[LH_SEQ_MAX_STEPS];
	struct lh_seq_config cfg;
	struct lh_buf keys = { 0 };
	struct lh_event ev;
	struct lh_seq *s;
	size_t i, n, off, len;
	const char *k;

	cfg.nsteps = lh_eql_nsteps(q);
	for (i = 0; i < cfg.nsteps && i < LH_SEQ_MAX_STEPS; i++)
		runs[i] = lh_eql_runs(q, i);
	cfg.runs = runs;
	cfg.maxspan_us = lh_eql_maxspan_us(q);
	cfg.max_keys = 4;
	if ((s = lh_seq_create(&cfg, emit, NULL, NULL)) == NULL)
		return;
	for (i = 0; i < 40; i++) {
		make_event(&ev, (int)i);
		if (lh_eql_join_keys(q, &ev, &keys, &n) == LH_OK)
			for (off = 0; lh_eql_key_next(&keys, &off, &k, &len);)
				(void)lh_seq_feed(s, ev.ts,
				    lh_eql_match_mask(q, &ev), k, len, i);
		lh_event_free(&ev);
	}
	lh_buf_free(&keys);
	lh_seq_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lh_event ev;
	struct lh_err err;
	struct lh_eql *q;
	char *text;

	if ((text = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	q = lh_eql_compile(text, size, &err);
	free(text);
	if (q == NULL)
		return 0;
	make_event(&ev, 1);
	(void)lh_eql_match_mask(q, &ev);
	lh_event_free(&ev);
	if (lh_eql_is_sequence(q))
		run_sequence(q);
	lh_eql_free(q);
	return 0;
}
