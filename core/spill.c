/*
 * spill.c: an external merge sort of records in bounded memory (spill.h).
 *
 * DESIGN
 * A record lives in one malloc'd block: a run number, a fixed header
 * (struct hdr) and its host, path and data bytes, so that the header and
 * the bytes are written to a run file with one copy.  Blocks come in
 * classes of 64 bytes (up to NCLASS of them): the blocks of the records
 * written are kept by class, up to NKEEP a class, for the next records of
 * their class (a record written, a record added: the steady state of a
 * long input), so that a record costs no malloc and free.  A record is
 * counted in the budget by the size of its block, and the blocks kept
 * have a share of their own (a thirty-second of the records'), so that
 * keeping them never makes a record spill.  The records in
 * memory form a heap ordered by (run, key): replacement selection; its
 * entries keep the run and the time beside the pointer, so that most
 * comparisons stay in the heap's array.  A record added in order after
 * the one before (still in memory, same run) joins that one's chain
 * instead of the heap: a heap entry is the head of an ascending chain,
 * and taking it puts the next of its chain in its place, so that input
 * that comes in sorted stretches (a batch of hits of one file) makes a
 * heap of stretches, not of records.  When an add would pass the
 * budget, the smallest records are written to the current run until it
 * fits; a new record smaller than the last one written goes to the next
 * run.  At the end the records still in memory
 * become one more sorted source (their run numbers are dropped and the
 * heap rebuilt), so the tail is never written.
 *
 * The budget covers the records (their blocks plus an allowance for
 * malloc's own header), the heap's array, the record kept as the last one
 * written, and a reserve for the buffers of one merge: fanin readers'
 * blocks of bufsize bytes and the run files' buffers and contexts
 * (lh_runio_memory), at most a quarter of the budget.  A record longer than
 * a buffer grows that buffer: records are lines, bounded by the readers.
 *
 * Runs are temporary files of blocks of records, compressed and written
 * by a thread of their own (core/spill_run.h); a merge closes each input
 * as soon as it has read it all, and gives back the space of what it has
 * read so far as it goes, so that a merge does not hold its inputs and
 * its output at once.  A record past the end of its block is a damaged
 * run, an error.  A run has a level: runs written by
 * replacement selection are level 0, and when fanin runs of one level
 * exist they are merged into one of the next, which bounds the files open
 * to about fanin per level, and a level holds fanin times more than the
 * one below.  The end merges runs (the smallest first) until fanin - 1
 * are left, then those and the memory in one k-way merge (a heap of
 * sources) into the callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/spill.h"
#include "core/spill_run.h"
#include "core/status.h"

#define NO_HOST UINT32_MAX
#define MALLOC_OVERHEAD 16
#define BUF_MAX (64 * 1024)	/* a block's records (bytes) */
#define BUF_MIN (4 * 1024)
#define FANIN_MAX 256
#define ZFANIN_MIN 8		/* compressed: the fan-in shrinks to this */
#define NCLASS 64		/* classes of blocks kept: 64 bytes each */
#define NKEEP 8			/* blocks kept a class */

/* A record's header, as in memory and in run files (40 bytes, no padding). */
struct hdr {
	int64_t time;
	uint64_t line, offset;
	int32_t group;
	uint32_t host_len;	/* NO_HOST: none */
	uint32_t path_len, len;
};

struct mrec {
	uint64_t run;		/* replacement selection's run number */
	struct mrec *next;	/* the rest of its chain, or NULL */
	struct hdr h;
	size_t cap;		/* the bytes of b */
	char b[];		/* host, path, data */
};

/*
 * An entry of the heap of records in memory: the run and the time kept
 * beside the pointer, so that most comparisons stay in the heap's array
 * instead of visiting two records scattered in memory.
 */
struct hent {
	uint64_t run;
	int64_t time;
	int32_t group;
	struct mrec *m;
};

struct run {
	int fd;
	unsigned level;
	uint64_t bytes;		/* of records */
	uint64_t stored;	/* the file's size */
};

/* A source of the merge: a run file, or the records left in memory. */
struct src {
	struct hdr h;		/* the current record (aligned copy) */
	const char *b;		/* its bytes */
	int mem;		/* reads the memory heap */
	struct lh_runr r;	/* else reads this run */
	size_t pos;		/* in its block */
};

