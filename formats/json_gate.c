/*
 * json_gate.c: the time of a JSON document read from its raw bytes,
 * without json-c, so that the gate of the triage context pass
 * (lh_parse_opts.gate, core/gate.h) can skip a document cheaply.
 *
 * DESIGN
 * The scanner (json_gate_scan.c) checks that the bytes are one JSON
 * object and records the keys of its three outer levels, with where each
 * value lies: enough for every path the kinds of json_int.h look at, also
 * under "_source".  The kind and the time are then decided by the tests
 * of json.c and the converters, done over these records: lh_json_get_path's
 * lookup (nested, dotted or mixed; the first match in text order, which
 * is json-c's; null as absent), the wrapper test, @timestamp through
 * lh_json_doc_time's own steps, the journal stamps through journald_map's,
 * and a Filebeat message through the syslog header grok itself, on a
 * scratch event.
 *
 * Cost: every document of a text run's first pass comes here (the time
 * map).  A lookup skips an object none of whose keys can have its name:
 * each object keeps a 64-bit set of one bit per key name (name_bit), and a
 * name or path looked up has its bits worked out once per scanner
 * (name_of).  The decision is split in two: resolve() works out a plan --
 * the kind, and which records the time and the host are read from -- by
 * the lookups, and plan_time() reads the time from those records' values.
 * The scanner keeps the layouts of recent documents, and a document of a
 * kept layout has only other values in some string and number records
 * (again()): which record a lookup leads to does not change then, and the
 * lookups are kept (look_of), and so is the plan of the layout, as long as
 * none of the values it compared (path_is: a dataset, an input type) is
 * one of those that changed.  So a document that repeats one before but
 * for its stamp and message costs the compare of its bytes with the one
 * before, the read of its changed values, and the time's own parse.  The
 * zone of the last event.timezone is kept for the next document with the
 * same name.
 *
 * What the scanner cannot tell exactly answers "don't know", and the
 * document is parsed as usual: syntax only json-c takes (comments, single
 * quotes, raw control characters, NaN), a key with an escape on a
 * recorded level (it might spell a name looked for), a key given twice on
 * a path looked up (json-c keeps the last value in the first one's
 * place), an escape in a string that is compared (the message is
 * unescaped: it is read whole), a number that is not a plain integer
 * where a time is read, an array where a journal stamp is read, nesting
 * deeper than MAX_NEST, more than MAX_KEYS keys or MAX_OBJS objects on the
 * recorded levels.  A document that json.c refuses although the scanner
 * takes it (json.c's limits on objects and values) yields no event
 * either way, so skipping it changes no event (only its warning goes).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/journald_map.h"
#include "formats/json_gate_int.h"
#include "formats/json_int.h"
#include "formats/syslog_header.h"

struct lh_json_rawtime *
lh_json_rawtime_create(void)
{
	struct lh_json_rawtime *r = calloc(1, sizeof(*r));

	if (r != NULL) {
		lh_event_init(&r->ev);
		lh_json_gate_init(r, 0);
	}
	return r;
}

void
lh_json_rawtime_portable(struct lh_json_rawtime *r)
{
	lh_json_gate_init(r, 1);
}

void
lh_json_rawtime_free(struct lh_json_rawtime *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < NLAYOUT; i++)
		lh_buf_free(&r->lay[i].copy);
	lh_buf_free(&r->msg);
	lh_buf_free(&r->host);
	lh_event_free(&r->ev);
	free(r);
}

/* ---- lookups over the records ------------------------------------------ */

/* Marks r bad when key k is given twice in its object. */
static void
check_twice(struct lh_json_rawtime *r, const struct key *k)
{
	if (k->twice)
		r->bad = 1;
}

/*
 * A slot for the address s and k: the high bits of a multiplicative hash
 * (the low bits of literals' addresses share too much for a table of 64).
 */
static inline size_t
slot_of(const char *s, unsigned k)
{
	return (size_t)((((uint64_t)(uintptr_t)s + k) *
	    UINT64_C(0x9e3779b97f4a7c15)) >> 56);
}

/*
 * What the lookups need of the name or path s: its length and bits.  The
 * lookups of this file pass string literals (or pointers into them), whose
 * bytes never change, so what is worked out once for an address holds for
 * every document: it is kept in a slot of r->memo by address.
 */
