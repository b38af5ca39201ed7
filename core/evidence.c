/*
 * evidence.c: host facts of evidence trees and the dating of boots (see
 * evidence.h).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/event.h"
#include "core/evidence.h"
#include "core/kmsg.h"
#include "core/match.h"
#include "core/status.h"
#include "core/time.h"
#include "core/timeline.h"

#define MAX_BOOTS 4096
#define SAME_BOOT (2 * LH_US)	/* a 1 s stamp dates a boot within 1 s */
#define FACT_MAX 255		/* longest host name or machine id kept */

struct boot {
	char *host;		/* owned */
	int64_t boot, prec;
};

struct lh_boots {
	struct boot *v;
	size_t n, cap;
};

struct lh_evidence {
	pthread_mutex_t lock;	/* guards roots, nroots, cap, old */
	struct lh_host_facts **roots;	/* owned; never moved once made */
	size_t nroots, cap;
	char **old;		/* facts replaced, still read by workers */
	size_t nold, capold;
	struct lh_boots boots;	/* the merger's, no lock */
};

struct lh_evidence *
lh_evidence_create(void)
{
	struct lh_evidence *e = calloc(1, sizeof(*e));

	if (e != NULL)
		pthread_mutex_init(&e->lock, NULL);
	return e;
}

static void
boots_clear(struct lh_boots *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->v[i].host);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

void
lh_evidence_free(struct lh_evidence *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nroots; i++) {
		free((char *)(uintptr_t)e->roots[i]->root);
		free((char *)(uintptr_t)e->roots[i]->hostname);
		free((char *)(uintptr_t)e->roots[i]->machine_id);
		free(e->roots[i]);
	}
	for (i = 0; i < e->nold; i++)
		free(e->old[i]);
	free(e->old);
	free(e->roots);
	boots_clear(&e->boots);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

/* ---- roots -------------------------------------------------------------- */

/*
 * The first line of the small regular file at path, trimmed, as an owned
 * string; NULL when it is none (or empty).  Never blocks on a FIFO.
 */
static char *
first_line(const char *path)
{
	char buf[FACT_MAX + 1];
	struct stat sb;
	ssize_t n;
	size_t k = 0, s = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (n = read(fd, buf, sizeof(buf) - 1)) <= 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	while (k < (size_t)n && buf[k] != '\n' && buf[k] != '\r' &&
	    (unsigned char)buf[k] >= 0x20)
		k++;
	while (s < k && buf[s] == ' ')
		s++;
	while (k > s && buf[k - 1] == ' ')
		k--;
	if (k == s)
		return NULL;
	buf[k] = '\0';
	return strdup(buf + s);
}

/* The root of path when it names ROOT/[[root]/]etc/NAME, or -1. */
static long
root_len(const char *path, const char *name)
{
	size_t n = strlen(path), tail = strlen(name) + 4;	/* "etc/" */
	size_t r;

	if (n < tail || memcmp(path + n - tail, "etc/", 4) != 0 ||
	    strcmp(path + n - tail + 4, name) != 0 ||
	    (n > tail && path[n - tail - 1] != '/'))
		return -1;
	r = n - tail;
	if (r >= 7 && memcmp(path + r - 7, "[root]/", 7) == 0 &&
	    (r == 7 || path[r - 8] == '/'))
		r -= 7;
	return (long)r;
}

