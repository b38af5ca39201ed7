/*
 * merge_doc.c: loghunt's JSON output read back into records (see
 * merge_doc.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/merge_doc.h"
#include "core/buf.h"
#include "core/event.h"
#include "core/status.h"
#include "core/time.h"

/* The name of the field that keeps an event's verbatim JSON body. */
static const char BODY[] = "\001body";

#define LOGHUNT_AT ",\"loghunt\":{\"sources\":["

void
lh_doc_free(struct lh_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->nrec; i++)
		lh_match_free(doc->rec[i]);
	free(doc->rec);
	free(doc->hostbuf);
	memset(doc, 0, sizeof(*doc));
}

static struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* Adds the value v under name (arrays repeat it); LH_OK or LH_FATAL. */
static int
flatten(struct lh_event *ev, struct lh_buf *name, struct json_object *v)
{
	size_t len = name->len, i;
	const char *s;
	int rc = LH_OK;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return LH_OK;
	case json_type_object:
		json_object_object_foreach(v, k, sub) {
			if (len > 0)
				lh_buf_putc(name, '.');
			lh_buf_puts(name, k);
			if (lh_buf_status(name) != LH_OK)
				return LH_FATAL;
			rc = flatten(ev, name, sub);
			name->len = len;
			name->p[len] = '\0';
			if (rc != LH_OK)
				return rc;
		}
		return LH_OK;
	case json_type_array:
		for (i = 0; i < json_object_array_length(v) && rc == LH_OK; i++)
			rc = flatten(ev, name, json_object_array_get_idx(v, i));
		return rc;
	default:
		if ((s = lh_event_strdup(ev, name->p, name->len)) == NULL)
			return LH_FATAL;
		return lh_event_addcopy(ev, s, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	}
}

/* Every member but @timestamp and loghunt, flattened into ev. */
static int
fields(struct lh_event *ev, struct json_object *o, int alert)
{
	struct lh_buf name = { 0 };
	struct json_object *h;
	int rc = LH_OK;

	json_object_object_foreach(o, k, v) {
		if (strcmp(k, "@timestamp") == 0 || strcmp(k, "loghunt") == 0)
			continue;
		/* an alert without a host prints "hostname":"" */
		if (alert && strcmp(k, "host") == 0 && (h = member(v,
		    "hostname")) != NULL && json_object_get_string_len(h) == 0)
			continue;
		lh_buf_reset(&name);
		lh_buf_puts(&name, k);
		if (lh_buf_status(&name) != LH_OK ||
		    (rc = flatten(ev, &name, v)) != LH_OK)
			break;
	}
	if (lh_buf_status(&name) != LH_OK)
		rc = LH_FATAL;
	lh_buf_free(&name);
	return rc;
}

/* loghunt.matched joined with ", " (what output.c splits again). */
static int
matched(struct json_object *lh, struct lh_buf *b)
{
	struct json_object *a = member(lh, "matched");
	size_t i;

	lh_buf_reset(b);
	lh_buf_puts(b, "");
	for (i = 0; a != NULL && json_object_is_type(a, json_type_array) &&
	    i < json_object_array_length(a); i++) {
		struct json_object *t = json_object_array_get_idx(a, i);

		if (i > 0)
			lh_buf_puts(b, ", ");
		lh_buf_append(b, json_object_get_string(t),
		    (size_t)json_object_get_string_len(t));
	}
	return lh_buf_status(b);
}

static int
fail(struct lh_err *err, const char *what)
{
	lh_err_set(err, LH_FAIL, 0, "%s", what);
	return LH_FAIL;
}

/* The JSON body of an event document: after @timestamp, before loghunt. */
static int
body(struct lh_event *ev, const char *line, size_t n)
{
	const char *p, *start, *end = NULL;
	size_t k = sizeof(LOGHUNT_AT) - 1;

	if (n < 20 || memcmp(line, "{\"@timestamp\":", 14) != 0)
		return LH_FAIL;
	start = line + 14;
	start += *start == 'n' ? 4 : 29;	/* null or "...Z" */
	for (p = start; p + k <= line + n; p++) {
		p = memchr(p, ',', (size_t)(line + n - p));
		if (p == NULL || p + k > line + n)
			break;
		if (memcmp(p, LOGHUNT_AT, k) == 0)
			end = p;
	}
	if (end == NULL || end < start)
		return LH_FAIL;
	return lh_event_addcopy(ev, BODY, start, (size_t)(end - start));
}

/* One record per source of doc, with ev's fields. */
static int
records(struct lh_doc *doc, struct lh_event *ev, struct json_object *srcs,
    const char *terms, int keep_body, struct lh_err *err)
{
	size_t i, n = json_object_array_length(srcs);
	struct lh_match *m;
	const struct lh_field *f;

	if ((doc->rec = calloc(n + 1, sizeof(*doc->rec))) == NULL)
		return LH_FATAL;
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(srcs, i);
		struct json_object *p = member(s, "path"), *t = member(s,
		    "time_us"), *pr = member(s, "precision_us");

		if (p == NULL || pr == NULL || !json_object_object_get_ex(s,
		    "time_us", &t) || member(s, "offset") == NULL)
			return fail(err, "loghunt.sources without offset, "
			    "time_us and precision_us (made by an older "
			    "loghunt? scan the part again)");
		ev->ts = t == NULL ? LH_TS_NONE : json_object_get_int64(t);
		ev->ts_prec = json_object_get_int64(pr);
		ev->line = (uint64_t)json_object_get_int64(member(s, "line"));
		ev->offset = (uint64_t)json_object_get_int64(member(s,
		    "offset"));
		if ((m = lh_match_create(ev, doc->rule, terms,
		    json_object_get_string(p))) == NULL)
			return LH_FATAL;
		doc->rec[doc->nrec++] = m;
		if (keep_body && (f = lh_event_get(ev, BODY)) != NULL)
			m->render = lh_match_get(m, BODY, &m->render_len);
		if (m->ts_prec > doc->max_prec)
			doc->max_prec = m->ts_prec;
	}
	(void)f;
	return n == 0 ? fail(err, "no loghunt.sources") : LH_OK;
}