static const struct name *
name_of(struct lh_json_rawtime *r, const char *s)
{
	struct name *m = &r->memo[slot_of(s, 0) % NMEMO];
	size_t i;

	if (m->s == s)
		return m;
	m->s = s;
	m->n = strlen(s);
	m->whole = m->n > 0 ? (uint64_t)1 << lh_json_gate_name_bit(s, m->n) : 0;
	m->prefixes = m->whole;
	for (i = 1; i < m->n; i++)
		if (s[i] == '.')
			m->prefixes |= (uint64_t)1 <<
			    lh_json_gate_name_bit(s, i);
	return m;
}

/* json_object_object_get_ex: the value of key name (null too), or NULL. */
static const struct val *
exact_walk(struct lh_json_rawtime *r, int oi, const char *name)
{
	const struct name *m = name_of(r, name);
	size_t n = m->n;
	int i;

	if ((r->L->objs[oi].names & m->whole) == 0)
		return NULL;	/* no key has its bit */
	for (i = r->L->objs[oi].first; i >= 0; i = r->L->keys[i].next) {
		if (r->L->keys[i].n == n && r->L->keys[i].p[0] == name[0] &&
		    memcmp(r->L->keys[i].p, name, n) == 0) {
			check_twice(r, &r->L->keys[i]);
			return &r->L->keys[i].v;
		}
	}
	return NULL;
}

/* lh_json_get_path over the records (json_ecs.c). */
static const struct val *
path_walk(struct lh_json_rawtime *r, int oi, const char *path)
{
	const struct name *m;
	const struct val *v;
	const struct key *k;
	size_t pl;
	int i;

	if (oi < 0) {
		r->bad = 1;
		return NULL;
	}
	m = name_of(r, path);
	if ((r->L->objs[oi].names & m->prefixes) == 0)
		return NULL;	/* no key that path starts with */
	pl = m->n;
	for (i = r->L->objs[oi].first; i >= 0; i = r->L->keys[i].next) {
		k = &r->L->keys[i];
		if (k->n > pl || k->n == 0 || k->p[0] != path[0] ||
		    memcmp(path, k->p, k->n) != 0 ||
		    (path[k->n] != '\0' && path[k->n] != '.'))
			continue;
		check_twice(r, k);
		if (path[k->n] == '\0' && k->v.type != V_NULL)
			return &k->v;
		if (path[k->n] == '.' && k->v.type == V_OBJ &&
		    (v = path_walk(r, k->v.obj, path + k->n + 1)) != NULL)
			return v;
	}
	return NULL;
}

/*
 * A lookup of exact_walk or path_walk (path), kept: what either gives --
 * which record's value, and whether bad is set -- depends on the keys of
 * the records (names, twice, which object holds them), the objects' bits
 * and the types null and object, all set by scan() alone.  again() only
 * puts other values into records of a string or a number, of the same
 * type, so a lookup done since the last scan() gives the same record and
 * bad again (L->gen names the scan).  Names are string literals (see
 * name_of): an address stands for its bytes.
 */
static const struct val *
look_of(struct lh_json_rawtime *r, int oi, const char *s, int path)
{
	struct look *l = &r->look[slot_of(s, (unsigned)oi * 2 +
	    (unsigned)path) % NLOOK];
	const struct val *v;
	int bad = r->bad;

	if (l->gen == r->L->gen && l->s == s && l->oi == oi &&
	    l->path == path) {
		r->bad |= l->bad;
		return l->key >= 0 ? &r->L->keys[l->key].v : NULL;
	}
	r->bad = 0;
	v = path ? path_walk(r, oi, s) : exact_walk(r, oi, s);
	l->s = s;
	l->gen = r->L->gen;
	l->oi = oi;
	l->path = path;
	l->bad = r->bad;
	l->key = lh_json_gate_key_of(r, v);
	r->bad |= bad;
	return v;
}

static const struct val *
exact(struct lh_json_rawtime *r, int oi, const char *name)
{
	return look_of(r, oi, name, 0);
}

const struct val *
lh_json_gate_exact(struct lh_json_rawtime *r, int oi, const char *name)
{
	return exact(r, oi, name);
}

static const struct val *
get_path(struct lh_json_rawtime *r, int oi, const char *path)
{
	if (oi < 0) {
		r->bad = 1;
		return NULL;
	}
	return look_of(r, oi, path, 1);
}

