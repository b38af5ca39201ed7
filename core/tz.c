/*
 * tz.c: a TZif (RFC 8536) parser and the offset of a named zone at a time.
 *
 * DESIGN
 * loghunt used to set TZ and call localtime_r(3) twice per line, under the
 * lock glibc takes around its one global zone.  A zone is now data: the
 * transition table of the file (the 64-bit data of version 2 and later,
 * the 32-bit data of version 1) and the POSIX TZ footer that gives the
 * offset after the last transition.  The lookup copies glibc's choices
 * (its time/tzfile.c and POSIX rule code) so that conversions do not
 * change:
 *   - before the first transition, or in a file without transitions, the
 *     first type that is not DST (type 0 if all are DST);
 *   - from the last transition on, the footer rule when there is one; the
 *     year of its change times is the UTC year of t, and a year up to 1970
 *     counts its days from 1970-01-01, as glibc's compute_change() does;
 *   - a footer with a DST name but no rule uses M3.2.0,M11.1.0;
 *   - leap second records are skipped (tm_gmtoff ignores them).
 * A footer glibc could not parse is refused here (glibc falls back to
 * UTC).  Versions 1 to 3 are what RFC 8536 describes; version 4 only
 * relaxes the leap second table, which is skipped, so it is read too.
 * Everything is immutable after parsing: lookups are pure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/time.h"
#include "core/tz.h"

enum { RULE_J1, RULE_J0, RULE_M };

struct change {
	int kind;		/* RULE_J1 (Jn), RULE_J0 (n), RULE_M */
	int d, m, w;		/* day (or day of week), month, week */
	long secs;		/* local time of day of the change */
};

struct lh_zone {
	size_t ntrans;
	int64_t *trans;		/* ascending transition times (UTC) */
	unsigned char *idx;	/* the type after each transition */
	size_t ntypes;
	long *utoff;		/* offset of each type, seconds east */
	unsigned char *isdst;
	long before;		/* the offset before the first transition */
	int has_rule;		/* the footer is used after the last one */
	long std_off, dst_off;	/* footer offsets, seconds east */
	int has_dst;
	struct change start, end;
};

void
lh_zone_free(struct lh_zone *z)
{
	if (z == NULL)
		return;
	free(z->trans);
	free(z->idx);
	free(z->utoff);
	free(z->isdst);
	free(z);
}

/* ---- the POSIX TZ footer ------------------------------------------------ */

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A zone abbreviation: 3+ letters, or <...> of letters, digits, + and -. */
static int
skip_name(const char **sp)
{
	const char *s = *sp, *b;

	if (*s == '<') {
		for (b = ++s; is_alpha(*s) || is_digit(*s) || *s == '+' ||
		    *s == '-'; s++)
			;
		if (*s != '>' || s - b < 3)
			return -1;
		*sp = s + 1;
		return 0;
	}
	for (b = s; is_alpha(*s); s++)
		;
	if (s - b < 3)
		return -1;
	*sp = s;
	return 0;
}

/* Up to three unsigned decimal fields hh[:mm[:ss]] (hh up to 167). */
static int
clock_fields(const char **sp, long *secs)
{
	const char *s = *sp;
	long f[3] = { 0, 0, 0 };
	int k;

	for (k = 0; k < 3; k++) {
		if (k > 0 && (*s != ':' || !is_digit(s[1])))
			break;
		s += k > 0;
		if (!is_digit(*s))
			return -1;
		while (is_digit(*s)) {
			f[k] = f[k] * 10 + (*s++ - '0');
			if (f[k] > 999)
				return -1;
		}
	}
	*secs = f[0] * 3600 + f[1] * 60 + f[2];
	*sp = s;
	return 0;
}

/* [+-]hh[:mm[:ss]] west of UTC (POSIX), stored as seconds east. */
static int
footer_offset(const char **sp, long *off)
{
	int west = 1;
	long v;

	if (**sp == '+' || **sp == '-')
		west = *(*sp)++ == '+';
	if (clock_fields(sp, &v) != 0)
		return -1;
	*off = west ? -v : v;
	return 0;
}

