/*
 * stream.c: the one entry point through which bytes are read.
 */
#include "core/status.h"
#include "core/stream.h"

int
lh_stream_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	int rc;

	*got = 0;
	rc = s->ops->read(s, buf, cap, got, err);
	if (rc == LH_OK && *got == 0)
		rc = LH_EOF;
	s->pos += *got;
	return rc;
}