/* lh_json_path_is: a string at path equal to want. */
static int
path_is(struct lh_json_rawtime *r, int oi, const char *path, const char *want)
{
	const struct val *v = get_path(r, oi, path);

	if (v == NULL || v->type != V_STR)
		return 0;
	r->L->keys[lh_json_gate_key_of(r, v)].dep = 1;	/* see plan */
	if (v->esc) {
		r->bad = 1;
		return 0;
	}
	return v->n == strlen(want) && memcmp(v->p, want, v->n) == 0;
}

/* ---- the kinds (json.c, json_int.h DESIGN) ----------------------------- */

/* json.c's wrapped_array, on the document (record 0). */
static int
wrapper(struct lh_json_rawtime *r)
{
	static const char *const keys[] = { "events", "expected", "hits.hits" };
	const struct val *a;
	size_t i;

	if (exact(r, 0, "message") != NULL || exact(r, 0, "@timestamp") != NULL)
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		a = get_path(r, 0, keys[i]);
		if (a != NULL && a->type == V_ARR && a->wraps)
			return 1;
	}
	return 0;
}

static int
is_journal(struct lh_json_rawtime *r, int o)
{
	return exact(r, o, "MESSAGE") != NULL ||
	    exact(r, o, "__REALTIME_TIMESTAMP") != NULL ||
	    exact(r, o, "__CURSOR") != NULL;
}

static int
is_auth(struct lh_json_rawtime *r, int o)
{
	return path_is(r, o, "event.dataset", "system.auth") ||
	    path_is(r, o, "data_stream.dataset", "system.auth") ||
	    path_is(r, o, "fileset.name", "auth");
}

static int
is_journald_input(struct lh_json_rawtime *r, int o)
{
	return (get_path(r, o, "journald") != NULL ||
	    path_is(r, o, "input.type", "journald")) &&
	    get_path(r, o, "event.ingested") == NULL;
}

static int
is_filebeat_raw(struct lh_json_rawtime *r, int o)
{
	const struct val *m = get_path(r, o, "message");

	if (m == NULL || m->type != V_STR ||
	    get_path(r, o, "process.name") != NULL ||
	    get_path(r, o, "event.ingested") != NULL ||
	    get_path(r, o, "journald") != NULL ||
	    path_is(r, o, "input.type", "journald"))
		return 0;
	if (path_is(r, o, "@metadata.beat", "filebeat"))
		return 1;
	return get_path(r, o, "input.type") != NULL &&
	    (path_is(r, o, "fileset.name", "syslog") ||
	    path_is(r, o, "event.module", "system") ||
	    path_is(r, o, "data_stream.dataset", "system.syslog") ||
	    is_auth(r, o));
}

/* The record of what lookup v gave (key), or -1 for none. */
static int
rec(struct lh_json_rawtime *r, const struct val *v)
{
	return lh_json_gate_key_of(r, v);
}

/*
 * json.c's document() over the records: the kind, and the records the
 * time functions below read, looked up as they would (lh_json_filebeat
 * reads the auth test, log.syslog, message, @timestamp, event.timezone;
 * the others @timestamp or the journal stamps).  A lookup that cannot
 * tell (r->bad) leaves no kind.  Every value compared on the way is
 * marked dep: the plan holds for a document of the layout whose dep
 * values are the same.
 */
