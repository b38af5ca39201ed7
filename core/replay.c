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
	int decoded;		/* a decoder's output (lh_replay_tee_decoded) */
	int64_t mtime;
	uint64_t start, size;
	struct lh_err end;	/* a decoded copy's final error, or clear */
};

struct lh_replay {
	const char *dir;
	pthread_mutex_t mu;
	struct entry *e;
	size_t n, cap;
	int sealed;
	uint64_t budget, used;	/* of the decoded copies (used: live bytes) */
	struct lh_replay_totals tot;
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
lh_replay_set_budget(struct lh_replay *rp, uint64_t bytes)
{
	rp->budget = bytes;
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
	int decoded;		/* budgeted, kept only when ended */
	int ended;		/* below said LH_EOF or LH_FAIL */
	uint64_t size;
	struct lh_err end;	/* below's LH_FAIL, or clear */
};

#define OVER_BUDGET (-1)	/* drop()'s errnum: no room in the budget */

/* Drops t's copy (its space and its share of the budget come back). */
static void
drop(struct tee *t, int errnum)
{
	if (t->fd < 0)
		return;
	close(t->fd);
	t->fd = -1;
	t->errnum = errnum;
	if (t->decoded) {
		pthread_mutex_lock(&t->rp->mu);
		t->rp->used -= t->size;
		t->rp->tot.over += errnum == OVER_BUDGET;
		pthread_mutex_unlock(&t->rp->mu);
	}
}

/* Takes n more bytes of the budget for a decoded copy: 1, or 0 if over. */
static int
reserve(struct tee *t, size_t n)
{
	struct lh_replay *rp = t->rp;
	int ok;

	pthread_mutex_lock(&rp->mu);
	ok = rp->used <= rp->budget && n <= rp->budget - rp->used;
	if (ok)
		rp->used += n;
	pthread_mutex_unlock(&rp->mu);
	return ok;
}

static void
put(struct tee *t, const char *p, size_t n)
{
	ssize_t w;

	if (t->fd >= 0 && t->decoded && !reserve(t, n)) {
		drop(t, OVER_BUDGET);
		return;
	}
	while (t->fd >= 0 && n > 0) {
		if ((w = write(t->fd, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (t->decoded)	/* the reserved rest comes back */
				t->size += n;
			drop(t, w < 0 ? errno : EIO);
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
	if (rc == LH_EOF || rc == LH_FAIL)
		t->ended = 1;
	if (rc == LH_FAIL && t->end.status == LH_OK)
		t->end = *err;
	return rc;
}

static void
tee_close(struct lh_stream *s)
{
	struct tee *t = s->state;
	struct entry *e;

	if (t->decoded && !t->ended)
		drop(t, 0);	/* not the whole stream: useless */
	pthread_mutex_lock(&t->rp->mu);
	e = &t->rp->e[t->at];
	e->fd = t->fd;
	e->errnum = t->errnum;
	e->size = t->size;
	e->end = t->end;
	e->decoded = t->decoded;
	e->done = 1;
	if (t->decoded && t->fd >= 0) {
		t->rp->tot.copies++;
		t->rp->tot.bytes += t->size;
	}
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
		e->errnum = e->regular = e->done = e->decoded = 0;
		e->start = e->size = 0;
		e->fd = -1;
		e->mtime = mtime;
		lh_err_clear(&e->end);
		*at = rp->n++;
	}
	pthread_mutex_unlock(&rp->mu);
	return rc;
}

/*
 * 1 when the decoded copies have room left: bytes in the budget, and
 * fewer than LH_REPLAY_COPIES kept (each keeps a descriptor open; copies
 * being made by other workers may pass it by a few).
 */
static int
reserve_none(struct lh_replay *rp)
{
	int ok;

	pthread_mutex_lock(&rp->mu);
	ok = rp->used < rp->budget && rp->tot.copies < LH_REPLAY_COPIES;
	rp->tot.over += !ok && rp->budget > 0;
	pthread_mutex_unlock(&rp->mu);
	return ok;
}

/* lh_replay_tee, or lh_replay_tee_decoded when decoded. */
static struct lh_stream *
tee(struct lh_replay *rp, const char *path, int64_t mtime,
    struct lh_stream *below, int decoded)
{
	struct lh_err err;
	struct tee *t;
	size_t at = 0;
	int k;

	if (rp->sealed)
		return below;	/* replaying: nothing more is recorded */
	if (decoded && !reserve_none(rp))
		return below;
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
	t->decoded = decoded;
	lh_err_clear(&err);
	lh_err_clear(&t->end);
	if (lh_tmpfile(rp->dir, "loghunt-input", &t->fd, &err) != LH_OK) {
		t->errnum = err.errnum != 0 ? err.errnum : EIO;
		t->fd = -1;
	}
	return &t->s;
}

struct lh_stream *
lh_replay_tee(struct lh_replay *rp, const char *path, int64_t mtime,
    struct lh_stream *below)
{
	return tee(rp, path, mtime, below, 0);
}

struct lh_stream *
lh_replay_tee_decoded(struct lh_replay *rp, const char *path, int64_t mtime,
    struct lh_stream *below)
{
	return tee(rp, path, mtime, below, 1);
}

void
lh_replay_tee_end(struct lh_stream *s, uint64_t max, void *buf, size_t cap)
{
	struct tee *t;
	struct lh_err err;
	size_t got;
	int rc = LH_OK;

	if (s->ops != &tee_ops)
		return;
	t = s->state;
	while (t->decoded && !t->ended && t->fd >= 0 && max > 0 &&
	    rc == LH_OK) {
		rc = lh_stream_read(s, buf, cap < max ? cap : (size_t)max,
		    &got, &err);
		max -= got;
	}
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
	if ((e = find(rp, path)) != NULL && e->done && e->fd < 0 &&
	    !e->decoded)
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
	struct lh_replay *rp;
	int fd;			/* borrowed from the entry */
	uint64_t start, size;
	uint64_t read;		/* bytes read (not skipped) */
	const char *path;
	struct lh_err end;	/* given again at the end, or clear */
	int decoded;
};

static int
copy_read(struct lh_stream *s, void *buf, size_t cap, size_t *got,
    struct lh_err *err)
{
	struct copy *c = s->state;
	ssize_t r;

	*got = 0;
	if (s->pos >= c->size && c->end.status != LH_OK) {
		*err = c->end;	/* as the decoder said it */
		return c->end.status;
	}
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
	c->read += (uint64_t)r;
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
	struct copy *c = s->state;

	if (c->decoded) {
		pthread_mutex_lock(&c->rp->mu);
		c->rp->tot.read += c->read;
		pthread_mutex_unlock(&c->rp->mu);
	}
	free(c);
}

static const struct lh_stream_ops copy_ops = { copy_read, copy_close,
    copy_skip };

struct lh_stream *
lh_replay_open(struct lh_replay *rp, const char *path, int64_t *mtime,
    int *fd, int *depth)
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
		c->rp = rp;
		c->end = e->end;
		c->decoded = e->decoded;
		*mtime = e->mtime;
		*fd = e->regular ? e->fd : -1;
		*depth = e->decoded;
	}
	pthread_mutex_unlock(&rp->mu);
	return c != NULL ? &c->s : NULL;
}

void
lh_replay_totals(struct lh_replay *rp, struct lh_replay_totals *t)
{
	pthread_mutex_lock(&rp->mu);
	*t = rp->tot;
	pthread_mutex_unlock(&rp->mu);
}
