/*
 * memstream.h: an lh_stream over bytes in memory, for the unit tests and
 * the fuzz targets.  It hands the bytes out at most chunk at a time (so
 * lines straddle reads) and, when fail is set, ends with LH_FAIL instead
 * of LH_EOF (a damaged stream).  Header-only: include it once per program
 * file that needs it.  lh_test_slurp reads a whole file for such a stream.
 */
#ifndef LH_TEST_MEMSTREAM_H
#define LH_TEST_MEMSTREAM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/status.h"
#include "core/stream.h"

struct lh_test_mem {
	const void *p;		/* borrowed */
	size_t n, pos, chunk;
	int fail;
};

static int
lh_test_mem_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct lh_test_mem *m = s->state;
	size_t k = m->n - m->pos;

	if (k == 0) {
		*got = 0;
		if (m->fail)
			return lh_err_set(err, LH_FAIL, 0, "mem: offset %zu: "
			    "damaged", m->pos);
		return LH_EOF;
	}
	if (k > cap)
		k = cap;
	if (m->chunk > 0 && k > m->chunk)
		k = m->chunk;
	memcpy(buf, (const char *)m->p + m->pos, k);
	m->pos += k;
	*got = k;
	return LH_OK;
}

static const struct lh_stream_ops lh_test_mem_ops = { lh_test_mem_read, NULL,
    NULL };

/*
 * The whole file at path, NUL-terminated, as an owned buffer (free it) of
 * *n bytes; NULL when it cannot be read.
 */
static inline char *
lh_test_slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long len;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)len + 1)) != NULL) {
		if (fread(p, 1, (size_t)len, f) == (size_t)len) {
			p[len] = '\0';
			*n = (size_t)len;
		} else {
			free(p);
			p = NULL;
		}
	}
	fclose(f);
	return p;
}

#endif