static void
resolve(struct lh_json_rawtime *r, struct plan *pl)
{
	const struct val *src = exact(r, 0, "_source");
	int o = 0, wrapped = 0, bad;

	memset(pl, 0, sizeof(*pl));
	pl->ts = pl->msg = pl->tz = pl->stamp[0] = pl->stamp[1] = -1;
	if (src != NULL && src->type == V_OBJ) {
		o = src->obj;
		wrapped = 1;
	}
	pl->o = o;
	pl->kind = JG_ECS;
	if (wrapper(r))
		pl->kind = JG_NONE;
	else if (is_journal(r, o)) {
		pl->kind = JG_JOURNAL;
		pl->stamp[0] = rec(r, exact(r, o, "__REALTIME_TIMESTAMP"));
		/* looked up only when the first does not parse */
		bad = r->bad;
		r->bad = 0;
		pl->stamp[1] = rec(r, exact(r, o,
		    "_SOURCE_REALTIME_TIMESTAMP"));
		pl->bad1 = r->bad;
		r->bad = bad;
	} else if (!wrapped && !is_journald_input(r, o) &&
	    is_filebeat_raw(r, o)) {
		pl->kind = JG_GROK;
		pl->auth = is_auth(r, o);
		pl->ecs = pl->auth && get_path(r, o, "log.syslog") != NULL;
		if (!pl->ecs) {
			pl->msg = rec(r, get_path(r, o, "message"));
			pl->tz = rec(r, get_path(r, o, "event.timezone"));
		}
	}
	if (pl->kind == JG_ECS || pl->kind == JG_GROK)
		pl->ts = rec(r, exact(r, o, "@timestamp"));
	if (r->bad)
		pl->kind = JG_NONE;
	if (pl->kind != JG_NONE)
		lh_json_gate_plan_host(r, pl);
}

/* The value of record k, or NULL for -1. */
static const struct val *
val_of(struct lh_json_rawtime *r, int k)
{
	return k >= 0 ? &r->L->keys[k].v : NULL;
}

/* A plain integer: no fraction, no exponent, at most max digits. */
static int
plain_int(const struct val *v, size_t max)
{
	size_t i = v->n > 0 && v->p[0] == '-';

	if (v->n - i > max)
		return 0;
	for (; i < v->n; i++)
		if (v->p[i] < '0' || v->p[i] > '9')
			return 0;
	return 1;
}

/* lh_json_doc_time of @timestamp t: LH_OK, LH_EOF, LH_WARN, or UNKNOWN. */
static int
doc_time(const struct lh_json_doc *d, const struct val *t, int64_t *us,
    int64_t *prec)
{
	int64_t ms;

	if (t == NULL || t->type == V_NULL)
		return LH_EOF;
	switch (t->type) {
	case V_NUM:
		/* json-c's int; 15 digits are far within int64_t */
		if (!plain_int(t, 15) || lh_num_parse(t->p, t->n, INT64_MIN,
		    INT64_MAX, &ms) != LH_OK)
			return UNKNOWN;
		return lh_json_time_millis(ms, us, prec);
	case V_STR:
		if (t->esc)
			return UNKNOWN;
		return lh_json_time_text(d, t->p, t->n, us, prec);
	default:
		return LH_WARN;
	}
}

/* lh_json_ecs's time (also the journald and syslog inputs'). */
static int
ecs_time(const struct lh_json_doc *d, const struct val *t, int64_t *ts,
    int64_t *prec, int *flags)
{
	*flags = 0;
	return doc_time(d, t, ts, prec) == LH_OK;
}

/*
 * lh_json_journal's time: journald_map's, from the first of the two stamps
 * that parses; a value is what journal_value makes of it.
 */
static int
journal_time(struct lh_json_rawtime *r, const struct plan *pl, int64_t *ts,
    int64_t *prec, int *flags)
{
	const struct val *v;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (i == 1 && pl->bad1)
			return 0;
		v = val_of(r, pl->stamp[i]);
		if (v == NULL || v->type == V_NULL || v->type == V_OBJ ||
		    v->type == V_BOOL)
			continue;	/* no field, or "true"/"false" */
		/* a non-negative int prints as it is written */
		if (v->type == V_ARR || (v->type == V_STR && v->esc) ||
		    (v->type == V_NUM && (v->p[0] == '-' || !plain_int(v, 18))))
			return 0;
		if (lh_journald_map_usec(v->p, v->n, ts) == LH_OK) {
			*prec = 1;
			*flags = 0;
			return 1;
		}
	}
	return 0;
}

/*
 * A fixed zone from event.timezone z (no escapes) into r->tz: 1, or 0
 * when lh_json_zone_offset takes none.  No zone it takes is longer than
 * "GMT+02:00".
 */
static int
zone(struct lh_json_rawtime *r, const struct val *z)
{
	if (z->n >= sizeof(r->zname))
		return 0;
	/* the same name as the last one: the same zone */
	if (r->zset && z->n == r->zlen && memcmp(z->p, r->zname, z->n) == 0)
		return r->zok;
	memcpy(r->zname, z->p, z->n);
	r->zname[z->n] = '\0';
	r->zlen = z->n;
	r->zset = 1;
	r->zok = lh_json_zone_offset(r->zname, &r->tz) == 0;
	return r->zok;
}

