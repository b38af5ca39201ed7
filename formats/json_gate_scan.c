/*
 * json_gate_scan.c: the raw scanner of json_gate.c: checks that a
 * document is one JSON object and records the keys of its outer levels
 * with where each value lies (json_gate_int.h), for the lookups that read
 * a document's time and host without json-c.
 *
 * DESIGN
 * A light scanner checks that the bytes are one JSON object in RFC 8259
 * syntax with nothing after it but blanks, and records the keys of the
 * objects on the three outer levels, with where each value lies: enough
 * for every path the kinds of json_int.h look at, also under "_source".
 * What it cannot tell exactly (see json_gate.c) makes it give up: syntax
 * only json-c takes, a key with an escape on a recorded level, nesting
 * deeper than MAX_NEST, more than MAX_KEYS keys or MAX_OBJS objects on
 * the recorded levels.  Keys given twice are marked as they are recorded
 * (note_twice), which compares names only when their bits are the same.
 *
 * Cost: every document of a text run's first pass comes here (the time
 * map).  The string scan takes 16 bytes a step (SSE2).  The documents of a
 * file mostly repeat one before but for a few values (a Filebeat
 * document's @timestamp, log.offset and message), and often take turns
 * between a few layouts (an export whose documents have a field or not):
 * the last NLAYOUT documents of different layouts scanned whole are kept
 * with their records (struct layout), and a document that differs from
 * one of them only inside string and number values has those values read
 * again into its records (again()), the rest compared 64 bytes a step.
 * Each layout scores for the documents that have it, the scores halving
 * every 16 documents: the one of the highest score is tried first (two
 * layouts that take turns cost a failed try for the rarer one only), then
 * the one of the document before, then the others; a document of none is
 * scanned whole into the layout of the lowest score.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define LH_GATE_AVX2 1
#include <immintrin.h>
#endif

#include "core/buf.h"
#include "core/num.h"
#include "core/status.h"
#include "core/utf8.h"
#include "formats/json_gate_int.h"

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
#if defined(__SSE2__)
/*
 * The 16-byte steps of special() that fit before end, from *q on: 1 with
 * *q at the first '"', '\\' or control character found, else 0 with *q
 * where the steps ended (fewer than 16 bytes before end).
 */
static inline int
special16(const char **q, const char *end)
{
	const __m128i quote = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);
	const char *p = *q;
	__m128i x;
	unsigned m;

	for (; end - p >= 16; p += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* min(x, 0x1f) == x: an unsigned byte below 0x20 */
		m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bsl)),
		    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x)));
		if (m != 0) {
			*q = p + __builtin_ctz(m);
			return 1;
		}
	}
	*q = p;
	return 0;
}
#endif

static const char *
special(const char *q, size_t n)
{
	const char *end = q + n;
#if defined(__SSE2__)
	if (special16(&q, end))
		return q;
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

#if defined(LH_GATE_AVX2)
/* special() 32 bytes a step, with AVX2. */
__attribute__((target("avx2"))) static const char *
special_avx2(const char *q, size_t n)
{
	const char *end = q + n;
	const __m256i quote = _mm256_set1_epi8('"');
	const __m256i bsl = _mm256_set1_epi8('\\');
	const __m256i ctl = _mm256_set1_epi8(0x1f);
	__m256i x;
	unsigned m;

	for (; end - q >= 32; q += 32) {
		x = _mm256_loadu_si256((const __m256i *)(const void *)q);
		m = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
		    _mm256_or_si256(_mm256_cmpeq_epi8(x, quote),
		    _mm256_cmpeq_epi8(x, bsl)),
		    _mm256_cmpeq_epi8(_mm256_min_epu8(x, ctl), x)));
		if (m != 0)
			return q + __builtin_ctz(m);
	}
	return special(q, (size_t)(end - q));
}
#endif

