/*
 * output.c: the alerts as a timeline for a person (text, with the guides
 * of the rules that fired, the triage context and the crash loops), for
 * machines (json: one ECS alert document per line) and for Timesketch
 * (csv); and the helpers the other printing files share (output_int.h).
 * Query hits are printed by cli/output_hits.c, the rule list and the
 * --stats counters by cli/output_misc.c.  Every byte that came from
 * evidence goes through cli/escape.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/alert_events.h"
#include "cli/escape.h"
#include "cli/json_doc.h"
#include "cli/output.h"
#include "cli/output_int.h"
#include "cli/output_par.h"
#include "core/kmsg.h"
#include "core/status.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"

static const char *
sev_color(const char *sev)
{
	if (strcmp(sev, "critical") == 0)
		return "\033[1;35m";
	if (strcmp(sev, "high") == 0)
		return "\033[1;31m";
	if (strcmp(sev, "medium") == 0)
		return "\033[1;33m";
	return "\033[1;36m";
}

int
lh_out_put(FILE *fp, struct lh_buf *b)
{
	int rc = LH_OK;

	if (lh_buf_status(b) != LH_OK)
		rc = LH_FATAL;
	else if (ferror(fp) || (b->len > 0 && fwrite(b->p, 1, b->len, fp) !=
	    b->len))
		rc = LH_FAIL;
	lh_buf_reset(b);
	return rc;
}

/* ---- what a printer thread prints over and over ----------------------- */

/*
 * A query's printer prints the paths of the same few files and the same
 * matched terms over and over: each thread keeps its last renderings of
 * them and copies them instead of escaping again (the path and the terms
 * took about 2,000 instructions a hit; lh_time_format keeps the date of
 * the last day likewise).  Fixed arrays of the thread, so
 * that nothing is left to free when it ends; a path or a list of terms
 * longer than a slot is rendered every time.  The paths are found by a
 * hash of their length and three words near the end, the middle and the
 * start, then compared whole.
 */
#define NPATH 32		/* slots of paths, a power of two */
#define PATH_RAW 160
#define PATH_ESC 200
#define TERMS_RAW 120
#define TERMS_ESC 200

struct path_slot {
	uint16_t raw_len, esc_len;	/* raw_len 0: empty */
	char raw[PATH_RAW];
	char esc[PATH_ESC];		/* with its quotes */
};

struct out_cache {
	struct path_slot path[NPATH];
	uint16_t terms_len, terms_esc_len;	/* terms_esc_len 0: empty */
	char terms[TERMS_RAW];
	char terms_esc[TERMS_ESC];	/* the terms after '[', and ']' */
};

static _Thread_local struct out_cache cache;

static size_t
path_slot(const char *p, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15ULL, w;
	size_t at[3], i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			h = (h ^ (unsigned char)p[i]) * 0x9e3779b97f4a7c15ULL;
	} else {
		at[0] = n - 8;
		at[1] = n / 2 - 4;
		at[2] = (n - 8) / 4;
		for (i = 0; i < 3; i++) {
			memcpy(&w, p + at[i], sizeof(w));
			h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
			h ^= h >> 29;
		}
	}
	return (size_t)(h >> 32) & (NPATH - 1);
}

/* Appends the JSON string of the path p (n bytes) through the cache. */
static void
json_path(struct lh_buf *b, const char *p, size_t n)
{
	struct path_slot *s;
	size_t at = b->len;

	if (n == 0 || n > PATH_RAW) {
		lh_esc_json(b, p, n);
		return;
	}
	s = &cache.path[path_slot(p, n)];
	if (s->raw_len == n && memcmp(s->raw, p, n) == 0) {
		lh_buf_append(b, s->esc, s->esc_len);
		return;
	}
	s->raw_len = 0;
	if (lh_esc_json(b, p, n) != LH_OK || b->len - at > PATH_ESC)
		return;
	memcpy(s->raw, p, n);
	memcpy(s->esc, b->p + at, b->len - at);
	s->raw_len = (uint16_t)n;
	s->esc_len = (uint16_t)(b->len - at);
}

