/*
 * field.c: field types and value comparison for the query languages.
 *
 * DESIGN
 * See field.h for what each type means.  The type table is a few short
 * lists searched linearly: callers look a named field up once, when they
 * compile a query, and cache the type of a field pattern's matches per
 * event.  Comparisons take prepared query values (intervals, analysed
 * terms, patterns) so that the per-event work is parsing the field value
 * and comparing numbers or bytes.  Dates follow Elasticsearch: a date
 * with missing fields is the interval it covers, and date math
 * ("now-1d/d", "anchor||+1M") resolves at preparation time.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/field.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"
#include "core/unicode.h"
#include "core/utf8.h"

/* Date math results beyond this (µs, ~126000 years) are refused. */
#define DATE_LIMIT 4000000000000000000LL

/* ---- types -------------------------------------------------------------- */

/*
 * The ECS fields whose type is not keyword, and those ECS defines with
 * "normalize: array" (ECS field reference: "This field is an array"):
 * Elastic's pipelines write them as arrays, one value included (append,
 * and the ssh script's event.type = ["info"]).  Types: ECS ecs_flat.yml
 * and the system integration's fields.  Sorted by name (strcmp order,
 * checked by tests/unit/field_test.c) for a binary search: the JSON
 * writer asks for every field of every hit.
 */
static const struct ftype {
	const char *name;
	enum lh_ftype type;
	int array;
} ftypes[] = {
	{ "@timestamp", LH_T_DATE, 0 },
	{ "client.ip", LH_T_IP, 0 },
	{ "client.port", LH_T_LONG, 0 },
	{ "destination.bytes", LH_T_LONG, 0 },
	{ "destination.ip", LH_T_IP, 0 },
	{ "destination.nat.ip", LH_T_IP, 0 },
	{ "destination.port", LH_T_LONG, 0 },
	{ "error.message", LH_T_TEXT, 0 },
	{ "error.stack_trace", LH_T_TEXT, 0 },
	{ "event.category", LH_T_KEYWORD, 1 },
	{ "event.created", LH_T_DATE, 0 },
	{ "event.end", LH_T_DATE, 0 },
	{ "event.ingested", LH_T_DATE, 0 },
	{ "event.original", LH_T_TEXT, 0 },
	{ "event.sequence", LH_T_LONG, 0 },
	{ "event.severity", LH_T_LONG, 0 },
	{ "event.start", LH_T_DATE, 0 },
	{ "event.type", LH_T_KEYWORD, 1 },
	{ "file.attributes", LH_T_KEYWORD, 1 },
	{ "host.ip", LH_T_IP, 1 },
	{ "host.mac", LH_T_KEYWORD, 1 },
	{ "http.response.status_code", LH_T_LONG, 0 },
	{ "log.offset", LH_T_LONG, 0 },
	{ "log.syslog.facility.code", LH_T_LONG, 0 },
	{ "log.syslog.priority", LH_T_LONG, 0 },
	{ "log.syslog.severity.code", LH_T_LONG, 0 },
	{ "message", LH_T_TEXT, 0 },
	{ "observer.ip", LH_T_IP, 1 },
	{ "observer.mac", LH_T_KEYWORD, 1 },
	{ "process.args", LH_T_KEYWORD, 1 },
	{ "process.args_count", LH_T_LONG, 0 },
	{ "process.end", LH_T_DATE, 0 },
	{ "process.exit_code", LH_T_LONG, 0 },
	{ "process.parent.args", LH_T_KEYWORD, 1 },
	{ "process.parent.pid", LH_T_LONG, 0 },
	{ "process.pgid", LH_T_LONG, 0 },
	{ "process.pid", LH_T_LONG, 0 },
	{ "process.ppid", LH_T_LONG, 0 },
	{ "process.start", LH_T_DATE, 0 },
	{ "process.thread.id", LH_T_LONG, 0 },
	{ "related.hash", LH_T_KEYWORD, 1 },
	{ "related.hosts", LH_T_KEYWORD, 1 },
	{ "related.ip", LH_T_IP, 1 },
	{ "related.user", LH_T_KEYWORD, 1 },
	{ "server.ip", LH_T_IP, 0 },
	{ "server.port", LH_T_LONG, 0 },
	{ "source.bytes", LH_T_LONG, 0 },
	{ "source.ip", LH_T_IP, 0 },
	{ "source.nat.ip", LH_T_IP, 0 },
	{ "source.port", LH_T_LONG, 0 },
	{ "tags", LH_T_KEYWORD, 1 },
	{ "user.id.num", LH_T_LONG, 0 },
	{ "user.roles", LH_T_KEYWORD, 1 },
};

