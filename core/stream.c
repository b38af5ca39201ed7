/*
 * stream.c: the one entry point through which bytes are read, and the
 * stream over a file descriptor (stream.h).
 *
 * DESIGN
 * The file stream is the bottom of every stack of streams: it retries reads
 * interrupted by a signal and reports errno with the path.  It does not
 * own its descriptor, which the caller opened and closes.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

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

void
lh_stream_free(struct lh_stream *s)
{
	if (s != NULL && s->ops->close != NULL)
		s->ops->close(s);
}

struct fd_stream {
	struct lh_stream s;
	int fd;
	const char *path;
};

static int
fd_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct fd_stream *f = s->state;
	ssize_t n;

	do {
		n = read(f->fd, buf, cap);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return lh_err_set(err, LH_FAIL, errno, "%s: read error",
		    f->path);
	*got = (size_t)n;
	return n == 0 ? LH_EOF : LH_OK;
}

static void
fd_close(struct lh_stream *s)
{
	free(s->state);
}

static const struct lh_stream_ops fd_ops = { fd_read, fd_close };

struct lh_stream *
lh_stream_fd_create(int fd, const char *path)
{
	struct fd_stream *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->s.ops = &fd_ops;
	f->s.state = f;
	f->fd = fd;
	f->path = path;
	return &f->s;
}
