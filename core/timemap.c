/*
 * timemap.c: per-source chunk time bounds for the context pass (see
 * timemap.h).
 *
 * DESIGN
 * A map is a growing array of chunks, built by one worker, told of every
 * line of its source: lh_timemap_line is kept to a few tests a line.  A
 * record's host is compared with the hosts its chunk names already (at
 * most CHUNK_HOSTS, most often the one) by their lengths and two words
 * of their bytes (key()), which hold whole names of up to 16 bytes; only a
 * host new to the chunk is looked up in the map's hash of its hosts.  The
 * chunk boundary is one comparison with the offset where the next chunk
 * may start, and a mixed chunk skips the host work.  The index
 * collects maps under a mutex while the first pass runs, then sorts them
 * by path once (lh_timeindex_seal) so that the context pass's workers find
 * a source's map by binary search without locking.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/gate.h"
#include "core/match.h"
#include "core/status.h"
#include "core/timemap.h"

#define CHUNK_HOSTS 8	/* hosts a chunk names before it is mixed */
#define MAP_HOSTS 255	/* hosts a map names (an id fits a byte) */
#define HASH_SLOTS 512	/* of the map's hosts while it is built */

struct chunk {
	uint64_t start, lines_before;
	int64_t min, max;	/* min > max: no timed record */
	unsigned char unknown;	/* a record's time was not known */
	unsigned char mixed;	/* records of too many or unknown hosts */
	unsigned char nh;	/* the hosts of its timed records: */
	unsigned char host[CHUNK_HOSTS];	/* ids in the map's hosts */
};

struct host {
	char *name;
	size_t len;
};

struct lh_timemap {
	struct chunk *c;
	size_t n, cap;
	struct chunk *cur;	/* the chunk being built, or NULL */
	uint64_t next;		/* where a record starts the next chunk */
	struct host *h;		/* the distinct hosts named, by id */
	size_t nh, hcap;
	unsigned short *slot;	/* hash of the hosts: id + 1, or 0 */
	/* the keys of cur->host[i] (key()) and their lengths */
	uint64_t ka[CHUNK_HOSTS], kb[CHUNK_HOSTS];
	size_t klen[CHUNK_HOSTS];
	int failed;
};
/*
 * A map without chunks was never told of a line, and one of a single chunk
 * would save little (its source is small): both stay out, so that the
 * index grows with the size of the evidence, not with its number of files.
 * A chunk names up to CHUNK_HOSTS hosts by their ids in its map, whose
 * hosts are at most MAP_HOSTS: the map grows with its chunks, not with
 * hosts times chunks; past either limit the chunk is mixed (held against
 * all windows).
 */

struct entry {
	char *path;
	struct lh_timemap *tm;
};

struct lh_timeindex {
	pthread_mutex_t mu;
	struct entry *e;
	size_t n, cap;
	uint64_t *seen;		/* the hashes of the paths read (note) */
	size_t nseen, seencap;	/* sorted once sealed */
};

struct lh_timemap *
lh_timemap_create(void)
{
	return calloc(1, sizeof(struct lh_timemap));
}

void
lh_timemap_free(struct lh_timemap *tm)
{
	size_t i;

	if (tm == NULL)
		return;
	for (i = 0; i < tm->nh; i++)
		free(tm->h[i].name);
	free(tm->h);
	free(tm->slot);
	free(tm->c);
	free(tm);
}

/* 1 when the n bytes at a and b are equal (short: inline, no call). */
static int
same(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	while (n > 0 && *a == *b)
		a++, b++, n--;
	return n == 0;
}

/*
 * The key of the host of len bytes at p, *ka and *kb: words that hold all
 * its bytes up to 16 (two that may overlap, or two halves of one), read
 * within them.  Hosts of the same length and key are the same up to 16
 * bytes; longer ones are the same when their middles are too.
 */
