/*
 * grok_expand.c: the first stage of lh_grok_create(), grok patterns to
 * regex text as Elasticsearch's Grok.toRegex() does (see grok_int.h):
 * %{NAME:field:type} becomes a named group (here "(?<k>", k the capture
 * number), %{NAME} becomes "(?:...)".
 *
 * Pattern bank: elastic/elasticsearch libs/grok/src/main/resources/
 * patterns/legacy/grok-patterns and .../legacy/linux-syslog (the pipelines
 * run with ecs_compatibility "disabled", the default, i.e. legacy).  Only
 * the definitions the system pipelines reach are carried.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/num.h"
#include "core/status.h"
#include "formats/grok_int.h"

#define EXPAND_MAX	(1 << 20)	/* bytes of expanded regex text */

static const struct lh_grok_def bank[] = {
	{ "USERNAME", "[a-zA-Z0-9._-]+" },
	{ "BASE10NUM", "(?<![0-9.+-])(?>[+-]?(?:(?:[0-9]+(?:\\.[0-9]+)?)|"
	    "(?:\\.[0-9]+)))" },
	{ "NUMBER", "(?:%{BASE10NUM})" },
	{ "POSINT", "\\b(?:[1-9][0-9]*)\\b" },
	{ "NONNEGINT", "\\b(?:[0-9]+)\\b" },
	{ "WORD", "\\b\\w+\\b" },
	{ "NOTSPACE", "\\S+" },
	{ "SPACE", "\\s*" },
	{ "DATA", ".*?" },
	{ "GREEDYDATA", ".*" },
	{ "IPV6", "((([0-9A-Fa-f]{1,4}:){7}([0-9A-Fa-f]{1,4}|:))|"
	    "(([0-9A-Fa-f]{1,4}:){6}(:[0-9A-Fa-f]{1,4}|((25[0-5]|2[0-4]\\d|"
	    "1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})"
	    "|:))|(([0-9A-Fa-f]{1,4}:){5}(((:[0-9A-Fa-f]{1,4}){1,2})|:((25"
	    "[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|"
	    "[1-9]?\\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){4}(((:[0-9A-Fa-f]{1,4})"
	    "{1,3})|((:[0-9A-Fa-f]{1,4})?:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?"
	    "\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(([0-9A-"
	    "Fa-f]{1,4}:){3}(((:[0-9A-Fa-f]{1,4}){1,4})|((:[0-9A-Fa-f]{1,4})"
	    "{0,2}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]"
	    "\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){2}(((:[0-9"
	    "A-Fa-f]{1,4}){1,5})|((:[0-9A-Fa-f]{1,4}){0,3}:((25[0-5]|2[0-4]"
	    "\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d))"
	    "{3}))|:))|(([0-9A-Fa-f]{1,4}:){1}(((:[0-9A-Fa-f]{1,4}){1,6})|((:"
	    "[0-9A-Fa-f]{1,4}){0,4}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\."
	    "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(:(((:[0-9A-Fa-f]"
	    "{1,4}){1,7})|((:[0-9A-Fa-f]{1,4}){0,5}:((25[0-5]|2[0-4]\\d|1\\d\\d"
	    "|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:)))"
	    "(%.+)?" },
	{ "IPV4", "(?<![0-9])(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.]"
	    "(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|"
	    "2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]))"
	    "(?![0-9])" },
	{ "IP", "(?:%{IPV6}|%{IPV4})" },
	{ "HOSTNAME", "\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z]"
	    "[0-9A-Za-z-]{0,62}))*(\\.?|\\b)" },
	{ "IPORHOST", "(?:%{IP}|%{HOSTNAME})" },
	{ "MONTH", "\\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|"
	    "[Mm](?:a|\xc3\xa4)?r(?:ch|z)?|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|"
	    "[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|"
	    "[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)"
	    "\\b" },
	{ "MONTHNUM", "(?:0?[1-9]|1[0-2])" },
	{ "MONTHDAY", "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])" },
	{ "YEAR", "(?>\\d\\d){1,2}" },
	{ "HOUR", "(?:2[0123]|[01]?[0-9])" },
	{ "MINUTE", "(?:[0-5][0-9])" },
	{ "SECOND", "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)" },
	{ "TIME", "(?!<[0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])" },
	{ "ISO8601_TIMEZONE", "(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))" },
	{ "ISO8601_SECOND", "(?:%{SECOND}|60)" },
	{ "ISO8601_HOUR", "(?:2[0123]|[01][0-9])" },
	{ "TIMESTAMP_ISO8601", "%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]"
	    "%{ISO8601_HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?" },
	{ "SYSLOGTIMESTAMP", "%{MONTH} +%{MONTHDAY} %{TIME}" },
	{ "SYSLOGHOST", "%{IPORHOST}" },
	{ "SYSLOG5424PRINTASCII", "[!-~]+" },
	{ "SYSLOG5424SD", "\\[%{DATA}\\]+" },
	{ NULL, NULL }
};