void
lh_out_time_text(const struct lh_match *m, char *out)
{
	if (m->ts == LH_TS_NONE)
		strcpy(out, "(no time)");
	else if (m->ts_flags & LH_TS_BOOT)
		snprintf(out, 40, "+%lld.%06llds after boot",
		    (long long)(m->ts / LH_US), (long long)(m->ts % LH_US));
	else
		lh_time_format(m->ts, out);
}

/* Splits "a, b (c), d" into the terms; calls fn for each. */
static void
each_term(const char *s, void (*fn)(void *, const char *, size_t), void *arg)
{
	while (*s != '\0') {
		const char *e = strstr(s, ", ");
		size_t n = e != NULL ? (size_t)(e - s) : strlen(s);

		if (n > 0)
			fn(arg, s, n);
		s += n + (e != NULL ? 2 : 0);
	}
}

/* ---- text ---------------------------------------------------------------- */

static void
text_details(struct lh_buf *b, const struct lh_match *m)
{
	struct lh_segv sv;
	char path[512];

	if (m->message == NULL)
		return;
	if (lh_kmsg_segfault(m->message, m->message_len, &sv) == LH_OK) {
		lh_buf_puts(b, "    crashed    ");
		lh_esc_text(b, sv.comm, strlen(sv.comm));
		lh_buf_printf(b, " (pid %ld) at address 0x%llx, ip 0x%llx, "
		    "sp 0x%llx\n", sv.pid, (unsigned long long)sv.addr,
		    (unsigned long long)sv.ip, (unsigned long long)sv.sp);
		lh_buf_printf(b, "    error      0x%lx: %s\n", sv.error,
		    sv.error_text);
		if (sv.mapped[0] != '\0') {
			lh_buf_puts(b, "    in         ");
			lh_esc_text(b, sv.mapped, strlen(sv.mapped));
			lh_buf_putc(b, '\n');
		}
	} else if (lh_kmsg_execstack(m->message, m->message_len, path,
	    sizeof(path)) == LH_OK) {
		lh_buf_puts(b, "    program    ");
		lh_esc_text(b, path, strlen(path));
		lh_buf_putc(b, '\n');
	}
}

/* "-17s", "+1m05s", "+2h00m03s": an offset from the alert's time. */
static void
offset_text(struct lh_buf *b, int64_t d)
{
	uint64_t s = (uint64_t)(d < 0 ? -d : d) / LH_US;

	lh_buf_putc(b, d < 0 ? '-' : '+');
	if (s >= 3600)
		lh_buf_printf(b, "%lluh%02llum%02llus",
		    (unsigned long long)(s / 3600),
		    (unsigned long long)(s / 60 % 60),
		    (unsigned long long)(s % 60));
	else if (s >= 60)
		lh_buf_printf(b, "%llum%02llus", (unsigned long long)(s / 60),
		    (unsigned long long)(s % 60));
	else
		lh_buf_printf(b, "%llus", (unsigned long long)s);
}

/* "sshd: message" (or the message alone) of a context event. */
static void
text_event(struct lh_buf *b, const struct lh_match *e)
{
	const char *v;
	size_t n;

	if ((v = lh_match_get(e, LH_F_PROC_NAME, &n)) != NULL) {
		lh_esc_text(b, v, n);
		lh_buf_puts(b, ": ");
	}
	lh_esc_text(b, e->message ? e->message : "", e->message_len);
}

static void
text_context(struct lh_buf *b, const struct lh_match *m,
    const struct lh_ctx *c, int64_t window)
{
	char ts[48];
	size_t i;

	lh_buf_puts(b, "    context    ");
	lh_buf_printf(b, "%zu event%s of this host within ", c->total,
	    c->total == 1 ? "" : "s");
	window /= LH_US;
	lh_buf_printf(b, "%lld%s", (long long)(window % 3600 == 0 ? window /
	    3600 : window % 60 == 0 ? window / 60 : window), window % 3600 ==
	    0 ? "h" : window % 60 == 0 ? "m" : "s");
	if (c->total > c->n)
		lh_buf_printf(b, ", the %zu nearest", c->n);
	lh_buf_putc(b, '\n');
	for (i = 0; i < c->n; i++) {
		const struct lh_match *e = c->ev[i];

		lh_buf_puts(b, "               ");
		lh_time_format(e->ts, ts);
		lh_buf_puts(b, ts);
		lh_buf_puts(b, " (");
		offset_text(b, e->ts - m->ts);
		lh_buf_puts(b, ")  ");
		text_event(b, e);
		lh_buf_putc(b, '\n');
	}
}

