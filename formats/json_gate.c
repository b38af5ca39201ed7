/*
 * json_gate.c: the time of a JSON document read from its raw bytes,
 * without json-c, so that the gate of the triage context pass
 * (lh_parse_opts.gate, core/gate.h) can skip a document cheaply.
 *
 * DESIGN
 * A light scanner checks that the bytes are one JSON object in RFC 8259
 * syntax with nothing after it but blanks, and records the keys of the
 * objects on the three outer levels, with where each value lies: enough
 * for every path the kinds of json_int.h look at, also under "_source".
 * The kind and the time are then decided by the tests of json.c and the
 * converters, done over these records: lh_json_get_path's lookup (nested,
 * dotted or mixed; the first match in text order, which is json-c's; null
 * as absent), the wrapper test, @timestamp through lh_json_doc_time's own
 * steps, the journal stamps through journald_map's, and a Filebeat
 * message through the syslog header grok itself, on a scratch event.
 *
 * Cost: every document of a text run's first pass comes here (the time
 * map), so the string scan takes 16 bytes a step (SSE2) and a lookup
 * skips an object none of whose keys can have its name: each object keeps
 * a 64-bit set of one bit per key name (name_bit), and a name or path
 * looked up has its bits worked out once per scanner (name_of).  Keys
 * given twice are marked as they are recorded (note_twice), which
 * compares names only when their bits are the same.  The zone of the last
 * event.timezone is kept for the next document with the same name.  The
 * documents of a file mostly repeat the one before but for a few values
 * (a Filebeat document's @timestamp, log.offset and message): the last
 * document scanned whole is kept with its records, and a document that
 * differs from it only inside string and number values has those values
 * read again into the records (again()), the rest compared 16 bytes a
 * step; kind and time are then decided over the records as always, but
 * the lookups done since the last whole scan are kept (look_of): which
 * record a name leads to does not change when only values do.
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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/buf.h"
#include "core/event.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"
#include "core/utf8.h"
#include "formats/journald_map.h"
#include "formats/json_gate_int.h"
#include "formats/json_int.h"
#include "formats/syslog_header.h"

struct lh_json_rawtime *
lh_json_rawtime_create(void)
{
	struct lh_json_rawtime *r = calloc(1, sizeof(*r));

	if (r != NULL)
		lh_event_init(&r->ev);
	return r;
}

void
lh_json_rawtime_free(struct lh_json_rawtime *r)
{
	if (r == NULL)
		return;
	lh_buf_free(&r->msg);
	lh_buf_free(&r->copy);
	lh_buf_free(&r->host);
	lh_event_free(&r->ev);
	free(r);
}

/* ---- the scanner (1: the value was read, 0: not one we take) ---------- */

static int value(struct lh_json_rawtime *, int, struct val *);

static void
skip_ws(struct lh_json_rawtime *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Whether the next byte is c; if so, it is consumed. */
static int
eat(struct lh_json_rawtime *r, char c)
{
	if (r->p >= r->end || *r->p != c)
		return 0;
	r->p++;
	return 1;
}

/*
 * The first byte of q[0..n) that is a '"', a '\\' or a control character,
 * or q + n: 16 bytes a step with SSE2, else 8 (the bit tricks of "Bit
 * Twiddling Hacks", haszero and hasless); the tail byte by byte.
 */
static const char *
special(const char *q, size_t n)
{
	const char *end = q + n;
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);
	__m128i x;
	unsigned m;

	for (; end - q >= 16; q += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)q);
		/* min(x, 0x1f) == x: an unsigned byte below 0x20 */
		m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bsl)),
		    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x)));
		if (m != 0)
			return q + __builtin_ctz(m);
	}
#else
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t x, a, b;

	for (; end - q >= 8; q += 8) {
		memcpy(&x, q, 8);
		a = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		if (((((a - ones) & ~a) | ((b - ones) & ~b) |
		    ((x - ones * 0x20) & ~x)) & high) != 0)
			break;
	}
#endif
	for (; q < end; q++)
		if (*q == '"' || *q == '\\' || (unsigned char)*q < 0x20)
			break;
	return q;
}