struct lh_spill {
	struct lh_spill_opts o;
	size_t bufsize;
	uint64_t rec_budget;	/* the budget less the merge reserve */
	uint64_t mem;		/* accounted: records, heap array, last */
	struct hent *heap;	/* the records in memory */
	size_t nheap, capheap;
	struct mrec *last;	/* the last record written to the run */
	struct mrec *tail;	/* the last added, while in memory */
	struct mrec *spare[NCLASS][NKEEP];	/* to reuse (accounted) */
	unsigned char nspare[NCLASS];
	uint64_t spare_mem;	/* their footprint */
	uint64_t spare_cap;	/* its bound: taken out of rec_budget */
	uint64_t cur;		/* the run being written */
	struct lh_runw w;	/* the run being written */
	struct lh_runio *io;	/* the run files */
	int z;			/* compressed */
	struct run *runs;
	size_t nruns, capruns;
	int done;
	struct lh_spill_stats st;
};

/* Emits one record of a merge: to a run writer or to the caller. */
typedef int (*emit_fn)(struct lh_spill *sp, void *arg, const struct hdr *h,
    const char *b, struct lh_err *err);

static size_t
body_len(const struct hdr *h)
{
	return (h->host_len == NO_HOST ? 0 : h->host_len) + h->path_len +
	    h->len;
}

static uint64_t
footprint(const struct mrec *m)
{
	return sizeof(*m) + m->cap + MALLOC_OVERHEAD;
}

static void
view(const struct hdr *h, const char *b, struct lh_spill_rec *r)
{
	r->key.group = h->group;
	r->key.time = h->time;
	r->key.line = h->line;
	r->key.offset = h->offset;
	r->key.host = NULL;
	r->key.host_len = 0;
	if (h->host_len != NO_HOST) {
		r->key.host = b;
		r->key.host_len = h->host_len;
		b += h->host_len;
	}
	r->key.path = b;
	r->key.path_len = h->path_len;
	r->data = b + h->path_len;
	r->len = h->len;
}

static int
span_cmp(const void *a, size_t la, const void *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	if (c != 0 || la == lb)
		return c;
	return la < lb ? -1 : 1;
}

