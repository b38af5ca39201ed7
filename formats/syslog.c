/*
 * syslog.c: line-oriented syslog-family files (RFC 3164, rsyslog ISO 8601,
 * RFC 5424, dmesg), each record through the system module pipeline
 * (formats/syslog_header.c).
 *
 * DESIGN
 * Filebeat reads these files with multiline {pattern: "^\s", match: after}
 * (filebeat/module/system/syslog/config/syslog.yml): a line that starts
 * with white space continues the record before it, joined with "\n".  We
 * do the same; only then does a record need copying (into join), every
 * other line is parsed where the line reader holds it.
 *
 * A line that no pattern fits is kept as Elastic keeps it (the raw line as
 * message, no process.name, no time) and reported with its line number.
 * Warnings that accompany a kept event (a cut line, an unparsed line) are
 * returned by the next call, before the next record.  Damage found while
 * reading a continuation line (LH_FAIL from the line reader) ends the
 * record there: the record is returned, and the damage by the next call
 * (after any warning), as it would be for a line of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/format.h"
#include "core/gate.h"
#include "core/timemap.h"
#include "core/status.h"
#include "formats/syslog_header.h"

struct syslog_state {
	struct lh_source *src;
	const struct lh_prefilter *pf;
	const struct lh_gate *gate;	/* borrowed from lh_parse_opts */
	struct lh_syslog_header_ctx ctx;
	struct lh_syslog_memo memo;	/* ctx.memo: what lines repeat */
	struct lh_buf join;
	struct lh_err pending;	/* a warning owed after an event */
	struct lh_err damage;	/* LH_FAIL/LH_FATAL owed after an event */
};

static int
syslog_probe(const char *p, size_t n)
{
	return lh_syslog_header_probe(p, n);
}

/*
 * The data stream of a file.  The integration's logfile paths decide:
 * /var/log/auth.log* and /var/log/secure* feed the auth data stream
 * (data_stream/auth/manifest.yml), /var/log/messages*, /var/log/syslog*
 * and /var/log/system* the syslog one (data_stream/syslog/manifest.yml),
 * wherever the evidence keeps the file ("b.tar.gz!var/log/secure-2025").
 * A file named otherwise (a collection's "host1-auth.txt") is judged by
 * its first records: an auth log when most of them come from the
 * programs that log to the auth and authpriv facilities and none from
 * the kernel (see the man page, INPUT FORMATS).
 */
enum stream_by_name { BY_NAME_AUTH, BY_NAME_SYSLOG, BY_NAME_UNKNOWN };

static enum stream_by_name
stream_by_name(const char *path)
{
	static const char *const auth[] = { "auth.log", "secure", NULL };
	static const char *const sys[] = { "messages", "syslog", "system",
		NULL };
	const char *b = path, *p;
	size_t i;

	for (p = path; *p != '\0'; p++) {
		if (*p == '/' || *p == '!')
			b = p + 1;
	}
	for (i = 0; auth[i] != NULL; i++) {
		if (strncmp(b, auth[i], strlen(auth[i])) == 0)
			return BY_NAME_AUTH;
	}
	for (i = 0; sys[i] != NULL; i++) {
		if (strncmp(b, sys[i], strlen(sys[i])) == 0)
			return BY_NAME_SYSLOG;
	}
	return BY_NAME_UNKNOWN;
}

/* 1 for a program that logs to the auth or authpriv facility. */
static int
auth_program(const char *p, size_t n)
{
	static const char *const progs[] = { "sshd", "sudo", "su", "login",
		"useradd", "userdel", "usermod", "groupadd", "groupdel",
		"groupmod", "gpasswd", "passwd", "chage", "chfn", "chsh",
		"newgrp", "unix_chkpwd", "pkexec", "polkitd", "systemd-logind",
		"sshd-session", "pam", "CRON", "cron", "last", NULL };
	size_t i;

	for (i = 0; progs[i] != NULL; i++) {
		if (strlen(progs[i]) == n && memcmp(progs[i], p, n) == 0)
			return 1;
	}
	return 0;
}