struct expand {
	const struct lh_grok_def *defs;
	struct lh_grok *g;
	struct lh_buf *out;	/* the caller's */
	struct lh_err *err;
};

static const char *
lookup(const struct expand *x, const char *name, size_t len)
{
	const struct lh_grok_def *d;

	for (d = x->defs; d != NULL && d->name != NULL; d++) {
		if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
			return d->pattern;
	}
	for (d = bank; d->name != NULL; d++) {
		if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
			return d->pattern;
	}
	return NULL;
}

/* Records field[:type] (len bytes) as the next capture: its number or -1. */
static int
add_capture(struct expand *x, const char *s, size_t len)
{
	struct capdef *c;
	const char *colon = memchr(s, ':', len);
	size_t flen = colon ? (size_t)(colon - s) : len;
	int k;

	if (x->g->ncap >= LH_GROK_MAXCAP) {
		lh_err_set(x->err, LH_FAIL, 0, "grok: too many captures");
		return -1;
	}
	c = &x->g->caps[x->g->ncap];
	c->type = LH_GROK_STR;
	c->first = x->g->ncap;
	if (colon != NULL) {
		size_t tlen = len - flen - 1;

		if (tlen == 3 && memcmp(colon + 1, "int", 3) == 0)
			c->type = LH_GROK_INT;
		else if (tlen == 4 && memcmp(colon + 1, "long", 4) == 0)
			c->type = LH_GROK_LONG;
	}
	if ((c->field = malloc(flen + 1)) == NULL) {
		lh_err_set(x->err, LH_FATAL, 0, "out of memory");
		return -1;
	}
	memcpy(c->field, s, flen);
	c->field[flen] = '\0';
	for (k = 0; k < x->g->ncap; k++) {
		if (strcmp(x->g->caps[k].field, c->field) == 0) {
			c->first = k;
			break;
		}
	}
	return x->g->ncap++;
}

static int
expand(struct expand *x, const char *p, int depth)
{
	const char *q, *end, *def;
	size_t nlen;
	int k;

	if (depth > 16)
		return lh_err_set(x->err, LH_FAIL, 0, "grok: nesting too deep");
	while ((q = strstr(p, "%{")) != NULL) {
		if (lh_buf_append(x->out, p, (size_t)(q - p)) != LH_OK)
			goto oom;
		if ((end = strchr(q, '}')) == NULL)
			return lh_err_set(x->err, LH_FAIL, 0, "grok: no }");
		q += 2;
		nlen = strcspn(q, ":}");
		if ((def = lookup(x, q, nlen)) == NULL)
			return lh_err_set(x->err, LH_FAIL, 0,
			    "grok: unknown pattern %.*s", (int)nlen, q);
		if (q[nlen] == ':') {
			if ((k = add_capture(x, q + nlen + 1,
			    (size_t)(end - q - nlen - 1))) < 0)
				return x->err ? x->err->status : LH_FAIL;
			if (lh_buf_printf(x->out, "(?<%d>", k) != LH_OK)
				goto oom;
		} else if (lh_buf_puts(x->out, "(?:") != LH_OK)
			goto oom;
		if ((k = expand(x, def, depth + 1)) != LH_OK)
			return k;
		if (lh_buf_putc(x->out, ')') != LH_OK)
			goto oom;
		if (x->out->len > EXPAND_MAX)
			return lh_err_set(x->err, LH_FAIL, 0, "grok: too big");
		p = end + 1;
	}
	if (lh_buf_puts(x->out, p) != LH_OK)
		goto oom;
	return LH_OK;
oom:
	return lh_err_set(x->err, LH_FATAL, 0, "out of memory");
}

/* ---- required literals (struct alt) ------------------------------------ */

struct lits {
	struct alt *a;
	char cur[64];		/* the literal being read */
	size_t n;
	int status;
};

/* Ends the literal being read, keeping it if there is room. */
static void
flush(struct lits *l)
{
	struct alt *a = l->a;

	if (l->n > 0 && a->nlit < MAXLIT && l->status == LH_OK) {
		if ((a->lit[a->nlit] = malloc(l->n)) == NULL)
			l->status = LH_FATAL;
		else {
			memcpy(a->lit[a->nlit], l->cur, l->n);
			a->litrare[a->nlit] = lh_grok_rare(l->cur, l->n);
			a->litlen[a->nlit++] = l->n;
		}
	}
	l->n = 0;
}