static void
text_alert(struct lh_buf *b, const struct lh_rule *r,
    const struct lh_match *m, int color, const struct lh_report *rep,
    size_t idx)
{
	char ts[48];
	size_t i;

	lh_out_time_text(m, ts);
	lh_buf_printf(b, "%s%s%s  ", color ? C_BOLD : "", ts,
	    color ? C_RESET : "");
	lh_esc_text(b, m->host ? m->host : "-", m->host ?
	    strlen(m->host) : 1);
	lh_buf_printf(b, "  %s%s%s  ", color ? sev_color(r->severity) : "",
	    r->severity, color ? C_RESET : "");
	lh_esc_text(b, r->name, strlen(r->name));
	lh_buf_puts(b, "\n    message    ");
	lh_esc_text(b, m->message ? m->message : "", m->message_len);
	lh_buf_putc(b, '\n');
	text_details(b, m);
	if (m->matched[0] != '\0') {
		lh_buf_puts(b, "    matched    ");
		lh_esc_text(b, m->matched, strlen(m->matched));
		lh_buf_putc(b, '\n');
	}
	if (lh_alert_multi(m))
		lh_alert_text(b, m);
	for (i = 0; i < m->nsrc; i++) {
		lh_buf_puts(b, i == 0 ? "    source     " : "               ");
		lh_esc_text(b, m->src[i].path, strlen(m->src[i].path));
		lh_buf_putc(b, ':');
		put_u64(b, m->src[i].line);
		lh_buf_putc(b, '\n');
	}
	if (rep->ctx != NULL && m->host != NULL && !(m->ts_flags & LH_TS_BOOT) &&
	    m->ts != LH_TS_NONE)
		text_context(b, m, &rep->ctx[idx], rep->context);
	lh_buf_putc(b, '\n');
}

static void
text_loops(struct lh_buf *b, const struct lh_report *rep, int color)
{
	char t1[48], t2[48];
	size_t i, k;

	if (rep->nloops == 0)
		return;
	lh_buf_printf(b, "%s== Crash loops ==%s\n", color ? C_BOLD : "",
	    color ? C_RESET : "");
	lh_buf_puts(b, "Repeated segfaults of one program on one host "
	    "(brute-forcing a memory-corruption exploit looks like this).\n\n");
	for (i = 0; i < rep->nloops; i++) {
		const struct lh_loop *l = &rep->loops[i];

		lh_out_time_text(l->first, t1);
		lh_out_time_text(l->last, t2);
		lh_esc_text(b, l->host ? l->host : "-", l->host ?
		    strlen(l->host) : 1);
		lh_buf_puts(b, "  ");
		lh_esc_text(b, l->comm, strlen(l->comm));
		lh_buf_printf(b, "  %llu segfaults\n    first      %s\n"
		    "    last       %s\n    addresses ", (unsigned long long)
		    l->count, t1, t2);
		for (k = 0; k < l->naddr; k++)
			lh_buf_printf(b, " 0x%llx", (unsigned long long)
			    l->addr[k]);
		if (l->ndistinct > l->naddr)
			lh_buf_puts(b, " ...");
		lh_buf_printf(b, " (%zu distinct)\n\n", l->ndistinct);
	}
}

