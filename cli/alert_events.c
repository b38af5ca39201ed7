/*
 * alert_events.c: the parts of a stateful rule's alert that list several
 * events (alert_events.h), in text, JSON and CSV.  The alert's fields
 * loghunt.event ("TS<TAB>PROCESS<TAB>MESSAGE"), loghunt.event_source
 * ("INDEX<TAB>LINE<TAB>PATH"), loghunt.group.*, loghunt.new_terms,
 * loghunt.bucket.* and loghunt.host_id_from are made by core/detect.c.
 * Every byte that came from evidence goes through cli/escape.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/alert_events.h"
#include "cli/escape.h"
#include "cli/json_doc.h"
#include "core/num.h"
#include "core/status.h"
#include "core/time.h"

#define EVENT "loghunt.event"
#define EVENT_SOURCE "loghunt.event_source"
#define GROUP "loghunt.group."
#define BUCKET "loghunt.bucket."
#define TERMS "loghunt.new_terms"
#define HOST_FROM "loghunt.host_id_from"

/*
 * Whether field name is lit: the first byte spares most comparisons (all
 * of the names above begin with 'l', few others of an alert's fields do).
 */
static int
is(const char *name, const char *lit)
{
	return name[0] == lit[0] && strcmp(name, lit) == 0;
}

/* One event of an alert, split out of its loghunt.event value. */
struct ev {
	int64_t ts;
	const char *proc, *msg;
	size_t proc_len, msg_len;
};

static int
split_event(const struct lh_field *f, struct ev *e)
{
	const char *p = f->val, *end = f->val + f->len, *t1, *t2;

	if ((t1 = memchr(p, '\t', f->len)) == NULL ||
	    (t2 = memchr(t1 + 1, '\t', (size_t)(end - t1 - 1))) == NULL ||
	    lh_num_parse(p, (size_t)(t1 - p), INT64_MIN + 1, INT64_MAX,
	    &e->ts) != LH_OK)
		return 0;
	e->proc = t1 + 1;
	e->proc_len = (size_t)(t2 - t1 - 1);
	e->msg = t2 + 1;
	e->msg_len = (size_t)(end - t2 - 1);
	return 1;
}

/* The source fields of event k: calls fn(arg, line, path, n) for each. */
static void
each_source(const struct lh_match *m, size_t k,
    void (*fn)(void *, const char *, size_t, const char *, size_t),
    void *arg)
{
	size_t i;

	for (i = 0; i < m->nf; i++) {
		const struct lh_field *f = &m->f[i];
		const char *t1, *t2, *end = f->val + f->len;
		int64_t idx;

		if (!is(f->name, EVENT_SOURCE) ||
		    (t1 = memchr(f->val, '\t', f->len)) == NULL ||
		    (t2 = memchr(t1 + 1, '\t', (size_t)(end - t1 - 1))) ==
		    NULL || lh_num_parse(f->val, (size_t)(t1 - f->val), 0,
		    INT64_MAX, &idx) != LH_OK || (size_t)idx != k)
			continue;
		fn(arg, t1 + 1, (size_t)(t2 - t1 - 1), t2 + 1,
		    (size_t)(end - t2 - 1));
	}
}

int
lh_alert_multi(const struct lh_match *m)
{
	size_t i;

	for (i = 0; i < m->nf; i++) {
		if (is(m->f[i].name, EVENT))
			return 1;
	}
	return 0;
}

