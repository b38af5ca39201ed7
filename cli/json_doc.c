/*
 * json_doc.c: nested, typed JSON documents from flat fields (json_doc.h).
 *
 * The layout of a document (key order, nesting, arrays, which values may
 * be numbers) depends on the sequence of field names only, and the events
 * of one format share a few sequences: so the layout is worked out once
 * per sequence into a shape (the document's bytes but the values, and
 * where each value goes), kept per thread in a small cache, and a
 * document is its shape filled in with the values.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/escape.h"
#include "cli/json_doc.h"
#include "core/field.h"
#include "core/num.h"
#include "core/status.h"

/* Where the values of the equal names ix[i..j) go in a shape. */
struct slot {
	size_t end;		/* after lit[0..end) */
	size_t i, j;
	int number;		/* a long field: integers as JSON numbers */
};

/* The layout of the documents of one sequence of n field names. */
struct shape {
	size_t n;
	const char **ptr;	/* the names it was made from (borrowed) */
	unsigned char *fixed;	/* ptr[i] is static: its address is its name */
	char *names;		/* owned copies, at off[i] */
	size_t *off;
	size_t *ix;		/* field indices in key order (2n: sorting) */
	struct slot *slot;
	size_t nslot, capslot;
	struct lh_buf lit;	/* the bytes around the values */
};

/* While a shape is made: the literal bytes go to b. */
struct doc {
	struct lh_buf *b;
	const struct lh_field *f;
	size_t *ix;		/* field indices in key order */
	struct shape *s;
};

/*
 * A filter over the names lh_field_is_array() may say yes to, so that most
 * names skip its table search: bit (length, first byte, last byte) of
 * every array name of the type table, set once (pthread_once).
 */
static uint64_t array_bits[4];
static pthread_once_t array_once = PTHREAD_ONCE_INIT;

static unsigned
array_bit(const char *name, size_t n)
{
	return (unsigned)(n * 31 + (unsigned char)name[0] * 7 +
	    (unsigned char)name[n > 0 ? n - 1 : 0]) & 255;
}

static void
array_init(void)
{
	const char *name;
	size_t i;
	unsigned k;

	for (i = 0; (name = lh_field_table_name(i)) != NULL; i++) {
		if (!lh_field_is_array(name))
			continue;
		k = array_bit(name, strlen(name));
		array_bits[k / 64] |= (uint64_t)1 << (k % 64);
	}
}

/* lh_field_is_array(name), name being n bytes long. */
static int
is_array(const char *name, size_t n)
{
	unsigned k = array_bit(name, n);

	if (pthread_once(&array_once, array_init) != 0)
		return lh_field_is_array(name);
	return (array_bits[k / 64] >> (k % 64) & 1) &&
	    lh_field_is_array(name);
}

/* Appends c to b (lh_buf_putc without a call when there is room). */
static inline void
put1(struct lh_buf *b, char c)
{
	if (b->len + 2 <= b->cap) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
	} else {
		lh_buf_putc(b, c);
	}
}

/*
 * Appends the key k (n bytes) and its ':', as lh_esc_json and ':' would:
 * a key of printable ASCII without '"' and '\\' (every ECS name) in one
 * copy.
 */
static void
put_key(struct lh_buf *b, const char *k, size_t n)
{
	size_t i = 0;

	while (i < n && k[i] >= 0x20 && k[i] < 0x7f && k[i] != '"' &&
	    k[i] != '\\')
		i++;
	if (i < n || lh_buf_reserve(b, n + 3) != LH_OK) {
		lh_esc_json(b, k, n);	/* (a failed reserve is sticky) */
		put1(b, ':');
		return;
	}
	b->p[b->len++] = '"';
	memcpy(b->p + b->len, k, n);
	b->len += n;
	b->p[b->len++] = '"';
	b->p[b->len++] = ':';
	b->p[b->len] = '\0';
}

/* Byte order in which '.' sorts first, so that one prefix stays together. */
static int
key_byte(const char *s, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	return c == '\0' ? 0 : c == '.' ? 1 : c + 1;
}

/* Key order of fields a and b; equal names keep their order (stable). */
static int
before(const struct lh_field *f, size_t a, size_t b)
{
	const char *x = f[a].name, *y = f[b].name;
	size_t i = 0;
	int cx, cy;

	while (x[i] == y[i] && x[i] != '\0')
		i++;
	cx = key_byte(x, i);
	cy = key_byte(y, i);
	return cx != cy ? cx < cy : a < b;
}

/*
 * Sorts ix[0..n) into key order: a merge sort through tmp (qsort has no
 * context argument, and workers render in parallel).
 */