int
lh_out_guide(FILE *fp, const struct lh_rule *r, int color)
{
	struct lh_buf b = { 0 };
	size_t i, j;
	int rc;

	lh_buf_printf(&b, "%s== ", color ? C_BOLD : "");
	lh_esc_text(&b, r->name, strlen(r->name));
	lh_buf_printf(&b, " ==%s\n", color ? C_RESET : "");
	lh_buf_printf(&b, "rule %s, severity %s, risk score %d\n", r->rule_id,
	    r->severity, r->risk_score);
	for (i = 0; i < r->nmitre; i++) {
		lh_buf_puts(&b, "MITRE ATT&CK ");
		lh_esc_text(&b, r->mitre[i].tactic, strlen(r->mitre[i].tactic));
		for (j = 0; j < r->mitre[i].ntechniques; j++) {
			lh_buf_puts(&b, j == 0 ? ": " : "; ");
			lh_esc_text(&b, r->mitre[i].techniques[j],
			    strlen(r->mitre[i].techniques[j]));
		}
		lh_buf_putc(&b, '\n');
	}
	if (r->note != NULL) {
		lh_buf_putc(&b, '\n');
		/* the guide is Markdown; newlines are kept */
		for (const char *p = r->note; *p != '\0';) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			lh_esc_text(&b, p, n);
			lh_buf_putc(&b, '\n');
			p += n + (nl != NULL);
		}
	}
	lh_buf_putc(&b, '\n');
	rc = lh_out_put(fp, &b);
	lh_buf_free(&b);
	return rc;
}

/* What render_alert() reads. */
struct alerts {
	const struct lh_config *cfg;
	const struct lh_ruleset *rs;
	const struct lh_report *rep;
	int color;
};

static void json_alert(struct lh_buf *, const struct lh_rule *,
    const struct lh_match *, const struct lh_report *, size_t);
static void csv_alert(struct lh_buf *, const struct lh_rule *,
    const struct lh_match *, const struct lh_report *, size_t);

/* lh_out_render_fn: alert i of the timeline, if shown, in its format. */
static void
render_alert(void *arg, struct lh_buf *b, size_t i)
{
	const struct alerts *a = arg;
	const struct lh_match *m = lh_timeline_get(a->rep->tl, i);
	const struct lh_rule *r = lh_ruleset_get(a->rs, (size_t)m->rule);

	if (!lh_report_shows(a->rep, i))
		return;
	if (a->cfg->format == LH_OUT_TEXT)
		text_alert(b, r, m, a->color, a->rep, i);
	else if (a->cfg->format == LH_OUT_JSON)
		json_alert(b, r, m, a->rep, i);
	else
		csv_alert(b, r, m, a->rep, i);
}

/*
 * The alerts of rep->tl that rep shows, in cfg->format (the renderings
 * are made on two threads when there are many: output_par.h).
 */
static int
print_alerts(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep, int color)
{
	struct alerts a = { cfg, rs, rep, color };

	return lh_out_par(fp, lh_timeline_count(rep->tl), render_alert, &a,
	    cfg->threads);
}

static int
text_alerts(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep, int color)
{
	struct lh_buf b = { 0 };
	size_t i, n = lh_timeline_count(rep->tl), nr = lh_ruleset_count(rs);
	int *fired, rc;

	if (cfg->state != NULL && rep->nshow == 0)
		return LH_OK;	/* cron: nothing new, nothing to mail */
	if ((fired = calloc(nr + 1, sizeof(int))) == NULL)
		return LH_FATAL;
	lh_buf_printf(&b, "%zu %salert%s\n\n", rep->nshow, cfg->state ?
	    "new " : "", rep->nshow == 1 ? "" : "s");
	rc = lh_out_put(fp, &b);
	for (i = 0; i < n; i++) {
		if (lh_report_shows(rep, i))
			fired[lh_timeline_get(rep->tl, i)->rule] = 1;
	}
	if (rc == LH_OK)
		rc = print_alerts(fp, cfg, rs, rep, color);
	text_loops(&b, rep, color);
	if (rc == LH_OK)
		rc = lh_out_put(fp, &b);
	for (i = 0; i < nr && !cfg->no_guide && rc == LH_OK; i++) {
		if (fired[i])
			rc = lh_out_guide(fp, lh_ruleset_get(rs, i), color);
	}
	free(fired);
	lh_buf_free(&b);
	return rc;
}

