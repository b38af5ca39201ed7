/*
 * esql_stats.c: STATS ... BY over a stream of events, and the rows it
 * yields through the final WHERE.
 *
 * DESIGN
 * A run keeps one group per distinct BY key.  Keys and the values of
 * count_distinct/values are stored encoded (a type-independent byte string
 * whose bytewise order is the values' order: big-endian numbers with the
 * sign bit flipped, raw keyword bytes, the 16 bytes of an ip), in hash
 * sets that only grow, so memory follows the number of groups and of
 * distinct values, not the number of events.  A streaming run forgets
 * its groups at each new time bucket but keeps their arrays (those of
 * aggregates up to BSET_KEEP entries) for the groups of the next one: a
 * bucket whose groups hold an event or two costs no allocation per event.
 * Semantics, from the ES|QL reference:
 *   - a null key is a group of its own ("ES|QL COUNT": STATS count =
 *     COUNT(*) BY languages yields a row whose languages is null);
 *   - a row whose key is multi-valued is counted in the group of each
 *     value (STATS "multivalued" examples; elastic/elasticsearch#134792);
 *   - COUNT(*) counts rows; COUNT(col) counts values, each value of a
 *     multi-valued cell once ("ES|QL COUNT": "the total number (count) of
 *     input values"); "Individual null values are skipped when computing
 *     aggregations" (STATS);
 *   - COUNT_DISTINCT is exact; Elasticsearch computes it with
 *     HyperLogLog++ whose precision threshold defaults to 3000, below
 *     which counts are "expected to be close to accurate" (exact in
 *     practice), so results agree for the small counts rules compare;
 *   - VALUES returns each distinct value once (elastic/elasticsearch
 *     #128157) in no defined order; here ascending, for deterministic
 *     output.
 * The output rows are sorted by key (ascending, nulls last) for the same
 * reason: without SORT, ES|QL's row order is unspecified.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/esql.h"
#include "core/esql_int.h"
#include "core/field.h"
#include "core/status.h"

/*
 * A set of byte strings, in insertion order.  Most sets stay tiny (one
 * group's values of a user or an address), so their arrays start small
 * instead of at the shared helpers' defaults: a run with many groups
 * costs some hundred bytes per group, not some kilobytes.
 */
struct bent {
	uint32_t hash;
	uint32_t len;
	size_t off;		/* in data */
};

#define BSET_FIRST 2		/* entries of a new set */
#define BSET_KEEP 64		/* a cleared set keeps arrays this small */

struct bset {
	char *data;		/* the strings, each NUL-terminated */
	size_t dlen, dcap;
	struct bent *e;
	size_t n, cap;
	uint32_t *slot;		/* open addressing: entry index + 1, or 0 */
	size_t nslot;
};

struct aggst {
	uint64_t n;		/* COUNT, COUNT(*) */
	struct bset set;	/* COUNT_DISTINCT, VALUES */
};

struct group {
	uint64_t nevents, last_id;
	uint64_t *ids;
	size_t nids, idcap;
	struct aggst *a;
};

struct lh_esql_run {
	const struct lh_esql *q;
	struct lh_esql_scratch s;
	struct bset keys;	/* encoded keys; entry i is group i */
	struct group *g;
	size_t ng, gcap;
	size_t gmade;		/* g[ng..gmade): cleared, arrays kept */
	struct lh_buf key;	/* the key being built */
	struct lh_buf vbuf;	/* a value being encoded */
	const struct lh_event *ev;
	uint64_t id;
	int dropped;		/* rows left out: LH_ESQL_MAX_GROUPS */
	lh_esql_row_fn stream;	/* lh_esql_run_stream(), or NULL */
	void *stream_arg;
	int have_last;		/* last: the latest time bucket seen */
	int64_t last;
	int64_t since;		/* earliest time in a group; INT64_MAX: none */
	int status;		/* of a flush */
	struct lh_err *err;	/* lh_esql_run_feed()'s */
};

/* ---- byte-string sets ---------------------------------------------------- */

static void
bset_free(struct bset *b)
{
	free(b->data);
	free(b->e);
	free(b->slot);
	memset(b, 0, sizeof(*b));
}

/* Empties b; its arrays stay for reuse unless they hold over keep. */
static void
bset_clear(struct bset *b, size_t keep)
{
	if (b->cap > keep) {
		bset_free(b);
		return;
	}
	b->n = 0;
	b->dlen = 0;
	if (b->nslot > 0)
		memset(b->slot, 0, b->nslot * sizeof(*b->slot));
}