/* special() with AVX2 when r may use it. */
static const char *
special_of(const struct lh_json_rawtime *r, const char *q, size_t n)
{
#if defined(LH_GATE_AVX2)
	if (r->avx2)
		return special_avx2(q, n);
#else
	(void)r;
#endif
	return special(q, n);
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
		if ((q = special_of(r, q, (size_t)(r->end - q))) == r->end)
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
 * Marks key e and the keys of object oi that have its name as given twice
 * (json-c keeps one of them: see json_gate.c), comparing only when another
 * key has its bit.
 */
static void
note_twice(struct layout *L, int oi, struct key *e)
{
	struct key *o;
	int i;

	if ((L->objs[oi].names & (uint64_t)1 << e->bit) == 0)
		return;
	for (i = L->objs[oi].first; i >= 0; i = o->next) {
		o = &L->keys[i];
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
	struct layout *L = r->L;
	struct key *e;

	if (k->esc || L->nkeys >= MAX_KEYS)
		return 0;
	e = &L->keys[L->nkeys];
	e->p = k->p;
	e->n = k->n;
	e->v = *v;
	e->next = -1;
	e->bit = (unsigned char)lh_json_gate_name_bit(k->p, k->n);
	e->twice = e->dep = 0;
	note_twice(L, oi, e);
	L->objs[oi].names |= (uint64_t)1 << e->bit;
	if (L->objs[oi].last >= 0)
		L->keys[L->objs[oi].last].next = L->nkeys;
	else
		L->objs[oi].first = L->nkeys;
	L->objs[oi].last = L->nkeys++;
	return 1;
}

/* An object on level depth (the document is level 1). */
static int
object(struct lh_json_rawtime *r, int depth, struct val *v)
{
	struct layout *L = r->L;
	struct val k, e;
	int oi = -1;

	v->type = V_OBJ;
	if (depth <= REC_DEPTH) {
		if (L->nobjs >= MAX_OBJS)
			return 0;
		oi = L->nobjs++;
		L->objs[oi].first = L->objs[oi].last = -1;
		L->objs[oi].names = 0;
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

/* The byte escape \c stands for. */
static char
unescaped(char c)
{
	switch (c) {
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	default:
		return c;	/* '"', '\\' or '/' (checked by the scanner) */
	}
}

/*
 * The unescaped string is never longer than v (a \uXXXX of 6 bytes makes
 * 3 at most), so it is written in place of b's bytes, reserved once.
 */
int
lh_json_gate_unescape(struct lh_buf *b, const struct val *v)
{
	const char *q = v->p, *end = v->p + v->n, *e;
	char *o;
	uint32_t cp;

	lh_buf_reset(b);
	if (lh_buf_reserve(b, v->n + 1) != LH_OK)
		return 0;
	for (o = b->p; q < end; q = e + 2) {
		if ((e = memchr(q, '\\', (size_t)(end - q))) == NULL)
			e = end;
		memcpy(o, q, (size_t)(e - q));
		o += e - q;
		if (e == end)
			break;
		if (e[1] != 'u') {
			*o++ = unescaped(e[1]);
			continue;
		}
		if ((cp = hex4(e + 2)) >= 0xd800 && cp <= 0xdfff)
			return 0;
		o += lh_utf8_encode(cp, o);
		e += 4;
	}
	b->len = (size_t)(o - b->p);
	return 1;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/* ---- documents that repeat one before but for its values ------------- */

/* Keeps the string and number values of the records as slots. */
static void
note_slots(struct layout *L)
{
	size_t at;
	int i, j, str;

	L->nslot = L->npatched = 0;
	for (i = 0; i < L->nkeys; i++) {
		if (L->keys[i].v.type != V_STR && L->keys[i].v.type != V_NUM)
			continue;
		str = L->keys[i].v.type == V_STR;
		at = (size_t)(L->keys[i].v.p - L->copy.p) - (size_t)str;
		/* keys come in text order but for nested objects' */
		for (j = L->nslot; j > 0 && L->slot[j - 1].at > at; j--)
			L->slot[j] = L->slot[j - 1];
		L->slot[j].key = i;
		L->slot[j].at = at;
		L->slot[j].n = L->keys[i].v.n + 2 * (size_t)str;
		L->slot[j].v0 = L->keys[i].v;
		L->nslot++;
	}
}

/* Puts copy's values back into the records of the slots patched. */
static void
restore(struct layout *L)
{
	int k;

	for (k = 0; k < L->npatched; k++)
		L->keys[L->slot[L->patched[k]].key].v =
		    L->slot[L->patched[k]].v0;
	L->npatched = 0;
}

/*
 * The length of the common prefix of a and b (n bytes each): 64 bytes a
 * step with SSE2 (four compares, one mask), then 16, and the last bytes
 * in one compare of the last 16 (again over some bytes known equal).
 */
static size_t
common(const char *a, const char *b, size_t n)
{
	size_t i = 0;
#if defined(__SSE2__)
#define EQ16(o) _mm_cmpeq_epi8( \
	    _mm_loadu_si128((const __m128i *)(const void *)(a + (o))), \
	    _mm_loadu_si128((const __m128i *)(const void *)(b + (o))))
	unsigned m;

	for (; n - i >= 64; i += 64)
		if ((unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_and_si128(EQ16(i), EQ16(i + 16)),
		    _mm_and_si128(EQ16(i + 32), EQ16(i + 48)))) != 0xffff)
			break;
	for (; n - i >= 16; i += 16) {
		m = (unsigned)_mm_movemask_epi8(EQ16(i)) ^ 0xffff;
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
	if (n >= 16 && i < n) {
		/* bits of the bytes from i on */
		m = ((unsigned)_mm_movemask_epi8(EQ16(n - 16)) ^ 0xffff) >>
		    (i - (n - 16));
		return m != 0 ? i + (size_t)__builtin_ctz(m) : n;
	}
#undef EQ16
#endif
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

#if defined(LH_GATE_AVX2)
/* common() 64 bytes a step with AVX2 (two compares, one mask), then 32. */
__attribute__((target("avx2"))) static size_t
common_avx2(const char *a, const char *b, size_t n)
{
#define EQ32(o) _mm256_cmpeq_epi8( \
	    _mm256_loadu_si256((const __m256i *)(const void *)(a + (o))), \
	    _mm256_loadu_si256((const __m256i *)(const void *)(b + (o))))
	size_t i = 0;
	uint32_t m;

	for (; n - i >= 64; i += 64)
		if ((uint32_t)_mm256_movemask_epi8(_mm256_and_si256(EQ32(i),
		    EQ32(i + 32))) != 0xffffffffu)
			break;
	for (; n - i >= 32; i += 32) {
		m = ~(uint32_t)_mm256_movemask_epi8(EQ32(i));
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
	if (n >= 32 && i < n) {
		m = ~(uint32_t)_mm256_movemask_epi8(EQ32(n - 32)) >>
		    (i - (n - 32));
		return m != 0 ? i + (size_t)__builtin_ctz(m) : n;
	}
#undef EQ32
	return i + common(a + i, b + i, n - i);
}
#endif

/* common() with AVX2 when r may use it. */
static size_t
common_of(const struct lh_json_rawtime *r, const char *a, const char *b,
    size_t n)
{
#if defined(LH_GATE_AVX2)
	if (r->avx2)
		return common_avx2(a, b, n);
#else
	(void)r;
#endif
	return common(a, b, n);
}

void
lh_json_gate_init(struct lh_json_rawtime *r, int portable)
{
	r->avx2 = 0;
#if defined(LH_GATE_AVX2)
	if (!portable)
		r->avx2 = __builtin_cpu_supports("avx2");
#else
	(void)portable;
#endif
}

/*
 * Whether p (n bytes) is the document of L's records (copy) with other
 * string and number values in some slots, every other byte the same: then
 * the scanner would record it as it recorded copy, the same keys and
 * values but for those slots' values, which value() reads here as it reads
 * them there (what follows each is copy's, as it was when copy was read),
 * and they are put in: the records are p's.  Where p and copy part, a
 * slot must begin, or one must end (a longer number): its value is read
 * again at its place in p, and the bytes after it compared.  Otherwise 0,
 * with the records copy's again.
 */
static int
again(struct lh_json_rawtime *r, struct layout *L, const char *p, size_t n)
{
	const char *c = L->copy.p;
	size_t at = 0, pos = 0, x, len = L->copy.len, sp;
	struct val v;
	int i = 0;

	restore(L);
	for (;;) {
		x = at + common_of(r, p + pos, c + at, n - pos < len - at ?
		    n - pos : len - at);
		if (x == len && n - pos == len - at)
			return 1;
		while (i < L->nslot && L->slot[i].at + L->slot[i].n < x)
			i++;
		if (i == L->nslot || L->slot[i].at > x)
			break;
		sp = pos + (L->slot[i].at - at);
		if (sp >= n || (p[sp] == '"') != (c[L->slot[i].at] == '"') ||
		    (p[sp] != '"' && p[sp] != '-' && (p[sp] < '0' ||
		    p[sp] > '9')))
			break;
		r->p = p + sp;
		r->end = p + n;
		/* value()'s string or number, without its dispatch */
		v.esc = v.wraps = 0;
		v.obj = -1;
		if (!(p[sp] == '"' ? string(r, &v) : number(r, &v)))
			break;
		L->keys[L->slot[i].key].v = v;
		L->patched[L->npatched++] = i;
		pos = (size_t)(r->p - p);
		at = L->slot[i].at + L->slot[i].n;
		i++;
	}
	restore(L);
	return 0;
}

/*
 * Whether a and b (n bytes each) are the same: 16 bytes a step with SSE2,
 * the last 16 over some bytes known equal; shorter ones in two loads of 8
 * or 4 that overlap.  Gaps between values are mostly a key and its quotes.
 */
static inline int
same(const char *a, const char *b, size_t n)
{
	uint64_t x, y, x2, y2;
	uint32_t u, w, u2, w2;

	if (n >= 16) {
#if defined(__SSE2__)
#define NE16(o) ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8( \
	    _mm_loadu_si128((const __m128i *)(const void *)(a + (o))), \
	    _mm_loadu_si128((const __m128i *)(const void *)(b + (o))))) != \
	    0xffff)
		size_t i;

		for (i = 0; n - i > 16; i += 16)
			if (NE16(i))
				return 0;
		return !NE16(n - 16);
#undef NE16
#else
		return memcmp(a, b, n) == 0;
#endif
	}
	if (n >= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&x2, a + n - 8, 8);
		memcpy(&y2, b + n - 8, 8);
		return ((x ^ y) | (x2 ^ y2)) == 0;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&w, b, 4);
		memcpy(&u2, a + n - 4, 4);
		memcpy(&w2, b + n - 4, 4);
		return ((u ^ w) | (u2 ^ w2)) == 0;
	}
	for (; n > 0; n--)
		if (a[n - 1] != b[n - 1])
			return 0;
	return 1;
}

