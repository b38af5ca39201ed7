/*
 * ip.c: IP addresses and CIDR blocks (see ip.h).
 */
#include <string.h>

#include "core/ip.h"
#include "core/num.h"
#include "core/status.h"

/*
 * A dotted quad into out[0..3]: no leading zeros, each part <= 255.
 * (One pointer and one digit test a byte: the auth pipeline and EQL's
 * cidrmatch() parse an address per event.)
 */
static int
parse_v4(const char *s, size_t n, uint8_t *out)
{
	const char *p = s, *end = s + n, *start;
	unsigned d, v;
	int part;

	for (part = 0; part < 4; part++) {
		if (part > 0 && (p == end || *p++ != '.'))
			return LH_FAIL;
		start = p;
		for (v = 0; p < end && (d = (unsigned)(unsigned char)*p -
		    '0') <= 9 && p - start < 4; p++)
			v = v * 10 + d;
		if (p == start || p - start > 3 || v > 255 ||
		    (p - start > 1 && *start == '0'))
			return LH_FAIL;
		out[part] = (uint8_t)v;
	}
	return p == end ? LH_OK : LH_FAIL;
}

/* One hextet of 1..4 hex digits at s[*i], advancing *i. */
static int
hextet(const char *s, size_t n, size_t *i, uint8_t *out)
{
	unsigned v = 0;
	size_t k;
	int h;

	for (k = 0; *i < n && (h = lh_num_hexdigit((unsigned char)s[*i])) >= 0; k++) {
		if (k == 4)
			return LH_FAIL;
		v = v << 4 | (unsigned)h;
		(*i)++;
	}
	if (k == 0)
		return LH_FAIL;
	out[0] = (uint8_t)(v >> 8);
	out[1] = (uint8_t)v;
	return LH_OK;
}

/*
 * The groups of one side of "::" (or of the whole address) into out,
 * at most max bytes; *len gets how many.  A final dotted quad counts as
 * two groups.
 */
static int
groups(const char *s, size_t n, uint8_t *out, size_t max, size_t *len)
{
	size_t i = 0, o = 0, start;

	*len = 0;
	if (n == 0)
		return LH_OK;
	for (;;) {
		start = i;
		if (o + 2 > max)
			return LH_FAIL;
		if (hextet(s, n, &i, out + o) != LH_OK)
			return LH_FAIL;
		if (i < n && s[i] == '.') {
			if (o + 4 > max || parse_v4(s + start, n - start,
			    out + o) != LH_OK)
				return LH_FAIL;
			*len = o + 4;
			return LH_OK;
		}
		o += 2;
		if (i == n)
			break;
		if (s[i++] != ':' || i == n)
			return LH_FAIL;
	}
	*len = o;
	return LH_OK;
}

static int
parse_v6(const char *s, size_t n, uint8_t *out)
{
	const char *dc = NULL;
	uint8_t tail[16];
	size_t i, hl, tl;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == ':' && s[i + 1] == ':') {
			if (dc != NULL)
				return LH_FAIL;
			dc = s + i;
			i++;
		}
	}
	memset(out, 0, 16);
	if (dc == NULL)
		return groups(s, n, out, 16, &hl) == LH_OK && hl == 16 ?
		    LH_OK : LH_FAIL;
	if (groups(s, (size_t)(dc - s), out, 14, &hl) != LH_OK ||
	    groups(dc + 2, n - (size_t)(dc - s) - 2, tail, 14, &tl) !=
	    LH_OK || hl + tl > 14)
		return LH_FAIL;
	memcpy(out + 16 - tl, tail, tl);
	return LH_OK;
}

int
lh_ip_parse(const char *s, size_t n, struct lh_ip *ip)
{
	if (n == 0 || n > 64)
		return LH_FAIL;
	if (memchr(s, ':', n) != NULL)
		return parse_v6(s, n, ip->b);
	memset(ip->b, 0, 10);
	ip->b[10] = ip->b[11] = 0xff;
	return parse_v4(s, n, ip->b + 12);
}

int
lh_ip_parse_cidr(const char *s, size_t n, struct lh_ip *net, int *bits)
{
	const char *slash = memchr(s, '/', n);
	size_t i, an = slash != NULL ? (size_t)(slash - s) : n;
	int v = 0, v4 = memchr(s, ':', an) == NULL;

	if (lh_ip_parse(s, an, net) != LH_OK)
		return LH_FAIL;
	if (slash == NULL) {
		*bits = 128;
		return LH_OK;
	}
	for (i = an + 1; i < n && s[i] >= '0' && s[i] <= '9' && v <= 128; i++)
		v = v * 10 + (s[i] - '0');
	if (i != n || i == an + 1 || v > (v4 ? 32 : 128))
		return LH_FAIL;
	*bits = v4 ? v + 96 : v;
	return LH_OK;
}

int
lh_ip_cmp(const struct lh_ip *a, const struct lh_ip *b)
{
	return memcmp(a->b, b->b, 16);
}