static int
string(struct lh_json_rawtime *r, struct val *v)
{
	const char *q = r->p + 1;
	unsigned char c;
	int i;

	v->type = V_STR;
	v->p = q;
	for (;;) {
		if ((q = special(q, (size_t)(r->end - q))) == r->end)
			return 0;
		c = (unsigned char)*q;
		if (c == '"') {
			v->n = (size_t)(q - v->p);
			r->p = q + 1;
			return 1;
		}
		if (c < 0x20)
			return 0;
		v->esc = 1;
		if (r->end - q < 2)
			return 0;
		c = (unsigned char)q[1];
		if (c == 'u') {
			for (i = 2; i < 6; i++)
				if (r->end - q <= i ||
				    lh_num_hexdigit(q[i]) < 0)
					return 0;
			q += 6;
		} else if (c != '\0' && strchr("\"\\/bfnrt", c) != NULL)
			q += 2;
		else
			return 0;
	}
}

static int
digits(struct lh_json_rawtime *r)
{
	const char *q = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > q;
}

static int
number(struct lh_json_rawtime *r, struct val *v)
{
	v->type = V_NUM;
	v->p = r->p;
	eat(r, '-');
	if (!eat(r, '0') && (r->p >= r->end || *r->p < '1' || *r->p > '9' ||
	    !digits(r)))
		return 0;
	if (eat(r, '.') && !digits(r))
		return 0;
	if (eat(r, 'e') || eat(r, 'E')) {
		if (!eat(r, '+'))
			eat(r, '-');
		if (!digits(r))
			return 0;
	}
	v->n = (size_t)(r->p - v->p);
	return 1;
}

static int
literal(struct lh_json_rawtime *r, const char *w, int type, struct val *v)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return 0;
	r->p += n;
	v->type = (unsigned char)type;
	return 1;
}

/*
 * One of 64 bits for a name of n bytes at p, from its length and its first
 * and last bytes: two names with different bits differ, so a lookup skips
 * an object whose keys' bits (objs[].names) lack its name's bit.
 */
static unsigned
name_bit(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	return ((unsigned)n * 5 + (unsigned char)p[0] * 3 +
	    (unsigned char)p[n - 1]) & 63;
}

/*
 * Marks key e and the keys of object oi that have its name as given twice
 * (json-c keeps one of them: see DESIGN), comparing only when another key
 * has its bit.
 */
static void
note_twice(struct lh_json_rawtime *r, int oi, struct key *e)
{
	struct key *o;
	int i;

	if ((r->objs[oi].names & (uint64_t)1 << e->bit) == 0)
		return;
	for (i = r->objs[oi].first; i >= 0; i = o->next) {
		o = &r->keys[i];
		if (o->bit == e->bit && o->n == e->n &&
		    memcmp(o->p, e->p, e->n) == 0)
			o->twice = e->twice = 1;
	}
}

/* Records key k (a string without escapes) with its value in object oi. */
static int
add_key(struct lh_json_rawtime *r, int oi, const struct val *k,
    const struct val *v)
{
	struct key *e;

	if (k->esc || r->nkeys >= MAX_KEYS)
		return 0;
	e = &r->keys[r->nkeys];
	e->p = k->p;
	e->n = k->n;
	e->v = *v;
	e->next = -1;
	e->bit = (unsigned char)name_bit(k->p, k->n);
	e->twice = 0;
	note_twice(r, oi, e);
	r->objs[oi].names |= (uint64_t)1 << e->bit;
	if (r->objs[oi].last >= 0)
		r->keys[r->objs[oi].last].next = r->nkeys;
	else
		r->objs[oi].first = r->nkeys;
	r->objs[oi].last = r->nkeys++;
	return 1;
}

/* An object on level depth (the document is level 1). */
static int
object(struct lh_json_rawtime *r, int depth, struct val *v)
{
	struct val k, e;
	int oi = -1;

	v->type = V_OBJ;
	if (depth <= REC_DEPTH) {
		if (r->nobjs >= MAX_OBJS)
			return 0;
		oi = r->nobjs++;
		r->objs[oi].first = r->objs[oi].last = -1;
		r->objs[oi].names = 0;
	}
	v->obj = oi;
	r->p++;
	skip_ws(r);
	if (eat(r, '}'))
		return 1;
	for (;;) {
		memset(&k, 0, sizeof(k));
		if (r->p >= r->end || *r->p != '"' || !string(r, &k))
			return 0;
		skip_ws(r);
		if (!eat(r, ':'))
			return 0;
		skip_ws(r);
		if (!value(r, depth + 1, &e) ||
		    (oi >= 0 && !add_key(r, oi, &k, &e)))
			return 0;
		skip_ws(r);
		if (eat(r, '}'))
			return 1;
		if (!eat(r, ','))
			return 0;
		skip_ws(r);
	}
}