/*
 * Whether L walks (its documents read by walk()): its plan, worked out
 * over its own records, is journal JSON, whose values mostly all change
 * from one document to the next.  Then the slots whose records the plan
 * reads (the stamps, the host, any value it compared) are noted in want.
 */
static int
walks(struct layout *L)
{
	const struct plan *pl = &L->plan;
	int i, k;

	if (pl->gen != L->gen || pl->kind != JG_JOURNAL)
		return 0;
	if (L->wgen == L->gen)
		return 1;
	for (i = 0; i < L->nslot; i++) {
		k = L->slot[i].key;
		L->want[i] = L->keys[k].dep || k == pl->stamp[0] ||
		    k == pl->stamp[1] || k == pl->host;
	}
	L->wgen = L->gen;
	return 1;
}

/*
 * The closing quote of a string from q on, when a '"' comes before any
 * '\\' or control character in the 16-byte steps that fit before end, else
 * NULL (string() tells).  Inline: values are short, a call costs as much.
 */
static inline const char *
closing(const char *q, const char *end)
{
#if defined(__SSE2__)
	if (special16(&q, end))
		return *q == '"' ? q : NULL;
#else
	(void)q;
	(void)end;
#endif
	return NULL;
}

/*
 * again() for a layout that walks: the same test, slot by slot instead of
 * by the first byte that differs, since most values differ -- the bytes
 * between two slots (keys, punctuation, other values) the same as copy's,
 * each slot's value read where it begins (a string's end found 32 or 16
 * bytes a step) -- and only the records the plan reads put in: the others
 * keep copy's values, which nothing reads (restore() puts back only what
 * was put in).
 */