const char *
lh_field_table_name(size_t i)
{
	return i < sizeof(ftypes) / sizeof(ftypes[0]) ? ftypes[i].name : NULL;
}

static const struct ftype *
ftype(const char *name)
{
	size_t lo = 0, hi = sizeof(ftypes) / sizeof(ftypes[0]), mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(name, ftypes[mid].name)) == 0)
			return &ftypes[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
lh_field_is_array(const char *name)
{
	const struct ftype *t = ftype(name);

	return t != NULL && t->array;
}

enum lh_ftype
lh_field_type(const char *name)
{
	const struct ftype *t = ftype(name);
	size_t n;

	if (t != NULL)
		return t->type;
	n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".text") == 0 ? LH_T_TEXT :
	    LH_T_KEYWORD;
}

/* ---- keyword ------------------------------------------------------------ */

/*
 * One character of s (n > 0 bytes): returns its length and sets *c to
 * what it compares as.  Without flags a character is a byte; otherwise a
 * code point (an invalid byte stands for itself, apart from every code
 * point), lowercased under LH_FIELD_NOCASE.
 */
static inline size_t
unit(const char *s, size_t n, unsigned flags, uint32_t *c)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = 1;

	*c = u[0];
	if (flags == 0)
		return 1;
	if (u[0] >= 0x80 && (k = lh_utf8_decode(u, n, c)) == 0) {
		*c = 0x110000 + u[0];
		k = 1;
	}
	if ((flags & LH_FIELD_NOCASE) && *c < 0x80)
		*c = *c >= 'A' && *c <= 'Z' ? *c + 32 : *c;
	else if ((flags & LH_FIELD_NOCASE) && *c < 0x110000)
		*c = lh_uc_tolower(*c);
	return k;
}

