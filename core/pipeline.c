/*
 * pipeline.c: the syslog grok of the Filebeat system module, RFC 5424 and
 * dmesg lines, scanned by hand.
 *
 * DESIGN
 * The grok patterns (filebeat/module/system/syslog/ingest/pipeline.yml and
 * files.yml) are regular expressions over the legacy grok definitions
 * (elastic/elasticsearch libs/grok/src/main/resources/patterns/legacy/
 * grok-patterns).  Each piece is scanned here by a function that accepts
 * exactly what its regex accepts when it is followed by what follows it in
 * the pattern; the comments give the regex and explain where backtracking
 * cannot change the outcome.  Grok searches unanchored (Grok.java calls
 * Matcher.search), so a pattern fits at the leftmost position where it
 * fits at all, and pattern 1 anywhere beats pattern 2 at offset 0.  That
 * search only looks at the places a stamp can hang on (the ':' of a time,
 * the '-' of a date), so it costs one memchr pass for ordinary lines.
 *
 * Nothing allocates except lh_event_add (the event's field array, which is
 * warm after the first line); values point into the line.  The scanners
 * take (s, n) and never read s[n]; lines may hold NUL bytes and any bytes.
 * Every search is linear in the line length: the lazy DATA scan for the
 * tag's ": " is shared by all candidate positions (struct term).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "core/pipeline.h"
#include "core/status.h"
#include "core/time.h"

#define NONE ((size_t)-1)
#define PROBE_LINES 16

static const struct lh_tz utc_tz = { 0, 0, "UTC" };
static const char kernel_name[] = "kernel";

/* What a line yielded, before it goes into an event. */
struct hit {
	const char *host, *proc, *pid, *msg;
	size_t hostlen, proclen, pidlen, msglen;
	int64_t ts, prec;
	int flags;
};

/* The pieces of a timestamp; year < 0 means a two-digit ISO year. */
struct stamp {
	int year, mon, day, hh, mi, ss;
	int64_t frac, prec;
	int zone;		/* off holds the stamp's own offset */
	long off;
	size_t end;		/* index of the space after the stamp */
};