static int
walk(struct lh_json_rawtime *r, struct layout *L, const char *p, size_t n)
{
	const char *c = L->copy.p, *q;
	size_t at = 0, pos = 0, g;
	struct val v;
	int i;

	restore(L);
	r->end = p + n;
	for (i = 0; i < L->nslot; i++) {
		g = L->slot[i].at - at;
		if (n - pos <= g || !same(p + pos, c + at, g))
			break;
		pos += g;
		r->p = p + pos;
		v.esc = v.wraps = 0;
		v.obj = -1;
		if (c[L->slot[i].at] == '"' && p[pos] == '"' &&
		    (q = closing(p + pos + 1, r->end)) != NULL) {
			/* string()'s, for a value without escapes */
			v.type = V_STR;
			v.p = p + pos + 1;
			v.n = (size_t)(q - v.p);
			r->p = q + 1;
		} else if (c[L->slot[i].at] == '"' ? p[pos] != '"' ||
		    !string(r, &v) : (p[pos] != '-' && (p[pos] < '0' ||
		    p[pos] > '9')) || !number(r, &v))
			break;
		if (L->want[i]) {
			L->keys[L->slot[i].key].v = v;
			L->patched[L->npatched++] = i;
		}
		pos = (size_t)(r->p - p);
		at = L->slot[i].at + L->slot[i].n;
	}
	if (i == L->nslot && n - pos == L->copy.len - at &&
	    same(p + pos, c + at, n - pos))
		return 1;
	restore(L);
	return 0;
}