/*
 * lh_json_filebeat's time: the grok's on the message, else @timestamp.
 * The grok runs on the scratch event with ctx.lazy set, which leaves out
 * only steps after the time is set.
 */
static int
filebeat_time(struct lh_json_rawtime *r, const struct lh_json_doc *d,
    const struct plan *pl, int64_t *ts, int64_t *prec, int *flags)
{
	struct lh_syslog_header_ctx ctx;
	const struct val *m = val_of(r, pl->msg), *z = val_of(r, pl->tz);
	int64_t read = LH_TS_NONE, rprec = 1;
	int trc, rc;

	if (pl->ecs)
		return ecs_time(d, val_of(r, pl->ts), ts, prec, flags);
	if (m == NULL || (m->esc && !lh_json_gate_unescape(&r->msg, m)) ||
	    (trc = doc_time(d, val_of(r, pl->ts), &read, &rprec)) == UNKNOWN)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.tz = d->opts->tz;
	if (z != NULL && z->type == V_STR) {
		if (z->esc)
			return 0;
		if (zone(r, z))
			ctx.tz = &r->tz;
	}
	ctx.ref = trc == LH_OK ? read : d->src->mtime;
	ctx.year = d->opts->year;
	ctx.auth = pl->auth;
	ctx.lazy = 1;
	ctx.memo = &r->smemo;
	lh_event_reset(&r->ev);
	if (m->esc)
		rc = lh_syslog_header_grok(r->msg.p, r->msg.len, &ctx, &r->ev);
	else
		rc = lh_syslog_header_grok(m->p, m->n, &ctx, &r->ev);
	if (rc == LH_FATAL)
		return 0;
	r->kind = JG_GROK;
	*ts = rc == LH_OK ? r->ev.ts : trc == LH_OK ? read : LH_TS_NONE;
	*prec = rc == LH_OK ? r->ev.ts_prec : trc == LH_OK ? rprec : 1;
	*flags = rc == LH_OK ? r->ev.ts_flags : 0;
	return *ts != LH_TS_NONE;
}

/* The time of the document of the records, by plan pl. */
static int
plan_time(struct lh_json_rawtime *r, const struct lh_json_doc *d,
    const struct plan *pl, int64_t *ts, int64_t *prec, int *flags)
{
	r->kind = pl->kind == JG_GROK ? JG_ECS : pl->kind;
	switch (pl->kind) {
	case JG_JOURNAL:
		return journal_time(r, pl, ts, prec, flags);
	case JG_ECS:
		return ecs_time(d, val_of(r, pl->ts), ts, prec, flags);
	case JG_GROK:
		return filebeat_time(r, d, pl, ts, prec, flags);
	default:
		return 0;
	}
}

/*
 * The plan for the records of r->L: the layout's own when it holds (made
 * over these records, and no value it compared is patched), else one
 * worked out now into *tmp, kept as the layout's when no value it
 * compared is patched (then it holds for copy's values).
 */
static const struct plan *
plan_of(struct lh_json_rawtime *r, struct plan *tmp)
{
	struct layout *L = r->L;
	int k, held = L->plan.gen == L->gen;

	for (k = 0; held && k < L->npatched; k++)
		if (L->keys[L->slot[L->patched[k]].key].dep)
			held = 0;
	if (held)
		return &L->plan;
	r->bad = 0;
	resolve(r, tmp);
	for (k = 0; k < L->npatched; k++)
		if (L->keys[L->slot[L->patched[k]].key].dep)
			return tmp;
	L->plan = *tmp;
	L->plan.gen = L->gen;
	return &L->plan;
}

int
lh_json_rawtime(struct lh_json_rawtime *r, const struct lh_json_doc *d,
    const char *p, size_t n, int64_t *ts, int64_t *prec, int *flags)
{
	r->kind = JG_NONE;
	r->pl = NULL;
	if (!lh_json_gate_records(r, p, n))
		return 0;
	r->doclen = n;
	r->pl = plan_of(r, &r->tmp);
	if (!plan_time(r, d, r->pl, ts, prec, flags)) {
		r->kind = JG_NONE;
		return 0;
	}
	return 1;
}