/* ",Jn", ",n" or ",Mm.w.d", then an optional "/[+-]time" (default 2:00). */
static int
footer_change(const char **sp, struct change *c)
{
	const char *s = *sp;
	long v;
	int neg;

	if (*s++ != ',')
		return -1;
	c->kind = *s == 'J' ? RULE_J1 : *s == 'M' ? RULE_M : RULE_J0;
	s += c->kind != RULE_J0;
	if (c->kind == RULE_M) {
		if (!is_digit(s[0]) || (c->m = (int)strtol(s, NULL, 10)) < 1 ||
		    c->m > 12)
			return -1;
		s += 1 + is_digit(s[1]);
		if (s[0] != '.' || s[1] < '1' || s[1] > '5' || s[2] != '.' ||
		    s[3] < '0' || s[3] > '6')
			return -1;
		c->w = s[1] - '0';
		c->d = s[3] - '0';
		s += 4;
	} else {
		if (!is_digit(*s))
			return -1;
		for (c->d = 0; is_digit(*s) && c->d < 1000; s++)
			c->d = c->d * 10 + (*s - '0');
		if (c->d > 365 || (c->kind == RULE_J1 && c->d < 1))
			return -1;
	}
	c->secs = 2 * 3600;
	if (*s == '/') {
		s++;
		neg = *s == '-' || *s == '+' ? *s++ == '-' : 0;
		if (clock_fields(&s, &v) != 0)
			return -1;
		c->secs = neg ? -v : v;
	}
	*sp = s;
	return 0;
}

/* The footer rule into z; LH_OK or LH_FAIL. */
static int
parse_footer(struct lh_zone *z, const char *s)
{
	const char *dflt = ",M3.2.0,M11.1.0";

	if (skip_name(&s) != 0 || footer_offset(&s, &z->std_off) != 0)
		return LH_FAIL;
	z->dst_off = z->std_off;
	z->has_rule = 1;
	if (*s == '\0')
		return LH_OK;
	if (skip_name(&s) != 0)
		return LH_FAIL;
	z->has_dst = 1;
	z->dst_off = z->std_off + 3600;
	if (*s != ',' && *s != '\0' && footer_offset(&s, &z->dst_off) != 0)
		return LH_FAIL;
	if (*s == '\0')
		s = dflt;
	if (footer_change(&s, &z->start) != 0 ||
	    footer_change(&s, &z->end) != 0 || *s != '\0')
		return LH_FAIL;
	return LH_OK;
}

/* ---- footer evaluation -------------------------------------------------- */

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* UTC time of change c in year y, whose local time has offset off. */
static int64_t
change_time(const struct change *c, int64_t y, long off)
{
	static const int cum[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273,
	    304, 334, 365 };
	int64_t t = y > 1970 ? lh_days_from_civil(y, 1, 1) : 0;
	int first, mlen, d;

	if (c->kind == RULE_J1) {
		t += c->d - 1 + (c->d >= 60 && is_leap(y));
	} else if (c->kind == RULE_J0) {
		t += c->d;
	} else {
		t += cum[c->m - 1] + (is_leap(y) && c->m > 2);
		mlen = cum[c->m] - cum[c->m - 1] + (c->m == 2 && is_leap(y));
		/* weekday of the 1st (0 = Sunday); 1970-01-01 was a Thursday */
		first = (int)(((lh_days_from_civil(y, c->m, 1) + 4) % 7 + 7) %
		    7);
		d = (c->d - first + 7) % 7;
		for (int i = 1; i < c->w && d + 7 < mlen; i++)
			d += 7;
		t += d;
	}
	return t * 86400 + c->secs - off;
}

static long
footer_offset_at(const struct lh_zone *z, int64_t t)
{
	int64_t y, days, start, end;
	int m, d, dst;

	if (!z->has_dst)
		return z->std_off;
	days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	lh_civil_from_days(days, &y, &m, &d);
	start = change_time(&z->start, y, z->std_off);
	end = change_time(&z->end, y, z->dst_off);
	if (start > end)	/* southern hemisphere, or negative DST */
		dst = t < end || t >= start;
	else
		dst = t >= start && t < end;
	return dst ? z->dst_off : z->std_off;
}

long
lh_zone_offset(const struct lh_zone *z, int64_t t)
{
	size_t lo, hi, mid;

	if (z->ntrans == 0 || t < z->trans[0])
		return z->before;
	if (t >= z->trans[z->ntrans - 1] && z->has_rule)
		return footer_offset_at(z, t);
	lo = 0;			/* trans[lo] <= t < trans[hi] */
	hi = z->ntrans;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->utoff[z->idx[lo]];
}

/* ---- TZif --------------------------------------------------------------- */

struct counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Reads a 44-byte header at p; the size of its data block in *len. */
static int
header(const unsigned char *p, size_t n, int wide, struct counts *c,
    size_t *len)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	if (c->type == 0 || c->type > 256 || c->chars == 0 ||
	    c->time > 1000000 || c->leap > 100000 || c->chars > 100000 ||
	    (c->isut != 0 && c->isut != c->type) ||
	    (c->isstd != 0 && c->isstd != c->type))
		return -1;
	*len = (size_t)c->time * (wide ? 9 : 5) + (size_t)c->type * 6 +
	    c->chars + (size_t)c->leap * (wide ? 12 : 8) + c->isstd + c->isut;
	return 44 + *len > n ? -1 : 0;
}