/* ---- json ---------------------------------------------------------------- */

static void
json_term(void *arg, const char *s, size_t n)
{
	struct lh_buf *b = arg;

	if (b->p[b->len - 1] != '[')
		lh_buf_putc(b, ',');
	lh_esc_json(b, s, n);
}

/* The terms of matched (see each_term) and ']', through the cache. */
static void
json_terms(struct lh_buf *b, const char *matched)
{
	size_t n = strlen(matched), at = b->len;

	if (n == cache.terms_len && cache.terms_esc_len > 0 &&
	    memcmp(matched, cache.terms, n) == 0) {
		lh_buf_append(b, cache.terms_esc, cache.terms_esc_len);
		return;
	}
	cache.terms_esc_len = 0;
	each_term(matched, json_term, b);
	lh_buf_putc(b, ']');
	if (n > TERMS_RAW || lh_buf_status(b) != LH_OK ||
	    b->len - at > TERMS_ESC)
		return;
	memcpy(cache.terms, matched, n);
	memcpy(cache.terms_esc, b->p + at, b->len - at);
	cache.terms_len = (uint16_t)n;
	cache.terms_esc_len = (uint16_t)(b->len - at);
}

/*
 * The record's position and own time, which loghunt merge needs to fold
 * runs over parts exactly (cli/merge.h): "offset", "time_us" (null when
 * the record has no time) and "precision_us".
 */
static void
json_record(struct lh_buf *b, const struct lh_srcref *s)
{
	PUTS(b, ",\"offset\":");
	put_u64(b, s->offset);
	if (s->ts == LH_TS_NONE) {
		PUTS(b, ",\"time_us\":null");
	} else {
		PUTS(b, ",\"time_us\":");
		if (s->ts < 0)
			lh_buf_putc(b, '-');
		put_u64(b, s->ts < 0 ? (uint64_t)0 - (uint64_t)s->ts :
		    (uint64_t)s->ts);
	}
	PUTS(b, ",\"precision_us\":");
	put_u64(b, (uint64_t)(s->ts_prec > 0 ? s->ts_prec : 1));
}

/* loghunt.sources and loghunt.matched; full: with json_record(). */
void
lh_out_json_sources_of(struct lh_buf *b, const struct lh_match *m, int full)
{
	size_t i;

	PUTS(b, "\"sources\":[");
	for (i = 0; i < m->nsrc; i++) {
		if (i > 0)
			lh_buf_putc(b, ',');
		PUTS(b, "{\"path\":");
		json_path(b, m->src[i].path, strlen(m->src[i].path));
		PUTS(b, ",\"line\":");
		put_u64(b, m->src[i].line);
		if (full)
			json_record(b, &m->src[i]);
		lh_buf_putc(b, '}');
	}
	PUTS(b, "],\"matched\":[");
	json_terms(b, m->matched);
}

void
lh_out_json_sources(struct lh_buf *b, const struct lh_match *m)
{
	lh_out_json_sources_of(b, m, 1);
}

static void
json_details(struct lh_buf *b, const struct lh_match *m)
{
	struct lh_segv sv;
	char path[512];

	if (m->message == NULL)
		return;
	if (lh_kmsg_segfault(m->message, m->message_len, &sv) == LH_OK) {
		lh_buf_puts(b, ",\"segfault\":{\"command\":");
		lh_esc_json(b, sv.comm, strlen(sv.comm));
		lh_buf_printf(b, ",\"pid\":%ld,\"address\":\"0x%llx\","
		    "\"ip\":\"0x%llx\",\"sp\":\"0x%llx\",\"error_code\":"
		    "\"0x%lx\",\"error\":", sv.pid, (unsigned long long)sv.addr,
		    (unsigned long long)sv.ip, (unsigned long long)sv.sp,
		    sv.error);
		lh_esc_json(b, sv.error_text, strlen(sv.error_text));
		lh_buf_puts(b, ",\"mapped_file\":");
		lh_esc_json(b, sv.mapped, strlen(sv.mapped));
		lh_buf_putc(b, '}');
	} else if (lh_kmsg_execstack(m->message, m->message_len, path,
	    sizeof(path)) == LH_OK) {
		lh_buf_puts(b, ",\"execstack\":{\"program\":");
		lh_esc_json(b, path, strlen(path));
		lh_buf_putc(b, '}');
	}
}