static int
bset_rehash(struct bset *b)
{
	size_t ns = b->nslot ? b->nslot * 2 : 2 * BSET_FIRST, i, h;
	uint32_t *slot = calloc(ns, sizeof(*slot));

	if (slot == NULL)
		return LH_FATAL;
	for (i = 0; i < b->n; i++) {
		for (h = b->e[i].hash & (ns - 1); slot[h] != 0;
		    h = (h + 1) & (ns - 1))
			;
		slot[h] = (uint32_t)i + 1;
	}
	free(b->slot);
	b->slot = slot;
	b->nslot = ns;
	return LH_OK;
}

/* Whether the n bytes at p (hash: their lh_field_hash) are in b: *idx. */
static int
bset_find(const struct bset *b, const char *p, size_t n, uint32_t hash,
    size_t *idx)
{
	size_t h;
	uint32_t k;

	if (b->nslot == 0)
		return 0;
	for (h = hash & (b->nslot - 1); (k = b->slot[h]) != 0;
	    h = (h + 1) & (b->nslot - 1)) {
		const struct bent *e = &b->e[k - 1];

		if (e->hash == hash && e->len == n &&
		    memcmp(b->data + e->off, p, n) == 0) {
			*idx = k - 1;
			return 1;
		}
	}
	return 0;
}

/*
 * Adds the n bytes at p unless present; *idx is the entry's index, *added
 * whether it is new.  LH_OK or LH_FATAL.
 */
static int
bset_add(struct bset *b, const char *p, size_t n, size_t *idx, int *added)
{
	uint32_t hash = lh_field_hash(p, n);
	size_t h;

	*added = 0;
	if (bset_find(b, p, n, hash, idx))
		return LH_OK;
	if (b->cap == 0 && (b->e = malloc(BSET_FIRST * sizeof(*b->e))) != NULL)
		b->cap = BSET_FIRST;
	if (n > UINT32_MAX || b->n >= UINT32_MAX - 1 ||
	    lh_grow(&b->e, &b->cap, b->n + 1, sizeof(*b->e)) != LH_OK ||
	    lh_grow(&b->data, &b->dcap, b->dlen + n + 1, 1) != LH_OK)
		return LH_FATAL;
	b->e[b->n].hash = hash;
	b->e[b->n].len = (uint32_t)n;
	b->e[b->n].off = b->dlen;
	memcpy(b->data + b->dlen, p, n);
	b->data[b->dlen + n] = '\0';
	b->dlen += n + 1;
	*idx = b->n++;
	*added = 1;
	if (b->n * 2 > b->nslot)
		return bset_rehash(b);
	for (h = hash & (b->nslot - 1); b->slot[h] != 0;
	    h = (h + 1) & (b->nslot - 1))
		;
	b->slot[h] = (uint32_t)*idx + 1;
	return LH_OK;
}

/* ---- encoding ------------------------------------------------------------ */

static void
put_u64(unsigned char *o, uint64_t u)
{
	int i;

	for (i = 7; i >= 0; i--, u >>= 8)
		o[i] = (unsigned char)u;
}

/* Key components are: 1 (a value) or 2 (null), a length, the value. */
static void
put_u32(unsigned char *o, size_t n)
{
	o[0] = (unsigned char)(n >> 24);
	o[1] = (unsigned char)(n >> 16);
	o[2] = (unsigned char)(n >> 8);
	o[3] = (unsigned char)n;
}

static size_t
get_u32(const unsigned char *o)
{
	return (size_t)o[0] << 24 | (size_t)o[1] << 16 | (size_t)o[2] << 8 |
	    o[3];
}

static uint64_t
get_u64(const unsigned char *o)
{
	uint64_t u = 0;
	int i;

	for (i = 0; i < 8; i++)
		u = u << 8 | o[i];
	return u;
}

/* Appends the order-preserving encoding of v to b. */
static int
encode(struct lh_buf *b, const struct lh_esql_value *v)
{
	unsigned char o[16];
	uint64_t u;

	switch (v->type) {
	case LH_ESQL_KEYWORD:
		return lh_buf_append(b, v->s, v->len);
	case LH_ESQL_IP:
		return lh_buf_append(b, v->ip.b, 16);
	case LH_ESQL_DOUBLE:
		memcpy(&u, &v->d, 8);
		u = (u >> 63) ? ~u : u ^ (1ULL << 63);
		break;
	default:
		u = (uint64_t)v->n ^ (1ULL << 63);
		break;
	}
	put_u64(o, u);
	return lh_buf_append(b, o, 8);
}

