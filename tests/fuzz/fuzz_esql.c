/*
 * fuzz_esql.c: libFuzzer target for the ES|QL compiler and evaluator
 * (core/esql_*.c).  The input up to the first NUL is the query; a query
 * that compiles is run over a few fixed events (one with multi-valued
 * fields, one without any) through the prefilter, a run and its result
 * rows.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/esql.h"
#include "core/event.h"
#include "core/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
row_check(void *arg, const struct lh_esql_row *row)
{
	size_t k;

	(void)arg;
	for (k = 0; k < row->ncol; k++)
		if (row->col[k].name == NULL || (row->col[k].nv > 0 &&
		    row->col[k].v == NULL))
			__builtin_trap();
	return row->nids <= LH_ESQL_MAX_IDS ? LH_OK : LH_FAIL;
}

static void
events(struct lh_event *ev, int which)
{
	lh_event_reset(ev);
	ev->ts = 1767225600000000LL + which * 61000000LL;
	if (which == 2)
		return;
	(void)lh_event_adds(ev, "event.category", "authentication");
	(void)lh_event_adds(ev, "event.action", "ssh_login");
	(void)lh_event_adds(ev, "event.outcome", "failure");
	(void)lh_event_adds(ev, "source.ip", which ? "::1" : "192.0.2.1");
	(void)lh_event_adds(ev, "user.name", which ? "root" : "admin");
	(void)lh_event_adds(ev, "process.pid", "42");
	if (which == 1) {
		(void)lh_event_adds(ev, "event.action", "user_login");
		(void)lh_event_adds(ev, "user.name", "toor");
		(void)lh_event_adds(ev, "source.ip", "not an ip");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nul = memchr(p, '\0', size);
	struct lh_esql_scratch *s = NULL;
	struct lh_esql_run *run = NULL;
	struct lh_esql *q;
	struct lh_event ev;
	struct lh_err err;
	int i;

	q = lh_esql_compile(p, nul != NULL ? (size_t)(nul - p) : size, &err);
	if (q == NULL) {
		if (err.status != LH_FAIL && err.status != LH_FATAL)
			__builtin_trap();
		return 0;
	}
	lh_event_init(&ev);
	if ((s = lh_esql_scratch_create(q)) == NULL ||
	    (run = lh_esql_run_create(q)) == NULL)
		goto out;
	for (i = 0; i < 6; i++) {
		events(&ev, i % 3);
		(void)lh_esql_prefilter_match(q, &ev, s);
		(void)lh_esql_run_feed(run, &ev, (uint64_t)i, &err);
	}
	(void)lh_esql_run_finish(run, row_check, NULL, &err);
out:
	lh_esql_run_free(run);
	lh_esql_scratch_free(s);
	lh_event_free(&ev);
	lh_esql_free(q);
	return 0;
}