static void
sort_ix(const struct lh_field *f, size_t *ix, size_t *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n <= 8) {
		/* insertion sort: the same order (before() is total) */
		for (i = 1; i < n; i++) {
			k = ix[i];
			for (j = i; j > 0 && before(f, k, ix[j - 1]); j--)
				ix[j] = ix[j - 1];
			ix[j] = k;
		}
		return;
	}
	sort_ix(f, ix, tmp, h);
	sort_ix(f, ix + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = before(f, ix[j], ix[i]) ? ix[j++] : ix[i++];
	while (i < h)
		tmp[k++] = ix[i++];
	while (j < n)
		tmp[k++] = ix[j++];
	memcpy(ix, tmp, n * sizeof(*ix));
}

/* Length of the component of name starting at off. */
static size_t
comp_len(const char *name, size_t off)
{
	const char *p = name + off;
	size_t k = 0;

	while (p[k] != '\0' && p[k] != '.')
		k++;
	return k;
}

/*
 * Whether the integer s (n bytes, which lh_num_parse took) reads as "%lld"
 * writes it: no '+', no leading zero, no "-0".
 */
static int
canonical(const char *s, size_t n)
{
	size_t i = s[0] == '-';

	return s[0] != '+' && (s[i] != '0' || n == 1);
}

/* A value; number: of a long field, an integer is a JSON number. */
static void
value(struct lh_buf *b, const struct lh_field *f, int number)
{
	int64_t v;

	if (!number ||
	    lh_num_parse(f->val, f->len, INT64_MIN, INT64_MAX, &v) != LH_OK)
		lh_esc_json(b, f->val, f->len);
	else if (canonical(f->val, f->len))
		lh_buf_append(b, f->val, f->len);
	else
		lh_buf_printf(b, "%lld", (long long)v);
}

/*
 * The key of the equal names ix[i..j) (klen bytes at key), and the slot of
 * their values.
 */
static void
leaf(struct doc *d, const char *key, size_t klen, size_t i, size_t j)
{
	const char *name = d->f[d->ix[i]].name;	/* key is its end */
	int array = j - i > 1 || is_array(name, (size_t)(key - name) + klen);
	struct shape *s = d->s;
	struct slot *sl;

	put_key(d->b, key, klen);
	if (array)
		put1(d->b, '[');
	if (lh_grow(&s->slot, &s->capslot, s->nslot + 1, sizeof(*sl)) !=
	    LH_OK) {
		d->b->err = 1;	/* the shape is not used */
		return;
	}
	sl = &s->slot[s->nslot++];
	sl->end = d->b->len;
	sl->i = i;
	sl->j = j;
	sl->number = lh_field_type(name) == LH_T_LONG;
	if (array)
		put1(d->b, ']');
}

static void members(struct doc *d, size_t i, size_t j, size_t off);

/*
 * The group ix[i..j) of names that share the component at off: its own
 * value (a name ending there) and an object of the longer names.
 */
static void
group(struct doc *d, size_t i, size_t j, size_t off, size_t clen)
{
	const char *name = d->f[d->ix[i]].name;
	size_t v = i, k;

	while (v < j && d->f[d->ix[v]].name[off + clen] == '\0')
		v++;
	if (v > i)
		leaf(d, name + off, clen, i, v);
	if (v == j)
		return;
	if (v > i) {
		/* "a" has a value: "a.b" stays a dotted key beside it */
		for (k = v; k < j; k = v) {
			const char *n = d->f[d->ix[k]].name;

			for (v = k + 1; v < j && strcmp(d->f[d->ix[v]].name,
			    n) == 0; v++)
				;
			put1(d->b, ',');
			leaf(d, n + off, strlen(n + off), k, v);
		}
		return;
	}
	put_key(d->b, name + off, clen);
	put1(d->b, '{');
	members(d, i, j, off + clen + 1);
	put1(d->b, '}');
}

/* The members for names ix[i..j), whose first off bytes are shared. */
static void
members(struct doc *d, size_t i, size_t j, size_t off)
{
	size_t k, clen;
	int first = 1;

	for (k = i; k < j; k = i) {
		const char *name = d->f[d->ix[k]].name;

		clen = comp_len(name, off);
		for (i = k + 1; i < j; i++) {
			const char *o = d->f[d->ix[i]].name;

			if (comp_len(o, off) != clen || memcmp(o + off,
			    name + off, clen) != 0)
				break;
		}
		if (!first)
			put1(d->b, ',');
		first = 0;
		group(d, k, i, off, clen);
	}
}

static void
shape_free(struct shape *s)
{
	if (s == NULL)
		return;
	free(s->ptr);
	free(s->fixed);
	free(s->names);
	free(s->off);
	free(s->ix);
	free(s->slot);
	lh_buf_free(&s->lit);
	free(s);
}

