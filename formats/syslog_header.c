/*
 * syslog_header.c: the syslog grok of the Filebeat system module, RFC 5424
 * and dmesg lines, scanned by hand; the stamps are in syslog_stamp.c.
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
 * tag's ": " is shared by all candidate positions (struct lh_syslog_term).
 *
 * A text run asks every line of a file for its time (the first pass's
 * time map, then the context pass's gate), so the usual shape, a stamp at
 * the start and the tag right after it, has a quick path (lh_syslog_quick
 * in syslog_time.c, with lh_syslog_header_time) that gives what the
 * search would give; anything else goes to the search.
 * tests/unit/quick_header_test.c compares the two.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "core/kmsg.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/auth_message.h"
#include "formats/journald_map.h"
#include "formats/syslog_host.h"
#include "formats/syslog_memo.h"
#include "formats/syslog_header.h"
#include "formats/syslog_grok.h"
#include "formats/syslog_scan.h"
#include "formats/syslog_stamp.h"

#define NONE ((size_t)-1)
#define PROBE_LINES 16

static const struct lh_tz utc_tz = { 0, 0, "UTC" };
static const char kernel_name[] = "kernel";

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
is_bom(const char *s, size_t n)
{
	/* bytes, not memcmp: this runs on every RFC 5424 line */
	return n >= 3 && s[0] == '\xef' && s[1] == '\xbb' && s[2] == '\xbf';
}

/*
 * Field by field: a memset of the whole struct compiles to "rep stos",
 * whose start-up cost showed on every line.
 */
void
lh_syslog_hit_init(struct lh_syslog_hit *h)
{
	h->host = h->proc = h->pid = h->msg = NULL;
	h->pri = h->ver = h->code = NULL;
	h->hostlen = h->proclen = h->pidlen = h->msglen = 0;
	h->prilen = h->verlen = h->codelen = 0;
	h->ts = LH_TS_NONE;
	h->prec = 1;
	h->flags = 0;
}

/* The time of the stamp st into h (see lh_syslog_stamp_time). */
void
lh_syslog_hit_time(const struct lh_syslog_stamp *st,
    struct lh_syslog_header_ctx *ctx, struct lh_syslog_hit *h)
{
	lh_syslog_stamp_time(st, ctx, &h->ts, &h->prec, &h->flags);
}

/* \s of Java's regex: [ \t\n\x0B\f\r]. */
static int
java_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The rest of patterns 1 and 3 after the stamp that ends at the space e:
 * " %{SYSLOGHOST:host.hostname} %{DATA:process.name}(?:\[%{POSINT:
 * process.pid:long}\])?: %{GREEDYMULTILINE:system.syslog.message}".
 * With tc->bare, the auth data stream's " %{SYSLOGHOST:host.hostname}?
 * %{DATA:process.name}(?:\[%{POSINT:process.pid:long}\])?:%{SPACE}
 * %{GREEDYMULTILINE:_temp.message}$": the host may be empty (two spaces)
 * and the white space after the ':' is not part of the message.
 * Returns 1 (h filled), 0 (no fit), -1 (a pid no long holds: grok throws).
 * m: see lh_syslog_host_token.
 */
int
lh_syslog_tag_tail(const char *s, size_t n, size_t e,
    struct lh_syslog_term *tc, struct lh_syslog_hit *h,
    struct lh_syslog_memo *m)
{
	size_t hs = e + 1, he, t;
	int valid;

