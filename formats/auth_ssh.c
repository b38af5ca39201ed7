/*
 * auth_ssh.c: the common sshd lines ("Accepted publickey for alice from
 * 10.0.0.7 port 50022 ssh2: RSA SHA256:...", "Failed password for invalid
 * user bob from ... port ... ssh2") matched by hand, as the first pattern
 * of grok-specific-messages would match them, without running the grok
 * machine (most of an auth log's lines, and most of the pipeline's time).
 *
 * The pattern is
 *	^%{DATA:system.auth.ssh.event} %{DATA:system.auth.ssh.method} for
 *	(invalid user)?%{DATA:user.name} from %{IPORHOST:source.address}
 *	port %{NUMBER:source.port:long} ssh2(: %{GREEDYDATA:
 *	system.auth.ssh.signature})?
 * (one line).  A backtracking match takes, at each choice, the first
 * alternative in priority order that lets the rest match.  Here every
 * earlier alternative fails at once: a lazy DATA shorter than the first
 * occurrence of the literal after it cannot be followed by that literal;
 * IPV6 cannot match at a dotted quad (each of its forms has a ':' within
 * five bytes); IPV4 matches the whole quad (each octet is followed by '.'
 * or by a non-digit).  So when the first choices all lead to a match,
 * that match is the grok's, and it is the one made below: E up to the
 * first space, M up to the first " for ", "invalid user" taken when
 * present, U up to the first " from ", then a dotted quad, " port ",
 * digits, " ssh2" and, when ": " follows, the rest as the signature.  Any
 * other line (another address form, a failing first choice, a newline,
 * a line long enough to matter to the step budget) is left to the grok
 * machine, whose answer may then differ only by coming slower.
 */
#include <string.h>

#include "core/num.h"
#include "core/status.h"
#include "formats/auth_priv.h"

#define QUICK_MAX 4096	/* longer lines go to the grok machine */

static const char *const fields[SSH_NCAP] = {
	"system.auth.ssh.event", "system.auth.ssh.method", "user.name",
	"source.address", "source.port", "system.auth.ssh.signature"
};

int
lh_auth_ssh_ids(const struct lh_grok *g)
{
	int k;

	for (k = 0; k < SSH_NCAP; k++) {
		if (lh_grok_field(g, k) == NULL ||
		    strcmp(lh_grok_field(g, k), fields[k]) != 0)
			return 0;
	}
	return 1;
}

/* The first occurrence of lit (k bytes) in s[at..n), or n. */
static size_t
find(const char *s, size_t n, size_t at, const char *lit, size_t k)
{
	const char *q = at <= n ? lh_grok_find(s + at, n - at, lit, k) : NULL;

	return q != NULL ? (size_t)(q - s) : n;
}

/* An IPV4 octet of s[at..n): its length, or 0. */
static size_t
octet(const char *s, size_t n, size_t at)
{
	size_t k = 0;

	while (at + k < n && k < 4 && s[at + k] >= '0' && s[at + k] <= '9')
		k++;
	if (k == 0 || k > 3)
		return 0;
	if (k == 3 && s[at] > '2')
		return 0;
	if (k == 3 && s[at] == '2' && (s[at + 1] > '5' ||
	    (s[at + 1] == '5' && s[at + 2] > '5')))
		return 0;
	return k;
}

/* The length of the dotted quad at s[at..n) (followed by a non-digit), or 0. */
static size_t
quad(const char *s, size_t n, size_t at)
{
	size_t p = at, k;
	int i;

	for (i = 0; i < 4; i++) {
		if ((k = octet(s, n, p)) == 0)
			return 0;
		p += k;
		if (i < 3) {
			if (p >= n || s[p] != '.')
				return 0;
			p++;
		}
	}
	return p - at;
}

static void
put(struct lh_grok_result *r, const struct lh_grok *g, int id,
    const char *p, size_t len)
{
	struct lh_grok_cap *c = &r->cap[r->ncap++];

	c->id = id;
	c->field = lh_grok_field(g, id);
	c->type = LH_GROK_STR;
	c->p = p;
	c->len = len;
	c->num = 0;
}

int
lh_auth_ssh_quick(const struct lh_grok *g, const char *s, size_t n,
    struct lh_grok_result *r)
{
	size_t e, f, u, fr, a, al, pt, d;

	if (n > QUICK_MAX || memchr(s, '\n', n) != NULL)
		return 0;
	if ((e = find(s, n, 0, " ", 1)) == n ||
	    (f = find(s, n, e + 1, " for ", 5)) == n)
		return 0;
	u = f + 5;
	if (n - u >= 12 && memcmp(s + u, "invalid user", 12) == 0)
		u += 12;
	if ((fr = find(s, n, u, " from ", 6)) == n)
		return 0;
	a = fr + 6;
	if ((al = quad(s, n, a)) == 0 || n - (a + al) < 6 ||
	    memcmp(s + a + al, " port ", 6) != 0)
		return 0;
	pt = a + al + 6;
	for (d = 0; pt + d < n && s[pt + d] >= '0' && s[pt + d] <= '9'; d++)
		;
	if (d == 0 || d > 18 || n - (pt + d) < 5 ||
	    memcmp(s + pt + d, " ssh2", 5) != 0)
		return 0;
	r->ncap = 0;
	r->alt = 1;
	put(r, g, 0, s, e);
	put(r, g, 1, s + e + 1, f - e - 1);
	put(r, g, 2, s + u, fr - u);
	put(r, g, 3, s + a, al);
	put(r, g, 4, s + pt, d);
	r->cap[4].type = LH_GROK_LONG;
	if (lh_num_parse(s + pt, d, INT64_MIN, INT64_MAX, &r->cap[4].num) !=
	    LH_OK)
		return 0;
	d = pt + d + 5;
	if (n - d >= 2 && s[d] == ':' && s[d + 1] == ' ')
		put(r, g, 5, s + d + 2, n - d - 2);
	return 1;
}
