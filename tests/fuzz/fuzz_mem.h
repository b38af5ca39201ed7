/*
 * fuzz_mem.h: what the libFuzzer targets share: an in-memory lh_stream
 * handing out the input in chunks (so records straddle the line reader's
 * refills, as they do in real files), and a driver that runs one format's
 * vtable over it to the end.
 *
 * DESIGN
 * The first input byte picks the chunk size and whether the stream ends in
 * LH_FAIL (a damaged file) instead of LH_EOF; the rest is the file.  The
 * driver checks the vtable contract as it goes (next() returns only the
 * documented statuses, ends, and keeps returning the end), and abort()s
 * on a breach so libFuzzer records the input.
 */
#ifndef LH_FUZZ_MEM_H
#define LH_FUZZ_MEM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "core/lines.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/time.h"

#include "tests/memstream.h"

/* Chunk sizes the first byte picks from: tiny, odd, and whole refills. */
static const size_t fuzz_chunks[8] = { 1, 3, 7, 64, 4093, 65536, 1 << 20,
	SIZE_MAX };

/*
 * Runs fmt over data (its first byte is the control byte described above).
 * Touches every field of every event so ASan sees any bad length.
 */
static void
fuzz_format(const struct lh_format *fmt, const uint8_t *data, size_t size)
{
	struct lh_test_mem m;
	struct lh_stream st;
	struct lh_source src;
	struct lh_parse_opts opts;
	struct lh_event ev;
	struct lh_err err;
	struct lh_tz tz;
	void *state = NULL;
	volatile unsigned sink = 0;
	size_t i, k, guard = 0;
	int rc;

	if (size < 1)
		return;
	memset(&m, 0, sizeof(m));
	m.p = data + 1;
	m.n = size - 1;
	m.chunk = fuzz_chunks[data[0] & 7];
	m.fail = (data[0] & 8) != 0;
	memset(&st, 0, sizeof(st));
	st.ops = &lh_test_mem_ops;
	st.state = &m;
	memset(&src, 0, sizeof(src));
	memset(&opts, 0, sizeof(opts));
	lh_tz_utc(&tz);
	opts.tz = &tz;
	opts.year = (data[0] & 16) ? 2025 : 0;
	src.path = "fuzz";
	src.mtime = 1767592800LL * LH_US;
	if ((src.lines = lh_lines_create(&st, "fuzz")) == NULL)
		return;
	lh_event_init(&ev);
	lh_err_clear(&err);
	if (fmt->open(&state, &src, &opts, &err) != LH_OK)
		goto out;
	for (;;) {
		lh_err_clear(&err);
		rc = fmt->next(state, &ev, &err);
		if (rc == LH_EOF || rc == LH_FAIL || rc == LH_FATAL)
			break;
		if (rc != LH_OK && rc != LH_WARN)
			abort();
		if (rc == LH_OK) {
			for (i = 0; i < ev.nfield; i++) {
				for (k = 0; k < ev.fields[i].len; k++)
					sink += (unsigned char)ev.fields[i].val[k];
				sink += (unsigned)strlen(ev.fields[i].name);
			}
		}
		if (++guard > 4 * size + 64)
			abort();	/* next() does not end */
	}
	if (rc != LH_FATAL && fmt->next(state, &ev, &err) != LH_EOF &&
	    rc == LH_EOF)
		abort();	/* the end is not sticky */
	fmt->close(state);
out:
	lh_event_free(&ev);
	lh_lines_free(src.lines);
	(void)sink;
}

#endif