static struct lh_host_facts *
root_entry(struct lh_evidence *e, const char *path, size_t rlen)
{
	struct lh_host_facts *f;
	size_t i;

	for (i = 0; i < e->nroots; i++) {
		if (strlen(e->roots[i]->root) == rlen &&
		    memcmp(e->roots[i]->root, path, rlen) == 0)
			return e->roots[i];
	}
	if (lh_grow(&e->roots, &e->cap, e->nroots + 1, sizeof(*e->roots)) !=
	    LH_OK || (f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if ((f->root = strndup(path, rlen)) == NULL) {
		free(f);
		return NULL;
	}
	e->roots[e->nroots++] = f;
	return f;
}

int
lh_evidence_note_file(struct lh_evidence *e, const char *path)
{
	struct lh_host_facts *f;
	const char **slot;
	long r;
	int machine = 0;
	char *v;

	if ((r = root_len(path, "hostname")) < 0 &&
	    (r = root_len(path, "machine-id")) >= 0)
		machine = 1;
	if (r < 0 || (v = first_line(path)) == NULL)
		return LH_OK;
	pthread_mutex_lock(&e->lock);
	if ((f = root_entry(e, path, (size_t)r)) == NULL) {
		pthread_mutex_unlock(&e->lock);
		free(v);
		return LH_FATAL;
	}
	slot = machine ? &f->machine_id : &f->hostname;
	if (*slot != NULL && strcmp(*slot, v) == 0) {
		free(v);	/* noted already (lh_evidence_note_dir) */
		v = NULL;
	} else if (*slot != NULL) {
		/* a worker may hold the old value: kept until the end */
		if (lh_grow(&e->old, &e->capold, e->nold + 1,
		    sizeof(*e->old)) != LH_OK) {
			pthread_mutex_unlock(&e->lock);
			free(v);
			return LH_FATAL;
		}
		e->old[e->nold++] = (char *)(uintptr_t)*slot;
	}
	if (v != NULL)
		*slot = v;
	pthread_mutex_unlock(&e->lock);
	return LH_OK;
}

/* Notes dir/rest when it is a regular file, not a link.  LH_OK/LH_FATAL. */
static int
note_below(struct lh_evidence *e, const char *dir, size_t n,
    const char *rest)
{
	struct stat sb;
	char *p;
	int rc = LH_OK;

	if ((p = malloc(n + strlen(rest) + 2)) == NULL)
		return LH_FATAL;
	memcpy(p, dir, n);
	p[n] = '\0';
	if (n > 0 && p[n - 1] != '/')
		strcat(p, "/");
	strcat(p, rest);
	if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode))
		rc = lh_evidence_note_file(e, p);
	free(p);
	return rc;
}