/* Judges a file by the lines in its first 16 KiB (see stream_by_name). */
static int
auth_by_content(struct syslog_state *s)
{
	struct lh_syslog_header_ctx ctx = s->ctx;
	struct lh_event ev;
	const struct lh_field *f;
	const char *p, *end, *nl;
	size_t n, tagged = 0, auth = 0, kernel = 0;
	struct lh_err err;

	if (lh_lines_peek(s->src->lines, 16384, &p, &n, &err) != LH_OK)
		return 0;
	lh_event_init(&ev);
	for (end = p + n; p < end && (nl = memchr(p, '\n', (size_t)(end -
	    p))) != NULL; p = nl + 1) {
		lh_event_reset(&ev);
		if (lh_syslog_header_parse(p, (size_t)(nl - p), &ctx, &ev) !=
		    LH_OK || (f = lh_event_get(&ev, LH_F_PROC_NAME)) == NULL)
			continue;
		tagged++;
		auth += auth_program(f->val, f->len);
		kernel += f->len == 6 && memcmp(f->val, "kernel", 6) == 0;
	}
	lh_event_free(&ev);
	return kernel == 0 && tagged > 0 && auth * 2 > tagged;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

/*
 * The first pass's observer (core/timemap.h): a line's time as the parse
 * would read it.  A record with continuation lines is read whole by the
 * parse (a later stamp may then fit), so a continuation line makes its
 * chunk one to read.  s->ctx is passed as it is, not a copy of it (this
 * runs on every line): of a context, lh_syslog_header_time writes only
 * last_year (syslog_stamp.c's time3164, syslog_memo.h's again_time),
 * which the parse below writes too and nothing reads.
 */
static void
observe_line(void *arg, const char *line, size_t len, uint64_t off,
    uint64_t lines_before)
{
	struct syslog_state *s = arg;
	enum lh_stamp k;
	const char *host = NULL;
	size_t hlen = 0;
	int64_t ts = 0;
	int flags;

	if (len == 0)
		k = LH_STAMP_NONE;
	else if (is_space((unsigned char)line[0]))
		k = LH_STAMP_CONT;
	else if (len >= LH_MAX_LINE)
		k = LH_STAMP_UNKNOWN;
	else if (lh_syslog_header_time(line, len, &s->ctx, &ts, &flags, &host,
	    &hlen) && !(flags & LH_TS_BOOT))
		k = LH_STAMP_TIME;
	else
		k = LH_STAMP_NONE;
	lh_timemap_line(s->src->timemap, off, lines_before, k, ts, host,
	    hlen);
}

static int
syslog_open(void **state, struct lh_source *src,
    const struct lh_parse_opts *opts, struct lh_err *err)
{
	struct syslog_state *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	s->src = src;
	s->ctx.tz = opts->tz;
	s->ctx.year = opts->year;
	s->ctx.ref = src->mtime;
	s->ctx.ref_year = lh_time_year_of(src->mtime);
	s->ctx.lazy = opts->lazy_auth;
	s->ctx.memo = &s->memo;
	switch (stream_by_name(src->path)) {
	case BY_NAME_AUTH:
		s->ctx.auth = 1;
		break;
	case BY_NAME_UNKNOWN:
		s->ctx.auth = auth_by_content(s);
		break;
	default:
		break;
	}
	s->pf = opts->prefilter;
	s->gate = opts->gate;
	if (src->timemap != NULL)
		lh_lines_observe(src->lines, observe_line, s);
	lh_err_clear(&s->pending);
	lh_err_clear(&s->damage);
	*state = s;
	return LH_OK;
}

/*
 * Appends continuation lines to the record at *line (see DESIGN).  Damage
 * in a continuation line is kept in s->damage for the next call.
 */
static int
join(struct syslog_state *s, const char **line, size_t *len,
    struct lh_err *err)
{
	const char *next;
	size_t n;
	int c, rc;

	c = lh_lines_next_byte(s->src->lines, line);
	if (c < 0 || !is_space(c))
		return LH_OK;
	lh_buf_reset(&s->join);
	if (lh_buf_append(&s->join, *line, *len) != LH_OK)
		return LH_FATAL;
	while ((c = lh_lines_next_byte(s->src->lines, NULL)) >= 0 &&
	    is_space(c)) {
		rc = lh_lines_next(s->src->lines, &next, &n, err);
		if (rc != LH_OK && rc != LH_WARN) {
			if (rc != LH_EOF)
				s->damage = *err;
			break;
		}
		if (lh_buf_putc(&s->join, '\n') != LH_OK ||
		    lh_buf_append(&s->join, next, n) != LH_OK)
			return LH_FATAL;
		if (s->join.len > LH_MAX_LINE)
			break;
	}
	*line = s->join.p;
	*len = s->join.len;
	return LH_OK;
}

/* The next nonempty line (a warning about it is kept in s->pending). */
static int
next_line(struct syslog_state *s, const char **line, size_t *len,
    struct lh_err *err)
{
	int rc;

	do {
		if (s->pf != NULL)
			rc = lh_lines_next_hit(s->src->lines, s->pf, line,
			    len, &s->src->prefiltered, err);
		else
			rc = lh_lines_next(s->src->lines, line, len, err);
		if (rc == LH_WARN)
			s->pending = *err;
		else if (rc != LH_OK)
			return rc;
	} while (*len == 0);
	return LH_OK;
}

/*
 * 1 when the record's wall time, read as lh_syslog_header_parse() would
 * read it, lies outside s->gate (core/gate.h); untimed and boot-relative
 * records are parsed.
 */
static int
gated_out(struct syslog_state *s, const char *line, size_t len)
{
	struct lh_syslog_header_ctx ctx = s->ctx;
	const char *host;
	size_t hlen;
	int64_t ts;
	int flags;

	if (!lh_syslog_header_time(line, len, &ctx, &ts, &flags, &host,
	    &hlen) || (flags & LH_TS_BOOT))
		return 0;
	return !lh_gate_admits_host(s->gate, host, hlen, ts);
}

static int
syslog_next(void *state, struct lh_event *ev, struct lh_err *err)
{
	struct syslog_state *s = state;
	const char *line;
	size_t len;
	uint64_t lineno, off;
	int rc;

	if (s->pending.status != LH_OK) {
		*err = s->pending;
		lh_err_clear(&s->pending);
		return LH_WARN;
	}
	if (s->damage.status != LH_OK) {
		*err = s->damage;
		return s->damage.status;
	}
	for (;;) {
		if ((rc = next_line(s, &line, &len, err)) != LH_OK)
			return rc;
		lineno = lh_lines_lineno(s->src->lines);
		off = lh_lines_offset(s->src->lines);
		if (join(s, &line, &len, err) == LH_FATAL)
			return LH_FATAL;
		if (s->gate == NULL || !gated_out(s, line, len))
			break;
		s->src->gated++;
		if (s->damage.status != LH_OK) {
			*err = s->damage;
			return s->damage.status;
		}
	}
	lh_event_reset(ev);
	ev->line = lineno;
	ev->offset = off;
	if ((rc = lh_syslog_header_parse(line, len, &s->ctx, ev)) ==
	    LH_FATAL)
		return lh_err_set(err, LH_FATAL, 0, "%s: out of memory",
		    s->src->path);
	if (rc == LH_WARN && s->pending.status == LH_OK)
		lh_err_set(&s->pending, LH_WARN, 0,
		    "%s:%llu: no syslog pattern fits; kept as a raw message",
		    s->src->path, (unsigned long long)lineno);
	return LH_OK;
}

static void
syslog_close(void *state)
{
	struct syslog_state *s = state;

	lh_buf_free(&s->join);
	free(s);
}

const struct lh_format lh_format_syslog = {
	"syslog", syslog_probe, syslog_open, syslog_next, syslog_close
};