/* Fills z from a data block p described by c. */
static int
data_block(struct lh_zone *z, const unsigned char *p, const struct counts *c,
    int wide)
{
	size_t i, w = wide ? 8 : 4;
	const unsigned char *ti = p + c->time * w, *ty = ti + c->time;

	z->ntrans = c->time;
	z->ntypes = c->type;
	z->trans = malloc((c->time + 1) * sizeof(*z->trans));
	z->idx = malloc(c->time + 1);
	z->utoff = malloc(c->type * sizeof(*z->utoff));
	z->isdst = malloc(c->type);
	if (!z->trans || !z->idx || !z->utoff || !z->isdst)
		return LH_FATAL;
	for (i = 0; i < c->time; i++) {
		z->trans[i] = wide ? be64(p + i * 8) :
		    (int64_t)(int32_t)be32(p + i * 4);
		z->idx[i] = ti[i];
		if (ti[i] >= c->type || (i > 0 && z->trans[i] <=
		    z->trans[i - 1]))
			return LH_FAIL;
	}
	for (i = 0; i < c->type; i++) {
		int32_t off = (int32_t)be32(ty + i * 6);

		if (off == INT32_MIN || ty[i * 6 + 4] > 1)
			return LH_FAIL;
		z->utoff[i] = off;
		z->isdst[i] = ty[i * 6 + 4];
	}
	for (i = 0; i < c->type && z->isdst[i]; i++)
		;
	z->before = z->utoff[i < c->type ? i : 0];
	return LH_OK;
}

/* The footer after the v2+ data at p (n bytes): "\nRULE\n". */
static int
footer(struct lh_zone *z, const unsigned char *p, size_t n)
{
	char rule[256];
	const unsigned char *nl;

	if (n < 2 || p[0] != '\n' ||
	    (nl = memchr(p + 1, '\n', n - 1)) == NULL)
		return LH_FAIL;
	if (nl == p + 1)
		return LH_OK;	/* empty: no rule, as glibc */
	if ((size_t)(nl - p - 1) >= sizeof(rule))
		return LH_FAIL;
	memcpy(rule, p + 1, (size_t)(nl - p - 1));
	rule[nl - p - 1] = '\0';
	return parse_footer(z, rule);
}

static int
parse_tzif(struct lh_zone *z, const unsigned char *p, size_t n)
{
	struct counts c;
	size_t len;
	int rc;

	if (header(p, n, 0, &c, &len) != 0)
		return LH_FAIL;
	if (p[4] == '\0')
		return data_block(z, p + 44, &c, 0);
	if (p[4] < '2' || p[4] > '4')
		return LH_FAIL;
	p += 44 + len;
	n -= 44 + len;
	if (header(p, n, 1, &c, &len) != 0)
		return LH_FAIL;
	if ((rc = data_block(z, p + 44, &c, 1)) != LH_OK)
		return rc;
	return footer(z, p + 44 + len, n - 44 - len);
}

struct lh_zone *
lh_zone_parse(const unsigned char *p, size_t n, struct lh_err *err)
{
	struct lh_zone *z = calloc(1, sizeof(*z));
	int rc;

	if (z == NULL) {
		lh_err_set(err, LH_FATAL, ENOMEM, "time zone");
		return NULL;
	}
	if ((rc = parse_tzif(z, p, n)) != LH_OK) {
		lh_zone_free(z);
		lh_err_set(err, rc, rc == LH_FATAL ? ENOMEM : 0, "%s",
		    rc == LH_FATAL ? "time zone" : "not a valid TZif file");
		return NULL;
	}
	return z;
}

struct lh_zone *
lh_zone_posix(const char *rule, struct lh_err *err)
{
	struct lh_zone *z = calloc(1, sizeof(*z));

	if (z == NULL) {
		lh_err_set(err, LH_FATAL, ENOMEM, "time zone");
		return NULL;
	}
	if (parse_footer(z, rule) != LH_OK) {
		lh_zone_free(z);
		lh_err_set(err, LH_FAIL, 0, "bad TZ rule '%s'", rule);
		return NULL;
	}
	/* no transitions: make the footer apply from the beginning */
	if ((z->trans = malloc(sizeof(*z->trans))) == NULL ||
	    (z->idx = calloc(1, 1)) == NULL ||
	    (z->utoff = malloc(sizeof(*z->utoff))) == NULL) {
		lh_zone_free(z);
		lh_err_set(err, LH_FATAL, ENOMEM, "time zone");
		return NULL;
	}
	z->trans[0] = INT64_MIN;
	z->ntrans = 1;
	z->ntypes = 1;
	z->utoff[0] = z->before = z->std_off;
	return z;
}