static int
starts(const char *s, const char *prefix)
{
	return s[0] == prefix[0] && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Appends n bytes as they are (the CSV cell is escaped as a whole). */
static int
raw(struct lh_buf *b, const char *s, size_t n)
{
	return lh_buf_append(b, s, n);
}

/*
 * "NAME<sep>value, NAME<sep>value" of the fields under prefix, after
 * label (only the values when the name is the prefix), through put.
 * Returns the number of fields.
 */
static size_t
pairs(struct lh_buf *b, const struct lh_match *m, const char *prefix,
    const char *label, int sep, int (*put)(struct lh_buf *, const char *,
    size_t))
{
	size_t i, n = 0, pl = strlen(prefix);

	for (i = 0; i < m->nf; i++) {
		if (!starts(m->f[i].name, prefix))
			continue;
		lh_buf_puts(b, n++ == 0 ? label : ", ");
		if (m->f[i].name[pl] != '\0') {
			put(b, m->f[i].name + pl, strlen(m->f[i].name + pl));
			lh_buf_putc(b, sep);
		}
		put(b, m->f[i].val, m->f[i].len);
	}
	return n;
}

static void
text_pairs(struct lh_buf *b, const struct lh_match *m, const char *prefix,
    const char *label)
{
	if (pairs(b, m, prefix, label, ' ', lh_esc_text) > 0)
		lh_buf_putc(b, '\n');
}

static void
text_source(void *arg, const char *line, size_t ln, const char *path,
    size_t pn)
{
	struct lh_buf *b = arg;

	lh_buf_puts(b, "  ");
	lh_esc_text(b, path, pn);
	lh_buf_putc(b, ':');
	lh_buf_append(b, line, ln);
}

void
lh_alert_text(struct lh_buf *b, const struct lh_match *m)
{
	const char *from;
	size_t i, k = 0, n;
	char ts[48];
	struct ev e;

	if ((from = lh_match_get(m, HOST_FROM, &n)) != NULL &&
	    n == 13 && memcmp(from, "host.hostname", 13) == 0)
		lh_buf_puts(b, "    host.id    the host name (no machine id "
		    "known)\n");
	text_pairs(b, m, GROUP, "    group      ");
	text_pairs(b, m, TERMS, "    new terms  ");
	text_pairs(b, m, BUCKET, "    bucket     ");
	for (i = 0; i < m->nf; i++)
		k += is(m->f[i].name, EVENT);
	lh_buf_printf(b, "    events     %zu\n", k);
	for (i = 0, k = 0; i < m->nf; i++) {
		if (!is(m->f[i].name, EVENT) ||
		    !split_event(&m->f[i], &e))
			continue;
		lh_buf_puts(b, "      ");
		lh_buf_append(b, ts, lh_time_format(e.ts, ts));
		lh_buf_puts(b, "  ");
		if (e.proc_len > 0) {
			lh_esc_text(b, e.proc, e.proc_len);
			lh_buf_puts(b, ": ");
		}
		lh_esc_text(b, e.msg, e.msg_len);
		lh_buf_putc(b, '\n');
		lh_buf_puts(b, "       ");
		each_source(m, k++, text_source, b);
		lh_buf_putc(b, '\n');
	}
}

void
lh_alert_json_host(struct lh_buf *b, const struct lh_match *m)
{
	const char *v;
	size_t n;

	if (lh_alert_multi(m) && (v = lh_match_get(m, "host.id", &n)) !=
	    NULL) {
		lh_buf_puts(b, ",\"id\":");
		lh_esc_json(b, v, n);
	}
}

/*
 * Appends ',"key":{...}' with the fields under prefix as a nested
 * document (cli/json_doc.h), when m has any.  LH_OK or LH_FATAL.
 */
static int
json_object(struct lh_buf *b, const struct lh_match *m, const char *prefix,
    const char *key)
{
	struct lh_field *f;
	struct lh_buf t = { 0 };
	size_t i, n = 0, pl = strlen(prefix);
	int rc = LH_OK;

	for (i = 0; i < m->nf && !starts(m->f[i].name, prefix); i++)
		;
	if (i == m->nf)
		return LH_OK;	/* none: no object (most alerts lack one) */
	if ((f = calloc(m->nf + 1, sizeof(*f))) == NULL)
		return LH_FATAL;
	for (i = 0; i < m->nf; i++) {
		if (!starts(m->f[i].name, prefix))
			continue;
		f[n] = m->f[i];
		f[n++].name = m->f[i].name + pl;
	}
	if (n > 0 && (rc = lh_json_doc_members(&t, f, n)) == LH_OK) {
		lh_buf_puts(b, ",\"");
		lh_buf_puts(b, key);
		lh_buf_puts(b, "\":{");
		lh_buf_append(b, t.p + 1, t.len - 1);
		lh_buf_putc(b, '}');
	}
	lh_buf_free(&t);
	free(f);
	return rc;
}

static void
json_source(void *arg, const char *line, size_t ln, const char *path,
    size_t pn)
{
	struct lh_buf *b = arg;

	if (b->len > 0 && b->p[b->len - 1] == '}')
		lh_buf_putc(b, ',');
	lh_buf_puts(b, "{\"path\":");
	lh_esc_json(b, path, pn);
	lh_buf_puts(b, ",\"line\":");
	lh_buf_append(b, line, ln);
	lh_buf_putc(b, '}');
}

static void
json_events(struct lh_buf *b, const struct lh_match *m)
{
	size_t i, k = 0;
	char ts[48];
	struct ev e;

	lh_buf_puts(b, ",\"events\":[");
	for (i = 0; i < m->nf; i++) {
		if (!is(m->f[i].name, EVENT) ||
		    !split_event(&m->f[i], &e))
			continue;
		lh_buf_puts(b, k > 0 ? ",{\"@timestamp\":\"" :
		    "{\"@timestamp\":\"");
		lh_buf_append(b, ts, lh_time_format(e.ts, ts));
		lh_buf_puts(b, "\",\"process\":{\"name\":");
		lh_esc_json(b, e.proc, e.proc_len);
		lh_buf_puts(b, "},\"message\":");
		lh_esc_json(b, e.msg, e.msg_len);
		lh_buf_puts(b, ",\"sources\":[");
		each_source(m, k++, json_source, b);
		lh_buf_puts(b, "]}");
	}
	lh_buf_putc(b, ']');
}

int
lh_alert_json(struct lh_buf *b, const struct lh_match *m)
{
	const char *v;
	size_t i, n, k = 0;

	if (!lh_alert_multi(m))
		return LH_OK;
	if ((v = lh_match_get(m, HOST_FROM, &n)) != NULL) {
		lh_buf_puts(b, ",\"host_id_from\":");
		lh_esc_json(b, v, n);
	}
	if (json_object(b, m, GROUP, "group") != LH_OK)
		return LH_FATAL;
	for (i = 0; i < m->nf; i++) {
		if (!is(m->f[i].name, TERMS))
			continue;
		lh_buf_puts(b, k++ > 0 ? "," : ",\"new_terms\":[");
		lh_esc_json(b, m->f[i].val, m->f[i].len);
	}
	if (k > 0)
		lh_buf_putc(b, ']');
	if (json_object(b, m, BUCKET, "bucket") != LH_OK)
		return LH_FATAL;
	json_events(b, m);
	return LH_OK;
}

static void
csv_pairs(struct lh_buf *t, const struct lh_match *m, const char *prefix,
    const char *label)
{
	pairs(t, m, prefix, label, '=', raw);
}

void
lh_alert_csv_summary(struct lh_buf *t, const struct lh_match *m)
{
	size_t i, k = 0;

	csv_pairs(t, m, GROUP, "group: ");
	csv_pairs(t, m, TERMS, t->len > 0 ? "; new terms: " : "new terms: ");
	csv_pairs(t, m, BUCKET, t->len > 0 ? "; bucket: " : "bucket: ");
	for (i = 0; i < m->nf; i++)
		k += is(m->f[i].name, EVENT);
	lh_buf_printf(t, "%s%zu event%s", t->len > 0 ? "; " : "", k,
	    k == 1 ? "" : "s");
}

static void
csv_source(void *arg, const char *line, size_t ln, const char *path,
    size_t pn)
{
	struct lh_buf *t = arg;

	if (t->len > 0)
		lh_buf_putc(t, ' ');
	lh_buf_append(t, path, pn);
	lh_buf_putc(t, ':');
	lh_buf_append(t, line, ln);
}

void
lh_alert_csv_sources(struct lh_buf *t, const struct lh_match *m)
{
	size_t i, k = 0;

	for (i = 0; i < m->nf; i++)
		if (is(m->f[i].name, EVENT))
			each_source(m, k++, csv_source, t);
}
