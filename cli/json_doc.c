/*
 * json_doc.c: nested, typed JSON documents from flat fields (json_doc.h).
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

struct doc {
	struct lh_buf *b;
	const struct lh_field *f;
	size_t *ix;		/* field indices in key order */
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

static void
value(struct lh_buf *b, const struct lh_field *f)
{
	int64_t v;

	/* the number first: most values are not, and the type costs more */
	if (lh_num_parse(f->val, f->len, INT64_MIN, INT64_MAX, &v) != LH_OK ||
	    lh_field_type(f->name) != LH_T_LONG)
		lh_esc_json(b, f->val, f->len);
	else if (canonical(f->val, f->len))
		lh_buf_append(b, f->val, f->len);
	else
		lh_buf_printf(b, "%lld", (long long)v);
}

/* The values of the equal names ix[i..j) under key (klen bytes). */
static void
leaf(struct doc *d, const char *key, size_t klen, size_t i, size_t j)
{
	const char *name = d->f[d->ix[i]].name;	/* key is its end */
	int array = j - i > 1 || is_array(name, (size_t)(key - name) + klen);
	size_t k;

	put_key(d->b, key, klen);
	if (array)
		put1(d->b, '[');
	for (k = i; k < j; k++) {
		if (k > i)
			put1(d->b, ',');
		value(d->b, &d->f[d->ix[k]]);
	}
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

int
lh_json_doc_members(struct lh_buf *b, const struct lh_field *f, size_t n)
{
	struct doc d = { b, f, NULL };
	size_t i;

	if (n == 0)
		return LH_OK;
	if (n > SIZE_MAX / (2 * sizeof(*d.ix)) ||
	    (d.ix = malloc(2 * n * sizeof(*d.ix))) == NULL) {
		b->err = 1;	/* sticky, as a failed append */
		return LH_FATAL;
	}
	for (i = 0; i < n; i++)
		d.ix[i] = i;
	sort_ix(f, d.ix, d.ix + n, n);
	lh_buf_putc(b, ',');
	members(&d, 0, n, 0);
	free(d.ix);
	return lh_buf_status(b);
}
