/*
 * fuzz_analyzer.c: libFuzzer target for the Lucene standard analyzer
 * (lh_analyze in core/analyzer.c) on arbitrary bytes: every token must lie
 * inside the token text and be NUL-terminated there.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/analyzer.h"
#include "core/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lh_tokens t;
	size_t i;
	char *s;

	if ((s = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	lh_tokens_init(&t);
	if (lh_analyze(s, size, &t) == LH_OK) {
		for (i = 0; i < t.n; i++) {
			if ((size_t)t.off[i] + t.len[i] >= t.text_len + 1 ||
			    strlen(lh_token(&t, i)) != t.len[i])
				abort();
		}
	}
	lh_tokens_free(&t);
	free(s);
	return 0;
}