	if ((he = lh_syslog_host_token(s, n, hs, m, &valid)) >= n ||
	    (he == hs && !tc->bare) || (he > hs && !valid))
		return 0;
	if (!lh_syslog_find_term(s, n, he + 1, tc))
		return 0;
	t = tc->stop;
	h->host = he > hs ? s + hs : NULL;
	h->hostlen = he - hs;
	h->proc = s + he + 1;
	h->proclen = t - he - 1;
	if (tc->pidlen > 0) {
		h->pid = s + t + 1;
		h->pidlen = tc->pidlen;
		if (!lh_syslog_fits_long(h->pid, h->pidlen))
			return -1;
		t += tc->pidlen + 2;
	}
	for (t += tc->bare ? 1 : 2; tc->bare && t < n && java_space(s[t]); t++)
		continue;
	h->msg = s + t;
	h->msglen = n - t;
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

/* A search for the grok patterns over the candidate stamps of a line. */
struct search {
	const char *s;
	size_t n;
	struct lh_syslog_header_ctx *ctx;
	struct lh_syslog_hit *h;
	struct lh_syslog_term tc;
	struct lh_syslog_stamp first;	/* the first stamp, if have */
	int have;
};

static void
search_init(struct search *x, const char *s, size_t n,
    struct lh_syslog_header_ctx *ctx, struct lh_syslog_hit *h)
{
	x->s = s;
	x->n = n;
	x->ctx = ctx;
	x->h = h;
	memset(&x->tc, 0, sizeof(x->tc));
	x->have = 0;	/* x->first is read only once set */
}

/*
 * The candidate stamp st: 1 or -1 when the tagged pattern (1 or 3) fits
 * after it and the search ends (see tag_tail), 0 to go on; the first
 * candidate is kept for the untagged pattern.
 */
static int
candidate(struct search *x, const struct lh_syslog_stamp *st)
{
	int r = lh_syslog_tag_tail(x->s, x->n, st->end, &x->tc, x->h,
	    x->ctx->memo);

	if (r > 0)
		lh_syslog_hit_time(st, x->ctx, x->h);
	if (r == 0 && !x->have) {
		x->first = *st;
		x->have = 1;
	}
	return r;
}

/* No tagged fit: the untagged pattern (2 or 4) at the first stamp, if any. */
static int
untagged(struct search *x)
{
	if (!x->have)
		return 0;
	x->h->msg = x->s + x->first.end + 1;
	x->h->msglen = x->n - x->first.end - 1;
	lh_syslog_hit_time(&x->first, x->ctx, x->h);
	return 1;
}

/*
 * Patterns 1 and 2 at every RFC 3164 stamp, leftmost first: 1 anywhere
 * wins, else 2 at the first stamp.  Returns 1, 0 or -1 (see tag_tail).
 */
int
lh_syslog_grok3164(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	struct lh_syslog_stamp st;
	struct search x;
	const char *q;
	size_t at, c;
	int r;

	/* Offset 0 first, then where each hour's ':' points back to. */
	search_init(&x, s, n, ctx, h);
	for (q = s, at = 0;; at = back3164(s, (size_t)(q++ - s))) {
		if (at != NONE && (at > 0 || q == s) &&
		    lh_syslog_stamp_rfc3164(s, n, at, &st) &&
		    (r = candidate(&x, &st)) != 0)
			return r;
		if ((c = lh_syslog_hour_colon(s, (size_t)(q - s), n)) >= n)
			break;
		q = s + c;
	}
	return untagged(&x);
}

int
lh_syslog_any3164(const char *s, size_t n, size_t from)
{
	struct lh_syslog_stamp st;
	size_t c, at;

	for (c = from; (c = lh_syslog_hour_colon(s, c, n)) < n; c++)
		if ((at = back3164(s, c)) != NONE && at > 0 &&
		    lh_syslog_stamp_rfc3164(s, n, at, &st))
			return 1;
	return 0;
}

/*
 * Patterns 3 and 4 at every ISO stamp, leftmost first.  A stamp starts two
 * or four digits before a '-'.
 */
static int
grok_iso(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	struct lh_syslog_stamp st;
	struct search x;
	const char *q;
	size_t d, k;
	int r;

	search_init(&x, s, n, ctx, h);
	for (q = s; (q = memchr(q, '-', n - (size_t)(q - s))) != NULL; q++) {
		d = (size_t)(q - s);
		for (k = 4; k >= 2; k -= 2) {
			if (d < k || !isdig(s[d - k]) || !isdig(s[d - k + 1]) ||
			    !isdig(s[d - 1]) || !isdig(s[d - 2]))
				continue;
			if (lh_syslog_stamp_iso(s, n, d - k, &st) &&
			    (r = candidate(&x, &st)) != 0)
				return r;
		}
	}
	return untagged(&x);
}

/* The four grok patterns in order, searched unanchored: 1 (fit) or not. */
static int
grok(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	int r;

	lh_syslog_hit_init(h);
	if ((r = lh_syslog_grok3164(s, n, ctx, h)) == 0) {
		lh_syslog_hit_init(h);
		r = grok_iso(s, n, ctx, h);
	}
	if (r <= 0)
		lh_syslog_hit_init(h);
	return r > 0;
}

/* Whether a syslog stamp (either kind) starts s, followed by a space. */
static int
stamp_at(const char *s, size_t n)
{
	struct lh_syslog_stamp st;

	return lh_syslog_stamp_rfc3164(s, n, 0, &st) ||
	    lh_syslog_stamp_iso(s, n, 0, &st);
}

/* The TIMESTAMP of RFC 5424: NILVALUE or RFC 3339, then a space. */
static int
ts5424(const char *s, size_t n, size_t *i, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;
	size_t used;

	if (*i + 1 < n && s[*i] == '-' && s[*i + 1] == ' ') {
		*i += 2;
		return 1;
	}
	if (lh_time_parse_iso_memo(s + *i, n - *i, tz, 0, &h->ts, &h->prec,
	    &used, ctx->memo != NULL ? &ctx->memo->time : NULL) != LH_OK ||
	    *i + used >= n || s[*i + used] != ' ') {
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
rfc5424(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	const char *procid;
	size_t i, e, procidlen = 0;

	lh_syslog_hit_init(h);
	if (!lh_syslog_pri_version(s, n, &i))
		return 0;
	if (!ts5424(s, n, &i, ctx, h) || !lh_syslog_rest5424(s, n, &i, &h->host,
	    &h->hostlen, &h->proc, &h->proclen, &procid, &procidlen)) {
		lh_syslog_hit_init(h);
		return 0;
	}
	for (e = 0; procid != NULL && e < procidlen && isdig(procid[e]); e++)
		continue;
	if (procid != NULL && e == procidlen &&
	    lh_syslog_fits_long(procid, e)) {
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

/* TIMESTAMP of the auth grok: (?:%{TIMESTAMP_ISO8601}|%{SYSLOGTIMESTAMP}). */
static int
auth_stamp(const char *s, size_t n, size_t i, struct lh_syslog_stamp *st)
{
	return lh_syslog_stamp_iso(s, n, i, st) ||
	    lh_syslog_stamp_rfc3164(s, n, i, st);
}

/*
 * <%{NONNEGINT:log.syslog.priority:int}> of the auth grok: any digits that
 * an int holds (the :int conversion throws past it).  Sets *i past the '>'.
 */
static int
auth_pri(const char *s, size_t n, size_t *i, struct lh_syslog_hit *h)
{
	size_t j;
	int64_t v;

	if (n < 3 || s[0] != '<')
		return 0;
	for (j = 1; j < n && isdig(s[j]); j++)
		continue;
	if (j == 1 || j >= n || s[j] != '>' ||
	    lh_num_parse(s + 1, j - 1, 0, INT32_MAX, &v) != LH_OK)
		return 0;
	h->pri = s + 1;
	h->prilen = j - 1;
	*i = j + 1;
	return 1;
}

/*
 * "(?:-|X) +" of the auth RFC 5424 pattern at s[*i], X a whole token of
 * SYSLOG5424PRINTASCII ([!-~]+): "-" leaves *p NULL.  Sets *i past the
 * spaces and *gap to their number.
 */
static int
token5424(const char *s, size_t n, size_t *i, const char **p, size_t *len,
    size_t *gap)
{
	size_t j = lh_syslog_printable_end(s, *i, n), e;

	if (j == *i || j >= n || s[j] != ' ')
		return 0;
	*p = j - *i == 1 && s[*i] == '-' ? NULL : s + *i;
	*len = j - *i;
	for (e = j; e < n && s[e] == ' '; e++)
		continue;
	*gap = e - j;
	*i = e;
	return 1;
}

/*
 * "(?:-|%{SYSLOG5424SD})? +" at s[i]: SYSLOG5424SD is \[%{DATA}\]+, the
 * lazy DATA (no newline) ending at the first run of ']' that a space
 * follows.  The index of that space, or NONE.
 */
static size_t
sd5424(const char *s, size_t n, size_t i)
{
	size_t j;

	if (i + 1 < n && s[i] == '-' && s[i + 1] == ' ')
		return i + 1;
	if (i >= n || s[i] != '[')
		return NONE;
	for (j = i + 1; j < n && s[j] != '\n'; j++) {
		if (s[j] != ']')
			continue;
		while (j < n && s[j] == ']')
			j++;
		if (j < n && s[j] == ' ')
			return j;
		j--;
	}
	return NONE;
}

/* POSINT:process.pid:long: [1-9][0-9]* that a long holds. */
static int
posint_long(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && isdig(p[i]); i++)
		continue;
	return n > 0 && i == n && p[0] != '0' && lh_syslog_fits_long(p, n);
}

/*
 * The first pattern of the auth header grok (log.yml, grok-message-header):
 *   ^<PRI>(?:VERSION )?+(?:-|TIMESTAMP) +(?:-|IPORHOST) +(?:-|PRINTASCII)
 *   +(?:-|POSINT) +(?:-|PRINTASCII) +(?:-|SD)? +GREEDYDATA$
 * Every field but the stamp is a whole token.  Without SD the two " +"
 * need two spaces.  Grok's regexes have Ruby syntax (joni), where '.'
 * stops at a newline and '$' matches before one: the message is the
 * first line.  MSGID is event.code; the structured data is not kept.
 */
static int
auth5424(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	struct lh_syslog_stamp st;
	const char *pid, *nl;
	size_t i, v, pidlen, gap, e;
	int stamped = 0;

	lh_syslog_hit_init(h);
	if (!auth_pri(s, n, &i, h))
		return 0;
	for (v = i; v < n && isdig(s[v]); v++)
		continue;
	if (v > i && v < n && s[v] == ' ') {
		h->ver = s + i;
		h->verlen = v - i;
		i = v + 1;
	}
	if (i + 1 < n && s[i] == '-' && s[i + 1] == ' ')
		e = i + 1;
	else if ((stamped = auth_stamp(s, n, i, &st)) != 0)
		e = st.end;
	else
		goto fail;
	for (i = e; i < n && s[i] == ' '; i++)
		continue;
	if (!token5424(s, n, &i, &h->host, &h->hostlen, &gap) ||
	    (h->host != NULL && !lh_syslog_host_valid(h->host, h->hostlen)) ||
	    !token5424(s, n, &i, &h->proc, &h->proclen, &gap) ||
	    !token5424(s, n, &i, &pid, &pidlen, &gap) ||
	    (pid != NULL && !posint_long(pid, pidlen)) ||
	    !token5424(s, n, &i, &h->code, &h->codelen, &gap))
		goto fail;
	if ((e = sd5424(s, n, i)) != NONE)
		i = e;
	else if (gap < 2)
		goto fail;
	for (; i < n && s[i] == ' '; i++)
		continue;
	h->pid = pid;
	h->pidlen = pid != NULL ? pidlen : 0;
	h->msg = s + i;
	nl = memchr(s + i, '\n', n - i);
	h->msglen = nl != NULL ? (size_t)(nl - s) - i : n - i;
	if (stamped)
		lh_syslog_hit_time(&st, ctx, h);
	return 1;
fail:
	lh_syslog_hit_init(h);
	return 0;
}

/*
 * The other patterns of the auth header grok (integrations system auth
 * log.yml, tag grok-message-header; beats auth files.yml), anchored:
 *   ^<PRI>(?:VERSION )?TIMESTAMP SYSLOGHOST? DATA([pid])?:SPACE MSG$
 *   ^TIMESTAMP SYSLOGHOST? DATA([pid])?:SPACE MSG$
 * (see tag_tail).  Returns 1, 0 or -1 as tag_tail does.
 */
static int
grok_auth(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	struct lh_syslog_stamp st;
	struct lh_syslog_term tc;
	struct lh_syslog_hit pre;
	size_t i = 0, v;
	int r;

	lh_syslog_hit_init(&pre);
	if (auth_pri(s, n, &i, &pre)) {
		for (v = i; v < n && isdig(s[v]); v++)
			continue;
		if (v > i && v < n && s[v] == ' ' &&
		    auth_stamp(s, n, v + 1, &st)) {
			pre.ver = s + i;
			pre.verlen = v - i;
			i = v + 1;
		}
	}
	lh_syslog_hit_init(h);
	if (!auth_stamp(s, n, i, &st))
		return 0;
	memset(&tc, 0, sizeof(tc));
	tc.bare = 1;
	if ((r = lh_syslog_tag_tail(s, n, st.end, &tc, h, ctx->memo)) <= 0) {
		lh_syslog_hit_init(h);
		return r;
	}
	lh_syslog_hit_time(&st, ctx, h);
	h->pri = pre.pri;
	h->prilen = pre.prilen;
	h->ver = pre.ver;
	h->verlen = pre.verlen;
	return 1;
}

/*
 * dmesg lines, with an optional "<6>" (dmesg -r).  A raw stamp stays in the
 * message, as in kernel lines of /var/log/syslog; after a -T stamp the
 * message is the text.
 */
static int
dmesg(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;
	size_t i = 0, k;

	lh_syslog_hit_init(h);
	if (n > 0 && s[0] == '<' && !lh_syslog_pri(s, n, &i))
		return 0;
	if ((k = lh_kmsg_stamp(s + i, n - i, &h->ts, &h->prec)) != 0 &&
	    (i + k == n || s[i + k] == ' ')) {
		h->flags = LH_TS_BOOT;
		h->msg = s + i;
		h->msglen = n - i;
	} else if ((k = lh_syslog_stamp_ctime(s + i, n - i, tz, &h->ts)) != 0 &&
	    (i + k == n || s[i + k] == ' ')) {
		h->prec = LH_US;
		h->msg = s + i + k + (i + k < n);
		h->msglen = n - i - k - (i + k < n);
	} else {
		lh_syslog_hit_init(h);
		return 0;
	}
	h->proc = kernel_name;
	h->proclen = sizeof(kernel_name) - 1;
	return 1;
}

/*
 * The line kinds in the order of syslog_header.h.  A line that starts with a
 * syslog stamp gets exactly the pipeline's grok; the others are tried as
 * RFC 5424, "<PRI>" + RFC 3164, dmesg, and last the unanchored grok (a
 * stamp later in the line, e.g. after a byte-order mark).  probe skips
 * that last step: a stamp in the middle of a line is no evidence.
 */
static int
classify(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h, int probe)
{
	size_t i;

	/* no stamp starts with '<' (a month's letter, a year's digit) */
	if (n > 0 && s[0] != '<' && stamp_at(s, n))
		return grok(s, n, ctx, h);
	if (rfc5424(s, n, ctx, h))
		return 1;
	if (lh_syslog_pri(s, n, &i) && stamp_at(s + i, n - i))
		return grok(s + i, n - i, ctx, h);
	if (dmesg(s, n, ctx, h))
		return 1;
	return !probe && grok(s, n, ctx, h);
}

static int
emit(struct lh_event *ev, const struct lh_syslog_hit *h, int auth)
{
	if ((h->host != NULL &&
	    lh_event_add(ev, LH_F_HOSTNAME, h->host, h->hostlen) != LH_OK) ||
	    (h->proc != NULL &&
	    lh_event_add(ev, LH_F_PROC_NAME, h->proc, h->proclen) != LH_OK) ||
	    (h->pid != NULL &&
	    lh_event_add(ev, LH_F_PROC_PID, h->pid, h->pidlen) != LH_OK) ||
	    lh_event_add(ev, LH_F_MESSAGE, h->msg, h->msglen) != LH_OK ||
	    (h->pri != NULL && lh_event_add(ev, "log.syslog.priority", h->pri,
	    h->prilen) != LH_OK) ||
	    (h->ver != NULL && lh_event_add(ev, "system.auth.syslog.version",
	    h->ver, h->verlen) != LH_OK) ||
	    (h->code != NULL &&
	    lh_event_add(ev, "event.code", h->code, h->codelen) != LH_OK))
		return LH_FATAL;
	ev->ts = h->ts;
	ev->ts_prec = h->ts == LH_TS_NONE ? 1 : h->prec;
	ev->ts_flags |= h->flags;
	return lh_event_add_constants(ev, auth ? LH_DS_AUTH : LH_DS_SYSLOG);
}

/*
 * No pattern fit: the raw line as message and no time, like a document
 * after the pipeline's on_failure (which keeps the dataset constants
 * Filebeat set).
 */
static int
emit_raw(const char *line, size_t len, struct lh_event *ev, int auth)
{
	struct lh_syslog_hit h;
	int r;

	lh_syslog_hit_init(&h);
	h.msg = line;
	h.msglen = len;
	if ((r = emit(ev, &h, auth)) != LH_OK)
		return r;
	return LH_WARN;
}

/*
 * The syslog data stream's log.yml after its header grok (2.23.0, as the
 * integration's test-systemd.log expects): event.kind and the systemd
 * lifecycle.  Not for Filebeat documents (only_grok): their pipeline is
 * the module's.
 */
static int
syslog_stream(struct lh_event *ev)
{
	if (lh_event_adds(ev, "event.kind", "event") != LH_OK)
		return LH_FATAL;
	return lh_journald_map_lifecycle(ev);
}

/* The general code of fit. */
int
lh_syslog_fit_general(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_syslog_hit *h, int only_grok)
{
	if (ctx->auth)
		return auth5424(line, len, ctx, h) ||
		    grok_auth(line, len, ctx, h) > 0;
	return only_grok ? grok(line, len, ctx, h) :
	    classify(line, len, ctx, h, 0);
}

/* The header of a line into h: 1 when a pattern fit (see parse). */
static int
fit(const char *line, size_t len, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h, int only_grok)
{
	return lh_syslog_quick(line, len, ctx, h) ||
	    lh_syslog_fit_general(line, len, ctx, h, only_grok);
}

/* A line into ev: every line kind, or only the grok (see the header). */
static int
parse(const char *line, size_t len, struct lh_syslog_header_ctx *ctx,
    struct lh_event *ev, int only_grok)
{
	struct lh_syslog_hit h;

	if (line == NULL)
		line = "", len = 0;
	if (!fit(line, len, ctx, &h, only_grok))
		return emit_raw(line, len, ev, ctx->auth);
	if (emit(ev, &h, ctx->auth) != LH_OK)
		return LH_FATAL;
	/* log.yml's header grok, then the shared message.yml. */
	if (ctx->lazy)
		return LH_OK;	/* no rule looks at what follows */
	if (ctx->auth)
		return lh_auth_message(ev);
	return only_grok ? LH_OK : syslog_stream(ev);
}

int
lh_syslog_header_parse(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_event *ev)
{
	return parse(line, len, ctx, ev, 0);
}

int
lh_syslog_header_grok(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_event *ev)
{
	return parse(line, len, ctx, ev, 1);
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
lh_syslog_header_probe(const char *p, size_t n)
{
	struct lh_syslog_header_ctx ctx = { &utc_tz, 0, 0, 0, 0, 0, 0, NULL };
	const char *nl;
	struct lh_syslog_hit h;
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