static void
json_field(struct lh_buf *b, const char *key, const char *v, size_t n)
{
	PUTS(b, ",\"");
	lh_buf_puts(b, key);
	PUTS(b, "\":");
	lh_esc_json(b, v, n);
}

/* Opens the document with @timestamp (null when there is no wall time). */
void
lh_out_json_timestamp(struct lh_buf *b, const struct lh_match *m)
{
	char ts[40];

	if (m->ts == LH_TS_NONE || (m->ts_flags & LH_TS_BOOT)) {
		PUTS(b, "{\"@timestamp\":null");
		return;
	}
	PUTS(b, "{\"@timestamp\":\"");
	lh_buf_append(b, ts, lh_time_format(m->ts, ts));
	lh_buf_putc(b, '"');
}

/*
 * In the loghunt object: the boot-relative time of a dmesg record that no
 * record with both clocks dated, or that its time was dated from its boot
 * (core/evidence.h).
 */
void
lh_out_json_boot(struct lh_buf *b, const struct lh_match *m)
{
	if (m->ts_flags & LH_TS_BOOT)
		lh_buf_printf(b, ",\"boot_relative_us\":%lld",
		    (long long)m->ts);
	else if (m->ts_flags & LH_TS_DERIVED)
		lh_buf_puts(b, ",\"time_from_boot\":true");
}

static void
json_context(struct lh_buf *b, const struct lh_ctx *c)
{
	const char *v;
	char ts[40];
	size_t i, n;

	lh_buf_puts(b, ",\"context\":[");
	for (i = 0; i < c->n; i++) {
		const struct lh_match *e = c->ev[i];

		lh_buf_puts(b, i ? ",{\"@timestamp\":\"" : "{\"@timestamp\":\"");
		lh_buf_append(b, ts, lh_time_format(e->ts, ts));
		lh_buf_putc(b, '"');
		if ((v = lh_match_get(e, LH_F_PROC_NAME, &n)) != NULL)
			json_field(b, "process.name", v, n);
		json_field(b, "message", e->message ? e->message : "",
		    e->message_len);
		lh_buf_puts(b, ",\"source\":{\"path\":");
		lh_esc_json(b, e->src[0].path, strlen(e->src[0].path));
		lh_buf_puts(b, ",\"line\":");
		put_u64(b, e->src[0].line);
		lh_buf_puts(b, "}}");
	}
	lh_buf_putc(b, ']');
}

static void
json_loop(struct lh_buf *b, const struct lh_loop *l)
{
	char ts[48];
	size_t k;

	lh_buf_printf(b, ",\"crash_loop\":{\"count\":%llu,\"first\":",
	    (unsigned long long)l->count);
	lh_out_time_text(l->first, ts);
	lh_esc_json(b, ts, strlen(ts));
	lh_buf_puts(b, ",\"last\":");
	lh_out_time_text(l->last, ts);
	lh_esc_json(b, ts, strlen(ts));
	lh_buf_puts(b, ",\"addresses\":[");
	for (k = 0; k < l->naddr; k++)
		lh_buf_printf(b, "%s\"0x%llx\"", k ? "," : "",
		    (unsigned long long)l->addr[k]);
	lh_buf_printf(b, "],\"distinct_addresses\":%zu}", l->ndistinct);
}

