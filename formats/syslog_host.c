/*
 * syslog_host.c: SYSLOGHOST of the syslog header grok (see syslog_host.h),
 * as the legacy grok definitions spell out IP and HOSTNAME.
 */
#include <stddef.h>
#include <string.h>

#include "formats/syslog_host.h"

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* [0-9A-Za-z]: c | 0x20 folds only 'A'..'Z' onto 'a'..'z'. */
static int
letdig(char c)
{
	return isdig(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* [0-9A-Fa-f] */
static int
ishex(char c)
{
	return isdig(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/*
 * Whether p (n bytes) is an IPV6 as the grok definition spells it out:
 * hex groups of 1..4 digits, at most one "::" standing for at least one
 * group, an IPv4 dotted quad (no leading zeros) as the last two groups.
 */
static int
valid_v4(const char *p, size_t n)
{
	size_t i = 0, st;
	int oct, v;

	for (oct = 0; oct < 4; oct++) {
		if (oct > 0 && (i >= n || p[i++] != '.'))
			return 0;
		for (st = i, v = 0; i < n && isdig(p[i]) && i - st < 3; i++)
			v = v * 10 + (p[i] - '0');
		if (i == st || v > 255 || (i - st > 1 && p[st] == '0'))
			return 0;
	}
	return i == n;
}

static int
valid_v6(const char *p, size_t n)
{
	size_t i = 0, j;
	int groups = 0, dcolon = 0;

	if (n >= 2 && p[0] == ':' && p[1] == ':') {
		dcolon = 1;
		i = 2;
	}
	while (i < n) {
		for (j = i; j < n && ishex(p[j]) && j - i < 5; j++)
			continue;
		if (j < n && p[j] == '.') {
			if (!valid_v4(p + i, n - i))
				return 0;
			groups += 2;
			break;
		}
		if (j == i || j - i > 4)
			return 0;
		groups++;
		if ((i = j) == n)
			break;
		if (p[i++] != ':' || i == n)
			return 0;
		if (p[i] == ':') {
			if (dcolon)
				return 0;
			dcolon = 1;
			i++;
		}
	}
	return dcolon ? groups <= 7 : groups == 8;
}

/* The host token p (see syslog_host.h). */
int
lh_syslog_host_valid(const char *p, size_t n)
{
	size_t i = 0, lab;
	const char *pct;
	size_t v6;

	while (i < n && letdig(p[i])) {
		for (lab = 1, i++; i < n && (letdig(p[i]) ||
		    p[i] == '-'); i++)
			lab++;
		if (lab > 63)
			break;
		if (i == n || (p[i] == '.' && ++i == n))
			return 1;
	}
	if ((pct = memchr(p, '%', n)) == NULL)
		return valid_v6(p, n);
	v6 = (size_t)(pct - p);
	return v6 + 1 < n && memchr(pct, '\n', n - v6) == NULL &&
	    valid_v6(p, v6);
}

size_t
lh_syslog_host_token(const char *s, size_t n, size_t i,
    struct lh_syslog_memo *m, int *valid)
{
	size_t e;

	/* the last host and a space: no space comes before (a host has none) */
	if (m != NULL && m->hostlen > 0 && i + m->hostlen < n &&
	    s[i + m->hostlen] == ' ' &&
	    memcmp(s + i, m->host, m->hostlen) == 0) {
		*valid = 1;
		return i + m->hostlen;
	}
	/* a loop, not memchr: hosts are short and this runs on every line */
	for (e = i; e < n && s[e] != ' '; e++)
		continue;
	*valid = e > i && e < n && lh_syslog_host_valid(s + i, e - i);
	if (*valid && m != NULL && e - i <= sizeof(m->host)) {
		memcpy(m->host, s + i, e - i);
		m->hostlen = e - i;
	}
	return e;
}