static int
array(struct lh_json_rawtime *r, struct val *v)
{
	struct val e;

	v->type = V_ARR;
	v->wraps = 1;
	r->p++;
	skip_ws(r);
	if (eat(r, ']'))
		return 1;
	if (r->p < r->end && *r->p != '{')
		v->wraps = 0;
	for (;;) {
		/* nothing inside an array is on a path: not recorded */
		if (!value(r, REC_DEPTH + 1, &e))
			return 0;
		skip_ws(r);
		if (eat(r, ']'))
			return 1;
		if (!eat(r, ','))
			return 0;
		skip_ws(r);
	}
}

static int
value(struct lh_json_rawtime *r, int depth, struct val *v)
{
	int ok;

	memset(v, 0, sizeof(*v));
	v->obj = -1;
	if (r->p >= r->end)
		return 0;
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->nest > MAX_NEST)
			return 0;
		ok = *r->p == '{' ? object(r, depth, v) : array(r, v);
		r->nest--;
		return ok;
	case '"':
		return string(r, v);
	case 't':
		return literal(r, "true", V_BOOL, v);
	case 'f':
		return literal(r, "false", V_BOOL, v);
	case 'n':
		return literal(r, "null", V_NULL, v);
	default:
		return number(r, v);
	}
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
	m->whole = m->n > 0 ? (uint64_t)1 << name_bit(s, m->n) : 0;
	m->prefixes = m->whole;
	for (i = 1; i < m->n; i++)
		if (s[i] == '.')
			m->prefixes |= (uint64_t)1 << name_bit(s, i);
	return m;
}