static void
json_alert(struct lh_buf *b, const struct lh_rule *r, const struct lh_match *m,
    const struct lh_report *rep, size_t idx)
{
	const char *v;
	size_t n;

	lh_out_json_timestamp(b, m);
	lh_buf_puts(b, ",\"event\":{\"kind\":\"alert\"");
	if ((v = lh_match_get(m, LH_F_DATASET, &n)) != NULL)
		json_field(b, "dataset", v, n);
	lh_buf_puts(b, "},\"rule\":{\"id\":");
	lh_esc_json(b, r->rule_id, strlen(r->rule_id));
	lh_buf_puts(b, ",\"name\":");
	lh_esc_json(b, r->name, strlen(r->name));
	lh_buf_puts(b, "},\"kibana\":{\"alert\":{\"severity\":");
	lh_esc_json(b, r->severity, strlen(r->severity));
	if (r->risk_score >= 0) {
		PUTS(b, ",\"risk_score\":");
		put_u64(b, (uint64_t)r->risk_score);
		PUTS(b, "}}");
	} else
		lh_buf_printf(b, ",\"risk_score\":%d}}", r->risk_score);
	lh_buf_puts(b, ",\"host\":{\"hostname\":");
	lh_esc_json(b, m->host ? m->host : "", m->host ? strlen(m->host) : 0);
	lh_alert_json_host(b, m);
	lh_buf_puts(b, "},\"process\":{");
	if ((v = lh_match_get(m, LH_F_PROC_NAME, &n)) != NULL) {
		lh_buf_puts(b, "\"name\":");
		lh_esc_json(b, v, n);
	}
	lh_buf_putc(b, '}');
	json_field(b, "message", m->message ? m->message : "", m->message_len);
	lh_buf_puts(b, ",\"log\":{\"file\":{\"path\":");
	lh_esc_json(b, m->src[0].path, strlen(m->src[0].path));
	lh_buf_puts(b, "}},\"loghunt\":{");
	lh_out_json_sources(b, m);
	lh_alert_json(b, m);
	lh_out_json_boot(b, m);
	json_details(b, m);
	if (rep->loop_of != NULL && rep->loop_of[idx] >= 0)
		json_loop(b, &rep->loops[rep->loop_of[idx]]);
	if (rep->ctx != NULL)
		json_context(b, &rep->ctx[idx]);
	lh_buf_puts(b, "}}\n");
}

/* ---- csv ----------------------------------------------------------------- */

void
lh_out_csv_sources(struct lh_buf *b, const struct lh_match *m, int last)
{
	struct lh_buf t = { 0 };
	size_t i;

	for (i = 0; i < m->nsrc; i++) {
		if (i > 0)
			lh_buf_putc(&t, ' ');
		lh_buf_puts(&t, m->src[i].path);
		lh_buf_putc(&t, ':');
		put_u64(&t, m->src[i].line);
	}
	if (lh_buf_status(&t) != LH_OK)
		b->err = 1;	/* sticky */
	csv_cell(b, t.p ? t.p : "", t.len, last);
	lh_buf_free(&t);
}

/* The context of an alert in one cell: "TIME process: message | ...". */
static void
csv_context(struct lh_buf *b, const struct lh_ctx *c)
{
	struct lh_buf t = { 0 };
	const char *v;
	char ts[40];
	size_t i, n;

	for (i = 0; i < c->n; i++) {
		const struct lh_match *e = c->ev[i];

		if (i > 0)
			lh_buf_puts(&t, " | ");
		lh_buf_append(&t, ts, lh_time_format(e->ts, ts));
		lh_buf_putc(&t, ' ');
		if ((v = lh_match_get(e, LH_F_PROC_NAME, &n)) != NULL) {
			lh_buf_append(&t, v, n);
			lh_buf_puts(&t, ": ");
		}
		if (e->message != NULL)
			lh_buf_append(&t, e->message, e->message_len);
	}
	if (lh_buf_status(&t) != LH_OK)
		b->err = 1;	/* sticky */
	csv_cell(b, t.p ? t.p : "", t.len, 1);
	lh_buf_free(&t);
}

