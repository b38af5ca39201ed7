/*
 * fuzz_kql.c: libFuzzer target for the KQL compiler and evaluator
 * (core/kql_*.c).  The input up to the first newline is the query; what
 * follows, if anything, is the message of the event it is matched on
 * (the other fields are fixed).  A compiled query is also evaluated,
 * asked for its prefilter words, and those words built into a prefilter
 * (core/prefilter.c) that is run over the message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/event.h"
#include "core/kql.h"
#include "core/prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
words_check(char **words, const char *msg, size_t n)
{
	struct lh_prefilter *pf;
	char **const sets[1] = { words };
	size_t i;

	if ((pf = lh_prefilter_create(sets, 1)) != NULL) {
		(void)lh_prefilter_find(pf, msg, n);
		lh_prefilter_free(pf);
	}
	for (i = 0; words[i] != NULL; i++)
		free(words[i]);
	free(words);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl;
	size_t qlen = size, mlen = 0;
	char *q, *msg = NULL;
	struct lh_kql *kql;
	struct lh_kql_scratch *s;
	struct lh_event ev;
	struct lh_err err;
	char **words = NULL;

	if ((nl = memchr(p, '\n', size)) != NULL) {
		qlen = (size_t)(nl - p);
		mlen = size - qlen - 1;
	}
	if ((q = malloc(qlen ? qlen : 1)) == NULL)
		return 0;
	memcpy(q, p, qlen);
	lh_err_clear(&err);
	kql = lh_kql_compile(q, qlen, &err);
	free(q);
	if (kql == NULL)
		return 0;
	if ((msg = malloc(mlen ? mlen : 1)) == NULL)
		goto out;
	memcpy(msg, p + size - mlen, mlen);
	lh_event_init(&ev);
	lh_event_add(&ev, LH_F_MESSAGE, nl ? msg : "Failed password for root",
	    nl ? mlen : 24);
	lh_event_adds(&ev, LH_F_PROC_NAME, "sshd");
	lh_event_adds(&ev, LH_F_PROC_PID, "4242");
	lh_event_adds(&ev, LH_F_HOSTNAME, "web01");
	lh_event_adds(&ev, "event.dataset", "system.auth");
	lh_event_adds(&ev, "source.ip", "10.0.0.7");
	if ((s = lh_kql_scratch_create()) != NULL) {
		lh_kql_scratch_reset(s);
		if (lh_kql_match(kql, &ev, s) == 1)
			(void)lh_kql_matched(s, NULL);
		lh_kql_scratch_free(s);
	}
	lh_event_free(&ev);
	if (lh_kql_required_words(kql, &words) && words != NULL)
		words_check(words, msg, mlen);
out:
	free(msg);
	lh_kql_free(kql);
	return 0;
}