/* The document's kind, rule, flags and order key. */
static int
head(struct lh_doc *doc, struct json_object *o, struct json_object *lh,
    const struct lh_doc_opts *opts, struct lh_event *ev, struct lh_err *err)
{
	struct json_object *kind = member(member(o, "event"), "kind");
	struct json_object *id = member(member(o, "rule"), "id");
	struct json_object *boot = member(lh, "boot_relative_us");

	doc->kind = kind != NULL && id != NULL && strcmp(
	    json_object_get_string(kind), "alert") == 0 ? LH_DOC_ALERT :
	    LH_DOC_EVENT;
	doc->rule = -1;
	if (doc->kind == LH_DOC_ALERT) {
		if (member(lh, "events") != NULL || member(lh, "bucket") !=
		    NULL || member(lh, "new_terms") != NULL)
			return fail(err, "an alert of a stateful rule (EQL "
			    "sequence, new_terms, ES|QL): merge does not take "
			    "those");
		doc->rule = lh_ruleset_find(opts->rs,
		    json_object_get_string(id), err);
		if (doc->rule < 0)
			return LH_FAIL;
	}
	ev->ts_flags = boot != NULL ? LH_TS_BOOT : member(lh,
	    "time_from_boot") != NULL ? LH_TS_DERIVED : 0;
	return LH_OK;
}

/* Fills the order key from the first record (the printed time). */
static int
order_key(struct lh_doc *doc, struct json_object *o, struct json_object *lh)
{
	struct json_object *boot = member(lh, "boot_relative_us");
	struct json_object *ts = member(o, "@timestamp");
	const struct lh_match *m = doc->rec[0];
	struct lh_tz utc;
	size_t used;
	int64_t prec;

	doc->untimed = boot != NULL || ts == NULL;
	doc->ts = LH_TS_NONE;
	if (boot != NULL)
		doc->ts = json_object_get_int64(boot);
	else if (ts != NULL) {
		lh_tz_utc(&utc);
		if (lh_time_parse_iso(json_object_get_string(ts),
		    (size_t)json_object_get_string_len(ts), &utc, 0, &doc->ts,
		    &prec, &used) != LH_OK)
			return LH_FAIL;
	}
	if (m->host != NULL &&
	    (doc->hostbuf = strndup(m->host, m->host_len)) == NULL)
		return LH_FATAL;
	doc->host = doc->hostbuf;
	return LH_OK;
}

static int
parse(struct json_object *o, const char *line, size_t n,
    const struct lh_doc_opts *opts, struct lh_doc *doc, struct lh_err *err)
{
	struct json_object *lh = member(o, "loghunt"), *srcs;
	struct json_object *tri = member(lh, "triage");
	struct lh_event ev;
	struct lh_buf terms = { 0 };
	int rc;

	if (tri != NULL && member(o, "@timestamp") == NULL) {
		doc->kind = LH_DOC_TRIAGE_HEAD;
		doc->context_us = json_object_get_int64(member(tri,
		    "context_us"));
		return LH_OK;
	}
	if ((srcs = member(lh, "sources")) == NULL ||
	    !json_object_is_type(srcs, json_type_array))
		return fail(err, "not an alert or event of loghunt's JSON "
		    "output (no loghunt.sources)");
	lh_event_init(&ev);
	if ((rc = head(doc, o, lh, opts, &ev, err)) == LH_OK &&
	    (rc = fields(&ev, o, doc->kind == LH_DOC_ALERT)) == LH_OK &&
	    (rc = matched(lh, &terms)) == LH_OK) {
		if (doc->kind == LH_DOC_EVENT && opts->keep_body &&
		    body(&ev, line, n) != LH_OK)
			rc = fail(err, "an event document not as loghunt "
			    "prints it");
		if (rc == LH_OK)
			rc = records(doc, &ev, srcs, terms.p ? terms.p : "",
			    opts->keep_body,
			    err);
		if (rc == LH_OK && (rc = order_key(doc, o, lh)) == LH_FAIL)
			fail(err, "@timestamp not understood");
	}
	lh_buf_free(&terms);
	lh_event_free(&ev);
	return rc;
}

int
lh_doc_parse(const char *line, size_t n, const struct lh_doc_opts *o,
    struct lh_doc *doc, struct lh_err *err)
{
	struct json_tokener *tok;
	struct json_object *obj;
	int rc;

	memset(doc, 0, sizeof(*doc));
	lh_err_clear(err);
	if ((tok = json_tokener_new()) == NULL)
		return LH_FATAL;
	obj = json_tokener_parse_ex(tok, line, (int)n);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success
	    || !json_object_is_type(obj, json_type_object))
		rc = fail(err, "not a JSON object");
	else
		rc = parse(obj, line, n, o, doc, err);
	json_object_put(obj);
	json_tokener_free(tok);
	if (rc != LH_OK)
		lh_doc_free(doc);
	return rc;
}