static void
csv_alert(struct lh_buf *b, const struct lh_rule *r, const struct lh_match *m,
    const struct lh_report *rep, size_t idx)
{
	char ts[48];
	const char *v;
	size_t n;

	lh_out_time_text(m, ts);
	csv_cell(b, ts, strlen(ts), 0);
	csv_cell(b, "Event Recorded", 14, 0);
	csv_cell(b, m->message ? m->message : "", m->message_len, 0);
	csv_cell(b, m->host ? m->host : "", m->host ? strlen(m->host) : 0, 0);
	csv_cell(b, r->name, strlen(r->name), 0);
	csv_cell(b, r->severity, strlen(r->severity), 0);
	lh_buf_printf(b, "%d,", r->risk_score);
	v = lh_match_get(m, LH_F_PROC_NAME, &n);
	csv_cell(b, v ? v : "", n, 0);
	if (lh_alert_multi(m)) {
		struct lh_buf t = { 0 };

		lh_alert_csv_summary(&t, m);
		csv_cell(b, t.p ? t.p : "", t.len, 0);
		lh_buf_reset(&t);
		lh_alert_csv_sources(&t, m);
		csv_cell(b, t.p ? t.p : "", t.len, rep->ctx == NULL);
		lh_buf_free(&t);
	} else {
		csv_cell(b, m->matched, strlen(m->matched), 0);
		lh_out_csv_sources(b, m, rep->ctx == NULL);
	}
	if (rep->ctx != NULL)
		csv_context(b, &rep->ctx[idx]);
}

int
lh_out_alerts(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep, int color)
{
	struct lh_buf b = { 0 };
	int rc;

	if (cfg->format == LH_OUT_TEXT)
		return text_alerts(fp, cfg, rs, rep, color);
	if (cfg->format == LH_OUT_CSV && (cfg->state == NULL || rep->nshow > 0))
		lh_buf_printf(&b, "datetime,timestamp_desc,message,hostname,"
		    "rule,severity,risk_score,process_name,matched,sources%s\n",
		    rep->ctx != NULL ? ",context" : "");
	rc = lh_out_put(fp, &b);
	if (rc == LH_OK)
		rc = print_alerts(fp, cfg, rs, rep, color);
	lh_buf_free(&b);
	return rc;
}

/* ---- one alert at a time (loghunt merge, cli/merge.c) --------------------- */

int
lh_out_alerts_head(FILE *fp, const struct lh_config *cfg, size_t nshow,
    int ctx)
{
	struct lh_buf b = { 0 };
	int rc;

	if (cfg->format == LH_OUT_TEXT)
		lh_buf_printf(&b, "%zu %salert%s\n\n", nshow, cfg->state ?
		    "new " : "", nshow == 1 ? "" : "s");
	else if (cfg->format == LH_OUT_CSV)
		lh_buf_printf(&b, "datetime,timestamp_desc,message,hostname,"
		    "rule,severity,risk_score,process_name,matched,sources%s\n",
		    ctx ? ",context" : "");
	rc = lh_out_put(fp, &b);
	lh_buf_free(&b);
	return rc;
}

int
lh_out_alert(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep, size_t i,
    int color)
{
	const struct lh_match *m = lh_timeline_get(rep->tl, i);
	const struct lh_rule *r = lh_ruleset_get(rs, (size_t)m->rule);
	struct lh_buf b = { 0 };
	int rc;

	if (cfg->format == LH_OUT_TEXT)
		text_alert(&b, r, m, color, rep, i);
	else if (cfg->format == LH_OUT_JSON)
		json_alert(&b, r, m, rep, i);
	else
		csv_alert(&b, r, m, rep, i);
	rc = lh_out_put(fp, &b);
	lh_buf_free(&b);
	return rc;
}

int
lh_out_alerts_tail(FILE *fp, const struct lh_config *cfg,
    const struct lh_ruleset *rs, const struct lh_report *rep,
    const char *fired, int color)
{
	struct lh_buf b = { 0 };
	size_t i;
	int rc;

	text_loops(&b, rep, color);
	rc = lh_out_put(fp, &b);
	lh_buf_free(&b);
	for (i = 0; i < lh_ruleset_count(rs) && !cfg->no_guide && rc == LH_OK;
	    i++) {
		if (fired[i])
			rc = lh_out_guide(fp, lh_ruleset_get(rs, i), color);
	}
	return rc;
}