/* json_object_object_get_ex: the value of key name (null too), or NULL. */
static const struct val *
exact_walk(struct lh_json_rawtime *r, int oi, const char *name)
{
	const struct name *m = name_of(r, name);
	size_t n = m->n;
	int i;

	if ((r->objs[oi].names & m->whole) == 0)
		return NULL;	/* no key has its bit */
	for (i = r->objs[oi].first; i >= 0; i = r->keys[i].next) {
		if (r->keys[i].n == n && r->keys[i].p[0] == name[0] &&
		    memcmp(r->keys[i].p, name, n) == 0) {
			check_twice(r, &r->keys[i]);
			return &r->keys[i].v;
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
	if ((r->objs[oi].names & m->prefixes) == 0)
		return NULL;	/* no key that path starts with */
	pl = m->n;
	for (i = r->objs[oi].first; i >= 0; i = r->keys[i].next) {
		k = &r->keys[i];
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
 * bad again (r->gen counts the scans).  Names are string literals (see
 * name_of): an address stands for its bytes.
 */
static const struct val *
look_of(struct lh_json_rawtime *r, int oi, const char *s, int path)
{
	struct look *l = &r->look[slot_of(s, (unsigned)oi * 2 +
	    (unsigned)path) % NLOOK];
	const struct val *v;
	int bad = r->bad;

	if (l->gen == r->gen && l->s == s && l->oi == oi && l->path == path) {
		r->bad |= l->bad;
		return l->key >= 0 ? &r->keys[l->key].v : NULL;
	}
	r->bad = 0;
	v = path ? path_walk(r, oi, s) : exact_walk(r, oi, s);
	l->s = s;
	l->gen = r->gen;
	l->oi = oi;
	l->path = path;
	l->bad = r->bad;
	/* every value returned is a record's (struct key.v) */
	l->key = v != NULL ? (int)(((const char *)v - (const char *)r->keys) /
	    (ptrdiff_t)sizeof(r->keys[0])) : -1;
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

/* lh_json_doc_time: LH_OK, LH_EOF, LH_WARN, or UNKNOWN. */
static int
doc_time(struct lh_json_rawtime *r, const struct lh_json_doc *d, int o,
    int64_t *us, int64_t *prec)
{
	const struct val *t = exact(r, o, "@timestamp");
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
ecs_time(struct lh_json_rawtime *r, const struct lh_json_doc *d, int o,
    int64_t *ts, int64_t *prec, int *flags)
{
	*flags = 0;
	return doc_time(r, d, o, ts, prec) == LH_OK;
}

/*
 * lh_json_journal's time: journald_map's, from the first of the two stamps
 * that parses; a value is what journal_value makes of it.
 */
static int
journal_time(struct lh_json_rawtime *r, int o, int64_t *ts, int64_t *prec,
    int *flags)
{
	static const char *const keys[] = { "__REALTIME_TIMESTAMP",
		"_SOURCE_REALTIME_TIMESTAMP" };
	const struct val *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = exact(r, o, keys[i]);
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

/* The value of the 4 hex digits at p (checked by the scanner). */
static uint32_t
hex4(const char *p)
{
	uint32_t x = 0;
	int i;

	for (i = 0; i < 4; i++)
		x = x << 4 | (uint32_t)lh_num_hexdigit(p[i]);
	return x;
}

int
lh_json_gate_unescape(struct lh_buf *b, const struct val *v)
{
	static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
	const char *q = v->p, *end = v->p + v->n, *e;
	char u[4];
	uint32_t cp;

	lh_buf_reset(b);
	while (q < end) {
		if ((e = memchr(q, '\\', (size_t)(end - q))) == NULL)
			e = end;
		lh_buf_append(b, q, (size_t)(e - q));
		if (e == end)
			break;
		if (e[1] != 'u') {
			lh_buf_putc(b, strchr(from, e[1]) != NULL ?
			    to[strchr(from, e[1]) - from] : e[1]);
			q = e + 2;
			continue;
		}
		if ((cp = hex4(e + 2)) >= 0xd800 && cp <= 0xdfff)
			return 0;
		lh_buf_append(b, u, lh_utf8_encode(cp, u));
		q = e + 6;
	}
	return lh_buf_status(b) == LH_OK;
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
filebeat_time(struct lh_json_rawtime *r, const struct lh_json_doc *d, int o,
    int64_t *ts, int64_t *prec, int *flags)
{
	struct lh_syslog_header_ctx ctx;
	const struct val *m, *z;
	int64_t read = LH_TS_NONE, rprec = 1;
	int trc, rc;

	if (is_auth(r, o) && get_path(r, o, "log.syslog") != NULL)
		return ecs_time(r, d, o, ts, prec, flags);
	m = get_path(r, o, "message");
	if (r->bad || m == NULL || (m->esc &&
	    !lh_json_gate_unescape(&r->msg, m)) ||
	    (trc = doc_time(r, d, o, &read, &rprec)) == UNKNOWN)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.tz = d->opts->tz;
	if ((z = get_path(r, o, "event.timezone")) != NULL &&
	    z->type == V_STR) {
		if (z->esc)
			return 0;
		if (zone(r, z))
			ctx.tz = &r->tz;
	}
	ctx.ref = trc == LH_OK ? read : d->src->mtime;
	ctx.year = d->opts->year;
	ctx.auth = is_auth(r, o);
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

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/* json.c's document(): the kind, then its time. */
static int
doc_kind_time(struct lh_json_rawtime *r, const struct lh_json_doc *d,
    int64_t *ts, int64_t *prec, int *flags)
{
	const struct val *src = exact(r, 0, "_source");
	int o = 0, wrapped = 0;

	if (src != NULL && src->type == V_OBJ) {
		o = src->obj;
		wrapped = 1;
	}
	r->o = o;
	r->kind = JG_ECS;	/* filebeat_time says when its grok ran */
	if (is_journal(r, o)) {
		r->kind = JG_JOURNAL;
		return journal_time(r, o, ts, prec, flags);
	}
	if (!wrapped && is_journald_input(r, o))
		return ecs_time(r, d, o, ts, prec, flags);
	if (!wrapped && is_filebeat_raw(r, o))
		return filebeat_time(r, d, o, ts, prec, flags);
	return ecs_time(r, d, o, ts, prec, flags);
}

/* ---- documents that repeat the one before but for its values --------- */

/* Keeps the string and number values of the records as slots. */
static void
note_slots(struct lh_json_rawtime *r)
{
	size_t at;
	int i, j, str;

	r->nslot = r->npatched = 0;
	for (i = 0; i < r->nkeys; i++) {
		if (r->keys[i].v.type != V_STR && r->keys[i].v.type != V_NUM)
			continue;
		str = r->keys[i].v.type == V_STR;
		at = (size_t)(r->keys[i].v.p - r->copy.p) - (size_t)str;
		/* keys come in text order but for nested objects' */
		for (j = r->nslot; j > 0 && r->slot[j - 1].at > at; j--)
			r->slot[j] = r->slot[j - 1];
		r->slot[j].key = i;
		r->slot[j].at = at;
		r->slot[j].n = r->keys[i].v.n + 2 * (size_t)str;
		r->slot[j].v0 = r->keys[i].v;
		r->nslot++;
	}
}

/* The length of the common prefix of a and b (n bytes each). */
static size_t
common(const char *a, const char *b, size_t n)
{
	size_t i = 0;
#if defined(__SSE2__)
	unsigned m;

	for (; n - i >= 16; i += 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(a + i)),
		    _mm_loadu_si128((const __m128i *)(const void *)(b + i))));
		if (m != 0xffff)
			return i + (size_t)__builtin_ctz(~m);
	}
#endif
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/*
 * Whether p (n bytes) is the document of the records (copy) with other
 * string and number values in some slots, every other byte the same: then
 * the scanner would record it as it recorded copy, the same keys and
 * values but for those slots' values, which value() reads here as it reads
 * them there (what follows each is copy's, as it was when copy was read),
 * and they are put in: the records are p's.  Where p and copy part, a
 * slot must begin, or one must end (a longer number): its value is read
 * again at its place in p, and the bytes after it compared.  Otherwise 0
 * (r->have is cleared: the records are no one's).
 */
static int
again(struct lh_json_rawtime *r, const char *p, size_t n)
{
	const char *c = r->copy.p;
	size_t at = 0, pos = 0, x, len = r->copy.len, sp;
	struct val v;
	int i = 0, k;

	if (!r->have)
		return 0;
	for (k = 0; k < r->npatched; k++)
		r->keys[r->slot[r->patched[k]].key].v =
		    r->slot[r->patched[k]].v0;
	r->npatched = 0;
	for (;;) {
		x = at + common(p + pos, c + at, n - pos < len - at ?
		    n - pos : len - at);
		if (x == len && n - pos == len - at)
			return 1;
		while (i < r->nslot && r->slot[i].at + r->slot[i].n < x)
			i++;
		if (i == r->nslot || r->slot[i].at > x)
			break;
		sp = pos + (r->slot[i].at - at);
		if (sp >= n || (p[sp] == '"') != (c[r->slot[i].at] == '"') ||
		    (p[sp] != '"' && p[sp] != '-' && (p[sp] < '0' ||
		    p[sp] > '9')))
			break;
		r->p = p + sp;
		r->end = p + n;
		if (!value(r, REC_DEPTH + 1, &v))
			break;
		r->keys[r->slot[i].key].v = v;
		r->patched[r->npatched++] = i;
		pos = (size_t)(r->p - p);
		at = r->slot[i].at + r->slot[i].n;
		i++;
	}
	r->have = 0;
	return 0;
}

/* The scanner over p (n bytes), on a copy kept for again(). */
static int
scan(struct lh_json_rawtime *r, const char *p, size_t n)
{
	struct val root;

	r->gen++;	/* the records change: no lookup holds (look_of) */
	lh_buf_reset(&r->copy);
	if (lh_buf_append(&r->copy, p, n) == LH_OK)
		p = r->copy.p;
	r->p = p;
	r->end = p + n;
	r->nest = r->nkeys = r->nobjs = 0;
	while (r->p < r->end && is_blank((unsigned char)*r->p))
		r->p++;
	if (r->p >= r->end || *r->p != '{' || !value(r, 1, &root))
		return 0;
	while (r->p < r->end && is_blank((unsigned char)*r->p))
		r->p++;
	if (r->p != r->end)
		return 0;
	if ((r->have = p == r->copy.p) != 0)
		note_slots(r);
	return 1;
}

int
lh_json_rawtime(struct lh_json_rawtime *r, const struct lh_json_doc *d,
    const char *p, size_t n, int64_t *ts, int64_t *prec, int *flags)
{
	r->kind = JG_NONE;
	if (!again(r, p, n) && !scan(r, p, n))
		return 0;
	r->bad = 0;
	r->doclen = n;
	if (wrapper(r) || !doc_kind_time(r, d, ts, prec, flags) || r->bad) {
		r->kind = JG_NONE;
		return 0;
	}
	return 1;
}