/* Greedy with one backtrack point (the last '*'). */
static inline int
wildcard(const char *pat, const char *s, size_t n, unsigned flags)
{
	const char *star = NULL, *end = flags ? pat + strlen(pat) : NULL, *q;
	size_t si = 0, mark = 0, sk, pk;
	uint32_t sc, pc;

	while (si < n) {
		if (*pat == '*') {
			star = ++pat;
			mark = si;
			continue;
		}
		sk = unit(s + si, n - si, flags, &sc);
		if (*pat == '?' && (flags & LH_FIELD_QMARK)) {
			pat++;
			si += sk;
			continue;
		}
		if (*pat != '\0') {
			q = pat + (*pat == '\\' && pat[1] != '\0');
			pk = unit(q, flags ? (size_t)(end - q) : 1, flags, &pc);
			if (pc == sc) {
				pat = q + pk;
				si += sk;
				continue;
			}
		}
		if (star == NULL)
			return 0;
		pat = star;
		si = mark += unit(s + mark, n - mark, flags, &sc);
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

int
lh_field_wildcard(const char *pat, const char *s, size_t n, unsigned flags)
{
	/* A constant 0 lets the compiler drop the code point handling. */
	if (flags == 0)
		return wildcard(pat, s, n, 0);
	return wildcard(pat, s, n, flags);
}

int
lh_field_keyword_indexed(const char *v, size_t n)
{
	return n <= LH_FIELD_IGNORE_ABOVE ||
	    lh_utf8_count(v, n) <= LH_FIELD_IGNORE_ABOVE;
}

/* lh_span_cmp() on the lowercase forms of a and b. */
static int
fold_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	uint32_t ca, cb;

	while (i < an && j < bn) {
		i += unit(a + i, an - i, LH_FIELD_NOCASE, &ca);
		j += unit(b + j, bn - j, LH_FIELD_NOCASE, &cb);
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return (i < an) - (j < bn);
}

int
lh_field_cmp_keyword_full(const char *v, size_t vn, enum lh_cmp op,
    const char *q, size_t qn, unsigned flags)
{
	/* A longer value is not indexed, so no query can find it. */
	if (!lh_field_keyword_indexed(v, vn))
		return 0;
	if (flags & LH_FIELD_NOCASE)
		return lh_cmp_holds(op, fold_cmp(v, vn, q, qn));
	if (op == LH_CMP_EQ)
		return vn == qn && memcmp(v, q, vn) == 0;
	return lh_cmp_holds(op, lh_span_cmp(v, vn, q, qn));
}

/* ---- long --------------------------------------------------------------- */

int
lh_field_parse_long(const char *s, size_t n, int64_t *v)
{
	size_t i = 0, end;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	end = i;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (i != n)
		return LH_FAIL;
	return lh_num_parse(s, end, INT64_MIN, INT64_MAX, v);
}

/* The lower bound of >= or > v (truncated toward zero; neg: v < 0). */
static void
long_lower(enum lh_cmp op, int64_t v, int frac, int neg, int64_t *lo,
    int64_t *hi)
{
	/* ceil for the bound */
	if (op == LH_CMP_GT && !frac) {
		*lo = v == INT64_MAX ? 1 : v + 1;
		*hi = v == INT64_MAX ? 0 : INT64_MAX;
	} else if (frac && !neg && v == INT64_MAX) {
		*lo = 1;
		*hi = 0;
	} else {
		*lo = v + (frac && !neg);
	}
}

/* The upper bound of <= or < v, as long_lower(). */
static void
long_upper(enum lh_cmp op, int64_t v, int frac, int neg, int64_t *lo,
    int64_t *hi)
{
	if (op == LH_CMP_LT && !frac) {
		*hi = v == INT64_MIN ? 0 : v - 1;
		*lo = v == INT64_MIN ? 1 : INT64_MIN;
	} else if (frac && neg && v == INT64_MIN) {
		*lo = 1;
		*hi = 0;
	} else {
		*hi = v - (frac && neg);
	}
}

int
lh_field_long_range(enum lh_cmp op, const char *s, size_t n, int64_t *lo,
    int64_t *hi)
{
	int64_t v;
	int frac = 0;
	size_t i;

	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (lh_field_parse_long(s, n, &v) != LH_OK)
		return LH_FAIL;
	for (i = 0; i < n && s[i] != '.'; i++)
		;
	for (i++; i < n; i++)
		frac |= s[i] != '0';
	if (op == LH_CMP_EQ && frac) {
		*lo = 1;
		*hi = 0;
	} else if (op == LH_CMP_EQ) {
		*lo = *hi = v;
	} else if (op == LH_CMP_GE || op == LH_CMP_GT) {
		long_lower(op, v, frac, s[0] == '-', lo, hi);
	} else {
		long_upper(op, v, frac, s[0] == '-', lo, hi);
	}
	return LH_OK;
}

int
lh_field_cmp_long(const char *v, size_t n, int64_t lo, int64_t hi)
{
	int64_t x;

	return lh_field_parse_long(v, n, &x) == LH_OK && x >= lo && x <= hi;
}

/* ---- date --------------------------------------------------------------- */

static int
month_days(int64_t y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Adds n months (or years, as 12n months) to t, clamping the day. */
static int64_t
add_months(int64_t t, int64_t n)
{
	int64_t days = floordiv(t, 86400 * LH_US), y, mm;
	int64_t tod = t - days * 86400 * LH_US;
	int m, d;

	lh_civil_from_days(days, &y, &m, &d);
	mm = y * 12 + (m - 1) + n;
	y = floordiv(mm, 12);
	m = (int)(mm - y * 12) + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return lh_days_from_civil(y, m, d) * 86400 * LH_US + tod;
}

static int64_t
unit_len(char u)
{
	switch (u) {
	case 'w':
		return 7 * 86400 * LH_US;
	case 'd':
		return 86400 * LH_US;
	case 'h':
	case 'H':
		return 3600 * LH_US;
	case 'm':
		return 60 * LH_US;
	case 's':
		return LH_US;
	default:
		return 0;
	}
}

/* Rounds t down to the start of unit u, or up to its last µs. */
static int
round_unit(int64_t *t, char u, int up)
{
	int64_t day = 86400 * LH_US, days = floordiv(*t, day), y, start, len;
	int m, d;

	lh_civil_from_days(days, &y, &m, &d);
	if (u == 'y' || u == 'M') {
		start = lh_days_from_civil(y, u == 'y' ? 1 : m, 1) * day;
		len = add_months(start, u == 'y' ? 12 : 1) - start;
	} else if (u == 'w') {
		/* Weeks start on Monday; 1970-01-01 was a Thursday. */
		start = (floordiv(days + 3, 7) * 7 - 3) * day;
		len = 7 * day;
	} else if ((len = unit_len(u)) != 0) {
		start = floordiv(*t, len) * len;
	} else {
		return 0;
	}
	*t = up ? start + len - 1 : start;
	return 1;
}

/* Elasticsearch date math after the anchor: (+|-)[N]unit and /unit. */
static int
date_math(const char *s, size_t n, int up, int64_t *t)
{
	size_t i = 0, d0;
	int64_t num;
	char op, u;

	while (i < n) {
		op = s[i++];
		if (op != '+' && op != '-' && op != '/')
			return 0;
		for (num = 0, d0 = i; op != '/' && i < n && s[i] >= '0' &&
		    s[i] <= '9'; i++) {
			if ((num = num * 10 + (s[i] - '0')) > 1000000)
				return 0;
		}
		if (i == d0)
			num = 1;	/* "now-d" means "now-1d" */
		if (i >= n)
			return 0;
		u = s[i++];
		if (op == '/') {
			if (!round_unit(t, u, up))
				return 0;
		} else if (u == 'y' || u == 'M') {
			*t = add_months(*t, (op == '-' ? -num : num) *
			    (u == 'y' ? 12 : 1));
		} else if (unit_len(u) != 0) {
			*t += (op == '-' ? -num : num) * unit_len(u);
		} else {
			return 0;
		}
		if (*t > DATE_LIMIT || *t < -DATE_LIMIT)
			return 0;
	}
	return 1;
}

/*
 * A date as Elasticsearch's strict_date_optional_time||epoch_millis reads
 * it, in UTC (the detection engine's dateFormatTZ is Zulu): yyyy, yyyy-MM,
 * the ISO forms of lh_time_parse_iso(), or epoch milliseconds.  up fills
 * the missing fields with their maximum, as ES does for gt and lte.
 */
static int
date_anchor(const char *s, size_t n, int up, int64_t *t)
{
	struct lh_tz utc;
	int64_t us, prec, v = 0, start;
	size_t used, i;
	int m = 1;

	/* At most 15 digits: epoch milliseconds cannot overflow. */
	for (i = 0; i < n && i < 15 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i == n && n > 0 && n != 4) {
		*t = v * 1000 + (up ? 999 : 0);
		return 1;
	} else if (i == 4 && n == 7 && s[4] == '-' && s[5] >= '0' &&
	    s[5] <= '1' && s[6] >= '0' && s[6] <= '9') {
		if ((m = (s[5] - '0') * 10 + (s[6] - '0')) < 1 || m > 12)
			return 0;
	} else if (i != n || n != 4) {
		lh_tz_utc(&utc);
		if (lh_time_parse_iso(s, n, &utc, 1, &us, &prec, &used) !=
		    LH_OK || used != n)
			return 0;
		*t = up ? us + prec - 1 : us;
		return 1;
	}
	start = lh_days_from_civil(v, m, 1) * 86400 * LH_US;
	*t = up ? add_months(start, n == 4 ? 12 : 1) - 1 : start;
	return 1;
}

/* A query's date value: now, an anchor, either followed by date math. */
static int
date_value(const char *s, size_t n, int64_t now, int up, int64_t *t)
{
	const char *bar;
	size_t an;

	if (n >= 3 && memcmp(s, "now", 3) == 0) {
		*t = now;
		return date_math(s + 3, n - 3, up, t);
	}
	for (bar = s; bar + 1 < s + n; bar++)
		if (bar[0] == '|' && bar[1] == '|')
			break;
	if (bar + 1 >= s + n)
		return date_anchor(s, n, up, t);
	an = (size_t)(bar - s);
	/* ES fills missing fields only when no math follows the anchor. */
	if (!date_anchor(s, an, 0, t))
		return 0;
	return date_math(bar + 2, n - an - 2, up, t);
}

int
lh_field_parse_date(const char *s, size_t n, int64_t *t)
{
	return date_anchor(s, n, 0, t) ? LH_OK : LH_FAIL;
}

int
lh_field_date_range(enum lh_cmp op, const char *s, size_t n, int64_t now,
    int64_t *lo, int64_t *hi)
{
	int64_t t;

	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (op == LH_CMP_EQ)
		return date_value(s, n, now, 0, lo) &&
		    date_value(s, n, now, 1, hi) ? LH_OK : LH_FAIL;
	if (!date_value(s, n, now, op == LH_CMP_GT || op == LH_CMP_LE, &t))
		return LH_FAIL;
	if (op == LH_CMP_GE)
		*lo = t;
	else if (op == LH_CMP_GT)
		*lo = t + 1;
	else if (op == LH_CMP_LE)
		*hi = t;
	else
		*hi = t - 1;
	return LH_OK;
}

int
lh_field_cmp_date(const char *v, size_t n, int64_t lo, int64_t hi)
{
	int64_t t;

	return date_anchor(v, n, 0, &t) && t >= lo && t <= hi;
}

/* ---- text --------------------------------------------------------------- */

void
lh_field_terms_free(struct lh_term *terms, size_t n)
{
	size_t i;

	if (terms == NULL)
		return;
	for (i = 0; i < n; i++)
		free(terms[i].s);
	free(terms);
}

int
lh_field_terms(const char *q, size_t n, struct lh_tokens *tmp,
    struct lh_term **terms, size_t *nterms)
{
	struct lh_term *t;
	size_t i;

	*terms = NULL;
	*nterms = 0;
	if (lh_analyze(q, n, tmp) != LH_OK)
		return LH_FATAL;
	if (tmp->n == 0)
		return LH_OK;
	if ((t = calloc(tmp->n, sizeof(*t))) == NULL)
		return LH_FATAL;
	for (i = 0; i < tmp->n; i++) {
		if ((t[i].s = malloc(tmp->len[i] + 1)) == NULL) {
			lh_field_terms_free(t, i);
			return LH_FATAL;
		}
		memcpy(t[i].s, lh_token(tmp, i), tmp->len[i] + 1);
		t[i].len = tmp->len[i];
		t[i].hash = lh_field_hash(t[i].s, t[i].len);
	}
	*terms = t;
	*nterms = tmp->n;
	return LH_OK;
}

void
lh_field_text_init(struct lh_text *e)
{
	memset(e, 0, sizeof(*e));
}

void
lh_field_text_free(struct lh_text *e)
{
	lh_tokens_free(&e->t);
	free(e->slot);
	free(e->thash);
	memset(e, 0, sizeof(*e));
}

/* Fills the hash table of e's tokens. */
static int
text_hash(struct lh_text *e)
{
	size_t want = 16, i, h;

	while (want < e->t.n * 2)
		want *= 2;
	if (lh_grow(&e->thash, &e->thcap, e->t.n, sizeof(*e->thash)) != LH_OK)
		return LH_FATAL;
	if (lh_grow(&e->slot, &e->slotcap, want, sizeof(*e->slot)) != LH_OK)
		return LH_FATAL;
	e->nslot = want;
	memset(e->slot, 0, want * sizeof(*e->slot));
	for (i = 0; i < e->t.n; i++) {
		e->thash[i] = lh_field_hash(lh_token(&e->t, i), e->t.len[i]);
		h = e->thash[i] & (want - 1);
		while (e->slot[h] != 0)
			h = (h + 1) & (want - 1);
		e->slot[h] = (uint32_t)i + 1;
	}
	return LH_OK;
}

int
lh_field_text_analyze(struct lh_text *e, const char *v, size_t n)
{
	if (lh_analyze(v, n, &e->t) != LH_OK)
		return LH_FATAL;
	return text_hash(e);
}

long
lh_field_text_match(const struct lh_text *e, const struct lh_term *q,
    size_t n, size_t *which)
{
	size_t i;
	long k;

	for (i = 0; i < n; i++) {
		if ((k = lh_field_text_find(e, &q[i])) >= 0) {
			*which = i;
			return k;
		}
	}
	return -1;
}

int
lh_field_text_phrase(const struct lh_text *e, const struct lh_term *q,
    size_t n)
{
	size_t i, k;

	if (n == 0 || n > e->t.n)
		return 0;
	/* Cheap rejection: every term must occur somewhere. */
	for (k = 0; k < n; k++)
		if (lh_field_text_find(e, &q[k]) < 0)
			return 0;
	for (i = 0; i + n <= e->t.n; i++) {
		for (k = 0; k < n; k++) {
			if (e->t.len[i + k] != q[k].len ||
			    memcmp(lh_token(&e->t, i + k), q[k].s,
			    q[k].len) != 0)
				break;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

long
lh_field_text_cmp(const struct lh_text *e, enum lh_cmp op, const char *q,
    size_t n)
{
	size_t i;

	for (i = 0; i < e->t.n; i++)
		if (lh_cmp_holds(op, lh_span_cmp(lh_token(&e->t, i),
		    e->t.len[i], q, n)))
			return (long)i;
	return -1;
}

long
lh_field_text_wildcard(const struct lh_text *e, const char *pat,
    unsigned flags)
{
	size_t i;

	for (i = 0; i < e->t.n; i++)
		if (lh_field_wildcard(pat, lh_token(&e->t, i), e->t.len[i],
		    flags))
			return (long)i;
	return -1;
}