/* The value of type t encoded in the n bytes at p (which it borrows). */
static void
decode(enum lh_esql_type t, const char *p, size_t n, struct lh_esql_value *v)
{
	const unsigned char *u = (const unsigned char *)p;
	uint64_t x;

	memset(v, 0, sizeof(*v));
	v->type = t;
	if (t == LH_ESQL_KEYWORD) {
		v->s = p;
		v->len = n;
	} else if (t == LH_ESQL_IP) {
		memcpy(v->ip.b, p, 16);
	} else if (t == LH_ESQL_DOUBLE) {
		x = get_u64(u);
		x = (x >> 63) ? x ^ (1ULL << 63) : ~x;
		memcpy(&v->d, &x, 8);
	} else {
		v->n = (int64_t)(get_u64(u) ^ (1ULL << 63));
	}
}

/* ---- feeding -------------------------------------------------------------- */

struct lh_esql_run *
lh_esql_run_create(const struct lh_esql *q)
{
	struct lh_esql_run *run = calloc(1, sizeof(*run));

	if (run == NULL)
		return NULL;
	run->q = q;
	run->since = INT64_MAX;
	if (esql_scratch_init(&run->s, q) != LH_OK) {
		free(run);
		return NULL;
	}
	return run;
}

/*
 * Forgets every group; their arrays stay, for the next ones (group_of),
 * the ids and aggregates emptied.
 */
static void
clear_groups(struct lh_esql_run *run)
{
	size_t i, k;

	for (i = 0; i < run->ng; i++) {
		struct group *g = &run->g[i];

		g->nevents = g->last_id = 0;
		g->nids = 0;
		for (k = 0; k < run->q->nagg; k++) {
			g->a[k].n = 0;
			bset_clear(&g->a[k].set, BSET_KEEP);
		}
	}
	run->ng = 0;
	run->since = INT64_MAX;
	bset_clear(&run->keys, SIZE_MAX);
}

void
lh_esql_run_free(struct lh_esql_run *run)
{
	size_t i, k;

	if (run == NULL)
		return;
	for (i = 0; i < run->gmade; i++) {
		for (k = 0; k < run->q->nagg; k++)
			bset_free(&run->g[i].a[k].set);
		free(run->g[i].a);
		free(run->g[i].ids);
	}
	bset_free(&run->keys);
	free(run->g);
	lh_buf_free(&run->key);
	lh_buf_free(&run->vbuf);
	esql_scratch_fini(&run->s);
	free(run);
}

/* The group of the key in run->key, made if new; NULL if none is kept. */
static struct group *
group_of(struct lh_esql_run *run, int *status)
{
	size_t idx;
	int added;
	struct group *g;

	const char *key = run->key.p == NULL ? "" : run->key.p;

	if (run->ng >= LH_ESQL_MAX_GROUPS) {	/* full: existing ones only */
		if (bset_find(&run->keys, key, run->key.len,
		    lh_field_hash(key, run->key.len), &idx))
			return &run->g[idx];
		run->dropped = 1;
		return NULL;
	}
	if (bset_add(&run->keys, key, run->key.len, &idx, &added) != LH_OK)
		goto oom;
	if (!added)
		return &run->g[idx];
	if (run->ng < run->gmade)	/* emptied by clear_groups */
		return &run->g[run->ng++];
	if (lh_grow(&run->g, &run->gcap, run->ng + 1, sizeof(*g)) != LH_OK)
		goto oom;
	g = &run->g[run->ng];
	memset(g, 0, sizeof(*g));
	if (run->q->nagg > 0 && (g->a = calloc(run->q->nagg,
	    sizeof(*g->a))) == NULL)
		goto oom;
	run->gmade = ++run->ng;
	return g;
oom:
	*status = LH_FATAL;
	return NULL;
}