static void
key(const char *p, size_t len, uint64_t *ka, uint64_t *kb)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t x, y;

	*kb = 0;
	if (len >= 8) {
		memcpy(ka, p, 8);
		memcpy(kb, p + len - 8, 8);
	} else if (len >= 4) {
		memcpy(&x, p, 4);
		memcpy(&y, p + len - 4, 4);
		*ka = x | (uint64_t)y << 32;
	} else if (len > 0)
		*ka = u[0] | (uint64_t)u[len / 2] << 8 |
		    (uint64_t)u[len - 1] << 16;
	else
		*ka = 0;
}

/*
 * The id of the host of hlen bytes at host in tm, added when new; -1 when
 * the map names MAP_HOSTS already (or is out of memory: then failed).
 */
static int
host_id(struct lh_timemap *tm, const char *host, size_t hlen)
{
	const unsigned char *p = (const unsigned char *)host;
	size_t at;
	struct host *h;

	/* names tend to differ at their ends (web01, web02): hash those */
	at = hlen == 0 ? 0 : (hlen * 977 + p[0] * 31 + p[hlen - 1] * 7 +
	    p[hlen / 2] * 3 + p[hlen - 1 - (hlen > 1)]) % HASH_SLOTS;
	if (tm->slot == NULL && (tm->slot = calloc(HASH_SLOTS,
	    sizeof(*tm->slot))) == NULL)
		goto oom;
	for (; tm->slot[at] != 0; at = (at + 1) % HASH_SLOTS) {
		h = &tm->h[tm->slot[at] - 1];
		if (h->len == hlen && same(h->name, host, hlen))
			return tm->slot[at] - 1;
	}
	if (tm->nh == MAP_HOSTS)
		return -1;
	if (lh_grow(&tm->h, &tm->hcap, tm->nh + 1, sizeof(*tm->h)) != LH_OK ||
	    (tm->h[tm->nh].name = lh_dupn(host, hlen)) == NULL)
		goto oom;
	tm->h[tm->nh].len = hlen;
	tm->slot[at] = (unsigned short)++tm->nh;
	return (int)tm->nh - 1;
oom:
	tm->failed = 1;
	return -1;
}

/*
 * Adds the host of hlen bytes at host, of key ka, kb, to chunk c (the
 * map's last), which does not name it yet: c is mixed when it names
 * CHUNK_HOSTS already or the map's hosts are full.
 */
static __attribute__((noinline)) void
add_host(struct lh_timemap *tm, struct chunk *c, const char *host,
    size_t hlen, uint64_t ka, uint64_t kb)
{
	int id;

	if ((id = host_id(tm, host, hlen)) < 0 || c->nh == CHUNK_HOSTS) {
		c->mixed = 1;
		return;
	}
	tm->ka[c->nh] = ka;
	tm->kb[c->nh] = kb;
	tm->klen[c->nh] = hlen;
	c->host[c->nh++] = (unsigned char)id;
}

/*
 * Notes the host of a timed record of chunk c, the map's last: most are
 * one of the few hosts c names already, found by their keys without
 * hashing; a record of unknown host (NULL) makes c mixed.
 */
static void
chunk_host(struct lh_timemap *tm, struct chunk *c, const char *host,
    size_t hlen)
{
	uint64_t ka, kb;
	size_t i;

	if (host == NULL) {
		c->mixed = 1;
		return;
	}
	key(host, hlen, &ka, &kb);
	for (i = 0; i < c->nh; i++)
		if (tm->ka[i] == ka && tm->kb[i] == kb &&
		    tm->klen[i] == hlen && (hlen <= 16 ||
		    same(tm->h[c->host[i]].name + 8, host + 8, hlen - 16)))
			return;
	add_host(tm, c, host, hlen, ka, kb);
}