int
lh_evidence_note_dir(struct lh_evidence *e, const char *dir, size_t n)
{
	static const char *const rest[] = { "[root]/etc/hostname",
	    "[root]/etc/machine-id", "etc/hostname", "etc/machine-id" };
	size_t i;

	for (i = 0; i < sizeof(rest) / sizeof(rest[0]); i++) {
		if (note_below(e, dir, n, rest[i]) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

const struct lh_host_facts *
lh_evidence_lookup(struct lh_evidence *e, const char *path)
{
	const struct lh_host_facts *best = NULL;
	size_t i, n, bn = 0;

	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nroots; i++) {
		n = strlen(e->roots[i]->root);
		if (strncmp(path, e->roots[i]->root, n) == 0 &&
		    (n == 0 || e->roots[i]->root[n - 1] == '/') &&
		    (best == NULL || n > bn)) {
			best = e->roots[i];
			bn = n;
		}
	}
	pthread_mutex_unlock(&e->lock);
	return best;
}

/* ---- boots -------------------------------------------------------------- */

struct lh_boots *
lh_boots_create(void)
{
	return calloc(1, sizeof(struct lh_boots));
}

void
lh_boots_free(struct lh_boots *b)
{
	if (b == NULL)
		return;
	boots_clear(b);
	free(b);
}

int
lh_boots_add(struct lh_boots *b, const char *host, size_t hlen,
    int64_t boot, int64_t prec)
{
	struct boot *x;
	size_t i;

	for (i = b->n; i-- > 0;) {
		x = &b->v[i];
		if (strlen(x->host) == hlen && memcmp(x->host, host, hlen) == 0 &&
		    llabs(x->boot - boot) <= SAME_BOOT) {
			if (prec < x->prec) {
				x->boot = boot;
				x->prec = prec;
			}
			return LH_OK;
		}
	}
	if (b->n >= MAX_BOOTS)
		return LH_OK;
	if (lh_grow(&b->v, &b->cap, b->n + 1, sizeof(*b->v)) != LH_OK)
		return LH_FATAL;
	x = &b->v[b->n];
	if ((x->host = strndup(host, hlen)) == NULL)
		return LH_FATAL;
	x->boot = boot;
	x->prec = prec;
	b->n++;
	return LH_OK;
}

int
lh_evidence_add_boots(struct lh_evidence *e, const struct lh_boots *from)
{
	size_t i;

	for (i = 0; from != NULL && i < from->n; i++) {
		if (lh_boots_add(&e->boots, from->v[i].host,
		    strlen(from->v[i].host), from->v[i].boot, from->v[i].prec)
		    != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/* The latest boot of host (NUL-terminated), or NULL. */
static const struct boot *
latest_boot(const struct lh_boots *b, const char *host)
{
	const struct boot *best = NULL;
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (strcmp(b->v[i].host, host) == 0 &&
		    (best == NULL || b->v[i].boot > best->boot))
			best = &b->v[i];
	}
	return best;
}

/* ---- dating boot-relative matches ---------------------------------------- */

struct twin {
	uint64_t key;
	int64_t us;		/* the kernel stamp, µs since boot */
	struct lh_match *m;
};

/* The key of a match whose message starts with a kernel stamp, or 0. */
static uint64_t
twin_key(const struct lh_match *m, int64_t *us)
{
	const char *bare;
	int64_t prec;
	size_t bl;
	uint64_t h;

	if (m->message == NULL ||
	    lh_kmsg_stamp(m->message, m->message_len, us, &prec) == 0)
		return 0;
	bare = lh_match_bare_message(m, &bl);
	h = lh_fnv64(LH_FNV_SEED, &m->rule, sizeof(m->rule));
	h = lh_fnv64(h, us, sizeof(*us));
	return lh_fnv64(h, bare, bl) | 1;
}

uint64_t
lh_evidence_twin_key(const struct lh_match *m)
{
	int64_t us;

	return twin_key(m, &us);
}

static int
cmp_twin(const void *pa, const void *pb)
{
	const struct twin *a = pa, *b = pb;

	return a->key < b->key ? -1 : a->key > b->key;
}

static int
same_host(const struct lh_match *a, const struct lh_match *b)
{
	return a->host == NULL || (b->host != NULL &&
	    strcmp(a->host, b->host) == 0);
}

/* The timed record of the same kernel message as boot match m, or NULL. */
static const struct lh_match *
find_twin(const struct twin *t, size_t n, const struct lh_match *m)
{
	struct twin k;
	const struct twin *x;
	const char *ba, *bb;
	size_t la, lb;

	if ((k.key = twin_key(m, &k.us)) == 0 || n == 0 ||
	    (x = bsearch(&k, t, n, sizeof(*t), cmp_twin)) == NULL)
		return NULL;
	while (x > t && x[-1].key == k.key)
		x--;
	ba = lh_match_bare_message(m, &la);
	for (; x < t + n && x->key == k.key; x++) {
		bb = lh_match_bare_message(x->m, &lb);
		if (x->m->rule == m->rule && x->us == k.us && la == lb &&
		    memcmp(ba, bb, la) == 0 && same_host(m, x->m))
			return x->m;
	}
	return NULL;
}

/* The timed matches whose message starts with a stamp, sorted by key. */
static struct twin *
twins(struct lh_timeline *tl, size_t *nt)
{
	size_t i, n = lh_timeline_count(tl);
	struct twin *t = malloc((n ? n : 1) * sizeof(*t));

	*nt = 0;
	if (t == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		struct lh_match *m = lh_timeline_at(tl, i);

		if ((m->ts_flags & LH_TS_BOOT) || m->ts == LH_TS_NONE ||
		    (t[*nt].key = twin_key(m, &t[*nt].us)) == 0)
			continue;
		t[(*nt)++].m = m;
	}
	qsort(t, *nt, sizeof(*t), cmp_twin);
	return t;
}

/* Gives m the host of x (copied into *arena).  LH_OK or LH_FATAL. */
static int
take_host(struct lh_match *m, const char *host, size_t len,
    struct lh_arena **arena)
{
	char *h;

	if (*arena == NULL && (*arena = lh_arena_create()) == NULL)
		return LH_FATAL;
	if ((h = lh_arena_alloc(*arena, len + 1)) == NULL)
		return LH_FATAL;
	memcpy(h, host, len);
	h[len] = '\0';
	m->host = h;
	m->host_len = len;
	/* the host is part of the identity (match.h) */
	m->ident = lh_match_identity(m);
	return LH_OK;
}

/*
 * What dated a file's records: a twin proves the file's boot (and host),
 * which then dates its other records too.
 */
struct filedate {
	const char *path;	/* borrowed from the match */
	const char *host;	/* borrowed from the twin */
	size_t host_len;
	int64_t boot, prec;
};

static const struct filedate *
file_boot(const struct filedate *fd, size_t n, const struct lh_match *m)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(fd[i].path, m->src[0].path) == 0)
			return &fd[i];
	}
	return NULL;
}

static void
set_time(struct lh_match *m, int64_t boot, int64_t prec)
{
	m->ts += boot;
	m->ts_prec = prec > m->ts_prec ? prec : m->ts_prec;
	m->ts_flags = (m->ts_flags & ~LH_TS_BOOT) | LH_TS_DERIVED;
	m->src[0].ts = m->ts;	/* one source: the match is not folded yet */
	m->src[0].ts_prec = m->ts_prec;
}

/* Pass 1: the matches with a twin; their files go to *fd. */
static int
date_twins(const struct twin *t, size_t nt, struct lh_timeline *tl,
    struct filedate **fd, size_t *nfd, struct lh_arena **arena)
{
	size_t i, cap = 0, n = lh_timeline_count(tl);
	const struct lh_match *x;

	for (i = 0; i < n; i++) {
		struct lh_match *m = lh_timeline_at(tl, i);
		int64_t boot;

		if (!(m->ts_flags & LH_TS_BOOT) ||
		    (x = find_twin(t, nt, m)) == NULL)
			continue;
		if (m->host == NULL && x->host != NULL &&
		    take_host(m, x->host, x->host_len, arena) != LH_OK)
			return LH_FATAL;
		boot = x->ts - m->ts;
		if (file_boot(*fd, *nfd, m) == NULL) {
			if (lh_grow(fd, &cap, *nfd + 1, sizeof(**fd)) != LH_OK)
				return LH_FATAL;
			(*fd)[(*nfd)++] = (struct filedate){ m->src[0].path,
			    x->host, x->host_len, boot, x->ts_prec };
		}
		set_time(m, boot, x->ts_prec);
	}
	return LH_OK;
}

/* Pass 2: the rest, by their file's boot, else their host's latest. */
static int
date_rest(struct lh_evidence *e, const struct filedate *fd, size_t nfd,
    struct lh_timeline *tl, struct lh_arena **arena)
{
	size_t i, n = lh_timeline_count(tl);
	const struct filedate *f;
	const struct boot *b;

	for (i = 0; i < n; i++) {
		struct lh_match *m = lh_timeline_at(tl, i);

		if (!(m->ts_flags & LH_TS_BOOT))
			continue;
		if ((f = file_boot(fd, nfd, m)) != NULL) {
			if (m->host == NULL && f->host != NULL &&
			    take_host(m, f->host, f->host_len, arena) != LH_OK)
				return LH_FATAL;
			set_time(m, f->boot, f->prec);
		} else if (m->host != NULL &&
		    (b = latest_boot(&e->boots, m->host)) != NULL)
			set_time(m, b->boot, b->prec);
	}
	return LH_OK;
}

int
lh_evidence_date(struct lh_evidence *e, struct lh_timeline *tl)
{
	struct lh_arena *arena = NULL;
	struct filedate *fd = NULL;
	struct twin *t;
	size_t i, nt, nfd = 0, n = lh_timeline_count(tl);
	int rc;

	if (!lh_timeline_may_have_boot(tl))
		return LH_OK;	/* the common case, without a look at each */
	for (i = 0; i < n; i++) {
		if (lh_timeline_at(tl, i)->ts_flags & LH_TS_BOOT)
			break;
	}
	if (i == n)
		return LH_OK;	/* nothing boot-relative left */
	if ((t = twins(tl, &nt)) == NULL)
		return LH_FATAL;
	rc = date_twins(t, nt, tl, &fd, &nfd, &arena);
	if (rc == LH_OK)
		rc = date_rest(e, fd, nfd, tl, &arena);
	free(t);
	free(fd);
	/* not freed on failure: the matches of tl point into it */
	if (arena != NULL && lh_timeline_adopt(tl, arena) != LH_OK)
		rc = LH_FATAL;
	return rc;
}
