/*
 * fuzz_syslog.c: libFuzzer target for the syslog family: the entry points
 * of the shared syslog header grok (lh_syslog_header_probe, _parse, _grok
 * in formats/syslog_header.c) and lh_kmsg_stamp_len on the input as one
 * line, then the syslog file format
 * (formats/syslog.c) through its vtable over an in-memory stream.
 *
 * The line is copied into a buffer of exactly its size, so ASan catches a
 * scanner reading s[n] (the pipeline promises it never does).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/kmsg.h"
#include "formats/syslog_header.h"
#include "tests/fuzz/fuzz_mem.h"

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
	fuzz_format(&lh_format_syslog, data, size);
	return 0;
}