/* Copies the n names of f into s (ptr, fixed, names, off).  0 or -1. */
static int
shape_names(struct shape *s, const struct lh_field *f, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += strlen(f[i].name) + 1;
	s->ptr = malloc(n * sizeof(*s->ptr));
	s->fixed = malloc(n);
	s->off = malloc(n * sizeof(*s->off));
	if ((s->names = malloc(len)) == NULL || s->ptr == NULL ||
	    s->fixed == NULL || s->off == NULL)
		return -1;
	for (len = 0, i = 0; i < n; i++) {
		s->ptr[i] = f[i].name;
		s->fixed[i] = (unsigned char)lh_event_is_static(f[i].name);
		s->off[i] = len;
		strcpy(s->names + len, f[i].name);
		len += strlen(f[i].name) + 1;
	}
	return 0;
}

/* An owned shape for the names of the n > 0 fields at f, or NULL. */
static struct shape *
shape_make(const struct lh_field *f, size_t n)
{
	struct shape *s;
	struct doc d;
	size_t i;

	if (n > SIZE_MAX / (2 * sizeof(*s->ix)) ||
	    (s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->n = n;
	if (shape_names(s, f, n) != 0 ||
	    (s->ix = malloc(2 * n * sizeof(*s->ix))) == NULL) {
		shape_free(s);
		return NULL;
	}
	for (i = 0; i < n; i++)
		s->ix[i] = i;
	sort_ix(f, s->ix, s->ix + n, n);
	d.b = &s->lit;
	d.f = f;
	d.ix = s->ix;
	d.s = s;
	lh_buf_putc(d.b, ',');
	members(&d, 0, n, 0);
	if (lh_buf_status(&s->lit) != LH_OK) {
		shape_free(s);
		return NULL;
	}
	return s;
}

/* Whether s is the shape of the n fields at f: the same names in order. */
static int
shape_fits(const struct shape *s, const struct lh_field *f, size_t n)
{
	size_t i;

	if (s->n != n)
		return 0;
	for (i = 0; i < n; i++) {
		if ((f[i].name != s->ptr[i] || !s->fixed[i]) &&
		    strcmp(f[i].name, s->names + s->off[i]) != 0)
			return 0;
	}
	return 1;
}

/* The document of the fields f in shape s, appended to b. */
static void
fill(struct lh_buf *b, const struct shape *s, const struct lh_field *f)
{
	const struct slot *sl;
	size_t pos = 0, k;

	for (sl = s->slot; sl < s->slot + s->nslot; sl++) {
		lh_buf_append(b, s->lit.p + pos, sl->end - pos);
		pos = sl->end;
		for (k = sl->i; k < sl->j; k++) {
			if (k > sl->i)
				put1(b, ',');
			value(b, &f[s->ix[k]], sl->number);
		}
	}
	lh_buf_append(b, s->lit.p + pos, s->lit.len - pos);
}

/*
 * Each thread's shapes, most recently used first: a thread renders the
 * events of one file at a time, of a few name sequences.
 */
#define NSHAPE 8

struct cache {
	struct shape *s[NSHAPE];
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_ok;
static _Thread_local struct cache *cache_tls;	/* (reachable at exit) */

static void
cache_free(void *arg)
{
	struct cache *c = arg;
	size_t i;

	for (i = 0; i < NSHAPE; i++)
		shape_free(c->s[i]);
	free(c);
}

static void
cache_init(void)
{
	cache_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

/* The calling thread's cache (freed when it exits), or NULL. */
static struct cache *
cache_get(void)
{
	struct cache *c = cache_tls;

	if (c != NULL)
		return c;
	if (pthread_once(&cache_once, cache_init) != 0 || !cache_ok ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (pthread_setspecific(cache_key, c) != 0) {
		free(c);
		return NULL;
	}
	cache_tls = c;
	return c;
}

/*
 * The shape of the n fields at f from the cache c (made and kept when
 * missing), moved to the front.  NULL when out of memory.
 */
static const struct shape *
shape_of(struct cache *c, const struct lh_field *f, size_t n)
{
	struct shape *s;
	size_t i;

	for (i = 0; i < NSHAPE && c->s[i] != NULL; i++) {
		if (shape_fits(c->s[i], f, n))
			break;
	}
	if (i == NSHAPE || c->s[i] == NULL) {
		if ((s = shape_make(f, n)) == NULL)
			return NULL;
		if (i == NSHAPE)
			shape_free(c->s[--i]);
		c->s[i] = s;
	}
	s = c->s[i];
	memmove(c->s + 1, c->s, i * sizeof(*c->s));
	c->s[0] = s;
	return s;
}

int
lh_json_doc_members(struct lh_buf *b, const struct lh_field *f, size_t n)
{
	struct cache *c;
	const struct shape *s;
	struct shape *own = NULL;

	if (n == 0)
		return LH_OK;
	if ((c = cache_get()) != NULL)
		s = shape_of(c, f, n);
	else
		s = own = shape_make(f, n);	/* no cache: made and dropped */
	if (s == NULL) {
		b->err = 1;	/* sticky, as a failed append */
		return LH_FATAL;
	}
	fill(b, s, f);
	shape_free(own);
	return lh_buf_status(b);
}
