/*
 * fuzz_rules.c: libFuzzer target for the rule NDJSON loader
 * (lh_ruleset_load in core/rules.c, json-c underneath), then every loaded
 * rule's accessors, as the CLI's --explain would read them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lh_ruleset *rs;
	struct lh_diag diag;
	const struct lh_rule *r;
	volatile size_t sink = 0;
	size_t i, k;
	char *text;

	if ((text = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	lh_diag_init(&diag);
	if ((rs = lh_ruleset_create()) == NULL)
		goto out;
	(void)lh_ruleset_load(rs, text, size, "fuzz", size & 1, &diag);
	for (i = 0; i < lh_ruleset_count(rs); i++) {
		r = lh_ruleset_get(rs, i);
		sink += strlen(r->rule_id) + strlen(r->name) + strlen(r->query);
		for (k = 0; k < r->ntags; k++)
			sink += strlen(r->tags[k]);
		for (k = 0; k < r->nmitre; k++)
			sink += r->mitre[k].ntechniques;
	}
	for (i = 0; i < diag.n; i++)
		sink += strlen(diag.msg[i]);
	lh_ruleset_free(rs);
out:
	lh_diag_free(&diag);
	free(text);
	(void)sink;
	return 0;
}
