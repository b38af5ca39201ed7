/*
 * replay.c: inputs that cannot be read twice, kept for a second pass
 * (replay.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/replay.h"
#include "core/status.h"
#include "core/tmpfile.h"

struct entry {
	char *path;
	int fd;			/* the copy; -1 when dropped */
	int errnum;		/* why it was dropped (0: not made) */
	int regular;		/* fd is the input itself, from start */
	int done;		/* its recording ended (fd is final) */
	int64_t mtime;
	uint64_t start, size;
};

struct lh_replay {
	const char *dir;
	pthread_mutex_t mu;
	struct entry *e;
	size_t n, cap;
	int sealed;
};

struct lh_replay *
lh_replay_create(const char *dir)
{
	struct lh_replay *rp = calloc(1, sizeof(*rp));

	if (rp == NULL)
		return NULL;
	if (pthread_mutex_init(&rp->mu, NULL) != 0) {
		free(rp);
		return NULL;
	}
	rp->dir = dir;
	return rp;
}

void
lh_replay_free(struct lh_replay *rp)
{
	size_t i;

	if (rp == NULL)
		return;
	for (i = 0; i < rp->n; i++) {
		if (rp->e[i].fd >= 0)
			close(rp->e[i].fd);
		free(rp->e[i].path);
	}
	free(rp->e);
	pthread_mutex_destroy(&rp->mu);
	free(rp);
}

/* The entry of path, or NULL (rp->mu held). */
static struct entry *
find(struct lh_replay *rp, const char *path)
{
	size_t i;

	for (i = 0; i < rp->n; i++)
		if (strcmp(rp->e[i].path, path) == 0)
			return &rp->e[i];
	return NULL;
}

/* ---- recording ---------------------------------------------------------- */

struct tee {
	struct lh_stream s;
	struct lh_stream *below;
	struct lh_replay *rp;
	size_t at;		/* the entry, by index (the array may move) */
	int fd;			/* the copy, or -1 once dropped */
	int errnum;
	uint64_t size;
};