/* Starts a chunk at off, lines_before lines in: tm->cur, or failed. */
static __attribute__((noinline)) void
new_chunk(struct lh_timemap *tm, uint64_t off, uint64_t lines_before)
{
	struct chunk *c;

	if (lh_grow(&tm->c, &tm->cap, tm->n + 1, sizeof(*tm->c)) != LH_OK) {
		tm->failed = 1;
		return;
	}
	c = tm->cur = &tm->c[tm->n++];
	memset(c, 0, sizeof(*c));
	c->start = off;
	c->lines_before = lines_before;
	c->min = INT64_MAX;
	c->max = INT64_MIN;
	tm->next = off + LH_TIMEMAP_CHUNK;
}

/*
 * The chunk boundary costs one test a line (tm->next: 0 before the first
 * chunk, which any line starts, a continuation too).
 */
void
lh_timemap_line(struct lh_timemap *tm, uint64_t off, uint64_t lines_before,
    enum lh_stamp k, int64_t ts, const char *host, size_t hlen)
{
	struct chunk *c;

	if (tm->failed)
		return;
	if (off >= tm->next && (k != LH_STAMP_CONT || tm->n == 0)) {
		new_chunk(tm, off, lines_before);
		if (tm->failed)
			return;
	}
	c = tm->cur;
	if (k == LH_STAMP_TIME) {
		if (ts < c->min)
			c->min = ts;
		if (ts > c->max)
			c->max = ts;
		if (!c->mixed)
			chunk_host(tm, c, host, hlen);
	} else if (k == LH_STAMP_UNKNOWN || k == LH_STAMP_CONT)
		c->unknown = 1;
}

void
lh_timemap_fail(struct lh_timemap *tm)
{
	tm->failed = 1;
}

struct lh_timeindex *
lh_timeindex_create(void)
{
	struct lh_timeindex *ix = calloc(1, sizeof(*ix));

	if (ix != NULL && pthread_mutex_init(&ix->mu, NULL) != 0) {
		free(ix);
		return NULL;
	}
	return ix;
}

void
lh_timeindex_free(struct lh_timeindex *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->n; i++) {
		free(ix->e[i].path);
		lh_timemap_free(ix->e[i].tm);
	}
	free(ix->e);
	free(ix->seen);
	pthread_mutex_destroy(&ix->mu);
	free(ix);
}

int
lh_timeindex_note(struct lh_timeindex *ix, const char *path)
{
	uint64_t h = lh_fnv64(LH_FNV_SEED, path, strlen(path));
	int rc;

	pthread_mutex_lock(&ix->mu);
	if ((rc = lh_grow(&ix->seen, &ix->seencap, ix->nseen + 1,
	    sizeof(*ix->seen))) == LH_OK)
		ix->seen[ix->nseen++] = h;
	pthread_mutex_unlock(&ix->mu);
	return rc == LH_OK ? LH_OK : LH_FATAL;
}

int
lh_timeindex_put(struct lh_timeindex *ix, const char *path,
    struct lh_timemap *tm)
{
	char *p;
	int rc = LH_FATAL;

	if (lh_timeindex_note(ix, path) != LH_OK) {
		lh_timemap_free(tm);
		return LH_FATAL;
	}
	if (tm->failed || tm->n < 2) {
		lh_timemap_free(tm);
		return LH_OK;	/* the source stays unindexed: read whole */
	}
	if ((p = strdup(path)) == NULL) {
		lh_timemap_free(tm);
		return LH_FATAL;
	}
	free(tm->slot);		/* only the ids are looked up from now on */
	tm->slot = NULL;
	pthread_mutex_lock(&ix->mu);
	if (lh_grow(&ix->e, &ix->cap, ix->n + 1, sizeof(*ix->e)) == LH_OK) {
		ix->e[ix->n].path = p;
		ix->e[ix->n++].tm = tm;
		rc = LH_OK;
	}
	pthread_mutex_unlock(&ix->mu);
	if (rc != LH_OK) {
		free(p);
		lh_timemap_free(tm);
	}
	return rc;
}