/* again() or walk(), as L goes. */
static int
repeats(struct lh_json_rawtime *r, struct layout *L, const char *p,
    size_t n)
{
	return walks(L) ? walk(r, L, p, n) : again(r, L, p, n);
}

/* The scanner over p (n bytes) into L, on a copy kept for again(). */
static int
scan(struct lh_json_rawtime *r, struct layout *L, const char *p, size_t n)
{
	struct val root;

	L->gen = ++r->gens;	/* new records: no lookup or plan holds */
	L->have = 0;
	lh_buf_reset(&L->copy);
	if (lh_buf_append(&L->copy, p, n) == LH_OK)
		p = L->copy.p;
	r->L = L;
	r->p = p;
	r->end = p + n;
	r->nest = L->nkeys = L->nobjs = 0;
	while (r->p < r->end && is_blank((unsigned char)*r->p))
		r->p++;
	if (r->p >= r->end || *r->p != '{' || !value(r, 1, &root))
		return 0;
	while (r->p < r->end && is_blank((unsigned char)*r->p))
		r->p++;
	if (r->p != r->end)
		return 0;
	if ((L->have = p == L->copy.p) != 0)
		note_slots(L);
	return 1;
}

/*
 * Layout L's records are the document's: it scores, and is tried first
 * when its score is the highest (every 16 documents the scores halve).
 */
static int
hit(struct lh_json_rawtime *r, struct layout *L)
{
	int i;

	r->L = L;
	L->score++;
	if ((++r->docs & 15) == 0)
		for (i = 0; i < NLAYOUT; i++)
			r->lay[i].score >>= 1;
	if (r->best == NULL || L->score > r->best->score)
		r->best = L;
	return 1;
}

int
lh_json_gate_records(struct lh_json_rawtime *r, const char *p, size_t n)
{
	struct layout *L, *old = NULL;
	int i;

	if (r->best != NULL && r->best->have && repeats(r, r->best, p, n))
		return hit(r, r->best);
	if (r->L != NULL && r->L != r->best && r->L->have &&
	    repeats(r, r->L, p, n))
		return hit(r, r->L);
	for (i = 0; i < NLAYOUT; i++) {
		L = &r->lay[i];
		if (L != r->best && L != r->L && L->have &&
		    repeats(r, L, p, n))
			return hit(r, L);
		if (old == NULL || (old->have && (!L->have ||
		    L->score < old->score)))
			old = L;
	}
	if (old == r->best)
		r->best = NULL;
	old->score = 0;
	hit(r, old);
	return scan(r, old, p, n);
}