int
lh_spill_key_cmp(const struct lh_spill_rec *a, const struct lh_spill_rec *b,
    void *arg)
{
	const struct lh_spill_key *x = &a->key, *y = &b->key;
	int c;

	(void)arg;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if ((x->host == NULL) != (y->host == NULL))
		return x->host == NULL ? -1 : 1;
	if (x->host != NULL &&
	    (c = span_cmp(x->host, x->host_len, y->host, y->host_len)) != 0)
		return c;
	if ((c = span_cmp(x->path, x->path_len, y->path, y->path_len)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return span_cmp(a->data, a->len, b->data, b->len);
}

static int
cmp_recs(const struct lh_spill *sp, const struct hdr *ha, const char *ba,
    const struct hdr *hb, const char *bb)
{
	struct lh_spill_rec a, b;

	/* the common case without a call: the times differ */
	if (sp->o.cmp == NULL && ha->group == hb->group &&
	    ha->time != hb->time)
		return ha->time < hb->time ? -1 : 1;
	view(ha, ba, &a);
	view(hb, bb, &b);
	if (sp->o.cmp == NULL)
		return lh_spill_key_cmp(&a, &b, NULL);
	return sp->o.cmp(&a, &b, sp->o.cmp_arg);
}

/* The two heaps (records in memory, merge sources) share their sifting. */
typedef int (*less_fn)(const struct lh_spill *sp, const void *a,
    const void *b);

static int
mless(const struct lh_spill *sp, const struct hent *a, const struct hent *b)
{
	if (a->run != b->run)
		return a->run < b->run;
	if (sp->o.cmp == NULL && a->group == b->group && a->time != b->time)
		return a->time < b->time;
	return cmp_recs(sp, &a->m->h, a->m->b, &b->m->h, b->m->b) < 0;
}

/* ---- the heaps ------------------------------------------------------- */

static void
sift_down(const struct lh_spill *sp, void **h, size_t n, size_t i,
    less_fn less)
{
	void *x = h[i];
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && less(sp, h[c + 1], h[c]))
			c++;
		if (!less(sp, h[c], x))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

static void
msift_up(struct lh_spill *sp, size_t i)
{
	struct hent *h = sp->heap, x = h[i];

	while (i > 0 && mless(sp, &x, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
}

static void
msift_down(struct lh_spill *sp, size_t i)
{
	struct hent *h = sp->heap, x = h[i];
	size_t c, n = sp->nheap;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && mless(sp, &h[c + 1], &h[c]))
			c++;
		if (!mless(sp, &h[c], &x))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

/* Takes the smallest record out of the heap (the caller frees it). */
static struct mrec *
mpop(struct lh_spill *sp)
{
	struct mrec *top = sp->heap[0].m;

	if (top == sp->tail)
		sp->tail = NULL;
	if (top->next != NULL) {	/* its chain goes on: same run */
		sp->heap[0].m = top->next;
		sp->heap[0].time = top->next->h.time;
		sp->heap[0].group = top->next->h.group;
		msift_down(sp, 0);
		return top;
	}
	sp->heap[0] = sp->heap[--sp->nheap];
	if (sp->nheap > 0)
		msift_down(sp, 0);
	return top;
}

/* The class of a block of cap bytes, or NCLASS: not one to keep. */
static size_t
cap_class(size_t cap)
{
	return cap >= 64 && cap % 64 == 0 && cap / 64 <= NCLASS ?
	    cap / 64 - 1 : NCLASS;
}

/* Done with m (NULL: none): its block is kept for a record to come. */
static void
forget(struct lh_spill *sp, struct mrec *m)
{
	size_t c;

	if (m == NULL)
		return;
	sp->mem -= footprint(m);
	c = cap_class(m->cap);
	if (!sp->done && c < NCLASS && sp->nspare[c] < NKEEP &&
	    sp->spare_mem + footprint(m) <= sp->spare_cap) {
		sp->spare[c][sp->nspare[c]++] = m;
		sp->spare_mem += footprint(m);
	} else {
		free(m);
	}
}

/* Frees the blocks kept (when no record comes any more). */
static void
drop_spares(struct lh_spill *sp)
{
	size_t c;

	for (c = 0; c < NCLASS; c++)
		while (sp->nspare[c] > 0)
			free(sp->spare[c][--sp->nspare[c]]);
	sp->spare_mem = 0;
}

/*
 * A block for a record of body bytes: one kept of its class, or a new
 * one; NULL when out of memory.
 */
static struct mrec *
rec_block(struct lh_spill *sp, size_t body)
{
	size_t c = body / 64, cap = (c + 1) * 64;
	struct mrec *m;

	if (c < NCLASS && sp->nspare[c] > 0) {
		m = sp->spare[c][--sp->nspare[c]];
		sp->spare_mem -= footprint(m);
		return m;
	}
	if (c >= NCLASS)
		cap = body;
	if ((m = malloc(sizeof(*m) + cap)) != NULL)
		m->cap = cap;
	return m;
}

/* ---- runs ---------------------------------------------------------- */

/* Ends the run written by w and adds it at level; w is closed. */
static int
wr_finish(struct lh_spill *sp, struct lh_runw *w, unsigned level,
    struct lh_err *err)
{
	if (lh_runio_wend(sp->io, w, err) != LH_OK)
		return LH_FATAL;
	if (lh_grow(&sp->runs, &sp->capruns, sp->nruns + 1,
	    sizeof(*sp->runs)) != LH_OK) {
		lh_runio_wdrop(sp->io, w);
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	}
	sp->runs[sp->nruns].fd = w->fd;
	sp->runs[sp->nruns].level = level;
	sp->runs[sp->nruns].stored = w->stored;
	sp->runs[sp->nruns++].bytes = w->bytes;
	w->fd = -1;
	return LH_OK;
}

/* Moves s to its next record: LH_OK, LH_EOF or LH_FATAL. */
static int
src_next(struct lh_spill *sp, struct src *s, struct lh_err *err)
{
	const struct mrec *m;
	size_t body;
	int rc;

	if (s->mem) {
		forget(sp, mpop(sp));
		if (sp->nheap == 0)
			return LH_EOF;
		m = sp->heap[0].m;
		s->h = m->h;
		s->b = m->b;
		return LH_OK;
	}
	if (s->pos == s->r.n) {
		if ((rc = lh_runio_block(sp->io, &s->r, err)) != LH_OK)
			return rc;
		s->pos = 0;
	}
	if (s->r.n - s->pos < sizeof(s->h))
		return lh_runio_damaged(sp->io, err);
	memcpy(&s->h, s->r.buf + s->pos, sizeof(s->h));
	body = body_len(&s->h);
	if (body > s->r.n - s->pos - sizeof(s->h))
		return lh_runio_damaged(sp->io, err);
	s->b = s->r.buf + s->pos + sizeof(s->h);
	s->pos += sizeof(s->h) + body;
	return LH_OK;
}

/* ---- the k-way merge ------------------------------------------------- */

static int
sless(const struct lh_spill *sp, const void *pa, const void *pb)
{
	const struct src *a = pa, *b = pb;

	return cmp_recs(sp, &a->h, a->b, &b->h, b->b) < 0;
}

/*
 * Merges the n sources s (each at its first record) into emit; a source
 * that ends leaves the heap.
 */
static int
merge(struct lh_spill *sp, void **h, size_t n, emit_fn emit, void *arg,
    struct lh_err *err)
{
	struct src *top;
	size_t i;
	int rc;

	for (i = n; i-- > 0;)
		sift_down(sp, h, n, i, sless);
	while (n > 0) {
		top = h[0];
		if ((rc = emit(sp, arg, &top->h, top->b, err)) != LH_OK)
			return rc;
		rc = src_next(sp, top, err);
		if (rc == LH_FATAL)
			return LH_FATAL;
		if (rc == LH_EOF)
			h[0] = h[--n];
		if (n > 0)
			sift_down(sp, h, n, 0, sless);
	}
	return LH_OK;
}

static int
to_run(struct lh_spill *sp, void *arg, const struct hdr *h, const char *b,
    struct lh_err *err)
{
	return lh_runio_put(sp->io, arg, h, sizeof(*h), b, body_len(h), err);
}

static void
free_srcs(struct lh_spill *sp, struct src *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!s[i].mem)
			lh_runio_rclose(sp->io, &s[i].r);
	free(s);
}

/*
 * Takes the runs runs[at..at+k) out of sp->runs into sources (and the
 * memory heap as one more when mem is set), each at its first record.
 * Returns an owned array of *n sources (free with free_srcs), or NULL with
 * err.
 */
static struct src *
open_srcs(struct lh_spill *sp, size_t at, size_t k, int mem, size_t *n,
    struct lh_err *err)
{
	struct src *s = calloc(k + 1, sizeof(*s));
	size_t i;
	int rc;

	*n = 0;
	if (s == NULL) {
		lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < k; i++)
		lh_runio_ropen(sp->io, &s[i].r, sp->runs[at + i].fd,
		    sp->runs[at + i].stored);
	if (sp->nruns > at + k)	/* memmove(NULL, ...) is undefined */
		memmove(sp->runs + at, sp->runs + at + k,
		    (sp->nruns - at - k) * sizeof(*sp->runs));
	sp->nruns -= k;
	*n = k;
	for (i = 0; i < k; i++) {
		if ((rc = src_next(sp, &s[i], err)) != LH_OK) {
			if (rc == LH_EOF)	/* a run is never empty */
				lh_runio_damaged(sp->io, err);
			free_srcs(sp, s, k);
			return NULL;
		}
	}
	if (mem && sp->nheap > 0) {
		const struct mrec *m = sp->heap[0].m;

		s[k].mem = 1;
		s[k].h = m->h;
		s[k].b = m->b;
		(*n)++;
	}
	return s;
}

/* Merges the runs sp->runs[at..at+k) into one run of level level. */
static int
merge_runs(struct lh_spill *sp, size_t at, size_t k, unsigned level,
    struct lh_err *err)
{
	struct src *s;
	void *h[FANIN_MAX];
	struct lh_runw w;
	size_t i, n;
	int rc;

	if ((s = open_srcs(sp, at, k, 0, &n, err)) == NULL)
		return LH_FATAL;
	for (i = 0; i < n; i++)
		h[i] = &s[i];
	if ((rc = lh_runio_wopen(sp->io, &w, err)) == LH_OK) {
		rc = merge(sp, h, n, to_run, &w, err);
		if (rc == LH_OK)
			rc = wr_finish(sp, &w, level, err);
		else
			lh_runio_wdrop(sp->io, &w);
	}
	free_srcs(sp, s, n);
	sp->st.passes++;
	return rc;
}

static int
by_level(const void *pa, const void *pb)
{
	const struct run *a = pa, *b = pb;

	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	return (a->bytes > b->bytes) - (a->bytes < b->bytes);
}

/*
 * Merges fanin runs of one level into one of the next, while a level has
 * that many.
 */
static int
cascade(struct lh_spill *sp, struct lh_err *err)
{
	unsigned level = 0;
	size_t i, k;

	for (;;) {
		qsort(sp->runs, sp->nruns, sizeof(*sp->runs), by_level);
		for (i = 0; i < sp->nruns && sp->runs[i].level < level; i++)
			;
		for (k = 0; i + k < sp->nruns &&
		    sp->runs[i + k].level == level; k++)
			;
		if (k == 0 && i == sp->nruns)
			return LH_OK;
		if (k < sp->o.fanin) {
			level++;
			continue;
		}
		if (merge_runs(sp, i, sp->o.fanin, level + 1, err) != LH_OK)
			return LH_FATAL;
	}
}

static int
by_size(const void *pa, const void *pb)
{
	const struct run *a = pa, *b = pb;

	return (a->bytes > b->bytes) - (a->bytes < b->bytes);
}

/* Merges the smallest runs until fanin - 1 are left (the memory is one). */
static int
reduce(struct lh_spill *sp, struct lh_err *err)
{
	size_t k;

	while (sp->nruns > sp->o.fanin - 1) {
		qsort(sp->runs, sp->nruns, sizeof(*sp->runs), by_size);
		k = sp->nruns - (sp->o.fanin - 1) + 1;
		if (k > sp->o.fanin)
			k = sp->o.fanin;
		if (merge_runs(sp, 0, k, 0, err) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/* ---- replacement selection ------------------------------------------- */

/* Writes the smallest record in memory to the run being written. */
static int
spill_one(struct lh_spill *sp, struct lh_err *err)
{
	struct mrec *top = sp->heap[0].m;

	if (sp->w.fd >= 0 && sp->heap[0].run != sp->cur &&
	    (wr_finish(sp, &sp->w, 0, err) != LH_OK ||
	    cascade(sp, err) != LH_OK))
		return LH_FATAL;
	if (sp->w.fd < 0) {
		if (lh_runio_wopen(sp->io, &sp->w, err) != LH_OK)
			return LH_FATAL;
		sp->cur = sp->heap[0].run;
		sp->st.runs++;
	}
	mpop(sp);
	if (to_run(sp, &sp->w, &top->h, top->b, err) != LH_OK) {
		forget(sp, top);
		return LH_FATAL;
	}
	forget(sp, sp->last);
	sp->last = top;
	return LH_OK;
}

static struct mrec *
make_rec(struct lh_spill *sp, const struct lh_spill_key *key,
    const struct lh_spill_part *part, size_t np, size_t len)
{
	size_t hl = key->host != NULL ? key->host_len : 0, i;
	struct mrec *m = rec_block(sp, hl + key->path_len + len);
	char *p;

	if (m == NULL)
		return NULL;
	m->run = 0;
	m->next = NULL;
	m->h.time = key->time;
	m->h.line = key->line;
	m->h.offset = key->offset;
	m->h.group = key->group;
	m->h.host_len = key->host != NULL ? (uint32_t)hl : NO_HOST;
	m->h.path_len = (uint32_t)key->path_len;
	m->h.len = (uint32_t)len;
	memcpy(m->b, key->host != NULL ? key->host : "", hl);
	memcpy(m->b + hl, key->path, key->path_len);
	p = m->b + hl + key->path_len;
	for (i = 0; i < np; i++) {
		if (part[i].n > 0)	/* memcpy(p, NULL, 0) is undefined */
			memcpy(p, part[i].p, part[i].n);
		p += part[i].n;
	}
	return m;
}

/*
 * Puts m in memory, in its run: behind the last record added when it
 * follows it in order, else in the heap (room made by the caller).
 */
static void
insert(struct lh_spill *sp, struct mrec *m)
{
	if (sp->last != NULL && cmp_recs(sp, &m->h, m->b, &sp->last->h,
	    sp->last->b) < 0)
		m->run = sp->cur + 1;
	else
		m->run = sp->cur;
	if (sp->tail != NULL && sp->tail->run == m->run && cmp_recs(sp, &m->h,
	    m->b, &sp->tail->h, sp->tail->b) >= 0) {
		sp->tail->next = m;	/* the input goes on in order */
		sp->tail = m;
		return;
	}
	sp->tail = m;
	sp->heap[sp->nheap].run = m->run;
	sp->heap[sp->nheap].time = m->h.time;
	sp->heap[sp->nheap].group = m->h.group;
	sp->heap[sp->nheap++].m = m;
	msift_up(sp, sp->nheap - 1);
}

int
lh_spill_add(struct lh_spill *sp, const struct lh_spill_key *key,
    const void *data, size_t len, struct lh_err *err)
{
	struct lh_spill_part part = { data, len };

	return lh_spill_addv(sp, key, &part, 1, err);
}

int
lh_spill_addv(struct lh_spill *sp, const struct lh_spill_key *key,
    const struct lh_spill_part *part, size_t np, struct lh_err *err)
{
	struct mrec *m;
	size_t cap = sp->capheap, len = 0, i;
	uint64_t grow;

	for (i = 0; i < np; i++)
		len += part[i].n;

	if (sp->done)
		return lh_err_set(err, LH_FATAL, EINVAL, "spill: add after end");
	if ((key->host != NULL && key->host_len >= NO_HOST) ||
	    key->path_len >= NO_HOST || len >= NO_HOST)
		return lh_err_set(err, LH_FATAL, EOVERFLOW, "spill: record");
	if ((m = make_rec(sp, key, part, np, len)) == NULL)
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	grow = sp->nheap == cap ? (cap > 0 ? cap : 16) * sizeof(*sp->heap) :
	    0;
	while (sp->nheap > 0 &&
	    sp->mem + footprint(m) + grow > sp->rec_budget) {
		if (spill_one(sp, err) != LH_OK) {
			free(m);	/* not accounted yet */
			return LH_FATAL;
		}
	}
	if (lh_grow(&sp->heap, &sp->capheap, sp->nheap + 1,
	    sizeof(*sp->heap)) != LH_OK) {
		free(m);
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	}
	sp->mem += (sp->capheap - cap) * sizeof(*sp->heap) + footprint(m);
	if (sp->mem > sp->st.peak_memory)
		sp->st.peak_memory = sp->mem;
	sp->st.records++;
	sp->st.bytes += sizeof(m->h) + body_len(&m->h);
	insert(sp, m);
	return LH_OK;
}

struct user {
	lh_spill_fn fn;
	void *arg;
};

static int
to_user(struct lh_spill *sp, void *arg, const struct hdr *h, const char *b,
    struct lh_err *err)
{
	struct user *u = arg;
	struct lh_spill_rec r;

	(void)sp;
	(void)err;
	view(h, b, &r);
	return u->fn(u->arg, &r);
}

int
lh_spill_finish(struct lh_spill *sp, lh_spill_fn fn, void *arg,
    struct lh_err *err)
{
	struct user u = { fn, arg };
	struct src *s;
	void *h[FANIN_MAX];
	size_t i, n;
	int rc;

	if (sp->done)
		return lh_err_set(err, LH_FATAL, EINVAL, "spill: ended twice");
	sp->done = 1;
	drop_spares(sp);	/* no record comes any more */
	if (sp->w.fd >= 0 && (wr_finish(sp, &sp->w, 0, err) != LH_OK ||
	    cascade(sp, err) != LH_OK))
		return LH_FATAL;
	forget(sp, sp->last);
	sp->last = NULL;
	/* what is left in memory is one more sorted source */
	for (i = 0; i < sp->nheap; i++)
		sp->heap[i].run = 0;	/* a chain goes with its head */
	for (i = sp->nheap / 2; i-- > 0;)
		msift_down(sp, i);
	if (reduce(sp, err) != LH_OK ||
	    (s = open_srcs(sp, 0, sp->nruns, 1, &n, err)) == NULL)
		return LH_FATAL;
	for (i = 0; i < n; i++)
		h[i] = &s[i];
	rc = merge(sp, h, n, to_user, &u, err);
	free_srcs(sp, s, n);
	return rc;
}

/*
 * The memory of a merge of fanin runs in blocks of block bytes: a block
 * per source and the run files' buffers (and contexts, compressed).
 */
static uint64_t
reserve(unsigned fanin, size_t block, int z)
{
	return (uint64_t)fanin * block + lh_runio_memory(block, z);
}

/*
 * Blocks of bufsize and a fan-in whose merge takes a quarter of the
 * budget: compressed when the contexts fit with blocks whose fan-in is at
 * least ZFANIN_MIN (the fan-in shrinks before the block: small blocks
 * compress badly), else stored with the largest fan-in.
 */
static void
size_buffers(struct lh_spill *sp)
{
	uint64_t quarter = sp->o.budget / 4;
	unsigned f;

	for (sp->bufsize = BUF_MAX; sp->bufsize >= BUF_MIN;
	    sp->bufsize /= 2) {
		for (f = sp->o.fanin; f > ZFANIN_MIN &&
		    reserve(f, sp->bufsize, 1) > quarter; f--)
			;
		if (reserve(f, sp->bufsize, 1) <= quarter) {
			sp->o.fanin = f;
			sp->rec_budget = sp->o.budget -
			    reserve(f, sp->bufsize, 1);
			sp->z = 1;
			return;
		}
	}
	sp->bufsize = BUF_MAX;
	while (sp->bufsize > BUF_MIN &&
	    reserve(sp->o.fanin, sp->bufsize, 0) > quarter)
		sp->bufsize /= 2;
	while (sp->o.fanin > 2 &&
	    reserve(sp->o.fanin, sp->bufsize, 0) > quarter)
		sp->o.fanin--;
	sp->rec_budget = sp->o.budget - reserve(sp->o.fanin, sp->bufsize, 0);
}

struct lh_spill *
lh_spill_create(const struct lh_spill_opts *o, struct lh_err *err)
{
	struct lh_spill *sp = calloc(1, sizeof(*sp));

	if (sp == NULL) {
		lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
		return NULL;
	}
	sp->o = *o;
	if (sp->o.dir == NULL || sp->o.dir[0] == '\0')
		sp->o.dir = "/tmp";
	if (sp->o.budget < LH_SPILL_MIN_BUDGET)
		sp->o.budget = LH_SPILL_MIN_BUDGET;
	if (sp->o.fanin == 0)
		sp->o.fanin = LH_SPILL_FANIN;
	if (sp->o.fanin < 2)
		sp->o.fanin = 2;
	if (sp->o.fanin > FANIN_MAX - 1)
		sp->o.fanin = FANIN_MAX - 1;
	size_buffers(sp);
	sp->spare_cap = sp->rec_budget / 32;
	sp->rec_budget -= sp->spare_cap;
	sp->w.fd = -1;
	if ((sp->io = lh_runio_create(sp->o.dir, sp->bufsize, sp->z,
	    sp->o.raw_first != 0 ? sp->o.raw_first : LH_SPILL_RAW_FIRST,
	    err)) == NULL) {
		free(sp);
		return NULL;
	}
	return sp;
}

void
lh_spill_stats(const struct lh_spill *sp, struct lh_spill_stats *st)
{
	struct lh_runio_stats rs;

	*st = sp->st;
	lh_runio_stats(sp->io, &rs);
	st->spilled = rs.spilled;
	st->peak_disk = rs.peak_disk;
	st->max_open = rs.max_open;
}

void
lh_spill_free(struct lh_spill *sp)
{
	struct mrec *m, *next;
	size_t i;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->nheap; i++) {
		for (m = sp->heap[i].m; m != NULL; m = next) {
			next = m->next;
			free(m);
		}
	}
	free(sp->heap);
	free(sp->last);
	drop_spares(sp);
	if (sp->w.fd >= 0)
		lh_runio_wdrop(sp->io, &sp->w);
	for (i = 0; i < sp->nruns; i++)
		lh_runio_close(sp->io, sp->runs[i].fd, sp->runs[i].stored);
	free(sp->runs);
	lh_runio_free(sp->io);
	free(sp);
}