/* Skips a [...] class, p after "["; NULL when unterminated. */
static const char *
skip_class(const char *p)
{
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != '\0' && *p != ']'; p++) {
		if (*p == '\\' && *++p == '\0')
			return NULL;
	}
	return *p == ']' ? p + 1 : NULL;
}

/* Skips a group, p after "("; NULL when unbalanced. */
static const char *
skip_group(const char *p)
{
	int depth = 1;

	while (depth > 0 && p != NULL && *p != '\0') {
		if (*p == '\\')
			p = (p[1] != '\0') ? p + 2 : NULL;
		else if (*p == '[')
			p = skip_class(p + 1);
		else {
			depth += (*p == '(') - (*p == ')');
			p++;
		}
	}
	return depth == 0 ? p : NULL;
}

/* Skips a quantifier and its lazy or possessive mark; NULL on "{" alone. */
static const char *
skip_quant(const char *p)
{
	if (*p == '{') {
		if ((p = strchr(p, '}')) == NULL)
			return NULL;
	} else if (*p != '?' && *p != '*' && *p != '+')
		return p;
	p++;
	return (*p == '?' || *p == '+') ? p + 1 : p;
}

/* One atom of the pattern at p: the next position, or NULL to give up. */
static const char *
lit_atom(struct lits *l, const char *p)
{
	const char *q;

	switch (*p) {
	case '%':
		if (p[1] != '{')
			break;
		flush(l);
		return (q = strchr(p, '}')) ? skip_quant(q + 1) : NULL;
	case '(':
		flush(l);
		return (q = skip_group(p + 1)) ? skip_quant(q) : NULL;
	case '[':
		flush(l);
		return (q = skip_class(p + 1)) ? skip_quant(q) : NULL;
	case '.': case '^': case '$':
		flush(l);
		return skip_quant(p + 1);
	case '?': case '*': case '+': case '{':
		l->n -= (l->n > 0);	/* the quantified character */
		flush(l);
		return skip_quant(p);
	case '|': case ')':
		return NULL;
	case '\\':
		if (p[1] == '\0')
			return NULL;
		if ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' &&
		    p[1] <= 'Z') || (p[1] >= '0' && p[1] <= '9')) {
			/* \s, \x41...: a break; \xHH is read to its end. */
			flush(l);
			for (q = p + 2; p[1] == 'x' && q < p + 4 &&
			    lh_num_hexdigit(*q) >= 0; q++)
				;
			return skip_quant(q);
		}
		p++;		/* an escaped literal */
		break;
	default:
		break;
	}
	if (l->n == sizeof(l->cur))
		flush(l);
	l->cur[l->n++] = *p;
	return p + 1;
}

int
lh_grok_literals(struct alt *a, const char *pat)
{
	struct lits l = { a, { 0 }, 0, LH_OK };
	const char *p = pat;

	while (p != NULL && *p != '\0')
		p = lit_atom(&l, p);
	if (p == NULL) {
		/* Not understood: no literal is required. */
		while (a->nlit > 0)
			free(a->lit[--a->nlit]);
		return l.status;
	}
	flush(&l);
	return l.status;
}

int
lh_grok_expand(struct lh_grok *g, const char *const *patterns, size_t n,
    const struct lh_grok_def *defs, struct lh_buf *out, struct lh_err *err)
{
	struct expand x = { defs, g, out, err };
	size_t i;
	int rc = LH_FATAL;

	if ((g->alts = calloc(n ? n : 1, sizeof(*g->alts))) == NULL)
		goto out;
	g->nalt = n;
	for (i = 0; i < n; i++) {
		if (lh_grok_literals(&g->alts[i], patterns[i]) != LH_OK)
			goto out;
		if (i > 0 && lh_buf_putc(x.out, '|') != LH_OK)
			goto out;
		/*
		 * (?%k) records which pattern a match took (lh_grok_result);
		 * it stands before the group so that it is the entry of the
		 * pattern's own code even when the pattern holds a "|".
		 */
		if (lh_buf_printf(x.out, "(?%%%zu)(?:", i + 1) != LH_OK)
			goto out;
		if ((rc = expand(&x, patterns[i], 0)) != LH_OK)
			goto out;
		rc = LH_FATAL;
		if (lh_buf_putc(x.out, ')') != LH_OK)
			goto out;
	}
	rc = LH_OK;
out:
	return rc;
}