/* The lazy DATA scan, remembered across candidate positions. */
struct term {
	int valid, found;
	size_t from, stop;	/* no terminator in [from, stop) */
	size_t pidlen;		/* digits of "[pid]: " at stop, or 0 */
};

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int
isalnum_ascii(char c)
{
	return isdig(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
ishex(char c)
{
	return isdig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
is_bom(const char *s, size_t n)
{
	return n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0;
}

static int
mdays(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static void
hit_init(struct hit *h)
{
	memset(h, 0, sizeof(*h));
	h->ts = LH_TS_NONE;
	h->prec = 1;
}

/*
 * Reads [0-9]+ at s[*i] as the fraction of a second, kept to the
 * microsecond; *prec is the unit of the last digit kept.
 */
static void
read_frac(const char *s, size_t n, size_t *i, int64_t *frac, int64_t *prec)
{
	int64_t scale = LH_US, f = 0, p = LH_US;
	size_t j = *i;

	for (; j < n && isdig(s[j]); j++) {
		if (scale > 1) {
			scale /= 10;
			f += (s[j] - '0') * scale;
			p = scale;
		}
	}
	*i = j;
	*frac = f;
	*prec = p;
}

/*
 * MONTH \b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?
 * |[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?
 * |[Ss]ep(?:tember)?|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?
 * |[Dd]e(?:c|z)(?:ember)?)\b, which is followed by a space: the words below,
 * first letter in either case.  Returns 1..12 and the length, or 0.
 */
static int
month_name(const char *s, size_t n, size_t *len)
{
	static const struct {
		char name[10];
		unsigned char len, mon;
	} tab[] = { { "jan", 3, 1 }, { "feb", 3, 2 }, { "mar", 3, 3 },
		{ "apr", 3, 4 }, { "may", 3, 5 }, { "jun", 3, 6 },
		{ "jul", 3, 7 }, { "aug", 3, 8 }, { "sep", 3, 9 },
		{ "oct", 3, 10 }, { "nov", 3, 11 }, { "dec", 3, 12 },
		{ "january", 7, 1 }, { "januar", 6, 1 }, { "february", 8, 2 },
		{ "februar", 7, 2 }, { "mr", 2, 3 }, { "mrch", 4, 3 },
		{ "mrz", 3, 3 }, { "march", 5, 3 }, { "marz", 4, 3 },
		{ "m\xc3\xa4r", 4, 3 }, { "m\xc3\xa4rch", 6, 3 },
		{ "m\xc3\xa4rz", 5, 3 }, { "april", 5, 4 }, { "ma", 2, 5 },
		{ "mai", 3, 5 }, { "june", 4, 6 }, { "juni", 4, 6 },
		{ "july", 4, 7 }, { "juli", 4, 7 }, { "august", 6, 8 },
		{ "september", 9, 9 }, { "ot", 2, 10 }, { "okt", 3, 10 },
		{ "otober", 6, 10 }, { "october", 7, 10 }, { "oktober", 7, 10 },
		{ "november", 8, 11 }, { "dez", 3, 12 }, { "december", 8, 12 },
		{ "dezember", 8, 12 } };
	char low[10];
	size_t k, e;

	for (k = 0; k < n && k < sizeof(low) && s[k] != ' '; k++)
		low[k] = s[k];
	if (k < 2 || k >= n || s[k] != ' ')
		return 0;
	if (low[0] >= 'A' && low[0] <= 'Z')
		low[0] += 'a' - 'A';
	for (e = 0; e < sizeof(tab) / sizeof(tab[0]); e++) {
		if (tab[e].len == k && memcmp(tab[e].name, low, k) == 0) {
			*len = k;
			return tab[e].mon;
		}
	}
	return 0;
}

/*
 * MONTHDAY (?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9]).  What follows it
 * is never a digit, so two digits are a day or nothing.
 */
static int
read_monthday(const char *s, size_t n, size_t *i, int *day)
{
	size_t j = *i;

	if (j >= n || !isdig(s[j]))
		return 0;
	if (j + 1 < n && isdig(s[j + 1])) {
		*day = (s[j] - '0') * 10 + (s[j + 1] - '0');
		if (*day < 1 || *day > 31)
			return 0;
		*i = j + 2;
		return 1;
	}
	*day = s[j] - '0';
	*i = j + 1;
	return *day != 0;
}

/* MONTHNUM (?:0?[1-9]|1[0-2]), followed by '-'. */
static int
read_monthnum(const char *s, size_t n, size_t *i, int *mon)
{
	size_t j = *i;

	if (j >= n || !isdig(s[j]))
		return 0;
	if (j + 1 < n && isdig(s[j + 1])) {
		*mon = (s[j] - '0') * 10 + (s[j + 1] - '0');
		*i = j + 2;
	} else {
		*mon = s[j] - '0';
		*i = j + 1;
	}
	return *mon >= 1 && *mon <= 12;
}

/*
 * HOUR (?:2[0123]|[01]?[0-9]) when k is 2 or 1 digits; the callers try two
 * digits first, as the regex does.
 */
static int
read_hour_k(const char *s, size_t n, size_t j, size_t k, int *hh)
{
	if (j + k > n || !isdig(s[j]) || (k == 2 && !isdig(s[j + 1])))
		return 0;
	*hh = k == 2 ? (s[j] - '0') * 10 + (s[j + 1] - '0') : s[j] - '0';
	return *hh <= 23;
}

/* MINUTE (?:[0-5][0-9]) */
static int
read_minute(const char *s, size_t n, size_t j, int *mi)
{
	if (j + 2 > n || s[j] < '0' || s[j] > '5' || !isdig(s[j + 1]))
		return 0;
	*mi = (s[j] - '0') * 10 + (s[j + 1] - '0');
	return 1;
}

/*
 * SECOND (?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?).  Two digits are taken when
 * they form a second: one digit followed by a digit never leads to a match,
 * since a SECOND is followed by (?![0-9]), a zone or a space.
 */
static int
read_second(const char *s, size_t n, size_t *i, struct stamp *st)
{
	size_t j = *i;

	if (j >= n || !isdig(s[j]))
		return 0;
	if (j + 1 < n && isdig(s[j + 1]) &&
	    (s[j] <= '5' || (s[j] == '6' && s[j + 1] == '0'))) {
		st->ss = (s[j] - '0') * 10 + (s[j + 1] - '0');
		j += 2;
	} else {
		st->ss = s[j++] - '0';
	}
	st->frac = 0;
	st->prec = LH_US;
	if (j + 1 < n && (s[j] == ':' || s[j] == '.' || s[j] == ',') &&
	    isdig(s[j + 1])) {
		j++;
		read_frac(s, n, &j, &st->frac, &st->prec);
	}
	*i = j;
	return 1;
}

/*
 * SYSLOGTIMESTAMP %{MONTH} +%{MONTHDAY} %{TIME} at s[i], followed by the
 * space every pattern wants next.  TIME is (?!<[0-9])%{HOUR}:%{MINUTE}
 * (?::%{SECOND})(?![0-9]) (the lookahead typo "(?!<" always holds).
 */
static int
stamp3164(const char *s, size_t n, size_t i, struct stamp *st)
{
	size_t len;

	if ((st->mon = month_name(s + i, n - i, &len)) == 0)
		return 0;
	for (i += len; i < n && s[i] == ' '; i++)
		continue;
	if (!read_monthday(s, n, &i, &st->day) || i >= n || s[i] != ' ')
		return 0;
	i++;
	if (i + 1 < n && isdig(s[i + 1]) && read_hour_k(s, n, i, 2, &st->hh))
		i += 2;
	else if (read_hour_k(s, n, i, 1, &st->hh))
		i++;
	else
		return 0;
	if (i >= n || s[i] != ':' || !read_minute(s, n, i + 1, &st->mi))
		return 0;
	i += 3;
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	if (!read_second(s, n, &i, st) || i >= n || s[i] != ' ')
		return 0;
	st->year = 0;
	st->zone = 0;
	st->end = i;
	return 1;
}

/*
 * ISO8601_TIMEZONE (?:Z|[+-]%{HOUR}(?::?%{MINUTE})), optional, at s[*i];
 * the stamp must then end at a space, so both hour widths are tried.
 * Returns 0 when a zone starts but no reading of it fits.
 */
static int
read_zone(const char *s, size_t n, size_t *i, struct stamp *st)
{
	size_t j = *i, k, q;
	int h, m;

	st->zone = 0;
	if (j < n && s[j] == 'Z') {
		st->zone = 1;
		st->off = 0;
		*i = j + 1;
		return 1;
	}
	if (j >= n || (s[j] != '+' && s[j] != '-'))
		return 1;
	for (k = 2; k >= 1; k--) {
		q = j + 1;
		if (!read_hour_k(s, n, q, k, &h))
			continue;
		q += k;
		if (q < n && s[q] == ':')
			q++;
		if (!read_minute(s, n, q, &m) || q + 2 >= n || s[q + 2] != ' ')
			continue;
		st->zone = 1;
		st->off = (s[j] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
		*i = q + 2;
		return 1;
	}
	return 0;
}

/*
 * TIMESTAMP_ISO8601 %{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{ISO8601_HOUR}:?
 * %{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}? at s[i], followed by a
 * space.  YEAR is (?>\d\d){1,2}: four digits or two.
 */
static int
stamp_iso(const char *s, size_t n, size_t i, struct stamp *st)
{
	size_t j = i;

	if (j + 4 < n && isdig(s[j]) && isdig(s[j + 1]) && isdig(s[j + 2]) &&
	    isdig(s[j + 3]) && s[j + 4] == '-') {
		st->year = (s[j] - '0') * 1000 + (s[j + 1] - '0') * 100 +
		    (s[j + 2] - '0') * 10 + (s[j + 3] - '0');
		j += 5;
	} else if (j + 2 < n && isdig(s[j]) && isdig(s[j + 1]) &&
	    s[j + 2] == '-') {
		st->year = -1;
		j += 3;
	} else {
		return 0;
	}
	if (!read_monthnum(s, n, &j, &st->mon) || j >= n || s[j] != '-')
		return 0;
	j++;
	if (!read_monthday(s, n, &j, &st->day) || j + 1 >= n ||
	    (s[j] != 'T' && s[j] != ' '))
		return 0;
	/* ISO8601_HOUR (?:2[0123]|[01][0-9]) */
	if (!read_hour_k(s, n, j + 1, 2, &st->hh))
		return 0;
	j += 3;
	if (j < n && s[j] == ':')
		j++;
	if (!read_minute(s, n, j, &st->mi))
		return 0;
	j += 2;
	st->ss = 0;
	st->frac = 0;
	st->prec = 60 * LH_US;
	if (j < n && (s[j] == ':' || isdig(s[j]))) {
		if (s[j] == ':')
			j++;
		if (!read_second(s, n, &j, st))
			return 0;
	}
	if (!read_zone(s, n, &j, st) || j >= n || s[j] != ' ')
		return 0;
	st->end = j;
	return 1;
}

/*
 * The time of an RFC 3164 stamp: lh_time_syslog infers the year.  A day
 * the month does not have gets no time, as the date processor fails then.
 */
static void
time3164(const struct stamp *st, struct lh_syslog_ctx *ctx, struct hit *h)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;

	if (st->day > mdays(ctx->year > 0 ? ctx->year : 2000, st->mon))
		return;
	h->ts = lh_time_syslog(st->mon, st->day, st->hh, st->mi, st->ss,
	    st->frac, tz, ctx->ref, ctx->year, &ctx->last_year);
	h->prec = st->prec;
	h->flags = ctx->year > 0 ? 0 : LH_TS_YEAR;
}

/*
 * The time of an ISO stamp: its own offset, else ctx->tz.  A two-digit
 * year or an impossible date gets no time (the date processor's ISO8601
 * format would reject them).
 */
static void
time_iso(const struct stamp *st, struct lh_syslog_ctx *ctx, struct hit *h)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;
	int64_t secs;

	if (st->year < 0 || st->day > mdays(st->year, st->mon))
		return;
	secs = lh_days_from_civil(st->year, st->mon, st->day) * 86400 +
	    st->hh * 3600 + st->mi * 60 + st->ss;
	secs = st->zone ? secs - st->off : lh_tz_to_utc(tz, secs);
	h->ts = secs * LH_US + st->frac;
	h->prec = st->prec;
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

/*
 * SYSLOGHOST = IPORHOST (?:%{IP}|%{HOSTNAME}); the host is followed by a
 * space, so it is the whole token.  HOSTNAME is dot-separated labels of
 * [0-9A-Za-z][0-9A-Za-z-]{0,62} with an optional final dot; IPV4 is a
 * subset of it.  IPV6 may carry "(%.+)?": the zone is taken up to the
 * space (grok's greedy .+ could reach past it; not followed here).
 */
static int
valid_host(const char *p, size_t n)
{
	size_t i = 0, lab;
	const char *pct;
	size_t v6;

	while (i < n && isalnum_ascii(p[i])) {
		for (lab = 1, i++; i < n && (isalnum_ascii(p[i]) ||
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

/*
 * DATA .*? then (?:\[%{POSINT}\])?: (with one space): the first place at
 * or after d where "[pid]: " or ": " starts, before any newline (DATA's
 * '.' stops at one).  POSINT is \b(?:[1-9][0-9]*)\b.  Candidates come in
 * increasing order of d, so one scan serves them all.
 */
static int
find_term(const char *s, size_t n, size_t d, struct term *tc)
{
	size_t i, j;

	if (tc->valid && d >= tc->from && d <= tc->stop)
		return tc->found;
	tc->valid = 1;
	tc->from = d;
	tc->found = 0;
	tc->pidlen = 0;
	for (i = d; i < n && s[i] != '\n'; i++) {
		if (s[i] == ':' && i + 1 < n && s[i + 1] == ' ') {
			tc->found = 1;
			break;
		}
		if (s[i] != '[' || i + 1 >= n || s[i + 1] < '1' ||
		    s[i + 1] > '9')
			continue;
		for (j = i + 2; j < n && isdig(s[j]); j++)
			continue;
		if (j + 2 < n && s[j] == ']' && s[j + 1] == ':' &&
		    s[j + 2] == ' ') {
			tc->found = 1;
			tc->pidlen = j - i - 1;
			break;
		}
	}
	tc->stop = i;
	return tc->found;
}

/* Whether digits p[0..n) fit a Java long (grok's POSINT:process.pid:long). */
static int
fits_long(const char *p, size_t n)
{
	return n < 19 || (n == 19 && memcmp(p, "9223372036854775807", 19) <= 0);
}

/*
 * The rest of patterns 1 and 3 after the stamp that ends at the space e:
 * " %{SYSLOGHOST:host.hostname} %{DATA:process.name}(?:\[%{POSINT:
 * process.pid:long}\])?: %{GREEDYMULTILINE:system.syslog.message}".
 * Returns 1 (h filled), 0 (no fit), -1 (a pid no long holds: grok throws).
 */
static int
tag_tail(const char *s, size_t n, size_t e, struct term *tc, struct hit *h)
{
	const char *sp;
	size_t hs = e + 1, he, t;

	if (hs >= n || (sp = memchr(s + hs, ' ', n - hs)) == NULL)
		return 0;
	he = (size_t)(sp - s);
	if (he == hs || !valid_host(s + hs, he - hs))
		return 0;
	if (!find_term(s, n, he + 1, tc))
		return 0;
	t = tc->stop;
	h->host = s + hs;
	h->hostlen = he - hs;
	h->proc = s + he + 1;
	h->proclen = t - he - 1;
	if (tc->pidlen > 0) {
		h->pid = s + t + 1;
		h->pidlen = tc->pidlen;
		if (!fits_long(h->pid, h->pidlen))
			return -1;
		t += tc->pidlen + 2;
	}
	h->msg = s + t + 2;
	h->msglen = n - t - 2;
	return 1;
}

/* Whether the byte before s[j] is a word character (\w), for \b. */
static int
word_before(const char *s, size_t j)
{
	if ((unsigned char)s[j - 1] >= 0x80)
		return !(j >= 3 && is_bom(s + j - 3, 3));
	return isalnum_ascii(s[j - 1]) || s[j - 1] == '_';
}

/*
 * Where an RFC 3164 stamp whose "HH:" colon is at s[c] would start: back
 * over the hour, one space, the day, spaces, and a whole word (MONTH
 * starts at \b).  NONE when the shape is wrong; stamp3164 checks the rest.
 */
static size_t
back3164(const char *s, size_t c)
{
	size_t j = c, k, part;

	for (part = 0; part < 2; part++) {
		for (k = 0; j > 0 && isdig(s[j - 1]) && k < 3; k++)
			j--;
		if (k == 0 || k > 2 || j == 0 || s[j - 1] != ' ')
			return NONE;
		j--;
	}
	while (j > 0 && s[j] == ' ' && s[j - 1] == ' ')
		j--;
	for (k = 0; j > 0 && k <= 10 && word_before(s, j); k++)
		j--;
	return k == 0 || k > 10 ? NONE : j;
}

/*
 * Patterns 1 and 2 at every RFC 3164 stamp, leftmost first: 1 anywhere
 * wins, else 2 at the first stamp.  Returns 1, 0 or -1 (see tag_tail).
 */
static int
grok3164(const char *s, size_t n, struct lh_syslog_ctx *ctx, struct hit *h)
{
	struct stamp st, first;
	struct term tc;
	const char *q;
	size_t at;
	int r, have = 0;

	/* Offset 0 first, then where each ':' points back to. */
	memset(&tc, 0, sizeof(tc));
	for (q = s, at = 0;; at = back3164(s, (size_t)(q++ - s))) {
		if (at != NONE && (at > 0 || q == s) &&
		    stamp3164(s, n, at, &st)) {
			if ((r = tag_tail(s, n, st.end, &tc, h)) != 0) {
				if (r > 0)
					time3164(&st, ctx, h);
				return r;
			}
			if (!have)
				first = st;
			have = 1;
		}
		if ((q = memchr(q, ':', n - (size_t)(q - s))) == NULL)
			break;
	}
	if (!have)
		return 0;
	h->msg = s + first.end + 1;
	h->msglen = n - first.end - 1;
	time3164(&first, ctx, h);
	return 1;
}

/*
 * Patterns 3 and 4 at every ISO stamp, leftmost first.  A stamp starts two
 * or four digits before a '-'.
 */
static int
grok_iso(const char *s, size_t n, struct lh_syslog_ctx *ctx, struct hit *h)
{
	struct stamp st, first;
	struct term tc;
	const char *q;
	size_t d, at, k;
	int r, have = 0;

	memset(&tc, 0, sizeof(tc));
	for (q = s; (q = memchr(q, '-', n - (size_t)(q - s))) != NULL; q++) {
		d = (size_t)(q - s);
		for (k = 4; k >= 2; k -= 2) {
			if (d < k || !isdig(s[d - k]) || !isdig(s[d - k + 1]) ||
			    !isdig(s[d - 1]) || !isdig(s[d - 2]))
				continue;
			at = d - k;
			if (!stamp_iso(s, n, at, &st))
				continue;
			if ((r = tag_tail(s, n, st.end, &tc, h)) != 0) {
				if (r > 0)
					time_iso(&st, ctx, h);
				return r;
			}
			if (!have)
				first = st;
			have = 1;
		}
	}
	if (!have)
		return 0;
	h->msg = s + first.end + 1;
	h->msglen = n - first.end - 1;
	time_iso(&first, ctx, h);
	return 1;
}

/* The four grok patterns in order, searched unanchored: 1 (fit) or not. */
static int
grok(const char *s, size_t n, struct lh_syslog_ctx *ctx, struct hit *h)
{
	int r;

	hit_init(h);
	if ((r = grok3164(s, n, ctx, h)) == 0) {
		hit_init(h);
		r = grok_iso(s, n, ctx, h);
	}
	if (r <= 0)
		hit_init(h);
	return r > 0;
}

/* Whether a syslog stamp (either kind) starts s, followed by a space. */
static int
stamp_at(const char *s, size_t n)
{
	struct stamp st;

	return stamp3164(s, n, 0, &st) || stamp_iso(s, n, 0, &st);
}

/* <PRI>: 1..3 digits, 0..191.  Sets *i past the '>'. */
static int
read_pri(const char *s, size_t n, size_t *i)
{
	size_t j;
	int v = 0;

	if (n < 3 || s[0] != '<')
		return 0;
	for (j = 1; j < n && j <= 3 && isdig(s[j]); j++)
		v = v * 10 + (s[j] - '0');
	if (j == 1 || j >= n || s[j] != '>' || v > 191)
		return 0;
	*i = j + 1;
	return 1;
}

/*
 * An RFC 5424 header field at s[*i]: 1..max PRINTUSASCII bytes and a
 * space.  NILVALUE "-" leaves *p NULL.
 */
static int
field5424(const char *s, size_t n, size_t *i, size_t max, const char **p,
    size_t *len)
{
	size_t j = *i;

	while (j < n && s[j] >= 33 && s[j] <= 126)
		j++;
	if (j == *i || j - *i > max || j >= n || s[j] != ' ')
		return 0;
	*p = NULL;
	if (j - *i != 1 || s[*i] != '-') {
		*p = s + *i;
		*len = j - *i;
	}
	*i = j + 1;
	return 1;
}

/*
 * STRUCTURED-DATA: "-" or [..][..]...; inside a PARAM-VALUE's quotes '\'
 * escapes the next byte (RFC 5424 6.3.3: '"', '\' and ']'), and an
 * unescaped ']' inside quotes is tolerated.
 */
static int
skip_sd(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	int quoted;

	if (j < n && s[j] == '-') {
		*i = j + 1;
		return 1;
	}
	if (j >= n || s[j] != '[')
		return 0;
	while (j < n && s[j] == '[') {
		for (quoted = 0, j++; j < n; j++) {
			if (quoted && s[j] == '\\')
				j++;
			else if (s[j] == '"')
				quoted = !quoted;
			else if (!quoted && s[j] == ']')
				break;
		}
		if (j >= n)
			return 0;
		j++;
	}
	*i = j;
	return 1;
}

/* The TIMESTAMP of RFC 5424: NILVALUE or RFC 3339, then a space. */
static int
ts5424(const char *s, size_t n, size_t *i, struct lh_syslog_ctx *ctx,
    struct hit *h)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;
	size_t used;

	if (*i + 1 < n && s[*i] == '-' && s[*i + 1] == ' ') {
		*i += 2;
		return 1;
	}
	if (lh_time_parse_iso(s + *i, n - *i, tz, 0, &h->ts, &h->prec,
	    &used) != LH_OK || *i + used >= n || s[*i + used] != ' ') {
		h->ts = LH_TS_NONE;
		return 0;
	}
	*i += used + 1;
	return 1;
}

/*
 * <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP
 * STRUCTURED-DATA [SP MSG] (RFC 5424 6).  A PROCID of digits is the pid.
 */
static int
rfc5424(const char *s, size_t n, struct lh_syslog_ctx *ctx, struct hit *h)
{
	const char *procid, *msgid;
	size_t i, e, procidlen = 0, msgidlen;

	hit_init(h);
	if (!read_pri(s, n, &i) || i >= n || s[i] < '1' || s[i] > '9')
		return 0;
	for (e = i + 1; e < n && e - i < 3 && isdig(s[e]); e++)
		continue;
	if (e >= n || s[e] != ' ')
		return 0;
	i = e + 1;
	if (!ts5424(s, n, &i, ctx, h) ||
	    !field5424(s, n, &i, 255, &h->host, &h->hostlen) ||
	    !field5424(s, n, &i, 48, &h->proc, &h->proclen) ||
	    !field5424(s, n, &i, 128, &procid, &procidlen) ||
	    !field5424(s, n, &i, 32, &msgid, &msgidlen) || !skip_sd(s, n, &i) ||
	    (i < n && s[i] != ' ')) {
		hit_init(h);
		return 0;
	}
	for (e = 0; procid != NULL && e < procidlen && isdig(procid[e]); e++)
		continue;
	if (procid != NULL && e == procidlen && fits_long(procid, e)) {
		h->pid = procid;
		h->pidlen = procidlen;
	}
	i = i < n ? i + 1 : n;
	if (is_bom(s + i, n - i))
		i += 3;
	h->msg = s + i;
	h->msglen = n - i;
	return 1;
}

/*
 * A raw dmesg stamp "[ 1234.567890]" at s: seconds since boot.  Returns
 * its length up to the ']' (0 if none); *us and *prec get the time.
 */
static size_t
raw_stamp(const char *s, size_t n, int64_t *us, int64_t *prec)
{
	size_t j = 1, d;
	int64_t secs = 0, frac;

	if (n < 4 || s[0] != '[')
		return 0;
	while (j < n && s[j] == ' ')
		j++;
	for (d = j; j < n && isdig(s[j]) && j - d < 12; j++)
		secs = secs * 10 + (s[j] - '0');
	if (j == d || j + 1 >= n || s[j] != '.' || !isdig(s[j + 1]))
		return 0;
	j++;
	read_frac(s, n, &j, &frac, prec);
	if (j >= n || s[j] != ']')
		return 0;
	*us = secs * LH_US + frac;
	return j + 1;
}

/* Reads exactly k digits at s[j]. */
static int
num_k(const char *s, size_t n, size_t j, size_t k, int *v)
{
	size_t e;

	if (j + k > n)
		return 0;
	for (*v = 0, e = j; e < j + k; e++) {
		if (!isdig(s[e]))
			return 0;
		*v = *v * 10 + (s[e] - '0');
	}
	return 1;
}

/*
 * A dmesg -T stamp "[Sat Oct  9 12:17:39 2021]" (ctime(3) layout, as
 * util-linux prints it), local time in tz.  Returns its length to the ']'.
 */
static size_t
ctime_stamp(const char *s, size_t n, const struct lh_tz *tz, int64_t *us)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	int mon, day, hh, mi, ss, y, w;
	size_t j = 9;

	if (n < 25 || s[0] != '[' || s[4] != ' ' || s[8] != ' ')
		return 0;
	for (w = 0; w < 7 && memcmp(s + 1, days + w * 3, 3) != 0; w++)
		continue;
	if (w == 7 || (mon = lh_month3(s + 5)) == 0)
		return 0;
	while (j < n && s[j] == ' ')
		j++;
	if (!read_monthday(s, n, &j, &day) || day > mdays(2000, mon) ||
	    !num_k(s, n, j + 1, 2, &hh) || !num_k(s, n, j + 4, 2, &mi) ||
	    !num_k(s, n, j + 7, 2, &ss) || !num_k(s, n, j + 10, 4, &y) ||
	    j + 14 >= n || s[j] != ' ' || s[j + 3] != ':' || s[j + 6] != ':' ||
	    s[j + 9] != ' ' || s[j + 14] != ']' || hh > 23 || mi > 59 ||
	    ss > 60 || day > mdays(y, mon))
		return 0;
	*us = lh_tz_to_utc(tz, lh_days_from_civil(y, mon, day) * 86400 +
	    hh * 3600 + mi * 60 + ss) * LH_US;
	return j + 15;
}

/*
 * dmesg lines, with an optional "<6>" (dmesg -r).  A raw stamp stays in the
 * message, as in kernel lines of /var/log/syslog; after a -T stamp the
 * message is the text.
 */
static int
dmesg(const char *s, size_t n, struct lh_syslog_ctx *ctx, struct hit *h)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;
	size_t i = 0, k;

	hit_init(h);
	if (n > 0 && s[0] == '<' && !read_pri(s, n, &i))
		return 0;
	if ((k = raw_stamp(s + i, n - i, &h->ts, &h->prec)) != 0 &&
	    (i + k == n || s[i + k] == ' ')) {
		h->flags = LH_TS_BOOT;
		h->msg = s + i;
		h->msglen = n - i;
	} else if ((k = ctime_stamp(s + i, n - i, tz, &h->ts)) != 0 &&
	    (i + k == n || s[i + k] == ' ')) {
		h->prec = LH_US;
		h->msg = s + i + k + (i + k < n);
		h->msglen = n - i - k - (i + k < n);
	} else {
		hit_init(h);
		return 0;
	}
	h->proc = kernel_name;
	h->proclen = sizeof(kernel_name) - 1;
	return 1;
}

/*
 * The line kinds in the order of pipeline.h.  A line that starts with a
 * syslog stamp gets exactly the pipeline's grok; the others are tried as
 * RFC 5424, "<PRI>" + RFC 3164, dmesg, and last the unanchored grok (a
 * stamp later in the line, e.g. after a byte-order mark).  probe skips
 * that last step: a stamp in the middle of a line is no evidence.
 */
static int
classify(const char *s, size_t n, struct lh_syslog_ctx *ctx, struct hit *h,
    int probe)
{
	size_t i;

	if (stamp_at(s, n))
		return grok(s, n, ctx, h);
	if (rfc5424(s, n, ctx, h))
		return 1;
	if (read_pri(s, n, &i) && stamp_at(s + i, n - i))
		return grok(s + i, n - i, ctx, h);
	if (dmesg(s, n, ctx, h))
		return 1;
	return !probe && grok(s, n, ctx, h);
}

static int
emit(struct lh_event *ev, const struct hit *h)
{
	if ((h->host != NULL &&
	    lh_event_add(ev, LH_F_HOSTNAME, h->host, h->hostlen) != LH_OK) ||
	    (h->proc != NULL &&
	    lh_event_add(ev, LH_F_PROC_NAME, h->proc, h->proclen) != LH_OK) ||
	    (h->pid != NULL &&
	    lh_event_add(ev, LH_F_PROC_PID, h->pid, h->pidlen) != LH_OK) ||
	    lh_event_add(ev, LH_F_MESSAGE, h->msg, h->msglen) != LH_OK)
		return LH_FATAL;
	ev->ts = h->ts;
	ev->ts_prec = h->ts == LH_TS_NONE ? 1 : h->prec;
	ev->ts_flags |= h->flags;
	return lh_event_add_syslog_constants(ev);
}

/*
 * No pattern fit: the raw line as message and no time, like a document
 * after the pipeline's on_failure (which keeps the dataset constants
 * Filebeat set).
 */
static int
emit_raw(const char *line, size_t len, struct lh_event *ev)
{
	struct hit h;
	int r;

	hit_init(&h);
	h.msg = line;
	h.msglen = len;
	if ((r = emit(ev, &h)) != LH_OK)
		return r;
	return LH_WARN;
}

int
lh_syslog_parse(const char *line, size_t len, struct lh_syslog_ctx *ctx,
    struct lh_event *ev)
{
	struct hit h;

	if (line == NULL)
		line = "", len = 0;
	if (!classify(line, len, ctx, &h, 0))
		return emit_raw(line, len, ev);
	return emit(ev, &h);
}

int
lh_syslog_grok(const char *line, size_t len, struct lh_syslog_ctx *ctx,
    struct lh_event *ev)
{
	struct hit h;

	if (line == NULL)
		line = "", len = 0;
	if (!grok(line, len, ctx, &h))
		return emit_raw(line, len, ev);
	return emit(ev, &h);
}

size_t
lh_dmesg_stamp_len(const char *s, size_t n)
{
	int64_t us, prec;
	size_t k = raw_stamp(s, n, &us, &prec);

	return k != 0 && k < n && s[k] == ' ' ? k + 1 : 0;
}

/* The probe's verdict from the lines it tried and the lines that fit. */
static int
probe_score(int tried, int ok)
{
	if (ok == 0)
		return 0;
	if (ok * 4 >= tried * 3)
		return 80;
	if (ok * 2 >= tried)
		return 60;
	return 30;
}

/*
 * Lines that start with white space are continuations (the module's
 * multiline pattern "^\s" joins them to the line before) and do not count.
 * A last line without a newline is cut by the caller's window: skipped,
 * unless it is the only one.
 */
int
lh_syslog_probe(const char *p, size_t n)
{
	struct lh_syslog_ctx ctx = { &utc_tz, 0, 0, 0 };
	const char *nl;
	struct hit h;
	size_t i = is_bom(p, n) ? 3 : 0, e, len;
	int tried = 0, ok = 0;

	while (i < n && (p[i] == '\n' || p[i] == '\r'))
		i++;
	if (i < n && (p[i] == '{' || (p[i] == '[' && i + 1 < n &&
	    (p[i + 1] == '{' || p[i + 1] == '"'))))
		return 0;
	for (; i < n && tried < PROBE_LINES; i = e + 1) {
		nl = memchr(p + i, '\n', n - i);
		e = nl != NULL ? (size_t)(nl - p) : n;
		if (nl == NULL && tried > 0)
			break;
		len = e - i;
		if (len > 0 && p[e - 1] == '\r')
			len--;
		if (len == 0 || p[i] == ' ' || p[i] == '\t')
			continue;
		tried++;
		if (classify(p + i, len, &ctx, &h, 1))
			ok++;
		else if (memchr(p + i, '\0', len) != NULL)
			return 0;
	}
	return probe_score(tried, ok);
}