/* Adds the values of the cell of slot k to a distinct set. */
static int
add_values(struct lh_esql_run *run, struct bset *set, size_t k)
{
	const struct cell *cell = &run->s.cell[k];
	size_t i, idx;
	int added;

	for (i = 0; i < cell->nv; i++) {
		lh_buf_reset(&run->vbuf);
		if (encode(&run->vbuf, &run->s.pool[cell->off + i]) != LH_OK ||
		    bset_add(set, run->vbuf.p == NULL ? "" : run->vbuf.p,
		    run->vbuf.len, &idx, &added) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/* Accumulates the current row into group g. */
static int
accumulate(struct lh_esql_run *run, struct group *g)
{
	const struct lh_esql *q = run->q;
	size_t k;

	if (g->nevents == 0 || g->last_id != run->id) {
		g->nevents++;
		g->last_id = run->id;
		if (g->nids < LH_ESQL_MAX_IDS) {
			if (g->idcap == 0 && (g->ids = malloc(BSET_FIRST *
			    sizeof(*g->ids))) != NULL)
				g->idcap = BSET_FIRST;
			if (lh_grow(&g->ids, &g->idcap, g->nids + 1,
			    sizeof(*g->ids)) != LH_OK)
				return LH_FATAL;
			g->ids[g->nids++] = run->id;
		}
	}
	for (k = 0; k < q->nagg; k++) {
		const struct agg *a = &q->agg[k];

		if (a->kind == A_COUNT_ALL)
			g->a[k].n++;
		else if (a->kind == A_COUNT)
			g->a[k].n += run->s.cell[a->slot].nv;
		else if (add_values(run, &g->a[k].set, a->slot) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/*
 * Builds the key from BY key j on (one value of each multi-valued key per
 * call: the row goes to every combination) and accumulates the row.
 */
static int
key_from(struct lh_esql_run *run, size_t j)
{
	const struct cell *cell;
	unsigned char hdr[5];
	size_t mark = run->key.len, i, start;
	int status = LH_OK;
	struct group *g;

	if (j == run->q->nby) {
		if ((g = group_of(run, &status)) == NULL)
			return status;
		return accumulate(run, g);
	}
	cell = &run->s.cell[run->q->by[j]];
	for (i = 0; i == 0 || i < cell->nv; i++) {
		run->key.len = mark;
		start = mark + sizeof(hdr);
		hdr[0] = cell->nv == 0 ? 2 : 1;	/* nulls sort last */
		if (lh_buf_append(&run->key, hdr, sizeof(hdr)) != LH_OK ||
		    (cell->nv > 0 && encode(&run->key,
		    &run->s.pool[cell->off + i]) != LH_OK))
			return LH_FATAL;
		put_u32((unsigned char *)run->key.p + mark + 1,
		    run->key.len - start);
		if ((status = key_from(run, j + 1)) != LH_OK)
			return status;
	}
	run->key.len = mark;
	return LH_OK;
}

/*
 * Streaming (lh_esql_run_stream): when the row's time bucket (the first BY
 * key) is later than every group's, those groups are complete - events
 * come in time order - and are finished and forgotten now.
 */
static int
flush_before(struct lh_esql_run *run)
{
	const struct cell *c = &run->s.cell[run->q->by[0]];
	int64_t b;

	if (c->nv != 1)
		return LH_OK;
	b = run->s.pool[c->off].n;
	if (run->have_last && b > run->last && run->ng > 0) {
		run->status = lh_esql_run_finish(run, run->stream,
		    run->stream_arg, run->err);
		clear_groups(run);
		if (run->status != LH_OK)
			return run->status;
	}
	if (!run->have_last || b > run->last)
		run->last = b;
	run->have_last = 1;
	return LH_OK;
}

/* The STATS sink: one row reached STATS. */
static int
stats_row(void *arg, struct lh_esql_scratch *s)
{
	struct lh_esql_run *run = arg;
	const struct lh_esql *q = run->q;
	size_t k;

	(void)s;
	for (k = 0; k < q->nby; k++)
		if (esql_cell(q, run->ev, &run->s, q->by[k]) != LH_OK)
			return LH_FATAL;
	for (k = 0; k < q->nagg; k++)
		if (q->agg[k].kind != A_COUNT_ALL &&
		    esql_cell(q, run->ev, &run->s, q->agg[k].slot) != LH_OK)
			return LH_FATAL;
	if (run->stream != NULL && flush_before(run) != LH_OK)
		return run->status;
	if (run->ev->ts < run->since)
		run->since = run->ev->ts;
	lh_buf_reset(&run->key);
	return key_from(run, 0);
}

int
lh_esql_run_feed(struct lh_esql_run *run, const struct lh_event *ev,
    uint64_t event_id, struct lh_err *err)
{
	int r;

	run->ev = ev;
	run->id = event_id;
	run->dropped = 0;
	run->status = LH_OK;
	run->err = err;
	r = esql_run_rows(run->q, ev, &run->s, stats_row, run);
	run->ev = NULL;
	if (r != LH_OK && run->status != LH_OK)
		return run->status;	/* a flush failed: err says why */
	if (r == LH_FATAL)
		return lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	if (run->dropped)
		return lh_err_set(err, LH_WARN, 0, "more than %d STATS "
		    "groups: rows of event %llu left out", LH_ESQL_MAX_GROUPS,
		    (unsigned long long)event_id);
	return LH_OK;
}

/* ---- results --------------------------------------------------------------- */

/* Compares two encoded keys component by component (nulls last). */
static int
key_cmp(const struct bset *keys, size_t a, size_t b)
{
	const unsigned char *p = (const unsigned char *)keys->data;
	const unsigned char *x = p + keys->e[a].off, *y = p + keys->e[b].off;
	const unsigned char *xe = x + keys->e[a].len;
	size_t xl, yl;
	int c;

	while (x < xe) {
		if (x[0] != y[0])
			return x[0] < y[0] ? -1 : 1;
		xl = get_u32(x + 1);
		yl = get_u32(y + 1);
		if ((c = lh_span_cmp((const char *)x + 5, xl,
		    (const char *)y + 5, yl)) != 0)
			return c;
		x += 5 + xl;
		y += 5 + yl;
	}
	return 0;
}

/* Sorts the n group numbers at v by key (a stable merge sort). */
static int
sort_groups(const struct bset *keys, size_t *v, size_t n)
{
	size_t *t, w, i, l, r, m, e;

	if (n < 2)
		return LH_OK;
	if ((t = malloc(n * sizeof(*t))) == NULL)
		return LH_FATAL;
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			m = i + w < n ? i + w : n;
			e = i + 2 * w < n ? i + 2 * w : n;
			for (l = i, r = m; l < m || r < e;) {
				size_t at = l + r - m;

				if (r >= e || (l < m &&
				    key_cmp(keys, v[l], v[r]) <= 0))
					t[at] = v[l++];
				else
					t[at] = v[r++];
			}
		}
		memcpy(v, t, n * sizeof(*v));
	}
	free(t);
	return LH_OK;
}

/* One distinct value: its encoding. */
struct enc {
	const char *p;
	size_t n;
};

static int
enc_cmp(const void *a, const void *b)
{
	const struct enc *x = a, *y = b;

	return lh_span_cmp(x->p, x->n, y->p, y->n);
}

/* Output state: the columns of one row and their values. */
struct out {
	struct lh_esql_column *col;
	struct lh_esql_value *v;
	size_t nv, vcap;
	size_t *voff;		/* first value of each column in v */
	struct enc *enc;
	size_t encap;
};

static int
out_value(struct out *o, const struct lh_esql_value *v)
{
	return esql_value_push(&o->v, &o->nv, &o->vcap, v);
}

/* The values of a VALUES aggregate: its set, sorted. */
static int
out_set(struct out *o, const struct bset *set, enum lh_esql_type t)
{
	struct lh_esql_value v;
	size_t i;

	if (lh_grow(&o->enc, &o->encap, set->n, sizeof(*o->enc)) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < set->n; i++) {
		o->enc[i].p = set->data + set->e[i].off;
		o->enc[i].n = set->e[i].len;
	}
	if (set->n > 1)
		qsort(o->enc, set->n, sizeof(*o->enc), enc_cmp);
	for (i = 0; i < set->n; i++) {
		decode(t, o->enc[i].p, o->enc[i].n, &v);
		if (out_value(o, &v) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/* Fills output column k of group gi. */
static int
out_column(struct lh_esql_run *run, struct out *o, size_t gi, size_t k)
{
	const struct ocol *oc = &run->q->out[k];
	const struct aggst *st;
	struct lh_esql_value v;
	const unsigned char *p;
	size_t j, len;

	memset(&v, 0, sizeof(v));
	v.type = oc->type;
	if (oc->key) {
		p = (const unsigned char *)run->keys.data +
		    run->keys.e[gi].off;
		for (j = 0; run->q->out[j].key == 0; j++)
			;
		for (; j < k; j++)	/* skip the keys before this one */
			p += 5 + get_u32(p + 1);
		if (p[0] == 2)
			return LH_OK;	/* null */
		len = get_u32(p + 1);
		decode(oc->type, (const char *)p + 5, len, &v);
		return out_value(o, &v);
	}
	st = &run->g[gi].a[oc->ref];
	switch (run->q->agg[oc->ref].kind) {
	case A_COUNT_ALL:
	case A_COUNT:
		v.n = (int64_t)st->n;
		return out_value(o, &v);
	case A_COUNT_DISTINCT:
		v.n = (int64_t)st->set.n;
		return out_value(o, &v);
	default:
		return out_set(o, &st->set, oc->type);
	}
}

/* Builds the row of group gi and yields it if the final WHERE holds. */
static int
out_row(struct lh_esql_run *run, struct out *o, size_t gi,
    lh_esql_row_fn fn, void *arg)
{
	const struct lh_esql *q = run->q;
	struct ectx c = { q, NULL, NULL, NULL, LH_OK };
	struct lh_esql_row row;
	size_t k;

	o->nv = 0;
	for (k = 0; k < q->nout; k++) {
		o->voff[k] = o->nv;
		if (out_column(run, o, gi, k) != LH_OK)
			return LH_FATAL;
	}
	for (k = 0; k < q->nout; k++) {
		o->col[k].name = q->out[k].name;
		o->col[k].type = q->out[k].type;
		o->col[k].key = q->out[k].key;
		o->col[k].v = o->v == NULL ? NULL : o->v + o->voff[k];
		o->col[k].nv = (k + 1 < q->nout ? o->voff[k + 1] : o->nv) -
		    o->voff[k];
	}
	c.out = o->col;
	for (k = 0; k < q->npost; k++)
		if (esql_truth(q->post[k], &c) != 1)
			return LH_OK;
	row.col = o->col;
	row.ncol = q->nout;
	row.ids = run->g[gi].ids;
	row.nids = run->g[gi].nids;
	row.nevents = run->g[gi].nevents;
	return fn(arg, &row);
}

int
lh_esql_run_finish(struct lh_esql_run *run, lh_esql_row_fn fn, void *arg,
    struct lh_err *err)
{
	struct out o;
	size_t *order = NULL, i;
	int r = LH_FATAL;

	memset(&o, 0, sizeof(o));
	if (run->ng == 0)
		return LH_OK;
	if ((order = malloc(run->ng * sizeof(*order))) == NULL ||
	    (o.col = calloc(run->q->nout + 1, sizeof(*o.col))) == NULL ||
	    (o.voff = calloc(run->q->nout + 1, sizeof(*o.voff))) == NULL)
		goto out;
	for (i = 0; i < run->ng; i++)
		order[i] = i;
	if (sort_groups(&run->keys, order, run->ng) != LH_OK)
		goto out;
	for (i = 0, r = LH_OK; i < run->ng && r >= LH_OK; i++)
		r = out_row(run, &o, order[i], fn, arg);
out:
	if (r == LH_FATAL)
		lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
	free(order);
	free(o.col);
	free(o.voff);
	free(o.v);
	free(o.enc);
	return r < LH_OK ? r : LH_OK;
}

/* Whether the first BY key of q is date_trunc(span, @timestamp). */
static int
buckets_by_time(const struct lh_esql *q)
{
	size_t i;
	const struct expr *e = NULL;

	if (q->nby == 0)
		return 0;
	for (i = 0; i < q->ncmd; i++) {
		if (q->cmd[i].kind == C_EVAL && q->cmd[i].slot == q->by[0])
			e = q->cmd[i].e;
		else if (q->cmd[i].kind == C_EXPAND &&
		    q->cmd[i].slot == q->by[0])
			return 0;
	}
	return e != NULL && e->kind == E_TRUNC && e->nkid == 1 &&
	    e->kid[0]->kind == E_COL && q->slot[e->kid[0]->col].src == SRC_TS;
}

int64_t
lh_esql_run_since(const struct lh_esql_run *run)
{
	return run->stream != NULL ? run->since : INT64_MIN;
}

int
lh_esql_run_stream(struct lh_esql_run *run, lh_esql_row_fn fn, void *arg)
{
	if (!buckets_by_time(run->q))
		return 0;
	run->stream = fn;
	run->stream_arg = arg;
	return 1;
}