static void
put(struct tee *t, const char *p, size_t n)
{
	ssize_t w;

	while (t->fd >= 0 && n > 0) {
		if ((w = write(t->fd, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			t->errnum = w < 0 ? errno : EIO;
			close(t->fd);
			t->fd = -1;
			return;
		}
		p += w;
		n -= (size_t)w;
		t->size += (uint64_t)w;
	}
}

static int
tee_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct tee *t = s->state;
	int rc = lh_stream_read(t->below, buf, cap, got, err);

	if (*got > 0)
		put(t, buf, *got);
	return rc;
}

static void
tee_close(struct lh_stream *s)
{
	struct tee *t = s->state;
	struct entry *e;

	pthread_mutex_lock(&t->rp->mu);
	e = &t->rp->e[t->at];
	e->fd = t->fd;
	e->errnum = t->errnum;
	e->size = t->size;
	e->done = 1;
	pthread_mutex_unlock(&t->rp->mu);
	lh_stream_free(t->below);
	free(t);
}

static const struct lh_stream_ops tee_ops = { tee_read, tee_close, NULL };

/* Registers path; its index in *at.  0: recorded already; -1: no memory. */
static int
add(struct lh_replay *rp, const char *path, int64_t mtime, size_t *at)
{
	struct entry *e;
	int rc = 1;

	pthread_mutex_lock(&rp->mu);
	if (find(rp, path) != NULL)
		rc = 0;
	else if (lh_grow(&rp->e, &rp->cap, rp->n + 1, sizeof(*rp->e)) !=
	    LH_OK || (rp->e[rp->n].path = strdup(path)) == NULL)
		rc = -1;
	if (rc == 1) {
		e = &rp->e[rp->n];
		e->errnum = e->regular = e->done = 0;
		e->start = e->size = 0;
		e->fd = -1;
		e->mtime = mtime;
		*at = rp->n++;
	}
	pthread_mutex_unlock(&rp->mu);
	return rc;
}

struct lh_stream *
lh_replay_tee(struct lh_replay *rp, const char *path, int64_t mtime,
    struct lh_stream *below)
{
	struct lh_err err;
	struct tee *t;
	size_t at = 0;
	int k;

	if (rp->sealed)
		return below;	/* replaying: nothing more is recorded */
	if ((k = add(rp, path, mtime, &at)) <= 0) {
		if (k == 0)
			return below;
		lh_stream_free(below);
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		lh_stream_free(below);
		return NULL;
	}
	t->s.ops = &tee_ops;
	t->s.state = t;
	t->below = below;
	t->rp = rp;
	t->at = at;
	lh_err_clear(&err);
	if (lh_tmpfile(rp->dir, "loghunt-input", &t->fd, &err) != LH_OK) {
		t->errnum = err.errnum != 0 ? err.errnum : EIO;
		t->fd = -1;
	}
	return &t->s;
}

int
lh_replay_keep(struct lh_replay *rp, const char *path, int fd,
    int64_t mtime)
{
	struct stat sb;
	struct entry *e;
	off_t at;
	size_t i = 0;
	int k, dfd = -1, errnum = 0;

	if (rp->sealed)
		return LH_OK;
	if ((k = add(rp, path, mtime, &i)) <= 0)
		return k == 0 ? LH_OK : LH_FATAL;
	if ((at = lseek(fd, 0, SEEK_CUR)) < 0 || fstat(fd, &sb) != 0 ||
	    (dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		errnum = errno;
	pthread_mutex_lock(&rp->mu);
	e = &rp->e[i];
	e->fd = dfd;
	e->errnum = errnum;
	e->regular = e->done = 1;
	if (dfd >= 0) {
		e->start = (uint64_t)at;
		e->size = sb.st_size > at ? (uint64_t)(sb.st_size - at) : 0;
	}
	pthread_mutex_unlock(&rp->mu);
	return LH_OK;
}

int
lh_replay_check(struct lh_replay *rp, const char *path, struct lh_err *err)
{
	struct entry *e;
	int rc = LH_OK;

	pthread_mutex_lock(&rp->mu);
	/* (an operand given twice: the other reading may still record) */
	if ((e = find(rp, path)) != NULL && e->done && e->fd < 0)
		rc = lh_err_set(err, LH_WARN, e->errnum, "%s: no copy for "
		    "the triage context in %s", path, rp->dir != NULL ?
		    rp->dir : "/tmp");
	pthread_mutex_unlock(&rp->mu);
	return rc;
}

void
lh_replay_seal(struct lh_replay *rp)
{
	rp->sealed = 1;
}

/* ---- replaying ---------------------------------------------------------- */

struct copy {
	struct lh_stream s;
	int fd;			/* borrowed from the entry */
	uint64_t start, size;
	const char *path;
};

static int
copy_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct copy *c = s->state;
	ssize_t r;

	*got = 0;
	if (s->pos >= c->size)
		return LH_EOF;
	if (cap > c->size - s->pos)
		cap = (size_t)(c->size - s->pos);
	while ((r = pread(c->fd, buf, cap, (off_t)(c->start + s->pos))) < 0 &&
	    errno == EINTR)
		continue;
	if (r <= 0)
		return lh_err_set(err, LH_FAIL, r < 0 ? errno : EIO,
		    "%s: the copy for the triage context", c->path);
	*got = (size_t)r;
	return LH_OK;
}

/* A copy is read at offsets: skipping is moving pos, up to its end. */
static int
copy_skip(struct lh_stream *s, uint64_t n, uint64_t *done,
    struct lh_err *err)
{
	struct copy *c = s->state;

	(void)err;
	*done = s->pos < c->size ? c->size - s->pos : 0;
	if (*done > n)
		*done = n;
	return LH_OK;
}

static void
copy_close(struct lh_stream *s)
{
	free(s->state);
}

static const struct lh_stream_ops copy_ops = { copy_read, copy_close,
    copy_skip };

struct lh_stream *
lh_replay_open(struct lh_replay *rp, const char *path, int64_t *mtime,
    int *fd)
{
	struct entry *e;
	struct copy *c = NULL;

	if (!rp->sealed)
		return NULL;
	pthread_mutex_lock(&rp->mu);
	if ((e = find(rp, path)) != NULL && e->done && e->fd >= 0 &&
	    (c = calloc(1, sizeof(*c))) != NULL) {
		c->s.ops = &copy_ops;
		c->s.state = c;
		c->fd = e->fd;
		c->start = e->start;
		c->size = e->size;
		c->path = e->path;
		*mtime = e->mtime;
		*fd = e->regular ? e->fd : -1;
	}
	pthread_mutex_unlock(&rp->mu);
	return c != NULL ? &c->s : NULL;
}