static int
cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	return strcmp(a->path, b->path);
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/*
 * 1 when the sealing ix saw path read exactly once (put or noted; 64-bit
 * hashes of the paths are compared, so a collision can only make a path
 * look read twice).
 */
static int
once(const struct lh_timeindex *ix, const char *path)
{
	uint64_t h = lh_fnv64(LH_FNV_SEED, path, strlen(path));
	size_t lo = 0, hi = ix->nseen, mid;

	/* the first hash not below h is at lo when the loop ends */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix->seen[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->nseen && ix->seen[lo] == h &&
	    (lo + 1 == ix->nseen || ix->seen[lo + 1] != h);
}

void
lh_timeindex_seal(struct lh_timeindex *ix)
{
	size_t i, e, k = 0;

	if (ix->n > 1)
		qsort(ix->e, ix->n, sizeof(*ix->e), cmp_entry);
	if (ix->nseen > 1)
		qsort(ix->seen, ix->nseen, sizeof(*ix->seen), cmp_u64);
	/*
	 * a path read twice (given twice, or two members of an archive that
	 * share a name: their bytes may differ) is not known for sure: drop
	 * it, whether its other reading was mapped or not
	 */
	for (i = 0; i < ix->n; i = e) {
		for (e = i + 1; e < ix->n &&
		    strcmp(ix->e[e].path, ix->e[i].path) == 0; e++)
			continue;
		if (e == i + 1 && once(ix, ix->e[i].path)) {
			ix->e[k++] = ix->e[i];
			continue;
		}
		for (; i < e; i++) {
			free(ix->e[i].path);
			lh_timemap_free(ix->e[i].tm);
		}
	}
	ix->n = k;
}

static const struct lh_timemap *
find(const struct lh_timeindex *ix, const char *path)
{
	struct entry key;
	const struct entry *e;

	if (ix->n == 0)
		return NULL;	/* bsearch(3) wants an array, even empty */
	key.path = (char *)(uintptr_t)path;
	e = bsearch(&key, ix->e, ix->n, sizeof(*ix->e), cmp_entry);
	return e != NULL ? e->tm : NULL;
}

int
lh_timeindex_mapped(const struct lh_timeindex *ix, const char *path)
{
	return find(ix, path) != NULL;
}

/* 1 when chunk c of tm must be read for gate g. */
static int
wanted(const struct lh_timemap *tm, const struct chunk *c,
    const struct lh_gate *g)
{
	const struct host *h;
	size_t i;

	if (c->unknown)
		return 1;
	if (c->min > c->max)
		return 0;
	if (c->mixed || c->nh == 0)
		return lh_gate_overlaps(g, c->min, c->max);
	for (i = 0; i < c->nh; i++) {
		h = &tm->h[c->host[i]];
		if (lh_gate_overlaps_host(g, h->name, h->len, c->min, c->max))
			return 1;
	}
	return 0;
}

int
lh_timeindex_plan(const struct lh_timeindex *ix, const char *path,
    const struct lh_gate *g, struct lh_range **r, size_t *n)
{
	const struct lh_timemap *tm = find(ix, path);
	struct lh_range *v = NULL;
	size_t i, k = 0, cap = 0;
	uint64_t end;

	*r = NULL;
	*n = 0;
	if (tm == NULL)
		return 0;
	for (i = 0; i < tm->n; i++) {
		if (!wanted(tm, &tm->c[i], g))
			continue;
		end = i + 1 < tm->n ? tm->c[i + 1].start : UINT64_MAX;
		if (k > 0 && v[k - 1].end == tm->c[i].start) {
			v[k - 1].end = end;
			continue;
		}
		if (lh_grow(&v, &cap, k + 1, sizeof(*v)) != LH_OK) {
			free(v);
			return -1;
		}
		v[k].start = tm->c[i].start;
		v[k].end = end;
		v[k++].lines_before = tm->c[i].lines_before;
	}
	*r = v;
	*n = k;
	return 1;
}
