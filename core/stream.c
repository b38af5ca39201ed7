/*
 * stream.c: the one entry point through which bytes are read, and the
 * stream over a file descriptor (stream.h).
 *
 * DESIGN
 * The file stream is the bottom of every stack of streams: it retries reads
 * interrupted by a signal and reports errno with the path.  It does not
 * own its descriptor, which the caller opened and closes.  It skips by
 * moving the file offset, never past the size fstat(2) gives at that
 * moment: the last bytes (a file that grew, a /proc file of size 0) are
 * read, so the end and the offsets stay those a reading would give.
 */
#include <sys/stat.h>

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

int
lh_stream_skip(struct lh_stream *s, uint64_t n, void *buf, size_t cap,
    uint64_t *done, struct lh_err *err)
{
	uint64_t k = 0;
	size_t got;
	int rc = LH_OK;

	*done = 0;
	if (n > 0 && s->ops->skip != NULL) {
		rc = s->ops->skip(s, n, &k, err);
		s->pos += k;
		*done = k;
	}
	while (rc == LH_OK && *done < n && buf != NULL && cap > 0) {
		rc = lh_stream_read(s, buf, n - *done < cap ?
		    (size_t)(n - *done) : cap, &got, err);
		*done += got;
	}
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

static int
fd_skip(struct lh_stream *s, uint64_t n, uint64_t *done, struct lh_err *err)
{
	struct fd_stream *f = s->state;
	struct stat sb;
	off_t at;
	uint64_t k;

	(void)err;
	*done = 0;
	if (fstat(f->fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (at = lseek(f->fd, 0, SEEK_CUR)) < 0 || sb.st_size <= at)
		return LH_OK;	/* the caller reads */
	k = (uint64_t)(sb.st_size - at);
	if (k > n)
		k = n;
	if (lseek(f->fd, (off_t)k, SEEK_CUR) >= 0)
		*done = k;
	return LH_OK;
}

static void
fd_close(struct lh_stream *s)
{
	free(s->state);
}

static const struct lh_stream_ops fd_ops = { fd_read, fd_close, fd_skip };

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
